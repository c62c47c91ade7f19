"""FakeSpace's pacer: one timer on the space's clock for every stream's WebSocket session, instead of one
per track or per frame.

Each stream sends a frame on each of its tracks every 20 ms of the clock from its connect, the first at
once: the pacer wakes on the clock's milliseconds (tick ``n`` at ``n`` ms) when a stream has a frame due, and has
every stream due then queue its frames and move its playback on (the app's audio played, marks due
echoed). Streams keep the phase they joined at, spread over the 20 ms as independent calls are, so an app
serving many gets their frames as a steady flow rather than all at once. A tick the loop reaches late is
caught up at once, in order: a ``ManualClock``'s ``advance`` plays every frame due by the time it reaches.
"""

from __future__ import annotations

import asyncio
import math
from typing import Protocol

from ._clock import Clock

__all__ = ["TICKS_PER_FRAME", "TICK_SECONDS", "Paced", "Pacer", "tick_at"]

TICK_SECONDS = 0.001
TICKS_PER_FRAME = 20  # a frame every 20 ms
_EPSILON = 1e-6  # ticks: a clock's float noise (50 advances of 0.02 s make 0.9999999999999999 s)


def tick_at(now: float) -> int:
    """The last tick due at ``now`` (the clock's seconds)."""
    return math.floor(now / TICK_SECONDS + _EPSILON)


class Paced(Protocol):
    """A stream's session, as the pacer drives it (on the loop thread)."""

    def pace(self, tick: int, at: float) -> None:
        """Queue what is due: its frames of every tick up to ``tick`` and its playback at ``at`` (seconds)."""
        ...


class Pacer:
    """The ticks of one clock, for the sessions that joined; its task runs on the loop while one has."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        # The sessions by the tick of the 20 ms their frames fall on, each in the order they joined.
        self._phases: list[dict[Paced, None]] = [{} for _ in range(TICKS_PER_FRAME)]
        self._count = 0
        self._done = -1  # the last tick played
        self._task: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"<Pacer clock={self.clock!r} streams={self._count} tick={self._done}>"

    def join(self, member: Paced, first: int) -> None:
        """Pace ``member`` from tick ``first`` (``tick_at`` its connect) on, every ``TICKS_PER_FRAME`` ticks (on
        the loop); what is due by now goes at once."""
        now = self.clock.now()
        self._phases[first % TICKS_PER_FRAME][member] = None
        self._count += 1
        if self._task is None or self._task.done():
            self._done = tick_at(now)
            self._task = asyncio.get_running_loop().create_task(self._run())
        member.pace(max(first, tick_at(now)), now)

    def leave(self, member: Paced) -> None:
        """Pace ``member`` no more (on the loop)."""
        for phase in self._phases:
            if phase.pop(member, 0) is None:
                self._count -= 1

    async def _run(self) -> None:
        clock = self.clock
        while self._count:
            await clock.sleep_until(self._next_busy() * TICK_SECONDS)
            self.tick(clock.now())

    def _next_busy(self) -> int:
        """The next tick with a stream due (within one frame: every stream is due once a frame)."""
        for tick in range(self._done + 1, self._done + TICKS_PER_FRAME + 1):
            if self._phases[tick % TICKS_PER_FRAME]:
                return tick
        return self._done + TICKS_PER_FRAME

    def tick(self, now: float) -> None:
        """Play every tick due by ``now`` not played yet, in order (the last at ``now``)."""
        last = tick_at(now)
        for tick in range(self._done + 1, last + 1):
            members = self._phases[tick % TICKS_PER_FRAME]
            if members:
                at = now if tick == last else tick * TICK_SECONDS
                for member in tuple(members):
                    member.pace(tick, at)
        self._done = max(self._done, last)
