"""The synchronous client: ``Client(...).calls(sid).streams(sid).stop()``."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import httpx

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
from ._validation import validate_sid, validate_stream

if TYPE_CHECKING:
    from ._models import CallStream, ConferenceStream
    from ._operation import Operation, OperationResult

# Operations are imported inside the methods below: they load the generated client (its models,
# attrs), which only a request needs, so `import signalwire_compat` stays cheap.


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
        from ._operations import escape_hatch

        built = escape_hatch(
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

    @property
    def streams(self) -> CallStreams:
        """This call's media streams: ``streams(sid_or_name)`` for one, ``streams.create(...)`` to start one."""
        return CallStreams(self._client, self.sid)

    def __repr__(self) -> str:
        return f"<CallContext sid={self.sid!r}>"


class CallStreams:
    """``client.calls(call_sid).streams``."""

    __slots__ = ("_client", "call_sid")

    def __init__(self, client: Client, call_sid: str) -> None:
        self._client = client
        self.call_sid = call_sid

    def __call__(self, stream: str | UUID) -> CallStreamContext:
        """The stream with this sid (a UUID) or name (1-64 characters, no ``/``; sent percent-quoted)."""
        return CallStreamContext(self._client, self.call_sid, validate_stream(stream, "stream"))

    def create(
        self,
        *,
        url: str,
        name: str | None = None,
        track: str | None = None,
        status_callback: str | None = None,
        status_callback_method: str | None = None,
        parameters: Mapping[str, str] | None = None,
        authorization_bearer_token: str | None = None,
    ) -> CallStream:
        """Start streaming the call's audio to ``url`` (``wss://`` only).

        ``name`` lets you stop it by name later; ``track`` is ``inbound_track``, ``outbound_track`` or
        ``both_tracks`` (the API's default); ``status_callback`` gets a request when the stream starts
        and stops (``status_callback_method`` ``POST``, the default, or ``GET``); ``parameters`` (at
        most 99, order kept) reach the WebSocket server; ``authorization_bearer_token`` is sent to it
        as a bearer token and is never shown. Not idempotent: retried only when the API cannot have
        acted on the request (connection refused, 408, 429, 503).
        """
        from ._operations import StreamSettings, create_call_stream

        settings = StreamSettings(
            url, name, track, status_callback, status_callback_method, parameters, authorization_bearer_token
        )
        client = self._client
        return client._execute(create_call_stream(client.account_sid, self.call_sid, settings))

    def __repr__(self) -> str:
        return f"<CallStreams call_sid={self.call_sid!r}>"


class CallStreamContext:
    """``client.calls(call_sid).streams(sid_or_name)``."""

    __slots__ = ("_client", "call_sid", "sid")

    def __init__(self, client: Client, call_sid: str, sid: str) -> None:
        self._client = client
        self.call_sid = call_sid
        self.sid = sid  # the stream's sid, or its name

    def update(self, status: str) -> CallStream:
        """Update the stream; ``status="stopped"`` (the only value the API accepts) stops it."""
        from ._operations import update_call_stream

        client = self._client
        return client._execute(update_call_stream(client.account_sid, self.call_sid, self.sid, status))

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

    @property
    def streams(self) -> ConferenceStreams:
        """This conference's media streams: ``streams(sid_or_name)`` for one, ``streams.create(...)`` to start one."""
        return ConferenceStreams(self._client, self.sid)

    def __repr__(self) -> str:
        return f"<ConferenceContext sid={self.sid!r}>"


class ConferenceStreams:
    """``client.conferences(conference_sid).streams``."""

    __slots__ = ("_client", "conference_sid")

    def __init__(self, client: Client, conference_sid: str) -> None:
        self._client = client
        self.conference_sid = conference_sid

    def __call__(self, stream: str | UUID) -> ConferenceStreamContext:
        """The stream with this sid (a UUID) or name (1-64 characters, no ``/``; sent percent-quoted)."""
        return ConferenceStreamContext(self._client, self.conference_sid, validate_stream(stream, "stream"))

    def create(
        self,
        *,
        url: str,
        name: str | None = None,
        track: str | None = None,
        status_callback: str | None = None,
        status_callback_method: str | None = None,
        parameters: Mapping[str, str] | None = None,
        authorization_bearer_token: str | None = None,
        stream_codec: str | None = None,
        stream_real_time: bool | None = None,
    ) -> ConferenceStream:
        """Start streaming the conference's audio to ``url``; as ``calls(...).streams.create``, plus
        ``stream_codec`` (``PCMU``, ``PCMA``, ``L16``, ``L16@16000h``, ``L16@24000h``) and
        ``stream_real_time``."""
        from ._operations import StreamSettings, create_conference_stream

        settings = StreamSettings(
            url, name, track, status_callback, status_callback_method, parameters, authorization_bearer_token
        )
        client = self._client
        operation = create_conference_stream(
            client.account_sid,
            self.conference_sid,
            settings,
            stream_codec=stream_codec,
            stream_real_time=stream_real_time,
        )
        return client._execute(operation)

    def __repr__(self) -> str:
        return f"<ConferenceStreams conference_sid={self.conference_sid!r}>"


class ConferenceStreamContext:
    """``client.conferences(conference_sid).streams(sid_or_name)``."""

    __slots__ = ("_client", "conference_sid", "sid")

    def __init__(self, client: Client, conference_sid: str, sid: str) -> None:
        self._client = client
        self.conference_sid = conference_sid
        self.sid = sid  # the stream's sid, or its name

    def update(self, status: str) -> ConferenceStream:
        """Update the stream; ``status="stopped"`` (the only value the API accepts) stops it."""
        from ._operations import update_conference_stream

        client = self._client
        return client._execute(update_conference_stream(client.account_sid, self.conference_sid, self.sid, status))

    def stop(self) -> ConferenceStream:
        """Stop the stream. Idempotent: stopping a stopped stream returns it stopped."""
        return self.update(status="stopped")

    def __repr__(self) -> str:
        return f"<ConferenceStreamContext conference_sid={self.conference_sid!r} sid={self.sid!r}>"
