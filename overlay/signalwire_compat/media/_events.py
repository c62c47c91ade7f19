"""What a media session hands the app: inbound ``Audio``, a play's outcome (``Played`` / ``Cleared``),
the ``Playback`` to await it, why the session ``Ended``, and the session's errors."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable, Generator
from typing import Any, TypeAlias

import attrs

from .._exceptions import SignalWireError
from ._messages import Dtmf, Stop, Unknown

__all__ = [
    "Audio",
    "Cleared",
    "EndReason",
    "Ended",
    "Event",
    "MediaSessionError",
    "Playback",
    "Played",
    "SessionRefusedError",
]


class MediaSessionError(SignalWireError, RuntimeError):
    """A media session could not start or go on (e.g. the WebSocket closed before ``start``)."""


class SessionRefusedError(MediaSessionError):
    """The upgrade did not carry the expected bearer token: the session closed the WebSocket (policy, 1008)."""


@attrs.frozen(repr=False)
class Audio:
    """A chunk of the call's audio: 16-bit signed little-endian mono ``pcm`` at ``rate`` Hz.

    ``track`` is ``"inbound"`` (the caller) or ``"outbound"``; ``timestamp`` is SignalWire's, in ms
    from the stream's start, of the frame this chunk came from.
    """

    pcm: bytes
    rate: int
    track: str
    timestamp: int

    def __repr__(self) -> str:
        return f"Audio(track={self.track!r}, timestamp={self.timestamp}, rate={self.rate}, pcm=<{len(self.pcm)} bytes>)"


@attrs.frozen
class Played:
    """SignalWire's mark echo says all of the play was played (``played_ms == duration_ms``)."""

    played_ms: int
    duration_ms: int


@attrs.frozen
class Cleared:
    """The play was cut short by ``clear()`` or the session's end: ``played_ms`` of it were heard."""

    played_ms: int
    duration_ms: int


Event: TypeAlias = Audio | Dtmf | Unknown  # what ``async for event in session`` yields


class EndReason(enum.StrEnum):
    STOPPED = "stopped"  # SignalWire sent ``stop`` (the stream was stopped, or the call ended)
    CLOSED = "closed"  # the WebSocket closed without ``stop``
    LEFT = "left"  # the app left the ``async with`` block while the stream was still on


@attrs.frozen
class Ended:
    """Why the session ended: the ``stop`` message if one came, the WebSocket's close code if known."""

    reason: EndReason
    stop: Stop | None = None
    close_code: int | None = None


class Playback:
    """One ``session.play(...)``: await it for ``Played`` or ``Cleared``; ``played_ms`` meanwhile.

    Awaiting it from a task that gets cancelled leaves the play as it is (the await is shielded).
    """

    def __init__(self, duration_ms: int, position: Callable[[Playback], int | None]) -> None:
        self.duration_ms = duration_ms
        self._position = position
        self._future: asyncio.Future[Played | Cleared] = asyncio.get_running_loop().create_future()

    def __repr__(self) -> str:
        return f"<Playback duration_ms={self.duration_ms} played_ms={self.played_ms} outcome={self.outcome!r}>"

    def __await__(self) -> Generator[Any, None, Played | Cleared]:
        return asyncio.shield(self._future).__await__()

    @property
    def played_ms(self) -> int:
        """Milliseconds the caller has heard so far (the final figure once done)."""
        if self._future.done():
            return self._future.result().played_ms
        return self._position(self) or 0

    @property
    def outcome(self) -> Played | Cleared | None:
        """``Played`` or ``Cleared`` once known, else None."""
        return self._future.result() if self._future.done() else None

    def done(self) -> bool:
        return self._future.done()

    def _played(self) -> None:
        if not self._future.done():
            self._future.set_result(Played(played_ms=self.duration_ms, duration_ms=self.duration_ms))

    def _cleared(self, heard_ms: int) -> None:
        if not self._future.done():
            heard = min(heard_ms, self.duration_ms)
            self._future.set_result(Cleared(played_ms=heard, duration_ms=self.duration_ms))
