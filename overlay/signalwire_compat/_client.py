"""The synchronous client: ``Client(...).calls(sid).streams(sid).stop()``."""

from __future__ import annotations

import time
from types import ModuleType, TracebackType
from typing import Any, TypeVar
from uuid import UUID

import httpx

from . import _operations
from ._base_client import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    BaseClient,
    ConnectionFailure,
    Operation,
    OperationResult,
    ResponseTooLarge,
    describe_failure,
)
from ._exceptions import APIError
from ._models import CallStream, ConferenceStream
from ._validation import validate_sid

__all__ = ["Client"]

T = TypeVar("T")


class Client(BaseClient[httpx.Client]):
    """A client for one SignalWire project and space; reuse it (it holds a connection pool).

    Missing arguments are read from ``SIGNALWIRE_PROJECT_ID``, ``SIGNALWIRE_API_TOKEN`` and
    ``SIGNALWIRE_SPACE_URL`` (or ``SIGNALWIRE_SPACE``). ``space_url`` is a host such as
    ``example.signalwire.com`` or an https URL; plain http is accepted only for loopback addresses.
    ``timeout`` bounds each attempt, in seconds. Failed attempts that are safe to repeat are retried
    ``max_retries`` times. An injected ``http_client`` is used as is (proxies, certificates,
    transports) and is not closed by ``close()``.
    """

    def __init__(
        self,
        project_id: str | None = None,
        api_token: str | None = None,
        space_url: str | None = None,
        *,
        account_sid: str | UUID | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        backoff_factor: float = 0.5,
        max_retry_wait: float = 30.0,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            project_id,
            api_token,
            space_url,
            account_sid=account_sid,
            timeout=timeout,
            max_retries=max_retries,
            backoff_factor=backoff_factor,
            max_retry_wait=max_retry_wait,
            max_response_bytes=max_response_bytes,
            http_client=http_client,
            http_class=httpx.Client,
            default_http=lambda: httpx.Client(follow_redirects=False, limits=DEFAULT_LIMITS),
        )

    # -- resources -------------------------------------------------------------------------------

    def calls(self, call_sid: str | UUID) -> CallContext:
        return CallContext(self, validate_sid(call_sid, "call_sid"))

    def conferences(self, conference_sid: str | UUID) -> ConferenceContext:
        return ConferenceContext(self, validate_sid(conference_sid, "conference_sid"))

    def invoke(self, operation: ModuleType | str, /, *, idempotent: bool = False, **arguments: Any) -> OperationResult:
        """Call any generated operation with this client's auth, form encoding, retries and errors.

        ``operation`` is a generated endpoint module or its name (``"update_stream"``); ``arguments``
        are that module's arguments (``account_sid`` defaults to the client's). A 2xx answer is
        parsed by the generated code; anything else raises the usual ``APIError`` subclasses.
        Pass ``idempotent=True`` only if repeating the call is harmless: it allows retries after
        the request may already have reached the server.
        """
        built = _operations.escape_hatch(
            operation, arguments, account_sid=self.account_sid, base_url=self._base_url, idempotent=idempotent
        )
        return self._execute(built)

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- the request loop --------------------------------------------------------------------------

    def _execute(self, operation: Operation[T]) -> T:
        wire = operation.wire
        attempt = 0
        while True:  # bounded: _retry_delay returns None once max_retries is reached
            started = time.perf_counter()
            try:
                result = self._attempt(operation)
            except (APIError, ConnectionFailure) as error:
                self._log_attempt(wire, describe_failure(error), attempt, started)
                delay = self._retry_delay(operation, error, attempt)
                if delay is None:
                    if isinstance(error, ConnectionFailure):
                        raise error.error from error.__cause__
                    raise
                self._log_retry(wire, error, attempt, delay)
                time.sleep(delay)
                attempt += 1
                continue
            self._log_attempt(wire, "ok", attempt, started)
            return result

    def _attempt(self, operation: Operation[T]) -> T:
        wire = operation.wire
        deadline = time.monotonic() + self._timeout_seconds
        request = self._build_request(self._http, wire)
        truncated = False
        try:
            response = self._http.send(request, stream=True, auth=None, follow_redirects=False)
            try:
                chunks: list[bytes] = []
                try:
                    self._check_declared_length(response)
                    size = 0
                    for chunk in response.iter_bytes():
                        size = self._accumulate(chunks, size, chunk, deadline)
                    body = b"".join(chunks)
                except ResponseTooLarge as too_large:
                    body, truncated = too_large.head, True
            finally:
                response.close()
        except httpx.RequestError as exc:
            raise self._connection_failure(wire, exc) from exc
        return self._outcome(operation, response, body, truncated=truncated)


class CallContext:
    """``client.calls(call_sid)``."""

    __slots__ = ("_client", "sid")

    def __init__(self, client: Client, sid: str) -> None:
        self._client = client
        self.sid = sid

    def streams(self, stream_sid: str | UUID) -> CallStreamContext:
        return CallStreamContext(self._client, self.sid, validate_sid(stream_sid, "stream_sid"))

    def __repr__(self) -> str:
        return f"<CallContext sid={self.sid!r}>"


class CallStreamContext:
    """``client.calls(call_sid).streams(stream_sid)``."""

    __slots__ = ("_client", "call_sid", "sid")

    def __init__(self, client: Client, call_sid: str, sid: str) -> None:
        self._client = client
        self.call_sid = call_sid
        self.sid = sid

    def update(self, status: str) -> CallStream:
        """Update the stream; ``status="stopped"`` (the only value the API accepts) stops it."""
        client = self._client
        return client._execute(_operations.update_call_stream(client.account_sid, self.call_sid, self.sid, status))

    def stop(self) -> CallStream:
        """Stop the stream. Idempotent: stopping a stopped stream returns it stopped."""
        return self.update(status="stopped")

    def __repr__(self) -> str:
        return f"<CallStreamContext call_sid={self.call_sid!r} sid={self.sid!r}>"


class ConferenceContext:
    """``client.conferences(conference_sid)``."""

    __slots__ = ("_client", "sid")

    def __init__(self, client: Client, sid: str) -> None:
        self._client = client
        self.sid = sid

    def streams(self, stream_sid: str | UUID) -> ConferenceStreamContext:
        return ConferenceStreamContext(self._client, self.sid, validate_sid(stream_sid, "stream_sid"))

    def __repr__(self) -> str:
        return f"<ConferenceContext sid={self.sid!r}>"


class ConferenceStreamContext:
    """``client.conferences(conference_sid).streams(stream_sid)``."""

    __slots__ = ("_client", "conference_sid", "sid")

    def __init__(self, client: Client, conference_sid: str, sid: str) -> None:
        self._client = client
        self.conference_sid = conference_sid
        self.sid = sid

    def update(self, status: str) -> ConferenceStream:
        """Update the stream; ``status="stopped"`` (the only value the API accepts) stops it."""
        client = self._client
        return client._execute(
            _operations.update_conference_stream(client.account_sid, self.conference_sid, self.sid, status)
        )

    def stop(self) -> ConferenceStream:
        """Stop the stream. Idempotent: stopping a stopped stream returns it stopped."""
        return self.update(status="stopped")

    def __repr__(self) -> str:
        return f"<ConferenceStreamContext conference_sid={self.conference_sid!r} sid={self.sid!r}>"
