"""FakeSpace refuses what it cannot do before anything starts or is sent: a clock it cannot keep, a second
start, an incoming call it would not place, a key a stream cannot carry, a stream it never had; and it
refuses a redirect of a call still ringing as SignalWire does."""

from __future__ import annotations

import socket
import ssl

import pytest

import signalwire_compat as sw
from signalwire_compat import media
from signalwire_compat.testing import FakeSpace, ManualClock, RealClock
from tests.fake.media_app import MediaApp

CALL = "1c4a6c7e-0000-4a4a-8b8b-222222222222"
UNKNOWN = "5d1c7e2a-0000-4000-8000-00000000dead"


@pytest.mark.parametrize("speed", [0, -1, 10_001, True, "2"])
def test_a_speed_the_space_cannot_keep_is_refused_before_it_starts(speed: object) -> None:
    with pytest.raises(ValueError, match="speed must be a number above 0 and at most 10000"):
        FakeSpace(speed=speed)  # type: ignore[arg-type]


def test_speed_and_a_clock_together_are_refused_and_only_a_manual_clock_is_moved_by_hand() -> None:
    with pytest.raises(ValueError, match="give speed or clock, not both"):
        FakeSpace(speed=2, clock=ManualClock())
    with FakeSpace(listen=False, speed=2.5) as space:
        with pytest.raises(RuntimeError, match=r"advance\(\) needs FakeSpace\(clock=ManualClock\(\)\)"):
            space.advance(0.02)
    clock = ManualClock()
    for seconds in (-0.02, True, "1"):
        with pytest.raises(ValueError, match="seconds must be a number >= 0"):
            clock.advance(seconds)  # type: ignore[arg-type]
    clock.advance(0.5)
    assert (repr(clock), repr(RealClock(2.5))) == ("ManualClock(now=0.5)", "RealClock(speed=2.5)")


def test_a_running_space_refuses_a_second_start_and_a_second_stop_is_harmless() -> None:
    space = FakeSpace(listen=False).start()
    try:
        with pytest.raises(RuntimeError, match="this FakeSpace is already running"):
            space.start()
    finally:
        space.stop()
    space.stop()
    context = ssl.create_default_context()
    space.ssl_context = context  # for a wss:// app: what the next streams trust
    assert space.ssl_context is context


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"method": "PUT"}, "method must be GET or POST, got 'PUT'"),
        ({"wait_for_app": -1}, "wait_for_app must be seconds from 0 to 3600, got -1"),
        ({"wait_for_app": 3601}, "wait_for_app must be seconds from 0 to 3600, got 3601"),
        ({"wait_for_app": True}, "wait_for_app must be seconds from 0 to 3600, got True"),
    ],
)
def test_an_incoming_call_the_space_would_not_place_is_refused_before_any_webhook(
    options: dict[str, object], problem: str
) -> None:
    with FakeSpace(listen=False) as space:
        with pytest.raises(ValueError, match=problem):
            space.incoming_call("http://127.0.0.1:9/voice", **options)  # type: ignore[arg-type]
        assert space.calls() == []


def test_a_key_a_stream_cannot_carry_is_refused_and_a_stream_that_ended_takes_none() -> None:
    with (
        FakeSpace(clock=ManualClock()) as space,
        MediaApp(space.signing_key) as app,
        space.client(max_retries=0) as client,
    ):
        created = client.calls(CALL).streams.create(url=app.ws_url)
        session = space.media(created.sid).wait_until_connected()  # a stop before then would cut the upgrade
        connection = app.wait_for_connection()
        for digit, duration, problem in [
            ("x", 250, "digit must be one of 0-9, \\*, #, A-D, got 'x'"),
            ("12", 250, "digit must be one of 0-9, \\*, #, A-D, got '12'"),
            ("1", -1, "duration must be a non-negative int \\(ms\\), got -1"),
            ("1", 2.5, "duration must be a non-negative int \\(ms\\), got 2.5"),
        ]:
            with pytest.raises(ValueError, match=problem):
                session.send_dtmf(digit, duration=duration)
        client.calls(CALL).streams(created.sid).stop()
        session.wait_until_ended()
        with pytest.raises(RuntimeError, match=rf"stream {created.sid} is not connected \(state stopped\)"):
            session.send_dtmf("1")
        with pytest.raises(KeyError):
            space.media(UNKNOWN)
        with pytest.raises(KeyError):
            space.stream_status(UNKNOWN)
        connection.wait_for(lambda ms: any(isinstance(m, media.Stop) for m in ms))
    assert connection.of(media.Dtmf) == []  # nothing refused reached the app


def test_a_call_still_ringing_cannot_be_redirected_as_signalwire_answers_and_can_be_hung_up() -> None:
    with socket.socket() as reserved:
        reserved.bind(("127.0.0.1", 0))  # bound, never listening: the call's webhook is refused, then tried again
        voice_url = f"http://127.0.0.1:{reserved.getsockname()[1]}/voice"
        with FakeSpace(listen=False) as space, space.client(in_process=True, max_retries=0) as client:
            call = space.incoming_call(voice_url, wait_for_app=60)
            with pytest.raises(sw.UnprocessableEntityError) as refused:
                client.calls(call.sid).redirect(url="http://127.0.0.1:9/next")
            ringing = call.status
            ended = client.calls(call.sid).hang_up()
            call.wait_until_ended()
    assert refused.value.code == 21220
    assert "cannot be redirected if it is not in-progress" in str(refused.value)
    assert ringing == "ringing"  # the refused redirect changed nothing
    assert ended is not None and ended.status == "completed" and call.status == "completed"
