"""The client rounds: the bench server's process, one worker process per client and round, counts checked."""

from __future__ import annotations

import contextlib
import http.client
import json
import select
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from scripts.bench.config import ASYNC_CLIENTS, BenchError, Params, WorkerConfig, child_env


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
    """Start ``scripts.bench.server`` in its own process, yield its port, and make sure it is gone afterwards."""
    command = [sys.executable, "-m", "scripts.bench.server", "--project-id", project_id]
    command += ["--max-seconds", f"{max_seconds:g}"]
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
    stdout = run_child(["-m", "scripts.bench.worker", name], cfg.to_env(), timeout, f"{name} round {round_number}")
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
