"""FakeSpace(callback_app=...): status callbacks and voice webhooks delivered in-process to a Flask (WSGI) or
FastAPI/Starlette (ASGI) app, signed as over HTTP, so an app is tested with no port; a loopback stream URL
still gets a socket (an ASGI app's own stream URLs go to it in-process: test_fake_space_asgi_media.py)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI, Request, Response

import signalwire_compat as sw
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeSpace
from tests.fake.media_app import MediaApp
from tests.servers import CallbackReceiver

if TYPE_CHECKING:
    from flask import Flask

CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
WSS = "wss://media.example.com/audio"
APP = "https://app.example.com"  # the app's public URL: never contacted, the fake hands requests to the app
KEY = "PSK_" + "0123456789abcdef" * 2  # the signing key the app is configured with


def flask_app(signing_key: str, received: list[sw.StreamStatusCallback]) -> Flask:
    from flask import Flask  # here: every worker collects this module, few run a Flask app
    from flask import request as flask_request

    app = Flask(__name__)

    @app.post("/stream-status")
    def stream_status() -> tuple[str, int]:
        if not sw.webhooks.validate_request(signing_key, request=flask_request):
            return "bad signature", 403
        received.append(sw.webhooks.stream_status_from_request(signing_key, request=flask_request))
        return "", 204

    @app.post("/broken")
    def broken() -> str:
        raise RuntimeError("the handler failed")

    return app


def fastapi_app(signing_key: str, received: list[sw.StreamStatusCallback], answer: str) -> FastAPI:
    app = FastAPI()

    @app.api_route("/voice", methods=["GET", "POST"])
    async def voice(request: Request) -> Response:
        if not sw.webhooks.validate_request(signing_key, request=request, body=await request.body()):
            return Response(status_code=403)
        return Response(answer, media_type="text/xml")

    @app.post("/stream-status")
    async def stream_status(request: Request) -> Response:
        body = await request.body()
        received.append(sw.webhooks.stream_status_from_request(signing_key, request=request, body=body))
        return Response(status_code=204)

    @app.post("/broken")
    async def broken() -> Response:
        raise RuntimeError("the handler failed")

    return app


def test_a_flask_app_gets_signed_status_callbacks_in_process_with_no_port_anywhere() -> None:
    received: list[sw.StreamStatusCallback] = []
    with FakeSpace(listen=False, signing_key=KEY, callback_app=flask_app(KEY, received)) as space:
        with space.client(in_process=True) as client:
            started = client.calls(CALL).streams.create(url=WSS, name="agent", status_callback=f"{APP}/stream-status")
            client.calls(CALL).streams("agent").stop()
        deliveries = space.wait_for_deliveries(2)
    assert [(d.status, d.error) for d in deliveries] == [(204, None), (204, None)]
    assert [d.url for d in deliveries] == [f"{APP}/stream-status"] * 2
    assert [c.event for c in received] == [sw.StreamEvent.STARTED, sw.StreamEvent.STOPPED]
    assert received[0].stream_sid == started.sid and received[0].stream_name == "agent"


def test_a_fastapi_app_answers_the_voice_webhook_in_process_and_gets_its_streams_callbacks() -> None:
    document = cxml.VoiceResponse()
    document.start().stream(url=WSS, name="caller", status_callback="/stream-status").parameter("Lang", "en")
    document.pause(length=1)
    received: list[sw.StreamStatusCallback] = []
    app = fastapi_app(KEY, received, str(document))
    # Under callback_app_url, the app's; media.example.com is not: its stream is never connected to.
    with FakeSpace(listen=False, speed=50, signing_key=KEY, callback_app=app, callback_app_url=APP) as space:
        call = space.incoming_call(f"{APP}/voice", from_="+15550001111")
        call.wait_until_ended()
        deliveries = space.wait_for_deliveries(2)
    assert (call.status, call.error, call.verbs) == ("completed", None, ["Start", "Pause"])
    assert [d.url for d in deliveries] == [f"{APP}/stream-status"] * 2  # resolved against the webhook's URL
    assert [(d.status, d.error) for d in deliveries] == [(204, None), (204, None)]
    assert [c.event for c in received] == [sw.StreamEvent.STARTED, sw.StreamEvent.STOPPED]
    assert received[0].call_sid == call.sid and received[0].track == "inbound_track"


def test_a_starlette_app_gets_a_get_webhook_with_its_signed_query() -> None:
    document = str(cxml.VoiceResponse().hangup())
    with FakeSpace(listen=False, signing_key=KEY, callback_app=fastapi_app(KEY, [], document)) as space:
        call = space.incoming_call(f"{APP}/voice?tenant=7", method="GET").wait_until_ended()
    assert (call.status, call.error, call.verbs) == ("completed", None, ["Hangup"])


def test_an_in_process_webhook_still_streams_audio_to_a_loopback_websocket() -> None:
    received: list[sw.StreamStatusCallback] = []
    with MediaApp("unused") as media_app:
        document = cxml.VoiceResponse()
        document.connect().stream(url=media_app.ws_url, name="audio", status_callback="/stream-status")
        app = fastapi_app(KEY, received, str(document))
        with FakeSpace(listen=False, speed=50, signing_key=KEY, callback_app=app) as space:
            call = space.incoming_call(f"{APP}/voice")
            (stream,) = call.wait_for_streams(1)
            space.media(stream.sid).wait_for_frames(50)
            with space.client(in_process=True) as client:
                client.calls(call.sid).streams("audio").stop()
            call.wait_until_ended()
            space.wait_for_deliveries(2)
        connection = media_app.wait_for_connection()
    assert len(connection.of(media.Media)) >= 50
    assert isinstance(connection.messages[-1], media.Stop)
    assert [c.event for c in received] == [sw.StreamEvent.STARTED, sw.StreamEvent.STOPPED]


def test_only_urls_under_callback_app_url_go_to_the_app_the_rest_go_over_http_to_loopback() -> None:
    received: list[sw.StreamStatusCallback] = []
    app = flask_app(KEY, received)
    with CallbackReceiver() as receiver, FakeSpace(signing_key=KEY, callback_app=app, callback_app_url=APP) as space:
        with space.client(in_process=True) as client:
            client.calls(CALL).streams.create(url=WSS, name="in", status_callback=f"{APP}/stream-status")
            client.calls(CALL).streams.create(url=WSS, name="out", status_callback=f"{receiver.url}/status")
            client.calls(CALL).streams.create(url=WSS, name="far", status_callback="https://other.example.com/s")
            # a look-alike host is not under the app's URL
            client.calls(CALL).streams.create(url=WSS, name="like", status_callback=f"{APP}.evil.com/s")
        deliveries = space.wait_for_deliveries(4)
        with pytest.raises(ValueError, match="loopback addresses"):
            space.incoming_call("https://other.example.com/voice")
    by_name = {d.form["StreamName"]: d for d in deliveries}
    assert by_name["in"].status == 204 and len(received) == 1
    assert by_name["out"].status == 204 and len(receiver.received) == 1
    assert by_name["far"].status == 0 and "loopback" in (by_name["far"].error or "")
    assert by_name["like"].status == 0


@pytest.mark.parametrize("kind", ["flask", "fastapi"])
def test_an_app_that_fails_is_recorded_on_the_delivery_and_fails_the_call(kind: str) -> None:
    app: Any = flask_app(KEY, []) if kind == "flask" else fastapi_app(KEY, [], "")
    with FakeSpace(listen=False, signing_key=KEY, callback_app=app) as space:
        with space.client(in_process=True) as client:
            client.calls(CALL).streams.create(url=WSS, status_callback=f"{APP}/broken")
        (delivery,) = space.wait_for_deliveries(1)
        call = space.incoming_call(f"{APP}/broken").wait_until_ended()
    assert (delivery.status, call.status) == (500, "failed")
    if kind == "flask":  # Flask answers 500 itself
        assert delivery.error is None
        assert call.error == "the voice webhook answered HTTP 500"
    else:  # Starlette answers 500 and raises again, as under a server: the fake records what was raised
        assert delivery.error == "the app raised RuntimeError: the handler failed"
        assert call.error == "the voice webhook failed: the app raised RuntimeError: the handler failed"


def test_callback_app_must_be_callable_and_its_url_an_http_origin() -> None:
    with pytest.raises(TypeError, match="WSGI or ASGI application"):
        FakeSpace(callback_app="app")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="callback_app_url"):
        FakeSpace(callback_app=_raises, callback_app_url="testserver")


def _raises(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    raise RuntimeError("the handler failed")


def _never_starts(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    return [b"<Response/>"]


def _never_ends(environ: dict[str, Any], start_response: Any) -> Any:
    start_response("200 OK", [("Content-Type", "text/xml")])
    return itertools.repeat(b"<!-- padding -->" * 4096)  # the space must stop reading past its limit


async def _asgi_never_starts(scope: dict[str, Any], receive: Any, send: Any) -> None:
    return None


@pytest.mark.parametrize(
    ("app", "error"),
    [
        (_raises, "the voice webhook failed: the app raised RuntimeError: the handler failed"),
        (_never_starts, "the voice webhook failed: the app returned without calling start_response"),
        (_asgi_never_starts, "the voice webhook failed: the app returned without sending http.response.start"),
        (_never_ends, "the cXML document is larger than 1048576 bytes"),
    ],
    ids=["WSGI raises", "WSGI never starts", "ASGI never starts", "WSGI never ends"],
)
def test_an_app_that_breaks_the_gateway_interface_fails_the_call_saying_how(app: Any, error: str) -> None:
    with FakeSpace(listen=False, callback_app=app) as space:
        call = space.incoming_call(f"{APP}/voice").wait_until_ended()
    assert (call.status, call.error) == ("failed", error)
    assert call.verbs == []
