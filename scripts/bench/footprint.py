"""Footprint of a fresh process in a runtime-only venv: cold import time and peak RSS with one call."""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from scripts.bench.config import CONFIG_ENV, PACKAGES, ROOT, BenchError, WorkerConfig, child_env
from scripts.bench.rounds import ServerStats, run_child, stats_delta
from scripts.runtime_env import make_runtime_env, runtime_dependencies

IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)")


def top_level_imports(stderr: str) -> dict[str, int]:
    """``-X importtime`` output -> {top-level module: cumulative µs}."""
    found: dict[str, int] = {}
    for match in IMPORT_LINE.finditer(stderr):
        if len(match[3]) <= 1:
            found[match[4]] = int(match[2])
    return found


@dataclass(frozen=True)
class Footprint:
    """Where import time and memory are measured: a runtime-only venv, byte-code caches on."""

    python: str
    env: dict[str, str]

    @classmethod
    def create(cls, folder: Path, packages: list[str]) -> Footprint:
        extra = ["twilio"] if "twilio" in packages else []
        python, _ = make_runtime_env(folder / "venv", [*runtime_dependencies(), *extra])
        env = child_env()
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        env["PYTHONPATH"] = os.pathsep.join(str(ROOT / part) for part in ("overlay", "generated"))
        return cls(str(python), env)


def import_time_us(module: str | None, startup: set[str], footprint: Footprint) -> tuple[int, set[str]]:
    """Cumulative µs of the top-level imports ``import MODULE`` adds to a bare interpreter's."""
    code = f"import {module}" if module else "pass"
    command = [footprint.python, "-X", "importtime", "-c", code]
    env = footprint.env
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise BenchError(f"import {module}: exit status {done.returncode}: {done.stderr.strip()[-300:]}")
    found = top_level_imports(done.stderr)
    return sum(us for name, us in found.items() if name not in startup), set(found)


def measure_imports(packages: list[str], runs: int, footprint: Footprint) -> dict[str, list[float]]:
    _, startup = import_time_us(None, set(), footprint)
    for package in packages:  # one unmeasured run each: byte-code caches written, files in the page cache
        import_time_us(PACKAGES[package], startup, footprint)
    results: dict[str, list[float]] = {package: [] for package in packages}
    for _ in range(runs):
        for package in packages:
            results[package].append(import_time_us(PACKAGES[package], startup, footprint)[0] / 1000)
    return results


PROBE_PRELUDE = """\
import json, os, time
started = time.perf_counter()
cfg = json.loads(os.environ["BENCH_CONFIG"])
status = "stopped"
"""
PROBE_BODIES = {
    "python": "",
    "httpx": """\
import httpx
with httpx.Client(auth=(cfg["project_id"], cfg["api_token"])) as client:
    url = f"http://127.0.0.1:{cfg['port']}/api/laml/2010-04-01/Accounts/{cfg['project_id']}/Calls/{cfg['call_sid']}/Streams/{cfg['stream_sid']}"
    status = client.post(url, data={"Status": "stopped"}).json()["status"]
""",
    "signalwire_compat": """\
import signalwire_compat as sw
with sw.Client(cfg["project_id"], cfg["api_token"], space_url=f"http://127.0.0.1:{cfg['port']}") as client:
    status = client.calls(cfg["call_sid"]).streams(cfg["stream_sid"]).stop().status
""",
    "twilio": """\
from twilio.rest import Client
client = Client(username=cfg["project_id"], password=cfg["api_token"], account_sid=cfg["project_id"])
client.api.base_url = f"http://127.0.0.1:{cfg['port']}"
status = client.calls(cfg["call_sid"]).streams(cfg["stream_sid"]).update(status="stopped").status
""",
}
# Peak RSS from /proc/self/status (VmHWM): ru_maxrss carries the parent's peak across fork and exec
# on Linux, so a child of a large harness would report the harness's size.
PROBE_EPILOGUE = """\
if status != "stopped":
    raise SystemExit(f"probe: got status {status!r}")
ms = (time.perf_counter() - started) * 1000
with open("/proc/self/status") as proc:
    peak = next(int(line.split()[1]) for line in proc if line.startswith("VmHWM:"))
print(json.dumps({"maxrss_kib": peak, "import_and_call_ms": ms}))
"""


def measure_rss(
    packages: list[str], runs: int, cfg: WorkerConfig, footprint: Footprint
) -> dict[str, list[dict[str, float]]]:
    """Peak RSS (KiB) and import+first-call time of fresh processes making one call ("python": no call)."""
    targets = ["python", *packages]
    results: dict[str, list[dict[str, float]]] = {target: [] for target in targets}
    for _ in range(runs):
        for target in targets:
            before = ServerStats.fetch(cfg.port)
            code = PROBE_PRELUDE + PROBE_BODIES[target] + PROBE_EPILOGUE
            env = {**footprint.env, CONFIG_ENV: json.dumps(asdict(cfg))}
            stdout = run_child(["-c", code], env, 60, f"RSS probe {target}", python=footprint.python)
            ok, errors, *_ = stats_delta(before, ServerStats.fetch(cfg.port))
            if ok != (0 if target == "python" else 1) or errors:
                raise BenchError(f"RSS probe {target}: server answered {ok} x 200, errors {errors}")
            results[target].append(json.loads(stdout.strip().splitlines()[-1]))
    return results
