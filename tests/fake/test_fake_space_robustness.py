"""FakeSpace against apps and clients that misbehave: documents it cannot carry out fail the call, redirects
off loopback are not followed, a receiver that never answers does not hold the space up, documents in any
encoding XML allows are read, and a client that hangs up early leaves no traceback."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import pytest

import signalwire_compat as sw
from signalwire_compat import cxml
from signalwire_compat.testing import FakeSpace, ManualClock
from tests.servers import Received, Reply, ScriptedServer

CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
WSS = "wss://media.example.com/audio"
APP = "https://app.example.com"


def answering(document: bytes, content_type: str = "text/xml") -> Callable[..., Iterable[bytes]]:
    """A WSGI app answering every request with ``document``."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", content_type)])
        return [document]

    return app


def call_app(document: bytes, **space_options: Any) -> tuple[FakeSpace, Any]:
    """An incoming call to an in-process app answering ``document``, run until it ends (or hung up)."""
    with FakeSpace(listen=False, callback_app=answering(document), **space_options) as space:
        call = space.incoming_call(f"{APP}/voice")
        call.wait_until_ended()
    return space, call


# -- documents the fake cannot or must read -------------------------------------------------------------------


def test_a_document_nested_a_thousand_deep_fails_the_call_with_a_cxml_error() -> None:
    document = ("<Response>" + "<Gather>" * 1000 + "</Gather>" * 1000 + "</Response>").encode()
    _, call = call_app(document)
    assert call.status == "failed"
    assert call.error == "the cXML document is invalid: line 1: elements are nested more than 64 deep"


@pytest.mark.parametrize(
    ("encoding", "declaration"),
    [
        ("iso-8859-1", '<?xml version="1.0" encoding="ISO-8859-1"?>'),
        ("utf-16", '<?xml version="1.0" encoding="UTF-16"?>'),
        ("utf-16-le", ""),
        ("utf-8-sig", ""),
    ],
    ids=["latin-1", "utf-16", "utf-16-le-bom", "utf-8-bom"],
)
def test_a_document_in_any_encoding_xml_allows_is_carried_out(encoding: str, declaration: str) -> None:
    text = f'{declaration}<Response><Start><Stream url="{WSS}" name="café"/></Start><Say>Olá</Say><Hangup/></Response>'
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data  # the byte order mark alone says how to read it
    space, call = call_app(data)
    assert (call.status, call.error, call.verbs, call.skipped) == ("completed", None, ["Start", "Hangup"], ["Say"])
    (stream,) = call.streams
    assert space.stream_settings(stream.sid)["name"] == "café"
    assert call.document == cxml.parse(text.removeprefix(declaration))


def test_the_builders_largest_integer_is_carried_out_and_one_digit_more_fails_the_call() -> None:
    response = cxml.VoiceResponse()
    response.start().stream(url=WSS)
    largest = str(response.pause(length=10**18 - 1)).encode()
    with FakeSpace(listen=False, clock=ManualClock(), callback_app=answering(largest)) as space:
        call = space.incoming_call(f"{APP}/voice")
        call.wait_for_streams(1)  # then it pauses (on a clock that never moves): hang up
        call.hangup()
        call.wait_until_ended()
    assert (call.status, call.error, call.verbs) == ("completed", None, ["Start", "Pause"])
    _, call = call_app(largest.replace(b'"999999999999999999"', b'"1000000000000000000"'))
    assert call.status == "failed" and call.error is not None and "at most 18 digits" in call.error


# -- redirects ------------------------------------------------------------------------------------------------


def redirecting(routes: dict[str, Reply]) -> Callable[[Received], Reply]:
    return lambda request: routes.get(request.path.split("?")[0], Reply(404))


