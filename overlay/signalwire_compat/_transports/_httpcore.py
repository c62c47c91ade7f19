"""Client's engine: httpx's own transport on an httpcore pool whose socket waits end by the attempt's deadline.

httpcore gives every read the full read timeout, so a server that trickles its response head (or
sends endless ``100 Continue``) keeps an attempt alive indefinitely. The network backend here is
httpcore's own socket backend with each wait shortened to what is left of the attempt
(``_deadline.remaining``); the pool also never reuses a connection holding bytes the server sent
after its answer, and a forked child gets a pool of its own. Nothing else about the protocol changes.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from typing import Any

import httpcore
import httpx

from ._deadline import remaining
from ._fork import abandon, register

__all__ = ["DeadlineTransport", "h11_state_of"]

# A request body is written in pieces, each within what is left of the attempt: httpcore gives
# every send() the full timeout again, so a slow reader could otherwise stretch the attempt.
_WRITE_PIECE = 64 * 1024


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = remaining(timeout)
        if left == 0.0:
            raise httpcore.ReadTimeout("no complete response within the timeout")
        return self._stream.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        view = memoryview(buffer)
        while view:
            left = remaining(timeout)
            if left == 0.0:
                raise httpcore.WriteTimeout("the request could not be sent within the timeout")
            self._stream.write(bytes(view[:_WRITE_PIECE]), left)
            view = view[_WRITE_PIECE:]

    def close(self) -> None:
        # close() alone does not wake a read blocked in another thread (a call in flight while the
        # client closes); shutdown() does, so that call ends at once instead of at its timeout.
        sock = self._stream.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _connect_time(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


def _connect_time(timeout: float | None) -> float | None:
    # 0 would make a non-blocking socket (and a TLS handshake on one raises ValueError).
    left = remaining(timeout)
    if left == 0.0:
        raise httpcore.ConnectTimeout("no time was left to connect within the timeout")
    return left


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, with every wait ending by the attempt's deadline."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(host, port, _connect_time(timeout), local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(path, _connect_time(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def h11_state_of(connection: Any) -> Any:
    """The ``h11.Connection`` under one of httpcore's pooled connections, or None before it connected.

    httpcore keeps it private (``HTTPConnection._connection._h11_state``; a proxy connection adds a
    level); this is the one place the SDK reads it. tests/sdk/test_engines.py fails if it moves.
    """
    inner = connection
    for _ in range(3):
        state = getattr(inner, "_h11_state", None)
        if state is not None:
            return state
        inner = getattr(inner, "_connection", None)
    return None


class _CheckedConnection(httpcore.ConnectionInterface):
    """A pooled connection that counts as expired while h11 holds bytes the server sent after an answer.

    Those bytes (a second answer, a stray CRLF) would otherwise be read as the next request's answer.
    The pool asks ``has_expired`` under its lock before handing out an idle connection.
    """

    def __init__(self, connection: httpcore.ConnectionInterface) -> None:
        self._connection = connection

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        return self._connection.handle_request(request)

    def close(self) -> None:
        self._connection.close()

    def info(self) -> str:
        return self._connection.info()

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return self._connection.can_handle_request(origin)

    def is_available(self) -> bool:
        return self._connection.is_available()

    def has_expired(self) -> bool:
        if self._connection.has_expired():
            return True
        if not self._connection.is_idle():
            return False
        state = h11_state_of(self._connection)
        return state is not None and bool(state.trailing_data[0])

    def is_idle(self) -> bool:
        return self._connection.is_idle()

    def is_closed(self) -> bool:
        return self._connection.is_closed()

    def __repr__(self) -> str:
        return repr(self._connection)


class _CheckedPool(httpcore.ConnectionPool):
    def create_connection(self, origin: httpcore.Origin) -> httpcore.ConnectionInterface:
        return _CheckedConnection(super().create_connection(origin))


class _CheckedProxy(httpcore.HTTPProxy):
    def create_connection(self, origin: httpcore.Origin) -> httpcore.ConnectionInterface:
        return _CheckedConnection(super().create_connection(origin))


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's HTTPTransport on a pool whose network backend honours the attempt deadline.

    httpx does not take a network backend, so the pool it builds is replaced by the same httpcore
    pool with one (httpcore's public ``network_backend`` argument); requests, responses and
    exception mapping stay httpx's own.
    """

    def __init__(self, *, ssl_context: ssl.SSLContext, proxy: str | None, limits: httpx.Limits) -> None:
        super().__init__(verify=ssl_context, limits=limits)
        self._settings = (ssl_context, proxy, limits)
        self._pool = self._new_pool()
        register(self)

    def _new_pool(self) -> httpcore.ConnectionPool:
        ssl_context, proxy, limits = self._settings
        common: dict[str, Any] = {
            "ssl_context": ssl_context,
            "max_connections": limits.max_connections,
            "max_keepalive_connections": limits.max_keepalive_connections,
            "keepalive_expiry": limits.keepalive_expiry,
            "network_backend": _DeadlineBackend(),
        }
        if proxy is None:
            return _CheckedPool(**common)
        parsed = httpx.Proxy(proxy)
        return _CheckedProxy(
            proxy_url=httpcore.URL(
                scheme=parsed.url.raw_scheme,
                host=parsed.url.raw_host,
                port=parsed.url.port,
                target=parsed.url.raw_path,
            ),
            proxy_auth=parsed.raw_auth,
            proxy_headers=parsed.headers.raw,
            proxy_ssl_context=parsed.ssl_context,
            **common,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout")
        if timeouts is not None:  # the wait for a free connection ends by the deadline too
            pool = remaining(timeouts.get("pool"))
            request.extensions = {**request.extensions, "timeout": {**timeouts, "pool": pool}}
        return super().handle_request(request)

    def _forget_parents_connections(self) -> None:
        abandon(self._pool)
        self._pool = self._new_pool()
