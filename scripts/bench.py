"""Benchmark: what signalwire_compat costs per call, next to raw httpx, the stdlib and twilio-python.

Run it from the repository root with the project's venv (twilio comes from the ``bench`` extra)::

    .venv/bin/python scripts/bench.py                 # full run, about 1.5 minutes on 2 cores
    .venv/bin/python scripts/bench.py --quick         # ~30 s smoke run (fewer calls and rounds)
    .venv/bin/python scripts/bench.py --json out.json --clients sw_sync,httpx_sync --strict

What happens:

1. ``scripts/bench_server.py`` starts in its own process: a raw asyncio HTTP/1.1 server on 127.0.0.1
   (keep-alive, Basic auth checked, form body checked) answering the two stream-stop operations, in
   our path shape and twilio's (``/2010-04-01/.../Streams/{S}.json``). It reports its request counters
   and its CPU time, so every client run is checked against what the server saw, and the server's own
   CPU per request is reported (it must stay far from being the bottleneck).
2. Each client runs in a fresh subprocess (``bench.py --worker NAME``), several rounds, interleaved
   (A1 B1 C1 ... A2 B2 C2 ...). It warms up, then stops the same call stream N times and verifies
   every result (status ``stopped``). Measured around the loop: process CPU time
   (``time.process_time``), wall time, and every call's latency (for the async clients, each
   request's latency with ``--concurrency`` requests in flight).

   ==============  =======================================================================================
   sw_sync         ``sw.Client(...).calls(C).streams(S).stop()``
   sw_async        ``sw.AsyncClient``, the same stop, 50 in flight (its engine: aiohttp under httpx)
   sw_async_httpx  ``sw.AsyncClient(http_client=httpx.AsyncClient())``: the SDK on httpx's own async transport
   httpx_sync      ``httpx.Client(auth=(project, token)).post(url, data={"Status": "stopped"}).json()``
   httpx_async     ``httpx.AsyncClient``, the same, 50 in flight
   aiohttp         ``aiohttp.ClientSession(auth=...)``: ``post(url, data=...)``, ``.json()``, 50 in flight
   http_client     ``http.client.HTTPConnection``, one kept-alive connection, ``json.loads``: the floor
   twilio          twilio-python 9: ``Client(...).calls(C).streams(S).update(status="stopped")``
   ==============  =======================================================================================

3. Cold import time of ``httpx``, ``signalwire_compat`` and ``twilio.rest`` (``python -X importtime``,
   the top-level cumulative times that ``-c pass`` does not have, median of ``--import-runs`` runs), and
   peak RSS (``ru_maxrss``) of a fresh process that imports each and makes one call to the server.
   Both run in a virtual environment holding only the runtime dependencies (and twilio's), as a user's
   would: in the dev environment ``import httpx`` also loads its command-line extras (rich, click),
   which flatters every ratio. Byte-code caches are on (in a temporary folder), as for an installed
   package.

It prints a table (medians, [min-max] across rounds), ratios against raw httpx sync measured in the same
run (median of the per-round ratios), PASS/FAIL for the project's performance targets, and writes
everything to ``--json`` (default ``bench-results.json``). Exit status: 0 when every run was correct,
1 when a run failed or a count did not match, 3 with ``--strict`` when a target failed.

Everything stays on 127.0.0.1 (proxy variables are removed from the children's environment), every
subprocess has a timeout, and the server stops when this process exits.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import gc
import hashlib
import http.client
import importlib
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import re
import secrets
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER_SCRIPT = Path(__file__).resolve().with_name("bench_server.py")
API_PREFIX = "/api/laml/2010-04-01"
CONFIG_ENV = "BENCH_CONFIG"

SyncCall = Callable[[], None]
AsyncCall = Callable[[], Awaitable[None]]

# Run order within a round: each SDK client right after the raw client it is compared with, so a
# ratio's two runs are seconds apart (this machine's speed drifts over a run).
CLIENTS: dict[str, str] = {
    "httpx_sync": "httpx.Client (raw)",
    "sw_sync": "signalwire_compat sync",
    "twilio": "twilio-python sync",
    "http_client": "http.client (stdlib)",
    "sw_async": "signalwire_compat async",
    "httpx_async": "httpx.AsyncClient (raw)",
    "aiohttp": "aiohttp.ClientSession (raw)",
    "sw_async_httpx": "signalwire_compat async on httpx's transport",
}
ASYNC_CLIENTS = frozenset({"sw_async", "sw_async_httpx", "httpx_async", "aiohttp"})
BASELINE = "httpx_sync"
# What each import/RSS probe imports: a package name -> the module users import.
PACKAGES = {"httpx": "httpx", "signalwire_compat": "signalwire_compat", "twilio": "twilio.rest"}


class BenchError(Exception):
    """A run that did not do what it should (wrong result, count mismatch, crash, timeout)."""


# ---------------------------------------------------------------------------------------------------------
# Configuration shared with the children
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    rounds: int
    calls: int
    async_calls: int
    concurrency: int
    warmup: int
    import_runs: int
    rss_runs: int
    worker_timeout: float


FULL = Params(
    rounds=9, calls=1500, async_calls=1000, concurrency=50, warmup=200, import_runs=7, rss_runs=3, worker_timeout=120.0
)
QUICK = Params(
    rounds=2, calls=300, async_calls=200, concurrency=50, warmup=50, import_runs=3, rss_runs=1, worker_timeout=60.0
)


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a child needs; passed in the environment (``BENCH_CONFIG``), not on the command line."""

    port: int
    project_id: str
    api_token: str
    call_sid: str
    stream_sid: str
    calls: int = 0
    warmup: int = 0
    concurrency: int = 1

    @property
    def account_sid(self) -> str:
        return self.project_id  # the SDK's default: {AccountSid} is the project id

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stream_path(self) -> str:
        return f"{API_PREFIX}/Accounts/{self.account_sid}/Calls/{self.call_sid}/Streams/{self.stream_sid}"

    @property
    def stream_url(self) -> str:
        return self.base_url + self.stream_path

    def to_env(self) -> dict[str, str]:
        return {**child_env(), CONFIG_ENV: json.dumps(asdict(self))}

    @classmethod
    def from_env(cls) -> WorkerConfig:
        return cls(**json.loads(os.environ[CONFIG_ENV]))


