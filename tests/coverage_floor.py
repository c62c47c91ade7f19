"""The coverage ratchet: ``make coverage`` ends with ``python -m tests.coverage_floor``.

It reads the data ``coverage combine`` left (settings in pyproject.toml's ``[tool.coverage.*]``),
prints line and branch coverage for each part and the total, and exits 1 when a part measures
below its floor in ``[tool.signalwire-compat.coverage-floor]``. A floor is coverage.py's own
figure (covered lines and branches over all lines and branches, the one ``coverage report``
prints), in percent, rounded down to a tenth. Floors only go up (tests/packaging/test_coverage_floor.py
reads their history): when a run measures more, it prints the values to write.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
# The parts a floor is kept for: the package users import, and all handwritten code measured.
PARTS = {"overlay": ["overlay/*"], "total": []}


def floors(pyproject: Path = PYPROJECT) -> dict[str, float]:
    """The floors written in pyproject.toml, by part."""
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    written = settings["tool"]["signalwire-compat"]["coverage-floor"]
    return {part: float(written[part]) for part in PARTS}


def _totals(include: list[str]) -> dict[str, Any]:
    import coverage

    measured = coverage.Coverage(config_file=str(PYPROJECT))
    measured.load()
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "coverage.json"
        measured.json_report(outfile=str(report), include=include or None)
        totals: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))["totals"]
    return totals


def _percent(covered: int, count: int) -> str:
    return f"{100 * covered / count:6.2f} %" if count else "     - "


def main() -> int:
    written = floors()
    measured: dict[str, float] = {}
    print(f"{'part':8} {'lines':>9} {'branches':>9} {'together':>9} {'floor':>7}")
    for part, include in PARTS.items():
        totals = _totals(include)
        # Two decimals, rounded down: the figure a floor is compared with and raised to.
        measured[part] = math.floor(totals["percent_covered"] * 100) / 100
        lines = _percent(totals["covered_lines"], totals["num_statements"])
        branches = _percent(totals["covered_branches"], totals["num_branches"])
        print(f"{part:8} {lines:>9} {branches:>9} {measured[part]:7.2f} % {written[part]:7.2f}")
    below = [part for part in PARTS if measured[part] < written[part]]
    if below:
        for part in below:
            print(
                f"coverage: {part} is {measured[part]:.2f} %, below its floor of {written[part]:.2f} %:"
                " test the new code's branches (or say in CONTRIBUTING.md why one stays untested)",
                file=sys.stderr,
            )
        return 1
    # A floor is the measured figure rounded down to a tenth: races the tests do not order move the
    # figure by a few hundredths from run to run, and a floor must not fail an unchanged tree.
    raised = {part: max(math.floor(measured[part] * 10) / 10, written[part]) for part in PARTS}
    if raised != written:
        print("coverage rose: raise the floors in pyproject.toml's [tool.signalwire-compat.coverage-floor] to")
        for part in PARTS:
            print(f"  {part} = {raised[part]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
