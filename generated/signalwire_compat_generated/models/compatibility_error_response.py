from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CompatibilityErrorResponse")


@_attrs_define
class CompatibilityErrorResponse:
    """Error response model.

    Attributes:
        code (int): Error code.
        message (str): Error message.
        more_info (str): URL for more information about the error.
        status (int): HTTP status code.
    """

    code: int
    message: str
    more_info: str
    status: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        more_info = self.more_info

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "more_info": more_info,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        more_info = d.pop("more_info")

        status = d.pop("status")

        compatibility_error_response = cls(
            code=code,
            message=message,
            more_info=more_info,
            status=status,
        )

        compatibility_error_response.additional_properties = d
        return compatibility_error_response

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
