from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_call_request_async_amd_status_callback_method import CreateCallRequestAsyncAmdStatusCallbackMethod
from ..models.create_call_request_fallback_method import CreateCallRequestFallbackMethod
from ..models.create_call_request_machine_detection import CreateCallRequestMachineDetection
from ..models.create_call_request_method import CreateCallRequestMethod
from ..models.create_call_request_recording_channels import CreateCallRequestRecordingChannels
from ..models.create_call_request_recording_status_callback_method import CreateCallRequestRecordingStatusCallbackMethod
from ..models.create_call_request_recording_track import CreateCallRequestRecordingTrack
from ..models.create_call_request_status_callback_method import CreateCallRequestStatusCallbackMethod
from ..models.create_call_request_trim import CreateCallRequestTrim
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateCallRequest")


@_attrs_define
class CreateCallRequest:
    """Request body for creating a call.

    Attributes:
        to (str): The address that received the call. Can be a phone number in E.164 format, a SIP URI, or a client
            identifier.
        from_ (str): The address that initiated the call. Must be a phone number in E.164 format for PSTN calls.
        url (str | Unset): The URL to handle the call. Required if `ApplicationSid` and `Laml`/`Twiml` are not used.
        application_sid (UUID | Unset): The unique identifier of the application used to handle the call. Required if
            `Url` and `Laml`/`Twiml` are not used.
        method (CreateCallRequestMethod | Unset): Whether the request to `Url` is a `GET` or a `POST`. Default is
            `POST`. Default: CreateCallRequestMethod.POST.
        fallback_url (str | Unset): The URL SignalWire will request if errors occur when fetching the `Url`.
        fallback_method (CreateCallRequestFallbackMethod | Unset): Whether the request to `FallbackUrl` is a `GET` or a
            `POST`. Default is `POST`. Default: CreateCallRequestFallbackMethod.POST.
        status_callback (str | Unset): The URL SignalWire will send webhooks to on every requested `StatusCallbackEvent`
            event. See the [Voice status callback](/docs/compatibility-api/rest/calls/webhooks/voice-status-callback)
            webhook for the payload your URL will receive.
        status_callback_method (CreateCallRequestStatusCallbackMethod | Unset): Whether the request to `StatusCallback`
            URL is a `GET` or a `POST`. Default is `POST`. Default: CreateCallRequestStatusCallbackMethod.POST.
        status_callback_event (list[str] | Unset): The status events that trigger a SignalWire webhook. Valid values:
            initiated, ringing, answered, completed, ringing_forwarded, ringing_queued. Defaults to `completed`.
        caller_id (str | Unset): The number, in E.164 format, or identifier of the caller. Used to override the From for
            caller ID purposes.
        send_digits (str | Unset): The digits to press after a call is connected. Valid characters are 0-9, #, *, w
            (wait 0.5s), and W (wait 1s).
        timeout (int | Unset): The time in seconds SignalWire will wait before assuming the call has no answer. Default
            is `60` seconds. Default: 60.
        machine_detection (CreateCallRequestMachineDetection | Unset): Whether a human or machine picked up the call.
            Default is `none`. Default: CreateCallRequestMachineDetection.NONE.
        machine_detection_timeout (int | Unset): The time in seconds SignalWire will wait for machine detection before
            timing out. Default is `30` seconds. Default: 30.
        machine_detection_speech_threshold (int | Unset): How many milliseconds of voice to decide it is a machine.
            Default is `2400` milliseconds. Default: 2400.
        machine_detection_speech_end_threshold (int | Unset): Number of milliseconds to wait for voice to finish.
            Default is `1200` milliseconds. Default: 1200.
        machine_detection_silence_timeout (int | Unset): Number of milliseconds to wait for initial voice before giving
            up. Default is `5000` milliseconds. Default: 5000.
        machine_words_threshold (int | Unset): How many words to count to decide it is a machine. Default is `6`.
            Default: 6.
        async_amd (bool | Unset): Whether or not to execute machine detection asynchronously. Default is `false`.
            Default: False.
        async_amd_status_callback_method (CreateCallRequestAsyncAmdStatusCallbackMethod | Unset): Whether the request to
            `AsyncAmdStatusCallback` is a `GET` or a `POST`. Default is `POST`. Default:
            CreateCallRequestAsyncAmdStatusCallbackMethod.POST.
        async_amd_status_callback (str | Unset): The URL to request when the machine detection is completed.
        async_amd_partial_results (bool | Unset): Whether or not to report partial (interim) results to the callback
            url. Default is `false`. Default: False.
        record (bool | Unset): Whether or not to record a call. Default is `false`. Default: False.
        recording_channels (CreateCallRequestRecordingChannels | Unset): The number of channels in the recording.
            Default is `mono`. Default: CreateCallRequestRecordingChannels.MONO.
        recording_track (CreateCallRequestRecordingTrack | Unset): Specifies whether to record the `inbound`,
            `outbound`, or `both` audio. Default is `both`. Default: CreateCallRequestRecordingTrack.BOTH.
        recording_status_callback (str | Unset): The URL to request when recording is available. See the [Recording
            status callback](/docs/compatibility-api/rest/recordings/webhooks/recording-status-callback) webhook for the
            payload your URL will receive.
        recording_status_callback_method (CreateCallRequestRecordingStatusCallbackMethod | Unset): Whether the request
            to `RecordingStatusCallback` URL is a `GET` or a `POST`. Default is `POST`. Default:
            CreateCallRequestRecordingStatusCallbackMethod.POST.
        recording_status_callback_event (str | Unset): The recording status events that trigger a webhook. Space-
            separated list. Valid values: completed, in-progress, absent. Default is `completed`. Default: 'completed'.
        trim (CreateCallRequestTrim | Unset): Whether leading and trailing silence is trimmed from a recording. Default
            is `trim-silence`. Default: CreateCallRequestTrim.TRIM_SILENCE.
        sip_auth_username (str | Unset): The username to authenticate the caller when making an outbound SIP call.
        sip_auth_password (str | Unset): The password to authenticate the caller when making an outbound SIP call.
        max_price_per_minute (str | Unset): The maximum price in USD acceptable for the call to be created. Format: up
            to 4 decimal places.
    """

    to: str
    from_: str
    url: str | Unset = UNSET
    application_sid: UUID | Unset = UNSET
    method: CreateCallRequestMethod | Unset = CreateCallRequestMethod.POST
    fallback_url: str | Unset = UNSET
    fallback_method: CreateCallRequestFallbackMethod | Unset = CreateCallRequestFallbackMethod.POST
    status_callback: str | Unset = UNSET
    status_callback_method: CreateCallRequestStatusCallbackMethod | Unset = CreateCallRequestStatusCallbackMethod.POST
    status_callback_event: list[str] | Unset = UNSET
    caller_id: str | Unset = UNSET
    send_digits: str | Unset = UNSET
    timeout: int | Unset = 60
    machine_detection: CreateCallRequestMachineDetection | Unset = CreateCallRequestMachineDetection.NONE
    machine_detection_timeout: int | Unset = 30
    machine_detection_speech_threshold: int | Unset = 2400
    machine_detection_speech_end_threshold: int | Unset = 1200
    machine_detection_silence_timeout: int | Unset = 5000
    machine_words_threshold: int | Unset = 6
    async_amd: bool | Unset = False
    async_amd_status_callback_method: CreateCallRequestAsyncAmdStatusCallbackMethod | Unset = (
        CreateCallRequestAsyncAmdStatusCallbackMethod.POST
    )
    async_amd_status_callback: str | Unset = UNSET
    async_amd_partial_results: bool | Unset = False
    record: bool | Unset = False
    recording_channels: CreateCallRequestRecordingChannels | Unset = CreateCallRequestRecordingChannels.MONO
    recording_track: CreateCallRequestRecordingTrack | Unset = CreateCallRequestRecordingTrack.BOTH
    recording_status_callback: str | Unset = UNSET
    recording_status_callback_method: CreateCallRequestRecordingStatusCallbackMethod | Unset = (
        CreateCallRequestRecordingStatusCallbackMethod.POST
    )
    recording_status_callback_event: str | Unset = "completed"
    trim: CreateCallRequestTrim | Unset = CreateCallRequestTrim.TRIM_SILENCE
    sip_auth_username: str | Unset = UNSET
    sip_auth_password: str | Unset = UNSET
    max_price_per_minute: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        to = self.to

        from_ = self.from_

        url = self.url

        application_sid: str | Unset = UNSET
        if not isinstance(self.application_sid, Unset):
            application_sid = str(self.application_sid)

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method.value

        fallback_url = self.fallback_url

        fallback_method: str | Unset = UNSET
        if not isinstance(self.fallback_method, Unset):
            fallback_method = self.fallback_method.value

        status_callback = self.status_callback

        status_callback_method: str | Unset = UNSET
        if not isinstance(self.status_callback_method, Unset):
            status_callback_method = self.status_callback_method.value

        status_callback_event: list[str] | Unset = UNSET
        if not isinstance(self.status_callback_event, Unset):
            status_callback_event = self.status_callback_event

        caller_id = self.caller_id

        send_digits = self.send_digits

        timeout = self.timeout

        machine_detection: str | Unset = UNSET
        if not isinstance(self.machine_detection, Unset):
            machine_detection = self.machine_detection.value

        machine_detection_timeout = self.machine_detection_timeout

        machine_detection_speech_threshold = self.machine_detection_speech_threshold

        machine_detection_speech_end_threshold = self.machine_detection_speech_end_threshold

        machine_detection_silence_timeout = self.machine_detection_silence_timeout

        machine_words_threshold = self.machine_words_threshold

        async_amd = self.async_amd

        async_amd_status_callback_method: str | Unset = UNSET
        if not isinstance(self.async_amd_status_callback_method, Unset):
            async_amd_status_callback_method = self.async_amd_status_callback_method.value

        async_amd_status_callback = self.async_amd_status_callback

        async_amd_partial_results = self.async_amd_partial_results

        record = self.record

        recording_channels: str | Unset = UNSET
        if not isinstance(self.recording_channels, Unset):
            recording_channels = self.recording_channels.value

        recording_track: str | Unset = UNSET
        if not isinstance(self.recording_track, Unset):
            recording_track = self.recording_track.value

        recording_status_callback = self.recording_status_callback

        recording_status_callback_method: str | Unset = UNSET
        if not isinstance(self.recording_status_callback_method, Unset):
            recording_status_callback_method = self.recording_status_callback_method.value

        recording_status_callback_event = self.recording_status_callback_event

        trim: str | Unset = UNSET
        if not isinstance(self.trim, Unset):
            trim = self.trim.value

        sip_auth_username = self.sip_auth_username

        sip_auth_password = self.sip_auth_password

        max_price_per_minute = self.max_price_per_minute

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "To": to,
                "From": from_,
            }
        )
        if url is not UNSET:
            field_dict["Url"] = url
        if application_sid is not UNSET:
            field_dict["ApplicationSid"] = application_sid
        if method is not UNSET:
            field_dict["Method"] = method
        if fallback_url is not UNSET:
            field_dict["FallbackUrl"] = fallback_url
        if fallback_method is not UNSET:
            field_dict["FallbackMethod"] = fallback_method
        if status_callback is not UNSET:
            field_dict["StatusCallback"] = status_callback
        if status_callback_method is not UNSET:
            field_dict["StatusCallbackMethod"] = status_callback_method
        if status_callback_event is not UNSET:
            field_dict["StatusCallbackEvent"] = status_callback_event
        if caller_id is not UNSET:
            field_dict["CallerId"] = caller_id
        if send_digits is not UNSET:
            field_dict["SendDigits"] = send_digits
        if timeout is not UNSET:
            field_dict["Timeout"] = timeout
        if machine_detection is not UNSET:
            field_dict["MachineDetection"] = machine_detection
        if machine_detection_timeout is not UNSET:
            field_dict["MachineDetectionTimeout"] = machine_detection_timeout
        if machine_detection_speech_threshold is not UNSET:
            field_dict["MachineDetectionSpeechThreshold"] = machine_detection_speech_threshold
        if machine_detection_speech_end_threshold is not UNSET:
            field_dict["MachineDetectionSpeechEndThreshold"] = machine_detection_speech_end_threshold
        if machine_detection_silence_timeout is not UNSET:
            field_dict["MachineDetectionSilenceTimeout"] = machine_detection_silence_timeout
        if machine_words_threshold is not UNSET:
            field_dict["MachineWordsThreshold"] = machine_words_threshold
        if async_amd is not UNSET:
            field_dict["AsyncAmd"] = async_amd
        if async_amd_status_callback_method is not UNSET:
            field_dict["AsyncAmdStatusCallbackMethod"] = async_amd_status_callback_method
        if async_amd_status_callback is not UNSET:
            field_dict["AsyncAmdStatusCallback"] = async_amd_status_callback
        if async_amd_partial_results is not UNSET:
            field_dict["AsyncAmdPartialResults"] = async_amd_partial_results
        if record is not UNSET:
            field_dict["Record"] = record
        if recording_channels is not UNSET:
            field_dict["RecordingChannels"] = recording_channels
        if recording_track is not UNSET:
            field_dict["RecordingTrack"] = recording_track
        if recording_status_callback is not UNSET:
            field_dict["RecordingStatusCallback"] = recording_status_callback
        if recording_status_callback_method is not UNSET:
            field_dict["RecordingStatusCallbackMethod"] = recording_status_callback_method
        if recording_status_callback_event is not UNSET:
            field_dict["RecordingStatusCallbackEvent"] = recording_status_callback_event
        if trim is not UNSET:
            field_dict["Trim"] = trim
        if sip_auth_username is not UNSET:
            field_dict["SipAuthUsername"] = sip_auth_username
        if sip_auth_password is not UNSET:
            field_dict["SipAuthPassword"] = sip_auth_password
        if max_price_per_minute is not UNSET:
            field_dict["MaxPricePerMinute"] = max_price_per_minute

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        to = d.pop("To")

        from_ = d.pop("From")

        url = d.pop("Url", UNSET)

        _application_sid = d.pop("ApplicationSid", UNSET)
        application_sid: UUID | Unset
        if isinstance(_application_sid, Unset):
            application_sid = UNSET
        else:
            application_sid = UUID(_application_sid)

        _method = d.pop("Method", UNSET)
        method: CreateCallRequestMethod | Unset
        if isinstance(_method, Unset):
            method = UNSET
        else:
            method = CreateCallRequestMethod(_method)

        fallback_url = d.pop("FallbackUrl", UNSET)

        _fallback_method = d.pop("FallbackMethod", UNSET)
        fallback_method: CreateCallRequestFallbackMethod | Unset
        if isinstance(_fallback_method, Unset):
            fallback_method = UNSET
        else:
            fallback_method = CreateCallRequestFallbackMethod(_fallback_method)

        status_callback = d.pop("StatusCallback", UNSET)

        _status_callback_method = d.pop("StatusCallbackMethod", UNSET)
        status_callback_method: CreateCallRequestStatusCallbackMethod | Unset
        if isinstance(_status_callback_method, Unset):
            status_callback_method = UNSET
        else:
            status_callback_method = CreateCallRequestStatusCallbackMethod(_status_callback_method)

        status_callback_event = cast(list[str], d.pop("StatusCallbackEvent", UNSET))

        caller_id = d.pop("CallerId", UNSET)

        send_digits = d.pop("SendDigits", UNSET)

        timeout = d.pop("Timeout", UNSET)

        _machine_detection = d.pop("MachineDetection", UNSET)
        machine_detection: CreateCallRequestMachineDetection | Unset
        if isinstance(_machine_detection, Unset):
            machine_detection = UNSET
        else:
            machine_detection = CreateCallRequestMachineDetection(_machine_detection)

        machine_detection_timeout = d.pop("MachineDetectionTimeout", UNSET)

        machine_detection_speech_threshold = d.pop("MachineDetectionSpeechThreshold", UNSET)

        machine_detection_speech_end_threshold = d.pop("MachineDetectionSpeechEndThreshold", UNSET)

        machine_detection_silence_timeout = d.pop("MachineDetectionSilenceTimeout", UNSET)

        machine_words_threshold = d.pop("MachineWordsThreshold", UNSET)

        async_amd = d.pop("AsyncAmd", UNSET)

        _async_amd_status_callback_method = d.pop("AsyncAmdStatusCallbackMethod", UNSET)
        async_amd_status_callback_method: CreateCallRequestAsyncAmdStatusCallbackMethod | Unset
        if isinstance(_async_amd_status_callback_method, Unset):
            async_amd_status_callback_method = UNSET
        else:
            async_amd_status_callback_method = CreateCallRequestAsyncAmdStatusCallbackMethod(
                _async_amd_status_callback_method
            )

        async_amd_status_callback = d.pop("AsyncAmdStatusCallback", UNSET)

        async_amd_partial_results = d.pop("AsyncAmdPartialResults", UNSET)

        record = d.pop("Record", UNSET)

        _recording_channels = d.pop("RecordingChannels", UNSET)
        recording_channels: CreateCallRequestRecordingChannels | Unset
        if isinstance(_recording_channels, Unset):
            recording_channels = UNSET
        else:
            recording_channels = CreateCallRequestRecordingChannels(_recording_channels)

        _recording_track = d.pop("RecordingTrack", UNSET)
        recording_track: CreateCallRequestRecordingTrack | Unset
        if isinstance(_recording_track, Unset):
            recording_track = UNSET
        else:
            recording_track = CreateCallRequestRecordingTrack(_recording_track)

        recording_status_callback = d.pop("RecordingStatusCallback", UNSET)

        _recording_status_callback_method = d.pop("RecordingStatusCallbackMethod", UNSET)
        recording_status_callback_method: CreateCallRequestRecordingStatusCallbackMethod | Unset
        if isinstance(_recording_status_callback_method, Unset):
            recording_status_callback_method = UNSET
        else:
            recording_status_callback_method = CreateCallRequestRecordingStatusCallbackMethod(
                _recording_status_callback_method
            )

        recording_status_callback_event = d.pop("RecordingStatusCallbackEvent", UNSET)

        _trim = d.pop("Trim", UNSET)
        trim: CreateCallRequestTrim | Unset
        if isinstance(_trim, Unset):
            trim = UNSET
        else:
            trim = CreateCallRequestTrim(_trim)

        sip_auth_username = d.pop("SipAuthUsername", UNSET)

        sip_auth_password = d.pop("SipAuthPassword", UNSET)

        max_price_per_minute = d.pop("MaxPricePerMinute", UNSET)

        create_call_request = cls(
            to=to,
            from_=from_,
            url=url,
            application_sid=application_sid,
            method=method,
            fallback_url=fallback_url,
            fallback_method=fallback_method,
            status_callback=status_callback,
            status_callback_method=status_callback_method,
            status_callback_event=status_callback_event,
            caller_id=caller_id,
            send_digits=send_digits,
            timeout=timeout,
            machine_detection=machine_detection,
            machine_detection_timeout=machine_detection_timeout,
            machine_detection_speech_threshold=machine_detection_speech_threshold,
            machine_detection_speech_end_threshold=machine_detection_speech_end_threshold,
            machine_detection_silence_timeout=machine_detection_silence_timeout,
            machine_words_threshold=machine_words_threshold,
            async_amd=async_amd,
            async_amd_status_callback_method=async_amd_status_callback_method,
            async_amd_status_callback=async_amd_status_callback,
            async_amd_partial_results=async_amd_partial_results,
            record=record,
            recording_channels=recording_channels,
            recording_track=recording_track,
            recording_status_callback=recording_status_callback,
            recording_status_callback_method=recording_status_callback_method,
            recording_status_callback_event=recording_status_callback_event,
            trim=trim,
            sip_auth_username=sip_auth_username,
            sip_auth_password=sip_auth_password,
            max_price_per_minute=max_price_per_minute,
        )

        create_call_request.additional_properties = d
        return create_call_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
