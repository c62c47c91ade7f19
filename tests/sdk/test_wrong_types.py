"""A value of the wrong type given to a public function is refused at once, with a message naming what
was expected and what came: a programming mistake is an exception, never a silent False or a request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import signalwire_compat as sw
from signalwire_compat import cxml, media

KEY = "PSK_test_only"
URL = "https://example.com/stream-status"
START = (
    '{"event": "start", "sequenceNumber": "1", "streamSid": "s-1", "start": {"streamSid": "s-1",'
    ' "accountSid": "a-1", "callSid": "c-1", %s, "mediaFormat": {"encoding": "audio/x-mulaw",'
    ' "sampleRate": 8000, "channels": 1}}}'
)

CASES: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    (
        "a webhook signature that is not a str",
        lambda: sw.webhooks.validate(KEY, signature=123, url=URL, body=b""),  # type: ignore[arg-type]
        TypeError,
        "signature must be a str or None, not int",
    ),
    (
        "a JSON body to sign that is not bytes or str",
        lambda: sw.webhooks.sign_json(KEY, url=URL, body=123),  # type: ignore[arg-type]
        TypeError,
        "body must be the raw body as bytes or str, not int",
    ),
    (
        "form parameters to sign that are not pairs",
        lambda: sw.webhooks.sign_form(KEY, url=URL, params=[("a",)]),  # type: ignore[list-item]
        TypeError,
        "params must be a mapping or (name, value) pairs",
    ),
    (
        "a status callback that is neither a body nor a mapping",
        lambda: sw.webhooks.parse_stream_status(123),  # type: ignore[arg-type]
        TypeError,
        "form must be the raw body (bytes or str) or a mapping, not int",
    ),
    (
        "a media message that is not text",
        lambda: media.parse(123),  # type: ignore[arg-type]
        TypeError,
        "message must be str or bytes, not int",
    ),
    (
        "audio to send that is a str",
        lambda: media.media_message("s-1", "not audio"),  # type: ignore[arg-type]
        TypeError,
        "audio must be bytes, bytearray or memoryview, not str",
    ),
    (
        "start.tracks that is not a list",
        lambda: media.parse(START % '"tracks": "inbound"'),
        sw.MediaProtocolError,
        "'start.tracks' must be a list of strings",
    ),
    (
        "start.customParameters with a value that is not a string",
        lambda: media.parse(START % '"tracks": ["inbound"], "customParameters": {"Lang": 1}'),
        sw.MediaProtocolError,
        "'start.customParameters' must be an object of strings",
    ),
    (
        "a cXML document that is not text",
        lambda: cxml.parse(123),  # type: ignore[arg-type]
        TypeError,
        "document must be str or bytes, not int",
    ),
    (
        "a cXML document over the size cap",
        lambda: cxml.parse("<Response>" + " " * 1_048_576 + "</Response>"),
        sw.CXMLError,
        "the document is larger than 1048576 bytes",
    ),
    (
        "a stream URL that is not a str",
        lambda: cxml.VoiceResponse().start().stream(url=123),  # type: ignore[arg-type]
        sw.CXMLError,
        "<Stream> url must be a str, not int",
    ),
    (
        "a space URL that is not a str",
        lambda: sw.Client("project", "PT-test-token", space_url=123),  # type: ignore[arg-type]
        sw.ConfigurationError,
        "space_url must be a str, not int",
    ),
]


@pytest.mark.parametrize(("mistake", "call", "error", "message"), CASES, ids=[case[0] for case in CASES])
def test_a_value_of_the_wrong_type_is_refused_naming_the_expected_type(
    mistake: str, call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        call()
    assert message in str(raised.value)
