"""Webhook signatures: both schemes, port variants, bodySHA256, repeated keys, unicode, the request helpers.

Every expected signature is computed here, independently of the module (hmac + hashlib + base64
over the string the scheme documents, built by hand), or is a value published elsewhere and
re-derived here before it is relied on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import signalwire_compat as sw
from signalwire_compat import webhooks

KEY = "PSKwebhookSECRETsigningKEY0123456789"
URL = "https://example.com/callbacks/stream?tenant=7"


# -- independent reference implementations (the documented strings, built by hand) ----------------


def hex_sig(key: str, data: bytes) -> str:
    """Scheme A: lower-case hex HMAC-SHA1 over url + raw body."""
    return hmac.new(key.encode(), data, hashlib.sha1).hexdigest()


def b64_sig(key: str, data: str) -> str:
    """Scheme B: base64 HMAC-SHA1 over url + name1value1name2value2... (already sorted by the caller)."""
    return base64.b64encode(hmac.new(key.encode(), data.encode("utf-8"), hashlib.sha1).digest()).decode()


def form_body(pairs: Iterable[tuple[str, str]]) -> bytes:
    """application/x-www-form-urlencoded, UTF-8, in the order given (`+` sent as %2B)."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs).encode("ascii")


# -- published vectors ---------------------------------------------------------------------------

# Twilio's documentation example ("Validating signatures from Twilio").
TWILIO_DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_DOC_PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
TWILIO_DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_twilio_documentation_vector_is_what_hmac_gives() -> None:
    data = (
        "https://mycompany.com/myapp.php?foo=1&bar=2"
        "CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030To+18005551212"
    )
    assert b64_sig("12345", data) == TWILIO_DOC_SIGNATURE


@pytest.mark.parametrize("shape", ["mapping", "bytes", "str"])
def test_twilio_documentation_vector_validates(shape: str) -> None:
    body: webhooks.WebhookBody
    if shape == "mapping":
        body = TWILIO_DOC_PARAMS
    else:
        raw = form_body(TWILIO_DOC_PARAMS.items())
        body = raw if shape == "bytes" else raw.decode()
    assert webhooks.validate("12345", TWILIO_DOC_SIGNATURE, TWILIO_DOC_URL, body)
    webhooks.verify("12345", TWILIO_DOC_SIGNATURE, TWILIO_DOC_URL, body)


def test_twilio_python_vectors_ports_and_body_sha256() -> None:
    # Published in twilio-python's tests/unit/test_request_validator.py; re-derived here first.
    params = {**TWILIO_DOC_PARAMS, "Caller": "+14158675309", "From": "+14158675309"}
    concat = "".join(k + params[k] for k in sorted(params))
    assert b64_sig("12345", TWILIO_DOC_URL + concat) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    with_443 = TWILIO_DOC_URL.replace(".com", ".com:443")
    assert b64_sig("12345", with_443 + concat) == "kvajT1Ptam85bY51eRf/AJRuM3w="
    http_80 = TWILIO_DOC_URL.replace("https", "http").replace(".com", ".com:80")
    assert b64_sig("12345", http_80 + concat) == "0ZXoZLH/DfblKGATFgpif+LLRf4="

    raw = form_body(params.items())
    assert webhooks.validate("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", TWILIO_DOC_URL, raw)
    assert webhooks.validate("12345", "kvajT1Ptam85bY51eRf/AJRuM3w=", TWILIO_DOC_URL, raw)  # :443 added
    assert webhooks.validate("12345", "0ZXoZLH/DfblKGATFgpif+LLRf4=", TWILIO_DOC_URL.replace("https", "http"), raw)

    body = '{"property": "value", "boolean": true}'
    body_hash = hashlib.sha256(body.encode()).hexdigest()
    assert body_hash == "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    url = TWILIO_DOC_URL + "&bodySHA256=" + body_hash
    assert b64_sig("12345", url) == "a9nBmqA0ju/hNViExpshrM61xv4="  # the URL alone is signed
    assert webhooks.validate("12345", "a9nBmqA0ju/hNViExpshrM61xv4=", url, body)
    assert not webhooks.validate("12345", "a9nBmqA0ju/hNViExpshrM61xv4=", url, body.replace("true", "false"))


