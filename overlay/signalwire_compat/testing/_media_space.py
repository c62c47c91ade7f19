"""FakeSpace's media half (a mixin): WebSocket sessions for loopback streams, incoming calls, status callbacks.

A stream whose URL is a loopback address gets a real WebSocket session; any other URL is never
connected to (the stream is started, with its callbacks, and carries no media).
"""

from __future__ import annotations

import ssl
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .. import media
from .._stream_status import StreamError
from .._validation import is_loopback_url
from ._audio import AudioSource, Tone, codec_named
from ._calls import FakeCall, check_incoming_call
from ._clock import Clock, ManualClock, RealClock
from ._loop import LoopThread
from ._media_stream import MediaSettings, MediaStream
from ._records import FakeStream, Kind, StreamState

if TYPE_CHECKING:
    from ..cxml import Stream
    from ._apps import AppRoute
    from ._callbacks import CallbackSender

__all__ = ["MediaSpace"]

_UNIQUE_IDS = uuid.UUID("5f1c2b4e-8a47-4c55-9a0b-3d6f1e2a7c90")  # namespace of the calls' Unique-IDs
StreamKey = tuple[str, Kind, str, str]


class MediaSpace:
    """The media methods of ``FakeSpace`` (see its reference in the README)."""

    project_id: str
    signing_key: str
    _lock: threading.Lock
    _streams: dict[StreamKey, StreamState]
    _callbacks: CallbackSender
    _app_route: AppRoute | None
    l16_byteorder: media.ByteOrder  # how L16 streams carry their audio: "little" as SignalWire, or "big"

    def _init_media(
        self, *, speed: float, clock: Clock | None, audio: AudioSource, ssl_context: ssl.SSLContext | None
    ) -> None:
        if clock is not None and speed != 1.0:
            raise ValueError("give speed or clock, not both")
        if not isinstance(audio, Tone | bytes):
            raise TypeError(f"audio must be a Tone or 16-bit PCM bytes, not {type(audio).__name__}")
        self.clock: Clock = clock if clock is not None else RealClock(speed)
        self.audio: AudioSource = audio  # what every stream plays unless its call says otherwise
        self.ssl_context = ssl_context  # for loopback wss:// (None: certificates are not verified)
        self._loop = LoopThread()
        self._media: dict[str, MediaStream] = {}
        self._calls: dict[str, FakeCall] = {}
        self._call_of: dict[str, FakeCall] = {}  # stream sid -> the call whose cXML started it

    # -- public ------------------------------------------------------------------------------------

    def media(self, sid: str) -> MediaStream:
        """The WebSocket session of the stream with this sid (``KeyError``: it has none, e.g. not loopback)."""
        with self._lock:
            return self._media[sid.lower()]

    def incoming_call(
        self,
        url: str,
        *,
        from_: str = "+15550100001",
        to: str = "+15550100002",
        method: str = "POST",
        audio: AudioSource | None = None,
    ) -> FakeCall:
        """Call the app: a signed voice webhook to ``url`` (loopback, or a URL ``callback_app`` takes, which
        gets it in-process), then its cXML, in the background.

        Returns the call at once; wait on it with ``call.wait_until_ended()`` / ``wait_for_streams()``.
        ``audio`` (a ``Tone`` or 16-bit PCM) is what its streams carry (default: ``space.audio``).
        """
        check_incoming_call(url, from_=from_, to=to, method=method, audio=audio, route=self._app_route)
        call = FakeCall(
            self,
            self._loop,
            self.clock,
            url=url,
            from_=from_,
            to=to,
            method=method,
            account=self.project_id.lower(),
            audio=audio,
        )
        with self._lock:
            self._calls[call.sid] = call
        call.start()
        return call

    def calls(self) -> list[FakeCall]:
        """Every incoming call placed, in order."""
        with self._lock:
            return list(self._calls.values())

    def advance(self, seconds: float) -> None:
        """Move a ``ManualClock`` on (``FakeSpace(clock=ManualClock())``)."""
        if not isinstance(self.clock, ManualClock):
            raise RuntimeError("advance() needs FakeSpace(clock=ManualClock())")
        self.clock.advance(seconds)

    # -- streams opening and closing ---------------------------------------------------------------

    def _stream_opened(
        self,
        key: StreamKey,
        state: StreamState,
        *,
        token: str | None,
        codec: str | None,
        bidirectional: bool = False,
        audio: AudioSource | None = None,
        on_loop: bool = False,
    ) -> None:
        """A stream was just stored: connect to a loopback URL, or call it started (any other URL)."""
        account, _, parent, sid = key
        chosen = codec_named(codec, l16_byteorder=self.l16_byteorder)
        if state.url is None or not is_loopback_url(state.url) or chosen is None:
            self._status_callback(key, state, "stream-started")
            return
        settings = MediaSettings(
            sid=sid,
            account_sid=account,
            call_sid=parent,
            url=state.url,
            token=token,
            track=state.settings.get("Track", "both_tracks" if not bidirectional else "inbound_track"),
            parameters=dict(state.parameters),
            codec=chosen,
            audio=self.audio if audio is None else audio,
            bidirectional=bidirectional,
            ssl_context=self.ssl_context,
        )
        session = MediaStream(settings, self, self.clock, self._loop)
        with self._lock:
            self._media[sid] = session
        if on_loop:
            session.begin()
        else:
            session.start()

    def _stream_closed(self, key: StreamKey, state: StreamState) -> None:
        """A stream was just stopped (REST, ``<Stop>``, the call ended): ``stop`` on its WebSocket, callback."""
        with self._lock:
            session = self._media.get(key[3])
            call = self._call_of.get(key[3])
        if session is not None:
            session.stop()
        self._status_callback(key, state, "stream-stopped")
        if call is not None:
            self._loop.call_soon(call.stream_ended, key[3])

    def _key_of(self, sid: str) -> tuple[StreamKey, StreamState] | None:
        with self._lock:
            for key, state in self._streams.items():
                if key[3] == sid:
                    return key, state
        return None

    def _media_connected(self, sid: str) -> None:
        found = self._key_of(sid)
        if found is not None:
            self._status_callback(*found, "stream-started")

    def _media_ended(self, sid: str, error: StreamError | None) -> None:
        """The session is over: if the stream was not stopped already (the app closed, or it failed), it is now."""
        found = self._key_of(sid)
        if found is None:
            return
        key, state = found
        with self._lock:
            ended_now = state.status != "stopped"
            if ended_now:
                state.status = "stopped"
                state.date_updated = datetime.now(UTC)
            call = self._call_of.get(sid)
        if ended_now:
            self._status_callback(key, state, "stream-error" if error else "stream-stopped", error)
        if call is not None:
            call.stream_ended(sid)  # on the loop thread already

    def _status_callback(
        self, key: StreamKey, state: StreamState, event: str, error: StreamError | None = None
    ) -> None:
        if not state.status_callback:
            return
        account, kind, parent, sid = key
        params = [
            ("AccountSid", account),
            ("CallSid" if kind == "call" else "ConferenceSid", parent),
            ("StreamSid", sid),
            ("StreamName", state.name or sid),  # SignalWire: "defaults to the StreamSid"
            ("StreamEvent", event),
            *([("StreamError", error.value)] if error is not None else []),
            ("StreamTrack", state.settings.get("Track", "both_tracks")),
            ("Timestamp", datetime.now(UTC).isoformat(timespec="milliseconds")),  # ISO 8601, as documented
            ("Unique-ID", str(uuid.uuid5(_UNIQUE_IDS, parent))),  # the call leg's id: one per call
        ]
        self._callbacks.send(state.status_callback, state.status_callback_method, params)

    # -- what calls ask (CallHost; on the loop thread) ---------------------------------------------

    def _start_call_stream(self, call: FakeCall, stream: Stream, *, bidirectional: bool) -> FakeStream | None:
        from urllib.parse import urljoin

        attributes = stream.attributes
        sid = str(uuid.uuid4())
        callback = attributes.get("statusCallback")
        track = attributes.get("track", "inbound_track")  # cXML's default (REST's is both_tracks)
        state = StreamState(
            name=attributes.get("name", sid),
            status="in-progress",
            date_updated=datetime.now(UTC),
            url=attributes.get("url"),
            status_callback=None if callback is None else urljoin(call.url, callback),
            status_callback_method=attributes.get("statusCallbackMethod", "POST"),
            parameters=tuple(stream.parameters.items()),
            settings={"Track": track, "Codec": attributes.get("codec", "PCMU@8000h"), "Source": "cXML"},
        )
        key: StreamKey = (call.account_sid, "call", call.sid, sid)
        with self._lock:
            duplicate = any(
                k[:3] == key[:3] and s.name == state.name and s.status != "stopped" for k, s in self._streams.items()
            )
            if duplicate:
                state.status = "stopped"
            self._streams[key] = state
            self._call_of[sid] = call
        fake = FakeStream("call", call.account_sid, call.sid, sid)
        call.added_stream(fake)
        if duplicate:
            self._status_callback(key, state, "stream-error", StreamError.DUPLICATED_STREAM_NAME)
            call.stream_ended(sid)
            return fake
        self._stream_opened(
            key,
            state,
            token=attributes.get("authBearerToken"),
            codec=state.settings["Codec"],
            bidirectional=bidirectional,
            audio=call.audio,
            on_loop=True,
        )
        return fake

    def _stop_call_stream(self, call: FakeCall, name: str) -> None:
        self._stop_where(lambda key, state: key[2] == call.sid and state.name == name)

    def _end_call_streams(self, call: FakeCall) -> None:
        self._stop_where(lambda key, state: key[2] == call.sid)

    def _stop_where(self, chosen: Callable[[StreamKey, StreamState], bool]) -> None:
        stopped = []
        with self._lock:
            for key, state in self._streams.items():
                if state.status != "stopped" and chosen(key, state):
                    state.status = "stopped"
                    state.date_updated = datetime.now(UTC)
                    stopped.append((key, state))
        for key, state in stopped:
            self._stream_closed(key, state)

    # -- the end -----------------------------------------------------------------------------------

    def _stop_media(self, timeout: float = 5.0) -> None:
        """Hang up every call and stop every session (``stop`` sent, callbacks queued), then the loop."""
        if not self._loop.started:
            return
        for call in self.calls():
            call.hangup()
        for call in self.calls():
            try:
                call.wait_until_ended(timeout=timeout)
            except TimeoutError:
                break
        self._stop_where(lambda key, state: key[3] in self._media)
        with self._lock:
            sessions = list(self._media.values())
        for session in sessions:
            try:
                session.wait_until_ended(timeout=timeout)
            except TimeoutError:
                break
        self._loop.close(timeout)
