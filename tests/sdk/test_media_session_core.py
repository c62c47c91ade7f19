"""The media session's core over an in-memory channel: how it starts, what it refuses, what it skips."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from array import array
from collections.abc import Callable

import pytest

from signalwire_compat import media
from signalwire_compat.media._outbound import FLUSH_MS
from signalwire_compat.media._resample import Resampler
from signalwire_compat.media._session import MAX_EVENTS, MediaSession

SID, CALL, ACCOUNT = "s-1", "c-1", "a-1"


class _Channel:
    def __init__(self, incoming: list[str]) -> None:
        self.incoming = asyncio.Queue[str | None]()
        for text in incoming:
            self.incoming.put_nowait(text)
        self.sent: list[str] = []
        self.close_code: int | None = None
        self.closed_with: int | None = None
        self.drained = asyncio.Event()  # set once the session has read the end of the socket

    async def receive(self) -> str | None:
        text = await self.incoming.get()
        if text is None or (self.incoming.empty() and text.startswith('{"event":"stop"')):
            self.drained.set()
        return text

    async def send(self, text: str) -> None:
        self.sent.append(text)

    async def close(self, code: int) -> None:
        self.closed_with = code


class _Opener:
    def __init__(self, channel: _Channel) -> None:
        self.websocket = channel
        self.channel = channel

    async def open(self, bearer: str | None) -> _Channel:
        return self.channel


def _session(channel: _Channel) -> MediaSession[_Channel]:
    return MediaSession(_Opener(channel), bearer=None, client=None, receive_rate=None, byteorder="little")


def _start(encoding: str = "audio/x-mulaw", rate: int = 8000) -> str:
    return media.signalwire_start(
        stream_sid=SID, account_sid=ACCOUNT, call_sid=CALL, encoding=encoding, sample_rate=rate
    )


def test_a_socket_that_closes_before_start_is_the_sessions_error_and_is_closed() -> None:
    async def scenario() -> _Channel:
        channel = _Channel([media.signalwire_connected()])
        channel.incoming.put_nowait(None)
        with pytest.raises(media.MediaSessionError, match="closed before SignalWire's start"):
            async with _session(channel):
                pass
        return channel

    assert asyncio.run(scenario()).closed_with == 1011


def test_a_media_format_the_session_cannot_speak_is_refused_by_name() -> None:
    async def scenario() -> None:
        channel = _Channel([media.signalwire_connected(), _start(encoding="audio/x-alaw")])
        with pytest.raises(media.MediaSessionError, match="audio/x-alaw"):
            async with _session(channel):
                pass

    asyncio.run(scenario())


def test_malformed_messages_are_skipped_and_l16_is_read_little_endian() -> None:
    async def scenario() -> list[media.Event]:
        pcm = b"\x01\x02\x03\x04"
        channel = _Channel([media.signalwire_connected(), _start(encoding="audio/x-L16", rate=16000)])
        for text in ("not json", media.signalwire_media(sequence_number=2, audio=pcm, chunk=1, timestamp=0)):
            channel.incoming.put_nowait(text)
        channel.incoming.put_nowait(media.signalwire_dtmf(sequence_number=3, digit="7", duration=100))
        channel.incoming.put_nowait(media.signalwire_stop(sequence_number=4))
        async with _session(channel) as session:
            assert session.start.media_format.sample_rate == 16000
            events = [event async for event in session]
        assert session.ended == media.Ended(media.EndReason.STOPPED, media.Stop(4), None)
        return events

    audio, dtmf = asyncio.run(scenario())
    assert audio == media.Audio(b"\x01\x02\x03\x04", 16000, "inbound", 0)
    assert isinstance(dtmf, media.Dtmf) and dtmf.digit == "7"


def test_playing_outside_the_block_and_bad_audio_are_refused_before_anything_is_sent() -> None:
    async def scenario() -> _Channel:
        channel = _Channel([media.signalwire_connected(), _start()])
        session = _session(channel)
        with pytest.raises(media.MediaSessionError, match="has not started"):
            session.play(b"\x00\x00")
        async with session:
            with pytest.raises(ValueError, match="even number of bytes"):
                session.play(b"\x00")
            with pytest.raises(ValueError, match=r"^rate must be an int from 4000 to 192000 Hz, got 0"):
                session.play(b"\x00\x00", rate=0)
            with pytest.raises(ValueError, match="digits must be"):
                await session.send_dtmf("12x")
        ended = session.play(b"\x00\x00" * 80)  # after the block: cleared at once
        assert await ended == media.Cleared(played_ms=0, duration_ms=10)
        return channel

    channel = asyncio.run(scenario())
    assert channel.sent == [] and channel.closed_with == 1000


class _BrokenChannel(_Channel):
    """A WebSocket that went away under the session: every send fails as a framework's would."""

    async def send(self, text: str) -> None:
        raise ConnectionResetError("the peer reset the connection")


