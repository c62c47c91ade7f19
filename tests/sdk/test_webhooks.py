"""Webhook signatures: both schemes, port variants, bodySHA256, repeated keys, unicode, the request helpers.

Every expected signature is computed here, independently of the module (hmac + hashlib + base64
over the string the scheme documents, built by hand), or is a value published elsewhere and
re-derived here before it is relied on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import json
import random
import subprocess
import sys
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import signalwire_compat as sw
from signalwire_compat import webhooks
from tests.helpers import examples

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
    assert webhooks.validate("12345", signature=TWILIO_DOC_SIGNATURE, url=TWILIO_DOC_URL, body=body)
    webhooks.verify("12345", signature=TWILIO_DOC_SIGNATURE, url=TWILIO_DOC_URL, body=body)


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
    assert webhooks.validate("12345", signature="RSOYDt4T1cUTdK1PDd93/VVr8B8=", url=TWILIO_DOC_URL, body=raw)
    assert webhooks.validate(
        "12345", signature="kvajT1Ptam85bY51eRf/AJRuM3w=", url=TWILIO_DOC_URL, body=raw
    )  # :443 added
    assert webhooks.validate(
        "12345", signature="0ZXoZLH/DfblKGATFgpif+LLRf4=", url=TWILIO_DOC_URL.replace("https", "http"), body=raw
    )

    body = '{"property": "value", "boolean": true}'
    body_hash = hashlib.sha256(body.encode()).hexdigest()
    assert body_hash == "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    url = TWILIO_DOC_URL + "&bodySHA256=" + body_hash
    assert b64_sig("12345", url) == "a9nBmqA0ju/hNViExpshrM61xv4="  # the URL alone is signed
    assert webhooks.validate("12345", signature="a9nBmqA0ju/hNViExpshrM61xv4=", url=url, body=body)
    assert not webhooks.validate(
        "12345", signature="a9nBmqA0ju/hNViExpshrM61xv4=", url=url, body=body.replace("true", "false")
    )


def test_signalwire_python_vectors() -> None:
    # Published in SignalWire's signalwire-python tests (its canonical vectors A and C, and a
    # compatibility delivery over https); re-derived here first.
    key_a = "PSKtest1234567890abcdef"
    url_a = "https://example.ngrok.io/webhook"
    body_a = '{"event":"call.state","params":{"call_id":"abc-123","state":"answered"}}'
    assert hex_sig(key_a, (url_a + body_a).encode()) == "c3c08c1fefaf9ee198a100d5906765a6f394bf0f"
    assert webhooks.validate(
        key_a, signature="c3c08c1fefaf9ee198a100d5906765a6f394bf0f", url=url_a, body=body_a.encode()
    )

    body_c = b'{"event":"call.state"}'
    url_c = f"https://example.ngrok.io/webhook?bodySHA256={hashlib.sha256(body_c).hexdigest()}"
    assert b64_sig(key_a, url_c) == "dfO9ek8mxyFtn2nMz24plPmPfIY="
    assert webhooks.validate(key_a, signature="dfO9ek8mxyFtn2nMz24plPmPfIY=", url=url_c, body=body_c)

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
    assert webhooks.validate(
        key_b, signature="muUMpldcBHlzuXGZ5gbw1ETZCYA=", url=url_b, body=form_body(delivery.items())
    )
    assert webhooks.validate(key_b, signature="muUMpldcBHlzuXGZ5gbw1ETZCYA=", url=url_b, body=delivery)


# -- scheme A ------------------------------------------------------------------------------------

JSON_BODY = json.dumps({"event_type": "calling.call.state", "params": {"call_state": "answered"}}).encode()


def test_scheme_a_valid_for_bytes_and_str() -> None:
    signature = hex_sig(KEY, URL.encode() + JSON_BODY)
    assert webhooks.validate(KEY, signature=signature, url=URL, body=JSON_BODY)
    assert webhooks.validate(KEY, signature=signature, url=URL, body=JSON_BODY.decode())
    webhooks.verify(KEY, signature=signature, url=URL, body=JSON_BODY)


def test_scheme_a_signs_raw_bytes_even_when_not_utf8() -> None:
    raw = b'{"x": "\xff\xfe"}'
    assert webhooks.validate(KEY, signature=hex_sig(KEY, URL.encode() + raw), url=URL, body=raw)


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
    assert webhooks.validate(KEY, signature=hex_sig(KEY, signed_url.encode() + JSON_BODY), url=url, body=JSON_BODY)
    params = [("CallSid", "abc"), ("AccountSid", "def")]
    signature = b64_sig(KEY, signed_url + "AccountSiddefCallSidabc")
    assert webhooks.validate(KEY, signature=signature, url=url, body=form_body(params))


@pytest.mark.parametrize(
    ("url", "signed_url"),
    [
        ("https://host:8443/cb", "https://host/cb"),
        ("http://127.0.0.1:8080/cb?a=1", "http://127.0.0.1/cb?a=1"),
        ("https://example.com:80/hook", "https://example.com/hook"),
        ("http://example.com:443/hook", "http://example.com/hook"),
        ("https://u:p@example.com:8443/x", "https://u:p@example.com/x"),
        ("https://[::1]:8443/x?y", "https://[::1]/x?y"),
        ("wss://media.example.com:9000/ws", "wss://media.example.com/ws"),
    ],
)
def test_a_signature_over_the_url_without_its_port_is_valid_whatever_the_port_and_scheme(
    url: str, signed_url: str
) -> None:
    # Twilio documents HTTPS callbacks as signed without the port; its validators try that variant.
    raw = form_body(FORM)
    assert webhooks.validate(KEY, signature=b64_sig(KEY, signed_url + FORM_CONCAT), url=url, body=raw)
    assert webhooks.validate(KEY, signature=hex_sig(KEY, signed_url.encode() + JSON_BODY), url=url, body=JSON_BODY)
    webhooks.verify(KEY, signature=b64_sig(KEY, signed_url), url=url, body=b"")
    # only the port goes: the host, path and query must still be what was signed
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, signed_url + "x"), url=url, body=b"")


def test_the_wrong_default_port_is_not_added_and_a_port_is_not_swapped() -> None:
    assert not webhooks.validate(
        KEY, signature=b64_sig(KEY, "https://example.com:80/hook"), url="https://example.com/hook", body=b""
    )
    assert not webhooks.validate(
        KEY, signature=b64_sig(KEY, "http://example.com:443/hook"), url="http://example.com/hook", body=b""
    )
    assert not webhooks.validate(
        KEY, signature=b64_sig(KEY, "https://example.com:443/hook"), url="https://example.com:8443/hook", body=b""
    )
    assert not webhooks.validate(
        KEY, signature=b64_sig(KEY, "https://example.com:8443/hook"), url="https://example.com:9443/hook", body=b""
    )


def test_port_variants_keep_userinfo_ipv6_and_the_rest_of_the_url_byte_for_byte() -> None:
    cases = [
        ("https://u:p@example.com/a%2Fb?x=%41&y=#frag", "https://u:p@example.com:443/a%2Fb?x=%41&y=#frag"),
        ("https://[::1]/hook?", "https://[::1]:443/hook?"),
        ("HTTPS://Example.COM/Hook", "HTTPS://Example.COM:443/Hook"),
    ]
    for url, signed_url in cases:
        assert webhooks.validate(KEY, signature=b64_sig(KEY, signed_url), url=url, body=b""), url
        assert webhooks.validate(KEY, signature=b64_sig(KEY, url), url=signed_url, body=b""), signed_url


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
FORM_CONCAT = FORM_DATA.removeprefix(URL)


def test_scheme_b_valid_for_bytes_str_mapping_and_multidict() -> None:
    signature = b64_sig(KEY, FORM_DATA)
    raw = form_body(FORM)
    assert webhooks.validate(KEY, signature=signature, url=URL, body=raw)
    assert webhooks.validate(KEY, signature=signature, url=URL, body=raw.decode())
    assert webhooks.validate(KEY, signature=signature, url=URL, body=dict(FORM))
    assert webhooks.validate(KEY, signature=signature, url=URL, body=MultiDict(FORM))
    # spaces as `+` decode to the same values
    assert webhooks.validate(KEY, signature=signature, url=URL, body=raw.replace(b"%20", b"+"))


@pytest.mark.parametrize(
    "body", [b"To=b&From=x&To=a", {"To": ["b", "a"], "From": "x"}, MultiDict([("To", "b"), ("From", "x"), ("To", "a")])]
)
def test_a_repeated_name_is_valid_with_its_values_in_the_order_sent_or_sorted(body: webhooks.WebhookBody) -> None:
    # SignalWire's libraries keep the order sent; Twilio's servers sort the values: both sign the same data.
    sent, values_sorted = b64_sig(KEY, URL + "FromxTobToa"), b64_sig(KEY, URL + "FromxToaTob")
    assert webhooks.validate(KEY, signature=sent, url=URL, body=body)
    assert webhooks.validate(KEY, signature=values_sorted, url=URL, body=body)
    assert webhooks.validate(KEY, signature=values_sorted, url=URL.replace(".com/", ".com:443/"), body=body)
    # any other order, a dropped value or a de-duplicated one is a different request
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL + "TobToaFromx"), url=URL, body=body)
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL + "FromxTob"), url=URL, body=body)


def test_sorting_a_repeated_names_values_never_reorders_the_names() -> None:
    body = b"To=b&From=x&To=a&To=b"
    assert webhooks.validate(KEY, signature=b64_sig(KEY, URL + "FromxToaTobTob"), url=URL, body=body)
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL + "FromxToaTob"), url=URL, body=body)  # de-duplicated
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL + "FromxTobToaTob"), url=URL, body=b"To=a&From=x&To=b")


def test_names_sort_by_code_point_case_sensitive() -> None:
    body = form_body([("b", "1"), ("B", "2"), ("a", "3"), ("_", "4")])
    assert webhooks.validate(KEY, signature=b64_sig(KEY, URL + "B2_4a3b1"), url=URL, body=body)


def test_unicode_names_and_values_are_signed_decoded_in_utf8() -> None:
    pairs = [("Caller", "+14155550100"), ("StreamName", "Zoë's 🎧 stream"), ("Ünïcode", "日本")]
    signature = b64_sig(KEY, URL + "Caller+14155550100StreamNameZoë's 🎧 streamÜnïcode日本")
    raw = form_body(pairs)
    assert b"%C3%AB" in raw and b"%2B" in raw
    assert webhooks.validate(KEY, signature=signature, url=URL, body=raw)
    assert webhooks.validate(KEY, signature=signature, url=URL, body=dict(pairs))
    # a URL with non-ASCII text is signed as UTF-8 too
    url = "https://example.com/café"
    assert webhooks.validate(
        KEY, signature=b64_sig(KEY, url + "Caller+14155550100StreamNameZoë's 🎧 streamÜnïcode日本"), url=url, body=raw
    )


def test_json_body_on_a_compatibility_url_is_signed_over_the_url_alone() -> None:
    assert webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=JSON_BODY)
    assert webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=b"")  # e.g. a GET callback
    assert webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body={})


def test_a_url_only_signature_does_not_cover_a_form_body() -> None:
    # Otherwise anyone holding one URL-only signature could post any form parameters with it.
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=form_body(FORM))
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=dict(FORM))


def test_verify_says_whether_the_signature_covers_the_body() -> None:
    def covered(signature: str, body: webhooks.WebhookBody, content_type: str | None = None) -> bool:
        return webhooks.verify(KEY, signature=signature, url=URL, body=body, content_type=content_type).body_covered

    url_only = b64_sig(KEY, URL)
    assert not covered(url_only, JSON_BODY)  # peer-compatible: valid, but over the URL alone
    assert not covered(url_only, form_body(FORM), "text/plain")
    assert covered(url_only, b"") and covered(url_only, {}) and covered(url_only, b"", "application/json")
    assert covered(b64_sig(KEY, FORM_DATA), form_body(FORM)) and covered(b64_sig(KEY, FORM_DATA), dict(FORM))
    assert covered(hex_sig(KEY, URL.encode() + JSON_BODY), JSON_BODY, "application/json")
    digest = hashlib.sha256(JSON_BODY).hexdigest()
    hashed = f"{URL}&bodySHA256={digest}"
    assert webhooks.verify(KEY, signature=b64_sig(KEY, hashed), url=hashed, body=JSON_BODY).body_covered


# -- form or not: the Content-Type decides, else whether the body is JSON -------------------------

FORM_TYPE = "application/x-www-form-urlencoded"
# Bodies every framework reads as form parameters (parse_qsl, blank values kept, bad escapes replaced),
# with the parameters they carry: a URL-only signature must never cover them.
FORGED = [
    (b"{&CallStatus=completed", [("{", ""), ("CallStatus", "completed")]),
    (b"[x]=1&CallStatus=completed", [("[x]", "1"), ("CallStatus", "completed")]),
    (b" {&CallStatus=completed", [(" {", ""), ("CallStatus", "completed")]),
    (b"CallStatus=completed&x=%FF", [("CallStatus", "completed"), ("x", "\ufffd")]),
    (b"CallStatus=completed&%E9t%E9=%C3", [("CallStatus", "completed"), ("\ufffdt\ufffd", "\ufffd")]),
    (b"CallStatus=completed&raw=\xff", [("CallStatus", "completed"), ("raw", "\ufffd")]),
]


def signed_concat(pairs: list[tuple[str, str]]) -> str:
    return "".join(name + value for name, value in sorted(pairs, key=lambda pair: pair[0]))


@pytest.mark.parametrize("content_type", [FORM_TYPE, "Application/X-WWW-Form-Urlencoded; charset=UTF-8", None])
@pytest.mark.parametrize(("body", "pairs"), FORGED)
def test_a_url_only_signature_never_covers_a_form_body_starting_with_a_bracket_or_holding_a_bad_escape(
    body: bytes, pairs: list[tuple[str, str]], content_type: str | None
) -> None:
    # A URL-only signature is easy to hold (an empty-body or JSON callback to the same URL).
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=body, content_type=content_type)
    with pytest.raises(sw.InvalidSignatureError, match="read as a form"):
        webhooks.verify(KEY, signature=b64_sig(KEY, URL), url=URL, body=body, content_type=content_type)
    # ... while the true form signature of the same body, as frameworks parse it, is valid
    signature = b64_sig(KEY, URL + signed_concat(pairs))
    assert webhooks.validate(KEY, signature=signature, url=URL, body=body, content_type=content_type)
    assert parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, errors="replace") == pairs


def test_a_json_body_posted_as_a_form_is_read_as_the_form_the_application_sees() -> None:
    body = b'{"x": "&CallStatus=completed&"}'  # valid JSON, and a form with CallStatus=completed
    pairs = [('{"x": "', ""), ("CallStatus", "completed"), ('"}', "")]
    assert parse_qsl(body.decode(), keep_blank_values=True) == pairs
    url_only, form_signature = b64_sig(KEY, URL), b64_sig(KEY, URL + signed_concat(pairs))
    assert not webhooks.validate(KEY, signature=url_only, url=URL, body=body, content_type=FORM_TYPE)
    assert webhooks.validate(KEY, signature=form_signature, url=URL, body=body, content_type=FORM_TYPE)
    # declared JSON: not a form, so the URL alone is signed (and scheme A covers the raw body)
    assert webhooks.validate(KEY, signature=url_only, url=URL, body=body, content_type="application/json")
    assert not webhooks.validate(KEY, signature=form_signature, url=URL, body=body, content_type="application/json")
    assert webhooks.validate(
        KEY, signature=hex_sig(KEY, URL.encode() + body), url=URL, body=body, content_type=FORM_TYPE
    )
    # no Content-Type: it parses as JSON, so it is JSON
    assert webhooks.validate(KEY, signature=url_only, url=URL, body=body)


@pytest.mark.parametrize("body", [b"{", b"[1, 2", b"{'single': 'quotes'}", b"NaN", b"[Infinity]", b"[" * 100_000])
def test_without_a_content_type_a_body_that_is_not_json_is_form_data(body: bytes) -> None:
    pairs = parse_qsl(body.decode(), keep_blank_values=True)
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=body)
    assert webhooks.validate(KEY, signature=b64_sig(KEY, URL + signed_concat(pairs)), url=URL, body=body)


def test_a_raw_multipart_body_has_no_url_only_signature() -> None:
    multipart = "multipart/form-data; boundary=b"
    body = b'--b\r\nContent-Disposition: form-data; name="CallStatus"\r\n\r\ncompleted\r\n--b--\r\n'
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=body, content_type=multipart)
    with pytest.raises(sw.InvalidSignatureError, match="pass the parsed form parameters"):
        webhooks.verify(KEY, signature=b64_sig(KEY, URL), url=URL, body=body, content_type=multipart)
    assert webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=b"", content_type=multipart)
    signature = b64_sig(KEY, URL + "CallStatuscompleted")
    assert webhooks.validate(
        KEY, signature=signature, url=URL, body={"CallStatus": "completed"}, content_type=multipart
    )


def test_another_content_type_is_not_a_form_and_a_parsed_body_is_always_one() -> None:
    body = form_body(FORM)
    for content_type in ("application/json", "text/plain; charset=utf-8"):
        assert webhooks.validate(KEY, signature=b64_sig(KEY, URL), url=URL, body=body, content_type=content_type)
        assert not webhooks.validate(
            KEY, signature=b64_sig(KEY, FORM_DATA), url=URL, body=body, content_type=content_type
        )
    assert webhooks.validate(KEY, signature=b64_sig(KEY, FORM_DATA), url=URL, body=body, content_type="")  # unknown
    assert webhooks.validate(
        KEY, signature=b64_sig(KEY, FORM_DATA), url=URL, body=dict(FORM), content_type="application/json"
    )
    with pytest.raises(TypeError, match="content_type must be a str"):
        webhooks.validate(KEY, signature="s", url=URL, body=b"", content_type=b"text/plain")  # type: ignore[arg-type]


# -- bodySHA256 ----------------------------------------------------------------------------------


def test_body_sha256_good_bad_and_parsed_body() -> None:
    digest = hashlib.sha256(JSON_BODY).hexdigest()
    url = f"{URL}&bodySHA256={digest}"
    signature = b64_sig(KEY, url)
    assert webhooks.validate(KEY, signature=signature, url=url, body=JSON_BODY)
    assert webhooks.validate(KEY, signature=signature, url=url, body=JSON_BODY.decode())
    assert (
        webhooks.validate(KEY, signature=signature, url=url.replace(digest, digest.upper()), body=JSON_BODY) is False
    )  # URL changed
    assert webhooks.validate(
        KEY,
        signature=b64_sig(KEY, url.replace(digest, digest.upper())),
        url=url.replace(digest, digest.upper()),
        body=JSON_BODY,
    )
    assert webhooks.validate(KEY, signature=b64_sig(KEY, url.replace(".com/", ".com:443/")), url=url, body=JSON_BODY)

    tampered = JSON_BODY.replace(b"answered", b"ended")
    assert not webhooks.validate(KEY, signature=signature, url=url, body=tampered)
    with pytest.raises(sw.InvalidSignatureError, match="SHA-256 of the body does not match"):
        webhooks.verify(KEY, signature=signature, url=url, body=tampered)
    # a parsed body cannot be hashed: never valid, and verify says why
    assert not webhooks.validate(KEY, signature=signature, url=url, body={})
    with pytest.raises(sw.InvalidSignatureError, match="raw body"):
        webhooks.verify(KEY, signature=signature, url=url, body={})
    # a second, wrong bodySHA256 fails too
    url2 = f"{url}&bodySHA256={'0' * 64}"
    assert not webhooks.validate(KEY, signature=b64_sig(KEY, url2), url=url2, body=JSON_BODY)


def test_body_sha256_also_binds_a_scheme_a_signature() -> None:
    url = f"{URL}&bodySHA256={'0' * 64}"
    assert not webhooks.validate(KEY, signature=hex_sig(KEY, url.encode() + JSON_BODY), url=url, body=JSON_BODY)


# -- tampering -----------------------------------------------------------------------------------


def test_tampered_body_url_key_and_signature() -> None:
    raw = form_body(FORM)
    good = b64_sig(KEY, FORM_DATA)
    assert webhooks.validate(KEY, signature=good, url=URL, body=raw)
    assert not webhooks.validate(KEY, signature=good, url=URL, body=raw.replace(b"started", b"stopped"))
    assert not webhooks.validate(KEY, signature=good, url=URL, body=raw + b"&Extra=1")
    assert not webhooks.validate(KEY, signature=good, url=URL.replace("tenant=7", "tenant=8"), body=raw)
    assert not webhooks.validate(KEY, signature=good, url=URL.replace("https", "http"), body=raw)
    assert not webhooks.validate(KEY, signature=good, url=URL.replace("/stream", "/Stream"), body=raw)
    assert not webhooks.validate(KEY + "x", signature=good, url=URL, body=raw)
    assert not webhooks.validate(KEY.lower(), signature=good, url=URL, body=raw)
    flipped = ("A" if good[0] != "A" else "B") + good[1:]
    for bad in (flipped, good[:-1], good + "=", good.lower(), base64.b64encode(b"x" * 20).decode()):
        assert not webhooks.validate(KEY, signature=bad, url=URL, body=raw), bad

    hex_good = hex_sig(KEY, URL.encode() + JSON_BODY)
    assert not webhooks.validate(KEY, signature=hex_good.upper(), url=URL, body=JSON_BODY)
    assert not webhooks.validate(KEY, signature=hex_good, url=URL, body=JSON_BODY + b" ")
    assert not webhooks.validate("other-key", signature=hex_good, url=URL, body=JSON_BODY)


@pytest.mark.parametrize("signature", [None, "", "   "])
def test_missing_or_empty_signature_is_not_valid(signature: str | None) -> None:
    assert webhooks.validate(KEY, signature=signature, url=URL, body=JSON_BODY) is False
    with pytest.raises(sw.InvalidSignatureError, match="no signature"):
        webhooks.verify(KEY, signature=signature, url=URL, body=JSON_BODY)


def test_surrounding_whitespace_in_the_signature_header_is_ignored() -> None:
    assert webhooks.validate(KEY, signature=f"  {hex_sig(KEY, URL.encode() + JSON_BODY)}\t", url=URL, body=JSON_BODY)


@pytest.mark.parametrize("key", [None, "", "   "])
def test_missing_signing_key_is_a_configuration_error(key: Any) -> None:
    for call in (webhooks.validate, webhooks.verify):
        with pytest.raises(sw.ConfigurationError, match="Signing Key"):
            call(key, signature="sig", url=URL, body=JSON_BODY)
        with pytest.raises(ValueError, match="signing_key"):
            call(key, signature=None, url=URL, body=JSON_BODY)
    with pytest.raises(sw.ConfigurationError):
        webhooks.sign_form(key, url=URL, params={})


def test_wrong_argument_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="signing_key must be a str"):
        webhooks.validate(KEY.encode(), signature="sig", url=URL, body=b"")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="body must be"):
        webhooks.validate(KEY, signature="sig", url=URL, body=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="raw bytes"):
        webhooks.validate(KEY, signature="sig", url=URL, body={"params": {"nested": 1}})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="url must be a str"):
        webhooks.validate(KEY, signature="sig", url=None, body=b"")  # type: ignore[arg-type]


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
    assert webhooks.validate(KEY, signature=signature, url=url, body=b"\xff\x00=&&=%zz%") is False
    with pytest.raises(sw.InvalidSignatureError):
        webhooks.verify(KEY, signature=signature, url=url, body="To=%FF%FE&\ud800=x")


def test_relative_url_is_explained() -> None:
    with pytest.raises(sw.InvalidSignatureError, match="not absolute"):
        webhooks.verify(KEY, signature=hex_sig(KEY, b"/hook" + JSON_BODY) + "0", url="/hook", body=JSON_BODY)


# -- verify's message ----------------------------------------------------------------------------


def test_verify_says_which_checks_failed_and_never_shows_key_or_expected_signatures() -> None:
    key = " PSKsecretKEYvalue987 "  # whitespace around it: a classic copy-paste slip, reported
    raw = form_body(FORM)
    with pytest.raises(sw.InvalidSignatureError) as caught:
        webhooks.verify(key, signature=b64_sig("wrong", FORM_DATA), url=URL, body=raw)
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
        webhooks.verify(KEY, signature="0" * 40, url=URL, body=dict(FORM))


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
    assert webhooks.sign_form(KEY, url=URL, params=FORM) == b64_sig(KEY, FORM_DATA)
    assert webhooks.sign_form(KEY, url=URL, params=dict(FORM)) == b64_sig(KEY, FORM_DATA)
    assert webhooks.sign_form(KEY, url=URL, params={"To": ["b", "a"], "From": "x"}) == b64_sig(KEY, URL + "FromxTobToa")
    assert webhooks.sign_form(KEY, url=URL, params=[]) == b64_sig(KEY, URL)
    assert webhooks.sign_json(KEY, url=URL, body=JSON_BODY) == hex_sig(KEY, URL.encode() + JSON_BODY)
    assert webhooks.sign_json(KEY, url=URL, body=JSON_BODY.decode()) == hex_sig(KEY, URL.encode() + JSON_BODY)
    assert webhooks.sign_form("12345", url=TWILIO_DOC_URL, params=TWILIO_DOC_PARAMS) == TWILIO_DOC_SIGNATURE
    with pytest.raises(TypeError):
        webhooks.sign_form(KEY, url=URL, params=[("a", 1)])  # type: ignore[list-item]


# -- only the signing key is positional ----------------------------------------------------------

POSITIONAL_CALLS = [
    (webhooks.validate, (KEY, "sig", URL, b""), "validate(signing_key, signature=..., url=..., body=..."),
    (webhooks.verify, (KEY, "sig", URL, b""), "verify(signing_key, signature=..., url=..., body=..."),
    (webhooks.validate_request, (KEY, object()), "validate_request(signing_key, request=...)"),
    (webhooks.verify_request, (KEY, object()), "verify_request(signing_key, request=...)"),
    (webhooks.sign_form, (KEY, URL, {}), "sign_form(signing_key, url=..., params=...)"),
    (webhooks.sign_json, (KEY, URL, b""), "sign_json(signing_key, url=..., body=...)"),
    # twilio's RequestValidator.validate(url, params, signature) order: refused, never a silent False
    (webhooks.validate, (KEY, URL, {"To": "+1"}, "sig"), "validate(signing_key, signature=..., url="),
    (webhooks.validate, (KEY, "sig"), "validate(signing_key, signature=..., url="),
]


@pytest.mark.parametrize(("function", "args", "right_call"), POSITIONAL_CALLS)
def test_a_positional_call_after_the_signing_key_is_a_type_error_naming_the_right_call(
    function: Any, args: tuple[object, ...], right_call: str
) -> None:
    with pytest.raises(TypeError) as caught:
        function(*args)
    assert right_call in str(caught.value)
    assert "positionally" in str(caught.value)


def test_every_argument_after_the_signing_key_is_keyword_only() -> None:
    for function in (webhooks.validate, webhooks.verify, webhooks.validate_request, webhooks.verify_request):
        parameters = list(inspect.signature(function).parameters.values())
        assert parameters[0].name == "signing_key"
        assert {p.kind for p in parameters[1:]} == {inspect.Parameter.KEYWORD_ONLY}, function.__name__
    for function in (webhooks.sign_form, webhooks.sign_json):
        parameters = list(inspect.signature(function).parameters.values())
        assert [p.kind for p in parameters[1:]] == [inspect.Parameter.KEYWORD_ONLY] * 2, function.__name__
    # the signing key itself may be a keyword too, and missing keywords are Python's own TypeError
    assert webhooks.validate(signing_key=KEY, signature=None, url=URL, body=b"") is False
    with pytest.raises(TypeError, match="url"):
        webhooks.validate(KEY, signature="sig", body=b"")  # type: ignore[call-arg]


# -- framework request helpers -------------------------------------------------------------------


def werkzeug_request(url: str, body: bytes, headers: dict[str, str], content_type: str = FORM_TYPE) -> Request:
    base, _, query = url.partition("?")
    scheme, _, rest = base.partition("://")
    host, _, path = rest.partition("/")
    builder = EnvironBuilder(
        method="POST",
        base_url=f"{scheme}://{host}",
        path="/" + path,
        query_string=query,
        data=body,
        content_type=content_type,
        headers=list(headers.items()),
    )
    return Request(builder.get_environ())


def test_flask_werkzeug_request() -> None:
    raw = form_body(FORM)
    request = werkzeug_request(URL, raw, {"X-SignalWire-Signature": b64_sig(KEY, FORM_DATA)})
    assert request.url == URL
    assert webhooks.validate_request(KEY, request=request)
    webhooks.verify_request(KEY, request=request)
    assert request.form["StreamEvent"] == "stream-started"  # the form is still readable afterwards


def test_flask_request_whose_form_was_parsed_first() -> None:
    request = werkzeug_request(URL, form_body(FORM), {"X-Twilio-Signature": b64_sig(KEY, FORM_DATA)})
    assert request.form["StreamName"] == ""
    assert request.get_data() == b""  # Werkzeug keeps no raw data once the form is parsed
    assert webhooks.validate_request(KEY, request=request)


def test_flask_request_behind_a_proxy_needs_url() -> None:
    public = "https://hooks.example.com/callbacks/stream?tenant=7"
    signature = b64_sig(KEY, public + FORM_DATA.removeprefix(URL))
    internal = "http://10.0.0.5:8000/callbacks/stream?tenant=7"
    request = werkzeug_request(internal, form_body(FORM), {"X-SignalWire-Signature": signature})
    assert not webhooks.validate_request(KEY, request=request)
    assert webhooks.validate_request(KEY, request=request, url=public)
    with pytest.raises(sw.InvalidSignatureError, match="forwarded headers"):
        webhooks.verify_request(KEY, request=request)


def test_flask_request_without_signature() -> None:
    request = werkzeug_request(URL, form_body(FORM), {})
    assert not webhooks.validate_request(KEY, request=request)
    with pytest.raises(sw.InvalidSignatureError, match="no signature"):
        webhooks.verify_request(KEY, request=request)


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
    assert webhooks.validate_request(KEY, request=request)
    json_request = FakeDjangoRequest(URL, JSON_BODY, {"x-signalwire-signature": hex_sig(KEY, URL.encode() + JSON_BODY)})
    assert webhooks.validate_request(KEY, request=json_request)
    assert not webhooks.validate_request(KEY, request=FakeDjangoRequest(URL, raw + b"&x=1", dict(request.headers)))


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
        webhooks.validate_request(KEY, request=request)
    assert webhooks.validate_request(KEY, request=request, body=JSON_BODY)


def test_objects_that_are_not_requests() -> None:
    with pytest.raises(TypeError, match="headers"):
        webhooks.validate_request(KEY, request=object())

    class NoUrl:
        headers: dict[str, str] = {}  # noqa: RUF012
        body = b""

    with pytest.raises(TypeError, match="pass url="):
        webhooks.validate_request(KEY, request=NoUrl())
    assert not webhooks.validate_request(KEY, request=NoUrl(), url=URL)

    class NoBody:
        headers: dict[str, str] = {}  # noqa: RUF012
        url = URL

    with pytest.raises(TypeError, match="pass body="):
        webhooks.validate_request(KEY, request=NoBody())


@pytest.mark.parametrize(("body", "pairs"), FORGED)
def test_request_helpers_read_the_content_type_so_a_forged_form_is_refused(
    body: bytes, pairs: list[tuple[str, str]]
) -> None:
    url_only = {"X-SignalWire-Signature": b64_sig(KEY, URL)}
    request = werkzeug_request(URL, body, url_only)
    assert not webhooks.validate_request(KEY, request=request)
    with pytest.raises(sw.InvalidSignatureError, match=r"read as a form \(Content-Type application/x-www-form"):
        webhooks.verify_request(KEY, request=request)
    signed = {"X-SignalWire-Signature": b64_sig(KEY, URL + signed_concat(pairs))}
    assert webhooks.validate_request(KEY, request=werkzeug_request(URL, body, signed))
    assert webhooks.validate_request(KEY, request=FakeDjangoRequest(URL, body, {"Content-Type": FORM_TYPE, **signed}))


def test_request_helpers_read_a_json_shaped_form_as_a_form_and_declared_json_as_json() -> None:
    body = b'{"x": "&CallStatus=completed&"}'
    url_only = {"X-SignalWire-Signature": b64_sig(KEY, URL)}
    assert not webhooks.validate_request(KEY, request=werkzeug_request(URL, body, url_only))
    assert werkzeug_request(URL, body, url_only).form["CallStatus"] == "completed"  # what the application sees
    django = FakeDjangoRequest(URL, body, {"content-type": "application/x-www-form-urlencoded", **url_only})
    assert not webhooks.validate_request(KEY, request=django)
    assert webhooks.validate_request(KEY, request=werkzeug_request(URL, body, url_only, "application/json"))
    starlette = FakeStarletteRequest(URL, body, {"content-type": "application/json", **url_only})
    assert webhooks.validate_request(KEY, request=starlette, body=body)
    starlette = FakeStarletteRequest(URL, body, {"content-type": FORM_TYPE, **url_only})
    assert not webhooks.validate_request(KEY, request=starlette, body=body)


# -- differential: twilio-python's RequestValidator ----------------------------------------------

# Where sw.webhooks and twilio-python 9.13 legitimately differ. The comparison below asserts each
# difference it meets goes the documented way, and asserts agreement everywhere else.
TWILIO_DIFFERENCES = {
    "scheme A": "sw.webhooks also accepts SignalWire's lower-case hex HMAC of url + raw body (JSON "
    "callbacks: RELAY, SWML); twilio-python knows only the base64 form scheme",
    "order sent": "for a repeated name sw.webhooks also accepts the values in the order sent (SignalWire's "
    "libraries sign so); twilio-python accepts them sorted only (Twilio's servers sort)",
    "de-duplicated": "twilio-python signs a repeated name's equal values once (sorted(set(values))); every "
    "value is sent and signed by SignalWire, so sw.webhooks never drops one: the comparison is skipped",
}
# Kept out of the generated requests, so no row above is needed for them: twilio-python rebuilds
# the URL with urlparse(...).geturl() (a lower-cased scheme, an empty '?' or '#' dropped) and drops a
# port with netloc.split(':') (which breaks userinfo and IPv6 hosts), where sw.webhooks keeps the
# URL's text; it reads only the first bodySHA256, case-sensitively, and only for a str body.

NAMES = ["CallSid", "To", "From", "Digits", "StreamEvent", "a", "A", "_", "{", "[x]", "Zoë", "日本", " sp"]
ALPHABET = "abcXYZ019 +&=%{}[]\"'é日🎧-_.~/?#"


def random_text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def random_url(rng: random.Random) -> tuple[str, list[str]]:
    """A URL, and the variants a signature may cover: as given, without its port, with the default one."""
    scheme = rng.choice(["http", "https"])
    host = rng.choice(["example.com", "Hooks.Example.org", "127.0.0.1", "xn--caf-dma.example"])
    default = "443" if scheme == "https" else "80"
    port = rng.choice([None, None, default, "443" if scheme == "http" else "80", str(rng.randint(1024, 65535))])
    path = "/" + "/".join(rng.choice(["cb", "stream-status", "caf%C3%A9", "é", "a.b", "~x"]) for _ in range(2))
    query = rng.choice(["", "?tenant=7", "?a=1&b=x%20y&a=2", "?q=" + quote(random_text(rng, 6), safe="")])
    if query == "?q=":
        query = ""

    def build(with_port: str | None) -> str:
        return f"{scheme}://{host}{':' + with_port if with_port else ''}{path}{query}"

    return build(port), [build(port), build(None)] + ([build(default)] if port is None else [])


def random_form(rng: random.Random) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for _ in range(rng.randint(0, 6)):
        if pairs and rng.random() < 0.3:  # a repeated name, usually with a new value
            name = rng.choice(pairs)[0]
            value = rng.choice([v for n, v in pairs if n == name]) if rng.random() < 0.15 else random_text(rng, 5)
        else:
            name, value = rng.choice(NAMES), random_text(rng, 8)
        pairs.append((name, value))
    return pairs


def test_validate_agrees_with_twilio_python_request_validator_outside_the_documented_differences() -> None:
    rng = random.Random(20)
    key = "PSK" + "".join(rng.choice("abcdef0123456789") for _ in range(32))
    twilio = RequestValidator(key)
    seen = {**dict.fromkeys(TWILIO_DIFFERENCES, 0), "agree valid": 0, "agree refused": 0, "json": 0}
    for _ in range(examples(5000)):
        url, variants = random_url(rng)
        signed_url = rng.choice(variants)
        if rng.random() < 0.1:  # a JSON callback whose URL carries bodySHA256 (twilio-python reads a str body)
            text = json.dumps({"event": random_text(rng, 8), "n": rng.randint(0, 9)})
            hashed = f"{'&' if '?' in url else '?'}bodySHA256={hashlib.sha256(text.encode()).hexdigest()}"
            sent = text if rng.random() < 0.8 else text.replace("}", ', "x": 1}')
            signature = twilio.compute_signature(signed_url + hashed, {})
            ours = webhooks.validate(
                key, signature=signature, url=url + hashed, body=sent.encode(), content_type="application/json"
            )
            assert ours == twilio.validate(url + hashed, sent, signature) == (sent == text), (url, sent)
            seen["json"] += 1
            continue
        pairs = random_form(rng)
        raw = urlencode(pairs) if rng.random() < 0.5 else form_body(pairs).decode()
        params = MultiDict(parse_qsl(raw, keep_blank_values=True))  # what the framework hands the application
        by_name: dict[str, list[str]] = {}
        for name, value in pairs:
            by_name.setdefault(name, []).append(value)
        duplicated = any(len(set(values)) < len(values) for values in by_name.values())
        unsorted = any(values != sorted(values) for values in by_name.values())

        kind = rng.choice(["twilio", "twilio", "sw", "hex", "url only", "other key", "other url", "tampered"])
        signed_pairs = pairs
        if kind == "tampered" and pairs:
            index = rng.randrange(len(pairs))
            signed_pairs = [*pairs[:index], (pairs[index][0], pairs[index][1] + "1"), *pairs[index + 1 :]]
        if kind in ("twilio", "tampered"):
            signature = twilio.compute_signature(signed_url, MultiDict(signed_pairs))
        elif kind == "sw":
            signature = webhooks.sign_form(key, url=signed_url, params=pairs)
        elif kind == "hex":
            signature = webhooks.sign_json(key, url=signed_url, body=raw)
        elif kind == "url only":
            signature = twilio.compute_signature(signed_url, {})
        elif kind == "other key":
            signature = RequestValidator(key + "x").compute_signature(signed_url, params)
        else:
            signature = twilio.compute_signature(signed_url.replace("/cb", "/cb2", 1) + "&", params)

        ours = webhooks.validate(key, signature=signature, url=url, body=raw.encode(), content_type=FORM_TYPE)
        theirs = twilio.validate(url, params, signature)
        case = (kind, url, signed_url, raw)
        if kind == "hex":
            assert ours and not theirs, case
            seen["scheme A"] += 1
        elif duplicated:
            seen["de-duplicated"] += 1
            if kind == "sw":
                assert ours, case
            elif kind == "twilio":
                assert theirs and not ours, case
        elif kind == "sw" and unsorted:
            assert ours and not theirs, case
            seen["order sent"] += 1
        else:
            assert ours == theirs, case
            expected = kind in ("twilio", "sw") or (kind in ("tampered", "url only") and not pairs)
            assert ours == expected, case
            seen["agree valid" if ours else "agree refused"] += 1
    # every kind of case came up often enough to mean something
    assert min(seen.values()) >= examples(5000) // 100, seen


# -- package surface -----------------------------------------------------------------------------


@pytest.mark.slow  # starts an interpreter
def test_webhooks_is_an_attribute_of_the_package_loaded_on_first_use() -> None:
    code = (
        "import sys, signalwire_compat as sw\n"
        "assert 'hmac' not in sys.modules and 'signalwire_compat.webhooks' not in sys.modules\n"
        "assert sw.webhooks.validate('k', signature=None, url='https://x/', body=b'') is False\n"
        "assert sw.webhooks is sys.modules['signalwire_compat.webhooks']\n"
        "from signalwire_compat import webhooks\n"
        "assert webhooks is sw.webhooks\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert sw.webhooks is webhooks


# tests/typing/webhooks_ok.py is type-checked with the other typing examples (test_public_api.py).
