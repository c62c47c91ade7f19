"""The user's app on a loopback port for a test (the pytest plugin's ``serve_app``): an aiohttp ``web.Application``
on its own loop thread, or an ASGI app (FastAPI, Starlette) on uvicorn when it is installed. Each stops when
the test ends. An ASGI app needs no port at all when FakeSpace takes it in-process (``callback_app=``).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

from ._apps import is_asgi

__all__ = ["AppServers"]

_TIMEOUT = 10.0  # wall seconds to start or stop a server


class _Aiohttp:
    def __init__(self, app: Any, sock: socket.socket) -> None:
        from aiohttp import web

        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        self._socket = sock
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="serve_app-aiohttp", daemon=True)

    def start(self) -> None:
        from aiohttp import web

        async def start() -> None:
            await self._runner.setup()
            await web.SockSite(self._runner, self._socket).start()

        self._thread.start()
        asyncio.run_coroutine_threadsafe(start(), self._loop).result(_TIMEOUT)

    def stop(self) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(_TIMEOUT)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(_TIMEOUT)
            if not self._thread.is_alive():
                self._loop.close()


class _Uvicorn:
    def __init__(self, app: Any, sock: socket.socket) -> None:
        try:
            import uvicorn
        except ImportError:
            raise RuntimeError(
                "serving an ASGI app on a port needs uvicorn (pip install uvicorn); or take it in-process, with no "
                "port: FakeSpace(callback_app=app) (@pytest.mark.fake_space(callback_app=app))"
            ) from None
        config = uvicorn.Config(app, log_level="warning", lifespan="auto", timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._socket = sock
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="serve_app-uvicorn", daemon=True
        )

    def start(self) -> None:
        self._thread.start()  # connections wait in the socket's backlog until uvicorn accepts them

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(_TIMEOUT)


class AppServers:
    """The apps a test serves: ``serve(app)`` is each one's ``http://127.0.0.1:PORT``; ``close()`` stops them all."""

    def __init__(self) -> None:
        self._servers: list[_Aiohttp | _Uvicorn] = []
        self._sockets: list[socket.socket] = []

    def serve(self, app: Any) -> str:
        """Serve ``app`` (aiohttp's ``web.Application``, or an ASGI app) on 127.0.0.1; its base URL."""
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        self._sockets.append(sock)
        server: _Aiohttp | _Uvicorn
        if type(app).__module__.partition(".")[0] == "aiohttp":
            server = _Aiohttp(app, sock)
        elif callable(app) and is_asgi(app):
            server = _Uvicorn(app, sock)
        else:
            raise TypeError(f"serve_app takes an aiohttp web.Application or an ASGI app, not {type(app).__name__}")
        server.start()
        self._servers.append(server)
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    def close(self) -> None:
        servers, self._servers = self._servers, []
        try:
            for server in reversed(servers):
                server.stop()
        finally:
            for sock in self._sockets:
                sock.close()
