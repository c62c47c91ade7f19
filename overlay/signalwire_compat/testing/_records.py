"""What FakeSpace holds and records: requests with their answers, streams (who they belong to, their state),
queued faults."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal
from urllib.parse import parse_qs

import attrs

__all__ = ["FakeStream", "Fault", "Kind", "Parent", "RecordedRequest", "StreamState"]

Kind = Literal["call", "conference"]


@attrs.frozen(repr=False)
class RecordedRequest:
    """One request the fake received, and what it answered (``status`` 0: connection dropped)."""

    method: str
    path: str
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    status: int
    response_body: bytes
    fault: str | None  # the injected fault that produced the answer, if any

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def __repr__(self) -> str:
        shown = {k: ("<redacted>" if k == "authorization" else v) for k, v in self.headers.items()}
        return f"RecordedRequest({self.method} {self.path} -> {self.status}, headers={shown}, body={self.body!r})"


@attrs.frozen
class Parent:
    """A call or a conference of an account: what streams belong to, and where their names are unique."""

    kind: Kind
    account_sid: str
    sid: str


@attrs.frozen
class FakeStream:
    """A stream the fake holds; ``parent_sid`` is its call or conference sid."""

    kind: Kind
    account_sid: str
    parent_sid: str
    sid: str

    @property
    def parent(self) -> Parent:
        return Parent(self.kind, self.account_sid, self.parent_sid)


@attrs.define
class StreamState:
    """What the fake knows of one stream; changed only by the stream store, under its lock."""

    name: str | None
    status: str
    date_updated: datetime
    url: str | None = None  # the WebSocket URL it was created with (None: added by add_*_stream)
    status_callback: str | None = None
    status_callback_method: str = "POST"
    parameters: tuple[tuple[str, str], ...] = ()
    settings: Mapping[str, str] = attrs.field(factory=dict)  # Track, StreamCodec, … as sent


@attrs.define
class Fault:
    """A fault queued by ``fail``/``drop_connection``/``send_non_json``, for its next ``remaining`` requests."""

    kind: Literal["status", "drop", "non_json"]
    remaining: int
    status: int = 503
    retry_after: str | None = None
    body: bytes | None = None
