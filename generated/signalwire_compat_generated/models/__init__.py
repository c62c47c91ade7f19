"""Contains all the data models used in inputs/outputs"""

from .answered_by import AnsweredBy
from .call_direction import CallDirection
from .call_response import CallResponse
from .call_status import CallStatus
from .call_stream_response import CallStreamResponse
from .call_subresource_uris import CallSubresourceUris
from .compatibility_error_array_item import CompatibilityErrorArrayItem
from .compatibility_error_array_response import CompatibilityErrorArrayResponse
from .compatibility_error_response import CompatibilityErrorResponse
from .compatibility_error_string_array_response import CompatibilityErrorStringArrayResponse
from .conference_stream_response import ConferenceStreamResponse
from .conference_stream_status import ConferenceStreamStatus
from .create_call_request import CreateCallRequest
from .create_call_request_async_amd_status_callback_method import CreateCallRequestAsyncAmdStatusCallbackMethod
from .create_call_request_fallback_method import CreateCallRequestFallbackMethod
from .create_call_request_machine_detection import CreateCallRequestMachineDetection
from .create_call_request_method import CreateCallRequestMethod
from .create_call_request_recording_channels import CreateCallRequestRecordingChannels
from .create_call_request_recording_status_callback_method import CreateCallRequestRecordingStatusCallbackMethod
from .create_call_request_recording_track import CreateCallRequestRecordingTrack
from .create_call_request_status_callback_method import CreateCallRequestStatusCallbackMethod
from .create_call_request_trim import CreateCallRequestTrim
from .create_call_stream_request import CreateCallStreamRequest
from .create_call_stream_request_status_callback_method import CreateCallStreamRequestStatusCallbackMethod
from .create_call_stream_request_track import CreateCallStreamRequestTrack
from .create_conference_stream_request import CreateConferenceStreamRequest
from .create_conference_stream_request_status_callback_method import CreateConferenceStreamRequestStatusCallbackMethod
from .create_conference_stream_request_stream_codec import CreateConferenceStreamRequestStreamCodec
from .create_conference_stream_request_track import CreateConferenceStreamRequestTrack
from .stream_status import StreamStatus
from .update_call_request import UpdateCallRequest
from .update_call_request_fallback_method import UpdateCallRequestFallbackMethod
from .update_call_request_method import UpdateCallRequestMethod
from .update_call_request_status import UpdateCallRequestStatus
from .update_call_request_status_callback_method import UpdateCallRequestStatusCallbackMethod
from .update_call_stream_request import UpdateCallStreamRequest
from .update_call_stream_request_status import UpdateCallStreamRequestStatus
from .update_conference_stream_request import UpdateConferenceStreamRequest
from .update_conference_stream_request_status import UpdateConferenceStreamRequestStatus

__all__ = (
    "AnsweredBy",
    "CallDirection",
    "CallResponse",
    "CallStatus",
    "CallStreamResponse",
    "CallSubresourceUris",
    "CompatibilityErrorArrayItem",
    "CompatibilityErrorArrayResponse",
    "CompatibilityErrorResponse",
    "CompatibilityErrorStringArrayResponse",
    "ConferenceStreamResponse",
    "ConferenceStreamStatus",
    "CreateCallRequest",
    "CreateCallRequestAsyncAmdStatusCallbackMethod",
    "CreateCallRequestFallbackMethod",
    "CreateCallRequestMachineDetection",
    "CreateCallRequestMethod",
    "CreateCallRequestRecordingChannels",
    "CreateCallRequestRecordingStatusCallbackMethod",
    "CreateCallRequestRecordingTrack",
    "CreateCallRequestStatusCallbackMethod",
    "CreateCallRequestTrim",
    "CreateCallStreamRequest",
    "CreateCallStreamRequestStatusCallbackMethod",
    "CreateCallStreamRequestTrack",
    "CreateConferenceStreamRequest",
    "CreateConferenceStreamRequestStatusCallbackMethod",
    "CreateConferenceStreamRequestStreamCodec",
    "CreateConferenceStreamRequestTrack",
    "StreamStatus",
    "UpdateCallRequest",
    "UpdateCallRequestFallbackMethod",
    "UpdateCallRequestMethod",
    "UpdateCallRequestStatus",
    "UpdateCallRequestStatusCallbackMethod",
    "UpdateCallStreamRequest",
    "UpdateCallStreamRequestStatus",
    "UpdateConferenceStreamRequest",
    "UpdateConferenceStreamRequestStatus",
)
