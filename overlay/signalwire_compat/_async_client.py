"""The asynchronous client: ``await AsyncClient(...).calls(sid).streams(sid).stop()``.

Same configuration, retries and errors as ``Client``; every decision lives in ``BaseClient``.
"""

from __future__ import annotations

import asyncio
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
)
from ._http import ATTEMPT_DEADLINE, async_http_client
from ._validation import validate_sid, validate_stream

if TYPE_CHECKING:
    from ._models import CallStream, ConferenceStream
    from ._operation import Operation, OperationResult

# Operations are imported inside the methods below: they load the generated client (its models,
# attrs), which only a request needs, so `import signalwire_compat` stays cheap.


__all__ = ["AsyncClient"]

T = TypeVar("T")


class AsyncClient(BaseClient[httpx.AsyncClient]):
    """The async twin of ``Client``; use ``async with`` or ``await client.aclose()``.

    Requests go through httpx's interface on aiohttp's engine. An injected ``http_client`` must
    be an ``httpx.AsyncClient`` (any transport) and is not closed by ``aclose()``.
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
        http_client: httpx.AsyncClient | None = None,
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
            http_class=httpx.AsyncClient,
            default_http=async_http_client,
        )

    # -- resources -------------------------------------------------------------------------------

    def calls(self, call_sid: str | UUID) -> AsyncCallContext:
        """The call with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
        return AsyncCallContext(self, validate_sid(call_sid, "call_sid"))

    def conferences(self, conference_sid: str | UUID) -> AsyncConferenceContext:
        """The conference with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
        return AsyncConferenceContext(self, validate_sid(conference_sid, "conference_sid"))

    async def invoke(
        self, operation: ModuleType | str, /, *, idempotent: bool = False, **arguments: Any
    ) -> OperationResult:
        """The async twin of ``Client.invoke``."""
        from ._operations import escape_hatch

        built = escape_hatch(
            operation, arguments, account_sid=self.account_sid, base_url=self._base_url, idempotent=idempotent
        )
        return await self._execute(built)

    # -- lifecycle -------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool (an injected ``http_client`` is left open). Idempotent."""
        self._closed = True
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # -- the request loop --------------------------------------------------------------------------

    async def _execute(self, operation: Operation[T]) -> T:
        self._check_open()
        clock = CallClock(self._options)
        while True:  # bounded: _delay_after returns None after max_retries or total_timeout
            started = time.perf_counter()
            attempt = await self._attempt(operation, clock.attempt_deadline())
            delay = self._delay_after(operation, attempt, clock, started)
            if delay is None:
                return attempt.unwrap()
            await asyncio.sleep(delay)

    async def _attempt(self, operation: Operation[T], deadline: float) -> Attempt[T]:
        token = ATTEMPT_DEADLINE.set(deadline)
        try:
            async with self._http.stream(**self._request_args(operation)) as response:
                reader = self._body_reader(response, deadline)
                if not reader.done:
                    async for chunk in response.aiter_raw():
                        if reader.feed(chunk, time.monotonic()):
                            break
        except httpx.RequestError as exc:
            return self._transport_failure(operation, exc)
        finally:
            ATTEMPT_DEADLINE.reset(token)
        return self._judge(operation, response, reader.result())


class AsyncCallContext:
    """``client.calls(call_sid)`` on an ``AsyncClient``."""

    __slots__ = ("_client", "sid")

    def __init__(self, client: AsyncClient, sid: str) -> None:
        self._client = client
        self.sid = sid

    @property
    def streams(self) -> AsyncCallStreams:
        """This call's media streams: ``streams(sid_or_name)`` for one, ``streams.create(...)`` to start one."""
        return AsyncCallStreams(self._client, self.sid)

    def __repr__(self) -> str:
        return f"<AsyncCallContext sid={self.sid!r}>"


