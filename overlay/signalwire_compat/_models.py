"""Typed, immutable results, read tolerantly from the API's JSON.

A stop that succeeded on the server must not become an exception because one value in the answer
is new or odd (callers would retry a stop that already happened). So a value the SDK cannot
interpret (a status it does not know, an unparseable date, a JSON type the spec does not allow)
is kept as ``Unparsed``: a ``str`` holding the value's text, with the original JSON value in
``.raw``, and typed as such (``status: StreamStatus | Unparsed``). Unknown fields are kept in
``extra``. Only an answer with no usable shape at all (not an object, a key missing) raises.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from ._dates import InvalidDateError, parse_rfc2822_datetime

__all__ = ["RESPONSE_FIELDS", "CallStream", "ConferenceStream", "MissingFieldsError", "StreamStatus", "Unparsed"]


class StreamStatus(enum.StrEnum):
    """Status of a media stream; members compare equal to the plain strings."""

    QUEUED = "queued"
    IN_PROGRESS = "in-progress"
    STOPPED = "stopped"


class Unparsed(str):
    """A response value the SDK could not interpret, kept verbatim.

    ``str(value)`` is the text (JSON text for non-string values); ``value.raw`` is the JSON value.
    """

    raw: Any

    def __new__(cls, raw: Any) -> Unparsed:
        text = raw if isinstance(raw, str) else json.dumps(raw)
        self = super().__new__(cls, text)
        self.raw = raw
        return self

    def __repr__(self) -> str:
        return f"Unparsed({self.raw!r})"


class MissingFieldsError(ValueError):
    """A success response lacks fields the result cannot do without."""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else Unparsed(value)


def _optional_text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else Unparsed(value)


_STATUSES: dict[Any, StreamStatus] = {member.value: member for member in StreamStatus}


def _status(value: Any) -> StreamStatus | Unparsed:
    if isinstance(value, str) and (member := _STATUSES.get(value)) is not None:
        return member
    return Unparsed(value)


def _date(value: Any) -> datetime | Unparsed:
    if isinstance(value, str):
        try:
            return parse_rfc2822_datetime(value)
        except InvalidDateError:
            pass
    return Unparsed(value)


def _as_datetime(value: datetime | Unparsed) -> datetime:
    if isinstance(value, datetime):
        return value
    raise InvalidDateError(f"the API sent date_updated {str(value)[:100]!r}, which is not a date the SDK can read")


def _frozen(mapping: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(mapping)


_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})
# The response fields the results read: generated model -> {wire name: the generated attribute's type}.
# A literal table so scripts/overlay_fit.py (make check) can hold it against a regenerated client
# without importing anything: a field renamed, removed or retyped there fails the check, naming this file.
RESPONSE_FIELDS: dict[str, dict[str, str]] = {
    "CallStreamResponse": {
        "sid": "UUID",
        "account_sid": "UUID",
        "call_sid": "UUID",
        "name": "str",
        "status": "StreamStatus",
        "date_updated": "str",
        "uri": "str",
    },
    "ConferenceStreamResponse": {
        "sid": "UUID",
        "account_sid": "UUID",
        "conference_sid": "UUID",
        "name": "None | str",
        "status": "ConferenceStreamStatus",
        "date_updated": "str",
        "uri": "str",
    },
}
_MODEL = {"call_sid": "CallStreamResponse", "conference_sid": "ConferenceStreamResponse"}
_ORDER = {parent: tuple(RESPONSE_FIELDS[model]) for parent, model in _MODEL.items()}
_KNOWN = {parent: frozenset(order) for parent, order in _ORDER.items()}


def _stream_fields(document: Mapping[str, Any], parent_key: str, kind: str) -> dict[str, Any]:
    """The constructor arguments both stream results share, read tolerantly; raises if a key is missing."""
    known = _KNOWN[parent_key]
    if not known <= document.keys():
        missing = ", ".join(name for name in _ORDER[parent_key] if name not in document)
        raise MissingFieldsError(f"{kind} response lacks {missing}")
    extra = _NO_EXTRA if len(document) == len(known) else _frozen({k: v for k, v in document.items() if k not in known})
    return {
        "sid": _text(document["sid"]),
        "account_sid": _text(document["account_sid"]),
        parent_key: _text(document[parent_key]),
        "name": _optional_text(document["name"]),
        "status": _status(document["status"]),
        "date_updated": _date(document["date_updated"]),
        "uri": _text(document["uri"]),
        "extra": extra,
    }


@attrs.frozen(slots=True, kw_only=True)
class _Stream:
    """What a call's and a conference's stream results share (fields by keyword; ``extra`` holds the rest)."""

    sid: str
    account_sid: str
    name: str | None
    status: StreamStatus | Unparsed
    date_updated: datetime | Unparsed
    uri: str
    extra: Mapping[str, Any] = attrs.field(default=_NO_EXTRA, repr=False, hash=False)

    @property
    def updated_at(self) -> datetime:
        """``date_updated`` as a datetime; raises ``InvalidDateError`` if the API sent one the SDK cannot read."""
        return _as_datetime(self.date_updated)


@attrs.frozen(slots=True, kw_only=True)
class CallStream(_Stream):
    """A call's media stream, as returned by stopping it."""

    call_sid: str

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> CallStream:
        return cls(**_stream_fields(document, "call_sid", "call stream"))


@attrs.frozen(slots=True, kw_only=True)
class ConferenceStream(_Stream):
    """A conference's media stream, as returned by stopping it. ``name`` may be None."""

    conference_sid: str

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> ConferenceStream:
        return cls(**_stream_fields(document, "conference_sid", "conference stream"))
