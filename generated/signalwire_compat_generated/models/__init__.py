"""Contains all the data models used in inputs/outputs"""

from .call_stream_response import CallStreamResponse
from .compatibility_error_response import CompatibilityErrorResponse
from .compatibility_error_string_array_response import CompatibilityErrorStringArrayResponse
from .conference_stream_response import ConferenceStreamResponse
from .conference_stream_status import ConferenceStreamStatus
from .create_call_stream_request import CreateCallStreamRequest
from .create_call_stream_request_status_callback_method import CreateCallStreamRequestStatusCallbackMethod
from .create_call_stream_request_track import CreateCallStreamRequestTrack
from .create_conference_stream_request import CreateConferenceStreamRequest
from .create_conference_stream_request_status_callback_method import CreateConferenceStreamRequestStatusCallbackMethod
from .create_conference_stream_request_stream_codec import CreateConferenceStreamRequestStreamCodec
from .create_conference_stream_request_track import CreateConferenceStreamRequestTrack
from .stream_status import StreamStatus
from .update_call_stream_request import UpdateCallStreamRequest
from .update_call_stream_request_status import UpdateCallStreamRequestStatus
from .update_conference_stream_request import UpdateConferenceStreamRequest
from .update_conference_stream_request_status import UpdateConferenceStreamRequestStatus

__all__ = (
    "CallStreamResponse",
    "CompatibilityErrorResponse",
    "CompatibilityErrorStringArrayResponse",
    "ConferenceStreamResponse",
    "ConferenceStreamStatus",
    "CreateCallStreamRequest",
    "CreateCallStreamRequestStatusCallbackMethod",
    "CreateCallStreamRequestTrack",
    "CreateConferenceStreamRequest",
    "CreateConferenceStreamRequestStatusCallbackMethod",
    "CreateConferenceStreamRequestStreamCodec",
    "CreateConferenceStreamRequestTrack",
    "StreamStatus",
    "UpdateCallStreamRequest",
    "UpdateCallStreamRequestStatus",
    "UpdateConferenceStreamRequest",
    "UpdateConferenceStreamRequestStatus",
)
