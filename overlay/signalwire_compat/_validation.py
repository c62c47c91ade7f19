"""Checks on caller input that must fail before any request is sent.

The generated code only percent-quotes path values, and quoting leaves ``.`` and ``..`` alone, so
``sid=".."`` would silently POST to a different resource. Sids are therefore required to be UUIDs
(the spec's ``format: uuid``), in canonical 8-4-4-4-12 form, and are sent lower-cased.
"""

from __future__ import annotations

import enum
import re
from typing import TypeVar
from uuid import UUID

__all__ = ["validate_choice", "validate_sid"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SHOWN = 60
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


def validate_choice(value: object, name: str, choices: type[E]) -> E:
    """``value`` as a member of the generated enum ``choices``, or ``ValueError`` listing what it accepts."""
    if isinstance(value, str):
        try:
            return choices(value)
        except ValueError:
            pass
    listed = ", ".join(repr(member.value) for member in choices)
    raise ValueError(f"{name} must be one of {listed} (the values this operation accepts), got {_shown(value)}")
