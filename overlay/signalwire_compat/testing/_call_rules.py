"""The Calls API's rules as FakeSpace plays them, as pure functions: the route, what a create or an update may
carry, the call's document, the voice status callback's parameters, and the answers for a call not in progress.

The error codes are SignalWire's (its Compatibility API error code list): 21211 no ``To``, 21213 no ``From``,
21205 neither ``Url`` nor ``ApplicationSid``, 21402 a URL that is not absolute, 21209 a method other than
``GET``/``POST``, 21208 a bad ``Timeout``, 21626 a callback event it does not know; 10000 an update of a call
that has ended (or a cancel of one in progress), 21220 a redirect of a call that is not in progress.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from ._rules import API_PATH, Answer, error_body, rfc2822

__all__ = [
    "ENDED",
    "CallView",
    "call_document",
    "create_problem",
    "not_in_progress",
    "update_problem",
    "voice_callback_params",
]

ENDED = frozenset({"completed", "canceled", "failed", "busy", "no-answer"})
CALL_EVENTS = ("initiated", "ringing", "answered", "completed", "ringing_forwarded", "ringing_queued")
_METHODS = ("GET", "POST")


class CallView(NamedTuple):
    """What the call's document and callbacks show of a call, read at one moment."""

    sid: str
    account_sid: str
    from_: str
    to: str
    status: str
    direction: str  # "inbound" or "outbound-api", as the voice webhook says it
    created: datetime
    updated: datetime
    started: datetime | None
    ended: datetime | None
    duration: int  # seconds in progress, on the space's clock


def _absolute(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _url_problems(fields: Mapping[str, str]) -> tuple[int, str] | None:
    for name in ("Url", "FallbackUrl", "StatusCallback", "AsyncAmdStatusCallback", "RecordingStatusCallback"):
        if name in fields and not _absolute(fields[name]):
            return 21402, f"{name} must be a fully qualified http(s) URL, not {fields[name]!r}"
    for name in ("Method", "FallbackMethod", "StatusCallbackMethod"):
        if fields.get(name, "POST") not in _METHODS:
            return 21209, f"{name} must be GET or POST"
    return None


def create_problem(fields: Mapping[str, str], events: Sequence[str]) -> tuple[int, str] | None:
    """Why the API would refuse a create with these fields (its error code and message), or None."""
    if not fields.get("To"):
        return 21211, "The 'To' number is required"
    if not fields.get("From"):
        return 21213, "A 'From' number is required"
    if "Url" not in fields and "ApplicationSid" not in fields:
        return 21205, "A Url or an ApplicationSid is required"
    if "Url" not in fields:
        return 21218, f"The ApplicationSid {fields['ApplicationSid']} does not exist"  # this fake has none
    problem = _url_problems(fields)
    if problem is not None:
        return problem
    timeout = fields.get("Timeout", "60")
    if not timeout.isdigit() or not 1 <= int(timeout) <= 600:
        return 21208, "Timeout must be a whole number of seconds from 1 to 600"
    unknown = [event for event in events if event not in CALL_EVENTS]
    if unknown:
        return 21626, f"StatusCallbackEvent {unknown[0]!r} is not a valid callback event"
    return None


def update_problem(fields: Mapping[str, str]) -> tuple[int, str] | None:
    """Why the API would refuse an update with these fields whatever the call's state, or None."""
    if fields.get("Status", "completed") not in ("canceled", "completed"):
        return 10000, f"Status must be canceled or completed, not {fields['Status']!r}"
    return _url_problems(fields)


def not_in_progress(code: int, message: str) -> Answer:
    """The answer to an update the call's state refuses: it has ended (10000), or is not in progress (21220)."""
    return Answer(422, error_body(422, message, code=code))


def _date(moment: datetime | None) -> str | None:
    return None if moment is None else rfc2822(moment)


def call_document(call: CallView) -> dict[str, Any]:
    """The spec's ``CallResponse`` of a call: every field it lists, null where this fake has no value."""
    uri = f"{API_PATH}/Accounts/{call.account_sid}/Calls/{call.sid}"
    measured = ("audio_rtt_avg", "audio_rtt_min", "audio_rtt_max", "audio_out_jitter_min", "audio_out_jitter_max")
    return {
        "sid": call.sid,
        "account_sid": call.account_sid,
        "date_created": _date(call.created),
        "date_updated": _date(call.updated),
        "parent_call_sid": None,
        "to": call.to,
        "formatted_to": call.to,
        "to_formatted": call.to,
        "from": call.from_,
        "formatted_from": call.from_,
        "from_formatted": call.from_,
        "phone_number_sid": None,
        "status": call.status,
        "start_time": _date(call.started),
        "end_time": _date(call.ended),
        "duration": call.duration,
        "price": None,
        "price_unit": "USD",
        # The spec's CallDirection has inbound and outbound only (the voice webhook says outbound-api).
        "direction": "inbound" if call.direction == "inbound" else "outbound",
        "answered_by": None,
        "api_version": "2010-04-01",
        "forwarded_from": None,
        "caller_name": None,
        "uri": f"{uri}.json",
        "subresource_uris": {"notifications": None, "recordings": f"{uri}/Recordings.json"},
        "annotation": None,
        "group_sid": None,
        "audio_in_mos": None,
        "sip_result_code": "200" if call.started is not None else None,
        **dict.fromkeys(measured),
        "audio_out_jitter_avg": None,
        "audio_out_lost": None,
    }


def voice_callback_params(call: CallView, status: str, sequence: int, now: datetime) -> list[tuple[str, str]]:
    """A voice status callback's parameters, as SignalWire documents them (``VoiceStatusCallbackPayload``: every
    required one; the audio counters are what 20 ms packets over the call's duration would count)."""
    packets = str(call.duration * 50)
    params = [
        ("AccountSid", call.account_sid),
        ("ApiVersion", "2010-04-01"),
        ("AudioInAveragePtime", "20"),
        ("AudioInDtmfPacketCount", "0"),
        ("AudioInFlushPacketCount", "0"),
        ("AudioInJitterMaxVariance", "0"),
        ("AudioInJitterMinVariance", "0"),
        ("AudioInLargestJbSize", "0"),
        ("AudioInMediaPacketCount", packets),
        ("AudioInMos", "4.5"),
        ("AudioInSkipPacketCount", "0"),
        ("AudioOutDtmfPacketCount", "0"),
        ("AudioOutMediaPacketCount", packets),
        ("CallbackSource", "call-progress-events"),
        ("CallSid", call.sid),
        ("CallStatus", status),
        ("Direction", call.direction),
        ("From", call.from_),
        ("SequenceNumber", str(sequence)),
        ("Timestamp", rfc2822(now)),  # RFC 2822, as documented
        ("To", call.to),
    ]
    if status == "completed":
        params.append(("CallDuration", str(call.duration)))
    return params
