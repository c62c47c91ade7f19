"""FakeSpace's awaitable waits (``await_…``, the twin of each blocking ``wait_…``): awaited on the loop the app
under test runs on, they leave it free to answer the webhook and the WebSocket the wait is about."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeCall, FakeSpace, ManualClock, MediaStream
from signalwire_compat.testing._waiting import Changes, await_until


def app_on_this_loop(space: FakeSpace, messages: list[str]) -> web.Application:
    async def voice(request: web.Request) -> web.Response:
        document = cxml.VoiceResponse()
        document.connect().stream(url=f"ws://{request.host}/media", status_callback="/status")
        return web.Response(text=str(document), content_type="text/xml")

    async def status(request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def agent(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            event = media.parse(message.data)
            messages.append(type(event).__name__)
            if isinstance(event, media.Start):
                await ws.send_str(media.mark_message(event.stream_sid, "hello"))
        return ws

    app = web.Application()
    app.add_routes([web.post("/voice", voice), web.post("/status", status), web.get("/media", agent)])
    return app


async def a_whole_call(space: FakeSpace, messages: list[str]) -> tuple[FakeCall, MediaStream]:
    runner = web.AppRunner(app_on_this_loop(space, messages))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        call = space.incoming_call(f"http://127.0.0.1:{runner.addresses[0][1]}/voice")
        (stream,) = await call.await_for_streams(1)
        session = await space.media(stream.sid).await_until_connected()
        await session.await_for_frames(10)
        assert await session.await_for_marks(1) == ["hello"]
        assert len(await session.await_for_app_messages(1)) == 1
        call.hangup()
        await session.await_until_ended()
        await call.await_until_ended()
        deliveries = await space.await_for_deliveries(2)
        assert [d.form["StreamEvent"] for d in deliveries] == ["stream-started", "stream-stopped"]
        return call, session
    finally:
        await runner.cleanup()


def test_every_wait_awaited_on_the_apps_own_loop_leaves_the_app_free_to_answer() -> None:
    messages: list[str] = []
    with FakeSpace(speed=50) as space:
        call, session = asyncio.run(a_whole_call(space, messages))
    assert (call.status, session.state) == ("completed", "stopped")
    assert messages[:2] == ["Connected", "Start"] and messages[-1] == "Stop"


def test_an_awaited_wait_times_out_in_real_time_naming_what_did_not_happen() -> None:
    with FakeSpace(clock=ManualClock(), listen=False) as space:
        call = space.incoming_call("http://127.0.0.1:9/voice")  # nothing listens: the call fails
        asyncio.run(call.await_until_ended())
        assert call.status == "failed"
        with pytest.raises(TimeoutError, match=r"fewer than 3 streams started within 0\.05 s"):
            asyncio.run(call.await_for_streams(3, timeout=0.05))


def test_a_cancelled_await_is_forgotten_and_a_notice_wakes_the_awaiting_loop_from_another_thread() -> None:
    changes = Changes()
    state = {"done": False}

    async def scenario() -> None:
        waiter = asyncio.create_task(await_until(changes, lambda: state["done"], 5, lambda: "late"))
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert not changes._awaiting  # nothing left for the next notice to wake

        def finish() -> None:
            with changes:
                state["done"] = True
                changes.notify_all()

        waiting = asyncio.create_task(await_until(changes, lambda: state["done"], 5, lambda: "late"))
        await asyncio.sleep(0)
        await asyncio.to_thread(finish)
        await waiting

    asyncio.run(scenario())
