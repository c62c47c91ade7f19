"""What SignalWire still has to play of the audio an app sent on a bidirectional stream (sans-IO).

An app sends a mark after each chunk of audio; SignalWire echoes a mark once the audio queued before
it has played, in order, and at once for every pending mark when a ``clear`` drops the queue. So the
echo of chunk ``k``'s mark says: chunks up to ``k`` have been heard. Audio sent after the last echo
plays on from that echo, or from when it was sent if the queue had run dry by then, which gives the
time the caller will have heard everything (``done_at``). Times are the caller's to give (any
monotonic clock, in seconds); nothing here reads a clock or touches a socket.
"""

from __future__ import annotations

from collections import deque

__all__ = ["Backlog"]

_MAX_DIGITS = 12  # a mark number never needs more; longer "numbers" are someone else's mark names


class Backlog:
    """The chunks sent and not yet known to be heard, and when they will have been.

    ``sent`` names each chunk's mark (``prefix`` + a counter); ``echoed`` takes a mark SignalWire sent
    back (names it did not give are ignored); ``cleared`` records a ``clear``.
    """

    def __init__(self, prefix: str) -> None:
        if not prefix or prefix[-1].isdecimal():
            raise ValueError(f"prefix must be non-empty and not end in a digit, got {prefix!r}")
        self.prefix = prefix
        self.played_seconds = 0.0  # audio SignalWire's echoes say the caller heard
        self._sent = 0  # chunks sent (the last mark's number)
        self._pending: deque[tuple[int, float]] = deque()  # (mark number, seconds) not yet heard
        self._done_at: float | None = None

    def __repr__(self) -> str:
        return f"<Backlog sent={self._sent} pending={len(self._pending)} played_seconds={self.played_seconds:.3f}>"

    @property
    def done(self) -> bool:
        """Whether everything sent has been heard (or dropped by a clear)."""
        return not self._pending

    @property
    def done_at(self) -> float | None:
        """When the caller will have heard everything sent so far (None: nothing was ever sent)."""
        return self._done_at

    @property
    def pending_seconds(self) -> float:
        return sum(seconds for _, seconds in self._pending)

    def sent(self, seconds: float, *, now: float) -> str:
        """A chunk of ``seconds`` of audio goes out at ``now``: the name of the mark to send after it."""
        if not seconds >= 0:
            raise ValueError(f"seconds must be >= 0, got {seconds!r}")
        self._sent += 1
        self._pending.append((self._sent, seconds))
        starts = now if self._done_at is None else max(self._done_at, now)  # a drained queue plays at once
        self._done_at = starts + seconds
        return f"{self.prefix}{self._sent}"

    def echoed(self, name: str, *, now: float) -> bool:
        """SignalWire sent back the mark ``name`` at ``now``: True if it says more audio was heard."""
        number = self._number(name)
        if number is None or not self._pending or not self._pending[0][0] <= number <= self._sent:
            return False  # another's mark, a repeat, or one a clear flushed (its chunk is no longer pending)
        while self._pending and self._pending[0][0] <= number:
            self.played_seconds += self._pending.popleft()[1]
        self._done_at = now + self.pending_seconds  # what is left plays on from here
        return True

    def cleared(self, *, now: float) -> None:
        """A ``clear`` went out at ``now``: everything queued is dropped (the marks it flushes count for nothing)."""
        self._pending.clear()
        if self._done_at is not None:
            self._done_at = min(self._done_at, now)

    def _number(self, name: str) -> int | None:
        if not name.startswith(self.prefix):
            return None
        digits = name[len(self.prefix) :]
        if not digits.isdecimal() or not digits.isascii() or len(digits) > _MAX_DIGITS:
            return None
        return int(digits)
