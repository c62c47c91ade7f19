# Written by scripts/derive_overlay.py from generated/openapi.merged.yaml: run `make generate`, never edit.

"""The API's 2xx answers as typed, tolerant result classes and the enums they use (``_models.py``
names the public ones). A new field of the spec is an attribute here once the client is regenerated."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Self

import attrs

from ._readers import NO_EXTRA, Field, Unparsed, read_date, read_document, read_enum, read_text

__all__ = ["CallStreamResponse", "ConferenceStreamResponse", "ConferenceStreamStatus", "StreamStatus"]


class ConferenceStreamStatus(enum.StrEnum):
    """The spec's ConferenceStreamStatus."""

    QUEUED = "queued"
    IN_PROGRESS = "in-progress"
    STOPPED = "stopped"


class StreamStatus(enum.StrEnum):
    """The spec's StreamStatus."""

    QUEUED = "queued"
    IN_PROGRESS = "in-progress"
    STOPPED = "stopped"


@attrs.frozen(slots=True, kw_only=True)
class CallStreamResponse:
    """The spec's ``CallStreamResponse``, read tolerantly (``_readers``)."""

    sid: str
    account_sid: str
    call_sid: str
    name: str
    status: StreamStatus | Unparsed
    date_updated: datetime | Unparsed
    uri: str
    extra: Mapping[str, Any] = attrs.field(default=NO_EXTRA, repr=False, hash=False)

    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("sid", "sid", read_text),
        Field("account_sid", "account_sid", read_text),
        Field("call_sid", "call_sid", read_text),
        Field("name", "name", read_text),
        Field("status", "status", read_enum(StreamStatus)),
        Field("date_updated", "date_updated", read_date),
        Field("uri", "uri", read_text),
    )

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Self:
        return cls(**read_document(cls.FIELDS, document, "CallStreamResponse"))


@attrs.frozen(slots=True, kw_only=True)
class ConferenceStreamResponse:
    """The spec's ``ConferenceStreamResponse``, read tolerantly (``_readers``)."""

    account_sid: str
    conference_sid: str
    date_updated: datetime | Unparsed
    name: str | None
    sid: str
    status: ConferenceStreamStatus | Unparsed
    uri: str
    extra: Mapping[str, Any] = attrs.field(default=NO_EXTRA, repr=False, hash=False)

    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("account_sid", "account_sid", read_text),
        Field("conference_sid", "conference_sid", read_text),
        Field("date_updated", "date_updated", read_date),
        Field("name", "name", read_text, nullable=True),
        Field("sid", "sid", read_text),
        Field("status", "status", read_enum(ConferenceStreamStatus)),
        Field("uri", "uri", read_text),
    )

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Self:
        return cls(**read_document(cls.FIELDS, document, "ConferenceStreamResponse"))