def child_env() -> dict[str, str]:
    """This environment minus proxies and SignalWire settings: children talk to 127.0.0.1 only."""
    dropped = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    env = {k: v for k, v in os.environ.items() if k.lower() not in dropped and not k.startswith("SIGNALWIRE_")}
    env.pop(CONFIG_ENV, None)
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


# ---------------------------------------------------------------------------------------------------------
# Worker side: one client, one fresh process
# ---------------------------------------------------------------------------------------------------------


def check_status(client: str, status: object) -> None:
    if status != "stopped":
        raise BenchError(f"{client}: got status {status!r}, expected 'stopped'")


@contextlib.contextmanager
def sw_sync(cfg: WorkerConfig) -> Iterator[SyncCall]:
    import signalwire_compat as sw

    with sw.Client(cfg.project_id, cfg.api_token, space_url=cfg.base_url) as client:
        call_sid, stream_sid = cfg.call_sid, cfg.stream_sid

        def call() -> None:
            check_status("sw_sync", client.calls(call_sid).streams(stream_sid).stop().status)

        yield call


@contextlib.contextmanager
def httpx_sync(cfg: WorkerConfig) -> Iterator[SyncCall]:
    import httpx

    # What a typical user writes: auth=(user, password) on the client, a form dict, .json().
    with httpx.Client(auth=(cfg.project_id, cfg.api_token)) as client:
        url = cfg.stream_url

        def call() -> None:
            response = client.post(url, data={"Status": "stopped"})
            response.raise_for_status()
            check_status("httpx_sync", response.json()["status"])

        yield call


