from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.update_conference_stream_request_status import UpdateConferenceStreamRequestStatus

T = TypeVar("T", bound="UpdateConferenceStreamRequest")


@_attrs_define
class UpdateConferenceStreamRequest:
    """Request body for updating a conference stream.

    Attributes:
        status (UpdateConferenceStreamRequestStatus): The status of the stream. Only 'stopped' is allowed.
    """

    status: UpdateConferenceStreamRequestStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = UpdateConferenceStreamRequestStatus(d.pop("Status"))

        update_conference_stream_request = cls(
            status=status,
        )

        update_conference_stream_request.additional_properties = d
        return update_conference_stream_request

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
