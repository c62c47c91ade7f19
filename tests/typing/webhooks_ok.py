"""Type-checked by tests/test_webhooks.py with mypy --strict: webhook checks as users write them."""

from __future__ import annotations

from typing import assert_type

import signalwire_compat as sw


def check(signing_key: str, headers: dict[str, str], url: str, raw: bytes, request: object) -> None:
    signature = sw.webhooks.signature_from_headers(headers)
    assert_type(signature, str | None)
    assert_type(sw.webhooks.signature_from_headers({"X-SignalWire-Signature": "s"}), str | None)
    assert_type(sw.webhooks.validate(signing_key, signature, url, raw), bool)
    assert_type(sw.webhooks.validate(signing_key, signature, url, raw.decode()), bool)
    assert_type(sw.webhooks.validate(signing_key, signature, url, {"To": "+1", "Digits": ["1", "2"]}), bool)
    sw.webhooks.verify(signing_key, signature, url, raw)
    assert_type(sw.webhooks.validate_request(signing_key, request, url=url), bool)
    sw.webhooks.verify_request(signing_key, request, body=raw)
    assert_type(sw.webhooks.sign_form(signing_key, url, [("To", "+1")]), str)
    assert_type(sw.webhooks.sign_form(signing_key, url, {"To": "+1"}), str)
    assert_type(sw.webhooks.sign_json(signing_key, url, raw), str)
    try:
        sw.webhooks.verify(signing_key, None, url, b"")
    except sw.InvalidSignatureError as error:
        assert_type(error.reasons, tuple[str, ...])
