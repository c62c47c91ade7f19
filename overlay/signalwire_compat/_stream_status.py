"""Typed stream status callbacks: ``StreamStatusCallback``, its ``StreamEvent``/``StreamError`` values, and parsers.

A value the SDK does not know (a new event or error, an unreadable time) is kept as ``Unparsed``,
never an exception: SignalWire's callback already happened.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl

import attrs

from ._dates import InvalidDateError, parse_rfc2822_datetime
from ._models import Unparsed

__all__ = ["StreamError", "StreamEvent", "StreamStatusCallback", "parse_stream_status"]


class StreamEvent(enum.StrEnum):
    """``StreamEvent``; members compare equal to the plain strings."""

    STARTED = "stream-started"
    STOPPED = "stream-stopped"
    ERROR = "stream-error"


class StreamError(enum.StrEnum):
    """``StreamError`` on a ``stream-error`` event, as documented (the last two with spaces)."""

    INVALID_URL = "invalid_url"
    MISSING_URL = "missing_url"
    INVALID_TRACK = "invalid_track"
    CODEC_ERROR = "codec_error"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_REFUSED_TIMEOUT_OR_SSL_ERROR = "connection_refused_timeout_or_ssl_error"
    GENERAL_ERROR = "general_error"
    DUPLICATED_STREAM_ID = "Duplicated stream ID"
    DUPLICATED_STREAM_NAME = "Duplicated stream name"


@attrs.frozen
class StreamStatusCallback:
    """One stream status callback. Fields SignalWire left out are None; unknown ones are in ``extra``."""

    stream_sid: str | None
    event: StreamEvent | Unparsed | None
    account_sid: str | None = None
    call_sid: str | None = None
    conference_sid: str | None = None
    stream_name: str | None = None  # defaults to the StreamSid on SignalWire's side
    error: StreamError | Unparsed | None = None
    track: str | None = None  # inbound_track | outbound_track | both_tracks
    timestamp: datetime | Unparsed | None = None  # ISO 8601 as documented; RFC 2822 read too
    unique_id: str | None = None  # Unique-ID
    extra: Mapping[str, str] = attrs.field(factory=lambda: MappingProxyType({}))


_FIELDS = {
    "AccountSid": "account_sid",
    "CallSid": "call_sid",
    "ConferenceSid": "conference_sid",
    "StreamSid": "stream_sid",
    "StreamName": "stream_name",
    "StreamTrack": "track",
    "Unique-ID": "unique_id",
}
_EVENTS = {member.value: member for member in StreamEvent}
_ERRORS = {member.value: member for member in StreamError}


def _pairs(form: bytes | bytearray | str | Mapping[str, Any]) -> list[tuple[str, str]]:
    if isinstance(form, bytes | bytearray):
        form = bytes(form).decode("utf-8", "replace")
    if isinstance(form, str):
        return parse_qsl(form, keep_blank_values=True)
    if isinstance(form, Mapping):
        pairs = []
        getlist = getattr(form, "getlist", None) or getattr(form, "getall", None)
        for name in form:
            values = getlist(name) if callable(getlist) else form[name]
            if isinstance(values, str) or not isinstance(values, Sequence):
                values = [values]
            pairs += [(str(name), str(value)) for value in values]
        return pairs
    raise TypeError(f"form must be the raw body (bytes or str) or a mapping, not {type(form).__name__}")


def _timestamp(text: str) -> datetime | Unparsed:
    try:
        return parse_rfc2822_datetime(text)  # reads ISO 8601 too
    except InvalidDateError:
        return Unparsed(text)


def parse_stream_status(form: bytes | bytearray | str | Mapping[str, Any]) -> StreamStatusCallback:
    """A stream status callback's parameters (raw form body, its text, or a parsed mapping) -> typed.

    A repeated name keeps its first value. Never raises for what the callback holds.
    """
    fields: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for name, value in _pairs(form):
        if name == "StreamEvent":
            fields.setdefault("event", _EVENTS.get(value) or Unparsed(value))
        elif name == "StreamError":
            fields.setdefault("error", _ERRORS.get(value) or Unparsed(value))
        elif name == "Timestamp":
            fields.setdefault("timestamp", _timestamp(value))
        elif name in _FIELDS:
            fields.setdefault(_FIELDS[name], value)
        else:
            extra.setdefault(name, value)
    fields.setdefault("stream_sid", None)
    fields.setdefault("event", None)
    return StreamStatusCallback(**fields, extra=MappingProxyType(extra))