def _stopped(channel: _Channel) -> None:
    channel.incoming.put_nowait(media.signalwire_stop(sequence_number=99))


@pytest.mark.parametrize(
    ("first", "problem"),
    [
        (media.signalwire_stop(sequence_number=1), "stopped before its start"),
        ('{"event": "start"}', "SignalWire's first messages could not be read"),
    ],
    ids=["a stop", "an unreadable start"],
)
def test_a_stream_that_stops_or_garbles_its_start_is_the_sessions_error_and_is_closed(first: str, problem: str) -> None:
    async def scenario() -> _Channel:
        channel = _Channel([media.signalwire_connected(), first])
        with pytest.raises(media.MediaSessionError, match=problem):
            async with _session(channel):
                pass
        return channel

    channel = asyncio.run(scenario())
    assert channel.closed_with == 1011 and channel.sent == []


def test_a_message_before_start_other_than_connected_is_skipped_not_handed_to_the_app() -> None:
    async def scenario() -> list[media.Event]:
        early = media.signalwire_dtmf(sequence_number=1, digit="5", duration=100)
        late = media.signalwire_dtmf(sequence_number=3, digit="6", duration=100)
        channel = _Channel([media.signalwire_connected(), early, _start(), late])
        _stopped(channel)
        async with _session(channel) as session:
            return [event async for event in session]

    (dtmf,) = asyncio.run(scenario())
    assert isinstance(dtmf, media.Dtmf) and dtmf.digit == "6"


def test_an_app_that_stops_reading_loses_the_oldest_events_counted_and_warned_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    extra = 3

    async def scenario() -> tuple[list[media.Event], int]:
        channel = _Channel([media.signalwire_connected(), _start()])
        for number in range(MAX_EVENTS + extra):
            channel.incoming.put_nowait(media.signalwire_dtmf(sequence_number=number, digit="1", duration=number))
        _stopped(channel)
        async with _session(channel) as session:
            await channel.drained.wait()  # the reader has read every message, the app none
            return [event async for event in session], session.dropped_events

    with caplog.at_level(logging.WARNING, logger="signalwire_compat.media"):
        events, dropped = asyncio.run(scenario())
    assert dropped == extra and len(events) == MAX_EVENTS
    assert [e.duration for e in events if isinstance(e, media.Dtmf)][:2] == [extra, extra + 1]  # the oldest went
    assert [r.getMessage() for r in caplog.records].count(
        "media session: the app is not reading events; dropping the oldest"
    ) == 1