class AsyncCallStreams:
    """``client.calls(call_sid).streams`` on an ``AsyncClient``."""

    __slots__ = ("_client", "call_sid")

    def __init__(self, client: AsyncClient, call_sid: str) -> None:
        self._client = client
        self.call_sid = call_sid

    def __call__(self, stream: str | UUID) -> AsyncCallStreamContext:
        """The stream with this sid (a UUID) or name (1-64 characters, no ``/``; sent percent-quoted)."""
        return AsyncCallStreamContext(self._client, self.call_sid, validate_stream(stream, "stream"))

    async def create(
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
        return await client._execute(create_call_stream(client.account_sid, self.call_sid, settings))

    def __repr__(self) -> str:
        return f"<AsyncCallStreams call_sid={self.call_sid!r}>"


class AsyncCallStreamContext:
    """``client.calls(call_sid).streams(sid_or_name)`` on an ``AsyncClient``."""

    __slots__ = ("_client", "call_sid", "sid")

    def __init__(self, client: AsyncClient, call_sid: str, sid: str) -> None:
        self._client = client
        self.call_sid = call_sid
        self.sid = sid  # the stream's sid, or its name

    async def update(self, status: str) -> CallStream:
        """Update the stream; ``status="stopped"`` (the only value the API accepts) stops it."""
        from ._operations import update_call_stream

        client = self._client
        return await client._execute(update_call_stream(client.account_sid, self.call_sid, self.sid, status))

    async def stop(self) -> CallStream:
        """Stop the stream. Idempotent: stopping a stopped stream returns it stopped."""
        return await self.update(status="stopped")

    def __repr__(self) -> str:
        return f"<AsyncCallStreamContext call_sid={self.call_sid!r} sid={self.sid!r}>"


class AsyncConferenceContext:
    """``client.conferences(conference_sid)`` on an ``AsyncClient``."""

    __slots__ = ("_client", "sid")

    def __init__(self, client: AsyncClient, sid: str) -> None:
        self._client = client
        self.sid = sid

    @property
    def streams(self) -> AsyncConferenceStreams:
        """This conference's media streams: ``streams(sid_or_name)`` for one, ``streams.create(...)`` to start one."""
        return AsyncConferenceStreams(self._client, self.sid)

    def __repr__(self) -> str:
        return f"<AsyncConferenceContext sid={self.sid!r}>"


class AsyncConferenceStreams:
    """``client.conferences(conference_sid).streams`` on an ``AsyncClient``."""

    __slots__ = ("_client", "conference_sid")

    def __init__(self, client: AsyncClient, conference_sid: str) -> None:
        self._client = client
        self.conference_sid = conference_sid

    def __call__(self, stream: str | UUID) -> AsyncConferenceStreamContext:
        """The stream with this sid (a UUID) or name (1-64 characters, no ``/``; sent percent-quoted)."""
        return AsyncConferenceStreamContext(self._client, self.conference_sid, validate_stream(stream, "stream"))

    async def create(
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
        return await client._execute(operation)

    def __repr__(self) -> str:
        return f"<AsyncConferenceStreams conference_sid={self.conference_sid!r}>"


class AsyncConferenceStreamContext:
    """``client.conferences(conference_sid).streams(sid_or_name)`` on an ``AsyncClient``."""

    __slots__ = ("_client", "conference_sid", "sid")

    def __init__(self, client: AsyncClient, conference_sid: str, sid: str) -> None:
        self._client = client
        self.conference_sid = conference_sid
        self.sid = sid  # the stream's sid, or its name

    async def update(self, status: str) -> ConferenceStream:
        """Update the stream; ``status="stopped"`` (the only value the API accepts) stops it."""
        from ._operations import update_conference_stream

        client = self._client
        return await client._execute(
            update_conference_stream(client.account_sid, self.conference_sid, self.sid, status)
        )

    async def stop(self) -> ConferenceStream:
        """Stop the stream. Idempotent: stopping a stopped stream returns it stopped."""
        return await self.update(status="stopped")

    def __repr__(self) -> str:
        return f"<AsyncConferenceStreamContext conference_sid={self.conference_sid!r} sid={self.sid!r}>"
