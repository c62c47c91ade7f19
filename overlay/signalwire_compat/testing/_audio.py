"""The audio FakeSpace streams: a tone or the test's own PCM, cut into 20 ms frames in the stream's codec.

Codecs: PCMU -> ``audio/x-mulaw`` 8000 Hz; L16 -> ``audio/x-L16`` at its rate, little-endian as SignalWire
sends it (``l16_byteorder="big"``: RFC 3551's network order); PCMA, for which SignalWire documents no
WebSocket format, -> ``audio/x-alaw`` 8000 Hz (G.711 A-law).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from functools import cache

import attrs

from .. import media

__all__ = [
    "FRAME_SECONDS",
    "AudioSource",
    "Codec",
    "FrameSource",
    "Tone",
    "byte_order",
    "codec_named",
    "pcm16_to_alaw",
]

FRAME_SECONDS = 0.02
_L16_RATES = {"L16": 8000, "L16@8000h": 8000, "L16@16000h": 16000, "L16@24000h": 24000}


@attrs.frozen
class Tone:
    """A sine tone, the default audio: ``frequency`` in Hz, ``level`` of full scale (0 to 1)."""

    frequency: float = 440.0
    level: float = 0.25

    def __attrs_post_init__(self) -> None:
        if not 0 < self.frequency <= 4000 or not 0 <= self.level <= 1:
            raise ValueError(f"a Tone needs 0 < frequency <= 4000 and 0 <= level <= 1, got {self!r}")

    def pcm(self, sample_rate: int, seconds: float = 1.0) -> bytes:
        """``seconds`` of the tone as 16-bit signed little-endian PCM."""
        count = round(sample_rate * seconds)
        peak = self.level * 32767
        step = 2 * math.pi * self.frequency / sample_rate
        samples = array("h", (round(peak * math.sin(step * n)) for n in range(count)))
        return _little_endian(samples)


AudioSource = Tone | bytes  # bytes: 16-bit signed little-endian PCM at the stream's sample rate, played once


def _little_endian(samples: array[int]) -> bytes:
    import sys

    if sys.byteorder != "little":
        samples.byteswap()
    return samples.tobytes()


def _alaw(sample: int) -> int:
    # G.711 A-law of a 16-bit sample (the Sun/ITU reference: 13-bit magnitude, 8 segments).
    value = sample >> 3
    if value >= 0:
        mask = 0xD5
    else:
        mask, value = 0x55, -value - 1
    for segment, end in enumerate((0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)):
        if value <= end:
            shifted = value >> 1 if segment < 2 else value >> segment
            return ((segment << 4) | (shifted & 0x0F)) ^ mask
    return 0x7F ^ mask


@cache
def _alaw_table() -> bytes:
    return bytes(_alaw(index - 65536 if index >= 32768 else index) for index in range(65536))


def pcm16_to_alaw(data: bytes) -> bytes:
    """16-bit signed little-endian PCM -> G.711 A-law bytes."""
    table = _alaw_table()
    return bytes(table[sample] for sample in memoryview(data).cast("H"))


@attrs.frozen
class Codec:
    """How a stream's audio travels: the ``start`` message's ``mediaFormat`` and the encoder from PCM."""

    encoding: str
    sample_rate: int
    encode: Callable[[bytes], bytes]

    @property
    def frame_bytes(self) -> int:
        """Bytes of one 20 ms frame in this codec (μ-law and A-law: 1 per sample; L16: 2)."""
        samples = round(self.sample_rate * FRAME_SECONDS)
        return samples * (2 if self.encoding == "audio/x-L16" else 1)


def _l16_little(data: bytes) -> bytes:
    return media.pcm16_to_l16(data, byteorder="little")


def _l16_big(data: bytes) -> bytes:
    return media.pcm16_to_l16(data, byteorder="big")


_CODECS = {
    "PCMU": Codec("audio/x-mulaw", 8000, media.pcm16_to_ulaw),
    "PCMA": Codec("audio/x-alaw", 8000, pcm16_to_alaw),
    **{name: Codec("audio/x-L16", rate, _l16_little) for name, rate in _L16_RATES.items()},
}
_BIG_ENDIAN_L16 = {name: Codec("audio/x-L16", rate, _l16_big) for name, rate in _L16_RATES.items()}


def byte_order(value: object) -> media.ByteOrder:
    """``value`` if it is ``"little"`` or ``"big"``; ``ValueError`` otherwise."""
    if value == "little" or value == "big":
        return value
    raise ValueError(f"l16_byteorder must be 'little' or 'big', got {value!r}")


def codec_named(name: str | None, *, l16_byteorder: media.ByteOrder = "little") -> Codec | None:
    """REST's ``StreamCodec`` or cXML's ``codec`` value -> its ``Codec`` (None: PCMU); None if unknown.

    L16 is sent little-endian, as SignalWire does; ``l16_byteorder="big"`` sends network order instead.
    """
    if name is None or name in ("PCMU", "PCMU@8000h"):
        return _CODECS["PCMU"]
    if l16_byteorder == "big" and name in _BIG_ENDIAN_L16:
        return _BIG_ENDIAN_L16[name]
    return _CODECS.get(name)


@cache
def _tone_frames(tone: Tone, codec: Codec) -> tuple[bytes, ...]:
    # One second of a whole number of cycles' worth loops seamlessly; encoded once per tone and codec.
    encoded = codec.encode(tone.pcm(codec.sample_rate))
    size = codec.frame_bytes
    return tuple(encoded[start : start + size] for start in range(0, len(encoded), size))


class FrameSource:
    """The next 20 ms frame of a stream's audio, already in its codec (silence once PCM runs out)."""

    def __init__(self, source: AudioSource, codec: Codec) -> None:
        self._codec = codec
        self._index = 0
        size = codec.frame_bytes
        pcm_frame = size if codec.encoding == "audio/x-L16" else 2 * size
        self._silence = codec.encode(bytes(pcm_frame))
        if isinstance(source, Tone):
            self._frames = _tone_frames(source, codec)
            self._loop = True
        else:
            if len(source) % 2:
                raise ValueError(f"PCM audio must be 16-bit samples (an even number of bytes), got {len(source)}")
            encoded = codec.encode(bytes(source))
            self._frames = tuple(encoded[start : start + size] for start in range(0, len(encoded), size))
            self._loop = False

    def next_frame(self) -> bytes:
        if self._index >= len(self._frames):
            if not self._loop or not self._frames:
                return self._silence
            self._index = 0
        frame = self._frames[self._index]
        self._index += 1
        return frame if len(frame) == len(self._silence) else frame + self._silence[len(frame) :]

    @property
    def silence(self) -> bytes:
        return self._silence
