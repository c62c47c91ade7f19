"""The asynchronous client: ``await AsyncClient(...).calls(sid).streams(sid).stop()``.

Configuration lives in ``BaseClient``; what a call sends, and how its answers are judged and
retried, in ``_call.Call``. This module adds the I/O: send, feed the body's chunks, sleep.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

import httpx

from .._base_client import BaseClient
from .._call import Attempt, Call
from .._transports import attempt_deadline, new_async_http_client
from .._validation import validate_sid
from ._calls import AsyncCalls
from ._resources import AsyncConferenceContext

if TYPE_CHECKING:
    from .._invoke_types import AsyncInvoke
    from .._operation_types import Operation, OperationResult
    from .._raw import Parsed, Raw, RawResponse

__all__ = ["AsyncClient", "AsyncClientWithRawResponse"]

T = TypeVar("T")


class AsyncClient(BaseClient[httpx.AsyncClient]):
    """A client for one SignalWire project and space; reuse it (it holds a connection pool).

    Missing arguments are read from ``SIGNALWIRE_PROJECT_ID``, ``SIGNALWIRE_API_TOKEN`` and
    ``SIGNALWIRE_SPACE_URL`` (or ``SIGNALWIRE_SPACE``). ``space_url`` is a space name
    (``example``), a host (``example.signalwire.com``) or an https URL; plain http is accepted only
    for loopback addresses. ``timeout`` bounds each attempt (connecting, sending and the whole
    answer), in seconds; ``total_timeout`` bounds a call across its attempts and retry waits.
    Failed attempts that are safe to repeat are retried ``max_retries`` times. An injected
    ``http_client`` (an ``httpx.AsyncClient``) is used as is (proxies, certificates, transports) and is
    not closed by ``aclose()``; use ``async with`` or ``await client.aclose()``.
    """

    _http_class = httpx.AsyncClient

    def _open_http(self, base_url: str, headers: dict[str, str]) -> httpx.AsyncClient:
        return new_async_http_client(base_url, headers)

    # -- resources -------------------------------------------------------------------------------

    @property
    def calls(self) -> AsyncCalls[Parsed]:
        """The calls: ``calls(call_sid)`` is one (``.update``, ``.hang_up``, ``.redirect``, ``.retrieve``,
        ``.streams(...)``); ``calls.create(...)`` places one."""
        return AsyncCalls(self)

    def conferences(self, conference_sid: str | UUID) -> AsyncConferenceContext[Parsed]:
        """The conference with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
        return AsyncConferenceContext(self, validate_sid(conference_sid, "conference_sid"))

    @property
    def with_raw_response(self) -> AsyncClientWithRawResponse:
        """The same resource tree, whose calls return a ``RawResponse`` (status, headers, ``parse()``)."""
        return AsyncClientWithRawResponse(self)

    @property
    def invoke(self) -> AsyncInvoke:
        """Call any generated operation with this client's auth, form encoding, retries and errors.

        ``await client.invoke("update_stream", call_sid=..., sid=..., body=...)``: ``operation`` is the
        name of a generated operation (its snake_case operationId), its endpoint module, or one of its
        functions (``update_stream.sync``); the keyword arguments are that module's (``account_sid``
        defaults to the client's). By name, mypy checks them and types ``result.parsed`` as the
        operation's 2xx model (``_invoke_types``, derived from the generated client). A 2xx answer is
        parsed by the generated code; anything else raises the usual ``APIError`` subclasses.
        Pass ``idempotent=True`` only if repeating the call is harmless: it allows retries after
        the request may already have reached the server. ``timeout`` replaces the client's
        ``timeout`` (seconds per attempt) for this call.
        """
        return cast("AsyncInvoke", self._invoke)

    async def _invoke(
        self,
        operation: ModuleType | str | Callable[..., Any],
        /,
        *,
        idempotent: bool = False,
        timeout: float | None = None,
        **arguments: Any,
    ) -> OperationResult[Any]:
        # Lazy: the builders load the generated client and attrs, which only a request needs (import time).
        from .._builders import escape_hatch

        built = escape_hatch(
            operation, arguments, account_sid=self.account_sid, base_url=self._base_url, idempotent=idempotent
        )
        return await self._execute(built, timeout)

    # -- lifecycle -------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left open), and the clients made
        from this one with ``with_options``; one made that way closes only itself. Idempotent."""
        self._mark_closed()
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # -- the request loop --------------------------------------------------------------------------

    async def _execute(self, operation: Operation[T], timeout: float | None = None) -> T:
        setup = self._setup_with(timeout=timeout)
        self._check_open()
        with Call(operation, setup, now=time.monotonic()) as call:
            while True:  # bounded: next_delay returns None after max_retries or total_timeout
                attempt = await self._attempt(call)
                if attempt.error is not None and self._closed:
                    raise self._closed_meanwhile()
                delay = call.next_delay(attempt, time.monotonic())
                if delay is None:
                    return attempt.unwrap()
                await asyncio.sleep(delay)
                self._check_still_open()

    async def _attempt(self, call: Call[T]) -> Attempt[T]:
        try:
            with attempt_deadline(call.start_attempt(time.monotonic())):
                async with self._http.stream(**call.request) as response:
                    reader = call.body_reader(response, time.monotonic())
                    if not reader.done:
                        async for chunk in response.aiter_raw():
                            if reader.feed(chunk, time.monotonic()):
                                break
        except httpx.RequestError as exc:
            return call.failed(exc)
        except RuntimeError:  # httpx's or aiohttp's "client closed", when aclose() ran during the call
            if self._closed or self._http.is_closed:
                raise self._closed_meanwhile() from None
            raise
        return call.answered(response, reader.result())


class AsyncClientWithRawResponse:
    """``client.with_raw_response``: the client's resource tree, whose calls return ``RawResponse[T]``
    (``.status_code``, ``.headers``, ``.http_version``, ``.elapsed``, ``.parse()``); errors still raise."""

    __slots__ = ("_client",)

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    @property
    def account_sid(self) -> str:
        """The ``{AccountSid}`` in every path (the client's)."""
        return self._client.account_sid

    @property
    def base_url(self) -> str:
        """The API root every path is appended to (the client's)."""
        return self._client.base_url

    @property
    def calls(self) -> AsyncCalls[Raw]:
        """The calls: ``calls(call_sid)`` is one, ``calls.create(...)`` places one."""
        return AsyncCalls(self)

    def conferences(self, conference_sid: str | UUID) -> AsyncConferenceContext[Raw]:
        """The conference with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
        return AsyncConferenceContext(self, validate_sid(conference_sid, "conference_sid"))

    async def _execute(self, operation: Operation[T], timeout: float | None = None) -> RawResponse[T]:
        from .._raw import raw_operation

        return await self._client._execute(raw_operation(operation), timeout)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
