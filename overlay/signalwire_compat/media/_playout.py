"""What a media session sends, and what the caller has heard: the outbound audio's pacing, sans-IO.

The app's plays are one continuous stream of encoded audio, cut into 20 ms frames. SignalWire
plays what it receives in order and queues the rest, so the session keeps only a bounded lead
queued there (``LEAD_MS``): enough to ride out a slow event loop, little enough that a ``clear``
has little to drop. SignalWire's own clock decides when more may go: the ``timestamp`` of each
inbound ``media`` message (its call time, every 20 ms), with no wall clock involved. A ``mark``
sent after the last frame of each play is echoed once SignalWire has played it, which resolves
the play; on a stream that carries no inbound audio, marks every ``MARK_EVERY_MS`` pace it instead.

What the caller heard is SignalWire's queue model at the latest timestamp: the audio sent, minus
what is still queued there (within 20 ms, the time between two timestamps, plus network latency).
"""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

import attrs

__all__ = ["FRAME_MS", "LEAD_MS", "MARK_EVERY_MS", "Playout"]

T = TypeVar("T")
FRAME_MS = 20
LEAD_MS = 200  # the most audio queued at SignalWire, beyond what the caller hears now
MARK_EVERY_MS = 100  # a mark at least this often while audio flows: the clock when no media comes in


@attrs.define
class _Entry(Generic[T]):
    play: T
    start: int  # byte offsets in the outbound stream: [start, end)
    end: int
    sealed: bool  # its audio is all queued (else a resampler still holds its last few ms)


