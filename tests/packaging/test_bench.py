"""`make bench`'s harness works: a short run measures, checks every result and reports targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # runs the benchmark in child processes


@pytest.mark.timeout(300)
def test_quick_bench_measures_and_checks_results(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    clients = "sw_sync,sw_async,httpx_sync"
    command = [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick", "--rounds", "1", "--clients", clients]
    command += ["--calls", "60", "--async-calls", "60", "--warmup", "10"]  # the harness, not the numbers
    result = subprocess.run(
        [*command, "--json", str(output)],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Targets:" in result.stdout
    assert "Server:" in result.stdout and "CPU per request" in result.stdout
    report = json.loads(output.read_text())
    text = json.dumps(report)
    for client in clients.split(","):
        assert client in text
