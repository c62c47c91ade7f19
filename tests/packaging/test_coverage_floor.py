"""The coverage floors (pyproject.toml, enforced by ``make coverage``) only ever go up."""

from __future__ import annotations

import subprocess
import tomllib

import pytest

from tests.coverage_floor import PARTS, PYPROJECT, floors
from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # runs git


def _git(*arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_every_part_has_a_floor_between_0_and_100() -> None:
    written = floors()
    assert set(written) == set(PARTS)
    assert all(0 < value <= 100 for value in written.values()), written


def test_no_floor_is_lower_than_any_floor_committed_before() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (a copy of the repository): no history to compare with")
    current = floors()
    path = PYPROJECT.relative_to(ROOT).as_posix()
    # The commits whose diff of pyproject.toml touched a floor's line.
    commits = _git("log", "--format=%H", "-G", r"^(overlay|total) = [0-9]", "--", path).split()
    for commit in commits:
        earlier = tomllib.loads(_git("show", f"{commit}:{path}"))
        written = earlier.get("tool", {}).get("signalwire-compat", {}).get("coverage-floor", {})
        for part, value in written.items():
            assert current[part] >= float(value), (
                f"the {part} coverage floor went down: {current[part]} now, {value} in {commit[:12]}"
            )
