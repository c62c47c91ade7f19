"""The caller on a FakeCall, scripted by the test: keys pressed, speech, the hang-up, each now or at a time on
the space's clock counted from the call's first stream's connect (as the command line's ``--dtmf '#@1.5'``).

A key press reaches every connected stream of the call as SignalWire sends it, one ``dtmf`` message per digit;
speech goes on each stream's inbound track from its next frame (resampled to the stream's rate if it needs
it: the ``audio`` extra); a hang-up ends the call as the caller's would. What is scheduled runs on the space's
loop and is dropped when the call ends.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

import attrs

from .. import media
from ._clock import Clock
from ._loop import LoopThread
from ._media_stream import MediaStream
from ._wav import read_wav

__all__ = ["Caller", "Speech", "check_at", "speech_of"]


@attrs.frozen(repr=False)
class Speech:
    """What the caller says: 16-bit little-endian mono PCM at ``rate`` (None: at each stream's own rate)."""

    pcm: bytes
    rate: int | None

    def __repr__(self) -> str:
        return f"Speech({len(self.pcm)} bytes, rate={self.rate})"

    def for_stream(self, rate: int) -> bytes:
        """The speech at ``rate``: as it is, or resampled (``media.AudioExtraMissingError`` without soxr)."""
        if self.rate is None or self.rate == rate:
            return self.pcm
        return media.resample(self.pcm, from_rate=self.rate, to_rate=rate)


def speech_of(audio: object) -> Speech:
    """``audio``: a WAV file's path, a WAV file's bytes (``RIFF…WAVE``), or 16-bit PCM bytes at the streams' rate."""
    if isinstance(audio, str | os.PathLike):
        return Speech(*read_wav(audio))
    if isinstance(audio, bytes | bytearray | memoryview):
        data = bytes(audio)
        if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
            return Speech(*read_wav(data))
        if len(data) % 2:
            raise ValueError(f"PCM must be 16-bit samples (an even number of bytes), got {len(data)}")
        return Speech(data, None)
    raise TypeError(f"audio must be 16-bit PCM bytes, a WAV file's bytes or its path, not {type(audio).__name__}")


def check_at(at: object) -> float | None:
    """``at``: None (now), or seconds (>= 0) on the space's clock from the call's first stream's connect."""
    if at is None:
        return None
    if isinstance(at, bool) or not isinstance(at, int | float) or not at >= 0 or at == float("inf"):
        raise ValueError(f"at must be None (now) or a number of seconds >= 0, got {at!r}")
    return float(at)


def _check_digits(digits: object, duration: object) -> tuple[str, int]:
    if not isinstance(digits, str) or not digits or any(digit not in media.DTMF_DIGITS for digit in digits):
        raise ValueError(f"digits must be a non-empty str of 0-9, *, #, A-D, got {digits!r}")
    if type(duration) is not int or duration <= 0:
        raise ValueError(f"duration must be a positive int (ms), got {duration!r}")
    return digits, duration


class Caller:
    """One call's caller: what is scheduled for it, and when its first stream connected (on the clock)."""

    def __init__(
        self,
        *,
        loop: LoopThread,
        clock: Clock,
        sessions: Callable[[], Iterable[MediaStream]],
        hang_up: Callable[[], None],
        name: str,
    ) -> None:
        self._loop, self._clock = loop, clock
        self._sessions, self._hang_up, self._name = sessions, hang_up, name
        self.connected_at: float | None = None  # the clock's time of the first stream's connect
        self._connected: asyncio.Event | None = None  # on the loop
        self._pending: set[asyncio.Task[None]] = set()
        self._ended = False
        self.errors: list[str] = []  # what a scheduled action could not do (e.g. no audio extra to resample)

    # -- from any thread -------------------------------------------------------------------------

    def press(self, digits: str, *, at: float | None, duration: int) -> None:
        digits, duration = _check_digits(digits, duration)
        when = check_at(at)
        step = duration / 1000
        if when is None:
            self._send_digit(digits[0], duration, now=True)
            start = self._clock.now()
            for index, digit in enumerate(digits[1:], 1):
                self._schedule(None, start + index * step, self._digit_action(digit, duration))
            return
        for index, digit in enumerate(digits):
            self._schedule(when + index * step, None, self._digit_action(digit, duration))

    def speak(self, audio: object, *, at: float | None) -> None:
        speech, when = speech_of(audio), check_at(at)
        if when is None:
            self._say(speech, now=True)
        else:
            self._schedule(when, None, lambda: self._say(speech, now=False))

    def hang_up(self, *, at: float | None) -> None:
        when = check_at(at)
        if when is None:
            self._hang_up()
        else:
            self._schedule(when, None, self._hang_up)

    # -- what the caller does --------------------------------------------------------------------

    def _connected_sessions(self) -> list[MediaStream]:
        return [session for session in self._sessions() if session.state == "connected"]

    def _none_connected(self) -> str:
        return f"{self._name}: none of its streams is connected (wait for one, or give at=)"

    def _send_digit(self, digit: str, duration: int, *, now: bool) -> None:
        sessions = self._connected_sessions()
        if not sessions:
            self._fail(f"{self._none_connected()}; {digit!r} was not sent", now=now)
        for session in sessions:
            session.send_dtmf(digit, duration=duration)

    def _digit_action(self, digit: str, duration: int) -> Callable[[], None]:
        return lambda: self._send_digit(digit, duration, now=False)

    def _say(self, speech: Speech, *, now: bool) -> None:
        # The caller is heard on the inbound track: a stream of the other party's audio only does not carry it.
        sessions = [s for s in self._connected_sessions() if s.settings.track in ("inbound_track", "both_tracks")]
        if not sessions:
            self._fail(f"{self._none_connected()}; nothing was said", now=now)
        try:
            spoken = [(session, speech.for_stream(session.settings.codec.sample_rate)) for session in sessions]
        except (ImportError, ValueError) as error:
            if now:  # the caller's own error: media.AudioExtraMissingError names the extra
                raise
            self.errors.append(f"{self._name}: the speech could not be said: {error}")
            return
        for session, pcm in spoken:
            session.say(pcm)

    def _fail(self, problem: str, *, now: bool) -> None:
        if now:
            raise RuntimeError(problem)
        self.errors.append(problem)

    # -- on the loop -----------------------------------------------------------------------------

    def connected(self, at: float | None) -> None:
        """One of the call's streams connected at ``at`` on the clock (on the loop): the first sets the script's
        zero, its media's timestamp 0."""
        if self.connected_at is None:
            self.connected_at = self._clock.now() if at is None else at
            self._event().set()

    def end(self) -> None:
        """The call has ended (on the loop): what is still scheduled is dropped."""
        self._ended = True
        for task in list(self._pending):
            task.cancel()

    def _event(self) -> asyncio.Event:
        if self._connected is None:
            self._connected = asyncio.Event()
        return self._connected

    def _schedule(self, after_connect: float | None, at_clock: float | None, action: Callable[[], None]) -> None:
        """Start the action's task; once this returns, it sleeps on the clock (or waits for the connect), so a
        ManualClock advanced next wakes it. Tasks start in order: a second one started means the first ran."""
        self._loop.submit(self._track(self._run_at(after_connect, at_clock, action)))
        if not self._loop.on_loop_thread():
            self._loop.submit(_nothing()).result(timeout=5)

    async def _track(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.current_task()
        assert task is not None
        if self._ended:
            coroutine.close()
            return
        self._pending.add(task)
        try:
            await coroutine
        finally:
            self._pending.discard(task)

    async def _run_at(self, after_connect: float | None, at_clock: float | None, action: Callable[[], None]) -> None:
        if after_connect is not None:
            await self._event().wait()
            assert self.connected_at is not None
            at_clock = self.connected_at + after_connect
        assert at_clock is not None
        await self._clock.sleep_until(at_clock)
        action()


async def _nothing() -> None:
    return None
