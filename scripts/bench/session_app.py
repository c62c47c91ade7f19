"""The media-session bench's application process: an aiohttp app whose every WebSocket at ``/media`` is a
bidirectional stream that receives the caller's 20 ms frames and plays 8 kHz audio back continuously.

    python -m scripts.bench.session_app --mode session|loop --out result.json

``session`` runs ``media.session`` (one long play, ``async for`` over the caller's audio); ``loop`` is
the hand-written floor doing the same work with no session (``json`` + ``base64`` + the μ-law table +
``send_str`` for one outgoing frame per incoming one, no pacing model, no marks, no resampling). It
prints its port, serves until stdin closes, then writes what it measured: the process's CPU time
between the first connection and the last disconnection, the stream-seconds served, and (session
mode) the delay from the adapter's receive to the app's ``async for`` for every frame.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import sys
import time
from collections import deque
from typing import Any

from aiohttp import WSMsgType, web

from signalwire_compat import media
from signalwire_compat.media import _adapters

CHUNK = bytes((n * 7919) & 0xFF for n in range(2 * 8000))  # 1 s of 8 kHz 16-bit PCM (noise-like)
FRAME_PCM = 320  # bytes of 16-bit PCM in 20 ms at 8 kHz


class Stats:
    def __init__(self) -> None:
        self.first: float | None = None
        self.cpu_first = 0.0
        self.last = 0.0
        self.cpu_last = 0.0
        self.stream_seconds = 0.0
        self.delays: list[float] = []
        self.frames_in = 0

    def opened(self) -> float:
        now = time.monotonic()
        if self.first is None:
            self.first, self.cpu_first = now, time.process_time()
        return now

    def closed(self, began: float) -> None:
        self.last, self.cpu_last = time.monotonic(), time.process_time()
        self.stream_seconds += self.last - began


STATS = Stats()
RECEIVED = web.AppKey("received", dict[int, deque[float]])


def _timed_channel() -> None:
    """Stamp each text the aiohttp adapter receives, per WebSocket, for the receive -> ``async for`` delay."""
    original = _adapters._AiohttpChannel.receive

    async def receive(self: Any) -> str | None:
        text = await original(self)
        if text is not None and text.startswith('{"event":"media"'):
            STAMPS.setdefault(id(self._websocket), deque()).append(time.perf_counter())
        return text

    _adapters._AiohttpChannel.receive = receive  # type: ignore[method-assign]


STAMPS: dict[int, deque[float]] = {}


async def session_handler(request: web.Request) -> web.StreamResponse:
    opened = media.session(request)
    async with opened as session:
        began = STATS.opened()
        stamps = STAMPS.setdefault(id(session.websocket), deque())
        plays = deque([session.play(CHUNK), session.play(CHUNK)])  # 1 s plays, two queued: never silent
        async for event in session:
            if isinstance(event, media.Audio) and stamps:
                STATS.delays.append(time.perf_counter() - stamps.popleft())
                STATS.frames_in += 1
                if plays[0].done():
                    plays.popleft()
                    plays.append(session.play(CHUNK))
        STATS.closed(began)
    STAMPS.pop(id(session.websocket), None)
    return opened.websocket


async def loop_handler(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    began = STATS.opened()
    stream_sid = ""
    position = 0
    async for message in ws:
        if message.type != WSMsgType.TEXT:
            continue
        data = json.loads(message.data)
        event = data["event"]
        if event == "media":
            media.ulaw_to_pcm16(base64.b64decode(data["media"]["payload"]))
            STATS.frames_in += 1
            frame = media.pcm16_to_ulaw(CHUNK[position : position + FRAME_PCM])
            position = (position + FRAME_PCM) % len(CHUNK)
            payload = base64.b64encode(frame).decode("ascii")
            out = {"event": "media", "streamSid": stream_sid, "media": {"payload": payload}}
            try:
                await ws.send_str(json.dumps(out))
            except ConnectionError:  # FakeSpace closed right after its stop: the call is over
                break
        elif event == "start":
            stream_sid = data["start"]["streamSid"]
        elif event == "stop":
            break
    STATS.closed(began)
    return ws


async def serve(mode: str) -> None:
    if mode == "session":
        _timed_channel()
    app = web.Application()
    app.add_routes([web.get("/media", session_handler if mode == "session" else loop_handler)])
    runner = web.AppRunner(app, shutdown_timeout=2.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, backlog=1024).start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.to_thread(sys.stdin.read)  # until the driver closes our stdin
    await runner.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mode", choices=("session", "loop"), required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.mode))
    cpu = STATS.cpu_last - STATS.cpu_first
    result = {
        "mode": args.mode,
        "cpu_seconds": cpu,
        "stream_seconds": STATS.stream_seconds,
        "frames_in": STATS.frames_in,
        "delays": STATS.delays,
    }
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump(result, file)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
