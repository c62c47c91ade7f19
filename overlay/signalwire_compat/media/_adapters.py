"""``media.session(websocket)`` over the WebSocket objects apps already have: Starlette/FastAPI's
``WebSocket``, aiohttp's upgrade ``web.Request``, a ``websockets`` server connection.

Each adapter is a few lines over the framework-free core (``_session``); a framework is imported
only when its object is passed in. A wrong bearer refuses the upgrade where the framework can:
aiohttp answers 401 (the session raises ``web.HTTPUnauthorized``, which aiohttp sends), Starlette
answers 401 where the server has the ASGI denial-response extension (uvicorn does; else the
upgrade is closed with 1008, which the server sends as a 403); ``websockets`` refuses with 401 in
``process_request(bearer=...)``, before the handler, and a handler reached anyway closes with 1008.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, overload

from ._bearer import check_bearer
from ._events import SessionRefusedError
from ._g711 import ByteOrder
from ._session import Channel, MediaSession

if TYPE_CHECKING:
    from aiohttp import web
    from starlette.websockets import WebSocket
    from websockets.asyncio.server import ServerConnection
    from websockets.http11 import Request, Response

    from .._async._client import AsyncClient

__all__ = ["process_request", "session"]

_REFUSED = "the stream's bearer token is missing or wrong"
_POLICY_VIOLATION = 1008


def _framework(websocket: object) -> str:
    modules = {cls.__module__.partition(".")[0] for cls in type(websocket).__mro__}
    for name in ("starlette", "aiohttp", "websockets"):
        if name in modules:
            return name
    return ""


# -- Starlette / FastAPI ------------------------------------------------------------------------------


class _StarletteOpener:
    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket

    async def open(self, bearer: str | None) -> Channel:
        if bearer is not None and not check_bearer(self.websocket.headers, bearer):
            from starlette.exceptions import HTTPException, WebSocketException

            if "websocket.http.response" in self.websocket.scope.get("extensions", {}):
                raise HTTPException(401, _REFUSED)  # Starlette sends it as the upgrade's answer
            raise WebSocketException(_POLICY_VIOLATION, _REFUSED)  # closed before accept: the server's 403
        await self.websocket.accept()
        return _StarletteChannel(self.websocket)


class _StarletteChannel:
    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket
        self.close_code: int | None = None

    async def receive(self) -> str | None:
        while self.close_code is None:
            message = await self._websocket.receive()
            if message["type"] == "websocket.disconnect":
                self.close_code = int(message.get("code", 1005))
            elif message.get("text") is not None:
                return str(message["text"])
        return None

    async def send(self, text: str) -> None:
        await self._websocket.send({"type": "websocket.send", "text": text})

    async def close(self, code: int) -> None:
        from starlette.websockets import WebSocketState

        if self.close_code is None and self._websocket.application_state == WebSocketState.CONNECTED:
            await self._websocket.close(code)


# -- aiohttp ------------------------------------------------------------------------------------------


class _AiohttpOpener:
    def __init__(self, request: web.Request) -> None:
        from aiohttp import web

        self._request = request
        self.websocket = web.WebSocketResponse(autoping=True)

    async def open(self, bearer: str | None) -> Channel:
        if bearer is not None and not check_bearer(self._request.headers, bearer):
            from aiohttp import web

            raise web.HTTPUnauthorized(text=_REFUSED)  # aiohttp answers the upgrade with it
        await self.websocket.prepare(self._request)
        return _AiohttpChannel(self.websocket)


class _AiohttpChannel:
    def __init__(self, websocket: web.WebSocketResponse) -> None:
        self._websocket = websocket
        self.close_code: int | None = None

    async def receive(self) -> str | None:
        from aiohttp import WSMsgType

        while True:
            message = await self._websocket.receive()
            if message.type == WSMsgType.TEXT:
                return str(message.data)
            if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                self.close_code = self._websocket.close_code
                return None

    async def send(self, text: str) -> None:
        await self._websocket.send_str(text)

    async def close(self, code: int) -> None:
        await self._websocket.close(code=code)


# -- websockets ---------------------------------------------------------------------------------------


class _WebsocketsOpener:
    def __init__(self, connection: ServerConnection) -> None:
        self.websocket = connection

    async def open(self, bearer: str | None) -> Channel:
        request = self.websocket.request
        if bearer is not None and (request is None or not check_bearer(request.headers, bearer)):
            await self.websocket.close(_POLICY_VIOLATION, "bearer token missing or wrong")
            raise SessionRefusedError(f"{_REFUSED}: refuse it before the upgrade with process_request(bearer=...)")
        return _WebsocketsChannel(self.websocket)


class _WebsocketsChannel:
    def __init__(self, connection: ServerConnection) -> None:
        self._connection = connection
        self.close_code: int | None = None

    async def receive(self) -> str | None:
        from websockets.exceptions import ConnectionClosed

        while True:
            try:
                message = await self._connection.recv()
            except ConnectionClosed as closed:
                self.close_code = closed.rcvd.code if closed.rcvd is not None else 1006
                return None
            if isinstance(message, str):
                return message

    async def send(self, text: str) -> None:
        await self._connection.send(text)

    async def close(self, code: int) -> None:
        await self._connection.close(code)


def process_request(*, bearer: str) -> Callable[[ServerConnection, Request], Response | None]:
    """For ``websockets.asyncio.server.serve(handler, process_request=media.process_request(bearer=TOKEN))``:
    an upgrade without ``Authorization: Bearer TOKEN`` is answered 401 and never reaches the handler."""
    check_bearer({}, bearer)  # an empty token fails here, when the server is set up

    def refuse_without_bearer(connection: ServerConnection, request: Request) -> Response | None:
        if check_bearer(request.headers, bearer):
            return None
        from http import HTTPStatus

        return connection.respond(HTTPStatus.UNAUTHORIZED, _REFUSED + "\n")

    return refuse_without_bearer


# -- the entry point ----------------------------------------------------------------------------------


@overload
def session(
    websocket: web.Request,
    *,
    bearer: str | None = None,
    client: AsyncClient | None = None,
    receive_rate: int | None = None,
    byteorder: ByteOrder = "little",
) -> MediaSession[web.WebSocketResponse]: ...


@overload
def session(
    websocket: WebSocket,
    *,
    bearer: str | None = None,
    client: AsyncClient | None = None,
    receive_rate: int | None = None,
    byteorder: ByteOrder = "little",
) -> MediaSession[WebSocket]: ...


@overload
def session(
    websocket: ServerConnection,
    *,
    bearer: str | None = None,
    client: AsyncClient | None = None,
    receive_rate: int | None = None,
    byteorder: ByteOrder = "little",
) -> MediaSession[ServerConnection]: ...


def session(
    websocket: Any,
    *,
    bearer: str | None = None,
    client: AsyncClient | None = None,
    receive_rate: int | None = None,
    byteorder: ByteOrder = "little",
) -> MediaSession[Any]:
    """A media session over ``websocket``: ``async with media.session(ws, bearer=TOKEN) as session``.

    ``websocket`` is Starlette/FastAPI's ``WebSocket`` before ``accept()``, aiohttp's upgrade
    ``web.Request`` (return ``session.websocket`` from the handler) or a ``websockets`` server
    connection. ``bearer``: the stream's ``authBearerToken``, checked in constant time before the
    upgrade is accepted. ``client``: an ``sw.AsyncClient`` for ``hang_up``. ``receive_rate``: the
    rate of the ``Audio`` events (default: the stream's; another needs the ``audio`` extra).
    ``byteorder``: L16 payloads' byte order (little-endian, as SignalWire sends them).
    """
    opener: Any
    kind = _framework(websocket)
    if kind == "starlette":
        opener = _StarletteOpener(websocket)
    elif kind == "aiohttp":
        from aiohttp import web

        if not isinstance(websocket, web.Request):
            raise TypeError("with aiohttp, pass the handler's web.Request: the session prepares the WebSocketResponse")
        opener = _AiohttpOpener(websocket)
    elif kind == "websockets":
        opener = _WebsocketsOpener(websocket)
    else:
        raise TypeError(
            "websocket must be Starlette/FastAPI's WebSocket, aiohttp's web.Request or a websockets "
            f"ServerConnection, not {type(websocket).__name__}"
        )
    return MediaSession(opener, bearer=bearer, client=client, receive_rate=receive_rate, byteorder=byteorder)
