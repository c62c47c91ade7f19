# Written by make generate (scripts/pipeline/literals.py) from generated/openapi.merged.yaml: never edit.
"""The spec's enumerations as ``Literal`` types, one per schema, for the SDK's typed arguments."""

from typing import Literal

__all__ = [
    "ConferenceStreamStatus",
    "CreateCallStreamRequestStatusCallbackMethod",
    "CreateCallStreamRequestTrack",
    "CreateConferenceStreamRequestStatusCallbackMethod",
    "CreateConferenceStreamRequestStreamCodec",
    "CreateConferenceStreamRequestTrack",
    "StreamStatus",
    "UpdateCallStreamRequestStatus",
    "UpdateConferenceStreamRequestStatus",
]

ConferenceStreamStatus = Literal["queued", "in-progress", "stopped"]
CreateCallStreamRequestStatusCallbackMethod = Literal["GET", "POST"]
CreateCallStreamRequestTrack = Literal["inbound_track", "outbound_track", "both_tracks"]
CreateConferenceStreamRequestStatusCallbackMethod = Literal["GET", "POST"]
CreateConferenceStreamRequestStreamCodec = Literal["PCMU", "PCMA", "L16", "L16@16000h", "L16@24000h"]
CreateConferenceStreamRequestTrack = Literal["inbound_track", "outbound_track", "both_tracks"]
StreamStatus = Literal["queued", "in-progress", "stopped"]
UpdateCallStreamRequestStatus = Literal["stopped"]
UpdateConferenceStreamRequestStatus = Literal["stopped"]