@contextlib.contextmanager
def http_client_sync(cfg: WorkerConfig) -> Iterator[SyncCall]:
    connection = http.client.HTTPConnection("127.0.0.1", cfg.port, timeout=30)
    credentials = base64.b64encode(f"{cfg.project_id}:{cfg.api_token}".encode()).decode()
    headers = {
        "Authorization": f"Basic {credentials}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
    }
    path = cfg.stream_path

    def call() -> None:
        connection.request("POST", path, body=b"Status=stopped", headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise BenchError(f"http_client: HTTP {response.status}")
        check_status("http_client", json.loads(body)["status"])

    try:
        yield call
    finally:
        connection.close()


@contextlib.contextmanager
def twilio_sync(cfg: WorkerConfig) -> Iterator[SyncCall]:
    rest: Any = importlib.import_module("twilio.rest")
    client = rest.Client(username=cfg.project_id, password=cfg.api_token, account_sid=cfg.account_sid)
    # twilio 9 builds every URL from its domain's base_url ("https://api.twilio.com"): point it here.
    # Its paths are /2010-04-01/Accounts/{A}/Calls/{C}/Streams/{S}.json; the bench server takes both shapes.
    client.api.base_url = cfg.base_url
    call_sid, stream_sid = cfg.call_sid, cfg.stream_sid

    def call() -> None:
        check_status("twilio", client.calls(call_sid).streams(stream_sid).update(status="stopped").status)

    try:
        yield call
    finally:
        client.http_client.session.close()


@contextlib.asynccontextmanager
async def sw_async(cfg: WorkerConfig) -> AsyncIterator[AsyncCall]:
    import signalwire_compat as sw

    async with sw.AsyncClient(cfg.project_id, cfg.api_token, space_url=cfg.base_url) as client:
        call_sid, stream_sid = cfg.call_sid, cfg.stream_sid

        async def call() -> None:
            stream = await client.calls(call_sid).streams(stream_sid).stop()
            check_status("sw_async", stream.status)

        yield call


@contextlib.asynccontextmanager
async def sw_async_httpx(cfg: WorkerConfig) -> AsyncIterator[AsyncCall]:
    import httpx

    import signalwire_compat as sw

    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with (
        httpx.AsyncClient(limits=limits) as http,
        sw.AsyncClient(cfg.project_id, cfg.api_token, space_url=cfg.base_url, http_client=http) as client,
    ):
        call_sid, stream_sid = cfg.call_sid, cfg.stream_sid

        async def call() -> None:
            stream = await client.calls(call_sid).streams(stream_sid).stop()
            check_status("sw_async_httpx", stream.status)

        yield call


@contextlib.asynccontextmanager
async def aiohttp_async(cfg: WorkerConfig) -> AsyncIterator[AsyncCall]:
    import aiohttp

    auth = aiohttp.BasicAuth(cfg.project_id, cfg.api_token)
    async with aiohttp.ClientSession(auth=auth, connector=aiohttp.TCPConnector(limit=100)) as session:
        url = cfg.stream_url

        async def call() -> None:
            async with session.post(url, data={"Status": "stopped"}) as response:
                response.raise_for_status()
                check_status("aiohttp", (await response.json())["status"])

        yield call


@contextlib.asynccontextmanager
async def httpx_async(cfg: WorkerConfig) -> AsyncIterator[AsyncCall]:
    import httpx

    async with httpx.AsyncClient(auth=(cfg.project_id, cfg.api_token)) as client:
        url = cfg.stream_url

        async def call() -> None:
            response = await client.post(url, data={"Status": "stopped"})
            response.raise_for_status()
            check_status("httpx_async", response.json()["status"])

        yield call


SYNC_FACTORIES: dict[str, Callable[[WorkerConfig], contextlib.AbstractContextManager[SyncCall]]] = {
    "sw_sync": sw_sync,
    "httpx_sync": httpx_sync,
    "http_client": http_client_sync,
    "twilio": twilio_sync,
}
ASYNC_FACTORIES: dict[str, Callable[[WorkerConfig], contextlib.AbstractAsyncContextManager[AsyncCall]]] = {
    "sw_async": sw_async,
    "sw_async_httpx": sw_async_httpx,
    "httpx_async": httpx_async,
    "aiohttp": aiohttp_async,
}


@dataclass(frozen=True)
class Measurement:
    cpu_s: float
    wall_s: float
    latencies_ns: list[int]


def measure_sync(call: SyncCall, calls: int, warmup: int) -> Measurement:
    for _ in range(warmup):
        call()
    gc.collect()
    clock = time.perf_counter_ns
    latencies = [0] * calls
    cpu_started, wall_started = time.process_time(), clock()
    for index in range(calls):
        started = clock()
        call()
        latencies[index] = clock() - started
    wall_ns = clock() - wall_started
    return Measurement(time.process_time() - cpu_started, wall_ns / 1e9, latencies)


async def run_in_flight(call: AsyncCall, total: int, concurrency: int, latencies: list[int]) -> None:
    """``total`` calls, ``concurrency`` at a time (that many workers sharing one counter)."""
    remaining = iter(range(total))
    clock = time.perf_counter_ns

    async def worker() -> None:
        for _ in remaining:
            started = clock()
            await call()
            latencies.append(clock() - started)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, total))))


