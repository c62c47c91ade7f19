"""Client's engine: httpx's own transport on an httpcore pool whose socket waits end by the attempt's deadline.

httpcore gives every read the full read timeout, so a server that trickles its response head (or
sends endless ``100 Continue``) keeps an attempt alive indefinitely. The network backend here is
httpcore's own socket backend with each wait shortened to what is left of the attempt
(``_deadline.remaining``); nothing else about the protocol changes.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpcore
import httpx

from ._deadline import remaining

__all__ = ["DeadlineTransport"]


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        left = remaining(timeout)
        if left == 0.0:
            raise httpcore.ReadTimeout("no complete response within the timeout")
        return self._stream.read(max_bytes, left)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        left = remaining(timeout)
        if left == 0.0:
            raise httpcore.WriteTimeout("the request could not be sent within the timeout")
        self._stream.write(buffer, left)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


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
        stream = self._backend.connect_tcp(host, port, remaining(timeout), local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(path, remaining(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's HTTPTransport on a pool whose network backend honours the attempt deadline.

    httpx does not take a network backend, so the pool it builds is replaced by the same httpcore
    pool with one (httpcore's public ``network_backend`` argument); requests, responses and
    exception mapping stay httpx's own.
    """

    def __init__(self, *, ssl_context: ssl.SSLContext, proxy: str | None, limits: httpx.Limits) -> None:
        super().__init__(verify=ssl_context, limits=limits)
        common: dict[str, Any] = {
            "ssl_context": ssl_context,
            "max_connections": limits.max_connections,
            "max_keepalive_connections": limits.max_keepalive_connections,
            "keepalive_expiry": limits.keepalive_expiry,
            "network_backend": _DeadlineBackend(),
        }
        if proxy is None:
            self._pool = httpcore.ConnectionPool(**common)
        else:
            parsed = httpx.Proxy(proxy)
            self._pool = httpcore.HTTPProxy(
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
