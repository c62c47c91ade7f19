"""The media session's conformance suite: one voice agent (tests/sdk/agent_servers.py) behind each adapter
(aiohttp, Starlette/FastAPI on uvicorn, websockets), called by FakeSpace over loopback.

Timing follows FakeSpace's clock: a sped-up one, or a ManualClock the test moves frame by frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import signalwire_compat as sw
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeCall, FakeSpace, ManualClock, MediaStream
from tests.sdk.agent_servers import SERVER_PARAMS, TOKEN, Agent, AiohttpServer, WebsocketsServer

VOICE_URL = "http://agent.test/voice"
BYTES_PER_MS = 8  # PCMU at 8 kHz
FAST = 20.0


def voice_app(ws_url: str, token: str) -> Callable[..., Any]:
    """The agent's voice webhook (in-process, a WSGI app): connect the call to its WebSocket."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        response = cxml.VoiceResponse()
        response.connect().stream(url=ws_url, auth_bearer_token=token)
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [str(response).encode()]

    return app


@contextlib.contextmanager
def call_agent(
    server_type: Any,
    agent: Agent,
    *,
    clock: ManualClock | None = None,
    bearer_in_cxml: str = TOKEN,
    client: bool = False,  # give the agent an AsyncClient of the space, for its hang-up
) -> Iterator[tuple[FakeSpace, FakeCall, MediaStream]]:
    with server_type(agent) as server:
        options: dict[str, Any] = {"clock": clock} if clock is not None else {"speed": FAST}
        with FakeSpace(callback_app=voice_app(server.ws_url, bearer_in_cxml), **options) as space:
            agent.client = space.async_client() if client else None
            try:
                call = space.incoming_call(VOICE_URL)
                (stream,) = call.wait_for_streams(1)
                yield space, call, space.media(stream.sid)
            finally:
                if agent.client is not None:
                    asyncio.run(agent.client.aclose())


def app_media_bytes(stream: MediaStream) -> int:
    return len(stream.received_audio)


@pytest.fixture(params=SERVER_PARAMS)
def server_type(request: pytest.FixtureRequest) -> Any:
    return request.param


def test_the_greeting_plays_whole_and_resolves_as_played_after_its_last_frame(server_type: Any) -> None:
    agent = Agent(greeting_seconds=0.5)
    with call_agent(server_type, agent) as (_, call, stream):
        (record,) = agent.wait(lambda rs: bool(rs) and rs[0].greeting is not None)
        marks = stream.marks_echoed
        heard = app_media_bytes(stream)
        call.hangup()
        agent.wait(lambda rs: rs[0].ended is not None)
    assert record.greeting == media.Played(played_ms=500, duration_ms=500)
    assert heard == 500 * BYTES_PER_MS  # 16 kHz resampled to the stream's 8 kHz, nothing lost or added
    assert marks and marks[-1].endswith(f":{heard}")  # Played came from the mark after the last frame
    assert record.start.media_format == media.MediaFormat("audio/x-mulaw", 8000, 1)
    assert record.audio > 0 and record.audio_rates == {8000}


def test_a_clear_mid_play_resolves_as_cleared_with_what_the_caller_heard(server_type: Any) -> None:
    clock = ManualClock()
    agent = Agent(greeting_seconds=2.0)
    with call_agent(server_type, agent, clock=clock) as (space, call, stream):
        stream.wait_until_connected()
        agent.wait(lambda rs: bool(rs))
        for step in range(1, 61):  # 1.2 s, frame by frame: the agent keeps ahead of what plays...
            _wait_for_audio(stream, step * 20 * BYTES_PER_MS)
            # ...by at most its documented lead (one frame of slack: a frame may be on its way)
            assert len(stream.received_audio) <= ((step - 1) * 20 + media.LEAD_MS + 20) * BYTES_PER_MS
            space.advance(0.02)
        _wait_for_audio(stream, 1220 * BYTES_PER_MS)
        stream.send_dtmf("1")  # the caller talks over the greeting: the agent clears
        (record,) = agent.wait(lambda rs: rs[0].greeting is not None)
        messages = wait_for_app(stream, lambda ms: any(isinstance(m, media.AppClear) for m in ms))
        call.hangup()
        agent.wait(lambda rs: rs[0].ended is not None)
    assert isinstance(record.greeting, media.Cleared)
    # FakeSpace's player had played 1.2 s when the clear came: its clock moved 1.2 s with audio always queued.
    assert abs(record.greeting.played_ms - 1200) <= 20, record.greeting
    assert record.greeting.duration_ms == 2000
    assert any(isinstance(message, media.AppClear) for message in messages)


