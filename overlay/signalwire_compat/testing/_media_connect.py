"""Opening one stream's WebSocket as SignalWire does: what the session knows of its stream, the upgrade
(bearer token, TLS unverified unless the space was given a context; or an ASGI app's ``websocket`` scope
in-process), and the ``StreamError`` a failure is."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import attrs

from .._stream_status import StreamError
from ._audio import AudioSource, Codec
from ._loop import LoopThread

if TYPE_CHECKING:
    import aiohttp

    from ._apps import AppRoute
    from ._asgi_websocket import AsgiWebSocket

__all__ = ["CLOSE_TIMEOUT", "Connected", "Ended", "MediaSettings", "connect", "stream_error"]

CLOSE_TIMEOUT = 2.0  # seconds (wall time) the closing handshake waits for the app's close frame

Connected = Callable[[str], None]
"""Told a stream's sid once its WebSocket is up (on the loop thread)."""
Ended = Callable[[str, StreamError | None], None]
"""Told a stream's sid once its session is over, with the ``StreamError`` if it failed (on the loop thread)."""


@attrs.frozen(repr=False)
class MediaSettings:
    """What a session needs to know of its stream (``token`` is a secret: never shown)."""

    sid: str
    account_sid: str
    call_sid: str  # the conference's sid for a conference stream
    url: str
    token: str | None
    track: str
    parameters: Mapping[str, str]
    codec: Codec
    audio: AudioSource
    bidirectional: bool
    ssl_context: ssl.SSLContext | None
    app: AppRoute | None = None  # an ASGI app that takes this WebSocket in-process (None: a loopback socket)

    def __repr__(self) -> str:
        return f"MediaSettings(sid={self.sid!r}, url={self.url!r}, bidirectional={self.bidirectional})"


def stream_error(error: BaseException) -> StreamError:
    """SignalWire's ``StreamError`` for why a WebSocket could not be opened."""
    import aiohttp

    from ._loopback import NotLoopbackError

    if isinstance(error, NotLoopbackError):  # e.g. the upgrade redirected off loopback: refused, as no server
        return StreamError.CONNECTION_REFUSED
    if isinstance(error, aiohttp.ClientSSLError | ssl.SSLError | TimeoutError | aiohttp.ServerTimeoutError):
        return StreamError.CONNECTION_REFUSED_TIMEOUT_OR_SSL_ERROR
    if isinstance(error, aiohttp.WSServerHandshakeError | aiohttp.ClientConnectorError | ConnectionError):
        return StreamError.CONNECTION_REFUSED  # no server, or it refused the upgrade (e.g. a 401)
    if isinstance(error, aiohttp.InvalidURL | ValueError):
        return StreamError.INVALID_URL
    return StreamError.GENERAL_ERROR


async def connect(settings: MediaSettings, loop: LoopThread) -> aiohttp.ClientWebSocketResponse | AsgiWebSocket:
    """The stream's WebSocket, upgraded with its bearer token: on the loop's loopback-only session, or to the
    ASGI app that takes its URL, in-process."""
    import aiohttp

    headers = {} if settings.token is None else {"Authorization": f"Bearer {settings.token}"}
    if settings.app is not None:
        from ._asgi_websocket import open_asgi_websocket

        return await open_asgi_websocket(settings.app.app, settings.app.loop, settings.url, headers)
    http = await loop.http()
    return await http.ws_connect(
        settings.url,
        headers=headers,
        ssl=settings.ssl_context or False,  # streamSslValidateCertificate defaults to false
        autoping=True,
        max_msg_size=1024 * 1024,
        timeout=aiohttp.ClientWSTimeout(ws_close=CLOSE_TIMEOUT),
    )
