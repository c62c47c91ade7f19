"""Reading a media stream's first messages, ``connected`` and ``start``, from an ASGI WebSocket.

Framework-free: anything with Starlette's ``async receive() -> ASGI message`` works (FastAPI's and
Starlette's ``WebSocket``, which pipecat's FastAPI transport uses). Every failure is a
``MediaProtocolError`` naming what arrived instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Protocol

from .. import media
from .._exceptions import MediaProtocolError

__all__ = ["ASGIWebSocket", "read_start"]

# SignalWire sends `connected`, then `start`; a few unknown events before them are tolerated.
_MAX_BEFORE_START = 4


class ASGIWebSocket(Protocol):
    """What ``read_start`` needs of a WebSocket: Starlette's ``receive`` (an ASGI message dict)."""

    async def receive(self) -> Mapping[str, Any]: ...


# A default bound on the handshake (the callers' own asyncio.timeout works too): SignalWire sends both at once.
async def read_start(websocket: ASGIWebSocket, *, timeout: float = 10.0) -> media.Start:  # noqa: ASYNC109
    """Read ``connected`` and ``start`` from an accepted WebSocket; the typed ``start`` (stream and call sids,
    custom parameters, ``media_format`` with the codec and sample rate).

    Call it after ``await websocket.accept()`` and before handing the WebSocket to pipecat's transport.
    ``MediaProtocolError`` if the socket closes, sends media first, sends something unreadable, or sends no
    ``start`` within ``timeout`` seconds.
    """
    if not callable(getattr(websocket, "receive", None)):
        raise TypeError(
            f"websocket must have an async receive() (Starlette's WebSocket), not {type(websocket).__name__}"
        )
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    try:
        async with asyncio.timeout(timeout):
            return await _read(websocket)
    except TimeoutError:
        raise MediaProtocolError(f"no 'start' message within {timeout:g} s of reading the WebSocket") from None


async def _read(websocket: ASGIWebSocket) -> media.Start:
    seen: list[str] = []
    for _ in range(_MAX_BEFORE_START + 1):
        message = await websocket.receive()
        kind = message.get("type")
        if kind == "websocket.connect":
            raise MediaProtocolError("the WebSocket is not accepted yet: await websocket.accept() before read_start")
        if kind == "websocket.disconnect":
            code = message.get("code")
            raise MediaProtocolError(f"the WebSocket closed (code {code}) before 'start'; got {seen or 'nothing'}")
        data = message.get("text")
        if data is None:
            data = message.get("bytes")
        if not isinstance(data, str | bytes):
            raise MediaProtocolError(f"expected a text message before 'start', got an ASGI {kind!r} message")
        parsed = media.parse(data)  # MediaProtocolError names the bad field
        if isinstance(parsed, media.Start):
            return parsed
        if not isinstance(parsed, media.Connected | media.Unknown):
            raise MediaProtocolError(f"expected 'connected' then 'start', got {type(parsed).__name__.lower()!r} first")
        seen.append(parsed.event if isinstance(parsed, media.Unknown) else "connected")
    raise MediaProtocolError(f"no 'start' among the first {_MAX_BEFORE_START + 1} messages: {seen}")
