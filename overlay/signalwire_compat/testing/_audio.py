"""The audio FakeSpace streams: a tone or the test's own PCM, cut into 20 ms frames in the stream's codec.

Codecs: PCMU -> ``audio/x-mulaw`` 8000 Hz; L16 -> ``audio/x-L16`` at its rate, little-endian as SignalWire
sends it (``l16_byteorder="big"``: RFC 3551's network order); PCMA, for which SignalWire documents no
WebSocket format, -> ``audio/x-alaw`` 8000 Hz (G.711 A-law).
"""

from __future__ import annotations

import base64
import math
import threading
from array import array
from collections import deque
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
    "alaw_to_pcm16",
    "byte_order",
    "codec_named",
    "pcm16",
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


def _alaw_decoded(code: int) -> int:
    # The inverse of _alaw (the Sun/ITU reference): the middle of the code's quantisation step.
    code ^= 0x55
    segment = (code & 0x70) >> 4
    value = (code & 0x0F) << 4
    value = value + 8 if segment == 0 else (value + 0x108) << (segment - 1)
    return value if code & 0x80 else -value


@cache
def _alaw_decode_table() -> tuple[int, ...]:
    return tuple(_alaw_decoded(code) for code in range(256))


def alaw_to_pcm16(data: bytes) -> bytes:
    """G.711 A-law bytes -> 16-bit signed little-endian PCM."""
    table = _alaw_decode_table()
    return _little_endian(array("h", (table[code] for code in data)))


@attrs.frozen
class Codec:
    """How a stream's audio travels: the ``start`` message's ``mediaFormat`` and the encoder from PCM."""

    encoding: str
    sample_rate: int
    encode: Callable[[bytes], bytes]
    decode: Callable[[bytes], bytes]  # back to 16-bit little-endian PCM

    @property
    def width(self) -> int:
        """Bytes of one sample in this codec (μ-law and A-law: 1; L16: 2)."""
        return 2 if self.encoding == "audio/x-L16" else 1

    @property
    def frame_bytes(self) -> int:
        """Bytes of one 20 ms frame in this codec."""
        return round(self.sample_rate * FRAME_SECONDS) * self.width


def _l16_little(data: bytes) -> bytes:
    return media.pcm16_to_l16(data, byteorder="little")


def _l16_big(data: bytes) -> bytes:
    return media.pcm16_to_l16(data, byteorder="big")


def _from_l16_little(data: bytes) -> bytes:
    return media.l16_to_pcm16(data[: len(data) // 2 * 2], byteorder="little")


def _from_l16_big(data: bytes) -> bytes:
    return media.l16_to_pcm16(data[: len(data) // 2 * 2], byteorder="big")


_CODECS = {
    "PCMU": Codec("audio/x-mulaw", 8000, media.pcm16_to_ulaw, media.ulaw_to_pcm16),
    "PCMA": Codec("audio/x-alaw", 8000, pcm16_to_alaw, alaw_to_pcm16),
    **{name: Codec("audio/x-L16", rate, _l16_little, _from_l16_little) for name, rate in _L16_RATES.items()},
}
_BIG_ENDIAN_L16 = {name: Codec("audio/x-L16", rate, _l16_big, _from_l16_big) for name, rate in _L16_RATES.items()}


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


def _frames(encoded: bytes, size: int, silence: bytes) -> tuple[str, ...]:
    """Audio in a codec as 20 ms frames, base64 as a ``media`` message carries them (the last padded)."""
    frames = (encoded[start : start + size] for start in range(0, len(encoded), size))
    return tuple(base64.b64encode(frame + silence[len(frame) :]).decode("ascii") for frame in frames)


@cache
def _tone_frames(tone: Tone, codec: Codec) -> tuple[str, ...]:
    # One second of a whole number of cycles' worth loops seamlessly; encoded once per tone and codec.
    return _frames(codec.encode(tone.pcm(codec.sample_rate)), codec.frame_bytes, b"")


class FrameSource:
    """A track's next 20 ms frames, base64 in its codec: a tone (looped), PCM (once, then silence), and what
    ``say`` queues in their place while it lasts."""

    def __init__(self, source: AudioSource, codec: Codec) -> None:
        self._codec = codec
        self._index = 0
        self._silence_bytes = codec.encode(bytes(round(codec.sample_rate * FRAME_SECONDS) * 2))
        self.silence = base64.b64encode(self._silence_bytes).decode("ascii")
        if isinstance(source, Tone):
            self._frames = _tone_frames(source, codec)
            self._loop = True
        else:
            self._frames = _frames(codec.encode(pcm16(source)), codec.frame_bytes, self._silence_bytes)
            self._loop = False
        self._said: deque[str] = deque()
        self._lock = threading.Lock()

    def next_payload(self) -> str:
        """The next frame (the source moves on under what ``say`` queued, which takes its place)."""
        if self._index >= len(self._frames):
            if not self._loop or not self._frames:
                frame = self.silence
            else:
                self._index = 1
                frame = self._frames[0]
        else:
            frame = self._frames[self._index]
            self._index += 1
        if self._said:
            with self._lock:
                return self._said.popleft()
        return frame

    def say(self, pcm: bytes) -> int:
        """Queue 16-bit PCM at the codec's rate after what is queued (any thread); the frames queued."""
        frames = _frames(self._codec.encode(pcm16(pcm)), self._codec.frame_bytes, self._silence_bytes)
        with self._lock:
            self._said.extend(frames)
        return len(frames)


def pcm16(audio: object) -> bytes:
    """``audio`` as 16-bit PCM bytes: ``TypeError`` unless bytes-like, ``ValueError`` if an odd number of bytes."""
    if not isinstance(audio, bytes | bytearray | memoryview):
        raise TypeError(f"PCM audio must be bytes, bytearray or memoryview, not {type(audio).__name__}")
    data = bytes(audio)
    if len(data) % 2:
        raise ValueError(f"PCM audio must be 16-bit samples (an even number of bytes), got {len(data)}")
    return data
