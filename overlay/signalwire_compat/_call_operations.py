"""The Calls operations: create, update and retrieve a call, built by the generated builders at call time and
answered with a ``Call``.

As in ``_builders.py``: every value is checked before the generated model is made (nothing is sent on bad
input), only the fields the caller gave are sent (the generated model's defaults, such as ``Timeout=60``,
are left for the API to apply), and the form body is encoded once by ``_wire.to_wire``. Values that must
not appear in errors or logs (``SipAuthPassword``, the password of a URL's user information) are the
operation's secrets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit
from uuid import UUID

from . import _generated as gen
from ._builders import parse_json_object, refuse_unknown, validate_flag, validate_secret
from ._call_options import CALL_EVENTS, RECORDING_EVENTS
from ._exceptions import APIStatusError
from ._models import Call
from ._operation_types import Answer, Operation
from ._validation import validate_callback_url, validate_choice, validate_sid
from ._wire import to_wire

__all__ = ["NOT_IN_PROGRESS_CODES", "call_already_ended", "create_call", "retrieve_call", "update_call"]

T = TypeVar("T")
Check = Callable[[object, str], object]
_DIGITS = re.compile(r"[0-9#*wW]{1,32}")  # the spec's SendDigits pattern
_PRICE = re.compile(r"[0-9]+\.?[0-9]{0,4}")  # the spec's MaxPricePerMinute pattern


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f"{name} must be a non-empty str, got {type(value).__name__ if not isinstance(value, str) else repr(value)}"
        )
    return value


def _whole(low: int, high: int) -> Check:
    def check(value: object, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
        return value

    return check


def _pattern(pattern: re.Pattern[str], rule: str) -> Check:
    def check(value: object, name: str) -> str:
        if not isinstance(value, str) or pattern.fullmatch(value) is None:
            raise ValueError(f"{name} must be {rule}, got {value!r}")
        return value

    return check


def _events(choices: tuple[str, ...]) -> Callable[[object, str], list[str]]:
    def check(value: object, name: str) -> list[str]:
        if isinstance(value, str) or not isinstance(value, Sequence) or not value:
            raise ValueError(f"{name} must be a non-empty list of {', '.join(choices)}, got {value!r}")
        for event in value:
            if event not in choices:
                raise ValueError(f"{name}: {event!r} is not one of {', '.join(choices)}")
        return list(value)

    return check


def _spaced(check: Callable[[object, str], list[str]]) -> Check:
    return lambda value, name: " ".join(check(value, name))


def _choice(choices: type[Any]) -> Check:
    return lambda value, name: validate_choice(value, name, choices)


def _uuid(value: object, name: str) -> UUID:
    return UUID(validate_sid(value, name))


# Each option: the generated model's argument and how its value is checked. The ranges and patterns are the
# spec's (CreateCallRequest's minimum, maximum and pattern).
_CREATE: Mapping[str, tuple[str, Check]] = {
    "url": ("url", validate_callback_url),
    "application_sid": ("application_sid", _uuid),
    "method": ("method", _choice(gen.CreateCallRequestMethod)),
    "fallback_url": ("fallback_url", validate_callback_url),
    "fallback_method": ("fallback_method", _choice(gen.CreateCallRequestFallbackMethod)),
    "status_callback": ("status_callback", validate_callback_url),
    "status_callback_method": ("status_callback_method", _choice(gen.CreateCallRequestStatusCallbackMethod)),
    "status_callback_event": ("status_callback_event", _events(CALL_EVENTS)),
    "caller_id": ("caller_id", _text),
    "send_digits": ("send_digits", _pattern(_DIGITS, "1 to 32 of 0-9, #, *, w and W")),
    "ring_timeout": ("timeout", _whole(1, 600)),
    "machine_detection": ("machine_detection", _choice(gen.CreateCallRequestMachineDetection)),
    "machine_detection_timeout": ("machine_detection_timeout", _whole(1, 120)),
    "machine_detection_speech_threshold": ("machine_detection_speech_threshold", _whole(1000, 6000)),
    "machine_detection_speech_end_threshold": ("machine_detection_speech_end_threshold", _whole(500, 5000)),
    "machine_detection_silence_timeout": ("machine_detection_silence_timeout", _whole(2000, 10000)),
    "machine_words_threshold": ("machine_words_threshold", _whole(1, 100)),
    "async_amd": ("async_amd", validate_flag),
    "async_amd_status_callback": ("async_amd_status_callback", validate_callback_url),
    "async_amd_status_callback_method": (
        "async_amd_status_callback_method",
        _choice(gen.CreateCallRequestAsyncAmdStatusCallbackMethod),
    ),
    "async_amd_partial_results": ("async_amd_partial_results", validate_flag),
    "record": ("record", validate_flag),
    "recording_channels": ("recording_channels", _choice(gen.CreateCallRequestRecordingChannels)),
    "recording_track": ("recording_track", _choice(gen.CreateCallRequestRecordingTrack)),
    "recording_status_callback": ("recording_status_callback", validate_callback_url),
    "recording_status_callback_method": (
        "recording_status_callback_method",
        _choice(gen.CreateCallRequestRecordingStatusCallbackMethod),
    ),
    "recording_status_callback_event": ("recording_status_callback_event", _spaced(_events(RECORDING_EVENTS))),
    "trim": ("trim", _choice(gen.CreateCallRequestTrim)),
    "sip_auth_username": ("sip_auth_username", _text),
    "sip_auth_password": ("sip_auth_password", validate_secret),
    "max_price_per_minute": ("max_price_per_minute", _pattern(_PRICE, "a price in USD with at most 4 decimals")),
}
_UPDATE: Mapping[str, tuple[str, Check]] = {
    "status": ("status", _choice(gen.UpdateCallRequestStatus)),
    "url": ("url", validate_callback_url),
    "method": ("method", _choice(gen.UpdateCallRequestMethod)),
    "fallback_url": ("fallback_url", validate_callback_url),
    "fallback_method": ("fallback_method", _choice(gen.UpdateCallRequestFallbackMethod)),
    "status_callback": ("status_callback", validate_callback_url),
    "status_callback_method": ("status_callback_method", _choice(gen.UpdateCallRequestStatusCallbackMethod)),
}
_URL_OF_METHOD = {
    "method": "url",
    "fallback_method": "fallback_url",
    "status_callback_method": "status_callback",
    "async_amd_status_callback_method": "async_amd_status_callback",
    "recording_status_callback_method": "recording_status_callback",
}
_SECRET_OPTIONS = ("sip_auth_password",)


def _checked(options: Mapping[str, object], table: Mapping[str, tuple[str, Check]], what: str) -> dict[str, Any]:
    """The generated model's arguments for the options given (None: not given), each checked; the fields not
    given are ``UNSET``, so the model's defaults are not sent."""
    refuse_unknown(options, table.keys(), what)
    given = {name: value for name, value in options.items() if value is not None}
    for method, url in _URL_OF_METHOD.items():
        if method in given and url not in given:
            raise ValueError(f"{method} says how {url} is requested: give {url} too (or leave {method} out)")
    arguments: dict[str, Any] = {argument: gen.UNSET for argument, _ in table.values()}
    for name, value in given.items():
        argument, check = table[name]
        arguments[argument] = check(value, name)
    return arguments