def wait_for_app(stream: MediaStream, done: Callable[[list[media.AppMessage]], bool]) -> list[media.AppMessage]:
    """Until what the app sent satisfies ``done`` (each wait is FakeSpace's, for one more message)."""
    count = len(stream.app_messages)
    for _ in range(100_000):
        messages = stream.wait_for_app_messages(count)
        if done(messages):
            return messages
        count = len(messages) + 1
    raise AssertionError("the app sent too many messages")


def _wait_for_audio(stream: MediaStream, size: int) -> None:
    wait_for_app(stream, lambda _: len(stream.received_audio) >= size)


def test_dtmf_from_the_caller_reaches_the_agent_and_the_agents_digits_reach_the_call(server_type: Any) -> None:
    agent = Agent(greeting_seconds=0.1)
    with call_agent(server_type, agent) as (_, call, stream):
        stream.wait_until_connected().send_dtmf("2")
        messages = wait_for_app(stream, lambda ms: len([m for m in ms if isinstance(m, media.AppDtmf)]) >= 3)
        call.hangup()
        (record,) = agent.wait(lambda rs: bool(rs) and rs[0].ended is not None)
    assert record.digits == ["2"]
    assert [m.digit for m in messages if isinstance(m, media.AppDtmf)] == ["1", "2", "#"]
    assert {m.stream_sid for m in messages} == {record.start.stream_sid}


def test_a_wrong_bearer_is_refused_with_401_before_the_upgrade(server_type: Any) -> None:
    agent = Agent()
    with call_agent(server_type, agent, bearer_in_cxml="not-the-token") as (_, call, stream):
        with pytest.raises(RuntimeError, match="could not connect"):
            stream.wait_until_connected()
        call.hangup()
    assert stream.error == sw.StreamError.CONNECTION_REFUSED
    assert stream.error_detail is not None and "401" in stream.error_detail
    assert agent.records == []  # the agent never ran


def test_a_websockets_handler_reached_without_process_request_closes_a_wrong_bearer_with_1008() -> None:
    agent = Agent()

    def unguarded(agent: Agent) -> WebsocketsServer:
        return WebsocketsServer(agent, check_before_upgrade=False)

    with call_agent(unguarded, agent, clock=ManualClock(), bearer_in_cxml="not-the-token") as (_, call, stream):
        stream.wait_until_ended()
        call.hangup()
    assert stream.frames_sent <= 1 and stream.app_messages == []  # closed before any audio was answered
    assert agent.records == []


def test_a_caller_who_hangs_up_first_ends_the_session_cleanly_and_clears_the_pending_play(server_type: Any) -> None:
    agent = Agent(greeting_seconds=30.0)
    with call_agent(server_type, agent, clock=ManualClock()) as (space, call, stream):
        wait_for_app(stream, lambda ms: len(ms) >= 5)  # the greeting is playing
        space.advance(0.1)
        _wait_for_audio(stream, 300 * BYTES_PER_MS)
        call.hangup()
        (record,) = agent.wait(lambda rs: bool(rs) and rs[0].tasks_left is not None)
    assert record.ended is not None and record.ended.reason == media.EndReason.STOPPED
    assert isinstance(record.ended.stop, media.Stop)
    assert record.greeting == media.Cleared(played_ms=100, duration_ms=30_000)
    assert record.tasks_left == 0  # leaving the block left no task behind


@pytest.mark.slow  # counts the process's threads and descriptors: alone in its worker is best
def test_nothing_is_left_running_once_the_call_and_the_server_are_over(server_type: Any) -> None:
    gc.collect()
    threads, descriptors = set(threading.enumerate()), _open_descriptors()
    agent = Agent(greeting_seconds=0.2)
    with call_agent(server_type, agent) as (_, call, stream):
        stream.wait_until_connected().send_dtmf("1")
        agent.wait(lambda rs: bool(rs) and rs[0].digits == ["1"])
        call.hangup()
        agent.wait(lambda rs: rs[0].tasks_left is not None)
    gc.collect()
    assert set(threading.enumerate()) <= threads
    assert _open_descriptors() <= descriptors
    assert agent.records[0].tasks_left == 0


def _open_descriptors() -> int:
    return len(os.listdir(f"/proc/{os.getpid()}/fd"))


