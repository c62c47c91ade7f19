"""In-process delivery to a WSGI or ASGI app: FakeSpace's status callbacks and voice webhooks with no socket.

The app gets the request a server would have handed it (method, the URL's scheme, host, path and
query, the signed headers, the form body); an ASGI app runs on an event loop thread of its own, which also
runs the WebSockets FakeSpace opens to it (``_asgi_websocket``), as one server process would.
"""

from __future__ import annotations

import asyncio
import inspect
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from wsgiref.util import setup_testing_defaults

import attrs

from ._loop import LoopThread

__all__ = ["AppAnswer", "AppRoute", "asgi_scope", "is_asgi"]

_TIMEOUT = 5.0  # seconds an ASGI app has to answer (a WSGI app is called and cannot be interrupted)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME_PORTS = {**_DEFAULT_PORTS, "ws": 80, "wss": 443}


@attrs.frozen
class AppAnswer:
    """What the app answered: ``status`` 0 when there was no answer (``error`` says why)."""

    status: int
    body: bytes
    error: str | None = None


def is_asgi(app: object) -> bool:
    """ASGI apps are coroutine functions (or objects whose ``__call__`` is one); anything else callable is WSGI."""
    return inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(type(app).__call__)


class AppRoute:
    """An app, and the URLs it receives: those under ``url`` (an origin or a prefix), or every URL if None."""

    def __init__(self, app: Callable[..., Any], url: str | None = None) -> None:
        if not callable(app):
            raise TypeError(f"callback_app must be a WSGI or ASGI application, not {type(app).__name__}")
        if url is not None:
            parts = urlsplit(url) if isinstance(url, str) else None
            if parts is None or parts.scheme not in _DEFAULT_PORTS or not parts.hostname or parts.query:
                raise ValueError(f"callback_app_url must be an http(s):// origin or URL prefix, got {url!r}")
            url = url.rstrip("/")
        self.app, self.url = app, url
        self.is_asgi = is_asgi(app)
        self.loop = LoopThread("FakeSpace-app")  # an ASGI app's: its requests and WebSockets run there, as on a server

    def __repr__(self) -> str:
        kind = "ASGI" if self.is_asgi else "WSGI"
        return f"<AppRoute {kind} {type(self.app).__name__} url={self.url!r}>"

    def matches(self, url: str) -> bool:
        if self.url is None:
            return True
        return url == self.url or url.startswith((self.url + "/", self.url + "?"))

    def takes_websocket(self, url: str) -> bool:
        """An ASGI app takes the WebSockets of its URLs (``ws``/``wss`` as ``http``/``https``); with no ``url``,
        every one that is not a loopback address (those go to the server listening there)."""
        from .._validation import is_loopback_url

        scheme, colon, rest = url.partition(":")
        http_url = {"ws": "http", "wss": "https"}.get(scheme.lower(), "") + colon + rest
        if not self.is_asgi or not colon or http_url.startswith(":"):
            return False
        return self.matches(http_url) if self.url is not None else not is_loopback_url(url)

    def call(self, method: str, url: str, headers: Mapping[str, str], body: bytes, *, max_bytes: int) -> AppAnswer:
        """Hand the request to the app and return its answer (from any thread but the app's loop)."""
        try:
            if not self.is_asgi:
                return _call_wsgi(self.app, method, url, headers, body, max_bytes)
            return self.loop.submit(_call_asgi(self.app, method, url, headers, body, max_bytes)).result()
        except Exception as error:  # noqa: BLE001 - whatever the app raised is recorded, as a server would log it
            return _raised(error)

    async def call_async(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes, *, max_bytes: int
    ) -> AppAnswer:
        """``call`` awaited on another loop: an ASGI app answers on its own, a WSGI one in a worker thread."""
        if not self.is_asgi:
            return await asyncio.to_thread(self.call, method, url, headers, body, max_bytes=max_bytes)
        try:
            coroutine = _call_asgi(self.app, method, url, headers, body, max_bytes)
            return await asyncio.wrap_future(self.loop.submit(coroutine))
        except Exception as error:  # noqa: BLE001 - as in call
            return _raised(error)

    def close(self) -> None:
        self.loop.close()


def _raised(error: Exception) -> AppAnswer:
    return AppAnswer(500, b"", f"the app raised {type(error).__name__}: {error}")


def _wsgi_environ(method: str, url: str, headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
    parts = urlsplit(url)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("latin-1"),  # PEP 3333: bytes as latin-1
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "",
        "SERVER_PORT": str(parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": parts.netloc,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    setup_testing_defaults(environ)  # wsgi.version, multithread, … (it keeps every key set above)
    return environ


def _call_wsgi(
    app: Callable[..., Iterable[bytes]],
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    max_bytes: int,
) -> AppAnswer:
    status: list[int] = []
    chunks: list[bytes] = []

    def start_response(line: str, response_headers: list[tuple[str, str]], exc_info: object = None) -> Any:
        status[:] = [int(line.split(" ", 1)[0])]
        return chunks.append

    result = app(_wsgi_environ(method, url, headers, body), start_response)
    try:
        size = sum(len(chunk) for chunk in chunks)
        for chunk in result:
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                break
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    if not status:
        return AppAnswer(0, b"", "the app returned without calling start_response")
    return AppAnswer(status[0], b"".join(chunks))


def asgi_scope(kind: str, url: str, headers: Mapping[str, str]) -> dict[str, Any]:
    """The ASGI scope of a request to ``url`` (``kind``: ``http`` or ``websocket``) with ``headers`` after Host."""
    parts = urlsplit(url)
    return {
        "type": kind,
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "scheme": parts.scheme,
        "path": unquote_to_bytes(parts.path or "/").decode("utf-8", "replace"),
        "raw_path": (parts.path or "/").encode("ascii", "replace"),
        "query_string": parts.query.encode("ascii", "replace"),
        "root_path": "",
        "headers": [
            (b"host", parts.netloc.encode("ascii", "replace")),
            *((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()),
        ],
        "client": ("127.0.0.1", 0),
        "server": (parts.hostname or "", parts.port or _SCHEME_PORTS.get(parts.scheme, 80)),
        "state": {},
    }


async def _call_asgi(
    app: Callable[..., Any], method: str, url: str, headers: Mapping[str, str], body: bytes, max_bytes: int
) -> AppAnswer:
    scope = asgi_scope("http", url, {**headers, "content-length": str(len(body))})
    scope["method"] = method
    answered = asyncio.Event()
    request_sent = False
    status: list[int] = []
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await answered.wait()  # the client stays connected until the whole answer is in
        return {"type": "http.disconnect"}

    async def send(message: Mapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status[:] = [int(message["status"])]
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False) or sum(map(len, chunks)) > max_bytes:
                answered.set()

    try:
        async with asyncio.timeout(_TIMEOUT):
            await app(scope, receive, send)
    except TimeoutError:
        return AppAnswer(0, b"", f"the app did not answer within {_TIMEOUT:g} s")
    except Exception as error:  # noqa: BLE001 - recorded with the status the app had sent, as a server would
        return AppAnswer(
            status[0] if status else 500, b"".join(chunks), f"the app raised {type(error).__name__}: {error}"
        )
    if not status:
        return AppAnswer(0, b"", "the app returned without sending http.response.start")
    return AppAnswer(status[0], b"".join(chunks))
