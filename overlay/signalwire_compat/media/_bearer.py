"""The WebSocket upgrade's ``Authorization: Bearer`` check, in constant time."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping

from .._exceptions import ConfigurationError

__all__ = ["check_bearer"]


def check_bearer(headers: Mapping[str, str] | Iterable[tuple[str, str]], token: str) -> bool:
    """True if the upgrade request's ``Authorization`` header is ``Bearer <token>``.

    ``headers`` is a mapping (any case of the name) or (name, value) pairs, e.g. ``request.headers``
    of most frameworks or their ``.items()``/``raw_headers``. A missing, repeated-but-wrong or
    malformed header is False, never an exception; an empty ``token`` is a programming error.
    """
    if not isinstance(token, str) or not token:
        raise ConfigurationError("token is missing: pass the authBearerToken the stream was started with")
    items = headers.items() if isinstance(headers, Mapping) else headers
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