def test_signalwire_python_vectors() -> None:
    # Published in SignalWire's signalwire-python tests (its canonical vectors A and C, and a
    # compatibility delivery over https); re-derived here first.
    key_a = "PSKtest1234567890abcdef"
    url_a = "https://example.ngrok.io/webhook"
    body_a = '{"event":"call.state","params":{"call_id":"abc-123","state":"answered"}}'
    assert hex_sig(key_a, (url_a + body_a).encode()) == "c3c08c1fefaf9ee198a100d5906765a6f394bf0f"
    assert webhooks.validate(key_a, "c3c08c1fefaf9ee198a100d5906765a6f394bf0f", url_a, body_a.encode())

    body_c = b'{"event":"call.state"}'
    url_c = f"https://example.ngrok.io/webhook?bodySHA256={hashlib.sha256(body_c).hexdigest()}"
    assert b64_sig(key_a, url_c) == "dfO9ek8mxyFtn2nMz24plPmPfIY="
    assert webhooks.validate(key_a, "dfO9ek8mxyFtn2nMz24plPmPfIY=", url_c, body_c)

    delivery = {
        "CallSid": "a97d4e8a-6047-4e2b-be48-fb96b33b5642",
        "AccountSid": "6bfbbe86-a901-4197-8759-2a0de1fa319d",
        "ApiVersion": "2010-04-01",
        "Direction": "outbound-api",
        "From": "sip:+17063958228@sip.swire.io",
        "To": "sip:jpsantos@joaosantos-2a0de1fa319d.sip.swire.io",
        "Timestamp": "Thu, 09 Nov 2023 14:40:55 +0000",
        "CallStatus": "no-answer",
        "CallbackSource": "call-progress-events",
        "HangupDirection": "outbound",
        "HangupBy": "sip:+17063958228@sip.swire.io",
        "SipResultCode": "487",
    }
    key_b, url_b = "PSK_V3bF8oyeRNpJWGoRWHNYQMUU", "https://675d-189-71-169-171.ngrok-free.app/voice"
    assert b64_sig(key_b, url_b + "".join(k + delivery[k] for k in sorted(delivery))) == "muUMpldcBHlzuXGZ5gbw1ETZCYA="
    assert webhooks.validate(key_b, "muUMpldcBHlzuXGZ5gbw1ETZCYA=", url_b, form_body(delivery.items()))
    assert webhooks.validate(key_b, "muUMpldcBHlzuXGZ5gbw1ETZCYA=", url_b, delivery)


# -- scheme A ------------------------------------------------------------------------------------

JSON_BODY = json.dumps({"event_type": "calling.call.state", "params": {"call_state": "answered"}}).encode()


def test_scheme_a_valid_for_bytes_and_str() -> None:
    signature = hex_sig(KEY, URL.encode() + JSON_BODY)
    assert webhooks.validate(KEY, signature, URL, JSON_BODY)
    assert webhooks.validate(KEY, signature, URL, JSON_BODY.decode())
    webhooks.verify(KEY, signature, URL, JSON_BODY)


def test_scheme_a_signs_raw_bytes_even_when_not_utf8() -> None:
    raw = b'{"x": "\xff\xfe"}'
    assert webhooks.validate(KEY, hex_sig(KEY, URL.encode() + raw), URL, raw)


@pytest.mark.parametrize(
    ("url", "signed_url"),
    [
        ("https://example.com/hook", "https://example.com:443/hook"),
        ("https://example.com:443/hook", "https://example.com/hook"),
        ("http://example.com/hook?a=1", "http://example.com:80/hook?a=1"),
        ("http://example.com:80/hook?a=1", "http://example.com/hook?a=1"),
    ],
)
def test_default_port_added_or_removed_for_both_schemes(url: str, signed_url: str) -> None:
    assert webhooks.validate(KEY, hex_sig(KEY, signed_url.encode() + JSON_BODY), url, JSON_BODY)
    params = [("CallSid", "abc"), ("AccountSid", "def")]
    signature = b64_sig(KEY, signed_url + "AccountSiddefCallSidabc")
    assert webhooks.validate(KEY, signature, url, form_body(params))


