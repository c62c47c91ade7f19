"""The webhook module's names shared by its parts: the signature headers and the argument types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, Protocol, TypeAlias

import attrs

SIGNATURE_HEADER = "X-SignalWire-Signature"
"""The header SignalWire puts the signature in."""
TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"
"""The alias compatibility callbacks also carry (and Twilio-era code reads)."""
SIGNATURE_HEADERS = (SIGNATURE_HEADER, TWILIO_SIGNATURE_HEADER)
"""Both header names, in order of preference."""

FormParams: TypeAlias = Mapping[str, str | Sequence[str]]
"""Parsed form parameters: a value, or every value of a repeated name in the order sent.

Framework multi-dicts (Werkzeug/Flask ``request.form``, Django ``QueryDict``, Starlette
``FormData``, ``multidict``) are read with their ``getlist``/``getall``, so repeated names keep
every value.
"""
WebhookBody: TypeAlias = bytes | str | FormParams
"""The request body: raw bytes (best: both schemes and ``bodySHA256`` can be checked), the raw text,
or form parameters a framework already parsed (scheme B only)."""


class HeadersLike(Protocol):
    """Anything with ``items()`` yielding ``(name, value)``: a dict, Werkzeug/Django/Starlette headers."""

    def items(self) -> Iterable[tuple[str, str]]: ...


@attrs.frozen
class Verification:
    """What a valid signature covers (``verify`` and ``verify_request`` return it).

    ``body_covered`` is False when the signature covers the URL alone while the body holds data: a
    body that is not a form (JSON, ``text/plain``...) is signed over the URL alone by scheme B, as
    SignalWire signs an empty-body callback to that URL, so anyone who saw such a callback can send
    that URL any body with the same signature. Read nothing from the body unless it is True.
    """

    body_covered: bool
    """The signature (or the URL's ``bodySHA256``) covers the body as it was read, or the body is empty."""
    scheme: Literal["A", "B"]
    """A: hex HMAC of url + raw body (JSON callbacks); B: base64 HMAC of url + form parameters."""
    covers: str
    """What the signature covers, in words (for logs and the CLI)."""
