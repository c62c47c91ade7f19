from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CallSubresourceUris")


@_attrs_define
class CallSubresourceUris:
    """Call subresource URIs.

    Attributes:
        notifications (None | str): The URI for notifications. Always null.
        recordings (str): The URI for recordings.
    """

    notifications: None | str
    recordings: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notifications: None | str
        notifications = self.notifications

        recordings = self.recordings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notifications": notifications,
                "recordings": recordings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_notifications(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        notifications = _parse_notifications(d.pop("notifications"))

        recordings = d.pop("recordings")

        call_subresource_uris = cls(
            notifications=notifications,
            recordings=recordings,
        )

        call_subresource_uris.additional_properties = d
        return call_subresource_uris

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
