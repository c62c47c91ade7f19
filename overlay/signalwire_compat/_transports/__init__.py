"""The engines: the httpx clients the SDK builds for itself (an injected ``http_client`` is used as given instead).

Both engines are maintained libraries, configured here once:
- ``Client``: httpx's own transport (httpcore), whose socket reads and writes are clamped to the
  attempt's deadline, so ``timeout`` bounds a whole attempt even when a server trickles its answer
  (``_httpcore.py``);
- ``AsyncClient``: aiohttp under httpx's transport interface (``_aiohttp.py``).

Both share: one verified TLS context per process (httpx's CA handling, ``SSL_CERT_FILE`` and
``SSL_CERT_DIR`` honoured; loading the CA bundle is slow, so it is made once and only for https), the
proxy the environment names for the space (``HTTP(S)_PROXY``, ``ALL_PROXY``, ``NO_PROXY``, either
case), no cookie storage (the API authenticates every request; a jar would only grow), and a pool
that keeps as many idle connections as may be open.
"""

from __future__ import annotations

import os
import ssl
import urllib.request
from functools import cache
from http.cookiejar import Cookie, CookieJar
from typing import Any
from urllib.parse import urlsplit

import httpx

from .._exceptions import ConfigurationError
from ._deadline import attempt_deadline

__all__ = [
    "MAX_CONNECTIONS",
    "attempt_deadline",
    "new_async_http_client",
    "new_sync_http_client",
    "not_tls_hint",
    "proxy_for",
]

MAX_CONNECTIONS = 100
# httpx keeps only 20 idle connections by default: above 20 in flight every burst reconnected.
LIMITS = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS)


@cache
def _verified_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context()  # reads SSL_CERT_FILE / SSL_CERT_DIR, else certifi


def ssl_context_for(base_url: str) -> ssl.SSLContext:
    """The TLS context for a client of ``base_url``; one that trusts nothing for plain-http spaces."""
    if base_url.startswith("http://"):
        # Plain http is only allowed to loopback; no TLS connection is ever made with this context,
        # and if one were, it would fail closed (certificates required, no authority trusted).
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return _verified_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


def proxy_for(base_url: str) -> str | None:
    """The proxy URL the environment names for ``base_url``, or None to connect directly."""
    parts = urlsplit(base_url)
    proxies = urllib.request.getproxies()
    if not proxies or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    if "://" not in proxy:
        proxy = f"http://{proxy}"
    scheme = urlsplit(proxy).scheme.lower()
    if scheme not in ("http", "https"):
        raise ConfigurationError(
            f"the environment asks for a {scheme}:// proxy for {parts.hostname}, which the SDK does not support: "
            "use an http:// or https:// proxy, or exclude the host with NO_PROXY"
        )
    return proxy


# What OpenSSL reports when the bytes a TLS client reads back are not TLS, e.g. a plain HTTP server's
# "400 Bad Request" answering the ClientHello (WRONG_VERSION_NUMBER on OpenSSL 1.1 and 3.0).
_NOT_TLS_REASONS = frozenset(
    {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG", "UNKNOWN_PROTOCOL"}
)


def not_tls_hint(exc: BaseException, base_url: str) -> str:
    """For a failed https connection whose server answered in plain text: a sentence saying so, else ``""``."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(seen) < 16:  # bounded: exception chains are short, and may loop
        current = pending.pop()
        if current is None or any(current is old for old in seen):
            continue
        seen.append(current)
        if isinstance(current, ssl.SSLError) and getattr(current, "reason", None) in _NOT_TLS_REASONS:
            netloc = urlsplit(base_url).netloc
            return (
                f": the server at {netloc} does not speak TLS (https://); if it is a local fake space, "
                f"use http://{netloc}"
            )
        # aiohttp keeps the socket's error as os_error; httpx and httpcore chain theirs.
        pending.extend((current.__cause__, current.__context__, getattr(current, "os_error", None)))
    return ""


class _NoCookies(CookieJar):
    """A cookie jar that keeps nothing."""

    def set_cookie(self, cookie: Cookie) -> None:
        pass

    def extract_cookies(self, response: Any, request: Any) -> None:
        pass


class _NoCookieStore(httpx.Cookies):
    """httpx's cookie store over a jar that keeps nothing, and that does not read ``Set-Cookie`` at all.

    httpx hands every response to its client's cookie store, which first wraps the request and the
    response in urllib adapters, only for this jar to discard what they carry: a tenth of a stop's
    client CPU (docs/performance.md).
    """

    def __init__(self) -> None:
        super().__init__(_NoCookies())

    def extract_cookies(self, response: httpx.Response) -> None:
        pass


_NO_COOKIES = _NoCookieStore()  # holds no state: shared by every client the SDK builds


class _DiscardsCookies:
    """For the SDK's own httpx clients: their cookie store is ``_NO_COOKIES`` (nothing kept, sent or parsed).

    They are built with ``cookies=_NoCookies()`` as well, so a jar httpx reached some other way keeps nothing either.
    """

    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        raise AttributeError("the SDK's own HTTP client keeps no cookies")


class _CookielessClient(_DiscardsCookies, httpx.Client):
    pass


class _CookielessAsyncClient(_DiscardsCookies, httpx.AsyncClient):
    pass


def new_sync_http_client(base_url: str, headers: dict[str, str]) -> httpx.Client:
    # Lazy: httpx itself loads httpcore only with its first transport; so does the SDK (import time).
    from ._httpcore import DeadlineTransport

    transport = DeadlineTransport(ssl_context=ssl_context_for(base_url), proxy=proxy_for(base_url), limits=LIMITS)
    return _CookielessClient(
        transport=transport, headers=headers, cookies=_NoCookies(), follow_redirects=False, trust_env=False
    )


def new_async_http_client(base_url: str, headers: dict[str, str]) -> httpx.AsyncClient:
    # Lazy: aiohttp takes longer to import than the rest of the SDK, and sync-only hosts may not have it.
    from ._aiohttp import AiohttpTransport

    transport = AiohttpTransport(
        ssl_context=ssl_context_for(base_url), proxy=proxy_for(base_url), max_connections=MAX_CONNECTIONS
    )
    return _CookielessAsyncClient(
        transport=transport, headers=headers, cookies=_NoCookies(), follow_redirects=False, trust_env=False
    )
