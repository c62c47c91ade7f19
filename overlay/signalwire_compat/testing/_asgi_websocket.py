"""A stream's WebSocket opened to an ASGI app in-process: the app gets the ``websocket`` scope a server would
hand it (path, query, ``Authorization: Bearer``, the denial-response extension) and runs on its own loop;
FakeSpace's side is the part of aiohttp's client WebSocket a stream's session uses, so the session runs the
same over a socket or in-process.

The app's messages are ASGI's: ``websocket.connect`` then ``websocket.receive``/``websocket.disconnect`` to
it; ``websocket.accept``, ``websocket.send``, ``websocket.close`` or a denial (``websocket.http.response.*``)
from it. Closing before accepting, a denial, or the app returning or raising first refuses the upgrade
(``ConnectionRefusedError``, the ``connection_refused`` stream-error a socket's refusal gives).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import aiohttp

from ._apps import asgi_scope
from ._loop import LoopThread

__all__ = ["AsgiWebSocket", "open_asgi_websocket"]

_GOING_AWAY, _INTERNAL_ERROR, _NORMAL = 1001, 1011, 1000
_END = object()  # the app closed (or ended): nothing more to read


def websocket_scope(url: str, headers: Mapping[str, str]) -> dict[str, Any]:
    upgrade = {"connection": "Upgrade", "upgrade": "websocket", "sec-websocket-version": "13"}
    scope = asgi_scope("websocket", url, {**upgrade, **headers})
    scope["subprotocols"] = []  # SignalWire asks for none
    scope["extensions"] = {"websocket.http.response": {}}  # so a refusal can be an HTTP answer (a 401)
    return scope


class AsgiWebSocket:
    """FakeSpace's end of an in-process WebSocket (on its own loop): ``send_str``, ``close``, ``closed`` and
    ``async for message in ws`` (TEXT and BINARY messages, until the app closes), as aiohttp's client has."""

    def __init__(self, loop: asyncio.AbstractEventLoop, to_app: Callable[[dict[str, Any]], None]) -> None:
        self._loop = loop  # FakeSpace's: where the app's messages arrive
        self._to_app = to_app
        self._incoming: asyncio.Queue[Any] = asyncio.Queue()
        self.accepted: asyncio.Future[None] = loop.create_future()
        self.closed = False  # by either side
        self.close_code: int | None = None

    # -- from the app's loop ---------------------------------------------------------------------

    def from_app(self, message: Any) -> None:
        self._loop.call_soon_threadsafe(self._arrived, message)

    def _arrived(self, message: Any) -> None:
        if self.closed:  # by FakeSpace, or the app's close seen already
            return
        if isinstance(message, BaseException | int):  # refused, or the app's close code
            if not self.accepted.done():
                self.accepted.set_exception(message if isinstance(message, BaseException) else _refused(message))
            self.close_code = message if isinstance(message, int) else None
            self.closed = True
            self._incoming.put_nowait(_END)
        elif message is None:
            if not self.accepted.done():
                self.accepted.set_result(None)
        else:
            self._incoming.put_nowait(message)

    # -- FakeSpace's side (its loop) -------------------------------------------------------------

    async def send_str(self, text: str) -> None:
        if self.closed:
            raise ConnectionResetError("the app closed the WebSocket")
        self._to_app({"type": "websocket.receive", "text": text})

    async def close(self) -> bool:
        if self.closed:
            return False
        self.closed = True
        self.close_code = _NORMAL
        self._to_app({"type": "websocket.disconnect", "code": _NORMAL, "reason": ""})
        self._incoming.put_nowait(_END)
        return True

    def __aiter__(self) -> AsyncIterator[aiohttp.WSMessage]:
        return self._messages()

    async def _messages(self) -> AsyncIterator[aiohttp.WSMessage]:
        while (message := await self._incoming.get()) is not _END:
            kind = aiohttp.WSMsgType.TEXT if isinstance(message, str) else aiohttp.WSMsgType.BINARY
            yield aiohttp.WSMessage(kind, message, None)


def _refused(code: int) -> ConnectionRefusedError:
    return ConnectionRefusedError(f"the app closed the WebSocket before accepting it (code {code})")


async def _serve(app: Callable[..., Any], scope: dict[str, Any], client: AsgiWebSocket) -> None:
    """Run the app's WebSocket on its loop, relaying its messages to FakeSpace's end."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    inbox.put_nowait({"type": "websocket.connect"})
    loop = asyncio.get_running_loop()

    def to_app(message: dict[str, Any]) -> None:
        loop.call_soon_threadsafe(inbox.put_nowait, message)

    client._to_app = to_app
    state = {"accepted": False, "closed": False, "disconnected": False}

    async def receive() -> dict[str, Any]:
        message = await inbox.get()
        if message["type"] == "websocket.disconnect":
            state["disconnected"] = True
            inbox.put_nowait(message)  # every later receive() sees it too
        return message

    async def send(message: Mapping[str, Any]) -> None:
        kind = message["type"]
        if state["closed"] or state["disconnected"]:
            raise ConnectionResetError("the WebSocket is closed")
        if kind == "websocket.accept" and not state["accepted"]:
            state["accepted"] = True
            client.from_app(None)
        elif kind == "websocket.send" and state["accepted"]:
            text = message.get("text")
            client.from_app(text if text is not None else bytes(message.get("bytes") or b""))
        elif kind == "websocket.close":
            state["closed"] = True
            client.from_app(int(message.get("code", _NORMAL)))
        elif kind == "websocket.http.response.start" and not state["accepted"]:
            state["closed"] = True
            status = int(message["status"])
            client.from_app(ConnectionRefusedError(f"the app refused the upgrade: HTTP {status}"))
        elif kind != "websocket.http.response.body":
            raise RuntimeError(f"unexpected ASGI message {kind!r} on a WebSocket")

    try:
        await app(scope, receive, send)
    except Exception as error:  # noqa: BLE001 - the app failed: its WebSocket ends, as a server would end it
        ended: BaseException | int = (
            _INTERNAL_ERROR if state["accepted"] else ConnectionRefusedError(f"the app raised {type(error).__name__}")
        )
        client.from_app(ended)
    else:
        client.from_app(_NORMAL if state["accepted"] else ConnectionRefusedError("the app returned without accepting"))
    finally:
        with contextlib.suppress(RuntimeError):  # FakeSpace's loop already closed
            client.from_app(_GOING_AWAY)


async def open_asgi_websocket(
    app: Callable[..., Any], app_loop: LoopThread, url: str, headers: Mapping[str, str]
) -> AsgiWebSocket:
    """Open ``url`` on ``app`` (running on ``app_loop``); returns once the app has accepted."""
    client = AsgiWebSocket(asyncio.get_running_loop(), lambda message: None)
    serving = app_loop.submit(_serve(app, websocket_scope(url, headers), client))
    try:
        await client.accepted
    except BaseException:
        serving.cancel()  # refused, timed out or stopped while connecting: the app's task ends too
        raise
    return client
