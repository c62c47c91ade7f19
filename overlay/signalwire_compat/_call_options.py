"""The optional keyword arguments of ``calls.create`` and ``calls(sid).update``, as ``TypedDict``s typed from
the spec's enums.

Apart from the builders (``_call_operations.py``, which load the generated client) so that the resource tree
can read them when it is defined: ``help()`` shows them (``_signatures.py``). Each key is the snake_case of
the request field it fills (``send_digits`` is ``SendDigits``), except ``ring_timeout`` (``Timeout``: the
clients' ``timeout=`` is the request's own time limit, as on every operation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypedDict, get_args
from uuid import UUID

from . import _literals as lit

__all__ = ["CALL_EVENTS", "RECORDING_EVENTS", "CallEvent", "CallOptions", "CallUpdateOptions", "RecordingEvent"]

# The values the spec's descriptions list (the schema types both fields as plain strings).
CallEvent = Literal["initiated", "ringing", "answered", "completed", "ringing_forwarded", "ringing_queued"]
RecordingEvent = Literal["in-progress", "completed", "absent"]
CALL_EVENTS: tuple[str, ...] = get_args(CallEvent)
RECORDING_EVENTS: tuple[str, ...] = get_args(RecordingEvent)


class CallOptions(TypedDict, total=False):
    """The optional arguments of ``calls.create`` (see its docstring); values from the spec's enums."""

    application_sid: str | UUID | None
    method: lit.CreateCallRequestMethod | None
    fallback_url: str | None
    fallback_method: lit.CreateCallRequestFallbackMethod | None
    status_callback_method: lit.CreateCallRequestStatusCallbackMethod | None
    status_callback_event: Sequence[CallEvent] | None
    caller_id: str | None
    send_digits: str | None
    ring_timeout: int | None
    machine_detection: lit.CreateCallRequestMachineDetection | None
    machine_detection_timeout: int | None
    machine_detection_speech_threshold: int | None
    machine_detection_speech_end_threshold: int | None
    machine_detection_silence_timeout: int | None
    machine_words_threshold: int | None
    async_amd: bool | None
    async_amd_status_callback: str | None
    async_amd_status_callback_method: lit.CreateCallRequestAsyncAmdStatusCallbackMethod | None
    async_amd_partial_results: bool | None
    record: bool | None
    recording_channels: lit.CreateCallRequestRecordingChannels | None
    recording_track: lit.CreateCallRequestRecordingTrack | None
    recording_status_callback: str | None
    recording_status_callback_method: lit.CreateCallRequestRecordingStatusCallbackMethod | None
    recording_status_callback_event: Sequence[RecordingEvent] | None
    trim: lit.CreateCallRequestTrim | None
    sip_auth_username: str | None
    sip_auth_password: str | None
    max_price_per_minute: str | None


class CallUpdateOptions(TypedDict, total=False):
    """The optional arguments of ``calls(sid).update`` besides ``status``, ``url`` and ``method``."""

    fallback_url: str | None
    fallback_method: lit.UpdateCallRequestFallbackMethod | None
    status_callback: str | None
    status_callback_method: lit.UpdateCallRequestStatusCallbackMethod | None