def test_receive_rate_hands_the_app_each_tracks_audio_resampled_to_that_rate_with_no_seam() -> None:
    frames = [bytes((n * 37 + k) % 256 for n in range(160)) for k in range(25)]  # 500 ms of PCMU at 8 kHz

    async def scenario() -> list[media.Audio]:
        channel = _Channel([media.signalwire_connected(), _start()])
        for number, frame in enumerate(frames):
            for track in ("inbound", "outbound"):
                message = media.signalwire_media(
                    sequence_number=number, audio=frame, chunk=number, timestamp=20 * number, track=track
                )
                channel.incoming.put_nowait(message)
        _stopped(channel)
        session = MediaSession(_Opener(channel), bearer=None, client=None, receive_rate=16000, byteorder="little")
        async with session:
            return [event async for event in session if isinstance(event, media.Audio)]

    audio = asyncio.run(scenario())
    whole = media.resample(media.ulaw_to_pcm16(b"".join(frames)), from_rate=8000, to_rate=16000)
    assert {event.rate for event in audio} == {16000}
    for track in ("inbound", "outbound"):
        received = b"".join(event.pcm for event in audio if event.track == track)
        # The frames converted as one piece (a resampler per track, no seam between them): the whole audio's
        # conversion, to soxr's rounding; soxr holds back the last ~100 ms until more comes.
        samples, expected = array("h", received), array("h", whole[: len(received)])
        assert samples and max(abs(a - b) for a, b in zip(samples, expected, strict=True)) <= 2, track


def test_a_send_on_a_websocket_gone_away_is_the_sessions_error_and_ends_the_session() -> None:
    async def scenario() -> media.Ended | None:
        channel = _BrokenChannel([media.signalwire_connected(), _start()])
        async with _session(channel) as session:
            with pytest.raises(media.MediaSessionError, match=r"the WebSocket closed \(ConnectionResetError\)"):
                await session.send_dtmf("1")
            ended = session.ended
            with pytest.raises(media.MediaSessionError, match="the stream has ended: no DTMF can be sent"):
                await session.send_dtmf("2")
            await session.clear()  # nothing to clear on a stream that is over: no error either
        return ended

    assert asyncio.run(scenario()) == media.Ended(media.EndReason.CLOSED, None, None)


def test_a_clear_on_a_broken_websocket_still_resolves_the_pending_plays_as_cleared() -> None:
    async def scenario() -> tuple[media.Played | media.Cleared, media.Ended | None]:
        channel = _BrokenChannel([media.signalwire_connected(), _start()])
        async with _session(channel) as session:
            playback = session.play(b"\x00\x00" * 8000)  # 1 s: its first frames' send fails in the writer
            await session.clear()
            return await playback, session.ended

    outcome, ended = asyncio.run(scenario())
    assert outcome == media.Cleared(played_ms=0, duration_ms=1000)
    assert ended is not None and ended.reason == media.EndReason.CLOSED


def test_a_websocket_that_fails_under_the_reader_ends_the_session_as_closed_without_raising() -> None:
    class _Failing(_Channel):
        async def receive(self) -> str | None:
            text = await super().receive()
            if text is None:
                raise ConnectionResetError("reset by peer")
            return text

    async def scenario() -> tuple[list[media.Event], media.Ended | None]:
        channel = _Failing([media.signalwire_connected(), _start()])
        channel.incoming.put_nowait(media.signalwire_dtmf(sequence_number=2, digit="9", duration=100))
        channel.incoming.put_nowait(None)
        async with _session(channel) as session:
            return [event async for event in session], session.ended

    events, ended = asyncio.run(scenario())
    assert [type(event) for event in events] == [media.Dtmf]
    assert ended == media.Ended(media.EndReason.CLOSED, None, None)


def test_a_play_shows_what_is_playing_how_much_was_heard_and_its_outcome_and_the_session_never_its_bearer() -> None:
    async def scenario() -> list[str]:
        channel = _Channel([media.signalwire_connected(), _start()])
        session = MediaSession(
            _Opener(channel), bearer="bearer-secret-1234", client=None, receive_rate=None, byteorder="little"
        )
        seen = [repr(session), repr(session.playing)]
        async with session:
            first, second = session.play(b"\x00\x00" * 800), session.play(b"\x00\x00" * 800)
            assert session.playing is first and (first.played_ms, first.outcome) == (0, None)
            seen += [repr(first), repr(session)]
            await session.clear()
            assert session.playing is None
            assert first.outcome == second.outcome == media.Cleared(played_ms=0, duration_ms=100)
            seen.append(repr(first))
        return seen

    before, nothing, playing, started, cleared = asyncio.run(scenario())
    assert (before, nothing) == ("<MediaSession stream_sid=None ended=None>", "None")
    assert playing == "<Playback duration_ms=100 played_ms=0 outcome=None>"
    assert started == f"<MediaSession stream_sid={SID!r} ended=None>" and "bearer-secret" not in started
    assert cleared == "<Playback duration_ms=100 played_ms=0 outcome=Cleared(played_ms=0, duration_ms=100)>"


