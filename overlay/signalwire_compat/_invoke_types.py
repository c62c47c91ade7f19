# Written by make generate (scripts/pipeline/derive_overlay.py) from generated/signalwire_compat_generated: never edit.

# ruff: noqa: ASYNC109 - the async overloads take invoke's own timeout=, as AsyncClient.invoke does
"""``client.invoke`` typed per generated operation: its keyword arguments and its 2xx model (mypy refuses
a misspelt or missing argument); a generated module or function is taken as before."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, overload
from uuid import UUID

if TYPE_CHECKING:
    from ._generated import Unset, models
    from ._operation_types import OperationResult

__all__ = ["AsyncInvoke", "Invoke"]

R = TypeVar("R")


class Invoke(Protocol):
    """``Client.invoke``: one overload per generated operation, then a generated module or one of its functions."""

    @overload
    def __call__(
        self,
        operation: Literal["create_a_call"],
        /,
        *,
        body: models.CreateCallRequest,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallResponse]: ...

    @overload
    def __call__(
        self,
        operation: Literal["create_conference_stream"],
        /,
        *,
        conference_sid: str | UUID,
        body: models.CreateConferenceStreamRequest,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.ConferenceStreamResponse]: ...

    @overload
    def __call__(
        self,
        operation: Literal["create_stream"],
        /,
        *,
        call_sid: str | UUID,
        body: models.CreateCallStreamRequest,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallStreamResponse]: ...

    @overload
    def __call__(
        self,
        operation: Literal["retrieve_a_call"],
        /,
        *,
        sid: str | UUID,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallResponse]: ...

    @overload
    def __call__(
        self,
        operation: Literal["update_a_call"],
        /,
        *,
        sid: str | UUID,
        body: models.UpdateCallRequest,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallResponse]: ...

    @overload
    def __call__(
        self,
        operation: Literal["update_conference_stream"],
        /,
        *,
        conference_sid: str | UUID,
        sid: str | UUID,
        account_sid: str | UUID = ...,
        body: models.UpdateConferenceStreamRequest | Unset = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.ConferenceStreamResponse]: ...

    @overload
    def __call__(
        self,
        operation: Literal["update_stream"],
        /,
        *,
        call_sid: str | UUID,
        sid: str | UUID,
        account_sid: str | UUID = ...,
        body: models.UpdateCallStreamRequest | Unset = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallStreamResponse]: ...

    @overload
    def __call__(
        self, operation: Callable[..., R], /, *, idempotent: bool = ..., timeout: float | None = ..., **arguments: Any
    ) -> OperationResult[R]: ...

    @overload
    def __call__(
        self, operation: ModuleType, /, *, idempotent: bool = ..., timeout: float | None = ..., **arguments: Any
    ) -> OperationResult[Any]: ...


class AsyncInvoke(Protocol):
    """``AsyncClient.invoke``: one overload per generated operation, then a generated module or one of its functions."""

    @overload
    async def __call__(
        self,
        operation: Literal["create_a_call"],
        /,
        *,
        body: models.CreateCallRequest,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallResponse]: ...

    @overload
    async def __call__(
        self,
        operation: Literal["create_conference_stream"],
        /,
        *,
        conference_sid: str | UUID,
        body: models.CreateConferenceStreamRequest,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.ConferenceStreamResponse]: ...

    @overload
    async def __call__(
        self,
        operation: Literal["create_stream"],
        /,
        *,
        call_sid: str | UUID,
        body: models.CreateCallStreamRequest,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallStreamResponse]: ...

    @overload
    async def __call__(
        self,
        operation: Literal["retrieve_a_call"],
        /,
        *,
        sid: str | UUID,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallResponse]: ...

    @overload
    async def __call__(
        self,
        operation: Literal["update_a_call"],
        /,
        *,
        sid: str | UUID,
        body: models.UpdateCallRequest,
        account_sid: str | UUID = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallResponse]: ...

    @overload
    async def __call__(
        self,
        operation: Literal["update_conference_stream"],
        /,
        *,
        conference_sid: str | UUID,
        sid: str | UUID,
        account_sid: str | UUID = ...,
        body: models.UpdateConferenceStreamRequest | Unset = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.ConferenceStreamResponse]: ...

    @overload
    async def __call__(
        self,
        operation: Literal["update_stream"],
        /,
        *,
        call_sid: str | UUID,
        sid: str | UUID,
        account_sid: str | UUID = ...,
        body: models.UpdateCallStreamRequest | Unset = ...,
        idempotent: bool = ...,
        timeout: float | None = ...,
    ) -> OperationResult[models.CallStreamResponse]: ...

    @overload
    async def __call__(
        self, operation: Callable[..., R], /, *, idempotent: bool = ..., timeout: float | None = ..., **arguments: Any
    ) -> OperationResult[R]: ...

    @overload
    async def __call__(
        self, operation: ModuleType, /, *, idempotent: bool = ..., timeout: float | None = ..., **arguments: Any
    ) -> OperationResult[Any]: ...
