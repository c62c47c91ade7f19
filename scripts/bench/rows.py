"""A table of the bench's report: ``RowGroup``, and ``rows_from_dict`` to build one from measured cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scripts.bench.stats import Spread, Target

# What a measured cell may hold: a number, a text, or one number per round (shown as median [min-max]).
Cell = float | str | Sequence[float]


@dataclass(frozen=True)
class RowGroup:
    """One table of the report: a title, the column heads (the first one heads the row labels), the rows
    as printed, what goes into the JSON document under ``groups.<key>``, and any targets it checks."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    data: Any = None
    targets: list[Target] = field(default_factory=list)


def show_cell(value: Cell | None, digits: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return Spread.of(value).show(digits) if value else "-"


def rows_from_dict(
    key: str,
    title: str,
    measured: Mapping[str, Mapping[str, Cell]],
    *,
    label: str = "",
    digits: int = 1,
    targets: Sequence[Target] = (),
) -> RowGroup:
    """A group from ``{row label: {column: cell}}``: rows in the mapping's order, columns in order of first
    appearance, "-" where a row has no such column; the mapping itself becomes the group's JSON."""
    columns = list(dict.fromkeys(column for row in measured.values() for column in row))
    rows = [[name, *(show_cell(row.get(column), digits) for column in columns)] for name, row in measured.items()]
    return RowGroup(key, title, [label or key, *columns], rows, dict(measured), list(targets))