async def measure_async(name: str, cfg: WorkerConfig) -> Measurement:
    async with ASYNC_FACTORIES[name](cfg) as call:
        await run_in_flight(call, cfg.warmup, cfg.concurrency, [])
        gc.collect()
        latencies: list[int] = []
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        await run_in_flight(call, cfg.calls, cfg.concurrency, latencies)
        wall = time.perf_counter() - wall_started
        return Measurement(time.process_time() - cpu_started, wall, latencies)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def worker_main(name: str) -> int:
    """Child entry point: measure one client and print one JSON line."""
    cfg = WorkerConfig.from_env()
    if name in ASYNC_FACTORIES:
        measurement = asyncio.run(measure_async(name, cfg))
    else:
        with SYNC_FACTORIES[name](cfg) as call:
            measurement = measure_sync(call, cfg.calls, cfg.warmup)
    if len(measurement.latencies_ns) != cfg.calls:
        raise BenchError(f"{name}: {len(measurement.latencies_ns)} calls measured, expected {cfg.calls}")
    latencies_us = [ns / 1000 for ns in measurement.latencies_ns]
    result = {
        "client": name,
        "calls": cfg.calls,
        "requests": cfg.calls + cfg.warmup,
        "cpu_us_per_call": measurement.cpu_s * 1e6 / cfg.calls,
        "wall_us_per_call": measurement.wall_s * 1e6 / cfg.calls,
        "calls_per_s": cfg.calls / measurement.wall_s,
        "p50_us": percentile(latencies_us, 0.50),
        "p99_us": percentile(latencies_us, 0.99),
    }
    print(json.dumps(result))
    return 0


# ---------------------------------------------------------------------------------------------------------
# The server process
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerStats:
    answers: dict[str, int]
    shapes: dict[str, int]
    connections: int
    cpu_seconds: float

    @classmethod
    def fetch(cls, port: int) -> ServerStats:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/_bench/stats")
            document = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        return cls(document["answers"], document["shapes"], document["connections"], document["cpu_seconds"])


@contextlib.contextmanager
def bench_server(project_id: str, api_token: str, max_seconds: float) -> Iterator[int]:
    """Start scripts/bench_server.py, yield its port, and make sure it is gone afterwards."""
    command = [sys.executable, str(SERVER_SCRIPT), "--project-id", project_id, "--max-seconds", f"{max_seconds:g}"]
    env = {**child_env(), "BENCH_API_TOKEN": api_token}
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    try:
        yield read_port(process)
    finally:
        stop_server(process)


def read_port(process: subprocess.Popen[bytes]) -> int:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 15.0)
    line = process.stdout.readline() if ready else b""
    if not line.strip().isdigit():
        raise BenchError(f"bench server did not start (printed {line!r}, exit status {process.poll()})")
    return int(line)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.stdin is not None:
        process.stdin.close()  # the server stops at end of file on its stdin
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


# ---------------------------------------------------------------------------------------------------------
# Harness: client rounds
# ---------------------------------------------------------------------------------------------------------


@dataclass
class RunRecord:
    """One round of one client: the worker's numbers plus what the server saw meanwhile."""

    client: str
    round: int
    worker: dict[str, Any]
    server_ok: int
    server_errors: dict[str, int]
    server_cpu_us_per_request: float
    connections: int
    problems: list[str] = field(default_factory=list)