def test_non_default_port_is_not_removed_and_the_wrong_default_is_not_added() -> None:
    signature = b64_sig(KEY, "https://example.com/hook")
    assert not webhooks.validate(KEY, signature, "https://example.com:8443/hook", b"")
    assert not webhooks.validate(KEY, b64_sig(KEY, "https://example.com:80/hook"), "https://example.com/hook", b"")
    assert not webhooks.validate(KEY, b64_sig(KEY, "http://example.com:443/hook"), "http://example.com/hook", b"")


def test_port_variants_keep_userinfo_ipv6_and_the_rest_of_the_url_byte_for_byte() -> None:
    cases = [
        ("https://u:p@example.com/a%2Fb?x=%41&y=#frag", "https://u:p@example.com:443/a%2Fb?x=%41&y=#frag"),
        ("https://[::1]/hook?", "https://[::1]:443/hook?"),
        ("HTTPS://Example.COM/Hook", "HTTPS://Example.COM:443/Hook"),
    ]
    for url, signed_url in cases:
        assert webhooks.validate(KEY, b64_sig(KEY, signed_url), url, b""), url
        assert webhooks.validate(KEY, b64_sig(KEY, url), signed_url, b""), signed_url


# -- scheme B ------------------------------------------------------------------------------------

FORM = [
    ("StreamSid", "3c4a6c7e-0000-4a4a-8b8b-333333333333"),
    ("AccountSid", "9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"),
    ("StreamEvent", "stream-started"),
    ("StreamName", ""),
    ("Timestamp", "Fri, 28 Nov 2026 10:00:00 +0000"),
]
FORM_DATA = (
    URL + "AccountSid9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5fStreamEventstream-startedStreamName"
    "StreamSid3c4a6c7e-0000-4a4a-8b8b-333333333333TimestampFri, 28 Nov 2026 10:00:00 +0000"
)


def test_scheme_b_valid_for_bytes_str_mapping_and_multidict() -> None:
    signature = b64_sig(KEY, FORM_DATA)
    raw = form_body(FORM)
    assert webhooks.validate(KEY, signature, URL, raw)
    assert webhooks.validate(KEY, signature, URL, raw.decode())
    assert webhooks.validate(KEY, signature, URL, dict(FORM))
    assert webhooks.validate(KEY, signature, URL, MultiDict(FORM))
    # spaces as `+` decode to the same values
    assert webhooks.validate(KEY, signature, URL, raw.replace(b"%20", b"+"))


def test_repeated_names_keep_submitted_order() -> None:
    body = b"To=b&From=x&To=a"
    signature = b64_sig(KEY, URL + "FromxTobToa")
    assert webhooks.validate(KEY, signature, URL, body)
    assert webhooks.validate(KEY, signature, URL, {"To": ["b", "a"], "From": "x"})
    assert webhooks.validate(KEY, signature, URL, MultiDict([("To", "b"), ("From", "x"), ("To", "a")]))
    # the other order (or Twilio's sorted, de-duplicated values) is a different request
    assert not webhooks.validate(KEY, signature, URL, b"To=a&From=x&To=b")
    assert not webhooks.validate(KEY, signature, URL, {"To": ["a", "b"], "From": "x"})
    assert not webhooks.validate(KEY, signature, URL, b"To=b&From=x&To=a&To=a")


def test_names_sort_by_code_point_case_sensitive() -> None:
    body = form_body([("b", "1"), ("B", "2"), ("a", "3"), ("_", "4")])
    assert webhooks.validate(KEY, b64_sig(KEY, URL + "B2_4a3b1"), URL, body)


