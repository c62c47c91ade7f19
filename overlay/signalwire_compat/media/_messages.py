"""The media WebSocket's JSON messages, both directions: typed models and parsers (sans-IO).

``parse`` reads what SignalWire sends (``connected``, ``start``, ``media``, ``dtmf``, ``mark``,
``stop``); ``parse_app_message`` reads what an app sends on a bidirectional stream (``media``,
``mark``, ``clear``, ``dtmf``). The builders are in ``_builders.py``.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs

from .._exceptions import MediaProtocolError

DTMF_DIGITS = frozenset("0123456789*#ABCD")
_MAX_DIGITS = 20  # int() refuses over 4,300 digits with a ValueError; no real count comes near 20
_b64 = binascii.a2b_base64  # strict_mode=True: only the base64 alphabet, correct padding


@attrs.frozen
class Connected:
    """The first message: the protocol (``"Call"``) and its version (``"0.2.0"``)."""

    protocol: str | None
    version: str | None


@attrs.frozen
class MediaFormat:
    encoding: str  # "audio/x-mulaw" (PCMU) or "audio/x-L16" (L16)
    sample_rate: int
    channels: int


@attrs.frozen
class Start:
    """The stream's metadata, sent once after ``connected``."""

    sequence_number: int
    stream_sid: str
    account_sid: str
    call_sid: str
    tracks: tuple[str, ...]  # "inbound", "outbound"
    custom_parameters: Mapping[str, str]  # the <Parameter>s, in document order
    media_format: MediaFormat


@attrs.frozen(repr=False)
class Media:
    """A chunk of call audio; ``payload`` is the decoded audio (μ-law or L16 bytes, no headers)."""

    sequence_number: int
    track: str
    chunk: int
    timestamp: int  # milliseconds from the stream's start
    payload: bytes

    def __repr__(self) -> str:
        return (
            f"Media(sequence_number={self.sequence_number}, track={self.track!r}, chunk={self.chunk}, "
            f"timestamp={self.timestamp}, payload=<{len(self.payload)} bytes>)"
        )


@attrs.frozen
class Dtmf:
    sequence_number: int | None
    digit: str
    duration: int | None  # milliseconds
    stream_sid: str | None  # only on bidirectional streams


@attrs.frozen
class Mark:
    """A mark the app sent, echoed back once the audio before it has played (or was cleared)."""

    name: str
    stream_sid: str | None
    sequence_number: int | None


@attrs.frozen
class Stop:
    sequence_number: int


@attrs.frozen
class Unknown:
    """A message whose ``event`` this version does not know, kept whole (decoded JSON)."""

    event: str
    data: Mapping[str, Any]


@attrs.frozen(repr=False)
class AppMedia:
    """Audio an app sends to be played into the call (decoded ``payload``)."""

    stream_sid: str
    payload: bytes

    def __repr__(self) -> str:
        return f"AppMedia(stream_sid={self.stream_sid!r}, payload=<{len(self.payload)} bytes>)"


@attrs.frozen
class AppMark:
    stream_sid: str
    name: str


@attrs.frozen
class AppClear:
    stream_sid: str


@attrs.frozen
class AppDtmf:
    stream_sid: str
    digit: str


Message: TypeAlias = Connected | Start | Media | Dtmf | Mark | Stop | Unknown
AppMessage: TypeAlias = AppMedia | AppMark | AppClear | AppDtmf | Unknown


# -- reading ------------------------------------------------------------------------------------------


