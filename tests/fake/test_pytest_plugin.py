"""The pytest plugin's fixtures (active here as in any project that installed the package): ``fake_space`` with
``@pytest.mark.fake_space(...)`` options, ``async_fake_space`` for async tests, ``serve_app`` for an aiohttp or
an ASGI app on loopback. tests/packaging/test_pytest_plugin_project.py runs them from a project of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from fastapi import FastAPI, Response, WebSocket

from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeSpace, ManualClock


def hang_up_on_a_key(request_host: str) -> str:
    document = cxml.VoiceResponse()
    document.connect().stream(url=f"ws://{request_host}/media")
    return str(document)


def aiohttp_agent(digits: list[str]) -> web.Application:
    async def voice(request: web.Request) -> web.Response:
        return web.Response(text=hang_up_on_a_key(request.host), content_type="text/xml")

    async def agent(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            event = media.parse(message.data)
            if isinstance(event, media.Dtmf):
                digits.append(event.digit)
                await ws.close()  # the <Connect> ends, and with it the call
        return ws

    app = web.Application()
    app.add_routes([web.post("/voice", voice), web.get("/media", agent)])
    return app


def fastapi_agent(digits: list[str]) -> FastAPI:
    app = FastAPI()

    @app.post("/voice")
    async def voice() -> Response:
        return Response(hang_up_on_a_key("127.0.0.1:" + str(app.state.port)), media_type="text/xml")

    @app.websocket("/media")
    async def agent(websocket: WebSocket) -> None:
        await websocket.accept()
        while True:
            event = media.parse(await websocket.receive_text())
            if isinstance(event, media.Dtmf):
                digits.append(event.digit)
                await websocket.close()
                return

    return app


@pytest.mark.fake_space(speed=50)
@pytest.mark.parametrize("framework", ["aiohttp", "fastapi on uvicorn"])
def test_fake_space_calls_an_app_serve_app_serves_with_no_server_written_by_hand(
    fake_space: FakeSpace, serve_app: Callable[[Any], str], framework: str
) -> None:
    digits: list[str] = []
    if framework == "aiohttp":
        url = serve_app(aiohttp_agent(digits))
    else:
        app = fastapi_agent(digits)
        url = serve_app(app)
        app.state.port = url.rsplit(":", 1)[1]
    assert fake_space.clock.speed == 50  # type: ignore[attr-defined]
    call = fake_space.incoming_call(f"{url}/voice")
    call.press("#", at=0.1)
    call.wait_until_ended()
    assert (call.status, digits) == ("completed", ["#"])


@pytest.mark.fake_space(clock=ManualClock(), listen=False)
def test_the_marker_gives_fake_space_its_options(fake_space: FakeSpace) -> None:
    assert isinstance(fake_space.clock, ManualClock) and fake_space.running
    assert fake_space.url == "http://127.0.0.1:0"  # listen=False: no socket


def test_serve_app_refuses_what_it_cannot_serve(serve_app: Callable[[Any], str]) -> None:
    with pytest.raises(TypeError, match=r"an aiohttp web\.Application or an ASGI app, not dict"):
        serve_app({})


def test_async_fake_space_stops_off_the_tests_loop_so_an_app_on_it_answers_to_the_end() -> None:
    from signalwire_compat_pytest import _async_fake_space

    digits: list[str] = []

    class Request:
        node = type("Node", (), {"get_closest_marker": staticmethod(lambda name: None)})()

    async def scenario() -> str:
        runner = web.AppRunner(aiohttp_agent(digits))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        spaces = _async_fake_space(Request())  # type: ignore[arg-type]
        space = await spaces.__anext__()
        call = space.incoming_call(f"http://127.0.0.1:{runner.addresses[0][1]}/voice")
        (stream,) = await call.await_for_streams(1)
        await space.media(stream.sid).await_until_connected()
        with pytest.raises(StopAsyncIteration):
            await spaces.__anext__()  # the space stops: it hangs the call up, the app (this loop) sees `stop`
        await runner.cleanup()
        return call.status

    assert asyncio.run(scenario()) == "completed"
