"""A small app on loopback for FakeSpace's media tests: a voice webhook, a WebSocket, a status callback route.

It runs aiohttp.web on its own thread and event loop, records what each route received, and stops
when its ``with`` block ends (every wait in it is bounded).
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

import signalwire_compat as sw
from scripts.loopback_app import LoopbackServer
from signalwire_compat import media


class Connection:
    """One WebSocket connection the app accepted: the messages it got, parsed, and a way to answer."""

    def __init__(self, ws: web.WebSocketResponse, headers: dict[str, str], loop: asyncio.AbstractEventLoop) -> None:
        self.ws, self.headers, self._loop = ws, headers, loop
        self.messages: list[media.Message] = []
        self.texts: list[str] = []  # as received, before parsing
        self.closed = threading.Event()
        self._changed = threading.Condition()

    def _add(self, text: str) -> None:
        with self._changed:
            self.texts.append(text)
            self.messages.append(media.parse(text))
            self._changed.notify_all()

    def wait_for(self, done: Callable[[list[media.Message]], bool], timeout: float = 5.0) -> list[media.Message]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done(self.messages):
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; got {[type(m).__name__ for m in self.messages][-5:]}"
                self._changed.wait(left)
            return list(self.messages)

    def of(self, kind: type[Any]) -> list[Any]:
        with self._changed:
            return [m for m in self.messages if isinstance(m, kind)]

    def send(self, text: str) -> None:
        asyncio.run_coroutine_threadsafe(self.ws.send_str(text), self._loop).result(5)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.ws.close(), self._loop).result(5)


class MediaApp:
    """``/voice`` answers ``cxml`` (a str, or a function of the app's base ws:// URL); ``/audio`` is the
    WebSocket (``token`` required if given); ``/status`` verifies and parses stream status callbacks."""

    def __init__(
        self,
        signing_key: str,
        *,
        cxml: str | Callable[[str], str] = "",
        token: str | None = None,
        tls: ssl.SSLContext | None = None,  # serve https:// and wss:// with this server context
    ) -> None:
        self.signing_key, self.cxml, self.token, self.tls = signing_key, cxml, token, tls
        self.connections: list[Connection] = []
        self.callbacks: list[sw.StreamStatusCallback] = []
        self.voice_requests: list[dict[str, str]] = []
        self.voice_signatures: list[tuple[str, bytes, Any]] = []  # url, body, headers
        self.refused_signatures = 0
        self._changed = threading.Condition()
        routes = [
            web.post("/voice", self._voice),
            web.get("/voice", self._voice),
            web.post("/status", self._status),
            web.get("/audio", self._audio),
        ]
        self._server = LoopbackServer(
            routes,
            name="media-app",
            ssl_context=self.tls,
            before_stop=self._close_connections,
            timeout=5,
            shutdown_timeout=0.05,  # its WebSockets are closed by then: no handler has anything left to finish
        )

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}/audio"

    async def _voice(self, request: web.Request) -> web.Response:
        form = dict(request.query) if request.method == "GET" else dict(await request.post())
        if self.signing_key:  # else the test checks the signature later (``voice_signatures``)
            sw.webhooks.verify_request(self.signing_key, request=request, body=await request.read())
        with self._changed:
            self.voice_signatures.append((str(request.url), await request.read(), request.headers.copy()))
            self.voice_requests.append({k: str(v) for k, v in form.items()})
        document = self.cxml(self.ws_url) if callable(self.cxml) else self.cxml
        return web.Response(text=document, content_type="text/xml")

    async def _status(self, request: web.Request) -> web.Response:
        try:
            parsed = sw.webhooks.stream_status_from_request(
                self.signing_key, request=request, body=await request.read()
            )
        except sw.InvalidSignatureError:
            self.refused_signatures += 1
            return web.Response(status=403)
        with self._changed:
            self.callbacks.append(parsed)
            self._changed.notify_all()
        return web.Response(status=204)

    async def _audio(self, request: web.Request) -> web.StreamResponse:
        if self.token is not None and not media.check_bearer(request.headers, self.token):
            return web.Response(status=401)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        connection = Connection(ws, dict(request.headers), self._server.loop)
        with self._changed:
            self.connections.append(connection)
            self._changed.notify_all()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                connection._add(message.data)
        connection.closed.set()
        return ws

    def wait_for_connection(self, index: int = 0, timeout: float = 5.0) -> Connection:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.connections) <= index:
                left = deadline - time.monotonic()
                assert left > 0, "no WebSocket connection"
                self._changed.wait(left)
            return self.connections[index]

    def wait_for_callbacks(self, count: int, timeout: float = 5.0) -> list[sw.StreamStatusCallback]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.callbacks) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.callbacks)} of {count} callbacks: {self.callbacks}"
                self._changed.wait(left)
            return list(self.callbacks)

    @property
    def port(self) -> int:
        return self._server.port

    async def _close_connections(self) -> None:
        for connection in self.connections:  # closed first: aiohttp's cleanup would wait on them
            if not connection.ws.closed:  # a second close() waits for a close frame that never comes
                await connection.ws.close()

    def __enter__(self) -> MediaApp:
        self._server.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.__exit__(*exc_info)