def test_a_voice_webhook_redirected_off_loopback_fails_the_call_and_the_target_is_never_asked() -> None:
    hangup = Reply(200, str(cxml.VoiceResponse().hangup()).encode(), {"Content-Type": "text/xml"})
    routes: dict[str, Reply] = {"/elsewhere": hangup, "/next": hangup}
    with ScriptedServer(redirecting(routes)) as app, FakeSpace() as space:
        # 0.0.0.0 reaches this host's listeners, the loopback ones included: the fake would not call it itself.
        routes["/voice"] = Reply(302, headers={"Location": f"http://0.0.0.0:{app.port}/elsewhere"})
        routes["/local"] = Reply(307, headers={"Location": f"http://127.0.0.1:{app.port}/next"})
        refused = space.incoming_call(f"{app.url}/voice").wait_until_ended()
        followed = space.incoming_call(f"{app.url}/local").wait_until_ended()
    assert refused.status == "failed" and refused.verbs == []
    assert refused.error is not None and "0.0.0.0" in refused.error and "loopback" in refused.error
    assert (followed.status, followed.verbs) == ("completed", ["Hangup"])  # a redirect on loopback is followed
    assert [request.path for request in app.received] == ["/voice", "/local", "/next"]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_status_callback_redirected_off_loopback_is_recorded_and_not_followed(status: int) -> None:
    routes = {"/status": Reply(204)}
    with ScriptedServer(redirecting(routes)) as receiver, FakeSpace() as space, space.client() as client:
        routes["/hop"] = Reply(status, headers={"Location": f"http://0.0.0.0:{receiver.port}/status"})
        client.calls(CALL).streams.create(url=WSS, status_callback=f"{receiver.url}/hop")
        (delivery,) = space.wait_for_deliveries(1)
    assert delivery.status == status and not delivery.ok
    assert delivery.error is not None and "0.0.0.0" in delivery.error and "loopback" in delivery.error
    assert [request.path for request in receiver.received] == ["/hop"]


def test_a_websocket_redirected_off_loopback_is_not_followed_and_its_token_goes_nowhere_else() -> None:
    routes = {"/elsewhere": Reply(404)}
    with ScriptedServer(redirecting(routes)) as app, FakeSpace() as space, space.client() as client:
        routes["/audio"] = Reply(302, headers={"Location": f"http://0.0.0.0:{app.port}/elsewhere"})
        stream = client.calls(CALL).streams.create(
            url=f"ws://127.0.0.1:{app.port}/audio", authorization_bearer_token="s3cret"
        )
        session = space.media(stream.sid).wait_until_ended()
    assert session.state == "failed" and session.error == sw.StreamError.CONNECTION_REFUSED
    assert session.error_detail is not None and "0.0.0.0" in session.error_detail
    assert [request.path for request in app.received] == ["/audio"]


# -- a receiver that never answers ------------------------------------------------------------------------------


@pytest.mark.slow  # waits out the space's close grace by design (make quick skips it)
def test_leaving_the_space_cuts_a_callback_receiver_that_never_answers_and_records_every_callback() -> None:
    with ScriptedServer(lambda request: Reply(hang=True)) as receiver:
        with FakeSpace() as space, space.client() as client:
            for name in ("a", "b", "c"):
                client.calls(CALL).streams.create(url=WSS, name=name, status_callback=f"{receiver.url}/status")
                client.calls(CALL).streams(name).stop()
            sender = [thread for thread in threading.enumerate() if thread.name == "FakeSpace-callbacks"]
        assert sender and not any(thread.is_alive() for thread in sender)
    deliveries = space.deliveries
    assert [d.form["StreamEvent"] for d in deliveries] == ["stream-started", "stream-stopped"] * 3
    assert all(d.status == 0 for d in deliveries)
    first, *rest = deliveries
    assert first.error == "no answer: the FakeSpace stopped while the receiver kept it waiting"
    assert {d.error for d in rest} <= {first.error, "not sent: the FakeSpace stopped first"}


# -- a client that gives up before the answer ---------------------------------------------------------------------


@pytest.mark.slow  # waits out a timeout by design (make quick skips it)
def test_a_client_that_times_out_before_its_answer_leaves_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    with FakeSpace() as space:
        streams = [space.add_call_stream(), space.add_call_stream()]
        space.latency = 0.5  # the answers are written after the client has given up and closed the connection
        with space.client(timeout=0.05, max_retries=0) as client:
            for stream in streams:
                with pytest.raises(sw.APITimeoutError):
                    client.calls(stream.parent_sid).streams(stream.sid).stop()
    _, err = capfd.readouterr()
    assert err == ""
    assert [request.status for request in space.requests] == [200, 200]  # carried out, unheard


@pytest.mark.parametrize("port", [70000, -1, True, "8080"])
def test_a_port_that_is_not_one_is_refused_before_anything_starts(port: object) -> None:
    with pytest.raises(ValueError, match="port must be from 0"):
        FakeSpace(port=port)  # type: ignore[arg-type]
