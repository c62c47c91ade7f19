"""Bench rows: ``media.session`` under load. Bidirectional streams into one aiohttp app process
(``bench.session_app``), each receiving the caller's 20 ms frames and playing 8 kHz audio back
continuously; FakeSpace in this process places the calls, starts staggered over a second.

    .venv/bin/python -m scripts.bench.session [--sessions 100] [--seconds 10]
    (make bench reports it as the "session" group)

Measured, per size: the jitter of the app's outgoing frames as FakeSpace receives them (after the
first ``media.LEAD_MS`` of each play, sent at once: each frame's offset from a 20 ms schedule, and
frames that came after they were due to play); the app process's CPU per stream-second, against the
hand-written loop (``--mode loop``: json + base64 + μ-law table + send, no session) in the same run;
the delay from the aiohttp adapter's receive to the app's ``async for``; and, beside them, the cost
of resampling a 20 ms frame. Goals at 100 sessions: jitter p99 <= 20 ms, CPU <= 1.5x the loop,
receive -> ``async for`` p99 <= 5 ms.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.bench.config import Params, child_env
from scripts.bench.rows import RowGroup, rows_from_dict
from scripts.bench.stats import Target
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeSpace

FRAME = 0.02
LEAD_FRAMES = media.LEAD_MS // 20
VOICE_URL = "http://bench-agent.test/voice"


def _voice_app(ws_url: str) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        response = cxml.VoiceResponse()
        response.connect().stream(url=ws_url)
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [str(response).encode()]

    return app


class _Arrivals:
    """When FakeSpace read each app ``media`` message, per stream (its reader parses every message)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._original = media.parse_app_message

    def __enter__(self) -> _Arrivals:
        def timed(message: str | bytes | bytearray) -> media.AppMessage:
            parsed = self._original(message)
            if isinstance(parsed, media.AppMedia):
                with self._lock:
                    self.times.setdefault(parsed.stream_sid, []).append(time.monotonic())
            return parsed

        media.parse_app_message = timed
        return self

    def __exit__(self, *exc_info: object) -> None:
        media.parse_app_message = self._original


def _percentiles(values: list[float], scale: float = 1000.0) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"p50": 0.0, "p99": 0.0, "max": 0.0}

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * scale

    return {"p50": round(at(0.5), 2), "p99": round(at(0.99), 2), "max": round(ordered[-1] * scale, 2)}


def _jitter(arrivals: dict[str, list[float]]) -> dict[str, Any]:
    offsets: list[float] = []
    late = frames = 0
    for times in arrivals.values():
        frames += len(times)
        steady = times[LEAD_FRAMES:]  # the lead went at once; then one frame per SignalWire tick
        if not steady:
            continue
        offsets += [abs(t - (steady[0] + k * FRAME)) for k, t in enumerate(steady)]
        # Frame k plays at the first frame's arrival + k * 20 ms (if none came late before it).
        late += sum(1 for k, t in enumerate(times) if t > times[0] + k * FRAME)
    return {"offset_ms": _percentiles(offsets), "late_frames": late, "frames": frames}