def test_hang_up_after_playout_ends_the_call_over_rest_once_and_only_after_the_goodbyes_last_frame_played() -> None:
    clock = ManualClock()  # the test plays the call frame by frame: nothing is heard before the clock says so
    agent = Agent(greeting_seconds=0.2)
    seen: list[tuple[float, int]] = []  # when FakeSpace got the hang-up: its clock, the app's audio received
    with call_agent(AiohttpServer, agent, clock=clock, client=True) as (space, call, stream):
        answer = space._answer

        def recording(method: str, path: str, headers: Any, body: bytes) -> Any:
            if method == "POST" and path.endswith(f"/Calls/{call.sid}"):
                seen.append((clock.now(), len(stream.received_audio)))
            return answer(method, path, headers, body)

        space._answer = recording  # type: ignore[method-assign]
        began = clock.now()
        stream.wait_until_connected().send_dtmf("3")  # the agent queues its goodbye behind the greeting, hangs up
        agent.wait(lambda rs: bool(rs) and rs[0].digits == ["3"])
        for step in range(1, 26):  # 500 ms of greeting and goodbye, 20 ms at a time
            _wait_for_audio(stream, min(step * 20, 500) * BYTES_PER_MS)
            space.advance(0.02)
        for _ in range(5):  # FakeSpace's player may start the goodbye a tick late: a few more, tick by tick
            if seen:
                break
            frames = stream.frames_sent
            space.advance(0.02)
            stream.wait_for_frames(frames + 1)
        (record,) = agent.wait(lambda rs: rs[0].ended is not None)
        call.wait_until_ended()
    assert record.goodbye == media.Played(played_ms=300, duration_ms=300)
    ((when, audio),) = seen  # one REST request...
    assert audio == 500 * BYTES_PER_MS  # ...once all of it had been sent...
    assert when - began >= 0.5  # ...and played: FakeSpace's clock had passed the goodbye's last frame
    (hang_up,) = [r for r in space.requests if r.path.endswith(f"/Calls/{call.sid}")]
    assert (hang_up.form, hang_up.status) == ({"Status": ["completed"]}, 200)
    assert call.status == "completed" and call.verbs == ["Connect"]  # ended by the hang-up, in <Connect>
    assert record.hang_up_error is None and record.ended is not None


def test_a_caller_who_hangs_up_first_ends_the_session_and_hang_up_still_succeeds() -> None:
    clock = ManualClock()  # nothing plays until the test moves the clock: the goodbye is still queued
    agent = Agent(greeting_seconds=0.2)
    with call_agent(AiohttpServer, agent, clock=clock, client=True) as (space, call, stream):
        stream.wait_until_connected().send_dtmf("3")  # the agent queues its goodbye and waits for it to play
        agent.wait(lambda rs: bool(rs) and rs[0].digits == ["3"])
        call.hangup()  # the caller is gone first
        (record,) = agent.wait(lambda rs: rs[0].ended is not None)
    assert record.hang_up_error is None  # the call had ended: that counts as hung up
    assert isinstance(record.goodbye, media.Cleared) and record.ended is not None  # nothing of it played
    (hang_up,) = [r for r in space.requests if r.path.endswith(f"/Calls/{call.sid}")]
    assert hang_up.form == {"Status": ["completed"]} and hang_up.status == 422  # not in progress: done
    assert call.status == "completed"


def test_hang_up_without_a_client_is_refused_before_anything_is_sent() -> None:
    agent = Agent(greeting_seconds=0.1)
    with call_agent(AiohttpServer, agent) as (_, call, stream):
        stream.wait_until_connected().send_dtmf("3")
        (record,) = agent.wait(lambda rs: bool(rs) and rs[0].hang_up_error is not None)
        call.hangup()
    assert record.hang_up_error is not None and "hang_up needs the REST client" in record.hang_up_error


def test_a_websocket_closed_without_a_stop_ends_the_session_as_closed_with_the_peers_close_code(
    server_type: Any,
) -> None:
    from websockets.sync.client import connect

    agent = Agent(greeting_seconds=5.0)
    start = media.signalwire_start(
        stream_sid="0b7c2d6e-0000-4000-8000-000000000001",
        account_sid="0b7c2d6e-0000-4000-8000-000000000002",
        call_sid="0b7c2d6e-0000-4000-8000-000000000003",
    )
    with server_type(agent) as server:
        with connect(server.ws_url, additional_headers={"Authorization": f"Bearer {TOKEN}"}) as websocket:
            websocket.send(media.signalwire_connected())
            websocket.send(start)
            agent.wait(lambda rs: bool(rs))  # the session started: the agent is greeting
            websocket.close(1001)  # SignalWire going away, with no stop first
        (record,) = agent.wait(lambda rs: bool(rs) and rs[0].tasks_left is not None)
    assert record.ended == media.Ended(media.EndReason.CLOSED, None, 1001)
    assert isinstance(record.greeting, media.Cleared)  # what was still to play never will
    assert record.tasks_left == 0
