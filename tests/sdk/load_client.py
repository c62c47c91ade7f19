"""Child process for tests/sdk/test_load.py: stop many streams with the async client, report figures.

Reads the space URL and credentials from the environment (as users do) and the stream list from
stdin (``call|conference PARENT SID`` lines); prints one JSON object with counts, timings, and this
process's RSS and open file descriptors at the start, after a warm-up, and at the end.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import sys
import time

import signalwire_compat as sw

IN_FLIGHT = int(os.environ.get("LOAD_IN_FLIGHT", "100"))
WARM_UP = 200


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def stop_all(client: sw.AsyncClient, jobs: list[tuple[str, str, str]], errors: list[str]) -> int:
    queue = list(reversed(jobs))
    stopped = 0

    async def worker() -> None:
        nonlocal stopped
        while queue:
            kind, parent, sid = queue.pop()
            try:
                if kind == "call":
                    result: sw.CallStream | sw.ConferenceStream = await client.calls(parent).streams(sid).stop()
                else:
                    result = await client.conferences(parent).streams(sid).stop()
            except sw.SignalWireError as error:
                errors.append(f"{type(error).__name__}: {error}")
            else:
                stopped += result.status == "stopped"

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return stopped


async def main() -> dict[str, object]:
    jobs = [tuple(line.split()) for line in sys.stdin.read().splitlines() if line.strip()]
    start = {"rss_mb": rss_mb(), "fds": fds()}
    errors: list[str] = []
    async with sw.AsyncClient(max_retries=0) as client:
        stopped = await stop_all(client, jobs[:WARM_UP], errors)  # type: ignore[arg-type]
        gc.collect()
        warm = {"rss_mb": rss_mb(), "fds": fds()}
        started, cpu = time.perf_counter(), time.process_time()
        stopped += await stop_all(client, jobs[WARM_UP:], errors)  # type: ignore[arg-type]
        elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu
    gc.collect()
    end = {"rss_mb": rss_mb(), "fds": fds()}
    return {
        "stops": len(jobs),
        "stopped": stopped,
        "errors": errors[:20],
        "error_count": len(errors),
        "seconds": elapsed,
        "cpu_seconds": cpu_used,
        "measured_stops": len(jobs) - WARM_UP,
        "start": start,
        "warm": warm,
        "end": end,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
