from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stream_status import StreamStatus

T = TypeVar("T", bound="CallStreamResponse")


@_attrs_define
class CallStreamResponse:
    """Response containing a single call stream.

    Attributes:
        sid (UUID): The unique identifier for the stream.
        account_sid (UUID): The unique identifier for the account.
        call_sid (UUID): The unique identifier for the call.
        name (str): The name of the stream.
        status (StreamStatus): Stream status.
        date_updated (str): The date, in RFC 2822 GMT format, this stream was updated.
        uri (str): The URI for the stream.
    """

    sid: UUID
    account_sid: UUID
    call_sid: UUID
    name: str
    status: StreamStatus
    date_updated: str
    uri: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sid = str(self.sid)

        account_sid = str(self.account_sid)

        call_sid = str(self.call_sid)

        name = self.name

        status = self.status.value

        date_updated = self.date_updated

        uri = self.uri

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sid": sid,
                "account_sid": account_sid,
                "call_sid": call_sid,
                "name": name,
                "status": status,
                "date_updated": date_updated,
                "uri": uri,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sid = UUID(d.pop("sid"))

        account_sid = UUID(d.pop("account_sid"))

        call_sid = UUID(d.pop("call_sid"))

        name = d.pop("name")

        status = StreamStatus(d.pop("status"))

        date_updated = d.pop("date_updated")

        uri = d.pop("uri")

        call_stream_response = cls(
            sid=sid,
            account_sid=account_sid,
            call_sid=call_sid,
            name=name,
            status=status,
            date_updated=date_updated,
            uri=uri,
        )

        call_stream_response.additional_properties = d
        return call_stream_response

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
