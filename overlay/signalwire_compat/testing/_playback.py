"""A bidirectional stream's playback as SignalWire plays it, sans-IO: the app's audio in the order it came,
its marks echoed once the audio before them has played, ``clear`` dropping what is still queued, and the
record of what the caller heard (``_heard``).

Time is the space's clock, in seconds. Audio that comes while earlier audio still plays follows it with no
gap; audio that comes after the queue ran dry starts a new span when it comes. The model moves on whenever
it is told something (a message from the app, the pacer's tick, the stream's end), never back in time, and
says which marks to echo then.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

import attrs

from ._heard import Heard, HeardClear, HeardEnd, HeardEvent, HeardMark, HeardSpan

__all__ = ["Playback"]

_EPSILON = 1e-6  # samples: the float noise of (now - start) * rate, so audio due at a tick has played at it


@attrs.define
class _Span:
    start: float
    offset: int  # samples heard before it
    samples: int = 0
    end: float | None = None  # None: still playing


class Playback:
    """One stream's playback: ``rate`` samples a second of ``width`` bytes each in the stream's codec, which
    ``decode`` turns into 16-bit little-endian PCM."""

    def __init__(self, *, rate: int, width: int, decode: Callable[[bytes], bytes]) -> None:
        self._rate, self._width, self._decode = rate, width, decode
        self._now = -math.inf  # the latest time told
        self._span: _Span | None = None  # the span playing (None: nothing queued)
        self._queued = 0  # samples of the current span queued so far
        self._played = 0  # samples of it played by the latest time told
        self._pending = bytearray()  # its audio, moved to the record when the span ends
        self._marks: deque[tuple[int, str]] = deque()  # (samples into the span, name), in order
        self._heard = bytearray()  # the audio played, in the stream's codec
        self._events: list[_Span | HeardEvent] = []
        self._ended = False

    # -- what happens (each returns the marks to echo now, in order) --------------------------------

    def audio(self, at: float, payload: bytes) -> list[str]:
        """The app sent ``payload`` at ``at``: queued after what is still playing, else played from ``at``."""
        echoes = self._settle(at)
        if self._ended:
            return echoes
        if self._span is None:
            self._span = _Span(self._now, len(self._heard) // self._width)
            self._events.append(self._span)
        self._pending += payload
        self._queued = len(self._pending) // self._width
        return echoes

    def mark(self, at: float, name: str) -> list[str]:
        """The app sent a mark: echoed once the audio queued before it has played (at once if none is)."""
        echoes = self._settle(at)
        if self._span is None:
            if not self._ended:
                echoes.append(self._echoed(name))
        else:
            self._marks.append((self._queued, name))
        return echoes

    def clear(self, at: float) -> list[str]:
        """The app sent ``clear``: what is queued is dropped and its pending marks are echoed at once."""
        echoes = self._settle(at)
        if self._ended:
            return echoes
        dropped = self._stop_span()
        flushed = [name for _, name in self._marks]
        self._marks.clear()
        self._events.append(HeardClear(self._now, *self._pcm_size(dropped), tuple(flushed)))
        return echoes + [self._echoed(name) for name in flushed]

    def advance(self, at: float) -> list[str]:
        """The space's clock reached ``at`` (the pacer's tick)."""
        return self._settle(at)

    def end(self, at: float) -> list[str]:
        """The stream ends at ``at``: what is still queued is never heard, pending marks never echoed."""
        echoes = self._settle(at)
        if not self._ended:
            self._ended = True
            dropped = self._stop_span()
            self._marks.clear()
            self._events.append(HeardEnd(self._now, *self._pcm_size(dropped)))
        return echoes

    def next_due(self) -> float | None:
        """When the next pending mark is due (None: none is)."""
        if self._span is None or not self._marks:
            return None
        return self._span.start + self._marks[0][0] / self._rate

    # -- the record --------------------------------------------------------------------------------

    def heard(self, at: float) -> Heard:
        """What the caller had heard by ``at`` (a snapshot: the model does not move)."""
        at = max(at, self._now)
        played = self._position(at) if self._span is not None else 0
        audio = bytes(self._heard) + bytes(self._pending[: played * self._width])
        timeline: list[HeardEvent] = []
        for event in self._events:
            if isinstance(event, _Span):
                samples, end = event.samples, event.end
                if event is self._span:
                    samples, end = played, event.start + played / self._rate
                assert end is not None
                timeline.append(HeardSpan(event.start, end, 2 * event.offset, *self._pcm_size(samples)))
            else:
                timeline.append(event)
        return Heard(self._decode(audio), self._rate, tuple(timeline))

    # -- inside ------------------------------------------------------------------------------------

    def _position(self, at: float) -> int:
        """Samples of the current span played by ``at``."""
        assert self._span is not None
        return min(self._queued, math.floor((at - self._span.start) * self._rate + _EPSILON))

    def _settle(self, at: float) -> list[str]:
        """Move the model to ``at``: the audio played by then goes to the record; the marks due are echoed."""
        self._now = at = max(at, self._now)
        span = self._span
        if span is None:
            return []
        self._played = position = self._position(at)
        echoes = []
        while self._marks and self._marks[0][0] <= position:
            echoes.append(self._echoed(self._marks.popleft()[1]))
        if position >= self._queued:  # ran dry: the span ended when its last sample had played
            self._stop_span()
        return echoes

    def _stop_span(self) -> int:
        """End the current span where it has played to (it ran dry, a clear, the stream's end): its audio
        played goes to the record; returns the samples it had left, dropped."""
        span, self._span = self._span, None
        if span is None:
            return 0
        span.samples = self._played
        span.end = span.start + self._played / self._rate
        self._heard += self._pending[: self._played * self._width]
        self._pending.clear()
        dropped, self._queued, self._played = self._queued - self._played, 0, 0
        return dropped

    def _echoed(self, name: str) -> str:
        self._events.append(HeardMark(name, self._now))
        return name

    def _pcm_size(self, samples: int) -> tuple[int, int]:
        """``samples`` as bytes of 16-bit PCM and whole milliseconds."""
        return 2 * samples, round(samples * 1000 / self._rate)
