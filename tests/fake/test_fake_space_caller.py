"""The scripted caller: ``call.press``, ``call.speak`` and ``call.hang_up``, now or ``at`` seconds on the space's
clock from the call's first stream's connect; what the app's WebSocket gets, frame by frame on a ManualClock."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest

import signalwire_compat as sw
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeCall, FakeSpace, ManualClock, MediaStream, Tone
from tests.fake.media_app import Connection, MediaApp


def two_streams(ws_url: str) -> str:
    document = cxml.VoiceResponse()
    document.start().stream(url=ws_url, name="listener", status_callback="/status")
    document.connect().stream(url=ws_url, name="agent", status_callback="/status")
    return str(document)


def connected_call(space: FakeSpace, app: MediaApp) -> tuple[FakeCall, list[MediaStream], list[Connection]]:
    call = space.incoming_call(f"{app.url}/voice", audio=b"")  # the caller is silent until spoken for
    streams = call.wait_for_streams(2)
    sessions = [space.media(stream.sid).wait_until_connected() for stream in streams]
    connections = [app.wait_for_connection(index) for index in range(2)]
    for connection in connections:
        connection.wait_for(lambda ms: any(isinstance(m, media.Start) for m in ms))
    return call, sessions, connections


def test_a_key_press_at_a_time_reaches_every_stream_one_message_per_digit_on_the_spaces_clock() -> None:
    clock = ManualClock()
    with FakeSpace(clock=clock) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        call, _, connections = connected_call(space, app)
        call.press("#1", at=1.5, duration=100)
        space.advance(1.48)  # to 1.48 s in one step: the space sends the 74 frames due, in order, and no key yet
        connections[1].wait_for(lambda ms: len([m for m in ms if isinstance(m, media.Media)]) > 74)
        assert not connections[1].of(media.Dtmf)
        space.advance(0.02)  # 1.5 s: the first digit
        for connection in connections:
            connection.wait_for(lambda ms: any(isinstance(m, media.Dtmf) for m in ms))
        assert [d.digit for d in connections[1].of(media.Dtmf)] == ["#"]
        space.advance(0.1)  # 100 ms later: the next
        for connection in connections:
            connection.wait_for(lambda ms: len([m for m in ms if isinstance(m, media.Dtmf)]) == 2)
        call.hangup()
        call.wait_until_ended()
    for connection in connections:
        digits = connection.of(media.Dtmf)
        assert [(d.digit, d.duration) for d in digits] == [("#", 100), ("1", 100)]
        before = [m for m in connection.messages[: connection.messages.index(digits[0])] if isinstance(m, media.Media)]
        assert before[-1].timestamp in (1480, 1500)  # sent with the frame due at 1.5 s
    # streamSid only on the bidirectional stream, as SignalWire documents
    assert connections[0].of(media.Dtmf)[0].stream_sid is None
    assert connections[1].of(media.Dtmf)[0].stream_sid == call.streams[1].sid


def test_keys_pressed_now_go_at_once_then_a_duration_apart_and_are_refused_with_no_stream_connected() -> None:
    with FakeSpace(clock=ManualClock()) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        unanswered = space.incoming_call("http://127.0.0.1:9/voice").wait_until_ended()  # nothing listens there
        with pytest.raises(RuntimeError, match="none of its streams is connected"):
            unanswered.press("5")
        with pytest.raises(RuntimeError, match=r"none of its streams is connected .*; nothing was said"):
            unanswered.speak(b"\x00\x00" * 160)  # 16-bit PCM at the streams' rate, had one been connected
        call, _, connections = connected_call(space, app)
        call.press("56", duration=100)
        for connection in connections:
            connection.wait_for(lambda ms: any(isinstance(m, media.Dtmf) for m in ms))
            assert [digit.digit for digit in connection.of(media.Dtmf)] == ["5"]  # the clock has not moved
        space.advance(0.1)
        for connection in connections:
            connection.wait_for(lambda ms: len([m for m in ms if isinstance(m, media.Dtmf)]) == 2)
            assert [(digit.digit, digit.duration) for digit in connection.of(media.Dtmf)] == [("5", 100), ("6", 100)]


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"digits": ""}, "digits must be a non-empty str"),
        ({"digits": "5x"}, "digits must be a non-empty str"),
        ({"digits": "5", "duration": 0}, "duration must be a positive int"),
        ({"digits": "5", "at": -1}, "at must be None"),
        ({"digits": "5", "at": True}, "at must be None"),
    ],
)
def test_a_bad_key_press_is_refused_before_anything_is_scheduled(arguments: dict[str, object], problem: str) -> None:
    with FakeSpace(listen=False, clock=ManualClock()) as space:
        call = space.incoming_call("http://127.0.0.1:9/voice")
        with pytest.raises(ValueError, match=problem):
            call.press(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("audio", "error", "problem"),
    [
        (b"\x00\x00\x00", ValueError, "PCM must be 16-bit samples \\(an even number of bytes\\), got 3"),
        (1234, TypeError, "audio must be 16-bit PCM bytes, a WAV file's bytes or its path, not int"),
    ],
    ids=["odd length", "not audio"],
)
def test_speech_that_is_not_16_bit_audio_is_refused_before_anything_is_scheduled(
    audio: object, error: type[Exception], problem: str
) -> None:
    with FakeSpace(listen=False, clock=ManualClock()) as space:
        call = space.incoming_call("http://127.0.0.1:9/voice")
        with pytest.raises(error, match=problem):
            call.speak(audio, at=1.0)  # type: ignore[arg-type]
        call.hangup()
        assert call.wait_until_ended().caller_errors == []


def wav_bytes(pcm: bytes, rate: int, *, channels: int = 1, width: int = 2) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return out.getvalue()


def test_speech_at_a_time_goes_on_the_inbound_track_from_the_next_frame_then_silence_again() -> None:
    speech = media.ulaw_to_pcm16(bytes([0x10] * 160)) * 3  # 60 ms of a level the silence is not
    with FakeSpace(clock=ManualClock()) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        call, sessions, connections = connected_call(space, app)
        call.speak(wav_bytes(speech, 8000), at=0.04)
        for frame in range(1, 7):  # frame by frame: each step's frames sent before the clock moves again
            space.advance(0.02)
            for session in sessions:
                session.wait_for_frames(frame + 1)
        for connection in connections:
            connection.wait_for(lambda ms: len([m for m in ms if isinstance(m, media.Media)]) >= 7)
        call.hangup()
    silence, spoken = bytes([0xFF] * 160), bytes([0x10] * 160)
    for connection in connections:
        payloads = [m.payload for m in connection.of(media.Media) if m.track == "inbound"][:7]
        # From the frame due at 0.04 s, or the next one if that frame was on its way: 60 ms, then silence.
        assert payloads in (
            [silence, silence, spoken, spoken, spoken, silence, silence],
            [silence, silence, silence, spoken, spoken, spoken, silence],
        )


def test_speech_at_another_rate_is_resampled_to_the_streams_and_a_bad_wav_is_refused(tmp_path: Path) -> None:
    (tmp_path / "stereo.wav").write_bytes(wav_bytes(bytes(8), 8000, channels=2))
    (tmp_path / "speech.wav").write_bytes(wav_bytes(Tone(level=0.5).pcm(16000, 0.1), 16000))  # 100 ms at 16 kHz
    with FakeSpace(clock=ManualClock()) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        call, sessions, connections = connected_call(space, app)
        with pytest.raises(ValueError, match="must be 16-bit mono PCM, not 16-bit with 2 channels"):
            call.speak(tmp_path / "stereo.wav")
        with pytest.raises(ValueError, match="is not a WAV file"):
            call.speak(b"RIFF\x00\x00\x00\x00WAVEjunk")
        call.speak(tmp_path / "speech.wav")
        for frame in range(1, 11):
            space.advance(0.02)
            for session in sessions:
                session.wait_for_frames(frame + 1)
        for connection in connections:
            connection.wait_for(lambda ms: len([m for m in ms if isinstance(m, media.Media)]) >= 11)
        call.hangup()
    for connection in connections:
        levels = [media.dbfs(media.ulaw_to_pcm16(m.payload)) for m in connection.of(media.Media)[:11]]
        spoken = [index for index, level in enumerate(levels) if level > -20]
        # 100 ms at 8 kHz: five frames of the tone (the filter's edges may spill into a sixth), then silence
        assert spoken[0] in (1, 2) and 5 <= len(spoken) <= 6 and spoken == list(range(spoken[0], spoken[-1] + 1))


def test_speech_that_needs_resampling_without_the_audio_extra_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from signalwire_compat.media import _resample

    def missing() -> None:
        raise media.AudioExtraMissingError("converting between sample rates needs the audio extra")

    monkeypatch.setattr(_resample, "_modules", missing)
    with FakeSpace(clock=ManualClock()) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        call, sessions, _ = connected_call(space, app)
        with pytest.raises(media.AudioExtraMissingError, match="audio extra"):
            call.speak(wav_bytes(bytes(320), 16000))
        call.speak(wav_bytes(bytes(320), 16000), at=0.02)
        space.advance(0.02)
        sessions[0].wait_for_frames(2)
        call.hangup()
        call.wait_until_ended()
    assert call.caller_errors and "audio extra" in call.caller_errors[0]


def test_a_caller_hanging_up_at_a_time_ends_the_call_as_signalwire_would() -> None:
    clock = ManualClock()
    with FakeSpace(clock=clock) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        call, sessions, connections = connected_call(space, app)
        call.hang_up(at=1.0)
        space.advance(0.98)
        assert call.status == "in-progress"
        space.advance(0.02)
        call.wait_until_ended()
        for connection in connections:
            connection.wait_for(lambda ms: isinstance(ms[-1], media.Stop))
        callbacks = app.wait_for_callbacks(4)
    assert call.status == "completed"
    assert [session.state for session in sessions] == ["stopped", "stopped"]
    assert sorted((c.stream_name, c.event) for c in callbacks) == [
        ("agent", sw.StreamEvent.STARTED),
        ("agent", sw.StreamEvent.STOPPED),
        ("listener", sw.StreamEvent.STARTED),
        ("listener", sw.StreamEvent.STOPPED),
    ]


def test_a_call_is_over_only_once_its_websockets_are_closed() -> None:
    # An app that shuts its server down as soon as the call is over must not find a closing handshake in flight.
    with FakeSpace(clock=ManualClock()) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        call, sessions, connections = connected_call(space, app)
        call.hangup()
        call.wait_until_ended()
        assert [session.state for session in sessions] == ["stopped", "stopped"]
        for connection in connections:
            assert isinstance(connection.messages[-1], media.Stop)


def test_what_is_still_scheduled_when_the_call_ends_is_dropped() -> None:
    with FakeSpace(clock=ManualClock()) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        call, _, connections = connected_call(space, app)
        call.press("7", at=5)
        call.hang_up(at=1)
        space.advance(1)
        call.wait_until_ended()
        space.advance(10)
        assert call.caller_errors == []
        assert not any(connection.of(media.Dtmf) for connection in connections)


def test_a_script_runs_on_a_sped_up_real_clock_as_on_a_manual_one() -> None:
    with FakeSpace(speed=50) as space, MediaApp(space.signing_key, cxml=two_streams) as app:
        call, _, connections = connected_call(space, app)
        call.press("#", at=0.5)
        call.hang_up(at=1.0)
        call.wait_until_ended()
        for connection in connections:
            connection.wait_for(lambda ms: isinstance(ms[-1], media.Stop))
    for connection in connections:
        assert [digit.digit for digit in connection.of(media.Dtmf)] == ["#"]
    assert call.status == "completed"  # by the hang-up: the document would have held the call on <Connect>


def test_a_manual_clock_moved_in_20_ms_steps_wakes_what_is_due_at_each_frame() -> None:
    import asyncio

    clock = ManualClock()

    async def frames_woken(count: int) -> list[int]:
        woken: list[int] = []

        async def sleeper(frame: int) -> None:
            await clock.sleep_until(frame * 0.02)  # 35 * 0.02 is 0.7000000000000001
            woken.append(frame)

        tasks = [asyncio.create_task(sleeper(frame)) for frame in range(1, count + 1)]
        await asyncio.sleep(0)
        for frame in range(1, count + 1):
            clock.advance(0.02)  # ten of these add up to 0.19999999999999998
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            assert woken == list(range(1, frame + 1)), f"at {clock.now()}"
        await asyncio.gather(*tasks)
        return woken

    assert asyncio.run(frames_woken(75)) == list(range(1, 76))
    assert clock.now() == 1.5


def test_a_scheduled_press_when_no_stream_is_connected_any_more_is_recorded_not_sent() -> None:
    def one_stream_then_a_pause(ws_url: str) -> str:
        document = cxml.VoiceResponse()
        document.start().stream(url=ws_url, name="listener")
        document.pause(length=60)
        return str(document)

    with FakeSpace(clock=ManualClock()) as space, MediaApp(space.signing_key, cxml=one_stream_then_a_pause) as app:
        call = space.incoming_call(f"{app.url}/voice")
        (stream,) = call.wait_for_streams(1)
        session = space.media(stream.sid).wait_until_connected()
        call.press("3", at=1)
        with space.client() as client:
            client.calls(call.sid).streams("listener").stop()
        session.wait_until_ended()
        space.advance(1)
        call.hang_up(at=2)  # the press's task ran before this one: tasks run in the order they were made
        assert call.caller_errors == [
            f"call {call.sid}: none of its streams is connected (wait for one, or give at=); '3' was not sent"
        ]
        assert call.status == "in-progress"
