"""Contract checks against the rebuilt specs (generated/openapi.merged.yaml, i.e. openapi/*.yaml merged).

The contract itself (scripts/pipeline/spec_contract.py, which ``make check`` holds the overlay and FakeSpace to
as well): requests the SDK sends are checked against the operation's parameters and request schema,
reading the form body in place of JSON; responses FakeSpace sends against the response schema
documented for their status. Here: the spec it is read from, and the documented callbacks (stream status
callbacks, and the voice status callbacks of calls the REST API created).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from scripts.pipeline.merge_specs import load_yaml
from scripts.pipeline.spec_contract import Contract, Exchange
from tests.helpers import ROOT

__all__ = [
    "Contract",
    "Exchange",
    "callback_problems",
    "contract",
    "stream_callback_problems",
    "voice_callback_problems",
]


@cache
def contract() -> Contract:
    spec = load_yaml((ROOT / "generated" / "openapi.merged.yaml").read_text(encoding="utf-8"))
    return Contract(spec)


# Stream status callbacks as SignalWire documents them (cXML reference -> Voice -> Stream; facts.md).
STREAM_CALLBACK_PARAMETERS = frozenset(
    {
        "AccountSid",
        "CallSid",
        "ConferenceSid",
        "StreamError",
        "StreamEvent",
        "StreamName",
        "StreamSid",
        "StreamTrack",
        "Timestamp",
        "Unique-ID",
    }
)
STREAM_EVENTS = frozenset({"stream-started", "stream-stopped", "stream-error"})
STREAM_ERRORS = frozenset(
    {
        "invalid_url",
        "missing_url",
        "invalid_track",
        "codec_error",
        "connection_refused",
        "connection_refused_timeout_or_ssl_error",
        "general_error",
        "Duplicated stream ID",
        "Duplicated stream name",
    }
)


def stream_callback_problems(params: Iterable[tuple[str, str]]) -> list[str]:
    """What in a stream status callback FakeSpace sent differs from SignalWire's documentation."""
    from datetime import datetime

    form = dict(params)
    problems = [f"callback parameter {name!r} is not documented" for name in form.keys() - STREAM_CALLBACK_PARAMETERS]
    required = {"AccountSid", "StreamSid", "StreamName", "StreamEvent", "StreamTrack", "Timestamp", "Unique-ID"}
    problems += [f"callback parameter {name!r} is missing" for name in sorted(required - form.keys())]
    if len({"CallSid", "ConferenceSid"} & form.keys()) != 1:
        problems.append("a callback carries exactly one of CallSid and ConferenceSid")
    event = form.get("StreamEvent")
    if event not in STREAM_EVENTS:
        problems.append(f"StreamEvent {event!r} is not documented")
    error = form.get("StreamError")
    if (event == "stream-error") != (error is not None) or (error is not None and error not in STREAM_ERRORS):
        problems.append(f"StreamError {error!r} does not fit StreamEvent {event!r}")
    try:
        if datetime.fromisoformat(form.get("Timestamp", "")).tzinfo is None:
            problems.append("Timestamp has no time zone")
    except ValueError:
        problems.append(f"Timestamp {form.get('Timestamp')!r} is not ISO 8601")
    return problems


# Voice status callbacks as the published spec documents them (its webhook voice_status_callback, schema
# VoiceStatusCallbackPayload; tests/fake/test_fake_space_calls.py holds these lists to that schema).
VOICE_CALLBACK_REQUIRED = frozenset(
    {
        "AccountSid",
        "ApiVersion",
        "AudioInAveragePtime",
        "AudioInDtmfPacketCount",
        "AudioInFlushPacketCount",
        "AudioInJitterMaxVariance",
        "AudioInJitterMinVariance",
        "AudioInLargestJbSize",
        "AudioInMos",
        "AudioInMediaPacketCount",
        "AudioInSkipPacketCount",
        "AudioOutDtmfPacketCount",
        "AudioOutMediaPacketCount",
        "CallbackSource",
        "CallSid",
        "CallStatus",
        "Direction",
        "From",
        "SequenceNumber",
        "Timestamp",
        "To",
    }
)
VOICE_CALLBACK_OPTIONAL = frozenset(
    {
        "CallDuration",
        "CallerName",
        "ForwardedFrom",
        "ParentCallSid",
        "RecordingDuration",
        "RecordingSid",
        "RecordingUrl",
        "SipInviteResultPhrase",
        "SipResultCode",
    }
)
VOICE_CALL_STATUSES = frozenset(
    {"initiated", "ringing", "in-progress", "queued", "failed", "busy", "no-answer", "completed", "canceled"}
)
VOICE_DIRECTIONS = frozenset({"outbound-dial", "outbound-api", "inbound"})
VOICE_INTEGERS = frozenset(
    {
        "AudioInAveragePtime",
        "AudioInDtmfPacketCount",
        "AudioInFlushPacketCount",
        "AudioInJitterMaxVariance",
        "AudioInJitterMinVariance",
        "AudioInLargestJbSize",
        "AudioInMediaPacketCount",
        "AudioInSkipPacketCount",
        "AudioOutDtmfPacketCount",
        "AudioOutMediaPacketCount",
        "CallDuration",
        "RecordingDuration",
        "SequenceNumber",
    }
)


def voice_callback_problems(params: Iterable[tuple[str, str]]) -> list[str]:
    """What in a voice status callback FakeSpace sent differs from SignalWire's documentation."""
    from email.utils import parsedate_to_datetime

    form = dict(params)
    documented = VOICE_CALLBACK_REQUIRED | VOICE_CALLBACK_OPTIONAL
    problems = [f"voice callback parameter {name!r} is not documented" for name in sorted(form.keys() - documented)]
    problems += [
        f"voice callback parameter {name!r} is missing" for name in sorted(VOICE_CALLBACK_REQUIRED - form.keys())
    ]
    problems += [
        f"{name} {form[name]!r} is not an integer" for name in VOICE_INTEGERS & form.keys() if not form[name].isdigit()
    ]
    if form.get("CallStatus") not in VOICE_CALL_STATUSES:
        problems.append(f"CallStatus {form.get('CallStatus')!r} is not documented")
    if form.get("Direction") not in VOICE_DIRECTIONS:
        problems.append(f"Direction {form.get('Direction')!r} is not documented")
    try:
        parsedate_to_datetime(form.get("Timestamp", ""))
    except (TypeError, ValueError):
        problems.append(f"Timestamp {form.get('Timestamp')!r} is not RFC 2822")
    return problems


def callback_problems(params: Iterable[tuple[str, str]]) -> list[str]:
    """A stream's status callback or a call's, held to its documentation."""
    pairs = list(params)
    if any(name == "StreamSid" for name, _ in pairs):
        return stream_callback_problems(pairs)
    return voice_callback_problems(pairs)
