"""The media WebSocket protocol, sans-IO: SignalWire's documented messages parsed into typed values,
both directions' builders, clear errors for malformed messages, and the upgrade's bearer check."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from typing import Any

import pytest

import signalwire_compat as sw
from signalwire_compat import media

SID = "7d56cc11-536d-4a45-b4fb-ed3d55be843b"
ACCOUNT = "b08dacad-2f6c-4de1-93d6-cc732e0c69c5"
CALL = "76ac3c36-56da-4a3e-a0d6-b5f8df6da9ad"
AUDIO = bytes(range(160))

# The examples on SignalWire's <Stream> page (cXML reference -> Voice -> Stream), as printed there.
DOCS_START = {
    "event": "start",
    "sequenceNumber": "1",
    "start": {
        "streamSid": SID,
        "accountSid": ACCOUNT,
        "callSid": CALL,
        "tracks": ["inbound"],
        "customParameters": {},
        "mediaFormat": {"encoding": "audio/x-L16", "sampleRate": 24000, "channels": 1},
    },
}
DOCS_DTMF = {"event": "dtmf", "sequenceNumber": "123", "streamSid": SID, "dtmf": {"digit": "5", "duration": 2000}}
DOCS_MARK = {"event": "mark", "streamSid": SID, "mark": {"name": "my-custom-mark"}}


def test_the_documented_connected_start_and_stop_messages_parse() -> None:
    assert media.parse('{"event":"connected","protocol":"Call","version":"0.2.0"}') == media.Connected("Call", "0.2.0")
    start = media.parse(json.dumps(DOCS_START))
    assert start == media.Start(
        sequence_number=1,
        stream_sid=SID,
        account_sid=ACCOUNT,
        call_sid=CALL,
        tracks=("inbound",),
        custom_parameters={},
        media_format=media.MediaFormat(encoding="audio/x-L16", sample_rate=24000, channels=1),
    )
    assert media.parse('{"event": "stop", "sequenceNumber": "999"}') == media.Stop(999)


def test_a_media_message_gives_ints_and_the_decoded_audio() -> None:
    payload = base64.b64encode(AUDIO).decode()
    text = json.dumps(
        {
            "event": "media",
            "sequenceNumber": "42",
            "media": {"track": "inbound", "chunk": "1", "timestamp": "0", "payload": payload},
        }
    )
    message = media.parse(text)
    assert message == media.Media(sequence_number=42, track="inbound", chunk=1, timestamp=0, payload=AUDIO)
    assert media.parse(text.encode()) == message  # bytes frames too
    assert repr(message) == "Media(sequence_number=42, track='inbound', chunk=1, timestamp=0, payload=<160 bytes>)"


def test_numbers_are_read_whether_sent_as_numbers_or_strings() -> None:
    as_numbers = media.signalwire_media(sequence_number=7, audio=AUDIO, chunk=3, timestamp=40)
    data = json.loads(as_numbers)
    data["sequenceNumber"], data["media"]["chunk"], data["media"]["timestamp"] = 7, 3, 40
    assert media.parse(json.dumps(data)) == media.parse(as_numbers)
    dtmf = media.parse(json.dumps(DOCS_DTMF))
    assert dtmf == media.Dtmf(sequence_number=123, digit="5", duration=2000, stream_sid=SID)
    assert media.parse(json.dumps({**DOCS_DTMF, "dtmf": {"digit": "5", "duration": "2000"}})) == dtmf


def test_what_the_docs_show_only_sometimes_is_optional() -> None:
    assert media.parse(json.dumps(DOCS_MARK)) == media.Mark(name="my-custom-mark", stream_sid=SID, sequence_number=None)
    unidirectional = {key: value for key, value in DOCS_DTMF.items() if key != "streamSid"}
    assert media.parse(json.dumps(unidirectional)) == media.Dtmf(123, "5", 2000, None)
    without_parameters = json.loads(json.dumps(DOCS_START))
    del without_parameters["start"]["customParameters"]  # "only present when custom parameters are defined"
    parsed = media.parse(json.dumps(without_parameters))
    assert isinstance(parsed, media.Start) and parsed.custom_parameters == {}


def test_an_unknown_event_is_kept_whole() -> None:
    message = media.parse('{"event": "transcript", "text": "hello"}')
    assert message == media.Unknown(event="transcript", data={"event": "transcript", "text": "hello"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "the message is not JSON"),
        (b"\xff\xfe{", "the message is not JSON"),
        ("[1, 2]", "must be a JSON object, not list"),
        ('{"sequenceNumber": "1"}', "no 'event' string"),
        ('{"event": "media", "sequenceNumber": "1"}', "media: 'media' must be an object \\(missing\\)"),
        (
            '{"event": "media", "sequenceNumber": "1", "media": {"track": "inbound", "chunk": "1", "payload": ""}}',
            "media: 'timestamp' must be a non-negative integer or a string of digits \\(missing\\)",
        ),
        (
            '{"event": "media", "sequenceNumber": "x", "media": {"track": "inbound", "chunk": "1", "timestamp": "0",'
            ' "payload": ""}}',
            "'sequenceNumber' must be a non-negative integer or a string of digits \\(got \"x\"\\)",
        ),
        (
            '{"event": "media", "sequenceNumber": "1", "media": {"track": "inbound", "chunk": "1", "timestamp": "0",'
            ' "payload": "not base64!"}}',
            "media: 'payload' is not valid base64",
        ),
        ('{"event": "start", "sequenceNumber": "1", "start": {"tracks": []}}', "start: 'mediaFormat' must be"),
        ('{"event": "stop"}', "stop: 'sequenceNumber' must be"),
        ('{"event": "stop", "sequenceNumber": "' + "9" * 5000 + '"}', "stop: 'sequenceNumber' must be"),
        (
            '{"event": "media", "sequenceNumber": "' + "9" * 5000 + '", "media": {"track": "inbound", "chunk": "1",'
            ' "timestamp": "0", "payload": ""}}',
            "media: 'sequenceNumber' must be",
        ),
        ('{"event": "mark", "mark": {}}', "mark: 'name' must be a string \\(missing\\)"),
        ('{"event": "dtmf", "sequenceNumber": -1, "dtmf": {"digit": "1"}}', "'sequenceNumber' must be"),
    ],
)
def test_malformed_messages_raise_media_protocol_error_naming_what_is_wrong(text: str | bytes, expected: str) -> None:
    with pytest.raises(media.MediaProtocolError, match=expected) as caught:
        media.parse(text)
    assert isinstance(caught.value, sw.SignalWireError) and isinstance(caught.value, ValueError)
    assert caught.value.__cause__ is None


def test_signalwires_builders_make_what_the_parser_reads() -> None:
    start = media.signalwire_start(
        stream_sid=SID, account_sid=ACCOUNT, call_sid=CALL, custom_parameters={"FirstName": "Jane"}
    )
    assert json.loads(start)["sequenceNumber"] == "1"  # a string, as SignalWire sends it
    parsed = media.parse(start)
    assert isinstance(parsed, media.Start) and parsed.custom_parameters == {"FirstName": "Jane"}
    assert parsed.media_format == media.MediaFormat("audio/x-mulaw", 8000, 1)
    assert media.parse(media.signalwire_connected()) == media.Connected("Call", "0.2.0")
    assert media.parse(media.signalwire_media(sequence_number=2, audio=AUDIO, chunk=1, timestamp=0)) == media.Media(
        2, "inbound", 1, 0, AUDIO
    )
    dtmf = media.signalwire_dtmf(sequence_number=3, digit="#", duration=250)
    assert json.loads(dtmf)["dtmf"]["duration"] == 250  # a number, as documented
    assert media.parse(dtmf) == media.Dtmf(3, "#", 250, None)
    assert media.parse(media.signalwire_mark(name="m", stream_sid=SID)) == media.Mark("m", SID, None)
    assert media.parse(media.signalwire_stop(sequence_number=9)) == media.Stop(9)


def test_an_apps_messages_have_the_documented_shapes() -> None:
    assert json.loads(media.media_message(SID, b"\x01\x02")) == {
        "event": "media",
        "streamSid": SID,
        "media": {"payload": "AQI="},
    }
    assert json.loads(media.mark_message(SID, "my label")) == {
        "event": "mark",
        "streamSid": SID,
        "mark": {"name": "my label"},
    }
    assert json.loads(media.clear_message(SID)) == {"event": "clear", "streamSid": SID}
    assert json.loads(media.dtmf_message(SID, "5")) == {"event": "dtmf", "streamSid": SID, "dtmf": {"digit": "5"}}


def test_an_apps_messages_are_read_back_as_the_app_direction_types() -> None:
    assert media.parse_app_message(media.media_message(SID, AUDIO)) == media.AppMedia(SID, AUDIO)
    assert media.parse_app_message(media.mark_message(SID, "end")) == media.AppMark(SID, "end")
    assert media.parse_app_message(media.clear_message(SID)) == media.AppClear(SID)
    assert media.parse_app_message(media.dtmf_message(SID, "A")) == media.AppDtmf(SID, "A")
    with pytest.raises(media.MediaProtocolError, match=r"dtmf\.digit' must be one of"):
        media.parse_app_message('{"event": "dtmf", "streamSid": "s", "dtmf": {"digit": "E"}}')
    with pytest.raises(media.MediaProtocolError, match="clear: 'streamSid' must be a string"):
        media.parse_app_message('{"event": "clear"}')


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: media.dtmf_message(SID, "E"), "digit must be one of"),
        (lambda: media.dtmf_message(SID, "12"), "digit must be one of"),
        (lambda: media.mark_message(SID, ""), "name must be a non-empty str"),
        (lambda: media.clear_message(""), "stream_sid must be a non-empty str"),
        (lambda: media.signalwire_stop(sequence_number=-1), "sequence_number must be a non-negative int"),
        (lambda: media.signalwire_media(sequence_number=True, audio=b"", chunk=1, timestamp=0), "non-negative int"),
    ],
)
def test_builders_refuse_bad_input(build: Any, expected: str) -> None:
    with pytest.raises(ValueError, match=expected):
        build()


def test_check_bearer_accepts_only_the_token_in_any_header_case() -> None:
    token = "s3cret-token"
    assert media.check_bearer({"Authorization": f"Bearer {token}"}, token)
    assert media.check_bearer({"authorization": f"bearer {token}"}, token)
    assert media.check_bearer([("Host", "x"), ("AUTHORIZATION", f"Bearer {token}")], token)
    assert media.check_bearer([(b"authorization", f"Bearer {token}".encode())], token)  # type: ignore[list-item]
    assert not media.check_bearer({"Authorization": f"Bearer {token}x"}, token)
    assert not media.check_bearer({"Authorization": token}, token)
    assert not media.check_bearer({"Authorization": f"Basic {token}"}, token)
    assert not media.check_bearer({}, token)
    with pytest.raises(sw.ConfigurationError, match="token is missing"):
        media.check_bearer({"Authorization": "Bearer "}, "")


def test_check_bearer_reads_the_headers_http_server_gives() -> None:
    import email.parser
    import http.client

    def upgrade(*lines: str) -> http.client.HTTPMessage:
        text = "".join(f"{line}\r\n" for line in lines) + "\r\n"
        message = email.parser.Parser(_class=http.client.HTTPMessage).parsestr(text)
        assert isinstance(message, http.client.HTTPMessage)  # what BaseHTTPRequestHandler.headers is
        return message

    token = "s3cret-token"
    assert media.check_bearer(upgrade("Host: x", f"authorization: Bearer {token}"), token)
    assert not media.check_bearer(upgrade("Host: x", "Authorization: Bearer other"), token)
    assert not media.check_bearer(upgrade("Host: x"), token)
    # Repeated headers are all seen: one right value among them is enough, as with pairs.
    assert media.check_bearer(upgrade("Authorization: Bearer other", f"Authorization: Bearer {token}"), token)


def test_check_bearer_compares_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    calls: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert not media.check_bearer({"Authorization": "Bearer wrong"}, "right")
    assert calls == [(b"bearer wrong", b"bearer right")]


@pytest.mark.slow  # starts an interpreter
def test_importing_the_package_loads_neither_cxml_media_nor_a_framework() -> None:
    code = (
        "import sys, signalwire_compat as sw\n"
        "loaded = [m for m in ('signalwire_compat.cxml', 'signalwire_compat.media', 'defusedxml',"
        " 'xml.etree.ElementTree') if m in sys.modules]\n"
        "from signalwire_compat import media\n"
        "media.parse(media.signalwire_connected())\n"
        "frameworks = [m for m in ('aiohttp', 'websockets', 'starlette', 'flask', 'django') if m in sys.modules]\n"
        "print(loaded, frameworks)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[] []"
