"""The HTTP session of FakeSpace's loop (voice webhooks, media WebSockets): it connects to loopback addresses
only, on every hop, so a redirect an app answers cannot lead it to ``0.0.0.0`` (this host's every
listener) or the network. Imported on first use: it imports aiohttp.
"""

from __future__ import annotations

import aiohttp
from aiohttp.connector import Connection
from aiohttp.tracing import Trace

from .._validation import is_loopback

__all__ = ["NotLoopbackError", "loopback_session"]


class NotLoopbackError(aiohttp.ClientConnectionError):
    """A connection FakeSpace does not open: its host is not a loopback address."""


class _LoopbackConnector(aiohttp.TCPConnector):
    async def connect(
        self,
        req: aiohttp.ClientRequest,
        traces: list[Trace],
        timeout: aiohttp.ClientTimeout,
    ) -> Connection:
        if not is_loopback(req.url.host or ""):
            raise NotLoopbackError(f"{req.url} is not a loopback address: a FakeSpace connects to loopback only")
        return await super().connect(req, traces, timeout)


def loopback_session(connect_timeout: float) -> aiohttp.ClientSession:
    """No proxies (loopback only), no cookies kept, a new connection per request."""
    return aiohttp.ClientSession(
        trust_env=False,
        cookie_jar=aiohttp.DummyCookieJar(),
        connector=_LoopbackConnector(limit=0, force_close=True),
        timeout=aiohttp.ClientTimeout(total=None, connect=connect_timeout, sock_connect=connect_timeout),
    )
