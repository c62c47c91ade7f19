"""An httpx transport for HTTP/1.1 on plain asyncio, with an O(1) connection pool.

Why it exists: httpx's default async stack (httpcore 1.0.9 on anyio) cost 1,450-4,200 us of client
CPU per request with 50 requests in flight on 127.0.0.1 (scripts/bench.py), against ~285 us for a
sync ``httpx.Client`` request. httpcore's pool rescans every connection on every request
(``_assign_requests_to_connections`` is O(n) per request, O(n^2) per burst, with a ``getpeername``
and a ``poll`` syscall per idle connection), and anyio adds its own per-request work. This transport
does one request's work per request: an ``asyncio.Protocol`` per connection, ``h11`` for the
protocol, and a pool whose acquire and release touch only the connection concerned.

Use it as any httpx transport::

    client = httpx.AsyncClient(transport=AsyncioTransport(max_connections=100), follow_redirects=False)

What it does:

- HTTP/1.1 over TCP, ``https`` with TLS (``httpx.create_ssl_context()`` unless ``ssl_context`` is given;
  the host is the SNI name and the name checked);
- a pool: per origin (scheme, host, port) a most-recently-used-first stack of idle connections; at most
  ``max_connections`` open connections in all (idle ones of other origins are closed to make room);
  requests beyond that wait first-come first-served, up to the ``pool`` timeout (``httpx.PoolTimeout``);
  idle connections are closed after ``keepalive_expiry`` seconds, and at once when the server closes
  them or sends anything unasked (the event loop reports it: no syscall per request);
- the ``connect``, ``read`` (each wait for data) and ``write`` timeouts of ``request.extensions``,
  and the errors httpcore raises for the same failures (see ``handle_async_request``);
- request bodies from ``request.stream`` (``Content-Length`` when the request has it, else chunked);
  response bodies read lazily as the caller iterates, fixed-length, chunked or until close.

Not supported: HTTP/2, proxies (httpx ignores proxy settings when a transport is given), HTTP
upgrades (``101``) and ``CONNECT``, Unix sockets, local addresses and socket options, response
trailers (dropped), ``max_keepalive_connections`` (every connection may stay idle), and retries: a
request that meets a kept-alive connection the server closed at the same instant fails with
``httpx.RemoteProtocolError``, as with httpcore.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ssl
import time
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from typing import Any, Final, TypeAlias, cast

import h11
import httpx

__all__ = ["AsyncioTransport"]

Origin: TypeAlias = tuple[str, str, int]  # scheme, host, port
H11Event: TypeAlias = h11.Event | type[h11.PAUSED]

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_READ_HIGH_WATER: Final = 256 * 1024  # unparsed bytes buffered before we stop reading the socket
_MAX_HEAD_BYTES: Final = 100 * 1024  # h11's limit on a response head (httpcore uses the same)


class AsyncioTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio for ``httpx.AsyncClient(transport=...)``; see the module docstring."""

    def __init__(
        self,
        *,
        max_connections: int = 100,
        keepalive_expiry: float | None = 5.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {max_connections}")
        self._ssl_context = ssl_context if ssl_context is not None else httpx.create_ssl_context()
        self._pool = _Pool(max_connections, keepalive_expiry)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and return once the response head has arrived; the body streams.

        Errors, as httpcore maps them: refused, unreachable, DNS or TLS failures -> ``ConnectError``;
        the server closing before any response -> ``RemoteProtocolError`` ("Server disconnected
        without sending a response."), or mid-body, or malformed HTTP -> ``RemoteProtocolError``
        (h11's message); a connection reset, or the transport closed under the request ->
        ``ReadError``; a request h11 refuses to write -> ``LocalProtocolError``; and the four timeouts.
        """
        origin = _origin(request)
        timeouts: Mapping[str, Any] = request.extensions.get("timeout", {})
        connection = await self._pool.acquire(origin, timeouts.get("pool"), request)
        if connection is None:  # we hold a free slot: open a connection in it
            connection = await self._connect(origin, timeouts.get("connect"), request)
        try:
            head = await connection.exchange(request, timeouts.get("write"), timeouts.get("read"))
        except BaseException:  # errors and cancellation alike: the connection is in an unknown state
            connection.close()
            raise
        return httpx.Response(
            head.status_code,
            headers=head.headers.raw_items(),
            stream=_ResponseStream(self._pool, connection, request, timeouts.get("read")),
            extensions={"http_version": b"HTTP/" + head.http_version, "reason_phrase": head.reason},
        )

    async def aclose(self) -> None:
        """Close every connection, idle or busy; requests still waiting for one fail."""
        self._pool.close()
        await asyncio.sleep(0)  # let the event loop run the transports' close callbacks (the sockets close)

    async def _connect(self, origin: Origin, connect_timeout: float | None, request: httpx.Request) -> _Connection:
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        connection = self._pool.new_connection(origin, loop)  # from here on it owns the slot
        tls = self._ssl_context if scheme == "https" else None
        try:
            async with asyncio.timeout(connect_timeout):
                await loop.create_connection(
                    lambda: connection, host, port, ssl=tls, server_hostname=host if tls is not None else None
                )
        except TimeoutError as exc:  # before OSError: a TimeoutError is an OSError too (ETIMEDOUT)
            connection.close()
            raise httpx.ConnectTimeout(f"Timed out connecting to {host}:{port}", request=request) from exc
        except OSError as exc:  # refused, unreachable, DNS (gaierror), TLS (SSLError)
            connection.close()
            raise httpx.ConnectError(str(exc) or repr(exc), request=request) from exc
        except BaseException:
            connection.close()
            raise
        return connection


def _origin(request: httpx.Request) -> Origin:
    url = request.url
    default_port = _DEFAULT_PORTS.get(url.scheme)
    if default_port is None:
        raise httpx.UnsupportedProtocol(f"Unsupported URL scheme {url.scheme!r}: only http and https", request=request)
    if not url.raw_host:
        raise httpx.UnsupportedProtocol(f"No host in the URL {url}", request=request)
    return url.scheme, url.raw_host.decode("ascii"), url.port or default_port


def _request_headers(request: httpx.Request) -> list[tuple[bytes, bytes]]:
    """The request's headers, plus ``Transfer-Encoding: chunked`` for a streamed body without framing."""
    headers = request.headers
    if isinstance(request.stream, httpx.ByteStream) or "content-length" in headers or "transfer-encoding" in headers:
        return headers.raw
    return [*headers.raw, (b"Transfer-Encoding", b"chunked")]


class _WriteFailed(Exception):
    """The connection closed while we were writing; the server may still have answered."""


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: the socket callbacks feed h11, one request at a time awaits them."""

    def __init__(self, pool: _Pool, origin: Origin, loop: asyncio.AbstractEventLoop) -> None:
        self.origin = origin
        self.idle = False  # parked in the pool
        self.idle_since = 0.0
        self._pool = pool
        self._loop = loop
        self._transport: asyncio.Transport | None = None
        self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=_MAX_HEAD_BYTES)
        self._waiter: asyncio.Future[bool] | None = None  # the request's task, waiting for a callback
        self._closed = False  # closed by us, or lost
        self._closed_by_us = False
        self._eof = False  # the server closed (or the connection was lost)
        self._eof_fed = False
        self._error: Exception | None = None  # why it was lost, if not a clean end of file
        self._write_paused = False
        self._read_paused = False
        self._unparsed = 0  # bytes received since h11 last asked for more

    # -- asyncio.Protocol callbacks ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if self.idle:  # nobody asked: a late or unsolicited response, so the connection is out of step
            self.close()
            return
        self._h11.receive_data(data)
        self._unparsed += len(data)
        if self._unparsed > _READ_HIGH_WATER and not self._read_paused and self._transport is not None:
            self._read_paused = True
            self._transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        return False  # asyncio then closes the transport and calls connection_lost

    def connection_lost(self, exc: Exception | None) -> None:
        self._eof = True
        if exc is not None and self._error is None:
            self._error = exc
        self._wake()
        self._mark_closed()

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        self._wake()

    # -- lifecycle -----------------------------------------------------------------------------------

    def close(self) -> None:
        """Drop the connection now (no TLS close_notify, unsent bytes discarded); idempotent."""
        self._closed_by_us = True
        if self._transport is not None:
            with contextlib.suppress(RuntimeError):  # its event loop is closed: the client outlived asyncio.run()
                self._transport.abort()
        self._wake()
        self._mark_closed()

    def _mark_closed(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.connection_closed(self)

    def is_usable(self, loop: asyncio.AbstractEventLoop) -> bool:
        return not self._closed and not self._eof and loop is self._loop

    def start_next_cycle(self) -> bool:
        """After a complete exchange: ready h11 for the next one; False if the connection cannot be reused."""
        h = self._h11
        if h.our_state is not h11.DONE or h.their_state is not h11.DONE or not self.is_usable(self._loop):
            return False  # unfinished, or Connection: close from either side (h11 is then in MUST_CLOSE)
        h.start_next_cycle()
        return not h.trailing_data[0]  # bytes after the response: the connection is out of step

    # -- one exchange --------------------------------------------------------------------------------

    async def exchange(
        self, request: httpx.Request, write_timeout: float | None, read_timeout: float | None
    ) -> h11.Response:
        """Send the request, then read the response head."""
        with contextlib.suppress(_WriteFailed):  # as httpcore: read what the server said before it closed
            await self._send_request(request, write_timeout)
        while True:
            event = await self.next_event(request, read_timeout)
            if isinstance(event, h11.Response):
                return event
            if isinstance(event, h11.InformationalResponse) and event.status_code != 101:
                continue  # 100 Continue, 103 Early Hints: the real response follows
            raise httpx.RemoteProtocolError(f"Unsupported response {event!r} (no HTTP upgrades)", request=request)

    async def _send_request(self, request: httpx.Request, write_timeout: float | None) -> None:
        h = self._h11
        stream = request.stream
        if not isinstance(stream, AsyncIterable):
            raise TypeError(f"An async transport needs an async request stream, not {type(stream).__name__}")
        try:
            event = h11.Request(method=request.method, target=request.url.raw_path, headers=_request_headers(request))
            pending = [h.send(event)]  # the head goes out with the first body chunk: one write for small requests
            async for chunk in stream:
                if chunk:
                    pending.append(h.send(h11.Data(data=chunk)))
                    await self._write(pending, write_timeout, request)
            pending.append(h.send(h11.EndOfMessage()))
        except h11.LocalProtocolError as exc:
            raise httpx.LocalProtocolError(str(exc), request=request) from exc
        await self._write(pending, write_timeout, request)

    async def _write(self, pending: list[bytes], write_timeout: float | None, request: httpx.Request) -> None:
        data = b"".join(pending)
        pending.clear()
        if not data:
            return
        transport = self._transport
        if transport is None or self._eof or self._closed or transport.is_closing():
            raise _WriteFailed
        transport.write(data)
        while self._write_paused:  # more than the transport's high-water mark is buffered: wait for it to drain
            if await self._wait(write_timeout):
                raise httpx.WriteTimeout("Timed out while sending the request", request=request)
            if self._eof or self._closed:
                raise _WriteFailed

    async def next_event(self, request: httpx.Request, read_timeout: float | None) -> H11Event:
        """h11's next event, reading from the socket as needed (each wait up to ``read_timeout`` seconds)."""
        h = self._h11
        while True:
            try:
                event = h.next_event()
            except h11.RemoteProtocolError as exc:
                raise httpx.RemoteProtocolError(str(exc), request=request) from exc
            if event is not h11.NEED_DATA:
                return cast(H11Event, event)
            await self._wait_for_data(request, read_timeout)

    async def _wait_for_data(self, request: httpx.Request, read_timeout: float | None) -> None:
        if self._closed_by_us:
            raise httpx.ReadError("The connection was closed while reading the response", request=request)
        if self._error is not None:  # a reset: ReadError, as httpcore (anyio's BrokenResourceError)
            raise httpx.ReadError(str(self._error) or repr(self._error), request=request) from self._error
        if self._eof:
            if self._h11.their_state is h11.SEND_RESPONSE or self._eof_fed:
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
            self._eof_fed = True
            self._h11.receive_data(b"")  # h11: the end of a read-until-close body, or an error if truncated
            return
        self._unparsed = 0
        if self._read_paused and self._transport is not None:
            self._read_paused = False
            self._transport.resume_reading()
        if await self._wait(read_timeout):
            raise httpx.ReadTimeout("Timed out while receiving the response", request=request)

    async def _wait(self, seconds: float | None) -> bool:
        """Wait for the next protocol callback; True if ``seconds`` passed first."""
        waiter: asyncio.Future[bool] = self._loop.create_future()
        self._waiter = waiter
        timer = None if seconds is None else self._loop.call_later(seconds, _settle, waiter, True)
        try:
            return await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    def _wake(self) -> None:
        if self._waiter is not None:
            _settle(self._waiter, False)


def _settle(waiter: asyncio.Future[bool], timed_out: bool) -> None:
    if not waiter.done():
        waiter.set_result(timed_out)


class _ResponseStream(httpx.AsyncByteStream):
    """The response body, read from the connection as the caller iterates."""

    def __init__(
        self, pool: _Pool, connection: _Connection, request: httpx.Request, read_timeout: float | None
    ) -> None:
        self._pool = pool
        self._connection: _Connection | None = connection
        self._request = request
        self._read_timeout = read_timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            raise httpx.StreamClosed()
        try:
            while True:
                event = await connection.next_event(self._request, self._read_timeout)
                if isinstance(event, h11.Data):
                    yield bytes(event.data)
                elif isinstance(event, h11.EndOfMessage):
                    break
                else:
                    raise httpx.RemoteProtocolError(f"Unexpected {event!r} in a response body", request=self._request)
        except BaseException:  # an error, cancellation, or the caller stopping early (GeneratorExit)
            self._abandon()
            raise
        self._connection = None
        self._pool.release(connection)

    async def aclose(self) -> None:
        """Before the end of the body: the connection closes (its remaining bytes are never read)."""
        self._abandon()

    def _abandon(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


class _Pool:
    """Connection accounting: a slot per open connection, at most ``max_connections`` slots.

    Every operation is O(1) (amortized for discarding closed or expired connections): idle connections
    sit in one ordered dict per origin (the stack) and one for all origins (oldest first, for expiry and
    eviction); waiting requests are a FIFO queue of futures. A slot passes directly from a closing
    connection to the first waiter, and a reusable connection to the first waiter for its origin.
    """

    def __init__(self, max_connections: int, keepalive_expiry: float | None) -> None:
        self._max = max_connections
        self._expiry = keepalive_expiry
        self._slots = 0  # connections open or being opened
        self._idle: dict[Origin, collections.OrderedDict[_Connection, None]] = {}
        self._idle_by_age: collections.OrderedDict[_Connection, None] = collections.OrderedDict()
        self._waiters: collections.deque[tuple[Origin, asyncio.Future[_Connection | None]]] = collections.deque()
        self._connections: set[_Connection] = set()
        self._closed = False

    async def acquire(self, origin: Origin, pool_timeout: float | None, request: httpx.Request) -> _Connection | None:
        """An idle connection to ``origin``, or None: the caller then holds a slot for a new one."""
        if self._closed:
            raise RuntimeError("The transport is closed")
        loop = asyncio.get_running_loop()
        self._close_expired(time.monotonic())
        stack = self._idle.get(origin)
        while stack:
            connection = next(reversed(stack))  # the most recently used
            self._unpark(connection)
            if connection.is_usable(loop):  # not closed by the server, and made in this event loop
                return connection
            connection.close()
        if self._slots >= self._max and self._idle_by_age:
            next(iter(self._idle_by_age)).close()  # an idle connection to another origin makes room
        if self._slots < self._max:
            self._slots += 1
            return None
        return await self._wait(loop, origin, pool_timeout, request)

    async def _wait(
        self, loop: asyncio.AbstractEventLoop, origin: Origin, pool_timeout: float | None, request: httpx.Request
    ) -> _Connection | None:
        waiter: asyncio.Future[_Connection | None] = loop.create_future()
        self._waiters.append((origin, waiter))
        timer = None if pool_timeout is None else loop.call_later(pool_timeout, _time_out, waiter, request)
        try:
            return await waiter
        except BaseException:
            # Cancelled after being handed a connection or a slot (but before running): give it back.
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._hand_over(waiter.result())
            waiter.cancel()  # a no-op if done; else dispatch skips it
            raise
        finally:
            if timer is not None:
                timer.cancel()

    def new_connection(self, origin: Origin, loop: asyncio.AbstractEventLoop) -> _Connection:
        """A connection object for a slot the caller holds; closing it frees the slot."""
        connection = _Connection(self, origin, loop)
        self._connections.add(connection)
        if self._closed:
            connection.close()
            raise RuntimeError("The transport is closed")
        return connection

    def release(self, connection: _Connection) -> None:
        """A response was read to its end: reuse the connection if it allows, else close it."""
        if self._closed or not connection.start_next_cycle():
            connection.close()
        else:
            self._hand_over(connection)

    def connection_closed(self, connection: _Connection) -> None:
        self._connections.discard(connection)
        if connection.idle:
            self._unpark(connection)
        self._hand_over(None)

    def close(self) -> None:
        self._closed = True
        while self._waiters:
            _, waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(RuntimeError("The transport was closed while the request waited"))
        for connection in list(self._connections):
            connection.close()

    def _hand_over(self, connection: _Connection | None) -> None:
        """Pass a reusable connection, or a free slot (None), to the first waiter; else keep or free it."""
        while self._waiters:
            origin, waiter = self._waiters[0]
            if waiter.done():  # timed out or cancelled
                self._waiters.popleft()
                continue
            if connection is None or origin == connection.origin:
                self._waiters.popleft()
                waiter.set_result(connection)
                return
            connection.close()  # it frees its slot, which this same method passes to the waiter
            return
        if connection is None:
            self._slots -= 1
        else:
            self._park(connection)

    def _park(self, connection: _Connection) -> None:
        connection.idle = True
        connection.idle_since = time.monotonic()
        self._idle.setdefault(connection.origin, collections.OrderedDict())[connection] = None
        self._idle_by_age[connection] = None

    def _unpark(self, connection: _Connection) -> None:
        connection.idle = False
        del self._idle[connection.origin][connection]
        del self._idle_by_age[connection]

    def _close_expired(self, now: float) -> None:
        if self._expiry is None:
            return
        while self._idle_by_age:
            oldest = next(iter(self._idle_by_age))
            if now - oldest.idle_since < self._expiry:
                return
            oldest.close()


def _time_out(waiter: asyncio.Future[_Connection | None], request: httpx.Request) -> None:
    if not waiter.done():
        waiter.set_exception(httpx.PoolTimeout("Timed out waiting for a connection from the pool", request=request))
