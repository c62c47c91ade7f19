"""An aiohttp application served on 127.0.0.1 from a thread of its own: the demo's app, the bench's receiver."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

__all__ = ["LoopbackServer"]

# Passes of the event loop in which a socket accepted just before is made a connection (an accept task
# makes its transport, which then makes the connection).
ACCEPT_PASSES = 2


class LoopbackServer:
    """``with LoopbackServer(routes) as server:`` serves ``routes`` at ``http://127.0.0.1:{server.port}``.

    ``before_stop`` runs on the server's loop before the shutdown (to close WebSockets the cleanup would
    otherwise wait on); every wait is bounded by ``timeout`` seconds. ``shutdown_timeout`` is aiohttp's
    grace for handlers still finishing when the server stops (a handler whose WebSocket was just closed is
    often still returning: aiohttp then waits out the whole grace).
    """

    def __init__(
        self,
        routes: Sequence[web.RouteDef],
        *,
        name: str,
        ssl_context: ssl.SSLContext | None = None,
        before_stop: Callable[[], Awaitable[None]] | None = None,
        timeout: float = 10.0,
        shutdown_timeout: float = 1.0,
    ) -> None:
        self.port = 0
        self.loop = asyncio.new_event_loop()
        self._routes = list(routes)
        self._ssl_context = ssl_context
        self._before_stop = before_stop
        self._timeout = timeout
        self._shutdown_timeout = shutdown_timeout
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._runner: web.AppRunner | None = None
        self._listener: socket.socket | None = None

    async def _start(self) -> None:
        app = web.Application()
        app.add_routes(self._routes)
        self._runner = web.AppRunner(app, shutdown_timeout=self._shutdown_timeout)
        await self._runner.setup()
        self._listener = socket.create_server(("127.0.0.1", 0))
        await web.SockSite(self._runner, self._listener, ssl_context=self._ssl_context).start()
        self.port = self._runner.addresses[0][1]

    async def _stop(self) -> None:
        if self._before_stop is not None:
            await self._before_stop()
        if self._runner is None:
            return
        # Stop accepting, let what was accepted become connections, then shut down: Python 3.11's asyncio makes a
        # socket accepted just before its server closes no connection and leaves it open, its client waiting
        # for an answer until its own timeout (FakeSpace's callbacks: half a second).
        if self._listener is not None:
            self.loop.remove_reader(self._listener.fileno())
        for _ in range(ACCEPT_PASSES):
            await asyncio.sleep(0)
        await self._runner.cleanup()

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(self._timeout)
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(self._timeout)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(self._timeout)
            self.loop.close()
