"""Operations: generated request building, checked input, and how to read each answer.

Built-in operations return the overlay's typed results; ``escape_hatch`` turns any generated
endpoint (by module or operation name) into an ``Operation`` with the same wire fixes.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx

from . import _generated as gen
from ._base_client import Operation, OperationResult, known_values, materialize, parse_json_object
from ._models import CallStream, ConferenceStream
from ._validation import validate_choice, validate_sid
from ._wire import WireRequest, to_wire

__all__ = ["escape_hatch", "update_call_stream", "update_conference_stream"]

_CALL_STATUSES = known_values(gen.UpdateCallStreamRequestStatus)
_CONFERENCE_STATUSES = known_values(gen.UpdateConferenceStreamRequestStatus)


def _read_call_stream(response: httpx.Response, body: bytes) -> CallStream:
    return CallStream.from_json(parse_json_object(body))


def _read_conference_stream(response: httpx.Response, body: bytes) -> ConferenceStream:
    return ConferenceStream.from_json(parse_json_object(body))


# Marker ids for building a request template: each must come out of the generated code verbatim.
_MARKERS = (
    UUID("00000000-0000-4000-8000-00000000000a"),
    UUID("00000000-0000-4000-8000-00000000000b"),
    UUID("00000000-0000-4000-8000-00000000000c"),
)


@cache
def _template(operation: str, status: str) -> WireRequest:
    """Run the generated request builder once, with marker ids, and keep the result as a template
    whose path has ``{0}``, ``{1}``, ``{2}`` where the account, parent and stream ids go.

    The generated code stays the source of truth for the method, URL and body (a regenerated spec
    changes them here too), while each call only formats three validated ids into the path: the
    generated builder, UUID round trips and form encoding cost ~11 us per call otherwise.
    """
    if operation == "update_stream":
        body: Any = gen.UpdateCallStreamRequest(status=gen.UpdateCallStreamRequestStatus(status))
        module = gen.update_stream
    else:
        body = gen.UpdateConferenceStreamRequest(status=gen.UpdateConferenceStreamRequestStatus(status))
        module = gen.update_conference_stream
    wire = to_wire(module._get_kwargs(*_MARKERS, body=body))
    path = wire.path.replace("{", "{{").replace("}", "}}")
    for index, marker in enumerate(_MARKERS):
        if path.count(str(marker)) != 1:
            raise RuntimeError(f"generated {operation} does not place its ids in the path as expected: {wire.path}")
        path = path.replace(str(marker), f"{{{index}}}")
    return wire._replace(path=path)


def update_call_stream(account_sid: str, call_sid: str, sid: str, status: object) -> Operation[CallStream]:
    """``account_sid``, ``call_sid`` and ``sid`` must already be validated (``validate_sid``)."""
    value = validate_choice(status, "status", _CALL_STATUSES)
    template = _template("update_stream", value)
    wire = template._replace(path=template.path.format(account_sid, call_sid, sid))
    return Operation("update_stream", wire, _read_call_stream, idempotent=True)


def update_conference_stream(
    account_sid: str, conference_sid: str, sid: str, status: object
) -> Operation[ConferenceStream]:
    value = validate_choice(status, "status", _CONFERENCE_STATUSES)
    template = _template("update_conference_stream", value)
    wire = template._replace(path=template.path.format(account_sid, conference_sid, sid))
    return Operation("update_conference_stream", wire, _read_conference_stream, idempotent=True)


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
    signature = inspect.signature(get_kwargs)
    arguments = dict(arguments)
    if "account_sid" in signature.parameters and "account_sid" not in arguments:
        arguments["account_sid"] = account_sid
    try:
        bound = signature.bind(**arguments)
    except TypeError as exc:
        raise TypeError(f"{module.__name__.rsplit('.', 1)[-1]}: {exc}") from None
    for name, value in bound.arguments.items():
        if signature.parameters[name].annotation in (UUID, "UUID"):
            bound.arguments[name] = UUID(validate_sid(value, name))
    wire = to_wire(get_kwargs(*bound.args, **bound.kwargs))
    # The generated parser wants its own client type only to read ``raise_on_unexpected_status``.
    parser_client = gen.GeneratedClient(base_url=base_url, raise_on_unexpected_status=False)

    def read(response: httpx.Response, body: bytes) -> OperationResult:
        complete = materialize(response, body)
        return OperationResult(
            status_code=complete.status_code,
            parsed=parse_response(client=parser_client, response=complete),
            response=complete,
        )

    name = module.__name__.rsplit(".", 1)[-1]
    return Operation(name, wire, read, idempotent=idempotent)
