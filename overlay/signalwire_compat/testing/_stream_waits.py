"""The waits on one stream's WebSocket session (``MediaStream``): each ``wait_…`` blocks the calling thread,
its ``await_…`` twin awaits on the running loop; both end on the session's notice, or time out in real time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Self

from ._clock import wait_until
from ._waiting import Changes, await_until

if TYPE_CHECKING:
    from .. import media
    from .._stream_status import StreamError

__all__ = ["StreamWaits"]


class StreamWaits:
    """What ``MediaStream`` records, waited on (its ``_changed`` is notified on every change)."""

    _changed: Changes
    state: str
    error: StreamError | None
    error_detail: str | None
    frames_sent: int
    stop_sent: bool
    marks_echoed: list[str]
    app_messages: list[media.AppMessage]

    @property
    def sid(self) -> str:
        raise NotImplementedError

    def _wait(self, done: Callable[[], bool], what: str, timeout: float) -> None:
        wait_until(self._changed, done, timeout, self._late(what, timeout))

    async def _await(self, done: Callable[[], bool], what: str, timeout: float) -> None:
        await await_until(self._changed, done, timeout, self._late(what, timeout))

    def _late(self, what: str, timeout: float) -> Callable[[], str]:
        return lambda: f"stream {self.sid}: {what} within {timeout:g} s (state {self.state})"

    def _connected_or_raise(self) -> Self:
        if self.state == "failed":
            raise RuntimeError(f"stream {self.sid} could not connect: {self.error} ({self.error_detail})")
        return self

    def wait_until_connected(self, *, timeout: float = 5.0) -> Self:
        """Until the WebSocket is up (``stream-started`` sent); ``RuntimeError`` if it failed."""
        self._wait(lambda: self.state != "connecting", "not connected", timeout)
        return self._connected_or_raise()

    async def await_until_connected(self, *, timeout: float = 5.0) -> Self:
        """``wait_until_connected``, awaited on the running loop without blocking it."""
        await self._await(lambda: self.state != "connecting", "not connected", timeout)
        return self._connected_or_raise()

    def wait_until_ended(self, *, timeout: float = 5.0) -> Self:
        """Until the stream has stopped or failed."""
        self._wait(lambda: self.state in ("stopped", "failed"), "not ended", timeout)
        return self

    async def await_until_ended(self, *, timeout: float = 5.0) -> Self:
        """``wait_until_ended``, awaited on the running loop without blocking it."""
        await self._await(lambda: self.state in ("stopped", "failed"), "not ended", timeout)
        return self

    def wait_until_stop_sent(self, *, timeout: float = 5.0) -> Self:
        """Until ``stop`` was sent (or the session ended without one)."""
        ended = ("stopped", "failed")
        self._wait(lambda: self.stop_sent or self.state in ended, "no stop sent", timeout)
        return self

    def wait_for_frames(self, count: int, *, timeout: float = 5.0) -> Self:
        self._wait(lambda: self.frames_sent >= count, f"fewer than {count} media frames sent", timeout)
        return self

    async def await_for_frames(self, count: int, *, timeout: float = 5.0) -> Self:
        await self._await(lambda: self.frames_sent >= count, f"fewer than {count} media frames sent", timeout)
        return self

    def wait_for_marks(self, count: int, *, timeout: float = 5.0) -> list[str]:
        self._wait(lambda: len(self.marks_echoed) >= count, f"fewer than {count} marks echoed", timeout)
        with self._changed:
            return list(self.marks_echoed)

    async def await_for_marks(self, count: int, *, timeout: float = 5.0) -> list[str]:
        await self._await(lambda: len(self.marks_echoed) >= count, f"fewer than {count} marks echoed", timeout)
        with self._changed:
            return list(self.marks_echoed)

    def wait_for_app_messages(self, count: int, *, timeout: float = 5.0) -> list[media.AppMessage]:
        self._wait(lambda: len(self.app_messages) >= count, f"fewer than {count} app messages", timeout)
        with self._changed:
            return list(self.app_messages)

    async def await_for_app_messages(self, count: int, *, timeout: float = 5.0) -> list[media.AppMessage]:
        await self._await(lambda: len(self.app_messages) >= count, f"fewer than {count} app messages", timeout)
        with self._changed:
            return list(self.app_messages)

    def wait_for_app(
        self, condition: Callable[[list[media.AppMessage]], bool], *, timeout: float = 5.0
    ) -> list[media.AppMessage]:
        """Until ``condition`` holds of what the app has sent (given a copy of ``app_messages``; checked again on
        each message the app sends and each change of the session); returns those messages."""
        self._wait(lambda: condition(list(self.app_messages)), "the condition on the app's messages not met", timeout)
        with self._changed:
            return list(self.app_messages)

    async def await_for_app(
        self, condition: Callable[[list[media.AppMessage]], bool], *, timeout: float = 5.0
    ) -> list[media.AppMessage]:
        """``wait_for_app``, awaited on the running loop without blocking it."""
        what = "the condition on the app's messages not met"
        await self._await(lambda: condition(list(self.app_messages)), what, timeout)
        with self._changed:
            return list(self.app_messages)