def _load(message: str | bytes | bytearray) -> tuple[str, dict[str, Any]]:
    if not isinstance(message, str | bytes | bytearray):
        raise TypeError(f"message must be str or bytes, not {type(message).__name__}")
    try:
        data = json.loads(message)
    except (ValueError, RecursionError) as error:  # JSONDecodeError and undecodable bytes are ValueErrors
        raise MediaProtocolError(f"the message is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise MediaProtocolError(f"the message must be a JSON object, not {type(data).__name__}")
    event = data.get("event")
    if not isinstance(event, str):
        raise MediaProtocolError("the message has no 'event' string")
    return event, data


def _object(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise MediaProtocolError(f"{where}: '{key}' must be an object" + (" (missing)" if value is None else ""))
    return value


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> Any:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise MediaProtocolError(f"{where}: '{key}' must be a string" + (" (missing)" if value is None else ""))
    return value


def _number(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> Any:
    # Sent as strings ("sequenceNumber": "42") or numbers ("duration": 2000): both are read.
    value = data.get(key)
    if type(value) is int and value >= 0:
        return value
    if isinstance(value, str) and value.isdecimal() and len(value) <= _MAX_DIGITS:
        return int(value)
    if value is None and not required:
        return None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    shown = "missing" if value is None else f"got {json.dumps(value)[:40]}"
    raise MediaProtocolError(f"{where}: '{key}' must be a non-negative integer or a string of digits ({shown})")


def _audio(data: Mapping[str, Any], where: str) -> bytes:
    payload = _text(data, "payload", where)
    try:
        return _b64(payload, strict_mode=True)
    except (binascii.Error, ValueError):
        raise MediaProtocolError(f"{where}: 'payload' is not valid base64 ({len(payload)} characters)") from None


def _start(data: dict[str, Any]) -> Start:
    body = _object(data, "start", "start")
    tracks = body.get("tracks")
    if not isinstance(tracks, list) or not all(isinstance(track, str) for track in tracks):
        raise MediaProtocolError("start: 'start.tracks' must be a list of strings")
    parameters = body.get("customParameters") or {}  # "only present when custom parameters are defined"
    if not isinstance(parameters, dict) or not all(isinstance(value, str) for value in parameters.values()):
        raise MediaProtocolError("start: 'start.customParameters' must be an object of strings")
    media_format = _media_format(_object(body, "mediaFormat", "start"))
    return Start(
        sequence_number=_number(data, "sequenceNumber", "start"),
        stream_sid=_text(body, "streamSid", "start"),
        account_sid=_text(body, "accountSid", "start"),
        call_sid=_text(body, "callSid", "start"),
        tracks=tuple(tracks),
        custom_parameters=dict(parameters),
        media_format=media_format,
    )


def _media_format(body: dict[str, Any]) -> MediaFormat:
    where = "start.mediaFormat"
    return MediaFormat(
        _text(body, "encoding", where), _number(body, "sampleRate", where), _number(body, "channels", where)
    )


def _media(data: dict[str, Any]) -> Media:
    # The fast path for what SignalWire sends 50 times a second per track; anything unusual (numbers
    # sent as numbers, a missing field) takes the checked path below, which names what is wrong.
    try:
        body = data["media"]
        sequence, track, chunk, timestamp = data["sequenceNumber"], body["track"], body["chunk"], body["timestamp"]
        if (
            type(sequence) is str
            and type(track) is str
            and type(chunk) is str
            and type(timestamp) is str
            and sequence.isdecimal()
            and chunk.isdecimal()
            and timestamp.isdecimal()
        ):
            return Media(int(sequence), track, int(chunk), int(timestamp), _b64(body["payload"], strict_mode=True))
    except (KeyError, TypeError, ValueError):  # ValueError: bad base64, or too many digits for int()
        pass
    body = _object(data, "media", "media")
    return Media(
        sequence_number=_number(data, "sequenceNumber", "media"),
        track=_text(body, "track", "media"),
        chunk=_number(body, "chunk", "media"),
        timestamp=_number(body, "timestamp", "media"),
        payload=_audio(body, "media"),
    )


def _dtmf(data: dict[str, Any]) -> Dtmf:
    body = _object(data, "dtmf", "dtmf")
    return Dtmf(
        sequence_number=_number(data, "sequenceNumber", "dtmf", required=False),
        digit=_text(body, "digit", "dtmf"),
        duration=_number(body, "duration", "dtmf", required=False),
        stream_sid=_text(data, "streamSid", "dtmf", required=False),
    )


def _mark(data: dict[str, Any]) -> Mark:
    return Mark(
        name=_text(_object(data, "mark", "mark"), "name", "mark"),
        stream_sid=_text(data, "streamSid", "mark", required=False),
        sequence_number=_number(data, "sequenceNumber", "mark", required=False),
    )


def parse(message: str | bytes | bytearray) -> Message:
    """One message SignalWire sent -> ``Connected``, ``Start``, ``Media``, ``Dtmf``, ``Mark``, ``Stop``
    or ``Unknown``; ``MediaProtocolError`` if it is not JSON or lacks a required field."""
    event, data = _load(message)
    if event == "media":  # by far the most frequent: checked first
        return _media(data)
    if event == "start":
        return _start(data)
    if event == "connected":
        return Connected(
            protocol=_text(data, "protocol", "connected", required=False),
            version=_text(data, "version", "connected", required=False),
        )
    if event == "dtmf":
        return _dtmf(data)
    if event == "mark":
        return _mark(data)
    if event == "stop":
        return Stop(sequence_number=_number(data, "sequenceNumber", "stop"))
    return Unknown(event=event, data=data)


def parse_app_message(message: str | bytes | bytearray) -> AppMessage:
    """One message an app sent on a bidirectional stream -> ``AppMedia``, ``AppMark``, ``AppClear``,
    ``AppDtmf`` or ``Unknown`` (what SignalWire, or FakeSpace playing it, reads)."""
    event, data = _load(message)
    if event == "media":
        return AppMedia(
            stream_sid=_text(data, "streamSid", "media"), payload=_audio(_object(data, "media", "media"), "media")
        )
    if event == "mark":
        return AppMark(
            stream_sid=_text(data, "streamSid", "mark"), name=_text(_object(data, "mark", "mark"), "name", "mark")
        )
    if event == "clear":
        return AppClear(stream_sid=_text(data, "streamSid", "clear"))
    if event == "dtmf":
        digit = _text(_object(data, "dtmf", "dtmf"), "digit", "dtmf")
        if digit not in DTMF_DIGITS:
            raise MediaProtocolError(f"dtmf: 'dtmf.digit' must be one of 0-9, *, #, A-D, got {digit[:10]!r}")
        return AppDtmf(stream_sid=_text(data, "streamSid", "dtmf"), digit=digit)
    return Unknown(event=event, data=data)
