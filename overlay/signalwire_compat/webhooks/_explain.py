"""Why a webhook signature was refused, in words: ``verify``'s reasons (never the key or a computed signature)."""

from __future__ import annotations

from collections.abc import Sequence

from ._forms import Body
from ._types import SIGNATURE_HEADER, TWILIO_SIGNATURE_HEADER

_HEX_LENGTH = 40  # SHA-1 digest in hex
_BASE64_LENGTH = 28  # SHA-1 digest in base64

NO_SIGNATURE = f"no signature: the {SIGNATURE_HEADER} / {TWILIO_SIGNATURE_HEADER} header is missing or empty"


def explain(
    signing_key: str,
    given: str,
    url: str,
    body: Body,
    hashes: Sequence[str],
    *,
    matched: bool,
    body_ok: bool,
    variants: Sequence[tuple[str, str]],
) -> list[str]:
    reasons = []
    if hashes and body.raw is None:
        reasons.append(
            "the url has a bodySHA256 parameter but the body was given parsed: "
            "pass the raw body (bytes) so its SHA-256 can be checked"
        )
    elif not body_ok:
        reasons.append("the SHA-256 of the body does not match the url's bodySHA256 parameter")
    if matched:
        return reasons
    if body.raw is None:
        reasons.append("scheme A (hex, url + raw body) not checked: the body was given parsed")
    else:
        reasons.append("scheme A (hex HMAC-SHA1 of url + raw body) does not match")
    reasons.append(_scheme_b(body, hashes))
    reasons.append(f"the body was read as {body.read_as}")
    reasons.append("URL variants tried: " + ", ".join(label for label, _ in variants))
    reasons.append(_shape(given))
    if "://" not in url:
        reasons.append("url is not absolute: pass the full URL SignalWire requested (scheme://host/path?query)")
    if signing_key != signing_key.strip():
        reasons.append("signing_key has leading or trailing whitespace")
    reasons.append(
        "check that url is exactly what SignalWire requested (behind a proxy, rebuild it from the "
        "forwarded headers) and that signing_key is the project's Signing Key, not the API token"
    )
    return reasons


def _scheme_b(body: Body, hashes: Sequence[str]) -> str:
    if hashes:
        signed = "url alone (its bodySHA256 covers the body)"
    elif body.pairs is None:
        return (
            "scheme B (base64, url + form parameters) not checked: a raw multipart body is not read here; "
            "pass the parsed form parameters as body"
        )
    elif body.pairs:
        signed = "url + form parameters sorted by name"
    else:
        signed = "url alone"
    return f"scheme B (base64 HMAC-SHA1 of {signed}) does not match"


def _shape(signature: str) -> str:
    if len(signature) == _HEX_LENGTH and all(c in "0123456789abcdef" for c in signature):
        return "the signature has scheme A's shape (40 lower-case hex digits: a JSON callback)"
    if len(signature) == _BASE64_LENGTH and signature.endswith("="):
        return "the signature has scheme B's shape (28 base64 characters: a form callback)"
    return "the signature has neither scheme's shape (40 hex digits or 28 base64 characters)"