def run(mode: str, sessions: int, seconds: float) -> dict[str, Any]:
    """One run: the app process in ``mode``, ``sessions`` calls placed over a second, held ``seconds``."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "app.json"
        command = [sys.executable, "-m", "scripts.bench.session_app", "--mode", mode, "--out", str(out)]
        app = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=child_env())
        try:
            assert app.stdout is not None
            assert app.stdin is not None
            port = int(app.stdout.readline())
            space = FakeSpace(callback_app=_voice_app(f"ws://127.0.0.1:{port}/media"))
            with _Arrivals() as arrivals, space:
                cpu, wall = time.process_time(), time.monotonic()
                calls = []
                for n in range(sessions):  # staggered over one second
                    calls.append(space.incoming_call(VOICE_URL))
                    time.sleep(max(0.0, wall + (n + 1) / sessions - time.monotonic()))
                time.sleep(seconds)  # the measured run: both processes work meanwhile
                for call in calls:
                    call.hangup()
                for call in calls:
                    call.wait_until_ended(timeout=30)
                fake_cpu = (time.process_time() - cpu) / (time.monotonic() - wall)
            app.stdin.close()
            app.wait(timeout=60)
            measured = json.loads(out.read_text())
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
    connected = len(arrivals.times) if mode == "session" else sessions
    return {
        "mode": mode,
        "sessions": sessions,
        "connected": connected,
        "jitter": _jitter(arrivals.times),
        "cpu_us_per_stream_second": round(1e6 * measured["cpu_seconds"] / max(measured["stream_seconds"], 1e-9), 1),
        "receive_to_async_for_ms": _percentiles(measured["delays"]),
        "frames_in": measured["frames_in"],
        "fakespace_cpu_percent": round(100 * fake_cpu, 1),
    }


def resampling_cost(rounds: int = 2000) -> dict[str, float]:
    """µs to resample one 20 ms frame, streaming, for the conversions a voice agent does."""
    costs = {}
    for source, target in ((24000, 8000), (16000, 8000), (8000, 16000), (8000, 24000)):
        resampler = media.Resampler(source, target)
        frame = bytes(2 * source // 50)
        started = time.process_time()
        for _ in range(rounds):
            resampler.resample(frame)
        costs[f"{source // 1000}k->{target // 1000}k"] = round(1e6 * (time.process_time() - started) / rounds, 2)
    return costs


def measure_sessions(sizes: list[int], seconds: float) -> dict[str, Any]:
    results: dict[str, Any] = {"sizes": {}, "resampling_us_per_frame": resampling_cost()}
    for size in sizes:
        session, loop = run("session", size, seconds), run("loop", size, seconds)
        results["sizes"][size] = {"session": session, "loop": loop}
    return results


def session_group(params: Params) -> RowGroup:
    """100 sessions (targets), then 200 and 500 (reported); 20 sessions for 3 s in a quick run."""
    quick = params.rounds <= 2
    measured = measure_sessions([20] if quick else [100, 200, 500], 3.0 if quick else 10.0)
    rows: dict[str, dict[str, Any]] = {}
    for size, both in measured["sizes"].items():
        session, loop = both["session"], both["loop"]
        rows[f"{size} sessions"] = {
            "out jitter p99 ms": session["jitter"]["offset_ms"]["p99"],
            "late frames": session["jitter"]["late_frames"],
            "CPU us/stream-s": session["cpu_us_per_stream_second"],
            "loop CPU us/stream-s": loop["cpu_us_per_stream_second"],
            "CPU vs loop": round(session["cpu_us_per_stream_second"] / loop["cpu_us_per_stream_second"], 2),
            "recv->async for p99 ms": session["receive_to_async_for_ms"]["p99"],
            "FakeSpace CPU %": session["fakespace_cpu_percent"],
        }
    for conversion, cost in measured["resampling_us_per_frame"].items():
        rows[f"resample 20 ms {conversion} (us)"] = {"CPU us/stream-s": cost}
    first = rows[f"{next(iter(measured['sizes']))} sessions"]
    size = next(iter(measured["sizes"]))
    targets = [
        Target(
            f"media.session, {size} sessions: outgoing frame jitter p99 <= 20 ms",
            "PASS" if first["out jitter p99 ms"] <= 20 else "FAIL",
            f"{first['out jitter p99 ms']} ms, {first['late frames']} late frames",
        ),
        Target(
            f"media.session, {size} sessions: CPU per stream-second <= 1.5x the hand-written loop",
            "PASS" if first["CPU vs loop"] <= 1.5 else "FAIL",
            f"{first['CPU vs loop']}x ({first['CPU us/stream-s']} vs {first['loop CPU us/stream-s']} us)",
        ),
        Target(
            f"media.session, {size} sessions: adapter receive -> async for p99 <= 5 ms",
            "PASS" if first["recv->async for p99 ms"] <= 5 else "FAIL",
            f"{first['recv->async for p99 ms']} ms",
        ),
    ]
    return rows_from_dict("session", "media.session under load", rows, label="run", digits=2, targets=targets)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sessions", type=int, nargs="+", default=[100])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(json.dumps(measure_sessions(args.sessions, args.seconds), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
