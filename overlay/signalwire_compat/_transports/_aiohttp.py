"""AsyncClient's engine: aiohttp, plugged under httpx's transport interface.

aiohttp does the HTTP (connections, TLS, Happy Eyeballs, parsing); this module only translates:
an ``httpx.Request`` into ``ClientSession.request``, the answer into an ``httpx.Response`` whose
body streams from aiohttp, and aiohttp's exceptions into httpx's, so the SDK above sees the same
types from both engines. It adds three things aiohttp does not do for this SDK:

- **no reuse of a connection the server has closed or written to while idle.** aiohttp reuses any
  pooled connection whose transport is open; a server that closed it a moment ago (or wrote a
  stray ``408`` before closing) makes the next request fail or read that stale answer. Each
  connection taken from the pool is checked the way httpcore and urllib3 check theirs (is the
  socket readable while no request is outstanding?) and replaced if so.
- **first come, first served.** aiohttp lets new requests overtake ones waiting for a connection,
  so with more in flight than connections some wait for the whole run; a FIFO semaphore admits
  requests in order.
- **one session per event loop.** A session belongs to the loop it was made on. A client used
  across two ``asyncio.run()`` calls gets a new session on the second loop, and each session is
  closed by its own loop when that loop shuts down (through an async generator, which
  ``asyncio.run`` finalises), so no socket outlives its loop.
"""

from __future__ import annotations

import asyncio
import select
import ssl
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import aiohttp
import httpx
import yarl

from ._deadline import remaining

__all__ = ["AiohttpTransport"]

# aiohttp refuses response heads with lines over 8,190 bytes; httpcore (the sync engine) accepts
# heads up to 100 KiB. Allow the same here so both clients read the same answers.
_MAX_HEAD_LINE = 64 * 1024


class _CheckedConnector(aiohttp.TCPConnector):
    """A TCPConnector that never hands out a pooled connection the server has closed or written to."""

    async def connect(self, req: Any, traces: Any, timeout: Any) -> aiohttp.connector.Connection:  # noqa: ASYNC109 - aiohttp's signature
        for _ in range(self.limit + 1):  # at worst every idle connection is stale, then a new one
            connection = await super().connect(req, traces, timeout)
            if not _is_stale(connection):
                return connection
            connection.close()
        return await super().connect(req, traces, timeout)


def _is_stale(connection: aiohttp.connector.Connection) -> bool:
    protocol, transport = connection.protocol, connection.transport
    if protocol is None or transport is None or getattr(protocol, "should_close", False):
        return True  # closed, or holding bytes that arrived while no request was outstanding
    sock = transport.get_extra_info("socket")
    if sock is None:
        return False
    readable, _, _ = select.select([sock], [], [], 0)  # EOF or unexpected data, not yet processed
    return bool(readable)


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse, admission: asyncio.Semaphore) -> None:
        self._response = response
        self._admission: asyncio.Semaphore | None = admission

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _httpx_error(exc) from exc

    async def aclose(self) -> None:
        # release() returns the connection to the pool only if the body was read to its end.
        self._response.release()
        if self._admission is not None:
            self._admission.release()
            self._admission = None


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx async transport that sends through aiohttp."""

    def __init__(self, *, ssl_context: ssl.SSLContext, proxy: str | None, max_connections: int) -> None:
        self._ssl_context = ssl_context
        self._proxy = proxy
        self._max_connections = max_connections
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: aiohttp.ClientSession | None = None
        self._owner: AsyncGenerator[aiohttp.ClientSession, None] | None = None
        self._admission: asyncio.Semaphore | None = None  # made with each loop's session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session, admission = await self._session_for_this_loop()
        timeouts = request.extensions.get("timeout", {})
        left = remaining(None)
        timeout = aiohttp.ClientTimeout(
            total=left, sock_connect=timeouts.get("connect"), sock_read=timeouts.get("read")
        )
        body = await request.aread()
        if admission.locked():
            try:
                await asyncio.wait_for(admission.acquire(), remaining(timeouts.get("pool")))
            except TimeoutError:
                raise httpx.PoolTimeout("no connection became free within the timeout") from None
        else:
            await admission.acquire()
        try:
            response = await session.request(
                request.method,
                yarl.URL(str(request.url), encoded=True),  # send the URL exactly as httpx built it
                headers=[(name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw],
                data=body or None,
                allow_redirects=False,
                proxy=self._proxy,
                timeout=timeout,
            )
        except BaseException as exc:
            admission.release()
            if isinstance(exc, aiohttp.ClientError | TimeoutError):
                raise _httpx_error(exc) from exc
            raise
        return httpx.Response(
            response.status,
            headers=list(response.raw_headers),
            stream=_ResponseStream(response, admission),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": (response.reason or "").encode("latin-1")},
        )

    async def _session_for_this_loop(self) -> tuple[aiohttp.ClientSession, asyncio.Semaphore]:
        """This event loop's session and admission semaphore (both are bound to one loop)."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._admission is None or self._loop is not loop or self._session.closed:
            owner = self._own_session()
            self._session = await anext(owner)  # never suspends: no other request can interleave
            self._owner, self._loop = owner, loop
            self._admission = asyncio.Semaphore(self._max_connections)
        return self._session, self._admission

    async def _own_session(self) -> AsyncGenerator[aiohttp.ClientSession, None]:
        """Yields this loop's session; closes it when closed itself, or when the loop shuts down."""
        session = aiohttp.ClientSession(
            connector=_CheckedConnector(limit=self._max_connections, ssl=self._ssl_context),
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,  # bodies stay encoded: the SDK decodes them within its size cap
            trust_env=False,  # proxies come from proxy_for; no ~/.netrc credentials
            max_line_size=_MAX_HEAD_LINE,
            max_field_size=_MAX_HEAD_LINE,
        )
        try:
            yield session
        finally:
            await session.close()

    async def aclose(self) -> None:
        owner, self._owner, self._session = self._owner, None, None
        if owner is not None and self._loop is asyncio.get_running_loop():
            await owner.aclose()
            await asyncio.sleep(0)  # let the closed transports release their sockets


def _httpx_error(exc: BaseException) -> httpx.TransportError:
    """The httpx exception for an aiohttp failure. Connect* types mean nothing was sent."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return httpx.ConnectError(f"TLS certificate verification failed: {message}")
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, DNS, TLS handshake, proxy
        return httpx.ConnectError(message)
    if isinstance(exc, aiohttp.ServerTimeoutError | TimeoutError):
        return httpx.ReadTimeout(message if str(exc) else "no complete response within the timeout")
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError("the server closed the connection without sending a complete response")
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError(message)  # a malformed status line, header or body
    if isinstance(exc, aiohttp.ClientOSError):
        return httpx.ReadError(message)  # reset after the request was written
    return httpx.TransportError(message)
