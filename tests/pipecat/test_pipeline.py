"""A pipecat pipeline with the serializer, on pipecat's FastAPI WebSocket transport served by uvicorn, answers
FakeSpace's incoming calls over loopback: the caller's audio reaches the pipeline, the bot's audio reaches the
call, a key press interrupts it with a ``clear``, and the end of the pipeline waits until the goodbye played."""

from __future__ import annotations

from typing import Any

import pytest
from pipecat.audio.dtmf.types import KeypadEntry

from signalwire_compat import media
from signalwire_compat.integrations.pipecat import SignalWireFrameSerializer
from signalwire_compat.testing import FakeCall, FakeSpace, MediaStream, Tone
from tests.pipecat.agent import Agent, Record, Script, served

TONE = Tone(frequency=440.0, level=0.25)  # what FakeSpace's caller says (its default audio)


def chunks(seconds: float, rate: int) -> int:
    """Bytes of 16-bit PCM for ``seconds`` at ``rate``, a whole number of pipecat's 40 ms output chunks."""
    per_chunk = rate * 2 * 40 // 1000
    return round(seconds * 1000 / 40) * per_chunk


def bot_tone(seconds: float, rate: int, frequency: float = 660.0) -> bytes:
    return Tone(frequency=frequency, level=0.5).pcm(rate, 2.0)[: chunks(seconds, rate)]


def run_call(space: FakeSpace, agent: Agent) -> tuple[FakeCall, MediaStream, Record]:
    """Place an incoming call to the agent; its call, the stream's WebSocket session and the agent's record."""
    with served(agent.app) as url:
        call = space.incoming_call(f"{url}/voice")
        (stream,) = call.wait_for_streams(1)
        session = space.media(stream.sid)
        record = agent.wait_for_record()
        call.wait_until_ended(timeout=20)
        record.wait(lambda r: r.finished)
    assert record.error is None, record.error
    return call, session, record


def sent_marks(session: MediaStream) -> list[str]:
    return [message.name for message in session.app_messages if isinstance(message, media.AppMark)]