def run_child(args: list[str], env: dict[str, str], timeout: float, what: str, *, python: str = sys.executable) -> str:
    """Run ``python ARGS`` and return its stdout; BenchError on failure or timeout."""
    try:
        done = subprocess.run([python, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{what}: timed out after {timeout:g} s") from None
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise BenchError(f"{what}: exit status {done.returncode}\n{tail}")
    return done.stdout


def stats_delta(before: ServerStats, after: ServerStats) -> tuple[int, dict[str, int], dict[str, int], int, float]:
    answers = {k: after.answers.get(k, 0) - before.answers.get(k, 0) for k in after.answers}
    shapes = {k: after.shapes.get(k, 0) - before.shapes.get(k, 0) for k in after.shapes}
    errors = {k: v for k, v in answers.items() if k != "200" and v}
    # The "after" stats request opened one connection of its own.
    connections = after.connections - before.connections - 1
    return answers.get("200", 0), errors, shapes, connections, after.cpu_seconds - before.cpu_seconds


def run_client(name: str, round_number: int, cfg: WorkerConfig, timeout: float) -> RunRecord:
    before = ServerStats.fetch(cfg.port)
    stdout = run_child([__file__, "--worker", name], cfg.to_env(), timeout, f"{name} round {round_number}")
    after = ServerStats.fetch(cfg.port)
    worker: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    ok, errors, shapes, connections, cpu = stats_delta(before, after)
    record = RunRecord(name, round_number, worker, ok, errors, cpu * 1e6 / max(ok, 1), connections)
    expected_shape = "twilio" if name == "twilio" else "laml"
    if ok != worker["requests"] or errors:
        record.problems.append(
            f"server answered {ok} x 200 and {errors or 'no'} errors; client sent {worker['requests']}"
        )
    if shapes.get(expected_shape, 0) != ok:
        record.problems.append(f"expected every request in the {expected_shape} path shape, server saw {shapes}")
    return record


def run_rounds(names: list[str], params: Params, base: WorkerConfig) -> list[RunRecord]:
    records: list[RunRecord] = []
    for round_number in range(1, params.rounds + 1):
        for name in names:
            is_async = name in ASYNC_CLIENTS
            cfg = WorkerConfig(
                port=base.port,
                project_id=base.project_id,
                api_token=base.api_token,
                call_sid=base.call_sid,
                stream_sid=base.stream_sid,
                calls=params.async_calls if is_async else params.calls,
                warmup=params.warmup,
                concurrency=params.concurrency if is_async else 1,
            )
            record = run_client(name, round_number, cfg, params.worker_timeout)
            print(
                f"  round {round_number}/{params.rounds} {name:<12} {record.worker['cpu_us_per_call']:8.0f} µs CPU/call"
                f"{'  PROBLEM: ' + '; '.join(record.problems) if record.problems else ''}",
                flush=True,
            )
            records.append(record)
    return records


# ---------------------------------------------------------------------------------------------------------
# Harness: import time and peak RSS
# ---------------------------------------------------------------------------------------------------------

IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)")


def top_level_imports(stderr: str) -> dict[str, int]:
    """``-X importtime`` output -> {top-level module: cumulative µs}."""
    found: dict[str, int] = {}
    for match in IMPORT_LINE.finditer(stderr):
        if len(match[3]) <= 1:
            found[match[4]] = int(match[2])
    return found


INSTRUCTION_CLIENTS = ("httpx_sync", "sw_sync", "twilio")
INSTRUCTION_CALLS = (100, 400)


def callgrind_instructions(name: str, cfg: WorkerConfig, valgrind: str) -> int:
    """Instructions a worker executes in all (callgrind counts them: the same for the same run)."""
    with tempfile.TemporaryDirectory(prefix="bench-callgrind-") as folder:
        out = Path(folder) / "callgrind.out"
        command = [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__]
        command += ["--worker", name]
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


def measure_instructions(names: list[str], base: WorkerConfig) -> dict[str, float]:
    """Instructions per call of each sync client, from two callgrind runs (100 and 400 measured calls
    after the same warm-up): their difference over 300 calls leaves start-up and imports out. Unlike
    CPU time, this does not depend on what else the machine is doing. Empty without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("  (valgrind not found: no instruction counts)", flush=True)
        return {}
    per_call: dict[str, float] = {}
    for name in (n for n in INSTRUCTION_CLIENTS if n in names):
        small, large = (
            callgrind_instructions(name, WorkerConfig(**{**asdict(base), "calls": calls, "warmup": 50}), valgrind)
            for calls in INSTRUCTION_CALLS
        )
        per_call[name] = (large - small) / (INSTRUCTION_CALLS[1] - INSTRUCTION_CALLS[0])
    return per_call


@dataclass(frozen=True)
class Footprint:
    """Where import time and memory are measured: a runtime-only venv, byte-code caches on."""

    python: str
    env: dict[str, str]

    @classmethod
    def create(cls, folder: Path, packages: list[str]) -> Footprint:
        from runtime_env import make_runtime_env, runtime_dependencies

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


# ---------------------------------------------------------------------------------------------------------
# Summaries, ratios, targets
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def show(self, digits: int = 0, scale: float = 1.0) -> str:
        return f"{self.median * scale:.{digits}f} [{self.low * scale:.{digits}f}-{self.high * scale:.{digits}f}]"


METRICS = ("cpu_us_per_call", "wall_us_per_call", "calls_per_s", "p99_us")


def summarize(records: list[RunRecord]) -> dict[str, dict[str, Spread]]:
    summary: dict[str, dict[str, Spread]] = {}
    for name in dict.fromkeys(r.client for r in records):
        mine = [r for r in records if r.client == name]
        summary[name] = {metric: Spread.of([r.worker[metric] for r in mine]) for metric in METRICS}
        summary[name]["server_cpu_us_per_request"] = Spread.of([r.server_cpu_us_per_request for r in mine])
        summary[name]["connections"] = Spread.of([r.connections for r in mine])
        # The server's CPU per request over the client's wall time per call: how busy the server was.
        summary[name]["server_busy"] = Spread.of(
            [r.server_cpu_us_per_request / r.worker["wall_us_per_call"] for r in mine]
        )
    return summary


def per_round_ratios(records: list[RunRecord], metric: str, baseline: str) -> dict[str, Spread]:
    """Each client's metric over the baseline's in the same round; spread across rounds."""
    by_round = {(r.client, r.round): r.worker[metric] for r in records}
    ratios: dict[str, Spread] = {}
    for name in dict.fromkeys(r.client for r in records):
        values = [
            v / by_round[(baseline, rnd)]
            for (c, rnd), v in by_round.items()
            if c == name and (baseline, rnd) in by_round
        ]
        if values:
            ratios[name] = Spread.of(values)
    return ratios


@dataclass(frozen=True)
class Target:
    description: str
    verdict: str  # PASS, FAIL or N/A
    detail: str


def ratio_target(description: str, ratio: Spread | None, limit: float) -> Target:
    if ratio is None:
        return Target(description, "N/A", "not measured in this run")
    verdict = "PASS" if ratio.median <= limit else "FAIL"
    return Target(description, verdict, f"{ratio.median:.2f}x [{ratio.low:.2f}-{ratio.high:.2f}] (limit {limit:.2f}x)")


def evaluate_targets(
    cpu_ratios: dict[str, Spread],
    summary: dict[str, dict[str, Spread]],
    import_ratio: Spread | None,
    rss_ratio: Spread | None,
    instruction_ratio: float | None = None,
) -> list[Target]:
    targets = [ratio_target("sync signalwire_compat CPU/call <= 1.10x raw httpx sync", cpu_ratios.get("sw_sync"), 1.10)]
    if instruction_ratio is not None:
        verdict = "PASS" if instruction_ratio <= 1.10 else "FAIL"
        targets.append(
            Target(
                "sync signalwire_compat instructions/call <= 1.10x raw httpx sync",
                verdict,
                f"{instruction_ratio:.3f}x (callgrind, limit 1.10x)",
            )
        )
    if "sw_sync" in summary and "twilio" in summary:
        ours, theirs = summary["sw_sync"]["cpu_us_per_call"].median, summary["twilio"]["cpu_us_per_call"].median
        verdict = "PASS" if ours < theirs else "FAIL"
        targets.append(
            Target("sync signalwire_compat CPU/call below twilio", verdict, f"{ours:.0f} vs {theirs:.0f} µs")
        )
    else:
        targets.append(Target("sync signalwire_compat CPU/call below twilio", "N/A", "not measured in this run"))
    targets.append(
        ratio_target(
            "async signalwire_compat (50 in flight) CPU/call <= 1.5x raw httpx SYNC", cpu_ratios.get("sw_async"), 1.5
        )
    )
    targets.append(ratio_target("import signalwire_compat <= 1.25x import httpx", import_ratio, 1.25))
    targets.append(ratio_target("peak RSS, import + one call <= 1.15x raw httpx process", rss_ratio, 1.15))
    return targets


def paired_ratio(values: dict[str, list[float]], name: str, baseline: str) -> Spread | None:
    if name not in values or baseline not in values:
        return None
    return Spread.of([a / b for a, b in zip(values[name], values[baseline], strict=True)])


# ---------------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------------


def print_rows(rows: list[list[str]]) -> None:
    """Columns sized to their widest cell; the first left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))]
        print("  ".join(cells))
        if index == 0:
            print("-" * (sum(widths) + 2 * (len(widths) - 1)))


