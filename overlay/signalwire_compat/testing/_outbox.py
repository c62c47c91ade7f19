"""What one stream's session sends: one queue, numbered as SignalWire numbers its messages and written in
order by one task, so an app that stops reading holds up its own stream only."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from ._caller_audio import CallerAudio

__all__ = ["Outbox"]


class Outbox:
    """Messages queued on the loop thread, written by ``write``; ``sent(n)`` is told of each ``n`` media
    frames written."""

    def __init__(self, sent: Callable[[int], None]) -> None:
        self.sequence = 0  # the last sequence number given
        self._texts: list[str] = []
        self._frames = 0  # media frames among them
        self._sent = sent
        self._wakeup = asyncio.Event()
        self._last = False  # the last message is queued: ``write`` returns once it is written

    def number(self) -> int:
        """The next sequence number."""
        self.sequence += 1
        return self.sequence

    def post(self, text: str, *, last: bool = False) -> None:
        """Queue ``text`` (``last``: nothing more will be)."""
        self._texts.append(text)
        self._last = self._last or last
        self._wakeup.set()

    def frames(self, caller: CallerAudio, tick: int) -> None:
        """Queue the caller's frames due up to the pacer's ``tick``."""
        queued = len(self._texts)
        self.sequence = caller.frames(tick, self.sequence, self._texts)
        if len(self._texts) > queued:
            self._frames += len(self._texts) - queued
            self._wakeup.set()

    async def write(self, send: Callable[[str], Awaitable[None]]) -> None:
        """Send what is queued, in order, until the last message is sent (or the session cancels it)."""
        while True:
            if not self._texts:
                if self._last:
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            batch, self._texts = self._texts, []
            frames, self._frames = self._frames, 0
            for text in batch:
                await send(text)
            if frames:
                self._sent(frames)