def test_the_callers_audio_reaches_the_pipeline_and_the_bots_audio_reaches_the_call() -> None:
    greeting = bot_tone(0.4, 8000)
    script = Script(greeting=greeting, end_after_caller_bytes=chunks(0.6, 8000))
    with FakeSpace(audio=TONE) as space:
        call, session, record = run_call(space, Agent(script))
    heard_by_pipeline = bytes(record.caller_pcm)
    # PCMU at 8 kHz into a pipeline at 8 kHz: the caller's tone, decoded, untouched by any resampler.
    expected = media.ulaw_to_pcm16(media.pcm16_to_ulaw(TONE.pcm(8000)))
    assert len(heard_by_pipeline) >= chunks(0.6, 8000)
    assert heard_by_pipeline == expected[: len(heard_by_pipeline)]
    assert record.caller_rates == {8000}
    # The bot's audio, as μ-law, is what FakeSpace received; each chunk followed by its mark.
    assert session.received_audio == media.pcm16_to_ulaw(greeting)
    kinds = [type(message).__name__ for message in session.app_messages]
    assert kinds == ["AppMedia", "AppMark"] * (len(greeting) // chunks(0.04, 8000))
    assert call.status == "completed"


def test_the_end_of_the_pipeline_waits_until_the_caller_heard_everything_sent() -> None:
    # pipecat paces the goodbye at real time, then sends 1 s of silence at once (audio_out_end_silence_secs)
    # and ends: the serializer must keep the WebSocket open until that has played too. FakeSpace plays at 2x
    # (the silence takes 0.5 s), so closing once pipecat has sent it, as pipecat's own serializers do, cuts
    # it off, and the serializer's estimate (1 s after it was sent, plus the margin) comes after its echo.
    goodbye = bot_tone(0.4, 8000)
    params = SignalWireFrameSerializer.InputParams(auto_hang_up=False, playout_margin_secs=0.5)
    script = Script(goodbye=goodbye, end_after_greeting=True, end_silence_secs=1, params=params)
    with FakeSpace(speed=2.0) as space:
        call, session, _ = run_call(space, Agent(script))
    marks = sent_marks(session)
    assert len(marks) == len(goodbye) // chunks(0.04, 8000) + 1  # a mark per chunk, the last after the silence
    assert session.marks_echoed == marks  # all of it played before the WebSocket closed, the silence too
    assert session.received_audio == media.pcm16_to_ulaw(goodbye + bytes(chunks(1.0, 8000)))
    assert call.status == "completed"


def test_a_key_press_interrupts_the_bot_with_a_clear_and_the_goodbye_follows_it() -> None:
    greeting, goodbye = bot_tone(1.6, 8000), bot_tone(0.2, 8000, frequency=880.0)
    script = Script(greeting=greeting, goodbye=goodbye, interrupt_on="1")
    with FakeSpace(audio=TONE) as space, served(Agent(script).app) as url:
        agent_url = f"{url}/voice"
        call = space.incoming_call(agent_url)
        (stream,) = call.wait_for_streams(1)
        session = space.media(stream.sid).wait_until_connected()
        session.wait_for_marks(3)  # the caller has heard 120 ms of the greeting
        session.send_dtmf("1")
        call.wait_until_ended(timeout=20)
    kinds = [type(message).__name__ for message in session.app_messages]
    assert kinds.count("AppClear") == 1
    cleared_at = kinds.index("AppClear")
    before, after = session.app_messages[:cleared_at], session.app_messages[cleared_at + 1 :]
    # The greeting was cut short: the clear came before all of it was sent, and the goodbye followed in full.
    # (pipecat finishes writing the chunk it holds when the interruption comes: at most one 40 ms chunk of
    # the greeting may follow the clear.)
    greeting_sent = b"".join(m.payload for m in before if isinstance(m, media.AppMedia))
    sent_after = b"".join(m.payload for m in after if isinstance(m, media.AppMedia))
    assert 0 < len(greeting_sent) < len(media.pcm16_to_ulaw(greeting))
    assert sent_after.endswith(media.pcm16_to_ulaw(goodbye))
    assert len(sent_after) - len(goodbye) // 2 <= chunks(0.04, 8000) // 2
    # The marks the clear dropped came back at once; the goodbye's played before the end.
    assert session.marks_echoed[-1] == sent_marks(session)[-1]
    assert set(sent_marks(session)) == set(session.marks_echoed)


def test_the_key_press_reaches_the_pipeline_as_a_keypad_entry_and_a_to_d_as_a_transport_message() -> None:
    script = Script(greeting=bot_tone(0.4, 8000), interrupt_on="#")
    agent = Agent(script)
    with FakeSpace() as space, served(agent.app) as url:
        call = space.incoming_call(f"{url}/voice")
        (stream,) = call.wait_for_streams(1)
        session = space.media(stream.sid).wait_until_connected()
        session.send_dtmf("5")
        session.send_dtmf("A")
        session.send_dtmf("#")
        call.wait_until_ended(timeout=20)
    record = agent.wait_for_record().wait(lambda r: r.finished)
    assert record.keys == [KeypadEntry.FIVE, KeypadEntry.POUND]
    dtmf = [m for m in record.messages if m.get("event") == "dtmf"]
    assert [m["dtmf"]["digit"] for m in dtmf] == ["A"]
    assert dtmf[0]["streamSid"] == stream.sid


def test_signalwires_stop_ends_the_pipeline() -> None:
    # No on_client_disconnected handler: only the serializer's EndFrame for `stop` can end the pipeline.
    agent = Agent(Script(greeting=bot_tone(0.2, 8000), cancel_on_disconnect=False))
    with FakeSpace() as space, served(agent.app) as url:
        call = space.incoming_call(f"{url}/voice")
        (stream,) = call.wait_for_streams(1)
        session = space.media(stream.sid).wait_until_connected()
        session.wait_for_frames(5)
        with space.client() as client:
            client.calls(call.sid).streams(stream.sid).stop()
        record = agent.wait_for_record().wait(lambda r: r.finished)
        call.wait_until_ended()
    assert record.error is None
    assert call.status == "completed"


@pytest.mark.parametrize("rate", [16000, 24000])
def test_l16_at_the_pipelines_rate_goes_both_ways_byte_for_byte_without_resampling(rate: int) -> None:
    greeting = bot_tone(0.4, rate)
    script = Script(codec=f"L16@{rate}h", rate=rate, greeting=greeting, end_after_caller_bytes=chunks(0.2, rate))
    with FakeSpace() as space:
        _, session, record = run_call(space, Agent(script))
    # Byte for byte both ways: no resampler touched the audio, and L16 is little-endian (the default), as
    # FakeSpace sends it like SignalWire.
    assert session.received_audio == media.pcm16_to_l16(greeting, byteorder="little")
    assert record.caller_rates == {rate}
    heard_by_pipeline = bytes(record.caller_pcm)
    assert len(heard_by_pipeline) >= chunks(0.2, rate)
    assert heard_by_pipeline == (TONE.pcm(rate) * 3)[: len(heard_by_pipeline)]


def hang_ups_seen(space: FakeSpace) -> list[tuple[str, int]]:
    """When FakeSpace gets a call's update (not a stream's): its path, and the audio it had received by then."""
    seen: list[tuple[str, int]] = []
    answer = space._answer

    def recording(method: str, path: str, headers: Any, body: bytes) -> Any:
        if method == "POST" and "/Calls/" in path and "/Streams" not in path:
            sessions = [space.media(stream.sid) for stream in space.streams()]
            seen.append((path, sum(len(session.received_audio) for session in sessions)))
        return answer(method, path, headers, body)

    space._answer = recording  # type: ignore[method-assign]
    return seen


def test_the_call_is_hung_up_through_the_sdk_once_the_goodbye_has_played() -> None:
    goodbye = bot_tone(0.4, 8000)
    params = SignalWireFrameSerializer.InputParams(playout_margin_secs=0.5)  # auto_hang_up: the default
    with FakeSpace(speed=2.0) as space:
        seen = hang_ups_seen(space)
        script = Script(
            goodbye=goodbye,
            end_after_greeting=True,
            end_silence_secs=1,
            pause_after_connect=60,  # closing the WebSocket alone would leave the call in <Pause>
            client=space.async_client,
            params=params,
        )
        call, session, _ = run_call(space, Agent(script))
        hang_ups = [r for r in space.requests if r.method == "POST" and call.sid in r.path and "Streams" not in r.path]
    assert call.status == "completed" and call.verbs == ["Connect"]  # ended in <Connect>, by the hang-up
    assert [(r.form, r.status) for r in hang_ups] == [({"Status": ["completed"]}, 200)]
    ((path, audio),) = seen
    assert path.endswith(f"/Calls/{call.sid}") and audio == len(session.received_audio)  # all sent first...
    assert session.marks_echoed == sent_marks(session)  # ...and all played: every mark echoed before the end


def test_a_caller_who_hangs_up_first_leaves_a_hang_up_the_sdk_counts_as_done(caplog: pytest.LogCaptureFixture) -> None:
    goodbye = bot_tone(0.4, 8000)
    params = SignalWireFrameSerializer.InputParams(playout_margin_secs=0.5)  # auto_hang_up: the default
    with FakeSpace(speed=2.0) as space:
        script = Script(
            goodbye=goodbye, end_after_greeting=True, pause_after_connect=60, client=space.async_client, params=params
        )
        agent = Agent(script)
        with served(agent.app) as url:
            call = space.incoming_call(f"{url}/voice")
            (stream,) = call.wait_for_streams(1)
            record = agent.wait_for_record()
            space.media(stream.sid).wait_for_app_messages(2 * len(goodbye) // chunks(0.04, 8000))  # all of it sent
            call.hangup()  # the caller goes while the serializer waits for the goodbye to play
            call.wait_until_ended()
            record.wait(lambda r: r.finished)
        hang_ups = [r for r in space.requests if r.method == "POST" and call.sid in r.path and "Streams" not in r.path]
    assert record.error is None
    assert (call.status, call.verbs) == ("completed", ["Connect"])  # the caller ended it, in <Connect>
    assert [(r.form, r.status) for r in hang_ups] == [({"Status": ["completed"]}, 422)]  # not in progress: done
    assert not [r for r in caplog.records if "could not hang up" in r.getMessage()]