def test_unicode_names_and_values_are_signed_decoded_in_utf8() -> None:
    pairs = [("Caller", "+14155550100"), ("StreamName", "Zoë's 🎧 stream"), ("Ünïcode", "日本")]
    signature = b64_sig(KEY, URL + "Caller+14155550100StreamNameZoë's 🎧 streamÜnïcode日本")
    raw = form_body(pairs)
    assert b"%C3%AB" in raw and b"%2B" in raw
    assert webhooks.validate(KEY, signature, URL, raw)
    assert webhooks.validate(KEY, signature, URL, dict(pairs))
    # a URL with non-ASCII text is signed as UTF-8 too
    url = "https://example.com/café"
    assert webhooks.validate(
        KEY, b64_sig(KEY, url + "Caller+14155550100StreamNameZoë's 🎧 streamÜnïcode日本"), url, raw
    )


def test_json_body_on_a_compatibility_url_is_signed_over_the_url_alone() -> None:
    assert webhooks.validate(KEY, b64_sig(KEY, URL), URL, JSON_BODY)
    assert webhooks.validate(KEY, b64_sig(KEY, URL), URL, b"")  # e.g. a GET callback
    assert webhooks.validate(KEY, b64_sig(KEY, URL), URL, {})


def test_a_url_only_signature_does_not_cover_a_form_body() -> None:
    # Otherwise anyone holding one URL-only signature could post any form parameters with it.
    assert not webhooks.validate(KEY, b64_sig(KEY, URL), URL, form_body(FORM))
    assert not webhooks.validate(KEY, b64_sig(KEY, URL), URL, dict(FORM))


# -- bodySHA256 ----------------------------------------------------------------------------------


def test_body_sha256_good_bad_and_parsed_body() -> None:
    digest = hashlib.sha256(JSON_BODY).hexdigest()
    url = f"{URL}&bodySHA256={digest}"
    signature = b64_sig(KEY, url)
    assert webhooks.validate(KEY, signature, url, JSON_BODY)
    assert webhooks.validate(KEY, signature, url, JSON_BODY.decode())
    assert webhooks.validate(KEY, signature, url.replace(digest, digest.upper()), JSON_BODY) is False  # URL changed
    assert webhooks.validate(
        KEY, b64_sig(KEY, url.replace(digest, digest.upper())), url.replace(digest, digest.upper()), JSON_BODY
    )
    assert webhooks.validate(KEY, b64_sig(KEY, url.replace(".com/", ".com:443/")), url, JSON_BODY)

    tampered = JSON_BODY.replace(b"answered", b"ended")
    assert not webhooks.validate(KEY, signature, url, tampered)
    with pytest.raises(sw.InvalidSignatureError, match="SHA-256 of the body does not match"):
        webhooks.verify(KEY, signature, url, tampered)
    # a parsed body cannot be hashed: never valid, and verify says why
    assert not webhooks.validate(KEY, signature, url, {})
    with pytest.raises(sw.InvalidSignatureError, match="raw body"):
        webhooks.verify(KEY, signature, url, {})
    # a second, wrong bodySHA256 fails too
    url2 = f"{url}&bodySHA256={'0' * 64}"
    assert not webhooks.validate(KEY, b64_sig(KEY, url2), url2, JSON_BODY)


def test_body_sha256_also_binds_a_scheme_a_signature() -> None:
    url = f"{URL}&bodySHA256={'0' * 64}"
    assert not webhooks.validate(KEY, hex_sig(KEY, url.encode() + JSON_BODY), url, JSON_BODY)


# -- tampering -----------------------------------------------------------------------------------


def test_tampered_body_url_key_and_signature() -> None:
    raw = form_body(FORM)
    good = b64_sig(KEY, FORM_DATA)
    assert webhooks.validate(KEY, good, URL, raw)
    assert not webhooks.validate(KEY, good, URL, raw.replace(b"started", b"stopped"))
    assert not webhooks.validate(KEY, good, URL, raw + b"&Extra=1")
    assert not webhooks.validate(KEY, good, URL.replace("tenant=7", "tenant=8"), raw)
    assert not webhooks.validate(KEY, good, URL.replace("https", "http"), raw)
    assert not webhooks.validate(KEY, good, URL.replace("/stream", "/Stream"), raw)
    assert not webhooks.validate(KEY + "x", good, URL, raw)
    assert not webhooks.validate(KEY.lower(), good, URL, raw)
    flipped = ("A" if good[0] != "A" else "B") + good[1:]
    for bad in (flipped, good[:-1], good + "=", good.lower(), base64.b64encode(b"x" * 20).decode()):
        assert not webhooks.validate(KEY, bad, URL, raw), bad

    hex_good = hex_sig(KEY, URL.encode() + JSON_BODY)
    assert not webhooks.validate(KEY, hex_good.upper(), URL, JSON_BODY)
    assert not webhooks.validate(KEY, hex_good, URL, JSON_BODY + b" ")
    assert not webhooks.validate("other-key", hex_good, URL, JSON_BODY)


