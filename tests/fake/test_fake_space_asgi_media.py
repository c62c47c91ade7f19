"""An ASGI app's own stream URLs are opened in-process (the ASGI ``websocket`` scope on the app's loop): a FastAPI
voice agent on the SDK's media session runs its whole call with no port and no server."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response, WebSocket
from starlette.websockets import WebSocketDisconnect

import signalwire_compat as sw
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeSpace, ManualClock, MediaStream

KEY = "PSK_" + "0123456789abcdef" * 2
BEARER = "a-long-random-bearer-token"
APP = "https://agent.example.com"


def agent(record: dict[str, Any], *, bearer_in_cxml: str = BEARER) -> FastAPI:
    """The voice agent of docs/voice-agent.md: a 3 s greeting, cleared when the caller presses a key."""
    app = FastAPI()
    record.update(events=[], outcomes=[], digits=[], done=threading.Event())

    @app.post("/voice")
    async def voice(request: Request) -> Response:
        sw.webhooks.verify_request(KEY, request=request, body=await request.body())
        response = cxml.VoiceResponse()
        response.connect().stream(
            url=f"wss://{request.url.hostname}/media", auth_bearer_token=bearer_in_cxml, status_callback="/status"
        )
        return Response(str(response), media_type="text/xml")

    @app.post("/status")
    async def status(request: Request) -> Response:
        callback = sw.webhooks.stream_status_from_request(KEY, request=request, body=await request.body())
        record["events"].append(callback.event)
        return Response(status_code=204)

    @app.websocket("/media")
    async def media_socket(websocket: WebSocket) -> None:
        async with media.session(websocket, bearer=BEARER, client=record.get("client")) as session:
            greeting = session.play(media.ulaw_to_pcm16(bytes([0x10]) * 8000 * 3), rate=8000)
            async for event in session:
                if isinstance(event, media.Dtmf):
                    record["digits"].append(event.digit)
                    await session.clear()  # barge-in
                    record["outcomes"].append(await greeting)
            record["ended"] = session.ended
        record["done"].set()

    return app


def step_to(space: FakeSpace, stream: MediaStream, seconds: float) -> None:
    """Move the ManualClock on ``seconds``, frame by frame, each step once the agent has kept its audio ahead."""
    first = stream.frames_sent
    for step in range(first, first + round(seconds / 0.02)):
        stream.wait_for_frames(step)
        size = min(step * 20, 1500) * 8  # the agent keeps ahead of what plays (until the key press clears it)
        for _ in range(1000):
            if len(stream.received_audio) >= size:
                break
            stream.wait_for_app_messages(len(stream.app_messages) + 1)  # PCMU: 8 bytes a ms
        space.advance(0.02)


def test_a_fastapi_agent_takes_a_whole_call_in_process_barge_in_at_a_scripted_key_press() -> None:
    record: dict[str, Any] = {}
    app = agent(record)
    with FakeSpace(listen=False, clock=ManualClock(), signing_key=KEY, callback_app=app, callback_app_url=APP) as space:
        record["client"] = space.async_client(in_process=True)  # what the agent would hang up with
        call = space.incoming_call(f"{APP}/voice")
        call.press("#", at=1.5)
        call.hang_up(at=2.0)
        (stream,) = call.wait_for_streams(1)
        session = space.media(stream.sid).wait_until_connected()
        step_to(space, session, 1.5)  # the key goes with the frame due at 1.5 s...
        while not any(isinstance(m, media.AppClear) for m in session.app_messages):  # ...and the agent clears
            session.wait_for_app_messages(len(session.app_messages) + 1)
        step_to(space, session, 0.5)
        call.wait_until_ended()
        session.wait_until_ended()
        deliveries = space.wait_for_deliveries(2)
        assert record["done"].wait(5)
    assert (call.status, record["digits"]) == ("completed", ["#"])
    (outcome,) = record["outcomes"]
    assert isinstance(outcome, media.Cleared) and abs(outcome.played_ms - 1500) <= 20, outcome
    assert record["events"] == [sw.StreamEvent.STARTED, sw.StreamEvent.STOPPED]
    assert [d.status for d in deliveries] == [204, 204]
    assert record["ended"].reason == "stopped"
    assert session.settings.url == "wss://agent.example.com/media"


@pytest.mark.parametrize(
    ("bearer", "path", "detail"),
    [
        ("wrong-bearer-token", "/media", "the app refused the upgrade: HTTP 401"),  # the denial-response extension
        (BEARER, "/nowhere", "closed the WebSocket before accepting it (code 1000)"),  # Starlette: no such route
    ],
)
def test_an_upgrade_the_app_refuses_in_process_is_a_connection_refused_stream_error(
    bearer: str, path: str, detail: str
) -> None:
    document = cxml.VoiceResponse()
    document.connect().stream(url=f"wss://agent.example.com{path}", auth_bearer_token=bearer, status_callback="/status")
    record: dict[str, Any] = {}
    app = agent(record)

    @app.post("/refused")
    async def voice() -> Response:
        return Response(str(document), media_type="text/xml")

    with FakeSpace(listen=False, speed=50, signing_key=KEY, callback_app=app, callback_app_url=APP) as space:
        call = space.incoming_call(f"{APP}/refused").wait_until_ended()
        session = space.media(call.streams[0].sid).wait_until_ended()
        space.wait_for_deliveries(1)
    assert (session.state, session.error) == ("failed", sw.StreamError.CONNECTION_REFUSED)
    assert session.error_detail is not None and detail in session.error_detail
    assert record["events"] == [sw.StreamEvent.ERROR]


def test_an_app_that_closes_its_in_process_websocket_ends_the_stream_and_the_connect() -> None:
    app = FastAPI()
    got: list[str] = []

    @app.post("/voice")
    async def voice() -> Response:
        document = cxml.VoiceResponse()
        document.connect().stream(url="wss://agent.example.com/media")
        return Response(str(document), media_type="text/xml")

    @app.websocket("/media")
    async def media_socket(websocket: WebSocket) -> None:
        got.append(websocket.url.path)
        await websocket.accept()
        try:
            while len(got) < 4:
                got.append(media.parse(await websocket.receive_text()).__class__.__name__)
        except WebSocketDisconnect:
            got.append("disconnected")
        await websocket.close(1000)

    with FakeSpace(listen=False, speed=50, callback_app=app) as space:  # no callback_app_url: every URL not loopback
        call = space.incoming_call("https://agent.example.com/voice").wait_until_ended()
        session = space.media(call.streams[0].sid).wait_until_ended()
    assert got == ["/media", "Connected", "Start", "Media"]
    assert (call.status, session.state, session.error) == ("completed", "stopped", None)
