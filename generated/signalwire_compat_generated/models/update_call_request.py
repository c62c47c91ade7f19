from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.update_call_request_fallback_method import UpdateCallRequestFallbackMethod
from ..models.update_call_request_method import UpdateCallRequestMethod
from ..models.update_call_request_status import UpdateCallRequestStatus
from ..models.update_call_request_status_callback_method import UpdateCallRequestStatusCallbackMethod
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateCallRequest")


@_attrs_define
class UpdateCallRequest:
    """Request body for updating a call.

    Attributes:
        url (str | Unset): The URL to handle the call.
        method (UpdateCallRequestMethod | Unset): Whether the request to `Url` is a `GET` or a `POST`.
        status (UpdateCallRequestStatus | Unset): The status to update the call to.
        fallback_url (str | Unset): The URL SignalWire will request if errors occur.
        fallback_method (UpdateCallRequestFallbackMethod | Unset): Whether the request to `FallbackUrl` is a `GET` or a
            `POST`.
        status_callback (str | Unset): The URL SignalWire will send webhooks to.
        status_callback_method (UpdateCallRequestStatusCallbackMethod | Unset): Whether the request to `StatusCallback`
            is a `GET` or a `POST`.
    """

    url: str | Unset = UNSET
    method: UpdateCallRequestMethod | Unset = UNSET
    status: UpdateCallRequestStatus | Unset = UNSET
    fallback_url: str | Unset = UNSET
    fallback_method: UpdateCallRequestFallbackMethod | Unset = UNSET
    status_callback: str | Unset = UNSET
    status_callback_method: UpdateCallRequestStatusCallbackMethod | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method.value

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        fallback_url = self.fallback_url

        fallback_method: str | Unset = UNSET
        if not isinstance(self.fallback_method, Unset):
            fallback_method = self.fallback_method.value

        status_callback = self.status_callback

        status_callback_method: str | Unset = UNSET
        if not isinstance(self.status_callback_method, Unset):
            status_callback_method = self.status_callback_method.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if url is not UNSET:
            field_dict["Url"] = url
        if method is not UNSET:
            field_dict["Method"] = method
        if status is not UNSET:
            field_dict["Status"] = status
        if fallback_url is not UNSET:
            field_dict["FallbackUrl"] = fallback_url
        if fallback_method is not UNSET:
            field_dict["FallbackMethod"] = fallback_method
        if status_callback is not UNSET:
            field_dict["StatusCallback"] = status_callback
        if status_callback_method is not UNSET:
            field_dict["StatusCallbackMethod"] = status_callback_method

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("Url", UNSET)

        _method = d.pop("Method", UNSET)
        method: UpdateCallRequestMethod | Unset
        if isinstance(_method, Unset):
            method = UNSET
        else:
            method = UpdateCallRequestMethod(_method)

        _status = d.pop("Status", UNSET)
        status: UpdateCallRequestStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = UpdateCallRequestStatus(_status)

        fallback_url = d.pop("FallbackUrl", UNSET)

        _fallback_method = d.pop("FallbackMethod", UNSET)
        fallback_method: UpdateCallRequestFallbackMethod | Unset
        if isinstance(_fallback_method, Unset):
            fallback_method = UNSET
        else:
            fallback_method = UpdateCallRequestFallbackMethod(_fallback_method)

        status_callback = d.pop("StatusCallback", UNSET)

        _status_callback_method = d.pop("StatusCallbackMethod", UNSET)
        status_callback_method: UpdateCallRequestStatusCallbackMethod | Unset
        if isinstance(_status_callback_method, Unset):
            status_callback_method = UNSET
        else:
            status_callback_method = UpdateCallRequestStatusCallbackMethod(_status_callback_method)

        update_call_request = cls(
            url=url,
            method=method,
            status=status,
            fallback_url=fallback_url,
            fallback_method=fallback_method,
            status_callback=status_callback,
            status_callback_method=status_callback_method,
        )

        update_call_request.additional_properties = d
        return update_call_request

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
