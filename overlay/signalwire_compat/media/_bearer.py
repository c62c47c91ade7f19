"""The WebSocket upgrade's ``Authorization: Bearer`` check, in constant time."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .._exceptions import ConfigurationError

if TYPE_CHECKING:
    from email.message import Message

__all__ = ["check_bearer"]


def _pairs(headers: object) -> Iterable[tuple[object, object]]:
    """Every (name, value) of the headers, repeated names included, whatever shape they come in."""
    raw_items = getattr(headers, "raw_items", None)  # websockets' Headers: items() would drop repeats
    if callable(raw_items):
        return list(raw_items())
    items = getattr(headers, "items", None)  # Mapping, multidicts, and http.server's HTTPMessage
    if callable(items):
        return list(items())
    if isinstance(headers, Iterable) and not isinstance(headers, str | bytes):
        return [(pair[0], pair[1]) for pair in headers if isinstance(pair, tuple | list) and len(pair) == 2]
    return []


def check_bearer(headers: Mapping[str, str] | Iterable[tuple[str, str]] | Message, token: str) -> bool:
    """True if the upgrade request's ``Authorization`` header is ``Bearer <token>``.

    ``headers`` is a mapping (any case of the name), (name, value) pairs, or an ``email.message.Message``
    such as ``http.server``'s ``self.headers``: e.g. ``request.headers`` of most frameworks or their
    ``.items()``/``raw_headers``. A missing, repeated-but-wrong or malformed header is False, never an
    exception; an empty ``token`` is a programming error.
    """
    if not isinstance(token, str) or not token:
        raise ConfigurationError("token is missing: pass the authBearerToken the stream was started with")
    items = _pairs(headers)
    expected = b"bearer " + token.encode("utf-8", "surrogatepass")
    found = False
    for name, value in items:
        header = name.decode("latin-1") if isinstance(name, bytes) else name
        if not isinstance(header, str) or header.lower() != "authorization":
            continue
        raw = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")
        scheme, _, credentials = raw.strip().partition(b" ")
        # Compare every Authorization header and the whole value: no early exit on the secret's bytes.
        found |= hmac.compare_digest(scheme.lower() + b" " + credentials.strip(), expected)
    return found
