"""The attribute rules of the cXML elements this package knows, shared by the builder and the reader.

Each rule takes the Python value (or, from ``parse``, the document's text) and returns the text
written into the document, or raises ``CXMLError`` naming the element and attribute.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, TypeAlias

from .._exceptions import CXMLError
from .._validation import STREAM_NAME_RULE, is_loopback, stream_name_problem

__all__ = [
    "CODECS",
    "MAX_DIGITS",
    "METHODS",
    "TRACKS",
    "Codec",
    "Method",
    "Rule",
    "Track",
    "boolean",
    "callback_url",
    "choice",
    "fail",
    "integer",
    "stream_name",
    "text",
    "token",
    "websocket_url",
]

Track = Literal["inbound_track", "outbound_track", "both_tracks"]
Codec = Literal["PCMU@8000h", "L16@16000h", "L16@24000h"]  # cXML's; REST's stream_codec values differ
Method = Literal["GET", "POST"]
TRACKS: tuple[Track, ...] = ("inbound_track", "outbound_track", "both_tracks")
CODECS: tuple[Codec, ...] = ("PCMU@8000h", "L16@16000h", "L16@24000h")
METHODS: tuple[Method, ...] = ("GET", "POST")

Rule: TypeAlias = Callable[[str, str, object], str]
"""(element, attribute, value) -> the attribute's text in the document."""

# Characters XML 1.0 cannot hold at all (the C0 controls but tab, newline and carriage return;
# lone surrogates; U+FFFE, U+FFFF): ElementTree would write them and produce a broken document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SHOWN = 60


def fail(element: str, attribute: str | None, problem: str) -> CXMLError:
    where = f"<{element}>" + (f" {attribute}" if attribute else "")
    return CXMLError(f"{where} {problem}", element=element, attribute=attribute)


def _shown(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= _SHOWN else f"{shown[:_SHOWN]}... ({len(shown)} characters)"


def text(element: str, attribute: str, value: object) -> str:
    """Any string XML can hold (escaping is the serialiser's job)."""
    if not isinstance(value, str):
        raise fail(element, attribute, f"must be a str, not {type(value).__name__}")
    if (found := _NOT_XML.search(value)) is not None:
        raise fail(element, attribute, f"holds U+{ord(found.group()):04X}, which XML cannot carry")
    return value


def token(element: str, attribute: str, value: object) -> str:
    """A secret: checked like text, but never repeated in a message."""
    if not isinstance(value, str):
        raise fail(element, attribute, f"must be a str, not {type(value).__name__}")
    if not value or _CONTROL.search(value) or _NOT_XML.search(value):
        raise fail(element, attribute, "must be a non-empty str without control characters (value not shown)")
    return value


def stream_name(element: str, attribute: str, value: object) -> str:
    if not isinstance(value, str):
        raise fail(element, attribute, f"must be a str, not {type(value).__name__}")
    if (problem := stream_name_problem(value)) is not None:
        raise fail(element, attribute, f"must be {STREAM_NAME_RULE}; {_shown(value)} {problem}")
    return value


def choice(values: tuple[str, ...]) -> Rule:
    def rule(element: str, attribute: str, value: object) -> str:
        if not isinstance(value, str) or value not in values:
            listed = ", ".join(values)
            raise fail(element, attribute, f"must be one of {listed}, got {_shown(value)}")
        return value

    return rule


def boolean(element: str, attribute: str, value: object) -> str:
    """True/False, written ``true``/``false``; a document's ``true``/``false`` in any case is read."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower()
    raise fail(element, attribute, f"must be true or false, got {_shown(value)}")


MAX_DIGITS = 18  # an integer attribute's digits, built or read: every 64-bit reader takes it


def integer(minimum: int) -> Rule:
    """An ``int`` (not a bool), or a document's digits; written as digits, at most ``MAX_DIGITS`` of them."""

    def rule(element: str, attribute: str, value: object) -> str:
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS:
            number = int(value)
        if number is None or not minimum <= number < 10**MAX_DIGITS:
            raise fail(
                element, attribute, f"must be an integer >= {minimum}, at most {MAX_DIGITS} digits, got {_shown(value)}"
            )
        return str(number)

    return rule


def _split_url(element: str, attribute: str, value: object) -> tuple[str, str, str, str]:
    from urllib.parse import urlsplit

    checked = text(element, attribute, value)
    if not checked or any(c.isspace() for c in checked) or _CONTROL.search(checked):
        raise fail(element, attribute, f"must be a URL without spaces or control characters, got {_shown(value)}")
    try:
        parts = urlsplit(checked)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise fail(element, attribute, f"is not a valid URL: {_shown(value)}") from None
    return parts.scheme.lower(), parts.hostname or "", parts.query, parts.fragment


def websocket_url(element: str, attribute: str, value: object) -> str:
    """Absolute ``wss://`` (``ws://`` only to a loopback host, for local tests), no query or fragment."""
    scheme, host, query, fragment = _split_url(element, attribute, value)
    if not host or scheme not in ("wss", "ws"):
        raise fail(element, attribute, f"must be an absolute wss:// URL, got {_shown(value)}")
    if scheme == "ws" and not is_loopback(host):
        raise fail(element, attribute, f"must use wss:// (ws:// only to a loopback host), got {_shown(value)}")
    if query or fragment or "?" in str(value) or "#" in str(value):
        raise fail(
            element,
            attribute,
            f"must have no query string or fragment (SignalWire does not support them; use <Parameter>), "
            f"got {_shown(value)}",
        )
    return str(value)


def callback_url(element: str, attribute: str, value: object) -> str:
    """An absolute ``http(s)://`` URL, or a relative one (resolved against the document's URL)."""
    scheme, host, _, _ = _split_url(element, attribute, value)
    if scheme and (scheme not in ("http", "https") or not host):
        raise fail(element, attribute, f"must be an absolute http(s):// URL or a relative one, got {_shown(value)}")
    return str(value)
