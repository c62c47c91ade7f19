"""Reading the API's JSON answers tolerantly: one reader per kind of field, and a whole document by its fields.

A stop that succeeded on the server must not become an exception because one value in the answer
is new or odd (callers would retry a stop that already happened). So a value the SDK cannot
interpret (a status it does not know, an unparseable date, a JSON type the spec does not allow)
is kept as ``Unparsed``: a ``str`` holding the value's text, with the original JSON value in
``.raw``, and typed as such (``status: StreamStatus | Unparsed``). Unknown fields are kept in
``extra``. Only an answer with no usable shape at all (not an object, a required key missing) raises.

The result classes themselves (``_results.py``) are derived from the spec by scripts/derive_overlay.py,
which picks a reader here for each field from its schema; ``_models.py`` names the public ones.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from ._dates import InvalidDateError, parse_rfc2822_datetime

__all__ = [
    "NO_EXTRA",
    "Field",
    "MissingFieldsError",
    "Unparsed",
    "as_datetime",
    "read_array",
    "read_boolean",
    "read_date",
    "read_document",
    "read_enum",
    "read_integer",
    "read_json",
    "read_number",
    "read_object",
    "read_text",
]

E = TypeVar("E", bound=enum.Enum)
NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


class Unparsed(str):
    """A response value the SDK could not interpret, kept verbatim.

    ``str(value)`` is the text (JSON text for non-string values); ``value.raw`` is the JSON value.
    """

    raw: Any

    def __new__(cls, raw: Any) -> Unparsed:
        text = raw if isinstance(raw, str) else json.dumps(raw)
        self = super().__new__(cls, text)
        self.raw = raw
        return self

    def __repr__(self) -> str:
        return f"Unparsed({self.raw!r})"


class MissingFieldsError(ValueError):
    """A success response lacks fields the result cannot do without."""


def read_text(value: Any) -> str:
    return value if isinstance(value, str) else Unparsed(value)


def read_date(value: Any) -> datetime | Unparsed:
    """An RFC 2822 date (``Tue, 10 Aug 2021 21:39:46 +0000``), or the value kept as ``Unparsed``."""
    if isinstance(value, str):
        try:
            return parse_rfc2822_datetime(value)
        except InvalidDateError:
            pass
    return Unparsed(value)


def read_enum(choices: type[E]) -> Callable[[Any], E | Unparsed]:
    """A reader of ``choices``' values: a value the enum does not list is kept as ``Unparsed``."""
    members: dict[Any, E] = {member.value: member for member in choices}

    def read(value: Any) -> E | Unparsed:
        member = members.get(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
        return Unparsed(value) if member is None else member

    return read


def read_integer(value: Any) -> int | Unparsed:
    return value if isinstance(value, int) and not isinstance(value, bool) else Unparsed(value)


def read_number(value: Any) -> float | Unparsed:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return Unparsed(value)


def read_boolean(value: Any) -> bool | Unparsed:
    return value if isinstance(value, bool) else Unparsed(value)


def read_object(value: Any) -> Mapping[str, Any] | Unparsed:
    """A JSON object, read-only."""
    return MappingProxyType(dict(value)) if isinstance(value, dict) else Unparsed(value)


def read_array(value: Any) -> tuple[Any, ...] | Unparsed:
    return tuple(value) if isinstance(value, list) else Unparsed(value)


def read_json(value: Any) -> Any:
    """A value whose schema the SDK does not type (``anyOf`` of several kinds): the JSON value as it came."""
    return value


def as_datetime(value: datetime | Unparsed, name: str) -> datetime:
    """``value`` of field ``name`` as a datetime; ``InvalidDateError`` if the API sent one the SDK cannot read."""
    if isinstance(value, datetime):
        return value
    raise InvalidDateError(f"the API sent {name} {str(value)[:100]!r}, which is not a date the SDK can read")


class Field(NamedTuple):
    """One field of a response document: its wire name, the result's attribute, and how to read it."""

    wire: str
    attribute: str
    read: Callable[[Any], Any]
    required: bool = True
    nullable: bool = False


def read_document(fields: tuple[Field, ...], document: Mapping[str, Any], what: str) -> dict[str, Any]:
    """The constructor arguments of a result: each field read (None when optional and absent, or null where
    the spec allows it), the rest in ``extra``. Raises ``MissingFieldsError`` naming the required fields missing."""
    missing = [field.wire for field in fields if field.required and field.wire not in document]
    if missing:
        raise MissingFieldsError(f"{what} lacks {', '.join(missing)}")
    arguments: dict[str, Any] = {}
    for field in fields:
        value = document.get(field.wire)
        absent = field.wire not in document or (value is None and field.nullable)
        arguments[field.attribute] = None if absent else field.read(value)
    known = {field.wire for field in fields}
    extra = {key: value for key, value in document.items() if key not in known}
    arguments["extra"] = MappingProxyType(extra) if extra else NO_EXTRA
    return arguments
