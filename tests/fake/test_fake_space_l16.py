"""FakeSpace sends L16 audio little-endian, as SignalWire does, unless told to use RFC 3551's big-endian order."""

from __future__ import annotations

import struct

import pytest

from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeSpace, ManualClock, Tone
from tests.fake.media_app import MediaApp

# 20 ms at 16 kHz: samples whose two bytes differ, so a swapped order cannot pass for the right one.
PCM = struct.pack("<320h", *(((n * 263) % 30000) - 15000 for n in range(320)))


def _answer(ws_url: str) -> str:
    response = cxml.VoiceResponse()
    response.start().stream(url=ws_url, codec="L16@16000h")
    response.pause(length=60)
    return str(response)


def _first_frame(space: FakeSpace, *, audio: bytes | None = PCM) -> bytes:
    with MediaApp(space.signing_key, cxml=_answer) as app:
        call = space.incoming_call(f"{app.url}/voice", audio=audio)
        (stream,) = call.wait_for_streams(1)
        space.media(stream.sid).wait_until_connected()
        connection = app.wait_for_connection()
        messages = connection.wait_for(lambda ms: any(isinstance(m, media.Media) for m in ms))
        call.hangup()
    frames = [m for m in messages if isinstance(m, media.Media)]
    return frames[0].payload


def test_l16_frames_are_little_endian_by_default_as_the_sdk_decodes_them() -> None:
    with FakeSpace(clock=ManualClock()) as space:
        payload = _first_frame(space)
    assert payload == PCM
    assert media.l16_to_pcm16(payload) == PCM  # the SDK's default order reads them back


def test_l16_frames_are_big_endian_when_the_space_is_told_so() -> None:
    with FakeSpace(clock=ManualClock(), l16_byteorder="big") as space:
        payload = _first_frame(space)
    assert payload == media.pcm16_to_l16(PCM, byteorder="big") != PCM
    assert media.l16_to_pcm16(payload, byteorder="big") == PCM


def test_an_unknown_byte_order_is_refused_when_the_space_is_made() -> None:
    with pytest.raises(ValueError, match="l16_byteorder must be 'little' or 'big'"):
        FakeSpace(l16_byteorder="network")  # type: ignore[arg-type]


def test_the_byte_order_and_audio_set_on_a_running_space_are_checked_and_go_to_the_streams_started_after() -> None:
    with FakeSpace(clock=ManualClock()) as space:
        with pytest.raises(ValueError, match="l16_byteorder must be 'little' or 'big'"):
            space.l16_byteorder = "network"  # type: ignore[assignment]
        with pytest.raises(TypeError, match="audio must be a Tone or 16-bit PCM bytes, not str"):
            space.audio = "a tone"  # type: ignore[assignment]
        assert (space.l16_byteorder, space.audio) == ("little", Tone())  # a refused setting changed nothing
        space.l16_byteorder, space.audio = "big", PCM
        payload = _first_frame(space, audio=None)  # the call's audio: the space's
    assert payload == media.pcm16_to_l16(PCM, byteorder="big")
