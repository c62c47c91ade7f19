"""Instructions per call under valgrind's callgrind: deterministic, unlike CPU time on a shared machine."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from scripts.bench.config import ASYNC_CLIENTS, BenchError, WorkerConfig

# The sync SDK with its two neighbours, and the async SDK (with its usual requests in flight).
INSTRUCTION_CLIENTS = ("httpx_sync", "sw_sync", "twilio", "sw_async")
INSTRUCTION_CALLS = (100, 400)
INSTRUCTION_WARMUP = 50


def callgrind_instructions(name: str, cfg: WorkerConfig, valgrind: str) -> int:
    """Instructions a worker executes in all (callgrind counts them: the same for the same run)."""
    with tempfile.TemporaryDirectory(prefix="bench-callgrind-") as folder:
        out = Path(folder) / "callgrind.out"
        command = [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable]
        command += ["-m", "scripts.bench.worker", name]
        try:
            done = subprocess.run(command, env=cfg.to_env(), capture_output=True, text=True, timeout=900, check=False)
        except subprocess.TimeoutExpired:
            raise BenchError(f"{name} under callgrind: timed out") from None
        if done.returncode != 0:
            raise BenchError(f"{name} under callgrind: exit status {done.returncode}: {done.stderr.strip()[-300:]}")
        for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise BenchError(f"{name} under callgrind: no instruction total in its output")


def measure_instructions(names: list[str], base: WorkerConfig, concurrency: int) -> dict[str, float]:
    """Instructions per call of each client of INSTRUCTION_CLIENTS, from two callgrind runs (100 and 400
    measured calls after the same warm-up): their difference over 300 calls leaves start-up and imports
    out. The async client runs ``concurrency`` calls in flight. Empty without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("  (valgrind not found: no instruction counts)", flush=True)
        return {}
    per_call: dict[str, float] = {}
    for name in (n for n in INSTRUCTION_CLIENTS if n in names):
        in_flight = concurrency if name in ASYNC_CLIENTS else 1
        small, large = (
            callgrind_instructions(
                name, replace(base, calls=calls, warmup=INSTRUCTION_WARMUP, concurrency=in_flight), valgrind
            )
            for calls in INSTRUCTION_CALLS
        )
        per_call[name] = (large - small) / (INSTRUCTION_CALLS[1] - INSTRUCTION_CALLS[0])
    return per_call
