"""Operations: what to send, built by the generated code at call time, and how to read the answer.

Every request starts in a generated endpoint's ``_get_kwargs`` (method, path with quoted
parameters, body), goes through ``_wire.to_wire`` (the form-encoding fix), and becomes an
``Operation`` the clients send. A regenerated spec that changes a path or a body therefore
changes what the SDK sends, with no template or per-operation code to update here.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from types import ModuleType
from typing import Any, NamedTuple, Protocol, TypeVar
from uuid import UUID

from . import _generated as gen
from ._models import CallStream, ConferenceStream
from ._operation_types import Answer, Operation, OperationResult
from ._validation import (
    validate_callback_url,
    validate_choice,
    validate_parameters,
    validate_sid,
    validate_stream_name,
    validate_websocket_url,
)
from ._wire import numbered_parameters, to_wire

__all__ = [
    "StreamSettings",
    "create_call_stream",
    "create_conference_stream",
    "escape_hatch",
    "update_call_stream",
    "update_conference_stream",
]


T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


class _WithAdditionalProperties(Protocol):
    additional_properties: dict[str, Any]


B = TypeVar("B", bound=_WithAdditionalProperties)


def parse_json_object(body: bytes) -> dict[str, Any]:
    document = json.loads(body)
    if not isinstance(document, dict):
        raise TypeError(f"expected a JSON object, got {type(document).__name__}")
    return document


def _read_call_stream(answer: Answer) -> CallStream:
    return CallStream.from_json(parse_json_object(answer.content))


def _read_conference_stream(answer: Answer) -> ConferenceStream:
    return ConferenceStream.from_json(parse_json_object(answer.content))


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


def refuse_unknown(options: Mapping[str, object], known: Iterable[str], what: str) -> None:
    """A ``TypeError`` naming the keyword arguments of ``what()`` that are not ``known``, as Python's own would."""
    unknown = sorted(options.keys() - known)
    if unknown:
        raise TypeError(f"{what}() got unexpected keyword arguments: {', '.join(unknown)}")


class StreamSettings(NamedTuple):
    """What ``streams.create(...)`` takes for both parents, as the caller passed it (unchecked)."""

    url: object
    name: object = None
    track: object = None
    status_callback: object = None
    status_callback_method: object = None
    parameters: object = None
    authorization_bearer_token: object = None

    def __repr__(self) -> str:
        return f"StreamSettings(url={self.url!r}, name={self.name!r}, authorization_bearer_token=<hidden>)"

    @classmethod
    def of(cls, url: object, options: Mapping[str, object]) -> StreamSettings:
        """The settings ``create(url=..., **options)`` was called with; an unknown option is a ``TypeError``."""
        refuse_unknown(options, cls._fields, "create")
        return cls(url, **options)  # names checked above, values by the builders


def _optional(value: object, check: Callable[[object], T]) -> T | gen.Unset:
    return gen.UNSET if value is None else check(value)


def validate_secret(value: object, name: str) -> str:
    """A secret the request carries: a non-empty str. The error never shows the value."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty str")
    return value


def validate_flag(value: object, name: str) -> bool:
    """A boolean field: True or False, not a value that would merely be truthy."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be a bool, not {type(value).__name__}")
    return value


_bearer_token = partial(validate_secret, name="authorization_bearer_token")
_real_time = partial(validate_flag, name="stream_real_time")


def _choice(name: str, choices: type[E]) -> Callable[[object], E]:
    return lambda value: validate_choice(value, name, choices)


def _secrets(settings: StreamSettings) -> tuple[str, ...]:
    token = settings.authorization_bearer_token
    return (token,) if isinstance(token, str) and token else ()


def _with_parameters(body: B, parameters: object) -> B:
    # Parameter1 … Parameter99 go into the generated model's additional properties: its to_dict()
    # sends them with the declared fields, and _wire form-encodes the whole body once.
    if parameters is not None:
        body.additional_properties.update(numbered_parameters(validate_parameters(parameters)))
    return body