def test_two_hang_ups_at_once_end_the_call_with_one_request_and_both_return() -> None:
    from signalwire_compat import cxml
    from signalwire_compat.testing import FakeSpace

    def held(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [str(cxml.VoiceResponse().pause(length=3600)).encode()]

    async def scenario(space: FakeSpace, call_sid: str) -> None:
        start = media.signalwire_start(stream_sid=SID, account_sid=space.project_id, call_sid=call_sid)
        channel = _Channel([media.signalwire_connected(), start])
        async with space.async_client(in_process=True) as client:
            opened = MediaSession(_Opener(channel), bearer=None, client=client, receive_rate=None, byteorder="little")
            async with opened as session:
                await asyncio.gather(session.hang_up(after_playout=False), session.hang_up())

    with FakeSpace(listen=False, callback_app=held) as space:
        call = space.incoming_call("http://agent.test/voice")
        asyncio.run(scenario(space, call.sid))
        call.wait_until_ended()
        hang_ups = [r for r in space.requests if r.path.endswith(f"/Calls/{call.sid}")]
    assert [(r.method, r.form, r.status) for r in hang_ups] == [("POST", {"Status": ["completed"]}, 200)]
    assert call.status == "completed"


async def _let_the_session_run() -> None:
    """Let the reader and the writer handle what the in-memory channel holds (no I/O: a few passes of the loop)."""
    for _ in range(50):
        await asyncio.sleep(0)


def _sent_audio_and_marks(channel: _Channel) -> tuple[int, list[str]]:
    messages = [json.loads(text) for text in channel.sent]
    audio = sum(len(base64.b64decode(m["media"]["payload"])) for m in messages if m["event"] == "media")
    return audio, [m["mark"]["name"] for m in messages if m["event"] == "mark"]


def test_a_resampled_plays_held_tail_goes_out_as_soon_as_sending_the_rest_leaves_signalwires_queue_short() -> None:
    pcm = bytes(array("h", [4000, -4000] * 2400))  # 300 ms at 16 kHz, played on an 8 kHz PCMU stream
    at_once = len(Resampler(16000, 8000).resample(pcm)) // 16  # soxr gives ~207 ms now, holds the rest
    assert 200 < at_once <= 200 + FLUSH_MS  # what makes this case: the lead goes first, then a short rest

    async def scenario() -> tuple[tuple[int, list[str]], media.Played | media.Cleared | None]:
        clock = [media.signalwire_media(sequence_number=1, audio=b"\xff" * 160, chunk=1, timestamp=0)]
        channel = _Channel([media.signalwire_connected(), _start(), *clock])
        async with _session(channel) as session:
            playback = session.play(pcm, rate=16000)
            await _let_the_session_run()  # the lead (200 ms) went out at call time 0
            for number in range(1, 11):  # a slow loop: SignalWire's next 200 ms of frames read in one go
                timestamp = 20 * number
                frame = media.signalwire_media(
                    sequence_number=1 + number, audio=b"\xff" * 160, chunk=1 + number, timestamp=timestamp
                )
                channel.incoming.put_nowait(frame)
            await _let_the_session_run()  # the rest went, leaving a few ms queued: the tail must follow now
            sent = _sent_audio_and_marks(channel)
            channel.incoming.put_nowait(media.signalwire_mark(sequence_number=12, name=sent[1][-1]))
            await _let_the_session_run()
            return sent, playback.outcome

    (audio, marks), outcome = asyncio.run(scenario())
    assert audio == 300 * 8 and marks[-1] == f"0:{300 * 8}"  # all of it, and the mark after its last frame
    assert outcome == media.Played(played_ms=300, duration_ms=300)
