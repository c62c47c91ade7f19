"""FakeSpace in-process: httpx transports that answer from the space itself (no thread, no socket), and the
clients bound to a space (through them, or its socket).

A request goes through the same ``_answer``/``_record`` path as one the socket server read; faults
become what a client would see on a socket (a dropped connection is httpx's ``RemoteProtocolError``),
``latency`` is waited in real time (``asyncio.sleep`` in the async transport, so it blocks no loop)
and cut short by the request's read timeout, as a socket's would be.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from .._transports._deadline import remaining
from ._records import RecordedRequest
from ._rules import Answer
from ._server import MAX_BODY

if TYPE_CHECKING:
    from .._async._client import AsyncClient
    from .._sync._client import Client

__all__ = [
    "NOT_LISTENING_URL",
    "AsyncFakeTransport",
    "Bound",
    "FakeTransport",
    "Space",
    "bound_async_client",
    "bound_client",
]

NOT_LISTENING_URL = "http://127.0.0.1:0"  # nothing can listen on port 0: a client without the transport fails at once


class Space(Protocol):
    """What a transport asks of the space it serves."""

    latency: float

    @property
    def running(self) -> bool: ...

    def _in_flight(self) -> contextlib.AbstractContextManager[None]: ...

    def _answer(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer: ...

    def _record(self, request: RecordedRequest) -> None: ...


def _read_timeout(request: httpx.Request) -> float | None:
    timeouts = request.extensions.get("timeout", {})
    return remaining(timeouts.get("read") if isinstance(timeouts, dict) else None)


class _Exchange:
    """One request: what the space answers (recorded), then the httpx response or the transport error."""

    def __init__(self, space: Space, request: httpx.Request, body: bytes) -> None:
        self.space, self.request, self.body = space, request, body
        self.path = request.url.raw_path.decode("ascii")
        self.headers = {name.lower(): value for name, value in request.headers.items()}
        self.read_timeout = _read_timeout(request)

    def check(self) -> httpx.Response | None:
        """Before the space sees it: a space that is not running refuses; a body over the limit is a 413."""
        if not self.space.running:
            raise httpx.ConnectError("the FakeSpace is not running (use it in a with block)", request=self.request)
        if len(self.body) > MAX_BODY:
            return httpx.Response(413, request=self.request, extensions={"http_version": b"HTTP/1.1"})
        return None

    def wait(self) -> tuple[float, bool]:
        """How long to wait for the latency, and whether the read timeout runs out first."""
        latency = self.space.latency
        if self.read_timeout is not None and latency > self.read_timeout:
            return self.read_timeout, True
        return latency, False

    def answer(self, timed_out: bool) -> httpx.Response:
        space, request = self.space, self.request
        answer = space._answer(request.method, self.path, self.headers, self.body)
        space._record(
            RecordedRequest(
                request.method, self.path, self.headers, self.body, answer.status, answer.body, answer.fault
            )
        )
        if timed_out:  # the space carried the request out, as a server would; the client stopped waiting
            raise httpx.ReadTimeout(f"no answer within {self.read_timeout:g} s", request=request)
        if answer.status == 0:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        headers = {"Content-Type": "application/json", **answer.headers, "Content-Length": str(len(answer.body))}
        return httpx.Response(
            answer.status,
            headers=headers,
            content=answer.body,
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )


class FakeTransport(httpx.BaseTransport):
    """``httpx.Client(transport=space.transport())``: the space answers in the calling thread."""

    def __init__(self, space: Space) -> None:
        self._space = space

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _Exchange(self._space, request, request.read())
        refused = exchange.check()
        if refused is not None:
            return refused
        with self._space._in_flight():
            delay, timed_out = exchange.wait()
            if delay > 0:
                time.sleep(delay)
            return exchange.answer(timed_out)


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncClient(transport=space.async_transport())``: the space answers on the caller's loop."""

    def __init__(self, space: Space) -> None:
        self._space = space

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _Exchange(self._space, request, await request.aread())
        refused = exchange.check()
        if refused is not None:
            return refused
        with self._space._in_flight():
            delay, timed_out = exchange.wait()
            if delay > 0:
                await asyncio.sleep(delay)
            return exchange.answer(timed_out)


class Bound(Space, Protocol):
    """What the clients ask of the space besides: its credentials and URL."""

    project_id: str
    api_token: str

    @property
    def url(self) -> str: ...


def bound_client(space: Bound, *, in_process: bool, options: dict[str, Any]) -> Client:
    """A ``Client`` bound to the space and its credentials; ``in_process``: through ``FakeTransport``."""
    from .._sync._client import Client

    if in_process:
        options["http_client"] = httpx.Client(transport=FakeTransport(space), **_check_in_process(options))
    return Client(space.project_id, space.api_token, space.url, **options)


def bound_async_client(space: Bound, *, in_process: bool, options: dict[str, Any]) -> AsyncClient:
    """An ``AsyncClient`` bound to the space; ``in_process``: through ``AsyncFakeTransport``."""
    from .._async._client import AsyncClient

    if in_process:
        transport = AsyncFakeTransport(space)
        options["http_client"] = httpx.AsyncClient(transport=transport, **_check_in_process(options))
    return AsyncClient(space.project_id, space.api_token, space.url, **options)


def _check_in_process(options: Mapping[str, Any]) -> dict[str, Any]:
    if "http_client" in options:
        raise TypeError("give in_process=True or http_client=, not both")
    return {"trust_env": False}