class Playout(Generic[T]):
    """The outbound stream's state: plays queued, bytes sent, SignalWire's queue as modelled.

    ``T`` is whatever the session resolves (its ``Playback``); this class only says when.
    """

    def __init__(self, *, frame_bytes: int, lead_ms: int = LEAD_MS) -> None:
        if frame_bytes <= 0 or frame_bytes % FRAME_MS:
            raise ValueError(f"frame_bytes must be a positive multiple of {FRAME_MS}, got {frame_bytes}")
        self.frame_bytes = frame_bytes
        self.bytes_per_ms = frame_bytes // FRAME_MS
        self._lead = lead_ms * self.bytes_per_ms  # in bytes
        self._mark_every = MARK_EVERY_MS * self.bytes_per_ms
        self._chunks: deque[memoryview] = deque()  # audio not yet sent, in order
        self._entries: deque[_Entry[T]] = deque()  # plays not yet resolved, in order
        self._ends: deque[int] = deque()  # ends of plays whose mark is not sent yet, ascending
        self._queued = 0  # bytes the app queued, in all
        self._sent = 0  # bytes sent to SignalWire
        self._marked = 0  # offset of the last mark sent
        self._confirmed = 0  # offset of the last mark echoed (SignalWire had played this much)
        self._generation = 0  # bumped by clear: the marks sent before it no longer say anything
        self._now: int | None = None  # SignalWire's call time (ms), from inbound media timestamps
        self._drains_at = 0.0  # the call time at which SignalWire's queue runs out

    # -- input -------------------------------------------------------------------------------------

    def add(self, play: T, audio: bytes, *, sealed: bool = True) -> None:
        """Queue ``audio`` (encoded, whole samples) as ``play``, after every play queued before it.

        A play not ``sealed`` may still grow (``extend``: a resampler's tail); its end mark waits for ``seal``.
        """
        self.seal()
        start = self._queued
        self._append(audio)
        self._entries.append(_Entry(play, start, self._queued, sealed))
        if sealed:
            self._ends.append(self._queued)

    def extend(self, audio: bytes) -> None:
        """More audio for the last play, which is not sealed (nothing if every play is resolved)."""
        if self._entries and not self._entries[-1].sealed:
            self._append(audio)
            self._entries[-1].end = self._queued

    def seal(self) -> None:
        """The last play is whole: its mark goes after its last frame."""
        if self._entries and not self._entries[-1].sealed:
            self._entries[-1].sealed = True
            self._ends.append(self._entries[-1].end)

    def _append(self, audio: bytes) -> None:
        if audio:
            self._chunks.append(memoryview(audio))
            self._queued += len(audio)

    def clock(self, timestamp: int) -> None:
        """SignalWire's call time (an inbound ``media`` message's ``timestamp``, in ms)."""
        if self._now is None:  # what was sent before the clock started is still queued there
            self._drains_at = timestamp + (self._sent - self._confirmed) / self.bytes_per_ms
            self._now = timestamp
        elif timestamp > self._now:
            self._now = timestamp

    def echoed(self, name: str) -> list[T]:
        """A mark came back: the plays it shows were played, in order."""
        generation, _, offset = name.partition(":")
        if generation != str(self._generation) or not offset.isdecimal():
            return []  # from before a clear (echoed by the flush), or not the session's
        self._confirmed = max(self._confirmed, int(offset))
        played = []
        while self._entries and self._entries[0].sealed and self._entries[0].end <= self._confirmed:
            entry = self._entries.popleft()
            played.append(entry.play)
        return played

    # -- output ------------------------------------------------------------------------------------

    @property
    def unsent(self) -> bool:
        """Audio waits to be sent."""
        return bool(self._chunks)

    def queued_ms(self) -> float:
        """Milliseconds of audio sent and not yet played, as modelled."""
        return self._queued_at_signalwire() / self.bytes_per_ms

    @property
    def has_work(self) -> bool:
        """Audio waits to be sent, or a play's end still needs its mark."""
        return bool(self._chunks) or bool(self._ends)

    def take(self) -> list[bytes | str]:
        """What to send now, in order: frames (``bytes``) and mark names (``str``), as far as the lead allows."""
        out: list[bytes | str] = []
        while self._chunks and self._queued_at_signalwire() < self._lead:
            frame = self._frame()
            self._sent += len(frame)
            if self._now is not None:
                self._drains_at = max(self._drains_at, self._now) + len(frame) / self.bytes_per_ms
            out.append(frame)
            if (self._ends and self._ends[0] <= self._sent) or self._sent - self._marked >= self._mark_every:
                out.append(self._mark())
        if self._ends and self._ends[0] <= self._sent:
            out.append(self._mark())  # an empty play's, or one sealed after its audio went
        return out

    def _frame(self) -> bytes:
        head = self._chunks[0]
        if len(head) > self.frame_bytes:
            self._chunks[0] = head[self.frame_bytes :]
            return bytes(head[: self.frame_bytes])
        parts = [self._chunks.popleft()]
        size = len(parts[0])
        while self._chunks and size < self.frame_bytes:  # a frame across two plays: no gap between them
            head = self._chunks[0]
            wanted = self.frame_bytes - size
            if len(head) > wanted:
                self._chunks[0] = head[wanted:]
                head = head[:wanted]
            else:
                self._chunks.popleft()
            parts.append(head)
            size += len(head)
        return b"".join(parts)

    def _mark(self) -> str:
        self._marked = self._sent
        while self._ends and self._ends[0] <= self._sent:
            self._ends.popleft()
        return f"{self._generation}:{self._sent}"

    def _queued_at_signalwire(self) -> float:
        """Bytes sent that SignalWire has not played yet, as modelled (marks only, if no clock)."""
        if self._now is None:
            return self._sent - self._confirmed
        return max(0.0, self._drains_at - self._now) * self.bytes_per_ms

    # -- what was heard ----------------------------------------------------------------------------

    def _played(self) -> int:
        """Bytes of the outbound stream the caller has heard by now."""
        return max(self._confirmed, self._sent - int(self._queued_at_signalwire()))

    def _ms(self, size: int) -> int:
        return size // self.bytes_per_ms

    def position(self, play: T) -> int | None:
        """Milliseconds of ``play`` heard so far (None once it is resolved, or if it is not queued)."""
        played = self._played()
        for entry in self._entries:
            if entry.play is play:
                return self._heard(entry, played)
        return None

    def _heard(self, entry: _Entry[T], played: int) -> int:
        return self._ms(min(max(played - entry.start, 0), entry.end - entry.start))

    def current(self) -> T | None:
        """The play the caller hears now (or will hear next), None when nothing is queued."""
        played = self._played()
        for entry in self._entries:
            if entry.end > played:
                return entry.play
        return self._entries[-1].play if self._entries else None

    def last(self) -> T | None:
        """The play queued last, if it is not resolved yet."""
        return self._entries[-1].play if self._entries else None

    @property
    def idle(self) -> bool:
        return not self._entries

    def clear(self) -> list[tuple[T, int]]:
        """Drop what was not sent; every play not yet resolved, with the ms of it heard.

        Use it when the session sends ``clear`` (SignalWire drops its queue) or ends.
        """
        played = self._played()
        cleared = [(entry.play, self._heard(entry, played)) for entry in self._entries]
        self._entries.clear()
        self._ends.clear()
        self._chunks.clear()
        self._queued = self._confirmed = self._marked = self._sent  # SignalWire drops what it queued
        self._generation += 1
        if self._now is not None:
            self._drains_at = float(self._now)
        return cleared
