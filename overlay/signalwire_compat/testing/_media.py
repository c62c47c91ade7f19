"""FakeSpace's media part: the clock media and ``<Pause>`` run on, the pacer that ticks on it for every
stream, the audio streams carry, the event loop thread, and one WebSocket session (``MediaStream``) per
stream whose URL is a loopback address.

It knows nothing of streams' rules or of calls: it opens a session when asked and tells the callables it
was given when the session is up and when it is over.
"""

from __future__ import annotations

import contextlib
import ssl
import threading

from .. import media
from ._apps import AppRoute
from ._audio import AudioSource, Codec, Tone, byte_order
from ._clock import Clock, ManualClock, RealClock
from ._loop import LoopThread
from ._media_connect import Connected, Ended, MediaSettings
from ._media_stream import MediaStream
from ._pacer import Pacer
from ._store import Stored

__all__ = ["Media", "check_audio"]


def check_audio(audio: object) -> None:
    if not isinstance(audio, Tone | bytes):
        raise TypeError(f"audio must be a Tone or 16-bit PCM bytes, not {type(audio).__name__}")


class Media:
    """The clock, the default audio, the SSL context for loopback ``wss://``, the loop and the sessions."""

    def __init__(
        self,
        *,
        speed: float,
        clock: Clock | None,
        audio: AudioSource,
        ssl_context: ssl.SSLContext | None,
        l16_byteorder: object = "little",
    ) -> None:
        if clock is not None and speed != 1.0:
            raise ValueError("give speed or clock, not both")
        check_audio(audio)
        self.clock: Clock = clock if clock is not None else RealClock(speed)
        self.audio: AudioSource = audio  # what every stream plays unless its call says otherwise
        self.ssl_context = ssl_context  # for loopback wss:// (None: certificates are not verified)
        self.l16_byteorder: media.ByteOrder = byte_order(l16_byteorder)  # "little" as SignalWire, or "big"
        self.loop = LoopThread()
        self.pacer = Pacer(self.clock)  # one timer on the clock for every session's frames
        self._lock = threading.Lock()
        self._sessions: dict[str, MediaStream] = {}

    def open(
        self,
        stored: Stored,
        *,
        codec: Codec,
        token: str | None,
        bidirectional: bool,
        audio: AudioSource | None,
        on_loop: bool,
        on_connected: Connected,
        on_ended: Ended,
        app: AppRoute | None = None,
    ) -> MediaStream:
        """Open the WebSocket of a stream whose URL is a loopback one, or one ``app`` takes in-process (from any
        thread; ``on_loop``: on the loop thread, where the session starts at once)."""
        stream, state = stored.stream, stored.state
        assert state.url is not None
        settings = MediaSettings(
            sid=stream.sid,
            account_sid=stream.account_sid,
            call_sid=stream.parent_sid,
            url=state.url,
            token=token,
            track=state.settings.get("Track", "both_tracks" if not bidirectional else "inbound_track"),
            parameters=dict(state.parameters),
            codec=codec,
            audio=self.audio if audio is None else audio,
            bidirectional=bidirectional,
            ssl_context=self.ssl_context,
            app=app,
        )
        session = MediaStream(settings, self.pacer, self.loop, on_connected=on_connected, on_ended=on_ended)
        with self._lock:
            self._sessions[stream.sid] = session
        if on_loop:
            session.begin()
        else:
            session.start()
        return session

    def session(self, sid: str) -> MediaStream:
        """The session of the stream with this sid (``KeyError``: it has none)."""
        with self._lock:
            return self._sessions[sid]

    def sids(self) -> list[str]:
        """The streams that have (or had) a session."""
        with self._lock:
            return list(self._sessions)

    def stop(self, sid: str) -> None:
        """Have the stream's session (if any) send ``stop`` and close."""
        with self._lock:
            session = self._sessions.get(sid)
        if session is not None:
            session.stop()

    def wait_stop_sent(self, sid: str, timeout: float) -> None:
        """Until the stream's session (if any) has sent ``stop`` or ended: what a REST stop answers after."""
        with self._lock:
            session = self._sessions.get(sid)
        if session is None or self.loop.on_loop_thread():
            return
        with contextlib.suppress(TimeoutError):  # an app that holds its socket up gets its answer anyway
            session.wait_until_stop_sent(timeout=timeout)

    def advance(self, seconds: float) -> None:
        if not isinstance(self.clock, ManualClock):
            raise RuntimeError("advance() needs FakeSpace(clock=ManualClock())")
        self.clock.advance(seconds)

    @property
    def started(self) -> bool:
        return self.loop.started

    def close(self, timeout: float) -> None:
        """Wait for the sessions to end (each was told to stop), then close the loop and join its thread."""
        with self._lock:
            sessions = list(self._sessions.values())
        for session in sessions:
            try:
                session.wait_until_ended(timeout=timeout)
            except TimeoutError:
                break
        self.loop.close(timeout)
