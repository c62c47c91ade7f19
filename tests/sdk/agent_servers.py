"""One voice agent, served over loopback through each of the media session's adapters.

``Agent.run(session)`` is the app: it greets, then answers key presses (1: barge-in, 2: send DTMF back,
3: a goodbye and a hang-up). Each server (aiohttp, Starlette/FastAPI on uvicorn, websockets) runs
it for every WebSocket at ``/media``, on its own thread and event loop, and stops when its ``with``
block ends; every wait here is bounded.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

import attrs
import pytest

import signalwire_compat as sw
from signalwire_compat import media

TOKEN = "agent-bearer-token"
GREETING_RATE = 16000  # the agent's audio is 16 kHz: the session resamples it for an 8 kHz PCMU stream


def tone(seconds: float, rate: int = GREETING_RATE, level: int = 8000) -> bytes:
    """A square-ish tone of ``seconds``, 16-bit little-endian (its value only needs to be audible)."""
    count = round(seconds * rate)
    return struct.pack(f"<{count}h", *((level if (n // 20) % 2 else -level) for n in range(count)))


@attrs.define
class Record:
    """What the agent saw on one connection (read from the test's thread under ``Agent.changed``)."""

    start: media.Start
    greeting: media.Played | media.Cleared | None = None
    goodbye: media.Played | media.Cleared | None = None
    digits: list[str] = attrs.Factory(list)
    audio: int = 0  # Audio events
    audio_rates: set[int] = attrs.Factory(set)
    ended: media.Ended | None = None
    tasks_left: int | None = None  # the loop's tasks after the block, less those before it
    hang_up_error: str | None = None


class Agent:
    """The voice agent under test: the same code behind every adapter."""

    def __init__(self, *, greeting_seconds: float = 2.0, client: sw.AsyncClient | None = None) -> None:
        self.greeting = tone(greeting_seconds)
        self.client = client
        self.records: list[Record] = []
        self.changed = threading.Condition()

    def _update(self, change: Callable[[], None]) -> None:
        with self.changed:
            change()
            self.changed.notify_all()

    def wait(self, done: Callable[[list[Record]], bool], timeout: float = 10.0) -> list[Record]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not done(self.records):
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; records: {self.records}"
                self.changed.wait(left)
            return list(self.records)

    async def _outcome(self, record: Record, name: str, playback: media.Playback) -> None:
        outcome = await playback
        self._update(lambda: setattr(record, name, outcome))

    async def run(self, session: media.MediaSession[Any]) -> None:
        record = Record(start=session.start)
        self._update(lambda: self.records.append(record))
        watchers = [asyncio.create_task(self._outcome(record, "greeting", session.play(self.greeting, rate=16000)))]
        async for event in session:
            if isinstance(event, media.Audio):
                record.audio += 1
                record.audio_rates.add(event.rate)
            elif isinstance(event, media.Dtmf):
                self._update(lambda digit=event.digit: record.digits.append(digit))
                if event.digit == "1":
                    await session.clear()
                elif event.digit == "2":
                    await session.send_dtmf("12#")
                elif event.digit == "3":
                    goodbye = session.play(tone(0.3), rate=16000)
                    watchers.append(asyncio.create_task(self._outcome(record, "goodbye", goodbye)))
                    try:
                        await session.hang_up(after_playout=True)
                    except Exception as error:  # noqa: BLE001 - recorded for the test to read
                        self._update(lambda error=error: setattr(record, "hang_up_error", repr(error)))
        await asyncio.gather(*watchers)
        self._update(lambda: setattr(record, "ended", session.ended))


def _count_new_tasks(before: set[asyncio.Task[Any]]) -> int:
    current = asyncio.current_task()
    return len([task for task in asyncio.all_tasks() if task not in before and task is not current])


async def serve_one(agent: Agent, opened: media.MediaSession[Any]) -> None:
    """Run the agent in the session, then record how many tasks the block left behind."""
    before = asyncio.all_tasks()
    async with opened as session:
        await agent.run(session)
    left = _count_new_tasks(before)
    with agent.changed:
        agent.records[-1].tasks_left = left
        agent.changed.notify_all()


# -- the three servers ------------------------------------------------------------------------------


class AiohttpServer:
    name = "aiohttp"

    def __init__(self, agent: Agent, *, bearer: str = TOKEN) -> None:
        from aiohttp import web

        from scripts.loopback_app import LoopbackServer

        async def handler(request: web.Request) -> web.StreamResponse:
            opened = media.session(request, bearer=bearer, client=agent.client)
            await serve_one(agent, opened)
            return opened.websocket

        self._server = LoopbackServer([web.get("/media", handler)], name="agent-aiohttp", timeout=5)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self._server.port}/media"

    def __enter__(self) -> AiohttpServer:
        self._server.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.__exit__(*exc_info)


class StarletteServer:
    """FastAPI on uvicorn (its websockets-sansio protocol), on a socket bound before the thread starts."""

    name = "starlette"

    def __init__(self, agent: Agent, *, bearer: str = TOKEN) -> None:
        import uvicorn
        from fastapi import FastAPI, WebSocket

        async def handler(websocket: WebSocket) -> None:
            await serve_one(agent, media.session(websocket, bearer=bearer, client=agent.client))

        # This module's annotations are strings (PEP 563) FastAPI would look up in its globals: give it the class.
        handler.__annotations__ = {"websocket": WebSocket, "return": None}
        app = FastAPI()
        app.add_api_websocket_route("/media", handler)

        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", ws="websockets-sansio", timeout_graceful_shutdown=2
        )
        self._server = uvicorn.Server(config)
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen()  # connections wait in the backlog until uvicorn accepts them
        self.port = self._socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/media"

    def __enter__(self) -> StarletteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()
        assert not self._thread.is_alive()


class WebsocketsServer:
    name = "websockets"

    def __init__(self, agent: Agent, *, bearer: str = TOKEN, check_before_upgrade: bool = True) -> None:
        from websockets.asyncio.server import ServerConnection, serve

        async def handler(connection: ServerConnection) -> None:
            await serve_one(agent, media.session(connection, bearer=bearer, client=agent.client))

        self._serve = lambda: serve(
            handler,
            "127.0.0.1",
            0,
            process_request=media.process_request(bearer=bearer) if check_before_upgrade else None,
        )
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="agent-websockets", daemon=True)
        self._server: Any = None
        self.port = 0

    async def _start(self) -> None:
        self._server = await self._serve()
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        self._server.close()
        await self._server.wait_closed()

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/media"

    def __enter__(self) -> WebsocketsServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(5)
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(5)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(5)
            self.loop.close()


SERVERS = [AiohttpServer, StarletteServer, WebsocketsServer]
# uvicorn's start and graceful stop make the Starlette runs the slow ones: make quick runs the other two.
SERVER_PARAMS = [
    pytest.param(server, id=server.name, marks=[pytest.mark.slow] if server is StarletteServer else [])
    for server in SERVERS
]
