from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.answered_by import AnsweredBy
from ..models.call_direction import CallDirection
from ..models.call_status import CallStatus

if TYPE_CHECKING:
    from ..models.call_subresource_uris import CallSubresourceUris


T = TypeVar("T", bound="CallResponse")


@_attrs_define
class CallResponse:
    """Response containing a single call.

    Attributes:
        sid (UUID): The unique identifier for the call.
        account_sid (UUID): The unique identifier for the account that created this call.
        date_created (str): The date, in RFC 2822 GMT format, this call was created.
        date_updated (str): The date, in RFC 2822 GMT format, this call was updated.
        parent_call_sid (None | UUID): The unique identifier for the call that created this call.
        to (str): The address that received the call.
        formatted_to (str): The formatted number that received the call.
        to_formatted (str): The formatted number that received the call. Alias for formatted_to.
        from_ (str): The address that initiated the call.
        formatted_from (str): The formatted number that initiated the call.
        from_formatted (str): The formatted number that initiated the call. Alias for formatted_from.
        phone_number_sid (None | UUID): The unique identifier for the phone number.
        status (CallStatus): Call status.
        start_time (None | str): The time, in RFC 2822 GMT format, on which the call began.
        end_time (None | str): The time, in RFC 2822 GMT format, on which the call was terminated.
        duration (int): The duration, in seconds, of the call.
        price (float | None): The charge for the call.
        price_unit (str): The currency, in ISO 4127 format, for the price of the call.
        direction (CallDirection): Call direction.
        answered_by (AnsweredBy | None): Who/what the call was answered by.
        api_version (str): The version of the SignalWire API.
        forwarded_from (None | str): The number this call was forwarded from. Always null.
        caller_name (None | str): The caller name. Always null.
        uri (str): The URI for the call.
        subresource_uris (CallSubresourceUris): Call subresource URIs.
        annotation (None | str): The annotation for the call. Always null.
        group_sid (None | str): The group SID for the call. Always null.
        audio_in_mos (float | None): The Mean Opinion Score for audio quality (1.0-5.0).
        sip_result_code (None | str): The SIP result code for the call.
        audio_rtt_avg (int | None): The average round-trip time for audio in milliseconds.
        audio_rtt_min (int | None): The minimum round-trip time for audio in milliseconds.
        audio_rtt_max (int | None): The maximum round-trip time for audio in milliseconds.
        audio_out_jitter_min (int | None): The minimum outbound audio jitter in milliseconds.
        audio_out_jitter_max (int | None): The maximum outbound audio jitter in milliseconds.
        audio_out_jitter_avg (int | None): The average outbound audio jitter in milliseconds.
        audio_out_lost (int | None): The number of outbound audio packets lost.
    """

    sid: UUID
    account_sid: UUID
    date_created: str
    date_updated: str
    parent_call_sid: None | UUID
    to: str
    formatted_to: str
    to_formatted: str
    from_: str
    formatted_from: str
    from_formatted: str
    phone_number_sid: None | UUID
    status: CallStatus
    start_time: None | str
    end_time: None | str
    duration: int
    price: float | None
    price_unit: str
    direction: CallDirection
    answered_by: AnsweredBy | None
    api_version: str
    forwarded_from: None | str
    caller_name: None | str
    uri: str
    subresource_uris: CallSubresourceUris
    annotation: None | str
    group_sid: None | str
    audio_in_mos: float | None
    sip_result_code: None | str
    audio_rtt_avg: int | None
    audio_rtt_min: int | None
    audio_rtt_max: int | None
    audio_out_jitter_min: int | None
    audio_out_jitter_max: int | None
    audio_out_jitter_avg: int | None
    audio_out_lost: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sid = str(self.sid)

        account_sid = str(self.account_sid)

        date_created = self.date_created

        date_updated = self.date_updated

        parent_call_sid: None | str
        if isinstance(self.parent_call_sid, UUID):
            parent_call_sid = str(self.parent_call_sid)
        else:
            parent_call_sid = self.parent_call_sid

        to = self.to

        formatted_to = self.formatted_to

        to_formatted = self.to_formatted

        from_ = self.from_

        formatted_from = self.formatted_from

        from_formatted = self.from_formatted

        phone_number_sid: None | str
        if isinstance(self.phone_number_sid, UUID):
            phone_number_sid = str(self.phone_number_sid)
        else:
            phone_number_sid = self.phone_number_sid

        status = self.status.value

        start_time: None | str
        start_time = self.start_time

        end_time: None | str
        end_time = self.end_time

        duration = self.duration

        price: float | None
        price = self.price

        price_unit = self.price_unit

        direction = self.direction.value

        answered_by: None | str
        if isinstance(self.answered_by, AnsweredBy):
            answered_by = self.answered_by.value
        else:
            answered_by = self.answered_by

        api_version = self.api_version

        forwarded_from: None | str
        forwarded_from = self.forwarded_from

        caller_name: None | str
        caller_name = self.caller_name

        uri = self.uri

        subresource_uris = self.subresource_uris.to_dict()

        annotation: None | str
        annotation = self.annotation

        group_sid: None | str
        group_sid = self.group_sid

        audio_in_mos: float | None
        audio_in_mos = self.audio_in_mos

        sip_result_code: None | str
        sip_result_code = self.sip_result_code

        audio_rtt_avg: int | None
        audio_rtt_avg = self.audio_rtt_avg

        audio_rtt_min: int | None
        audio_rtt_min = self.audio_rtt_min

        audio_rtt_max: int | None
        audio_rtt_max = self.audio_rtt_max

        audio_out_jitter_min: int | None
        audio_out_jitter_min = self.audio_out_jitter_min

        audio_out_jitter_max: int | None
        audio_out_jitter_max = self.audio_out_jitter_max

        audio_out_jitter_avg: int | None
        audio_out_jitter_avg = self.audio_out_jitter_avg

        audio_out_lost: int | None
        audio_out_lost = self.audio_out_lost

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sid": sid,
                "account_sid": account_sid,
                "date_created": date_created,
                "date_updated": date_updated,
                "parent_call_sid": parent_call_sid,
                "to": to,
                "formatted_to": formatted_to,
                "to_formatted": to_formatted,
                "from": from_,
                "formatted_from": formatted_from,
                "from_formatted": from_formatted,
                "phone_number_sid": phone_number_sid,
                "status": status,
                "start_time": start_time,
                "end_time": end_time,
                "duration": duration,
                "price": price,
                "price_unit": price_unit,
                "direction": direction,
                "answered_by": answered_by,
                "api_version": api_version,
                "forwarded_from": forwarded_from,
                "caller_name": caller_name,
                "uri": uri,
                "subresource_uris": subresource_uris,
                "annotation": annotation,
                "group_sid": group_sid,
                "audio_in_mos": audio_in_mos,
                "sip_result_code": sip_result_code,
                "audio_rtt_avg": audio_rtt_avg,
                "audio_rtt_min": audio_rtt_min,
                "audio_rtt_max": audio_rtt_max,
                "audio_out_jitter_min": audio_out_jitter_min,
                "audio_out_jitter_max": audio_out_jitter_max,
                "audio_out_jitter_avg": audio_out_jitter_avg,
                "audio_out_lost": audio_out_lost,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_subresource_uris import CallSubresourceUris  # noqa: PLC0415

        d = dict(src_dict)
        sid = UUID(d.pop("sid"))

        account_sid = UUID(d.pop("account_sid"))

        date_created = d.pop("date_created")

        date_updated = d.pop("date_updated")

        def _parse_parent_call_sid(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_call_sid_type_0 = UUID(data)

                return parent_call_sid_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        parent_call_sid = _parse_parent_call_sid(d.pop("parent_call_sid"))

        to = d.pop("to")

        formatted_to = d.pop("formatted_to")

        to_formatted = d.pop("to_formatted")

        from_ = d.pop("from")

        formatted_from = d.pop("formatted_from")

        from_formatted = d.pop("from_formatted")

        def _parse_phone_number_sid(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                phone_number_sid_type_0 = UUID(data)

                return phone_number_sid_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        phone_number_sid = _parse_phone_number_sid(d.pop("phone_number_sid"))

        status = CallStatus(d.pop("status"))

        def _parse_start_time(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        start_time = _parse_start_time(d.pop("start_time"))

        def _parse_end_time(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        end_time = _parse_end_time(d.pop("end_time"))

        duration = d.pop("duration")

        def _parse_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        price = _parse_price(d.pop("price"))

        price_unit = d.pop("price_unit")

        direction = CallDirection(d.pop("direction"))

        def _parse_answered_by(data: object) -> AnsweredBy | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_by_type_0 = AnsweredBy(data)

                return answered_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnsweredBy | None, data)

        answered_by = _parse_answered_by(d.pop("answered_by"))

        api_version = d.pop("api_version")

        def _parse_forwarded_from(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        forwarded_from = _parse_forwarded_from(d.pop("forwarded_from"))

        def _parse_caller_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        caller_name = _parse_caller_name(d.pop("caller_name"))

        uri = d.pop("uri")

        subresource_uris = CallSubresourceUris.from_dict(d.pop("subresource_uris"))

        def _parse_annotation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        annotation = _parse_annotation(d.pop("annotation"))

        def _parse_group_sid(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        group_sid = _parse_group_sid(d.pop("group_sid"))

        def _parse_audio_in_mos(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        audio_in_mos = _parse_audio_in_mos(d.pop("audio_in_mos"))

        def _parse_sip_result_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sip_result_code = _parse_sip_result_code(d.pop("sip_result_code"))

        def _parse_audio_rtt_avg(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_rtt_avg = _parse_audio_rtt_avg(d.pop("audio_rtt_avg"))

        def _parse_audio_rtt_min(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_rtt_min = _parse_audio_rtt_min(d.pop("audio_rtt_min"))

        def _parse_audio_rtt_max(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_rtt_max = _parse_audio_rtt_max(d.pop("audio_rtt_max"))

        def _parse_audio_out_jitter_min(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_out_jitter_min = _parse_audio_out_jitter_min(d.pop("audio_out_jitter_min"))

        def _parse_audio_out_jitter_max(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_out_jitter_max = _parse_audio_out_jitter_max(d.pop("audio_out_jitter_max"))

        def _parse_audio_out_jitter_avg(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_out_jitter_avg = _parse_audio_out_jitter_avg(d.pop("audio_out_jitter_avg"))

        def _parse_audio_out_lost(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        audio_out_lost = _parse_audio_out_lost(d.pop("audio_out_lost"))

        call_response = cls(
            sid=sid,
            account_sid=account_sid,
            date_created=date_created,
            date_updated=date_updated,
            parent_call_sid=parent_call_sid,
            to=to,
            formatted_to=formatted_to,
            to_formatted=to_formatted,
            from_=from_,
            formatted_from=formatted_from,
            from_formatted=from_formatted,
            phone_number_sid=phone_number_sid,
            status=status,
            start_time=start_time,
            end_time=end_time,
            duration=duration,
            price=price,
            price_unit=price_unit,
            direction=direction,
            answered_by=answered_by,
            api_version=api_version,
            forwarded_from=forwarded_from,
            caller_name=caller_name,
            uri=uri,
            subresource_uris=subresource_uris,
            annotation=annotation,
            group_sid=group_sid,
            audio_in_mos=audio_in_mos,
            sip_result_code=sip_result_code,
            audio_rtt_avg=audio_rtt_avg,
            audio_rtt_min=audio_rtt_min,
            audio_rtt_max=audio_rtt_max,
            audio_out_jitter_min=audio_out_jitter_min,
            audio_out_jitter_max=audio_out_jitter_max,
            audio_out_jitter_avg=audio_out_jitter_avg,
            audio_out_lost=audio_out_lost,
        )

        call_response.additional_properties = d
        return call_response

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
