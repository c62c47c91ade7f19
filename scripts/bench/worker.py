"""A worker process: one client, warmed up, then timed over N stops (``python -m scripts.bench.worker NAME``)."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from dataclasses import dataclass

from scripts.bench.clients import ASYNC_FACTORIES, SYNC_FACTORIES, AsyncCall, SyncCall
from scripts.bench.config import CLIENTS, BenchError, WorkerConfig
from scripts.bench.stats import percentile


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


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CLIENTS:
        sys.exit(f"usage: python -m scripts.bench.worker {{{','.join(CLIENTS)}}} (the harness runs it; see bench.cli)")
    sys.exit(worker_main(sys.argv[1]))
