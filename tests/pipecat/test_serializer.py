"""SignalWireFrameSerializer one message at a time, as pipecat's transport calls it: what each SignalWire message
becomes in the pipeline, what each frame puts on the WebSocket, and how the end of the pipeline waits."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from array import array
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from pipecat.audio.dtmf.types import KeypadEntry
from pipecat.clocks.system_clock import SystemClock
from pipecat.frames.frames import (
    CancelFrame,
    EndFrame,
    EndWorkerFrame,
    InputAudioRawFrame,
    InputDTMFFrame,
    InputTransportMessageFrame,
    InterruptionFrame,
    OutputAudioRawFrame,
    OutputTransportMessageFrame,
    OutputTransportMessageUrgentFrame,
    TTSAudioRawFrame,
)
from pipecat.processors.frame_processor import FrameProcessorSetup
from pipecat.utils.asyncio.task_manager import TaskManager

import signalwire_compat as sw
from signalwire_compat import media
from signalwire_compat.integrations.pipecat import SignalWireFrameSerializer
from signalwire_compat.testing import Tone
from tests.helpers import CALL, PROJECT, STREAM

T = TypeVar("T")
Params = SignalWireFrameSerializer.InputParams
LOGGER = "signalwire_compat.integrations.pipecat"


def run(make: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await make()

    return asyncio.run(main())


def start_of(encoding: str = "audio/x-mulaw", rate: int = 8000, channels: int = 1) -> media.Start:
    text = media.signalwire_start(
        stream_sid=STREAM, account_sid=PROJECT, call_sid=CALL, encoding=encoding, sample_rate=rate, channels=channels
    )
    start = media.parse(text)
    assert isinstance(start, media.Start)
    return start


class Socket:
    """The WebSocket's send of a text frame, recording what went out (and failing on request)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.fail_with: BaseException | None = None

    async def send_text(self, text: str) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(text)

    def messages(self) -> list[media.AppMessage]:
        return [media.parse_app_message(text) for text in self.sent]


def make(
    socket: Socket, *, encoding: str = "audio/x-mulaw", rate: int = 8000, **params: Any
) -> SignalWireFrameSerializer:
    params.setdefault("auto_hang_up", False)
    return SignalWireFrameSerializer.from_start(
        start_of(encoding, rate), send=socket.send_text, params=Params(**params)
    )


def tone(rate: int, seconds: float, frequency: float = 440.0) -> bytes:
    return Tone(frequency=frequency, level=0.5).pcm(rate, seconds)


def frequency_of(pcm: bytes, rate: int) -> float:
    """The frequency of a pure tone, from its zero crossings."""
    samples = array("h", pcm)
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / rate)


def media_text(payload: bytes, *, number: int = 1, track: str = "inbound") -> str:
    return media.signalwire_media(
        sequence_number=number, audio=payload, chunk=number, timestamp=20 * number, track=track
    )


def echo(name: str) -> str:
    return media.signalwire_mark(name=name, stream_sid=STREAM, sequence_number=9)


def marks(socket: Socket) -> list[str]:
    return [message.name for message in socket.messages() if isinstance(message, media.AppMark)]


# -- building it ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "rate", "channels"),
    [("audio/x-alaw", 8000, 1), ("audio/x-mulaw", 16000, 1), ("audio/x-L16", 16000, 2), ("audio/x-opus", 48000, 1)],
)
def test_a_stream_in_a_format_it_cannot_play_is_refused_before_anything_is_sent(
    encoding: str, rate: int, channels: int
) -> None:
    socket = Socket()
    with pytest.raises(sw.MediaProtocolError, match="audio/x-mulaw at 8000 Hz or audio/x-L16"):
        SignalWireFrameSerializer.from_start(start_of(encoding, rate, channels), send=socket.send_text)
    assert socket.sent == []


def test_bad_arguments_are_refused_with_what_to_pass_instead() -> None:
    socket = Socket()
    with pytest.raises(TypeError, match=r"media\.Start"):
        SignalWireFrameSerializer.from_start(
            media.signalwire_start(stream_sid="s", account_sid="a", call_sid="c"), send=socket.send_text
        )  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="send must be an async function"):
        SignalWireFrameSerializer.from_start(start_of(), send="ws")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="InputParams"):
        SignalWireFrameSerializer.from_start(start_of(), send=socket.send_text, params={"auto_hang_up": False})  # type: ignore[arg-type]
    client = sw.Client(project_id=PROJECT, api_token="PT" + "0" * 40, space_url="example.signalwire.com")
    with pytest.raises(TypeError, match="AsyncClient"):
        SignalWireFrameSerializer.from_start(start_of(), send=socket.send_text, client=client)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="playout_timeout_secs"):
        Params(playout_timeout_secs=-1)
    with pytest.raises(ValueError, match="l16_byteorder"):
        Params(l16_byteorder="middle")  # type: ignore[arg-type]
    assert socket.sent == []


