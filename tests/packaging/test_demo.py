"""`make demo` (scripts/demo.py) runs on its own and says what happened."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.helpers import ROOT


@pytest.mark.slow  # runs the demo in a child process
def test_demo_stops_everything_and_prints_readable_results() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for section in ("1. Sync client", "2. Async client", "3. Command line"):
        assert section in out
    assert "retrying in" in out and "503" in out
    assert re.search(r"date_updated=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", out)
    assert "[your app] signature verified: stream-started for stream 'agent-audio'" in out
    assert "[your app] signature verified: stream-stopped for stream 'agent-audio'" in out
    assert "stopped by name" in out
    assert out.count("exit 0:") == 2
    assert "All 5 streams started or stopped as asked; both status callbacks were signed and verified" in out
    assert result.stderr == ""
