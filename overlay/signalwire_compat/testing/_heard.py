"""What the caller heard on a bidirectional stream: the app's audio SignalWire played, as 16-bit PCM, and a
timeline on the space's clock of each span played, each mark echoed, each ``clear`` and the stream's end.

``_playback`` keeps it as the stream runs; ``MediaStream.heard`` and ``FakeCall.heard`` hand out these
frozen snapshots.
"""

from __future__ import annotations

import os
import wave
from collections.abc import Sequence
from typing import ClassVar, TypeAlias

import attrs

__all__ = ["Heard", "HeardClear", "HeardEnd", "HeardEvent", "HeardMark", "HeardSpan", "joined"]


@attrs.frozen
class HeardSpan:
    """Audio played without a gap from ``start`` to ``end`` (seconds on the space's clock): ``heard.pcm``'s
    ``size`` bytes from ``offset``, ``ms`` long. A span ends when the app's audio runs out, at a ``clear``
    or when the stream ends."""

    start: float
    end: float
    offset: int
    size: int
    ms: int


@attrs.frozen
class HeardMark:
    """The app's mark ``name``, echoed at ``at`` (once the audio before it had played, or at a ``clear``)."""

    name: str
    at: float


@attrs.frozen
class HeardClear:
    """A ``clear`` at ``at``: ``dropped`` bytes of PCM (``dropped_ms``) queued and never played, and the
    marks it echoed at once (``flushed``)."""

    at: float
    dropped: int
    dropped_ms: int
    flushed: tuple[str, ...]


@attrs.frozen
class HeardEnd:
    """The stream ended at ``at`` (``stop``, or the WebSocket closed) with ``dropped`` bytes of PCM
    (``dropped_ms``) still queued: the caller never heard them, and marks still pending were not echoed."""

    at: float
    dropped: int
    dropped_ms: int


HeardEvent: TypeAlias = HeardSpan | HeardMark | HeardClear | HeardEnd


def _event_time(event: HeardEvent) -> float:
    return event.start if isinstance(event, HeardSpan) else event.at


@attrs.frozen(repr=False)
class Heard:
    """What the caller heard: ``pcm`` (16-bit signed little-endian mono) at ``rate`` Hz, the app's audio in
    the order played, minus what a ``clear`` dropped; ``timeline`` is what happened, in order of time: its
    events are ``Heard.Span``, ``Heard.Mark``, ``Heard.Clear`` and ``Heard.End``."""

    Span: ClassVar[type[HeardSpan]] = HeardSpan
    Mark: ClassVar[type[HeardMark]] = HeardMark
    Clear: ClassVar[type[HeardClear]] = HeardClear
    End: ClassVar[type[HeardEnd]] = HeardEnd

    pcm: bytes
    rate: int
    timeline: tuple[HeardEvent, ...] = ()

    def __repr__(self) -> str:
        return f"Heard(rate={self.rate}, seconds={self.seconds:g}, timeline={len(self.timeline)} events)"

    @property
    def seconds(self) -> float:
        """How long the heard audio lasts."""
        return len(self.pcm) / 2 / self.rate

    def write_wav(self, path: str | os.PathLike[str]) -> None:
        """Write ``pcm`` as a mono 16-bit WAV file at ``rate`` (``OSError`` if the file cannot be written)."""
        # Opened here, not by wave.open(path): on Python 3.11 a writer whose file failed to open still runs its
        # __del__, which prints "Exception ignored ... AttributeError" after the OSError.
        with open(os.fspath(path), "wb") as raw, wave.open(raw, "wb") as file:
            file.setnchannels(1)
            file.setsampwidth(2)
            file.setframerate(self.rate)
            file.writeframes(self.pcm)


def joined(records: Sequence[Heard], *, rate: int = 8000) -> Heard:
    """Records of streams played one after another, as one (none: nothing heard, at ``rate``); each span's
    ``offset`` counts in the joined ``pcm``. ``ValueError`` if their rates differ."""
    if not records:
        return Heard(b"", rate)
    if len(records) == 1:
        return records[0]
    rates = {record.rate for record in records}
    if len(rates) > 1:
        raise ValueError(f"the streams played at different rates ({sorted(rates)} Hz): read each stream's heard")
    pcm = bytearray()
    timeline: list[HeardEvent] = []
    for record in records:
        shift = len(pcm)
        pcm += record.pcm
        timeline += [
            attrs.evolve(event, offset=event.offset + shift) if isinstance(event, HeardSpan) else event
            for event in record.timeline
        ]
    timeline.sort(key=_event_time)  # stable: events at one time keep their order
    return Heard(bytes(pcm), records[0].rate, tuple(timeline))
