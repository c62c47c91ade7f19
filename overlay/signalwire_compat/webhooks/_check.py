"""The signature check itself: every scheme, form order and URL variant a valid signature may cover."""

from __future__ import annotations

from typing import Literal, NamedTuple

from ._explain import NO_SIGNATURE, explain
from ._forms import Body, read_body
from ._schemes import (
    body_hash_matches,
    body_hashes,
    key_bytes,
    matches,
    scheme_a,
    scheme_b,
    signed_orders,
    url_variants,
    utf8,
)
from ._types import Verification


class Checked(NamedTuple):
    """A check's outcome: valid or not, why not (with ``explain_why``), and what a valid signature covers."""

    valid: bool
    reasons: list[str]
    verification: Verification | None


def check(
    signing_key: str, signature: str | None, url: str, body: object, content_type: str | None, *, explain_why: bool
) -> Checked:
    """Whether the request is validly signed, and (with ``explain_why``) which checks failed, in words."""
    key = key_bytes(signing_key)
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, not {type(url).__name__}")
    if signature is not None and not isinstance(signature, str):
        raise TypeError(f"signature must be a str or None, not {type(signature).__name__}")
    read = read_body(body, content_type)

    given = (signature or "").strip()
    if not given:
        return Checked(False, [NO_SIGNATURE], None)
    sig = utf8(given)

    hashes = body_hashes(url)
    body_ok = not hashes or (read.raw is not None and body_hash_matches(read.raw, hashes))
    # Scheme B: with bodySHA256 the URL alone is signed (the hash covers the body); otherwise the
    # form parameters ([] for a body that is not a form: the URL alone). A body whose parameters
    # cannot be read has no scheme B signature at all, so a URL-only one cannot cover it.
    orders: list[list[tuple[str, str]]]
    if hashes:
        orders = [[]]
    elif read.pairs is None:
        orders = []
    else:
        orders = signed_orders(read.pairs)

    variants = url_variants(url)
    scheme: Literal["A", "B"] | None = None
    for _label, candidate in variants:
        if read.raw is not None and matches(sig, scheme_a(key, candidate, read.raw)):
            scheme = "A"
        elif any(matches(sig, scheme_b(key, candidate, pairs)) for pairs in orders):
            scheme = "B"
        if scheme is not None:
            break
    if scheme is not None and body_ok:
        return Checked(True, [], _verification(scheme, read, hashes))
    if not explain_why:
        return Checked(False, [], None)
    reasons = explain(
        signing_key, given, url, read, hashes, matched=scheme is not None, body_ok=body_ok, variants=variants
    )
    return Checked(False, reasons, None)


def _verification(scheme: Literal["A", "B"], read: Body, hashes: list[str]) -> Verification:
    if scheme == "A":
        return Verification(body_covered=True, scheme="A", covers="the URL and the raw body")
    if hashes:
        return Verification(body_covered=True, scheme="B", covers="the URL, whose bodySHA256 covers the raw body")
    if read.form and read.pairs:
        return Verification(body_covered=True, scheme="B", covers="the URL and the form parameters")
    if not read.raw:
        return Verification(body_covered=True, scheme="B", covers="the URL alone (the body is empty)")
    if read.form:  # a form body that holds no parameters ("&"): nothing an application reads is unsigned
        return Verification(body_covered=True, scheme="B", covers="the URL alone (the form holds no parameters)")
    return Verification(body_covered=False, scheme="B", covers=f"the URL alone, not the body (read as {read.read_as})")
