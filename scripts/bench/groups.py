"""Row groups: the registry where measurements beyond the eight clients plug into the report."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from scripts.bench.config import Params
from scripts.bench.fakespace import fakespace_group
from scripts.bench.media import media_group
from scripts.bench.rows import Cell, RowGroup, rows_from_dict, show_cell
from scripts.bench.session import session_group

__all__ = ["EXTRA_GROUPS", "Cell", "GroupMeasure", "RowGroup", "measure_groups", "rows_from_dict", "show_cell"]

# Groups measured after the client rounds, in this order; the command line can pick some (--groups).
# Each function gets the run's sizes (its rounds among them) and the bench server's port is not its
# concern: a group starts what it measures and stops it. To add one, see docs/performance.md.
GroupMeasure = Callable[[Params], RowGroup]


EXTRA_GROUPS: dict[str, GroupMeasure] = {"media": media_group, "fakespace": fakespace_group, "session": session_group}


def measure_groups(names: Sequence[str], params: Params) -> list[RowGroup]:
    """Run the chosen groups' measurements, in the registry's order."""
    return [measure(params) for name, measure in EXTRA_GROUPS.items() if name in names]
