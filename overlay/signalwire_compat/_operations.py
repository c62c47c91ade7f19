"""Operations: what to send, built by the generated code at call time, and how to read the answer.

Every request starts in a generated endpoint's ``_get_kwargs`` (method, path with quoted
parameters, body), goes through ``_wire.to_wire`` (the form-encoding fix), and becomes an
``Operation`` the clients send. A regenerated spec that changes a path or a body therefore
changes what the SDK sends, with no template or per-operation code to update here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any, Generic, NamedTuple, TypeVar
from uuid import UUID

import httpx

from . import _generated as gen
from ._models import CallStream, ConferenceStream
from ._validation import validate_choice, validate_sid
from ._wire import WireRequest, to_wire

__all__ = ["Operation", "OperationResult", "escape_hatch", "update_call_stream", "update_conference_stream"]

T = TypeVar("T")


class Operation(NamedTuple, Generic[T]):
    """One API call, ready to send: the wire request and how to read a 2xx answer.

    ``idempotent`` operations (the stream stops) are retried after any retryable failure; others
    only when the server cannot have acted on them (connect errors, 408, 429, 503).
    ``parse`` gets a read, detached response (its ``content`` is the decoded body).
    """

    name: str
    wire: WireRequest
    parse: Callable[[httpx.Response], T]
    idempotent: bool


class OperationResult(NamedTuple):
    """What the escape hatch (``client.invoke``) returns: the generated parser's result and the response."""

    status_code: int
    parsed: Any
    response: httpx.Response


def parse_json_object(body: bytes) -> dict[str, Any]:
    document = json.loads(body)
    if not isinstance(document, dict):
        raise TypeError(f"expected a JSON object, got {type(document).__name__}")
    return document


def _read_call_stream(response: httpx.Response) -> CallStream:
    return CallStream.from_json(parse_json_object(response.content))


def _read_conference_stream(response: httpx.Response) -> ConferenceStream:
    return ConferenceStream.from_json(parse_json_object(response.content))


def update_call_stream(account_sid: str, call_sid: str, sid: str, status: object) -> Operation[CallStream]:
    """``POST …/Calls/{call_sid}/Streams/{sid}``; the ids must already be validated."""
    body = gen.UpdateCallStreamRequest(status=validate_choice(status, "status", gen.UpdateCallStreamRequestStatus))
    request = gen.update_stream._get_kwargs(account_sid=account_sid, call_sid=call_sid, sid=sid, body=body)
    return Operation("update_stream", to_wire(request), _read_call_stream, idempotent=True)


def update_conference_stream(
    account_sid: str, conference_sid: str, sid: str, status: object
) -> Operation[ConferenceStream]:
    """``POST …/Conferences/{conference_sid}/Streams/{sid}``; the ids must already be validated."""
    body = gen.UpdateConferenceStreamRequest(
        status=validate_choice(status, "status", gen.UpdateConferenceStreamRequestStatus)
    )
    request = gen.update_conference_stream._get_kwargs(
        account_sid=account_sid, conference_sid=conference_sid, sid=sid, body=body
    )
    return Operation("update_conference_stream", to_wire(request), _read_conference_stream, idempotent=True)


def escape_hatch(
    endpoint: ModuleType | str,
    arguments: dict[str, Any],
    *,
    account_sid: str,
    base_url: str,
    idempotent: bool,
) -> Operation[OperationResult]:
    """An ``Operation`` for any generated endpoint; UUID-typed arguments are validated like sids."""
    import inspect  # ~5 ms to import; only the escape hatch needs it

    module = gen.find_operation(endpoint) if isinstance(endpoint, str) else endpoint
    get_kwargs = getattr(module, "_get_kwargs", None)
    parse_response = getattr(module, "_parse_response", None)
    if get_kwargs is None or parse_response is None:
        raise TypeError(f"{getattr(module, '__name__', module)!r} is not a generated endpoint module")
    name = module.__name__.rsplit(".", 1)[-1]
    signature = inspect.signature(get_kwargs)
    arguments = dict(arguments)
    if "account_sid" in signature.parameters and "account_sid" not in arguments:
        arguments["account_sid"] = account_sid
    try:
        bound = signature.bind(**arguments)
    except TypeError as exc:
        raise TypeError(f"{name}: {exc}") from None
    for argument, value in bound.arguments.items():
        if signature.parameters[argument].annotation in (UUID, "UUID"):
            bound.arguments[argument] = UUID(validate_sid(value, argument))
    wire = to_wire(get_kwargs(*bound.args, **bound.kwargs))
    # The generated parser wants its own client type only to read ``raise_on_unexpected_status``.
    parser_client = gen.GeneratedClient(base_url=base_url, raise_on_unexpected_status=False)

    def read(response: httpx.Response) -> OperationResult:
        return OperationResult(
            status_code=response.status_code,
            parsed=parse_response(client=parser_client, response=response),
            response=response,
        )

    return Operation(name, wire, read, idempotent=idempotent)
