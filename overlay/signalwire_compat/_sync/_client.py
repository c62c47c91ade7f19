# Derived from _async/_client.py by scripts/pipeline/unasync.py: edit that file and run `make generate`.
"""The synchronous client: ``Client(...).calls(sid).streams(sid).stop()``.

Configuration lives in ``BaseClient``; what a call sends, and how its answers are judged and
retried, in ``_call.Call``. This module adds the I/O: send, feed the body's chunks, sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

import httpx

from .._base_client import BaseClient
from .._call import Attempt, Call
from .._transports import attempt_deadline, new_sync_http_client
from .._validation import validate_sid
from ._calls import Calls
from ._resources import ConferenceContext

if TYPE_CHECKING:
    from .._invoke_types import Invoke
    from .._operation_types import Operation, OperationResult
    from .._raw import Parsed, Raw, RawResponse

__all__ = ["Client", "ClientWithRawResponse"]

T = TypeVar("T")


class Client(BaseClient[httpx.Client]):
    """A client for one SignalWire project and space; reuse it (it holds a connection pool).

    Missing arguments are read from ``SIGNALWIRE_PROJECT_ID``, ``SIGNALWIRE_API_TOKEN`` and
    ``SIGNALWIRE_SPACE_URL`` (or ``SIGNALWIRE_SPACE``). ``space_url`` is a space name
    (``example``), a host (``example.signalwire.com``) or an https URL; plain http is accepted only
    for loopback addresses. ``timeout`` bounds each attempt (connecting, sending and the whole
    answer), in seconds; ``total_timeout`` bounds a call across its attempts and retry waits.
    Failed attempts that are safe to repeat are retried ``max_retries`` times. An injected
    ``http_client`` (an ``httpx.Client``) is used as is (proxies, certificates, transports) and is
    not closed by ``close()``; use ``with`` or ``client.close()``.
    """

    _http_class = httpx.Client

    def _open_http(self, base_url: str, headers: dict[str, str]) -> httpx.Client:
        return new_sync_http_client(base_url, headers)

    # -- resources -------------------------------------------------------------------------------

    @property
    def calls(self) -> Calls[Parsed]:
        """The calls: ``calls(call_sid)`` is one (``.update``, ``.hang_up``, ``.redirect``, ``.retrieve``,
        ``.streams(...)``); ``calls.create(...)`` places one."""
        return Calls(self)

    def conferences(self, conference_sid: str | UUID) -> ConferenceContext[Parsed]:
        """The conference with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
        return ConferenceContext(self, validate_sid(conference_sid, "conference_sid"))

    @property
    def with_raw_response(self) -> ClientWithRawResponse:
        """The same resource tree, whose calls return a ``RawResponse`` (status, headers, ``parse()``)."""
        return ClientWithRawResponse(self)

    @property
    def invoke(self) -> Invoke:
        """Call any generated operation with this client's auth, form encoding, retries and errors.

        ``client.invoke("update_stream", call_sid=..., sid=..., body=...)``: ``operation`` is the
        name of a generated operation (its snake_case operationId), its endpoint module, or one of its
        functions (``update_stream.sync``); the keyword arguments are that module's (``account_sid``
        defaults to the client's). By name, mypy checks them and types ``result.parsed`` as the
        operation's 2xx model (``_invoke_types``, derived from the generated client). A 2xx answer is
        parsed by the generated code; anything else raises the usual ``APIError`` subclasses.
        Pass ``idempotent=True`` only if repeating the call is harmless: it allows retries after
        the request may already have reached the server. ``timeout`` replaces the client's
        ``timeout`` (seconds per attempt) for this call.
        """
        return cast("Invoke", self._invoke)

    def _invoke(
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
        return self._execute(built, timeout)

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left open), and the clients made
        from this one with ``with_options``; one made that way closes only itself. Idempotent."""
        self._mark_closed()
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- the request loop --------------------------------------------------------------------------

    def _execute(self, operation: Operation[T], timeout: float | None = None) -> T:
        setup = self._setup_with(timeout=timeout)
        self._check_open()
        with Call(operation, setup, now=time.monotonic()) as call:
            while True:  # bounded: next_delay returns None after max_retries or total_timeout
                attempt = self._attempt(call)
                if attempt.error is not None and self._closed:
                    raise self._closed_meanwhile()
                delay = call.next_delay(attempt, time.monotonic())
                if delay is None:
                    return attempt.unwrap()
                time.sleep(delay)
                self._check_still_open()

    def _attempt(self, call: Call[T]) -> Attempt[T]:
        try:
            with attempt_deadline(call.start_attempt(time.monotonic())):
                with self._http.stream(**call.request) as response:
                    reader = call.body_reader(response, time.monotonic())
                    if not reader.done:
                        for chunk in response.iter_raw():
                            if reader.feed(chunk, time.monotonic()):
                                break
        except httpx.RequestError as exc:
            return call.failed(exc)
        except RuntimeError:  # httpx's or aiohttp's "client closed", when close() ran during the call
            if self._closed or self._http.is_closed:
                raise self._closed_meanwhile() from None
            raise
        return call.answered(response, reader.result())


class ClientWithRawResponse:
    """``client.with_raw_response``: the client's resource tree, whose calls return ``RawResponse[T]``
    (``.status_code``, ``.headers``, ``.http_version``, ``.elapsed``, ``.parse()``); errors still raise."""

    __slots__ = ("_client",)

    def __init__(self, client: Client) -> None:
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
    def calls(self) -> Calls[Raw]:
        """The calls: ``calls(call_sid)`` is one, ``calls.create(...)`` places one."""
        return Calls(self)

    def conferences(self, conference_sid: str | UUID) -> ConferenceContext[Raw]:
        """The conference with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
        return ConferenceContext(self, validate_sid(conference_sid, "conference_sid"))

    def _execute(self, operation: Operation[T], timeout: float | None = None) -> RawResponse[T]:
        from .._raw import raw_operation

        return self._client._execute(raw_operation(operation), timeout)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
