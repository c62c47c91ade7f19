"""FakeSpace's clocks: real time (optionally sped up) or a manual clock a test advances by hand.

Media pacing, ``<Pause>`` and mark echoes sleep on the space's clock, in call seconds.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
import time
from collections.abc import Callable
from typing import NamedTuple, Protocol

__all__ = ["Clock", "ManualClock", "RealClock"]


class Clock(Protocol):
    """What FakeSpace asks of a clock: call seconds since it began, and a sleep until one of them."""

    def now(self) -> float: ...

    async def sleep_until(self, when: float) -> None: ...


class RealClock:
    """Call time runs ``speed`` times faster than wall time (``speed=1``: real time)."""

    def __init__(self, speed: float = 1.0) -> None:
        if not isinstance(speed, int | float) or isinstance(speed, bool) or not 0 < speed <= 10_000:
            raise ValueError(f"speed must be a number above 0 and at most 10000, got {speed!r}")
        self.speed = float(speed)
        self._start = time.monotonic()

    def __repr__(self) -> str:
        return f"RealClock(speed={self.speed:g})"

    def now(self) -> float:
        return (time.monotonic() - self._start) * self.speed

    async def sleep_until(self, when: float) -> None:
        delay = (when - self.now()) / self.speed
        await asyncio.sleep(max(delay, 0.0))


class _Sleeper(NamedTuple):
    """One ``sleep_until`` waiting on a ``ManualClock``: ordered by when it is due, then by arrival."""

    when: float
    order: int
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None]


class ManualClock:
    """Call time moves only when a test calls ``advance(seconds)``; sleepers due by then wake up.

    ``advance`` may be called from any thread; it returns once the due sleepers are scheduled
    (their effects, e.g. frames sent, follow on FakeSpace's own thread: wait on them, not on it).
    """

    def __init__(self) -> None:
        self._now = 0.0
        self._lock = threading.Lock()
        self._order = itertools.count()
        self._sleepers: list[_Sleeper] = []  # a heap: the first due first

    def __repr__(self) -> str:
        return f"ManualClock(now={self.now():g})"

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
            raise ValueError(f"seconds must be a number >= 0, got {seconds!r}")
        with self._lock:
            # To the nanosecond: ten advances of 0.02 reach 0.2 (not 0.19999999999999998), where a frame is due.
            self._now = round(self._now + seconds, 9)
            due = []
            while self._sleepers and self._sleepers[0].when <= self._now:
                due.append(heapq.heappop(self._sleepers))
        for sleeper in due:
            if not sleeper.loop.is_closed():
                sleeper.loop.call_soon_threadsafe(_wake, sleeper.future)

    async def sleep_until(self, when: float) -> None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        when = round(when, 9)  # 35 * 0.02 is 0.7000000000000001: due at 0.7, as the clock keeps time
        with self._lock:
            if when <= self._now:
                return
            heapq.heappush(self._sleepers, _Sleeper(when, next(self._order), loop, future))
        try:
            await future
        finally:
            if not future.done():  # cancelled: forget it, so a later advance does not touch it
                with self._lock:
                    self._sleepers = [sleeper for sleeper in self._sleepers if sleeper.future is not future]
                    heapq.heapify(self._sleepers)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def wait_until(changed: threading.Condition, done: Callable[[], bool], timeout: float, late: Callable[[], str]) -> None:
    """Block until ``done()`` holds (checked under ``changed``, re-checked on each notify), in real time.

    Raises ``TimeoutError(late())`` after ``timeout`` seconds: waits are the test's, not the fake's clock.
    """
    deadline = time.monotonic() + timeout
    with changed:
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(late())
            changed.wait(left)
