"""Waiting on what FakeSpace's parts record: blocking a thread (``wait_…``) or awaiting on any event loop
(``await_…``), woken by the same notice.

Every record that can be waited on (a call, a stream's WebSocket session, the status callbacks) holds a
``Changes``: a ``threading.Condition`` whose ``notify_all`` also wakes the coroutines awaiting it, each on its
own loop, so a test or an app awaits on its loop without blocking it and without a thread per wait.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

__all__ = ["Changes", "await_until"]


class Changes(threading.Condition):
    """A condition that threads wait on and coroutines await; notified under its lock, as a Condition is."""

    def __init__(self) -> None:
        super().__init__()
        self._awaiting: dict[asyncio.Future[None], asyncio.AbstractEventLoop] = {}

    def notify_all(self) -> None:
        super().notify_all()
        awaiting, self._awaiting = self._awaiting, {}
        for future, loop in awaiting.items():
            if not loop.is_closed():
                loop.call_soon_threadsafe(_wake, future)

    def _await_next(self) -> asyncio.Future[None]:
        """A future the next ``notify_all`` completes (call with the lock held, on the awaiting loop)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._awaiting[future] = loop
        return future

    def _forget(self, future: asyncio.Future[None]) -> None:
        with self:
            self._awaiting.pop(future, None)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def await_until(changed: Changes, done: Callable[[], bool], timeout: float, late: Callable[[], str]) -> None:
    """Await until ``done()`` holds (checked under ``changed``, again on each notice), on the running loop.

    Raises ``TimeoutError(late())`` after ``timeout`` seconds of real time, as ``wait_until`` does.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        with changed:
            if done():
                return
            future = changed._await_next()
        try:
            async with asyncio.timeout_at(deadline):
                await future
        except TimeoutError:
            with changed:
                if done():
                    return
            raise TimeoutError(late()) from None
        finally:
            changed._forget(future)
