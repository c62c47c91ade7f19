"""Bench row: FakeSpace pacing N concurrent media streams in real time, and the jitter of their frames.

    .venv/bin/python -m scripts.bench.fakespace [--streams 20] [--seconds 5]
    (make bench reports it as the "fakespace" group)

Each stream is started over REST (the SDK's Client) to an aiohttp WebSocket server on 127.0.0.1 that
stamps every ``media`` frame on arrival. Jitter is how far a frame arrives from its stream's ideal
20 ms schedule (anchored at its first frame), and, separately, how far each gap between two frames is
from 20 ms. Goal: p99 <= 20 ms for 20 streams.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from typing import Any

from aiohttp import WSMsgType, web

from scripts.bench.config import Params
from scripts.bench.rows import RowGroup, rows_from_dict
from scripts.bench.stats import Target
from scripts.loopback_app import LoopbackServer
from signalwire_compat import media
from signalwire_compat.testing import FakeSpace

CALL = "1c4a6c7e-0000-4a4a-8b8b-{:012d}"
FRAME = 0.02


class _Receiver:
    """A WebSocket server on its own thread: arrival times of each stream's media frames."""

    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = {}
        self._server = LoopbackServer([web.get("/audio/{n}", self._audio)], name="bench-receiver")

    async def _audio(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        n = request.match_info["n"]
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                frame = media.parse(message.data)
                if isinstance(frame, media.Media):  # each track is paced on its own schedule
                    self.arrivals.setdefault(f"{n}/{frame.track}", []).append(time.monotonic())
        return ws

    @property
    def port(self) -> int:
        return self._server.port

    def __enter__(self) -> _Receiver:
        self._server.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.__exit__(*exc_info)


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    return {"p50_ms": round(at(0.5), 2), "p99_ms": round(at(0.99), 2), "max_ms": round(ordered[-1] * 1000, 2)}


def measure_fakespace(streams: int = 20, seconds: float = 5.0) -> dict[str, Any]:
    """Start ``streams`` streams in real time for ``seconds``; frame counts, jitter percentiles, CPU."""
    with _Receiver() as receiver, FakeSpace() as space, space.client() as client:
        cpu, wall = time.process_time(), time.monotonic()
        for n in range(streams):
            client.calls(CALL.format(n)).streams.create(url=f"ws://127.0.0.1:{receiver.port}/audio/{n}", name="bench")
        time.sleep(seconds)  # the measured run: the fake paces every stream meanwhile
        for n in range(streams):
            client.calls(CALL.format(n)).streams("bench").stop()
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    schedule: list[float] = []
    gaps: list[float] = []
    frames = 0
    for times in receiver.arrivals.values():
        frames += len(times)
        schedule += [abs(t - (times[0] + k * FRAME)) for k, t in enumerate(times)]
        gaps += [abs((b - a) - FRAME) for a, b in itertools.pairwise(times)]
    expected = streams * seconds / FRAME
    return {
        "streams": streams,
        "seconds": seconds,
        "streams_connected": len({key.split("/")[0] for key in receiver.arrivals}),
        "frames": frames,
        "frames_expected_about": round(2 * expected),  # both tracks (REST's default track)
        "schedule_jitter": _percentiles(schedule),
        "gap_jitter": _percentiles(gaps),
        "cpu_percent_of_one_core": round(100 * cpu / wall, 1),  # the fake and the receiver together
    }


def fakespace_group(params: Params) -> RowGroup:
    """The FakeSpace pacing rows: 20 streams in real time (5 s; 2 s in a quick run), with the jitter target."""
    measured = measure_fakespace(streams=20, seconds=2.0 if params.rounds <= 2 else 5.0)
    p99 = measured["schedule_jitter"]["p99_ms"]
    connected = measured["streams_connected"] == measured["streams"]
    target = Target(
        "FakeSpace pacing 20 streams in real time: frame jitter p99 <= 20 ms",
        "PASS" if p99 <= 20 and connected else "FAIL",
        f"p99 {p99} ms, {measured['streams_connected']}/{measured['streams']} streams, {measured['frames']} frames",
    )
    rows = {
        "offset from the 20 ms schedule": measured["schedule_jitter"],
        "gap between frames vs 20 ms": measured["gap_jitter"],
    }
    return rows_from_dict(
        "fakespace", "FakeSpace pacing 20 streams (ms)", rows, label="jitter", digits=2, targets=[target]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--streams", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    result = measure_fakespace(streams=args.streams, seconds=args.seconds)
    print(json.dumps(result, indent=2))
    ok = result["schedule_jitter"]["p99_ms"] <= 20 and result["streams_connected"] == args.streams
    print(f"frame jitter p99 {result['schedule_jitter']['p99_ms']} ms (goal <= 20 ms): {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
