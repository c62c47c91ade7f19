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
import math
import select
import ssl
import weakref
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import aiohttp
import httpx
import yarl

from ._deadline import remaining
from ._fork import abandon, register

__all__ = ["MAX_HEADERS", "MAX_HEAD_LINE", "AiohttpTransport", "client_timeout"]

# aiohttp refuses response heads with lines over 8,190 bytes or more than 128 header lines; httpcore
# (the sync engine) accepts any head up to 100 KiB. These limits let aiohttp read every head httpcore
# reads, as far as a per-line and per-count limit can (aiohttp has no limit on a head as a whole).
MAX_HEAD_LINE = 100 * 1024
MAX_HEADERS = 1024


class _CheckedConnector(aiohttp.TCPConnector):
    """A TCPConnector that never hands out a pooled connection the server has closed or written to.

    Only connections handed out before are checked: a brand-new one has had no idle time, and
    checking it would replace it over and over against a server that closes on accept.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handed_out: weakref.WeakSet[Any] = weakref.WeakSet()

    async def connect(self, req: Any, traces: Any, timeout: Any) -> aiohttp.connector.Connection:  # noqa: ASYNC109 - aiohttp's signature
        for _ in range(self.limit + 1):  # at worst every idle connection is stale, then a new one
            connection = await super().connect(req, traces, timeout)
            protocol = connection.protocol
            if protocol is not None and protocol not in self._handed_out:
                self._handed_out.add(protocol)
                closed = protocol.closed  # made on first use; _ResponseStream waits on it
                if closed is not None:
                    closed.add_done_callback(_retrieve_outcome)
                return connection  # new: nothing can have arrived while it was idle
            if not _is_stale(connection):
                return connection
            connection.close()
        return await super().connect(req, traces, timeout)


def _retrieve_outcome(closed: asyncio.Future[None]) -> None:
    # A connection lost with an error sets it on this future; asyncio logs one nobody retrieved.
    if not closed.cancelled():
        closed.exception()


def _is_stale(connection: aiohttp.connector.Connection) -> bool:
    protocol, transport = connection.protocol, connection.transport
    if protocol is None or transport is None or getattr(protocol, "should_close", False):
        return True  # closed, or holding bytes that arrived while no request was outstanding
    sock = transport.get_extra_info("socket")
    if sock is None:
        return False
    return _readable(sock.fileno())  # EOF or unexpected data, not yet processed


def _readable(fd: int) -> bool:
    """Whether ``fd`` has data or EOF waiting; ``poll``, as ``select`` refuses descriptors >= 1024."""
    if _poll is None:  # Windows has no poll; its select has no descriptor limit
        readable, _, _ = select.select([fd], [], [], 0)
        return bool(readable)
    poller = _poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


_poll = getattr(select, "poll", None)


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse, admission: asyncio.Semaphore) -> None:
        self._response = response
        self._admission: asyncio.Semaphore | None = admission
        # aiohttp's C parser drops a framing error found mid-body (a bad chunk size) on the floor:
        # it closes the connection but leaves the body waiting for bytes that will never come.
        # When the connection ends before the body did, the body fails at once instead.
        self._closed = _closed_future(response)
        if self._closed is not None:
            self._closed.add_done_callback(self._connection_ended)

    def _connection_ended(self, _: object) -> None:
        content = self._response.content
        if not content.is_eof() and content.exception() is None:
            content.set_exception(aiohttp.ClientPayloadError("the connection closed before the body ended"))

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise _httpx_error(exc) from exc

    async def aclose(self) -> None:
        if self._closed is not None:
            self._closed.remove_done_callback(self._connection_ended)
            self._closed = None
        # release() returns the connection to the pool only if the body was read to its end.
        self._response.release()
        if self._admission is not None:
            self._admission.release()
            self._admission = None


def _closed_future(response: aiohttp.ClientResponse) -> asyncio.Future[None] | None:
    connection = response.connection
    protocol = None if connection is None else connection.protocol
    return None if protocol is None else protocol.closed


def client_timeout(timeouts: dict[str, float | None]) -> aiohttp.ClientTimeout:
    """aiohttp's timeout for what is left of the attempt (raises ``httpx.ReadTimeout`` if nothing is).

    aiohttp reads 0 as "no timeout", and rounds timeouts over ``ceil_threshold`` (5 s by default)
    up to the next whole second; neither may stretch an attempt.
    """
    left = remaining(None)
    if left is not None and left <= 0.0:
        raise httpx.ReadTimeout("no complete response within the timeout")

    def clamped(value: float | None) -> float | None:
        return remaining(value) or _SMALLEST if value is not None else None

    return aiohttp.ClientTimeout(
        total=left,
        sock_connect=clamped(timeouts.get("connect")),
        sock_read=clamped(timeouts.get("read")),
        ceil_threshold=math.inf,
    )


_SMALLEST = 1e-3  # a timeout that has run out, as aiohttp understands it (0 would mean none)


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
        register(self)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session, admission = await self._session_for_this_loop()
        timeouts = request.extensions.get("timeout", {})
        body = await request.aread()
        if admission.locked():
            wait = remaining(timeouts.get("pool"))
            try:
                if wait is not None and wait <= 0.0:
                    raise TimeoutError
                await asyncio.wait_for(admission.acquire(), wait)
            except TimeoutError:
                raise httpx.PoolTimeout("no connection became free within the timeout") from None
        else:
            await admission.acquire()
        try:
            timeout = client_timeout(timeouts)  # after admission: the wait for it counts too
            response = await session.request(
                request.method,
                yarl.URL(str(request.url), encoded=True),  # send the URL exactly as httpx built it
                headers=[(name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw],
                data=body or None,
                allow_redirects=False,
                proxy=self._proxy,
                timeout=timeout,
            )
            # aiohttp decodes the reason phrase as UTF-8 with surrogateescape: this gives back its bytes.
            reason = (response.reason or "").encode("utf-8", "surrogateescape")
            return httpx.Response(
                response.status,
                headers=list(response.raw_headers),
                stream=_ResponseStream(response, admission),
                extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason},
            )
        except BaseException as exc:
            admission.release()
            if isinstance(exc, aiohttp.ClientError | TimeoutError):
                raise _httpx_error(exc) from exc
            if isinstance(exc, UnicodeError):
                raise httpx.RemoteProtocolError("the response's reason phrase could not be read") from exc
            raise

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
            max_line_size=MAX_HEAD_LINE,
            max_field_size=MAX_HEAD_LINE,
            max_headers=MAX_HEADERS,
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

    def _forget_parents_connections(self) -> None:
        abandon((self._owner, self._session))
        self._owner = self._session = self._admission = self._loop = None


def _httpx_error(exc: BaseException) -> httpx.TransportError:
    """The httpx exception for an aiohttp failure. Connect* types mean nothing was sent."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return httpx.ConnectError(
            f"TLS certificate verification failed for {exc.host}:{exc.port} ({exc.certificate_error})"
        )
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, DNS, TLS handshake, proxy
        # aiohttp's own text reads "Cannot connect to host H:P ssl:default [...]" even for plain http.
        return httpx.ConnectError(f"cannot connect to {exc.host}:{exc.port} ({exc.os_error.strerror or exc.os_error})")
    if isinstance(exc, aiohttp.ServerTimeoutError | TimeoutError):
        return httpx.ReadTimeout(message if str(exc) else "no complete response within the timeout")
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError("the server closed the connection without sending a complete response")
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientResponseError):
        return httpx.RemoteProtocolError(message)  # a malformed status line, header or body
    if isinstance(exc, aiohttp.ClientOSError):
        return httpx.ReadError(message)  # reset after the request was written
    return httpx.TransportError(message)
