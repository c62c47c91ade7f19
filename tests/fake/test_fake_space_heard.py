"""What the caller heard and said on FakeSpace's media streams: the record of the app's audio SignalWire played
(``call.heard``, ``space.media(sid).heard``) and the caller's speech (``MediaStream.say``), on the space's clock."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from signalwire_compat import cxml, media
from signalwire_compat.testing import (
    FakeCall,
    FakeSpace,
    Heard,
    ManualClock,
    MediaStream,
    Tone,
)
from signalwire_compat.testing._audio import alaw_to_pcm16, pcm16_to_alaw
from tests.fake.media_app import Connection, MediaApp

CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"


def _pcm(seconds: float, rate: int = 8000, frequency: float = 300.0) -> bytes:
    return Tone(frequency=frequency).pcm(rate, seconds)


def _connect(codec: str | None = None) -> Any:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.connect().stream(url=ws_url, name="bot", **({"codec": codec} if codec else {}))
        return str(response)

    return answer


@contextlib.contextmanager
def _agent_call(
    codec: str | None = None, **space_options: Any
) -> Iterator[tuple[FakeSpace, FakeCall, MediaStream, Connection]]:
    """A call whose cXML connects a bidirectional stream to a test-driven app, on a manual clock."""
    with FakeSpace(clock=ManualClock(), **space_options) as space, MediaApp("", cxml=_connect(codec)) as app:
        call = space.incoming_call(f"{app.url}/voice")
        (stream,) = call.wait_for_streams(1)
        yield space, call, space.media(stream.sid).wait_until_connected(), app.wait_for_connection()
        call.hangup()
        call.wait_until_ended()


def test_a_greeting_cleared_at_1_2_s_was_heard_for_1_2_s_and_the_timeline_names_the_clear() -> None:
    greeting = media.pcm16_to_ulaw(_pcm(3.0))
    with _agent_call() as (space, call, session, app):
        app.send(media.media_message(session.sid, greeting))
        app.send(media.mark_message(session.sid, "greeting"))
        session.wait_for_app_messages(2)
        space.advance(1.2)  # the caller talks over it: the app clears
        app.send(media.clear_message(session.sid))
        assert session.wait_for_marks(1) == ["greeting"]  # echoed by the clear
        assert session.heard == call.heard
    heard = call.heard
    assert heard.rate == 8000
    assert heard.pcm == media.ulaw_to_pcm16(greeting)[: 2 * 9600]  # 1.2 s of it, the rest dropped
    assert heard.timeline == (
        Heard.Span(0.0, 1.2, 0, 2 * 9600, 1200),
        Heard.Clear(1.2, 2 * 14400, 1800, ("greeting",)),
        Heard.Mark("greeting", 1.2),
        Heard.End(1.2, 0, 0),
    )
    assert session.received_audio == greeting  # everything the app sent, heard or not


def test_a_goodbye_played_before_the_hang_up_is_heard_whole_and_one_cut_short_is_not() -> None:
    goodbye = media.pcm16_to_ulaw(_pcm(0.5))
    with _agent_call() as (space, call, session, app):
        app.send(media.media_message(session.sid, goodbye))
        app.send(media.mark_message(session.sid, "goodbye"))
        session.wait_for_app_messages(2)
        space.advance(0.5)
        assert session.wait_for_marks(1) == ["goodbye"]
    assert call.heard.pcm == media.ulaw_to_pcm16(goodbye)
    assert call.heard.timeline[-2:] == (Heard.Mark("goodbye", 0.5), Heard.End(0.5, 0, 0))

    with _agent_call() as (space, call, session, app):
        app.send(media.media_message(session.sid, goodbye))
        session.wait_for_app_messages(1)
        space.advance(0.3)
        call.hangup()  # the caller hangs up first
        call.wait_until_ended()
    assert call.heard.pcm == media.ulaw_to_pcm16(goodbye)[: 2 * 2400]
    assert call.heard.timeline[-1] == Heard.End(0.3, 2 * 1600, 200)


def test_a_mark_due_between_two_frames_is_echoed_then_after_the_frames_due_before_it() -> None:
    with _agent_call() as (space, _, session, app):
        space.advance(0.01)  # between two of the stream's frames (it joined at 0)
        app.send(media.media_message(session.sid, bytes(800)))  # 0.1 s: played by 0.11
        app.send(media.mark_message(session.sid, "played"))
        session.wait_for_app_messages(2)
        space.advance(0.099)
        app.wait_for(lambda ms: len([m for m in ms if isinstance(m, media.Media)]) == 6)  # 0, 20 … 100 ms
        assert session.marks_echoed == []
        space.advance(0.001)
        messages = app.wait_for(lambda ms: any(isinstance(m, media.Mark) for m in ms))
        assert session.heard.timeline[-1] == Heard.Mark("played", 0.11)
    timestamps = [m.timestamp if isinstance(m, media.Media) else m.name for m in messages[2:]]  # type: ignore[union-attr]
    assert timestamps == [0, 20, 40, 60, 80, 100, "played"]


@pytest.mark.parametrize("order", ["little", "big"])
def test_l16_is_heard_in_the_streams_byte_order(order: media.ByteOrder) -> None:
    pcm = _pcm(0.2, 16000, 440.0)
    with _agent_call("L16@16000h", l16_byteorder=order) as (space, call, session, app):
        app.send(media.media_message(session.sid, media.pcm16_to_l16(pcm, byteorder=order)))
        session.wait_for_app_messages(1)
        space.advance(0.2)
    assert (call.heard.rate, call.heard.pcm) == (16000, pcm)


def test_a_law_decodes_back_to_within_its_quantisation_step() -> None:
    pcm = b"".join(n.to_bytes(2, "little", signed=True) for n in range(-32768, 32768, 7))
    decoded = memoryview(alaw_to_pcm16(pcm16_to_alaw(pcm))).cast("h")
    original = memoryview(pcm).cast("h")
    assert all(abs(a - b) <= max(8, abs(a) // 32 + 8) for a, b in zip(original, decoded, strict=True))
    assert alaw_to_pcm16(b"\xd5\x55") == (8).to_bytes(2, "little") + (-8).to_bytes(2, "little", signed=True)


def test_the_heard_audio_writes_as_a_wav_file(tmp_path: Path) -> None:
    heard = Heard(_pcm(0.1, 16000), 16000)
    heard.write_wav(tmp_path / "heard.wav")
    with wave.open(str(tmp_path / "heard.wav"), "rb") as file:
        shape = (file.getnchannels(), file.getsampwidth(), file.getframerate(), file.getnframes())
        assert file.readframes(file.getnframes()) == heard.pcm
    assert shape == (1, 2, 16000, 1600)
    assert repr(heard) == "Heard(rate=16000, seconds=0.1, timeline=0 events)"


def test_a_wav_file_that_cannot_be_written_is_an_oserror_and_leaves_nothing_to_print_at_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: list[Any] = []  # what Python would print as "Exception ignored in ..." on stderr
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(FileNotFoundError) as refused:
        Heard(_pcm(0.1, 8000), 8000).write_wav(tmp_path / "no such folder" / "heard.wav")
    del refused  # the traceback held the half-made writer
    gc.collect()
    assert [f"{u.exc_type.__name__} in {u.object!r}" for u in unraisable] == []


def test_a_call_heard_its_connected_streams_one_after_another_and_nothing_from_a_started_one() -> None:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.start().stream(url=ws_url, name="listener")  # not bidirectional: plays nothing
        response.connect().stream(url=ws_url, name="first")
        response.connect().stream(url=ws_url, name="second")
        return str(response)

    first, second = media.pcm16_to_ulaw(_pcm(0.1)), media.pcm16_to_ulaw(_pcm(0.2, frequency=500.0))
    with FakeSpace(clock=ManualClock()) as space, MediaApp("", cxml=answer) as app:
        call = space.incoming_call(f"{app.url}/voice")
        listener, bot = call.wait_for_streams(2)
        app.wait_for_connection(0).send(media.media_message(listener.sid, first))
        space.media(listener.sid).wait_for_app_messages(1)
        for index, (stream, audio) in enumerate([(bot, first), (None, second)], start=1):
            stream = stream or call.wait_for_streams(3)[2]
            session = space.media(stream.sid).wait_until_connected()
            connection = app.wait_for_connection(index)
            connection.send(media.media_message(stream.sid, audio))
            session.wait_for_app_messages(1)
            space.advance(len(audio) / 8000)
            connection.close()  # the app ends the stream: the call goes on to the next verb
            session.wait_until_ended()
        call.hangup()
        call.wait_until_ended()
        assert space.media(listener.sid).heard == Heard(b"", 8000)
    assert call.heard.pcm == media.ulaw_to_pcm16(first + second)
    spans = [event for event in call.heard.timeline if isinstance(event, Heard.Span)]
    assert [(span.offset, span.size) for span in spans] == [(0, 1600), (1600, 3200)]
    assert spans[1].start == pytest.approx(0.1)


def test_a_call_without_a_bidirectional_stream_heard_nothing() -> None:
    document = str(cxml.VoiceResponse().hangup())
    with FakeSpace() as space, MediaApp("", cxml=document) as app:
        call = space.incoming_call(f"{app.url}/voice").wait_until_ended()
    assert call.heard == Heard(b"", 8000)


def _inbound_payloads(connection: Connection, count: int) -> list[bytes]:
    messages = connection.wait_for(lambda ms: len([m for m in ms if isinstance(m, media.Media)]) >= count)
    return [m.payload for m in messages if isinstance(m, media.Media) and m.track == "inbound"]


def test_what_the_caller_says_replaces_the_calls_audio_from_the_next_frame_while_it_lasts() -> None:
    tone = media.pcm16_to_ulaw(Tone().pcm(8000))  # the call's audio: one second, looped
    speech = _pcm(0.05, frequency=700.0)  # two frames and a half
    with FakeSpace(clock=ManualClock()) as space, MediaApp("") as app, space.client() as client:
        stream = client.calls(CALL).streams.create(url=app.ws_url, track="inbound_track")
        session = space.media(stream.sid).wait_until_connected()
        connection = app.wait_for_connection()
        _inbound_payloads(connection, 1)  # the first frame went when it connected
        assert session.say(speech) == pytest.approx(0.06)
        space.advance(0.1)
        payloads = _inbound_payloads(connection, 6)
        client.calls(CALL).streams(stream.sid).stop()
        session.wait_until_ended()
        with pytest.raises(RuntimeError, match="has ended or is stopping"):
            session.say(speech)
    said = media.pcm16_to_ulaw(speech + bytes(2 * 80))  # the last frame padded with silence
    assert payloads[1:4] == [said[:160], said[160:320], said[320:]]
    assert payloads[0] == tone[:160] and payloads[4:] == [tone[640:800], tone[800:960]]  # the tone ran on under it


def test_speech_from_several_threads_is_queued_whole_each_after_the_other() -> None:
    with FakeSpace(clock=ManualClock()) as space, MediaApp("") as app, space.client() as client:
        stream = client.calls(CALL).streams.create(url=app.ws_url, track="inbound_track")
        session = space.media(stream.sid).wait_until_connected()
        connection = app.wait_for_connection()
        _inbound_payloads(connection, 1)
        start = threading.Barrier(4)
        speeches = [(level.to_bytes(2, "little", signed=True) * 160 * 5) for level in (1000, 2000, 3000, 4000)]

        def say(pcm: bytes) -> None:
            start.wait(5)
            session.say(pcm)

        threads = [threading.Thread(target=say, args=(pcm,)) for pcm in speeches]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
        space.advance(0.4)
        payloads = _inbound_payloads(connection, 21)[1:21]
    runs = [payloads[n : n + 5] for n in range(0, 20, 5)]
    expected = {bytes(media.pcm16_to_ulaw(pcm[:320])): pcm for pcm in speeches}
    assert sorted(expected[run[0]] for run in runs) == sorted(speeches)
    assert all(len(set(run)) == 1 for run in runs)  # no speech was cut into by another


def test_speech_that_is_not_16_bit_pcm_or_on_a_stream_without_an_inbound_track_is_refused() -> None:
    with FakeSpace(clock=ManualClock()) as space, MediaApp("") as app, space.client() as client:
        outbound = client.calls(CALL).streams.create(url=app.ws_url, track="outbound_track")
        session = space.media(outbound.sid)
        with pytest.raises(ValueError, match="no inbound track"):
            session.say(bytes(320))
        with pytest.raises(ValueError, match="even number of bytes"):
            session.say(bytes(3))
        with pytest.raises(TypeError, match="bytes"):
            session.say("hello")  # type: ignore[arg-type]


def test_a_test_waits_on_a_condition_over_what_the_app_sent_and_is_told_which_it_was_when_it_never_holds() -> None:
    def cleared(messages: list[media.AppMessage]) -> bool:
        return any(isinstance(message, media.AppClear) for message in messages)

    with _agent_call() as (_, _call, session, app):
        for text in (media.media_message(session.sid, bytes(160)), media.clear_message(session.sid)):
            app.send(text)
        messages = session.wait_for_app(cleared)
        awaited = asyncio.run(session.await_for_app(cleared))  # its twin, on an event loop
        with pytest.raises(TimeoutError, match=r"the condition on the app's messages not met within 0\.01 s"):
            session.wait_for_app(lambda ms: len(ms) > 2, timeout=0.01)
    assert [type(m) for m in messages] == [media.AppMedia, media.AppClear] and awaited == messages