def _secrets(options: Mapping[str, object]) -> tuple[str, ...]:
    """The values this request carries that must never be shown: a SIP password, and the passwords of URLs
    that carry user information (``https://user:password@host/``, which the API uses to authenticate)."""
    found = [options[name] for name in _SECRET_OPTIONS if isinstance(options.get(name), str)]
    for value in options.values():
        if isinstance(value, str) and "@" in value:
            try:
                found.append(urlsplit(value).password or "")
            except ValueError:
                continue
    return tuple(dict.fromkeys(secret for secret in found if isinstance(secret, str) and secret))


def _reader(known: Mapping[str, str]) -> Callable[[Answer], Call]:
    """Read a ``Call``; an answer that leaves out the call's own ids (which the request named) gets them."""

    def read(answer: Answer) -> Call:
        document = parse_json_object(answer.content)
        for key, value in known.items():
            document.setdefault(key, value)
        return Call.from_json(document)

    return read


def create_call(
    account_sid: str, *, to: object, from_: object, url: object, options: Mapping[str, object]
) -> Operation[Call]:
    """``POST …/Calls``. Not idempotent: a repeated create places a second call, so it is retried only when
    the API cannot have acted on it. ``url`` may be None when ``application_sid`` is given."""
    given = {**options, "url": url}
    arguments = _checked(given, _CREATE, "create")
    if url is None and arguments["application_sid"] is gen.UNSET:
        raise ValueError("url (the cXML document the call runs) is required, unless application_sid names one")
    body = gen.CreateCallRequest(to=_text(to, "to"), from_=_text(from_, "from_"), **arguments)
    request = gen.create_a_call._get_kwargs(account_sid=account_sid, body=body)
    read = _reader({"account_sid": account_sid})
    return Operation("create_a_call", to_wire(request), read, False, _secrets(given))


def update_call(account_sid: str, sid: str, options: Mapping[str, object]) -> Operation[Call]:
    """``POST …/Calls/{sid}``; the sid must already be validated. Idempotent unless it redirects the call
    (``url``): ending a call twice ends it once, but a repeated redirect starts the new document again."""
    arguments = _checked(options, _UPDATE, "update")
    body = gen.UpdateCallRequest(**arguments)
    request = gen.update_a_call._get_kwargs(account_sid=account_sid, sid=sid, body=body)
    idempotent = arguments["url"] is gen.UNSET
    read = _reader({"sid": sid, "account_sid": account_sid})
    return Operation("update_a_call", to_wire(request), read, idempotent, _secrets(options))


def retrieve_call(account_sid: str, sid: str) -> Operation[Call]:
    """``GET …/Calls/{sid}``; the sid must already be validated."""
    request = gen.retrieve_a_call._get_kwargs(account_sid=account_sid, sid=sid)
    return Operation("retrieve_a_call", to_wire(request), _reader({"sid": sid, "account_sid": account_sid}), True)


# SignalWire's error codes for an update of a call that is no longer in progress (its error code list: 10000
# "An attempt was made to update a completed call", 21220 "The call cannot be redirected if it is not
# in-progress"). Its docs do not say which HTTP status comes with them; the spec documents 400 and 422.
NOT_IN_PROGRESS_CODES = frozenset({"10000", "21220"})


def call_already_ended(error: APIStatusError) -> bool:
    """Whether an error answer to a call's update says the call has ended: a 404 (no such call, or no longer),
    or a 400 or 422 with a "not in progress" code (``NOT_IN_PROGRESS_CODES``)."""
    if error.status_code == 404:
        return True
    return error.status_code in (400, 422) and str(error.code) in NOT_IN_PROGRESS_CODES
