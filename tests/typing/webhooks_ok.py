"""Type-checked by tests/sdk/test_webhooks.py with mypy --strict: webhook checks as users write them."""

from __future__ import annotations

from typing import assert_type

import signalwire_compat as sw


def check(signing_key: str, headers: dict[str, str], url: str, raw: bytes, request: object) -> None:
    signature = sw.webhooks.signature_from_headers(headers)
    assert_type(signature, str | None)
    assert_type(sw.webhooks.signature_from_headers({"X-SignalWire-Signature": "s"}), str | None)
    form = "application/x-www-form-urlencoded"
    assert_type(sw.webhooks.validate(signing_key, signature=signature, url=url, body=raw, content_type=form), bool)
    assert_type(sw.webhooks.validate(signing_key, signature=signature, url=url, body=raw.decode()), bool)
    parsed = {"To": "+1", "Digits": ["1", "2"]}
    assert_type(sw.webhooks.validate(signing_key, signature=signature, url=url, body=parsed), bool)
    verified = sw.webhooks.verify(
        signing_key, signature=signature, url=url, body=raw, content_type=headers.get("Content-Type")
    )
    assert_type(verified, sw.webhooks.Verification)
    assert_type(verified.body_covered, bool)
    assert_type(sw.webhooks.validate_request(signing_key, request=request, url=url), bool)
    assert_type(sw.webhooks.verify_request(signing_key, request=request, body=raw).body_covered, bool)
    assert_type(sw.webhooks.sign_form(signing_key, url=url, params=[("To", "+1")]), str)
    assert_type(sw.webhooks.sign_form(signing_key, url=url, params={"To": "+1"}), str)
    assert_type(sw.webhooks.sign_json(signing_key, url=url, body=raw), str)
    try:
        sw.webhooks.verify(signing_key, signature=None, url=url, body=b"")
    except sw.InvalidSignatureError as error:
        assert_type(error.reasons, tuple[str, ...])
