"""The resource tree under an ``AsyncClient``: ``conferences(sid)``, and the ``streams`` of calls and conferences
(``client.calls`` and one call's own operations are in ``_calls``).

Calls and conferences share every method through generic bases; each kind adds its ``create``
arguments and the builder of its requests. Every class is generic in a mode, ``Parsed`` (the
client's tree) or ``Raw`` (``client.with_raw_response``'s): the same objects, typed to return the
result or a ``RawResponse`` of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, Unpack, overload
from uuid import UUID

from .._literals import UpdateCallStreamRequestStatus, UpdateConferenceStreamRequestStatus
from .._signatures import keywords_of
from .._stream_options import ConferenceStreamOptions, StreamOptions
from .._validation import is_loopback_url, validate_stream

if TYPE_CHECKING:
    from .._models import CallStream, ConferenceStream
    from .._operation_types import Operation
    from .._raw import Parsed, Raw, RawResponse

# The builders (``.._builders``) are imported inside the methods that send: they load the generated
# client and attrs, which only a request needs, so ``import signalwire_compat`` stays cheap.

__all__ = [
    "AsyncCallStreamContext",
    "AsyncCallStreams",
    "AsyncConferenceContext",
    "AsyncConferenceStreamContext",
    "AsyncConferenceStreams",
]

T = TypeVar("T")
R = TypeVar("R")  # the stream document a call returns: CallStream or ConferenceStream
S = TypeVar("S")  # a kind's streams collection
C = TypeVar("C")  # a kind's stream context
M = TypeVar("M")  # the mode: Parsed or Raw
U = TypeVar("U", bound=str)  # the statuses a kind's update takes: its stop operation's Status enum


class AsyncClientLike(Protocol):
    """What the resources need of the client that made them (the client imports them, not the reverse)."""

    @property
    def account_sid(self) -> str: ...

    @property
    def base_url(self) -> str: ...

    async def _execute(self, operation: Operation[T], timeout: float | None = None) -> T | RawResponse[T]: ...


class _AsyncOwner(Generic[S]):
    """A call or a conference, by sid."""

    __slots__ = ("_client", "sid")

    def __init__(self, client: AsyncClientLike, sid: str) -> None:
        self._client = client
        self.sid = sid

    @property
    def streams(self) -> S:
        """Its media streams: ``streams(sid_or_name)`` for one, ``streams.create(...)`` to start one."""
        return self._streams()

    def _streams(self) -> S:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} sid={self.sid!r}>"


class _AsyncStreams(Generic[C]):
    """The media streams of one call or conference."""

    __slots__ = ("_client", "_owner_sid")
    _owner = ""  # "call" or "conference": the owner's id is ``{_owner}_sid``

    def __init__(self, client: AsyncClientLike, owner_sid: str) -> None:
        self._client = client
        self._owner_sid = owner_sid

    def __call__(self, stream: str | UUID) -> C:
        """The stream with this sid (a UUID) or name (1 to 64 characters, no ``/`` or control characters)."""
        return self._context(validate_stream(stream, "stream"))

    def _context(self, sid: str) -> C:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._owner}_sid={self._owner_sid!r}>"


class _AsyncStreamContext(Generic[R, M, U]):
    """One media stream of a call or conference, by sid or name."""

    __slots__ = ("_client", "_owner_sid", "sid")
    _owner = ""

    def __init__(self, client: AsyncClientLike, owner_sid: str, sid: str) -> None:
        self._client = client
        self._owner_sid = owner_sid
        self.sid = sid  # the stream's sid, or its name

    @overload
    async def update(self: _AsyncStreamContext[R, Parsed, U], status: U, *, timeout: float | None = None) -> R: ...
    @overload
    async def update(
        self: _AsyncStreamContext[R, Raw, U], status: U, *, timeout: float | None = None
    ) -> RawResponse[R]: ...
    async def update(self, status: U, *, timeout: float | None = None) -> R | RawResponse[R]:
        """Update the stream; ``status="stopped"`` (the only value the API accepts) stops it.
        ``timeout`` replaces the client's ``timeout`` (seconds per attempt) for this call."""
        return await self._client._execute(self._update(status), timeout)

    @overload
    async def stop(self: _AsyncStreamContext[R, Parsed, U], *, timeout: float | None = None) -> R: ...
    @overload
    async def stop(self: _AsyncStreamContext[R, Raw, U], *, timeout: float | None = None) -> RawResponse[R]: ...
    async def stop(self, *, timeout: float | None = None) -> R | RawResponse[R]:
        """Stop the stream. Idempotent: stopping a stopped stream returns it stopped.
        ``timeout`` replaces the client's ``timeout`` (seconds per attempt) for this call."""
        return await self._client._execute(self._update("stopped"), timeout)

    def _update(self, status: str) -> Operation[R]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._owner}_sid={self._owner_sid!r} sid={self.sid!r}>"


# -- calls -----------------------------------------------------------------------------------------


