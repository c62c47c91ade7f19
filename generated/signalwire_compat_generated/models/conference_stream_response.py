from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.conference_stream_status import ConferenceStreamStatus

T = TypeVar("T", bound="ConferenceStreamResponse")


@_attrs_define
class ConferenceStreamResponse:
    """Response containing a single conference stream.

    Attributes:
        account_sid (UUID): The unique identifier for the account.
        conference_sid (UUID): The unique identifier for the conference.
        date_updated (str): The date, in RFC 2822 GMT format, this stream was updated.
        name (None | str): The name of the stream. May be null if not specified when creating the stream.
        sid (UUID): The unique identifier for the stream.
        status (ConferenceStreamStatus): Conference stream status.
        uri (str): The URI for the stream.
    """

    account_sid: UUID
    conference_sid: UUID
    date_updated: str
    name: None | str
    sid: UUID
    status: ConferenceStreamStatus
    uri: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_sid = str(self.account_sid)

        conference_sid = str(self.conference_sid)

        date_updated = self.date_updated

        name: None | str
        name = self.name

        sid = str(self.sid)

        status = self.status.value

        uri = self.uri

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_sid": account_sid,
                "conference_sid": conference_sid,
                "date_updated": date_updated,
                "name": name,
                "sid": sid,
                "status": status,
                "uri": uri,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_sid = UUID(d.pop("account_sid"))

        conference_sid = UUID(d.pop("conference_sid"))

        date_updated = d.pop("date_updated")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        sid = UUID(d.pop("sid"))

        status = ConferenceStreamStatus(d.pop("status"))

        uri = d.pop("uri")

        conference_stream_response = cls(
            account_sid=account_sid,
            conference_sid=conference_sid,
            date_updated=date_updated,
            name=name,
            sid=sid,
            status=status,
            uri=uri,
        )

        conference_stream_response.additional_properties = d
        return conference_stream_response

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
