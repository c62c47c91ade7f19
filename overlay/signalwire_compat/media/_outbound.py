"""The app's audio on its way out: resampled to the stream's rate, encoded in its codec, queued as plays.

Consecutive plays at one rate go through one resampler, so audio streamed in chunks (a TTS or a
realtime model's deltas, each its own play) converts as one signal, with no seam between chunks.
The filter holds back a few ms of each chunk; they come out ahead of the next chunk and are counted
to the play they belong to, and when no next chunk comes in time the filter is flushed into the
last play before SignalWire's queue runs dry (``FLUSH_MS``), so a play's end mark covers all of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from ._playout import Playout
from ._resample import Resampler

__all__ = ["FLUSH_MS", "Outbound"]

T = TypeVar("T")
FLUSH_MS = 60  # flush a resampler once SignalWire has at most this much queued and nothing more waits


class Outbound(Generic[T]):
    """Queues plays (16-bit little-endian PCM at any rate) into a ``Playout`` in the stream's codec."""

    def __init__(self, playout: Playout[T], *, rate: int, encode: Callable[[bytes], bytes]) -> None:
        self._playout = playout
        self.rate = rate
        self._encode = encode
        self._resampler: Resampler | None = None  # the one converting the latest plays, if not flushed
        self._samples_in = 0  # since the last flush
        self._samples_out = 0

    def add(self, play: T, pcm: bytes, rate: int) -> None:
        if rate == self.rate:
            self.flush()
            self._playout.add(play, self._encode(pcm))
            return
        resampler = self._resampler
        if resampler is None or resampler.from_rate != rate:
            self.flush()
            resampler = self._resampler = Resampler(rate, self.rate)
        # What the plays before this one are still owed: their length at the new rate, less what came out.
        owed = round(self._samples_in * self.rate / rate) - self._samples_out
        converted = resampler.resample(pcm)
        self._samples_in += len(pcm) // 2
        self._samples_out += len(converted) // 2
        split = 2 * max(0, min(owed, len(converted) // 2))
        if split:
            self._playout.extend(self._encode(converted[:split]))
        self._playout.add(play, self._encode(converted[split:]), sealed=False)

    @property
    def holding(self) -> bool:
        """A resampler holds the last play's final few ms."""
        return self._resampler is not None

    def flush_if_due(self) -> None:
        """Flush the filter into the last play when nothing else is coming before SignalWire runs dry."""
        if self._resampler is not None and not self._playout.unsent and self._playout.queued_ms() <= FLUSH_MS:
            self.flush()

    def flush(self) -> None:
        """The resampler's tail into the last play, which is then whole."""
        resampler, self._resampler = self._resampler, None
        if resampler is not None:
            tail = resampler.flush()
            if tail:
                self._playout.extend(self._encode(tail))
        self._samples_in = self._samples_out = 0
        self._playout.seal()

    def drop(self) -> None:
        """Forget what the resampler holds (after a clear: that audio is not wanted any more)."""
        self._resampler = None
        self._samples_in = self._samples_out = 0
