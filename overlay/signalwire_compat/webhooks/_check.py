"""The signature check itself: every scheme, form order and URL variant a valid signature may cover."""

from __future__ import annotations

from ._explain import NO_SIGNATURE, explain
from ._forms import read_body
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


def check(
    signing_key: str, signature: str | None, url: str, body: object, content_type: str | None, *, explain_why: bool
) -> tuple[bool, list[str]]:
    """Whether the request is validly signed, and (with ``explain_why``) which checks failed, in words."""
    key = key_bytes(signing_key)
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, not {type(url).__name__}")
    if signature is not None and not isinstance(signature, str):
        raise TypeError(f"signature must be a str or None, not {type(signature).__name__}")
    read = read_body(body, content_type)

    given = (signature or "").strip()
    if not given:
        return False, [NO_SIGNATURE]
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
    matched = any(
        (read.raw is not None and matches(sig, scheme_a(key, candidate, read.raw)))
        or any(matches(sig, scheme_b(key, candidate, pairs)) for pairs in orders)
        for _label, candidate in variants
    )
    if matched and body_ok:
        return True, []
    if not explain_why:
        return False, []
    return False, explain(signing_key, given, url, read, hashes, matched=matched, body_ok=body_ok, variants=variants)