def test_an_async_client_for_the_hang_up_is_accepted_with_or_without_auto_hang_up() -> None:
    async def build() -> None:
        async with sw.AsyncClient(
            project_id=PROJECT, api_token="PT" + "0" * 40, space_url="example.signalwire.com"
        ) as client:
            socket = Socket()
            for params in (Params(), Params(auto_hang_up=False)):
                serializer = SignalWireFrameSerializer.from_start(
                    start_of(), send=socket.send_text, client=client, params=params
                )
                assert serializer.call_sid == CALL
            assert socket.sent == []  # nothing is sent before the pipeline runs

    run(build)


# -- SignalWire -> pipeline -----------------------------------------------------------------------------------


def test_pcmu_audio_reaches_a_pipeline_at_8_khz_decoded_and_untouched() -> None:
    serializer = make(Socket())
    ulaw = media.pcm16_to_ulaw(tone(8000, 0.02))
    frame = run(lambda: serializer.deserialize(media_text(ulaw)))
    assert isinstance(frame, InputAudioRawFrame)
    assert (frame.audio, frame.sample_rate, frame.num_channels) == (media.ulaw_to_pcm16(ulaw), 8000, 1)


def test_the_other_partys_track_is_not_taken_for_the_callers_audio() -> None:
    serializer = make(Socket())
    assert run(lambda: serializer.deserialize(media_text(b"\xff" * 160, track="outbound"))) is None


@pytest.mark.parametrize("byteorder", ["little", "big"])
def test_l16_is_read_and_written_little_endian_unless_asked_otherwise(byteorder: str) -> None:
    socket = Socket()
    serializer = make(
        socket, encoding="audio/x-L16", rate=16000, **({} if byteorder == "little" else {"l16_byteorder": "big"})
    )
    pcm = tone(16000, 0.02)
    wire = pcm if byteorder == "little" else media.pcm16_to_l16(pcm, byteorder="big")

    async def both_ways() -> InputAudioRawFrame:
        frame = await serializer.deserialize(media_text(wire))
        assert await serializer.serialize(OutputAudioRawFrame(audio=pcm, sample_rate=16000, num_channels=1)) is None
        assert isinstance(frame, InputAudioRawFrame)
        return frame

    frame = run(both_ways)
    assert (frame.audio, frame.sample_rate) == (pcm, 16000)
    sent = socket.messages()[0]
    assert isinstance(sent, media.AppMedia) and sent.payload == wire


def test_a_pipeline_at_another_rate_gets_the_audio_resampled_by_pipecats_stream_resampler_both_ways() -> None:
    socket = Socket()
    serializer = make(socket)  # a PCMU stream at 8 kHz
    caller = media.pcm16_to_ulaw(tone(8000, 1.0, frequency=440.0))
    bot = tone(16000, 1.0, frequency=660.0)

    async def both_ways() -> list[InputAudioRawFrame]:
        # The pipeline's input rate, as pipecat's transports hand it to the serializer.
        setup = FrameProcessorSetup(
            clock=SystemClock(),
            task_manager=TaskManager(),
            pipeline_worker=None,
            audio_in_sample_rate=16000,  # type: ignore[arg-type]
        )
        await serializer.setup(setup)
        frames = []
        for n, start in enumerate(range(0, len(caller), 160), 1):
            frame = await serializer.deserialize(media_text(caller[start : start + 160], number=n))
            if frame is not None:
                assert isinstance(frame, InputAudioRawFrame)
                frames.append(frame)
        for start in range(0, len(bot), 1280):  # 40 ms chunks, as pipecat's output transport sends them
            await serializer.serialize(
                TTSAudioRawFrame(audio=bot[start : start + 1280], sample_rate=16000, num_channels=1)
            )
        return frames

    frames = run(both_ways)
    assert {frame.sample_rate for frame in frames} == {16000}
    heard = b"".join(frame.audio for frame in frames)
    assert 0.9 * 32000 <= len(heard) <= 32000  # about a second at 16 kHz (the resampler holds a little back)
    assert frequency_of(heard, 16000) == pytest.approx(440, abs=15)
    played = b"".join(m.payload for m in socket.messages() if isinstance(m, media.AppMedia))
    assert 0.9 * 8000 <= len(played) <= 8000  # a second of μ-law at 8 kHz
    assert frequency_of(media.ulaw_to_pcm16(played), 8000) == pytest.approx(660, abs=15)