class AsyncCallStreams(_AsyncStreams["AsyncCallStreamContext[M]"], Generic[M]):
    """``client.calls(call_sid).streams``."""

    __slots__ = ()
    _owner = "call"

    @property
    def call_sid(self) -> str:
        return self._owner_sid

    def _context(self, sid: str) -> AsyncCallStreamContext[M]:
        return AsyncCallStreamContext(self._client, self._owner_sid, sid)

    @overload
    async def create(
        self: AsyncCallStreams[Parsed], *, url: str, timeout: float | None = None, **options: Unpack[StreamOptions]
    ) -> CallStream: ...
    @overload
    async def create(
        self: AsyncCallStreams[Raw], *, url: str, timeout: float | None = None, **options: Unpack[StreamOptions]
    ) -> RawResponse[CallStream]: ...
    @keywords_of(StreamOptions)
    async def create(
        self, *, url: str, timeout: float | None = None, **options: Unpack[StreamOptions]
    ) -> CallStream | RawResponse[CallStream]:
        """Start streaming the call's audio to ``url`` (``wss://``; ``ws://`` to a loopback host only
        when the client's own space is a loopback URL, i.e. a local fake).

        ``name`` lets you stop it by name later; ``track`` is ``inbound_track``, ``outbound_track`` or
        ``both_tracks`` (the API's default); ``status_callback`` gets a request when the stream starts
        and stops (``status_callback_method`` ``POST``, the default, or ``GET``); ``parameters`` (at
        most 99, order kept) reach the WebSocket server; ``authorization_bearer_token`` is sent to it
        as a bearer token and is never shown. Not idempotent: retried only when the API cannot have
        acted on the request (connection refused, 408, 429, 503). ``timeout`` replaces the client's
        ``timeout`` (seconds per attempt) for this call.
        """
        from .._builders import StreamSettings, create_call_stream

        client = self._client
        settings = StreamSettings.of(url, options)
        local = is_loopback_url(client.base_url)  # a local fake space: ws:// to a loopback app is fine
        operation = create_call_stream(client.account_sid, self._owner_sid, settings, local_space=local)
        return await client._execute(operation, timeout)


class AsyncCallStreamContext(_AsyncStreamContext["CallStream", M, UpdateCallStreamRequestStatus]):
    """``client.calls(call_sid).streams(sid_or_name)``."""

    __slots__ = ()
    _owner = "call"

    @property
    def call_sid(self) -> str:
        return self._owner_sid

    def _update(self, status: str) -> Operation[CallStream]:
        from .._builders import update_call_stream

        return update_call_stream(self._client.account_sid, self._owner_sid, self.sid, status)


# -- conferences -----------------------------------------------------------------------------------


class AsyncConferenceContext(_AsyncOwner["AsyncConferenceStreams[M]"], Generic[M]):
    """``client.conferences(conference_sid)``."""

    __slots__ = ()

    def _streams(self) -> AsyncConferenceStreams[M]:
        return AsyncConferenceStreams(self._client, self.sid)


class AsyncConferenceStreams(_AsyncStreams["AsyncConferenceStreamContext[M]"], Generic[M]):
    """``client.conferences(conference_sid).streams``."""

    __slots__ = ()
    _owner = "conference"

    @property
    def conference_sid(self) -> str:
        return self._owner_sid

    def _context(self, sid: str) -> AsyncConferenceStreamContext[M]:
        return AsyncConferenceStreamContext(self._client, self._owner_sid, sid)

    @overload
    async def create(
        self: AsyncConferenceStreams[Parsed],
        *,
        url: str,
        timeout: float | None = None,
        **options: Unpack[ConferenceStreamOptions],
    ) -> ConferenceStream: ...
    @overload
    async def create(
        self: AsyncConferenceStreams[Raw],
        *,
        url: str,
        timeout: float | None = None,
        **options: Unpack[ConferenceStreamOptions],
    ) -> RawResponse[ConferenceStream]: ...
    @keywords_of(ConferenceStreamOptions)
    async def create(
        self, *, url: str, timeout: float | None = None, **options: Unpack[ConferenceStreamOptions]
    ) -> ConferenceStream | RawResponse[ConferenceStream]:
        """Start streaming the conference's audio to ``url``; as ``calls(...).streams.create``, plus
        ``stream_codec`` (``PCMU``, ``PCMA``, ``L16``, ``L16@16000h``, ``L16@24000h``) and
        ``stream_real_time``."""
        from .._builders import StreamSettings, create_conference_stream

        codec, real_time = options.pop("stream_codec", None), options.pop("stream_real_time", None)
        client = self._client
        settings = StreamSettings.of(url, options)
        operation = create_conference_stream(
            client.account_sid,
            self._owner_sid,
            settings,
            stream_codec=codec,
            stream_real_time=real_time,
            local_space=is_loopback_url(client.base_url),
        )
        return await client._execute(operation, timeout)


class AsyncConferenceStreamContext(_AsyncStreamContext["ConferenceStream", M, UpdateConferenceStreamRequestStatus]):
    """``client.conferences(conference_sid).streams(sid_or_name)``."""

    __slots__ = ()
    _owner = "conference"

    @property
    def conference_sid(self) -> str:
        return self._owner_sid

    def _update(self, status: str) -> Operation[ConferenceStream]:
        from .._builders import update_conference_stream

        return update_conference_stream(self._client.account_sid, self._owner_sid, self.sid, status)
