"""The media session's conformance suite: one voice agent (tests/sdk/agent_servers.py) behind each adapter
(aiohttp, Starlette/FastAPI on uvicorn, websockets), called by FakeSpace over loopback.

Timing follows FakeSpace's clock: a sped-up one, or a ManualClock the test moves frame by frame.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeCall, FakeSpace, ManualClock, MediaStream
from tests.sdk.agent_servers import SERVERS, TOKEN, Agent

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
    server_type: Any, agent: Agent, *, clock: ManualClock | None = None, bearer_in_cxml: str = TOKEN
) -> Iterator[tuple[FakeSpace, FakeCall, MediaStream]]:
    with server_type(agent) as server:
        options: dict[str, Any] = {"clock": clock} if clock is not None else {"speed": FAST}
        with FakeSpace(callback_app=voice_app(server.ws_url, bearer_in_cxml), **options) as space:
            call = space.incoming_call(VOICE_URL)
            (stream,) = call.wait_for_streams(1)
            yield space, call, space.media(stream.sid)


def app_media_bytes(stream: MediaStream) -> int:
    return len(stream.received_audio)


@pytest.fixture(params=SERVERS, ids=[server.name for server in SERVERS])
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
        for step in range(1, 61):  # 1.2 s, frame by frame: the agent keeps ahead of what plays
            _wait_for_audio(stream, step * 20 * BYTES_PER_MS)
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