def test_keys_pipecat_knows_become_dtmf_frames_and_a_to_d_transport_messages() -> None:
    serializer = make(Socket())
    got = {}
    for digit in "0123456789*#ABCD":
        text = media.signalwire_dtmf(sequence_number=3, digit=digit, duration=250, stream_sid=STREAM)
        got[digit] = run(lambda text=text: serializer.deserialize(text))
    for digit in "0123456789*#":
        frame = got[digit]
        assert isinstance(frame, InputDTMFFrame) and frame.button == KeypadEntry(digit)
    for digit in "ABCD":
        frame = got[digit]
        assert isinstance(frame, InputTransportMessageFrame)
        assert frame.message == {
            "event": "dtmf",
            "sequenceNumber": "3",
            "streamSid": STREAM,
            "dtmf": {"digit": digit, "duration": 250},
        }


def test_signalwires_stop_ends_the_pipeline_and_the_end_then_neither_waits_nor_sends() -> None:
    socket = Socket()
    serializer = make(socket, playout_timeout_secs=60, playout_margin_secs=60)

    async def stop_then_end() -> Any:
        await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 0.5), sample_rate=8000, num_channels=1))
        frame = await serializer.deserialize(media.signalwire_stop(sequence_number=99))
        await asyncio.wait_for(serializer.serialize(EndFrame()), timeout=5)  # no echo will come: it must not wait
        await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 0.1), sample_rate=8000, num_channels=1))
        return frame

    assert isinstance(run(stop_then_end), EndWorkerFrame)
    assert len(socket.sent) == 2  # the audio before the stop and its mark; nothing after


def test_a_malformed_message_is_logged_and_skipped_since_pipecats_input_loop_ends_on_an_exception(
    caplog: pytest.LogCaptureFixture,
) -> None:
    serializer = make(Socket(), encoding="audio/x-L16", rate=16000)
    caplog.set_level(logging.WARNING, logger=LOGGER)
    for text in ["not json", '{"event": "media", "media": {}}', media_text(b"\x00\x01\x02")]:  # odd L16 length
        assert run(lambda text=text: serializer.deserialize(text)) is None
    assert len(caplog.records) == 3
    assert all("skipping a message" in record.getMessage() for record in caplog.records)


def test_events_this_version_does_not_know_reach_the_pipeline_as_transport_messages() -> None:
    serializer = make(Socket())
    frame = run(lambda: serializer.deserialize('{"event": "transcript", "text": "hi"}'))
    assert isinstance(frame, InputTransportMessageFrame) and frame.message == {"event": "transcript", "text": "hi"}
    assert run(lambda: serializer.deserialize(media.signalwire_connected())) is None


# -- pipeline -> SignalWire -----------------------------------------------------------------------------------


def test_audio_goes_out_in_the_streams_codec_each_chunk_followed_by_its_mark() -> None:
    socket = Socket()
    serializer = make(socket)
    chunks = [tone(8000, 0.04), tone(8000, 0.04, frequency=550.0)]

    async def play() -> None:
        for pcm in chunks:
            assert await serializer.serialize(OutputAudioRawFrame(audio=pcm, sample_rate=8000, num_channels=1)) is None

    run(play)
    first, first_mark, second, second_mark = socket.messages()
    assert first == media.AppMedia(stream_sid=STREAM, payload=media.pcm16_to_ulaw(chunks[0]))
    assert second == media.AppMedia(stream_sid=STREAM, payload=media.pcm16_to_ulaw(chunks[1]))
    assert isinstance(first_mark, media.AppMark) and isinstance(second_mark, media.AppMark)
    assert first_mark.stream_sid == STREAM and first_mark.name != second_mark.name


def test_mark_echoes_reach_the_pipeline_and_say_how_much_the_caller_heard() -> None:
    socket = Socket()
    serializer = make(socket)

    async def play_and_echo() -> Any:
        for _ in range(3):
            await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 0.04), sample_rate=8000, num_channels=1))
        return await serializer.deserialize(echo(marks(socket)[1]))  # the first two chunks played

    frame = run(play_and_echo)
    assert isinstance(frame, InputTransportMessageFrame)
    assert frame.message == json.loads(echo(marks(socket)[1]))
    assert serializer.played_seconds == pytest.approx(0.08)


def test_an_interruption_is_a_clear_and_the_marks_it_flushed_do_not_count_as_heard() -> None:
    socket = Socket()
    serializer = make(socket)

    async def interrupt() -> str | bytes | None:
        for _ in range(3):
            await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 0.04), sample_rate=8000, num_channels=1))
        await serializer.deserialize(echo(marks(socket)[0]))
        clear = await serializer.serialize(InterruptionFrame())
        for name in marks(socket)[1:]:  # SignalWire sends the pending marks back when a clear drops their audio
            await serializer.deserialize(echo(name))
        return clear

    clear = run(interrupt)
    assert isinstance(clear, str) and media.parse_app_message(clear) == media.AppClear(stream_sid=STREAM)
    assert serializer.played_seconds == pytest.approx(0.04)