def create_call_stream(
    account_sid: str, call_sid: str, settings: StreamSettings, *, local_space: bool = False
) -> Operation[CallStream]:
    """``POST …/Calls/{call_sid}/Streams``; the ids must already be validated.

    Not idempotent: retried only when the server cannot have acted on it. ``local_space``: the
    client's space is a loopback URL, so a ``ws://`` URL to a loopback host is accepted.
    """
    body = gen.CreateCallStreamRequest(
        url=validate_websocket_url(settings.url, local_space=local_space),
        name=_optional(settings.name, validate_stream_name),
        track=_optional(settings.track, _choice("track", gen.CreateCallStreamRequestTrack)),
        status_callback=_optional(settings.status_callback, validate_callback_url),
        status_callback_method=_optional(
            settings.status_callback_method,
            _choice("status_callback_method", gen.CreateCallStreamRequestStatusCallbackMethod),
        ),
        authorization_bearer_token=_optional(settings.authorization_bearer_token, _bearer_token),
    )
    body = _with_parameters(body, settings.parameters)
    request = gen.create_stream._get_kwargs(account_sid=account_sid, call_sid=call_sid, body=body)
    return Operation("create_stream", to_wire(request), _read_call_stream, False, _secrets(settings))


def create_conference_stream(
    account_sid: str,
    conference_sid: str,
    settings: StreamSettings,
    *,
    stream_codec: object = None,
    stream_real_time: object = None,
    local_space: bool = False,
) -> Operation[ConferenceStream]:
    """``POST …/Conferences/{conference_sid}/Streams``; the ids must already be validated."""
    body = gen.CreateConferenceStreamRequest(
        url=validate_websocket_url(settings.url, local_space=local_space),
        name=_optional(settings.name, validate_stream_name),
        track=_optional(settings.track, _choice("track", gen.CreateConferenceStreamRequestTrack)),
        status_callback=_optional(settings.status_callback, validate_callback_url),
        status_callback_method=_optional(
            settings.status_callback_method,
            _choice("status_callback_method", gen.CreateConferenceStreamRequestStatusCallbackMethod),
        ),
        stream_codec=_optional(stream_codec, _choice("stream_codec", gen.CreateConferenceStreamRequestStreamCodec)),
        stream_real_time=_optional(stream_real_time, _real_time),
        authorization_bearer_token=_optional(settings.authorization_bearer_token, _bearer_token),
    )
    body = _with_parameters(body, settings.parameters)
    request = gen.create_conference_stream._get_kwargs(
        account_sid=account_sid, conference_sid=conference_sid, body=body
    )
    return Operation("create_conference_stream", to_wire(request), _read_conference_stream, False, _secrets(settings))


def escape_hatch(
    endpoint: ModuleType | str | Callable[..., Any],
    arguments: dict[str, Any],
    *,
    account_sid: str,
    base_url: str,
    idempotent: bool,
) -> Operation[OperationResult[Any]]:
    """An ``Operation`` for any generated endpoint: its module, its name, or one of its functions
    (``update_stream.sync``, which types the result). UUID-typed arguments are validated like sids;
    enums, URLs and secret-shaped values are checked as ``_invoke_checks`` says, and those secrets
    are the operation's, redacted from its errors."""
    import inspect  # slow to import; only the escape hatch needs it
    import sys

    from ._invoke_checks import body_problem, checked_value, type_hints

    if isinstance(endpoint, str):
        module = gen.find_operation(endpoint)
    elif isinstance(endpoint, ModuleType):
        module = endpoint
    else:
        module = sys.modules.get(getattr(endpoint, "__module__", ""), endpoint)  # type: ignore[arg-type]
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
    hints = type_hints(get_kwargs)
    if "body" in bound.arguments and (problem := body_problem(name, bound.arguments["body"], hints.get("body"))):
        raise TypeError(problem)
    secrets: list[str] = []
    for argument, value in bound.arguments.items():
        if signature.parameters[argument].annotation in (UUID, "UUID"):
            bound.arguments[argument] = UUID(validate_sid(value, argument))
        else:
            bound.arguments[argument] = checked_value(argument, value, hints.get(argument), secrets)
    wire = to_wire(get_kwargs(*bound.args, **bound.kwargs))
    # The generated parser wants its own client type only to read ``raise_on_unexpected_status``.
    parser_client = gen.GeneratedClient(base_url=base_url, raise_on_unexpected_status=False)

    def read(answer: Answer) -> OperationResult[Any]:
        response = answer.detached()
        parsed = parse_response(client=parser_client, response=response)
        if parsed is None and answer.content.strip():
            # The generated parser reads only the 2xx statuses the spec documents: ``parsed`` is the
            # operation's 2xx model, so another one is an unreadable answer, not a None.
            raise ValueError(f"the spec documents no {answer.status_code} answer for {name}")
        return OperationResult(status_code=response.status_code, parsed=parsed, response=response)

    return Operation(name, wire, read, idempotent, tuple(dict.fromkeys(secrets)))