@pytest.mark.parametrize("signature", [None, "", "   "])
def test_missing_or_empty_signature_is_not_valid(signature: str | None) -> None:
    assert webhooks.validate(KEY, signature, URL, JSON_BODY) is False
    with pytest.raises(sw.InvalidSignatureError, match="no signature"):
        webhooks.verify(KEY, signature, URL, JSON_BODY)


def test_surrounding_whitespace_in_the_signature_header_is_ignored() -> None:
    assert webhooks.validate(KEY, f"  {hex_sig(KEY, URL.encode() + JSON_BODY)}\t", URL, JSON_BODY)


@pytest.mark.parametrize("key", [None, "", "   "])
def test_missing_signing_key_is_a_configuration_error(key: Any) -> None:
    for call in (webhooks.validate, webhooks.verify):
        with pytest.raises(sw.ConfigurationError, match="Signing Key"):
            call(key, "sig", URL, JSON_BODY)
        with pytest.raises(ValueError, match="signing_key"):
            call(key, None, URL, JSON_BODY)
    with pytest.raises(sw.ConfigurationError):
        webhooks.sign_form(key, URL, {})


def test_wrong_argument_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="signing_key must be a str"):
        webhooks.validate(KEY.encode(), "sig", URL, b"")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="body must be"):
        webhooks.validate(KEY, "sig", URL, 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="raw bytes"):
        webhooks.validate(KEY, "sig", URL, {"params": {"nested": 1}})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="url must be a str"):
        webhooks.validate(KEY, "sig", None, b"")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/callbacks/stream",
        "https://[::1/x",
        "https://example.com:notaport/x",
        "https://example.com:99999/x",
        "ftp://x/y",
    ],
)
@pytest.mark.parametrize("signature", ["é", "\x00", "a" * 4096, "=====", "\ud800"])
def test_hostile_input_is_not_valid_and_never_raises(url: str, signature: str) -> None:
    assert webhooks.validate(KEY, signature, url, b"\xff\x00=&&=%zz%") is False
    with pytest.raises(sw.InvalidSignatureError):
        webhooks.verify(KEY, signature, url, "To=%FF%FE&\ud800=x")


def test_relative_url_is_explained() -> None:
    with pytest.raises(sw.InvalidSignatureError, match="not absolute"):
        webhooks.verify(KEY, hex_sig(KEY, b"/hook" + JSON_BODY) + "0", "/hook", JSON_BODY)


# -- verify's message ----------------------------------------------------------------------------


def test_verify_says_which_checks_failed_and_never_shows_key_or_expected_signatures() -> None:
    key = " PSKsecretKEYvalue987 "  # whitespace around it: a classic copy-paste slip, reported
    raw = form_body(FORM)
    with pytest.raises(sw.InvalidSignatureError) as caught:
        webhooks.verify(key, b64_sig("wrong", FORM_DATA), URL, raw)
    error = caught.value
    text = " ".join([str(error), repr(error), *map(str, error.args), *error.reasons])
    assert "scheme A" in text and "scheme B" in text and "with :443" in text
    assert "form callback" in text  # the signature's shape
    assert "leading or trailing whitespace" in text
    assert "PSKsecretKEYvalue987" not in text
    url_443 = URL.replace(".com/", ".com:443/")
    concat = FORM_DATA.removeprefix(URL)
    expected = [
        hex_sig(key, URL.encode() + raw),
        hex_sig(key, url_443.encode() + raw),
        b64_sig(key, FORM_DATA),
        b64_sig(key, url_443 + concat),
        b64_sig(key, URL),
        b64_sig(key, url_443),
    ]
    for value in expected:
        assert value not in text
    assert error.reasons and str(error).startswith("webhook signature is not valid: ")
    assert isinstance(error, sw.SignalWireError)