def test_transport_messages_go_out_as_json_and_rtvi_messages_do_not() -> None:
    serializer = make(Socket())
    mark = {"event": "mark", "streamSid": STREAM, "mark": {"name": "mine"}}
    assert run(lambda: serializer.serialize(OutputTransportMessageFrame(message=mark))) == json.dumps(mark)
    assert run(lambda: serializer.serialize(OutputTransportMessageUrgentFrame(message=mark))) == json.dumps(mark)
    rtvi = {"label": "rtvi-ai", "type": "bot-ready"}
    assert run(lambda: serializer.serialize(OutputTransportMessageFrame(message=rtvi))) is None


def test_a_websocket_that_no_longer_takes_messages_stops_the_sending_without_an_error() -> None:
    socket = Socket()
    socket.fail_with = RuntimeError('Cannot call "send" once a close message has been sent.')
    calls = []

    async def send_text(text: str) -> None:
        calls.append(text)
        await socket.send_text(text)

    params = Params(auto_hang_up=False, playout_timeout_secs=60, playout_margin_secs=60)
    serializer = SignalWireFrameSerializer.from_start(start_of(), send=send_text, params=params)

    async def play_then_end() -> None:
        for _ in range(2):
            await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 0.04), sample_rate=8000, num_channels=1))
        await asyncio.wait_for(serializer.serialize(EndFrame()), timeout=5)  # nothing can play: no wait

    run(play_then_end)
    assert len(calls) == 1  # the first media message failed; nothing was tried after it


# -- the end --------------------------------------------------------------------------------------------------


def test_the_end_waits_for_the_last_marks_echo_while_pipecat_still_reads_the_socket() -> None:
    socket = Socket()
    serializer = make(socket, playout_timeout_secs=60, playout_margin_secs=60)

    async def end() -> None:
        for _ in range(3):
            await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 0.04), sample_rate=8000, num_channels=1))
        ending = asyncio.create_task(serializer.serialize(EndFrame()))
        for name in marks(socket)[:2]:
            await serializer.deserialize(echo(name))
            for _ in range(20):  # let the ending task run: it must still be waiting
                await asyncio.sleep(0)
            assert not ending.done()
        await serializer.deserialize(echo(marks(socket)[2]))
        await asyncio.wait_for(ending, timeout=5)

    run(end)
    assert serializer.played_seconds == pytest.approx(0.12)


def test_without_echoes_the_end_waits_for_the_audio_sent_to_play_and_the_margin() -> None:
    socket = Socket()
    serializer = make(socket, playout_margin_secs=0.05)

    async def end() -> float:
        loop = asyncio.get_running_loop()
        began = loop.time()
        for _ in range(5):  # 0.2 s, sent at once: it plays on at SignalWire after pipecat is done
            await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 0.04), sample_rate=8000, num_channels=1))
        await serializer.serialize(EndFrame())
        return loop.time() - began

    assert run(end) >= 0.2 + 0.05


def test_the_end_waits_no_longer_than_playout_timeout_secs(caplog: pytest.LogCaptureFixture) -> None:
    socket = Socket()
    serializer = make(socket, playout_timeout_secs=0, playout_margin_secs=60)
    caplog.set_level(logging.WARNING, logger=LOGGER)

    async def end() -> None:
        await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 1.0), sample_rate=8000, num_channels=1))
        await asyncio.wait_for(serializer.serialize(EndFrame()), timeout=5)

    run(end)
    assert [record.getMessage() for record in caplog.records] == [
        f"stream {STREAM}: stopped waiting for playout after 0 s"
    ]


def test_a_cancel_ends_at_once_and_only_the_first_end_counts() -> None:
    socket = Socket()
    serializer = make(socket, playout_timeout_secs=60, playout_margin_secs=60)

    async def cancel() -> None:
        await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 1.0), sample_rate=8000, num_channels=1))
        await asyncio.wait_for(serializer.serialize(CancelFrame()), timeout=5)
        await asyncio.wait_for(serializer.serialize(EndFrame()), timeout=5)  # the end already happened
        await serializer.serialize(OutputAudioRawFrame(audio=tone(8000, 0.1), sample_rate=8000, num_channels=1))

    run(cancel)
    assert len(socket.sent) == 2


def test_repr_names_the_stream_and_its_format() -> None:
    serializer = make(Socket(), encoding="audio/x-L16", rate=24000)
    assert repr(serializer).startswith(f"<SignalWireFrameSerializer stream_sid='{STREAM}' audio/x-L16@24000 <Backlog")