def print_client_table(summary: dict[str, dict[str, Spread]], cpu_ratios: dict[str, Spread]) -> None:
    rows = [
        [
            "client",
            "CPU µs/call",
            "wall µs/call",
            "calls/s",
            "p99 ms",
            "srv µs/req",
            "srv busy",
            "conns",
            "CPU vs httpx",
        ]
    ]
    for name, row in summary.items():
        ratio = cpu_ratios.get(name)
        rows.append(
            [
                CLIENTS[name],
                row["cpu_us_per_call"].show(),
                row["wall_us_per_call"].show(),
                row["calls_per_s"].show(),
                row["p99_us"].show(2, 1 / 1000),
                f"{row['server_cpu_us_per_request'].median:.1f}",
                f"{row['server_busy'].median:.0%}",
                f"{row['connections'].median:.0f}",
                ratio.show(2) if ratio else "-",
            ]
        )
    print_rows(rows)


def print_footprint(imports: dict[str, list[float]], rss: dict[str, list[dict[str, float]]]) -> None:
    rows = [["fresh process", "import ms", "peak RSS MiB", "RSS over python MiB", "import+1 call ms"]]
    base = statistics.median(p["maxrss_kib"] for p in rss["python"]) if "python" in rss else 0.0
    for package in ["python", *imports]:
        kib = [p["maxrss_kib"] for p in rss.get(package, [])]
        call_ms = [p["import_and_call_ms"] for p in rss.get(package, [])]
        rows.append(
            [
                package if package == "python" else f"import {PACKAGES[package]}",
                Spread.of(imports[package]).show(1) if package in imports else "-",
                Spread.of(kib).show(1, 1 / 1024) if kib else "-",
                f"{(statistics.median(kib) - base) / 1024:.1f}" if kib else "-",
                Spread.of(call_ms).show(1) if call_ms and package != "python" else "-",
            ]
        )
    print()
    print_rows(rows)


