"""Typed stream status callbacks: every documented parameter read, unknown values kept (never an
exception), and one call that verifies the signature and parses, on a callback FakeSpace really sent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import pytest

import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace
from signalwire_compat.webhooks import parse_stream_status, stream_status_from_request

KEY = "PSK_test-signing-key"
URL = "https://example.com/stream-status"
DOCUMENTED = {
    "AccountSid": "b08dacad-2f6c-4de1-93d6-cc732e0c69c5",
    "CallSid": "76ac3c36-56da-4a3e-a0d6-b5f8df6da9ad",
    "StreamSid": "7d56cc11-536d-4a45-b4fb-ed3d55be843b",
    "StreamName": "Example Audio Stream",
    "StreamEvent": "stream-error",
    "StreamError": "Duplicated stream name",
    "StreamTrack": "inbound_track",
    "Timestamp": "2026-12-04T21:39:46.250Z",
    "Unique-ID": "8f0e2c1a-0000-4000-8000-000000000001",
}


def test_every_documented_parameter_is_read_into_its_type() -> None:
    status = parse_stream_status(urlencode(DOCUMENTED).encode())
    assert status == sw.StreamStatusCallback(
        account_sid=DOCUMENTED["AccountSid"],
        call_sid=DOCUMENTED["CallSid"],
        stream_sid=DOCUMENTED["StreamSid"],
        stream_name="Example Audio Stream",
        event=sw.StreamEvent.ERROR,
        error=sw.StreamError.DUPLICATED_STREAM_NAME,
        track="inbound_track",
        timestamp=datetime(2026, 12, 4, 21, 39, 46, 250000, tzinfo=UTC),
        unique_id=DOCUMENTED["Unique-ID"],
    )
    assert status.event == "stream-error" and status.conference_sid is None and dict(status.extra) == {}


@pytest.mark.parametrize(
    "form",
    [urlencode(DOCUMENTED), urlencode(DOCUMENTED).encode(), DOCUMENTED, {k: [v] for k, v in DOCUMENTED.items()}],
    ids=["str", "bytes", "mapping", "mapping-of-lists"],
)
def test_the_form_is_taken_raw_as_text_or_parsed(form: Any) -> None:
    assert parse_stream_status(form).stream_name == "Example Audio Stream"


@pytest.mark.parametrize("error", [e.value for e in sw.StreamError])
def test_each_documented_stream_error_is_known(error: str) -> None:
    parsed = parse_stream_status({"StreamEvent": "stream-error", "StreamError": error}).error
    assert isinstance(parsed, sw.StreamError) and parsed == error


def test_unknown_values_are_kept_never_raised() -> None:
    status = parse_stream_status(
        b"StreamEvent=stream-paused&StreamError=new_error&Timestamp=yesterday&ConferenceSid=c&New=1&New=2&%ff=x"
    )
    assert isinstance(status.event, sw.Unparsed) and status.event == "stream-paused"
    assert isinstance(status.error, sw.Unparsed) and status.error == "new_error"
    assert isinstance(status.timestamp, sw.Unparsed) and status.timestamp.raw == "yesterday"
    assert status.conference_sid == "c" and status.stream_sid is None
    assert dict(status.extra) == {"New": "1", "\ufffd": "x"}  # a repeated name keeps its first value


def test_an_rfc_2822_timestamp_is_read_too() -> None:
    status = parse_stream_status({"Timestamp": "Fri, 04 Dec 2026 22:39:46 +0100", "StreamEvent": "stream-started"})
    assert status.timestamp == datetime(2026, 12, 4, 21, 39, 46, tzinfo=UTC)
    assert status.event is sw.StreamEvent.STARTED


class FlaskLikeRequest:
    """What stream_status_from_request reads by duck typing (as sw.webhooks does)."""

    def __init__(self, url: str, headers: dict[str, str], body: bytes) -> None:
        self.url, self.headers, self._body = url, headers, body

    def get_data(self) -> bytes:
        return self._body


def signed_request(params: dict[str, str], *, url: str = URL, method: str = "POST") -> FlaskLikeRequest:
    signature = sw.webhooks.sign_form(KEY, url=url, params=params if method == "POST" else {})
    body = urlencode(params).encode() if method == "POST" else b""
    return FlaskLikeRequest(url, {"X-SignalWire-Signature": signature}, body)


def test_one_call_verifies_the_signature_and_parses() -> None:
    status = stream_status_from_request(KEY, request=signed_request(DOCUMENTED))
    assert status.error is sw.StreamError.DUPLICATED_STREAM_NAME
    forged = signed_request(DOCUMENTED)
    forged._body = forged._body.replace(b"stream-error", b"stream-stopped")
    with pytest.raises(sw.InvalidSignatureError):
        stream_status_from_request(KEY, request=forged)


def test_a_get_callback_is_read_from_the_query() -> None:
    url = f"{URL}?{urlencode({'StreamSid': 's', 'StreamEvent': 'stream-stopped'})}"
    status = stream_status_from_request(KEY, request=signed_request({}, url=url, method="GET"))
    assert status.stream_sid == "s" and status.event is sw.StreamEvent.STOPPED


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", urlencode(DOCUMENTED).encode()),
        ("application/json", urlencode(DOCUMENTED).encode()),
        ("application/json", json.dumps(DOCUMENTED).encode()),
        (None, json.dumps(DOCUMENTED).encode()),  # no Content-Type: JSON, so not a form either
    ],
    ids=["text-plain", "form-text-declared-json", "json", "json-without-content-type"],
)
def test_a_url_only_signature_never_makes_the_body_of_a_stream_status_verified(
    content_type: str | None, body: bytes
) -> None:
    # SignalWire signs an empty-body callback to this URL over the URL alone: whoever saw one can
    # replay that signature with any body that is not read as a form.
    url_only = sw.webhooks.sign_form(KEY, url=URL, params={})
    headers = {"X-SignalWire-Signature": url_only} | ({"Content-Type": content_type} if content_type else {})
    request = FlaskLikeRequest(URL, headers, body)
    with pytest.raises(sw.InvalidSignatureError, match="does not cover the body") as caught:
        stream_status_from_request(KEY, request=request)
    assert caught.value.reasons and "URL alone" in caught.value.reasons[0]
    # validate and verify keep the verdict their peers give, and say the body is not covered
    assert sw.webhooks.validate_request(KEY, request=request)
    verified = sw.webhooks.verify_request(KEY, request=request)
    assert (verified.body_covered, verified.scheme) == (False, "B")


def test_a_body_the_signature_covers_is_read_whatever_its_content_type() -> None:
    body = urlencode(DOCUMENTED).encode()
    scheme_a = sw.webhooks.sign_json(KEY, url=URL, body=body)  # url + raw body: the body is covered
    request = FlaskLikeRequest(URL, {"X-SignalWire-Signature": scheme_a, "Content-Type": "text/plain"}, body)
    assert stream_status_from_request(KEY, request=request).stream_name == "Example Audio Stream"
    form = signed_request(DOCUMENTED)
    form.headers["Content-Type"] = "application/x-www-form-urlencoded"
    assert stream_status_from_request(KEY, request=form).stream_name == "Example Audio Stream"
    assert sw.webhooks.verify_request(KEY, request=form) == sw.webhooks.Verification(
        body_covered=True, scheme="B", covers="the URL and the form parameters"
    )


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[FlaskLikeRequest]]]:
    received: list[FlaskLikeRequest] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(FlaskLikeRequest(f"http://{self.headers['Host']}{self.path}", dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/stream-status", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_callback_fake_space_sent_on_the_wire_is_verified_and_parsed(
    receiver: tuple[str, list[FlaskLikeRequest]],
) -> None:
    url, received = receiver
    with FakeSpace() as space, space.client() as client:
        call = space.add_call_stream().parent_sid
        started = client.calls(call).streams.create(url="wss://example.com/a", name="my audio", status_callback=url)
        space.wait_for_deliveries(1)
    assert len(received) == 1
    status = stream_status_from_request(space.signing_key, request=received[0])
    assert (status.stream_sid, status.stream_name, status.event) == (started.sid, "my audio", "stream-started")
    assert status.call_sid == call and isinstance(status.timestamp, datetime)
