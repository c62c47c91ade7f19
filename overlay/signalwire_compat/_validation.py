"""Checks on caller input that must fail before any request is sent.

The generated code only percent-quotes path values, and quoting leaves ``.`` and ``..`` alone, so
``sid=".."`` would silently POST to a different resource. Sids are therefore required to be UUIDs
(the spec's ``format: uuid``), in canonical 8-4-4-4-12 form, and are sent lower-cased. A stream
may also be named: a name is letters, digits, ``_``, ``-`` and ``.`` (at most 64, not ``.`` or
``..``), so it needs no escaping and cannot reach another resource.
"""

from __future__ import annotations

import enum
import re
from functools import cache
from typing import TypeVar
from uuid import UUID

__all__ = [
    "MAX_STREAM_PARAMETERS",
    "validate_callback_url",
    "validate_choice",
    "validate_parameters",
    "validate_sid",
    "validate_stream",
    "validate_stream_name",
    "validate_url",
    "validate_websocket_url",
]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SHOWN = 60
_STREAM_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
MAX_STREAM_PARAMETERS = 99
E = TypeVar("E", bound=enum.Enum)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}... ({len(text)} characters)"


def validate_sid(value: object, name: str) -> str:
    """A UUID (``uuid.UUID`` or its canonical string) -> its canonical lower-case string."""
    if isinstance(value, UUID):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a UUID string or uuid.UUID, not {type(value).__name__}")
    if _UUID.fullmatch(value) is None:
        raise ValueError(f"{name} must be a UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6, got {_shown(value)}")
    return value.lower()


@cache
def _members(choices: type[E]) -> dict[str, E]:
    return {str(member.value): member for member in choices}


def validate_choice(value: object, name: str, choices: type[E]) -> E:
    """``value`` as a member of the generated enum ``choices``, or ``ValueError`` listing what it accepts."""
    members: dict[str, E] = _members(choices)
    if isinstance(value, str) and (member := members.get(value)) is not None:
        return member
    listed = ", ".join(repr(member.value) for member in choices)
    raise ValueError(f"{name} must be one of {listed} (the values this operation accepts), got {_shown(value)}")


def validate_stream_name(value: object, name: str = "name") -> str:
    """A stream name: letters, digits, ``_``, ``-``, ``.``; 1 to 64 characters; not ``.`` or ``..``."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, not {type(value).__name__}")
    if _STREAM_NAME.fullmatch(value) is None or value in (".", ".."):
        raise ValueError(
            f"{name} must be 1 to 64 letters, digits, '_', '-' or '.' (and not '.' or '..'), got {_shown(value)}"
        )
    return value


def validate_stream(value: object, name: str = "stream") -> str:
    """A stream's sid (a UUID, sent lower-cased) or its name (see ``validate_stream_name``)."""
    if isinstance(value, UUID) or (isinstance(value, str) and _UUID.fullmatch(value)):
        return validate_sid(value, name)
    if not isinstance(value, str) or _STREAM_NAME.fullmatch(value) is None or value in (".", ".."):
        raise ValueError(
            f"{name} must be a stream sid (a UUID) or a stream name (1 to 64 letters, digits, '_', '-' or '.'), "
            f"got {_shown(value)}"
        )
    return value


def _absolute_url(value: object, name: str, schemes: tuple[str, ...]) -> str:
    from urllib.parse import urlsplit

    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, not {type(value).__name__}")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        parts = None
    valid = parts is not None and parts.scheme.lower() in schemes and parts.hostname
    if not valid or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        wanted = " or ".join(f"{scheme}://" for scheme in schemes)
        raise ValueError(f"{name} must be an absolute {wanted} URL, got {_shown(value)}")
    return value


def validate_websocket_url(value: object, name: str = "url") -> str:
    """The stream's destination: an absolute ``wss://`` URL (the API refuses ``ws://``)."""
    return _absolute_url(value, name, ("wss",))


def validate_callback_url(value: object, name: str = "status_callback") -> str:
    return _absolute_url(value, name, ("https", "http"))


def validate_parameters(value: object, name: str = "parameters") -> list[tuple[str, str]]:
    """Custom stream parameters, in order: a mapping of non-empty names to str values, at most 99."""
    from collections.abc import Mapping

    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping of names to values, not {type(value).__name__}")
    if len(value) > MAX_STREAM_PARAMETERS:
        raise ValueError(f"{name} holds {len(value)} entries; the API takes at most {MAX_STREAM_PARAMETERS}")
    pairs = []
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip():
            raise ValueError(f"{name}: every name must be a non-empty str, got {_shown(key)}")
        if not isinstance(item, str):
            raise ValueError(f"{name}[{key!r}] must be a str, not {type(item).__name__}")
        pairs.append((key, item))
    return pairs


def validate_url(value: object, name: str, schemes: tuple[str, ...]) -> str:
    """An absolute URL with one of ``schemes`` (for ``client.invoke``'s URL-typed fields)."""
    return _absolute_url(value, name, schemes)
