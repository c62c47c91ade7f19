"""FakeSpace's stream store: every stream it holds, under one lock, found by sid or by name within its call
or conference; the two rules streams live by (a stream stops once; a running name is taken) are kept here.

It holds data only: starting a WebSocket, sending a status callback or waking a call is the work of
``_streams``, which changes streams through this store and nothing else.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any, Literal

import attrs

from ._records import FakeStream, Parent, StreamState
from ._rules import UUID

__all__ = ["NameTaken", "Stored", "StreamStore"]

NameTaken = Literal["allow", "refuse", "stop"]


@attrs.frozen
class Stored:
    """A stream and a copy of its state as the store held it at one moment (read it without the lock)."""

    stream: FakeStream
    state: StreamState

    @property
    def sid(self) -> str:
        return self.stream.sid

    @property
    def running(self) -> bool:
        return self.state.status != "stopped"

    def settings(self) -> dict[str, Any]:
        """What it was created with: url, name, status_callback(_method), parameters, the other fields as sent."""
        state = self.state
        return {
            "url": state.url,
            "name": state.name,
            "status_callback": state.status_callback,
            "status_callback_method": state.status_callback_method,
            "parameters": dict(state.parameters),
            **state.settings,
        }


@attrs.define(eq=False)
class _Entry:
    stream: FakeStream
    state: StreamState  # the live one: changed under the store's lock only

    def stored(self) -> Stored:
        return Stored(self.stream, attrs.evolve(self.state))

    def stop(self) -> bool:
        """Stop it; False if it had stopped already (the first stop's time is kept)."""
        if self.state.status == "stopped":
            return False
        self.state.status = "stopped"
        self.state.date_updated = datetime.now(UTC)
        return True


@attrs.define
class _Family:
    """The streams of one call or conference, in the order they were added, and by name (newest last)."""

    streams: list[_Entry] = attrs.field(factory=list)
    by_name: dict[str, list[_Entry]] = attrs.field(factory=dict)


class StreamStore:
    """The streams, in the order they were added: by sid, and by parent, with a name index per parent."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sid: dict[str, _Entry] = {}
        self._by_parent: dict[Parent, _Family] = {}

    def add(self, stream: FakeStream, state: StreamState, *, name_taken: NameTaken = "allow") -> Stored | None:
        """Hold a new stream. When a running stream of its parent has its name: ``"allow"`` holds it anyway
        (a test's own streams), ``"refuse"`` holds nothing and returns None (the REST API's 422), ``"stop"``
        holds it stopped (cXML's ``Duplicated stream name``). ``ValueError`` if the sid is held already."""
        with self._lock:
            if stream.sid in self._by_sid:
                raise ValueError(f"a stream with sid {stream.sid} is held already")
            family = self._by_parent.setdefault(stream.parent, _Family())
            named = [] if state.name is None else family.by_name.setdefault(state.name, [])
            if name_taken != "allow" and any(entry.state.status != "stopped" for entry in named):
                if name_taken == "refuse":
                    return None
                state.status = "stopped"
            entry = _Entry(stream, state)
            self._by_sid[stream.sid] = entry
            family.streams.append(entry)
            named.append(entry)
            return entry.stored()

    def get(self, sid: str) -> Stored | None:
        """The stream with this (lower-case) sid, whatever its parent."""
        with self._lock:
            entry = self._by_sid.get(sid)
            return None if entry is None else entry.stored()

    def find(self, parent: Parent, stream: str) -> Stored | None:
        """A stream of ``parent`` by sid (a UUID, any case), else by name: the newest, if a name was reused."""
        with self._lock:
            entry = self._find(parent, stream)
            return None if entry is None else entry.stored()

    def _find(self, parent: Parent, stream: str) -> _Entry | None:
        if UUID.fullmatch(stream):
            entry = self._by_sid.get(stream.lower())
            return entry if entry is not None and entry.stream.parent == parent else None
        family = self._by_parent.get(parent)
        named = None if family is None else family.by_name.get(stream)
        return named[-1] if named else None

    def all(self) -> list[Stored]:
        with self._lock:
            return [entry.stored() for entry in self._by_sid.values()]

    def stop(self, sid: str) -> tuple[Stored, bool] | None:
        """Stop the stream with this sid: it as stopped, and whether it stopped now (False: it had already)."""
        with self._lock:
            entry = self._by_sid.get(sid)
            if entry is None:
                return None
            stopped_now = entry.stop()
            return entry.stored(), stopped_now

    def stop_running(self, parent: Parent, *, name: str | None = None) -> list[Stored]:
        """Stop the running streams of ``parent`` (those named ``name``, if given); the ones stopped now."""
        with self._lock:
            family = self._by_parent.get(parent, _Family())
            entries = family.streams if name is None else family.by_name.get(name, [])
            return [entry.stored() for entry in entries if entry.stop()]
