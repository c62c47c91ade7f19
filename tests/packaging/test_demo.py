"""`make demo` (scripts/demo/) runs on its own and says what happened."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.helpers import ROOT


@pytest.mark.slow  # runs the demo in a child process
def test_demo_stops_everything_and_prints_readable_results() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.demo"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for section in ("1. Sync client", "2. Async client", "3. Command line", "4. An incoming call"):
        assert section in out
    assert "retrying in" in out and "503" in out
    assert re.search(r"date_updated=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", out)
    assert "[your app] signature verified: stream-started for stream 'agent-audio'" in out
    assert "[your app] signature verified: stream-stopped for stream 'agent-audio'" in out
    assert "stopped by name" in out
    assert out.count("exit 0:") == 2
    assert "[your app] voice webhook verified: call " in out
    assert "[your app] WebSocket start: audio/x-mulaw at 8000 Hz, parameters {'Lang': 'en'}" in out
    assert re.search(r"\[your app\] WebSocket stop: 1\d\d frames, [12]\.\d\d s of audio received", out)
    assert "[your app] status callback verified: stream-stopped for 'caller-audio' (track inbound_track" in out
    assert "2 typed status callbacks verified" in out
    assert "All 6 streams started or stopped as asked; every status callback was signed and verified" in out
    assert result.stderr == ""
