"""The media session's core over an in-memory channel: how it starts, what it refuses, what it skips."""

from __future__ import annotations

import asyncio

import pytest

from signalwire_compat import media
from signalwire_compat.media._session import MediaSession

SID, CALL, ACCOUNT = "s-1", "c-1", "a-1"


class _Channel:
    def __init__(self, incoming: list[str]) -> None:
        self.incoming = asyncio.Queue[str | None]()
        for text in incoming:
            self.incoming.put_nowait(text)
        self.sent: list[str] = []
        self.close_code: int | None = None
        self.closed_with: int | None = None

    async def receive(self) -> str | None:
        return await self.incoming.get()

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
            with pytest.raises(ValueError, match="from_rate must be an int"):
                session.play(b"\x00\x00", rate=0)
            with pytest.raises(ValueError, match="digits must be"):
                await session.send_dtmf("12x")
        ended = session.play(b"\x00\x00" * 80)  # after the block: cleared at once
        assert await ended == media.Cleared(played_ms=0, duration_ms=10)
        return channel

    channel = asyncio.run(scenario())
    assert channel.sent == [] and channel.closed_with == 1000
