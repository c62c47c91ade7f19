# Written by make generate (scripts/pipeline/derive_overlay.py) from generated/openapi.merged.yaml: never edit.

"""The API's 2xx answers as typed, tolerant result classes and the enums they use (``_models.py``
names the public ones). A new field of the spec is an attribute here once the client is regenerated."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Self

import attrs

from ._readers import (
    NO_EXTRA,
    Field,
    Unparsed,
    read_date,
    read_document,
    read_enum,
    read_integer,
    read_number,
    read_object,
    read_text,
)

__all__ = [
    "CallDirection",
    "CallResponse",
    "CallResponseAnsweredBy",
    "CallStatus",
    "CallStreamResponse",
    "ConferenceStreamResponse",
    "ConferenceStreamStatus",
    "StreamStatus",
]


class CallDirection(enum.StrEnum):
    """The spec's CallDirection."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CallResponseAnsweredBy(enum.StrEnum):
    """The spec's CallResponseAnsweredBy."""

    HUMAN = "human"
    MACHINE = "machine"


class CallStatus(enum.StrEnum):
    """The spec's CallStatus."""

    QUEUED = "queued"
    RINGING = "ringing"
    IN_PROGRESS = "in-progress"
    CANCELED = "canceled"
    COMPLETED = "completed"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no-answer"


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
class CallResponse:
    """The spec's ``CallResponse``, read tolerantly (``_readers``)."""

    sid: str
    account_sid: str
    date_created: datetime | Unparsed | None = None
    date_updated: datetime | Unparsed | None = None
    parent_call_sid: str | None = None
    to: str | None = None
    formatted_to: str | None = None
    to_formatted: str | None = None
    from_: str | None = None
    formatted_from: str | None = None
    from_formatted: str | None = None
    phone_number_sid: str | None = None
    status: CallStatus | Unparsed | None = None
    start_time: datetime | Unparsed | None = None
    end_time: datetime | Unparsed | None = None
    duration: int | Unparsed | None = None
    price: float | Unparsed | None = None
    price_unit: str | None = None
    direction: CallDirection | Unparsed | None = None
    answered_by: CallResponseAnsweredBy | Unparsed | None = None
    api_version: str | None = None
    forwarded_from: str | None = None
    caller_name: str | None = None
    uri: str | None = None
    subresource_uris: Mapping[str, Any] | Unparsed | None = attrs.field(default=None, hash=False)
    annotation: str | None = None
    group_sid: str | None = None
    audio_in_mos: float | Unparsed | None = None
    sip_result_code: str | None = None
    audio_rtt_avg: int | Unparsed | None = None
    audio_rtt_min: int | Unparsed | None = None
    audio_rtt_max: int | Unparsed | None = None
    audio_out_jitter_min: int | Unparsed | None = None
    audio_out_jitter_max: int | Unparsed | None = None
    audio_out_jitter_avg: int | Unparsed | None = None
    audio_out_lost: int | Unparsed | None = None
    extra: Mapping[str, Any] = attrs.field(default=NO_EXTRA, repr=False, hash=False)

    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("sid", "sid", read_text),
        Field("account_sid", "account_sid", read_text),
        Field("date_created", "date_created", read_date, required=False),
        Field("date_updated", "date_updated", read_date, required=False),
        Field("parent_call_sid", "parent_call_sid", read_text, required=False, nullable=True),
        Field("to", "to", read_text, required=False),
        Field("formatted_to", "formatted_to", read_text, required=False),
        Field("to_formatted", "to_formatted", read_text, required=False),
        Field("from", "from_", read_text, required=False),
        Field("formatted_from", "formatted_from", read_text, required=False),
        Field("from_formatted", "from_formatted", read_text, required=False),
        Field("phone_number_sid", "phone_number_sid", read_text, required=False, nullable=True),
        Field("status", "status", read_enum(CallStatus), required=False),
        Field("start_time", "start_time", read_date, required=False, nullable=True),
        Field("end_time", "end_time", read_date, required=False, nullable=True),
        Field("duration", "duration", read_integer, required=False),
        Field("price", "price", read_number, required=False, nullable=True),
        Field("price_unit", "price_unit", read_text, required=False),
        Field("direction", "direction", read_enum(CallDirection), required=False),
        Field("answered_by", "answered_by", read_enum(CallResponseAnsweredBy), required=False, nullable=True),
        Field("api_version", "api_version", read_text, required=False),
        Field("forwarded_from", "forwarded_from", read_text, required=False, nullable=True),
        Field("caller_name", "caller_name", read_text, required=False, nullable=True),
        Field("uri", "uri", read_text, required=False),
        Field("subresource_uris", "subresource_uris", read_object, required=False),
        Field("annotation", "annotation", read_text, required=False, nullable=True),
        Field("group_sid", "group_sid", read_text, required=False, nullable=True),
        Field("audio_in_mos", "audio_in_mos", read_number, required=False, nullable=True),
        Field("sip_result_code", "sip_result_code", read_text, required=False, nullable=True),
        Field("audio_rtt_avg", "audio_rtt_avg", read_integer, required=False, nullable=True),
        Field("audio_rtt_min", "audio_rtt_min", read_integer, required=False, nullable=True),
        Field("audio_rtt_max", "audio_rtt_max", read_integer, required=False, nullable=True),
        Field("audio_out_jitter_min", "audio_out_jitter_min", read_integer, required=False, nullable=True),
        Field("audio_out_jitter_max", "audio_out_jitter_max", read_integer, required=False, nullable=True),
        Field("audio_out_jitter_avg", "audio_out_jitter_avg", read_integer, required=False, nullable=True),
        Field("audio_out_lost", "audio_out_lost", read_integer, required=False, nullable=True),
    )

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Self:
        return cls(**read_document(cls.FIELDS, document, "CallResponse"))


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
