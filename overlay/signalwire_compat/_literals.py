# Written by make generate (scripts/pipeline/literals.py) from generated/openapi.merged.yaml: never edit.
"""The spec's enumerations as ``Literal`` types, one per schema, for the SDK's typed arguments."""

from typing import Literal

__all__ = [
    "AnsweredBy",
    "CallDirection",
    "CallStatus",
    "ConferenceStreamStatus",
    "CreateCallRequestAsyncAmdStatusCallbackMethod",
    "CreateCallRequestFallbackMethod",
    "CreateCallRequestMachineDetection",
    "CreateCallRequestMethod",
    "CreateCallRequestRecordingChannels",
    "CreateCallRequestRecordingStatusCallbackMethod",
    "CreateCallRequestRecordingTrack",
    "CreateCallRequestStatusCallbackMethod",
    "CreateCallRequestTrim",
    "CreateCallStreamRequestStatusCallbackMethod",
    "CreateCallStreamRequestTrack",
    "CreateConferenceStreamRequestStatusCallbackMethod",
    "CreateConferenceStreamRequestStreamCodec",
    "CreateConferenceStreamRequestTrack",
    "StreamStatus",
    "UpdateCallRequestFallbackMethod",
    "UpdateCallRequestMethod",
    "UpdateCallRequestStatus",
    "UpdateCallRequestStatusCallbackMethod",
    "UpdateCallStreamRequestStatus",
    "UpdateConferenceStreamRequestStatus",
]

AnsweredBy = Literal["human", "machine"]
CallDirection = Literal["inbound", "outbound"]
CallStatus = Literal["queued", "ringing", "in-progress", "canceled", "completed", "busy", "failed", "no-answer"]
ConferenceStreamStatus = Literal["queued", "in-progress", "stopped"]
CreateCallRequestAsyncAmdStatusCallbackMethod = Literal["GET", "POST"]
CreateCallRequestFallbackMethod = Literal["GET", "POST"]
CreateCallRequestMachineDetection = Literal["Enable", "DetectMessageEnd", "none"]
CreateCallRequestMethod = Literal["GET", "POST"]
CreateCallRequestRecordingChannels = Literal["mono", "dual"]
CreateCallRequestRecordingStatusCallbackMethod = Literal["GET", "POST"]
CreateCallRequestRecordingTrack = Literal["inbound", "outbound", "both"]
CreateCallRequestStatusCallbackMethod = Literal["GET", "POST"]
CreateCallRequestTrim = Literal["trim-silence", "do-not-trim"]
CreateCallStreamRequestStatusCallbackMethod = Literal["GET", "POST"]
CreateCallStreamRequestTrack = Literal["inbound_track", "outbound_track", "both_tracks"]
CreateConferenceStreamRequestStatusCallbackMethod = Literal["GET", "POST"]
CreateConferenceStreamRequestStreamCodec = Literal["PCMU", "PCMA", "L16", "L16@16000h", "L16@24000h"]
CreateConferenceStreamRequestTrack = Literal["inbound_track", "outbound_track", "both_tracks"]
StreamStatus = Literal["queued", "in-progress", "stopped"]
UpdateCallRequestFallbackMethod = Literal["GET", "POST"]
UpdateCallRequestMethod = Literal["GET", "POST"]
UpdateCallRequestStatus = Literal["canceled", "completed"]
UpdateCallRequestStatusCallbackMethod = Literal["GET", "POST"]
UpdateCallStreamRequestStatus = Literal["stopped"]
UpdateConferenceStreamRequestStatus = Literal["stopped"]
