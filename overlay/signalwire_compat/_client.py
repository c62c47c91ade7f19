"""The synchronous client: ``Client(...).calls(sid).streams(sid).stop()``."""

from __future__ import annotations

import logging
import time
from types import ModuleType, TracebackType
from typing import Any, TypeVar
from uuid import UUID

import httpx

from . import _operations
from ._base_client import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    Attempt,
    BaseClient,
    CallClock,
    logger,
)
from ._http import ATTEMPT_DEADLINE, sync_http_client
from ._models import CallStream, ConferenceStream
from ._operations import Operation, OperationResult
from ._validation import validate_sid

__all__ = ["Client"]

T = TypeVar("T")


class Client(BaseClient[httpx.Client]):
    """A client for one SignalWire project and space; reuse it (it holds a connection pool).

    Missing arguments are read from ``SIGNALWIRE_PROJECT_ID``, ``SIGNALWIRE_API_TOKEN`` and
    ``SIGNALWIRE_SPACE_URL`` (or ``SIGNALWIRE_SPACE``). ``space_url`` is a space name
    (``example``), a host (``example.signalwire.com``) or an https URL; plain http is accepted only
    for loopback addresses. ``timeout`` bounds each attempt (connecting, sending and the whole
    answer), in seconds; ``total_timeout`` bounds a call across its attempts and retry waits.
    Failed attempts that are safe to repeat are retried ``max_retries`` times. An injected
    ``http_client`` is used as is (proxies, certificates, transports) and is not closed by ``close()``.
    """

    def __init__(
        self,
        project_id: str | None = None,
        api_token: str | None = None,
        space_url: str | None = None,
        *,
        account_sid: str | UUID | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
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
            total_timeout=total_timeout,
            max_retries=max_retries,
            backoff_factor=backoff_factor,
            max_retry_wait=max_retry_wait,
            max_response_bytes=max_response_bytes,
            http_client=http_client,
            http_class=httpx.Client,
            default_http=sync_http_client,
        )
        self._loop_checked = False

    # -- resources -------------------------------------------------------------------------------

    def calls(self, call_sid: str | UUID) -> CallContext:
        """The call with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
        return CallContext(self, validate_sid(call_sid, "call_sid"))

    def conferences(self, conference_sid: str | UUID) -> ConferenceContext:
        """The conference with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
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
        """Close the connection pool (an injected ``http_client`` is left open). Idempotent."""
        self._closed = True
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
        self._check_open()
        if not self._loop_checked:
            self._warn_if_in_event_loop()
        clock = CallClock(self._options)
        while True:  # bounded: _delay_after returns None after max_retries or total_timeout
            started = time.perf_counter()
            attempt = self._attempt(operation, clock.attempt_deadline())
            delay = self._delay_after(operation, attempt, clock, started)
            if delay is None:
                return attempt.unwrap()
            time.sleep(delay)

    def _attempt(self, operation: Operation[T], deadline: float) -> Attempt[T]:
        token = ATTEMPT_DEADLINE.set(deadline)
        try:
            with self._http.stream(**self._request_args(operation)) as response:
                reader = self._body_reader(response, deadline)
                if not reader.done:
                    for chunk in response.iter_raw():
                        if reader.feed(chunk, time.monotonic()):
                            break
        except httpx.RequestError as exc:
            return self._transport_failure(operation, exc)
        finally:
            ATTEMPT_DEADLINE.reset(token)
        return self._judge(operation, response, reader.result())

    def _warn_if_in_event_loop(self) -> None:
        import sys

        self._loop_checked = True
        asyncio = sys.modules.get("asyncio")  # not imported: no loop can be running
        if asyncio is not None and logger.isEnabledFor(logging.DEBUG):
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return
            logger.debug(
                "signalwire_compat.Client is used inside a running event loop, which it blocks: use AsyncClient"
            )


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