def print_targets(targets: list[Target]) -> None:
    print("\nTargets:")
    for target in targets:
        print(f"  {target.verdict:<5} {target.description}: {target.detail}")


def spread_json(value: Spread | None) -> dict[str, float] | None:
    return None if value is None else asdict(value)


def source_state() -> dict[str, Any]:
    """Which SDK source was measured: the commit, and whether overlay/ or generated/ had local changes."""
    git, root = shutil.which("git"), SERVER_SCRIPT.parent.parent
    if git is None:
        return {"commit": None}

    def run_git(*args: str) -> str:
        done = subprocess.run([git, "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False)
        return done.stdout if done.returncode == 0 else ""

    changes = run_git("status", "--porcelain", "--", "overlay", "generated")
    diff = run_git("diff", "HEAD", "--", "overlay", "generated")
    return {
        "commit": run_git("rev-parse", "HEAD").strip() or None,
        "sdk_locally_changed": bool(changes.strip()),
        "sdk_diff_sha256": hashlib.sha256(diff.encode()).hexdigest() if diff else None,
    }


def describe_source(state: dict[str, Any]) -> str:
    if not state.get("commit"):
        return "SDK source: unknown (no git)"
    dirty = " + local changes in overlay/generated" if state["sdk_locally_changed"] else ""
    return f"SDK source: commit {state['commit'][:10]}{dirty}"


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for dist in ("signalwire-compat", "httpx", "httpcore", "aiohttp", "twilio", "requests", "attrs", "anyio"):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = None
    return found


# ---------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark signalwire_compat against raw httpx, http.client, twilio.")
    parser.add_argument("--quick", action="store_true", help="a ~30 s smoke run: fewer calls, rounds and probes")
    parser.add_argument("--json", default="bench-results.json", metavar="PATH", help="where to write the results")
    parser.add_argument("--clients", help=f"comma-separated subset of {', '.join(CLIENTS)} (default: all)")
    parser.add_argument("--rounds", type=int, help="rounds per client (full 9, quick 2)")
    parser.add_argument("-n", "--calls", type=int, help="measured calls per sync run (full 1500)")
    parser.add_argument("--async-calls", type=int, help="measured calls per async run (full 1000)")
    parser.add_argument("--concurrency", type=int, help="requests in flight for the async clients (50)")
    parser.add_argument("--warmup", type=int, help="unmeasured calls before each run (full 200)")
    parser.add_argument("--strict", action="store_true", help="exit 3 if a target fails")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions per call of the sync clients under valgrind's callgrind (about 2 min)",
    )
    parser.add_argument("--worker", choices=sorted(CLIENTS), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def choose_params(args: argparse.Namespace) -> Params:
    base = QUICK if args.quick else FULL
    overrides = {k: getattr(args, k) for k in ("rounds", "calls", "async_calls", "concurrency", "warmup")}
    params = Params(**{**asdict(base), **{k: v for k, v in overrides.items() if v is not None}})
    if min(params.rounds, params.calls, params.async_calls, params.concurrency) < 1 or params.warmup < 0:
        raise SystemExit("bench: --rounds, -n, --async-calls and --concurrency must be >= 1, --warmup >= 0")
    return params


def choose_clients(args: argparse.Namespace) -> list[str]:
    names = list(CLIENTS) if not args.clients else [n.strip() for n in args.clients.split(",") if n.strip()]
    unknown = [n for n in names if n not in CLIENTS]
    if unknown:
        raise SystemExit(f"bench: unknown client(s) {', '.join(unknown)}; choose from {', '.join(CLIENTS)}")
    if "twilio" in names and importlib.util.find_spec("twilio") is None:
        print("bench: twilio is not installed (pip install -e '.[bench]'); skipping it", file=sys.stderr)
        names.remove("twilio")
    return names


def run(args: argparse.Namespace) -> int:
    params, names = choose_params(args), choose_clients(args)
    packages = [p for p in PACKAGES if p != "twilio" or "twilio" in names]
    project_id, api_token = str(uuid.uuid4()), secrets.token_urlsafe(24)
    started = time.monotonic()
    source = source_state()
    print(describe_source(source), flush=True)
    with bench_server(project_id, api_token, max_seconds=900) as port:
        base = WorkerConfig(port, project_id, api_token, str(uuid.uuid4()), str(uuid.uuid4()))
        print(f"bench server on 127.0.0.1:{port}; {params}", flush=True)
        problems: list[str] = []
        try:
            records = run_rounds(names, params, base)
            with tempfile.TemporaryDirectory(prefix="bench-footprint-") as folder:
                print("  import times (runtime-only venv) ...", flush=True)
                footprint = Footprint.create(Path(folder), packages)
                imports = measure_imports(packages, params.import_runs, footprint)
                print("  peak RSS ...", flush=True)
                rss = measure_rss(packages, params.rss_runs, base, footprint)
            instructions: dict[str, float] = {}
            if args.instructions:
                print("  instructions per call (callgrind) ...", flush=True)
                instructions = measure_instructions(names, base)
        except BenchError as exc:
            print(f"bench: FAILED: {exc}", file=sys.stderr)
            return 1
    problems += [f"{r.client} round {r.round}: {p}" for r in records for p in r.problems]
    return report(args, params, records, imports, rss, instructions, problems, source, time.monotonic() - started)


def report(
    args: argparse.Namespace,
    params: Params,
    records: list[RunRecord],
    imports: dict[str, list[float]],
    rss: dict[str, list[dict[str, float]]],
    instructions: dict[str, float],
    problems: list[str],
    source: dict[str, Any],
    elapsed: float,
) -> int:
    summary = summarize(records)
    cpu_ratios = per_round_ratios(records, "cpu_us_per_call", BASELINE)
    wall_ratios = per_round_ratios(records, "wall_us_per_call", BASELINE)
    rss_kib = {k: [p["maxrss_kib"] for p in v] for k, v in rss.items()}
    import_ratio = paired_ratio(imports, "signalwire_compat", "httpx")
    rss_ratio = paired_ratio(rss_kib, "signalwire_compat", "httpx")
    instruction_ratio = (
        instructions["sw_sync"] / instructions["httpx_sync"]
        if {"sw_sync", "httpx_sync"} <= instructions.keys()
        else None
    )
    targets = evaluate_targets(cpu_ratios, summary, import_ratio, rss_ratio, instruction_ratio)
    total_ok = sum(r.server_ok for r in records)
    server_cpu = sum(r.server_cpu_us_per_request * max(r.server_ok, 1) for r in records) / max(total_ok, 1)

    print(
        f"\nResults: median [min-max] over {params.rounds} rounds; sync runs {params.calls} calls, async runs "
        f"{params.async_calls} calls with {params.concurrency} in flight; ratios are medians of per-round ratios.\n"
    )
    print_client_table(summary, cpu_ratios)
    print(f"\nServer: {server_cpu:.1f} µs CPU per request over {total_ok} requests (its own process).")
    for name, row in summary.items():
        if row["server_busy"].median > 0.5:
            print(f"WARNING: the server was busy {row['server_busy'].median:.0%} of {name}'s time: it may limit it")
    print_footprint(imports, rss)
    print(
        "\nRatios vs raw httpx: import "
        + (import_ratio.show(2) if import_ratio else "-")
        + ", peak RSS "
        + (rss_ratio.show(2) if rss_ratio else "-")
    )
    if instructions:
        print("\nInstructions per call (callgrind, deterministic):")
        for name, count in instructions.items():
            relative = count / instructions["httpx_sync"] if "httpx_sync" in instructions else float("nan")
            print(f"  {CLIENTS[name]:<28} {count / 1000:8.0f} k   {relative:.3f}x raw httpx")
    print_targets(targets)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(
        f"\nCorrectness: {'every result verified and every count matched' if not problems else 'FAILED'}; "
        f"{elapsed:.0f} s in all; JSON in {args.json}"
    )

    document = {
        "meta": {
            "mode": "quick" if args.quick else "full",
            "params": asdict(params),
            "versions": versions(),
            "source": source,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "elapsed_s": elapsed,
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
        "clients": {
            name: {
                "label": CLIENTS[name],
                **{k: asdict(v) for k, v in row.items()},
                "cpu_ratio_vs_httpx_sync": spread_json(cpu_ratios.get(name)),
                "wall_ratio_vs_httpx_sync": spread_json(wall_ratios.get(name)),
            }
            for name, row in summary.items()
        },
        "runs": [asdict(r) for r in records],
        "server_cpu_us_per_request": server_cpu,
        "import_ms": imports,
        "rss_probes": rss,
        "import_ratio_vs_httpx": spread_json(import_ratio),
        "rss_ratio_vs_httpx": spread_json(rss_ratio),
        "instructions_per_call": instructions,
        "instruction_ratio_sw_sync_vs_httpx_sync": instruction_ratio,
        "targets": [asdict(t) for t in targets],
        "correct": not problems,
        "problems": problems,
    }
    Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if problems:
        return 1
    return 3 if args.strict and any(t.verdict == "FAIL" for t in targets) else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker_main(args.worker)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
