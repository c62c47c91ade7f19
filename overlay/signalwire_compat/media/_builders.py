"""Builders for the media WebSocket's messages: ``*_message`` for what an app sends on a bidirectional
stream, ``signalwire_*`` for what SignalWire sends (FakeSpace, and unit tests of a handler)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from ._messages import DTMF_DIGITS

_Bytes: TypeAlias = bytes | bytearray | memoryview


def _dumps(data: Mapping[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _required_text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty str, got {type(value).__name__}")
    return value


def _encoded(audio: object, name: str = "audio") -> str:
    if not isinstance(audio, bytes | bytearray | memoryview):
        raise TypeError(f"{name} must be bytes, bytearray or memoryview, not {type(audio).__name__}")
    return base64.b64encode(audio).decode("ascii")


def _digit(value: object) -> str:
    if not isinstance(value, str) or value not in DTMF_DIGITS:
        raise ValueError(f"digit must be one of 0-9, *, #, A-D, got {str(value)[:10]!r}")
    return value


def _count(value: object, name: str) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{name} must be a non-negative int, got {value!r}")
    return value


def media_message(stream_sid: str, audio: _Bytes) -> str:
    """App -> SignalWire: raw audio in the stream's codec (no file headers), queued and played in order."""
    return _dumps(
        {"event": "media", "streamSid": _required_text(stream_sid, "stream_sid"), "media": {"payload": _encoded(audio)}}
    )


def mark_message(stream_sid: str, name: str) -> str:
    """App -> SignalWire: echo ``name`` back when the audio sent before it has played."""
    return _dumps(
        {
            "event": "mark",
            "streamSid": _required_text(stream_sid, "stream_sid"),
            "mark": {"name": _required_text(name, "name")},
        }
    )


def clear_message(stream_sid: str) -> str:
    """App -> SignalWire: stop playing and drop the queued audio (pending marks come back)."""
    return _dumps({"event": "clear", "streamSid": _required_text(stream_sid, "stream_sid")})


def dtmf_message(stream_sid: str, digit: str) -> str:
    """App -> SignalWire: play a DTMF digit (0-9, *, #, A-D) into the call."""
    return _dumps(
        {"event": "dtmf", "streamSid": _required_text(stream_sid, "stream_sid"), "dtmf": {"digit": _digit(digit)}}
    )


def signalwire_connected(*, protocol: str = "Call", version: str = "0.2.0") -> str:
    """SignalWire -> app: the first message on the WebSocket."""
    return _dumps({"event": "connected", "protocol": protocol, "version": version})


def signalwire_start(
    *,
    stream_sid: str,
    account_sid: str,
    call_sid: str,
    sequence_number: int = 1,
    tracks: Sequence[str] = ("inbound",),
    custom_parameters: Mapping[str, str] | None = None,
    encoding: str = "audio/x-mulaw",
    sample_rate: int = 8000,
    channels: int = 1,
) -> str:
    """SignalWire -> app: the stream's metadata (numbers as SignalWire sends them: the sequence as a string)."""
    return _dumps(
        {
            "event": "start",
            "sequenceNumber": str(_count(sequence_number, "sequence_number")),
            "start": {
                "streamSid": _required_text(stream_sid, "stream_sid"),
                "accountSid": _required_text(account_sid, "account_sid"),
                "callSid": _required_text(call_sid, "call_sid"),
                "tracks": list(tracks),
                "customParameters": dict(custom_parameters or {}),
                "mediaFormat": {
                    "encoding": encoding,
                    "sampleRate": _count(sample_rate, "sample_rate"),
                    "channels": _count(channels, "channels"),
                },
            },
        }
    )


def signalwire_media(*, sequence_number: int, audio: _Bytes, chunk: int, timestamp: int, track: str = "inbound") -> str:
    """SignalWire -> app: a chunk of call audio (sequence, chunk and timestamp as strings, as sent)."""
    return _dumps(
        {
            "event": "media",
            "sequenceNumber": str(_count(sequence_number, "sequence_number")),
            "media": {
                "track": track,
                "chunk": str(_count(chunk, "chunk")),
                "timestamp": str(_count(timestamp, "timestamp")),
                "payload": _encoded(audio),
            },
        }
    )


def signalwire_dtmf(*, sequence_number: int, digit: str, duration: int, stream_sid: str | None = None) -> str:
    """SignalWire -> app: a key press (``duration`` in ms, a number; ``streamSid`` on bidirectional streams)."""
    data: dict[str, Any] = {"event": "dtmf", "sequenceNumber": str(_count(sequence_number, "sequence_number"))}
    if stream_sid is not None:
        data["streamSid"] = _required_text(stream_sid, "stream_sid")
    data["dtmf"] = {"digit": _digit(digit), "duration": _count(duration, "duration")}
    return _dumps(data)


def signalwire_mark(*, name: str, stream_sid: str | None = None, sequence_number: int | None = None) -> str:
    """SignalWire -> app: a mark the app sent, echoed back."""
    data: dict[str, Any] = {"event": "mark"}
    if sequence_number is not None:
        data["sequenceNumber"] = str(_count(sequence_number, "sequence_number"))
    if stream_sid is not None:
        data["streamSid"] = _required_text(stream_sid, "stream_sid")
    data["mark"] = {"name": _required_text(name, "name")}
    return _dumps(data)


def signalwire_stop(*, sequence_number: int) -> str:
    """SignalWire -> app: the stream ended."""
    return _dumps({"event": "stop", "sequenceNumber": str(_count(sequence_number, "sequence_number"))})
