from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_conference_stream_request_status_callback_method import (
    CreateConferenceStreamRequestStatusCallbackMethod,
)
from ..models.create_conference_stream_request_stream_codec import CreateConferenceStreamRequestStreamCodec
from ..models.create_conference_stream_request_track import CreateConferenceStreamRequestTrack
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateConferenceStreamRequest")


@_attrs_define
class CreateConferenceStreamRequest:
    """Request body for creating a conference stream.

    Attributes:
        url (str): Absolute or relative URL. A WebSocket connection to the url will be established and audio will start
            flowing towards the Websocket server. The only supported protocol is wss. For security reasons ws is NOT
            supported.
        name (str | Unset): Unique name for the Stream, per Conference. It is used to stop a Stream by name.
        track (CreateConferenceStreamRequestTrack | Unset): This attribute can be one of inbound_track, outbound_track,
            both_tracks. Default is `both_tracks`.
        status_callback_method (CreateConferenceStreamRequestStatusCallbackMethod | Unset): Whether the request to
            `StatusCallback` URL is a `GET` or a `POST`. Default is `POST`.
        status_callback (str | Unset): The URL to request to when stream is available.
        stream_codec (CreateConferenceStreamRequestStreamCodec | Unset): The audio codec to use for the stream.
        stream_real_time (bool | Unset): Enable real-time streaming for the conference stream.
        parameter_1_name (str | Unset): Custom parameter name to pass towards the WebSocket server. You can pass up to
            99 custom parameters using `Parameter1.Name` through `Parameter99.Name`.
        parameter_1_value (str | Unset): Custom parameter value to pass towards the WebSocket server. You can pass up to
            99 custom parameters using `Parameter1.Value` through `Parameter99.Value`.
        parameter_2_name (str | Unset): Custom parameter name to pass towards the WebSocket server.
        parameter_2_value (str | Unset): Custom parameter value to pass towards the WebSocket server.
        authorization_bearer_token (str | Unset): Bearer token for authorization with the WebSocket server.
    """

    url: str
    name: str | Unset = UNSET
    track: CreateConferenceStreamRequestTrack | Unset = UNSET
    status_callback_method: CreateConferenceStreamRequestStatusCallbackMethod | Unset = UNSET
    status_callback: str | Unset = UNSET
    stream_codec: CreateConferenceStreamRequestStreamCodec | Unset = UNSET
    stream_real_time: bool | Unset = UNSET
    parameter_1_name: str | Unset = UNSET
    parameter_1_value: str | Unset = UNSET
    parameter_2_name: str | Unset = UNSET
    parameter_2_value: str | Unset = UNSET
    authorization_bearer_token: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        name = self.name

        track: str | Unset = UNSET
        if not isinstance(self.track, Unset):
            track = self.track.value

        status_callback_method: str | Unset = UNSET
        if not isinstance(self.status_callback_method, Unset):
            status_callback_method = self.status_callback_method.value

        status_callback = self.status_callback

        stream_codec: str | Unset = UNSET
        if not isinstance(self.stream_codec, Unset):
            stream_codec = self.stream_codec.value

        stream_real_time = self.stream_real_time

        parameter_1_name = self.parameter_1_name

        parameter_1_value = self.parameter_1_value

        parameter_2_name = self.parameter_2_name

        parameter_2_value = self.parameter_2_value

        authorization_bearer_token = self.authorization_bearer_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Url": url,
            }
        )
        if name is not UNSET:
            field_dict["Name"] = name
        if track is not UNSET:
            field_dict["Track"] = track
        if status_callback_method is not UNSET:
            field_dict["StatusCallbackMethod"] = status_callback_method
        if status_callback is not UNSET:
            field_dict["StatusCallback"] = status_callback
        if stream_codec is not UNSET:
            field_dict["StreamCodec"] = stream_codec
        if stream_real_time is not UNSET:
            field_dict["StreamRealTime"] = stream_real_time
        if parameter_1_name is not UNSET:
            field_dict["Parameter1.Name"] = parameter_1_name
        if parameter_1_value is not UNSET:
            field_dict["Parameter1.Value"] = parameter_1_value
        if parameter_2_name is not UNSET:
            field_dict["Parameter2.Name"] = parameter_2_name
        if parameter_2_value is not UNSET:
            field_dict["Parameter2.Value"] = parameter_2_value
        if authorization_bearer_token is not UNSET:
            field_dict["AuthorizationBearerToken"] = authorization_bearer_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("Url")

        name = d.pop("Name", UNSET)

        _track = d.pop("Track", UNSET)
        track: CreateConferenceStreamRequestTrack | Unset
        if isinstance(_track, Unset):
            track = UNSET
        else:
            track = CreateConferenceStreamRequestTrack(_track)

        _status_callback_method = d.pop("StatusCallbackMethod", UNSET)
        status_callback_method: CreateConferenceStreamRequestStatusCallbackMethod | Unset
        if isinstance(_status_callback_method, Unset):
            status_callback_method = UNSET
        else:
            status_callback_method = CreateConferenceStreamRequestStatusCallbackMethod(_status_callback_method)

        status_callback = d.pop("StatusCallback", UNSET)

        _stream_codec = d.pop("StreamCodec", UNSET)
        stream_codec: CreateConferenceStreamRequestStreamCodec | Unset
        if isinstance(_stream_codec, Unset):
            stream_codec = UNSET
        else:
            stream_codec = CreateConferenceStreamRequestStreamCodec(_stream_codec)

        stream_real_time = d.pop("StreamRealTime", UNSET)

        parameter_1_name = d.pop("Parameter1.Name", UNSET)

        parameter_1_value = d.pop("Parameter1.Value", UNSET)

        parameter_2_name = d.pop("Parameter2.Name", UNSET)

        parameter_2_value = d.pop("Parameter2.Value", UNSET)

        authorization_bearer_token = d.pop("AuthorizationBearerToken", UNSET)

        create_conference_stream_request = cls(
            url=url,
            name=name,
            track=track,
            status_callback_method=status_callback_method,
            status_callback=status_callback,
            stream_codec=stream_codec,
            stream_real_time=stream_real_time,
            parameter_1_name=parameter_1_name,
            parameter_1_value=parameter_1_value,
            parameter_2_name=parameter_2_name,
            parameter_2_value=parameter_2_value,
            authorization_bearer_token=authorization_bearer_token,
        )

        create_conference_stream_request.additional_properties = d
        return create_conference_stream_request

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