def test_verify_with_a_parsed_body_says_scheme_a_was_not_checked() -> None:
    with pytest.raises(sw.InvalidSignatureError, match=r"scheme A .* not checked"):
        webhooks.verify(KEY, "0" * 40, URL, dict(FORM))


# -- headers and signing helpers -----------------------------------------------------------------


def test_signature_from_headers() -> None:
    assert webhooks.signature_from_headers({"x-signalwire-signature": "a"}) == "a"
    assert webhooks.signature_from_headers({"X-TWILIO-SIGNATURE": "b"}) == "b"
    both = {"X-Twilio-Signature": "b", "x-SignalWire-signature": "a"}
    assert webhooks.signature_from_headers(both) == "a"
    assert webhooks.signature_from_headers({"X-SignalWire-Signature": "", "X-Twilio-Signature": "b"}) == "b"
    assert webhooks.signature_from_headers({"Content-Type": "x"}) is None
    assert webhooks.signature_from_headers({}) is None
    environ = EnvironBuilder(headers=[("X-Signalwire-Signature", " c ")]).get_environ()
    assert webhooks.signature_from_headers(Request(environ).headers) == "c"
    assert webhooks.SIGNATURE_HEADER == "X-SignalWire-Signature"
    assert webhooks.TWILIO_SIGNATURE_HEADER == "X-Twilio-Signature"
    assert webhooks.SIGNATURE_HEADERS == ("X-SignalWire-Signature", "X-Twilio-Signature")


def test_sign_helpers_match_the_documented_strings() -> None:
    assert webhooks.sign_form(KEY, URL, FORM) == b64_sig(KEY, FORM_DATA)
    assert webhooks.sign_form(KEY, URL, dict(FORM)) == b64_sig(KEY, FORM_DATA)
    assert webhooks.sign_form(KEY, URL, {"To": ["b", "a"], "From": "x"}) == b64_sig(KEY, URL + "FromxTobToa")
    assert webhooks.sign_form(KEY, URL, []) == b64_sig(KEY, URL)
    assert webhooks.sign_json(KEY, URL, JSON_BODY) == hex_sig(KEY, URL.encode() + JSON_BODY)
    assert webhooks.sign_json(KEY, URL, JSON_BODY.decode()) == hex_sig(KEY, URL.encode() + JSON_BODY)
    assert webhooks.sign_form("12345", TWILIO_DOC_URL, TWILIO_DOC_PARAMS) == TWILIO_DOC_SIGNATURE
    with pytest.raises(TypeError):
        webhooks.sign_form(KEY, URL, [("a", 1)])  # type: ignore[list-item]


# -- framework request helpers -------------------------------------------------------------------


def werkzeug_request(url: str, body: bytes, headers: dict[str, str]) -> Request:
    base, _, query = url.partition("?")
    scheme, _, rest = base.partition("://")
    host, _, path = rest.partition("/")
    builder = EnvironBuilder(
        method="POST",
        base_url=f"{scheme}://{host}",
        path="/" + path,
        query_string=query,
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=list(headers.items()),
    )
    return Request(builder.get_environ())


def test_flask_werkzeug_request() -> None:
    raw = form_body(FORM)
    request = werkzeug_request(URL, raw, {"X-SignalWire-Signature": b64_sig(KEY, FORM_DATA)})
    assert request.url == URL
    assert webhooks.validate_request(KEY, request)
    webhooks.verify_request(KEY, request)
    assert request.form["StreamEvent"] == "stream-started"  # the form is still readable afterwards


def test_flask_request_whose_form_was_parsed_first() -> None:
    request = werkzeug_request(URL, form_body(FORM), {"X-Twilio-Signature": b64_sig(KEY, FORM_DATA)})
    assert request.form["StreamName"] == ""
    assert request.get_data() == b""  # Werkzeug keeps no raw data once the form is parsed
    assert webhooks.validate_request(KEY, request)


