"""Checks on caller input that must fail before any request is sent.

The generated code only percent-quotes path values, and quoting leaves ``.`` and ``..`` alone, so
``sid=".."`` would silently POST to a different resource. Sids are therefore required to be UUIDs
(the spec's ``format: uuid``), in canonical 8-4-4-4-12 form, and are sent lower-cased. A stream
may also be named, by the one rule cXML documents follow too (``stream_name_problem``); the
generated code percent-quotes the name (``safe=""``), and refusing ``/``, ``.`` and ``..`` keeps
it from reaching another resource; refusing a ``.json`` ending keeps it from naming another stream.
"""

from __future__ import annotations

import enum
import re
from functools import cache
from typing import TypeVar
from uuid import UUID

__all__ = [
    "MAX_STREAM_PARAMETERS",
    "STREAM_NAME_RULE",
    "is_loopback",
    "is_loopback_url",
    "stream_name_problem",
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
# Control characters (C0, DEL, C1), lone surrogates and U+FFFE/U+FFFF: none can be written in
# an XML document, and a surrogate cannot be UTF-8 encoded for a URL either.
_NAME_FORBIDDEN = re.compile("[/\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The API's paths take an optional ".json" format suffix, which it (and FakeSpace, and a
# Twilio-compatible API) strips: "agent.json" in a path names the stream "agent". Matched as a
# Unicode-aware server would ignore case (which also folds U+017F to "s").
_FORMAT_SUFFIX = re.compile(r"\.json\Z", re.IGNORECASE)
STREAM_NAME_RULE = "1 to 64 characters, no '/' and no control characters, not '.' or '..', not ending in '.json'"
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


def stream_name_problem(value: str) -> str | None:
    """What is wrong with a stream name, or None. The one rule REST and cXML share (``STREAM_NAME_RULE``)."""
    if not 1 <= len(value) <= 64:
        return f"is {len(value)} characters long"
    if value in (".", ".."):
        return "is '.' or '..'"
    if (suffix := _FORMAT_SUFFIX.search(value)) is not None:
        named = value[: suffix.start()]
        return (
            f"ends in {suffix.group()!r}, the format suffix the API strips from a path "
            f"(it would name the stream {named!r}, not this one)"
        )
    if (found := _NAME_FORBIDDEN.search(value)) is not None:
        return "holds '/'" if found.group() == "/" else f"holds the character U+{ord(found.group()):04X}"
    return None


def validate_stream_name(value: object, name: str = "name") -> str:
    """A stream name: 1 to 64 characters, no ``/`` or control character, not ``.``, ``..`` or ``….json``."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a str, not {type(value).__name__}")
    if (problem := stream_name_problem(value)) is not None:
        raise ValueError(f"{name} must be {STREAM_NAME_RULE}; {_shown(value)} {problem}")
    return value


def validate_stream(value: object, name: str = "stream") -> str:
    """A stream's sid (a UUID, sent lower-cased) or its name (see ``validate_stream_name``)."""
    if isinstance(value, UUID) or (isinstance(value, str) and _UUID.fullmatch(value)):
        return validate_sid(value, name)
    if isinstance(value, str):
        problem = stream_name_problem(value)
        if problem is None:
            return value
    else:
        problem = f"is a {type(value).__name__}"
    raise ValueError(
        f"{name} must be a stream sid (a UUID) or a stream name ({STREAM_NAME_RULE}); {_shown(value)} {problem}"
    )


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
        raise ValueError(f"{name} must be an absolute {wanted} URL, got {_shown(_without_password(value))}")
    return value


# The password of a URL's userinfo (``//user:password@``), found even in a URL too broken to parse.
_USERINFO_PASSWORD = re.compile(r"(//[^/?#@:]*:)[^/?#@]*@")


def _without_password(url: str) -> str:
    """``url`` as an error may show it (errors get logged): the password of its userinfo redacted."""
    from ._redaction import REDACTED

    return _USERINFO_PASSWORD.sub(rf"\g<1>{REDACTED}@", url)


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback IP address (127.0.0.0/8, ::1)."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """Whether ``url``'s host is ``localhost`` or a loopback address (127.0.0.0/8, ::1)."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return is_loopback(host)


def validate_websocket_url(value: object, name: str = "url", *, local_space: bool = False) -> str:
    """The stream's destination: an absolute ``wss://`` URL (the API refuses ``ws://``).

    ``local_space``: the client's space is itself a loopback URL (a local fake such as FakeSpace),
    so ``ws://`` to a loopback host is accepted too: a local app needs no certificate.
    """
    if local_space and isinstance(value, str) and value[:5].lower() == "ws://" and is_loopback_url(value):
        return _absolute_url(value, name, ("ws",))
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