def test_flask_request_behind_a_proxy_needs_url() -> None:
    public = "https://hooks.example.com/callbacks/stream?tenant=7"
    signature = b64_sig(KEY, public + FORM_DATA.removeprefix(URL))
    internal = "http://10.0.0.5:8000/callbacks/stream?tenant=7"
    request = werkzeug_request(internal, form_body(FORM), {"X-SignalWire-Signature": signature})
    assert not webhooks.validate_request(KEY, request)
    assert webhooks.validate_request(KEY, request, url=public)
    with pytest.raises(sw.InvalidSignatureError, match="forwarded headers"):
        webhooks.verify_request(KEY, request)


def test_flask_request_without_signature() -> None:
    request = werkzeug_request(URL, form_body(FORM), {})
    assert not webhooks.validate_request(KEY, request)
    with pytest.raises(sw.InvalidSignatureError, match="no signature"):
        webhooks.verify_request(KEY, request)


class FakeDjangoRequest:
    """Mimics django.http.HttpRequest: .headers (case-insensitive), .body bytes, build_absolute_uri()."""

    class Headers(dict[str, str]):
        def __getitem__(self, key: str) -> str:
            return {k.lower(): v for k, v in self.items()}[key.lower()]

    def __init__(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        self._url = url
        self.body = body
        self.headers = self.Headers(headers)
        self.POST = MultiDict(FORM)

    def build_absolute_uri(self, location: str | None = None) -> str:
        return self._url


def test_django_request() -> None:
    raw = form_body(FORM)
    request = FakeDjangoRequest(URL, raw, {"X-Signalwire-Signature": b64_sig(KEY, FORM_DATA)})
    assert webhooks.validate_request(KEY, request)
    json_request = FakeDjangoRequest(URL, JSON_BODY, {"x-signalwire-signature": hex_sig(KEY, URL.encode() + JSON_BODY)})
    assert webhooks.validate_request(KEY, json_request)
    assert not webhooks.validate_request(KEY, FakeDjangoRequest(URL, raw + b"&x=1", dict(request.headers)))


class FakeStarletteRequest:
    """Mimics starlette.requests.Request: .url is an object, .headers a mapping, body() is async."""

    class URL:
        def __init__(self, text: str) -> None:
            self._text = text

        def __str__(self) -> str:
            return self._text

    def __init__(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        self.url = self.URL(url)
        self.headers = headers
        self._body = body

    async def body(self) -> bytes:
        return self._body


def test_starlette_request_needs_the_body_passed_in() -> None:
    request = FakeStarletteRequest(URL, JSON_BODY, {"x-signalwire-signature": hex_sig(KEY, URL.encode() + JSON_BODY)})
    with pytest.raises(TypeError, match=r"await request\.body"):
        webhooks.validate_request(KEY, request)
    assert webhooks.validate_request(KEY, request, body=JSON_BODY)


def test_objects_that_are_not_requests() -> None:
    with pytest.raises(TypeError, match="headers"):
        webhooks.validate_request(KEY, object())

    class NoUrl:
        headers: dict[str, str] = {}  # noqa: RUF012
        body = b""

    with pytest.raises(TypeError, match="pass url="):
        webhooks.validate_request(KEY, NoUrl())
    assert not webhooks.validate_request(KEY, NoUrl(), url=URL)

    class NoBody:
        headers: dict[str, str] = {}  # noqa: RUF012
        url = URL

    with pytest.raises(TypeError, match="pass body="):
        webhooks.validate_request(KEY, NoBody())


# -- package surface -----------------------------------------------------------------------------


def test_webhooks_is_an_attribute_of_the_package_loaded_on_first_use() -> None:
    code = (
        "import sys, signalwire_compat as sw\n"
        "assert 'hmac' not in sys.modules and 'signalwire_compat.webhooks' not in sys.modules\n"
        "assert sw.webhooks.validate('k', None, 'https://x/', b'') is False\n"
        "assert sw.webhooks is sys.modules['signalwire_compat.webhooks']\n"
        "from signalwire_compat import webhooks\n"
        "assert webhooks is sw.webhooks\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert sw.webhooks is webhooks


# tests/typing/webhooks_ok.py is type-checked with the other typing examples (test_public_api.py).
