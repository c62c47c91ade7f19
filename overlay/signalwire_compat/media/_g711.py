"""G.711 μ-law codecs and L16 byte-order converters without ``audioop`` (gone in Python 3.13).

PCM here is 16-bit signed little-endian, what ``wave`` and ``audioop`` use.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence
from operator import itemgetter
from typing import Literal

from .._exceptions import MediaProtocolError

__all__ = ["ByteOrder", "as_bytes", "l16_to_pcm16", "pcm16_to_l16", "pcm16_to_ulaw", "ulaw_to_pcm16"]

ByteOrder = Literal["little", "big"]
_BIAS = 0x84
_CLIP = 8159  # the 14-bit magnitude audioop clips to before biasing
_SEGMENT_ENDS = (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)


def _decode(code: int) -> int:
    # G.711's expansion: complemented code, sign bit, 3-bit exponent, 4-bit mantissa.
    u = ~code & 0xFF
    magnitude = ((((u & 0x0F) << 3) + _BIAS) << ((u >> 4) & 0x07)) - _BIAS
    return -magnitude if u & 0x80 else magnitude


def _encode14(value: int) -> int:
    # audioop's st_14linear2ulaw on a sample already shifted to 14 bits (floor division, as
    # audioop's arithmetic shift does: this is why negative inputs round as audioop's, not G.191's).
    if value < 0:
        value, mask = -value, 0x7F
    else:
        mask = 0xFF
    value = min(value, _CLIP) + (_BIAS >> 2)
    for segment, end in enumerate(_SEGMENT_ENDS):
        if value <= end:
            return ((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask
    return 0x7F ^ mask


_DECODED = [_decode(code) for code in range(256)]
# Decoding is two byte-to-byte translations (the low and the high byte of each sample) interleaved.
_LOW = bytes(sample & 0xFF for sample in _DECODED)
_HIGH = bytes((sample >> 8) & 0xFF for sample in _DECODED)
_BY_14BIT = [_encode14(value - 8192) for value in range(16384)]
# Indexed by the sample read as unsigned 16-bit: 0..32767 are themselves, 32768.. are negative.
_ENCODED = bytes(_BY_14BIT[((index - 65536 if index >= 32768 else index) >> 2) + 8192] for index in range(65536))
_SWAP = sys.byteorder != "little"


def as_bytes(data: object, name: str) -> bytes | bytearray | memoryview:
    """``data`` as bytes-like of bytes: a view of 16-bit items (``array("h")``, numpy) is read as its bytes."""
    if isinstance(data, bytes | bytearray):
        return data
    if not isinstance(data, memoryview):
        raise TypeError(f"{name} must be bytes, bytearray or memoryview, not {type(data).__name__}")
    if data.format == "B" and data.ndim == 1 and data.c_contiguous:
        return data
    # len() of any other view counts items, and slicing walks items: read its bytes instead.
    return data.cast("B") if data.c_contiguous else data.tobytes()


def ulaw_to_pcm16(data: bytes | bytearray | memoryview) -> bytes:
    """μ-law bytes (one per sample) -> 16-bit signed little-endian PCM, by the G.711 table."""
    raw = as_bytes(data, "data")
    codes = raw if isinstance(raw, bytes) else bytes(raw)
    out = bytearray(2 * len(codes))
    out[0::2] = codes.translate(_LOW)
    out[1::2] = codes.translate(_HIGH)
    return bytes(out)


def pcm16_to_ulaw(data: bytes | bytearray | memoryview) -> bytes:
    """16-bit signed little-endian PCM -> μ-law bytes, exactly as ``audioop.lin2ulaw(data, 2)``."""
    raw = as_bytes(data, "data")
    if len(raw) % 2:
        raise MediaProtocolError(f"16-bit PCM must have an even number of bytes, got {len(raw)}")
    if _SWAP:
        swapped = array("H", bytes(raw))
        swapped.byteswap()
        samples: Sequence[int] = swapped
    else:
        samples = memoryview(raw).cast("H")
    if len(samples) < 2:  # itemgetter of one index returns the item, not a tuple
        return bytes(_ENCODED[sample] for sample in samples)
    # One C-level call fetching every sample's code (faster than map() for frame-sized input).
    return bytes(itemgetter(*samples)(_ENCODED))


def _swapped(raw: bytes | bytearray | memoryview) -> bytes:
    out = bytearray(len(raw))
    out[0::2] = raw[1::2]
    out[1::2] = raw[0::2]
    return bytes(out)


def _check_order(byteorder: object) -> None:
    if byteorder not in ("little", "big"):
        raise ValueError(f"byteorder must be 'little' or 'big', got {byteorder!r}")


def l16_to_pcm16(data: bytes | bytearray | memoryview, *, byteorder: ByteOrder = "little") -> bytes:
    """L16 samples in ``byteorder`` -> 16-bit signed little-endian PCM.

    Little-endian by default: what SignalWire's WebSocket carries in practice (the README's L16 passage).
    """
    raw = as_bytes(data, "data")
    _check_order(byteorder)
    if len(raw) % 2:
        raise MediaProtocolError(f"L16 audio must have an even number of bytes, got {len(raw)}")
    return bytes(raw) if byteorder == "little" else _swapped(raw)


def pcm16_to_l16(data: bytes | bytearray | memoryview, *, byteorder: ByteOrder = "little") -> bytes:
    """16-bit signed little-endian PCM -> L16 samples in ``byteorder`` (little-endian by default)."""
    return l16_to_pcm16(data, byteorder=byteorder)  # a swap is its own inverse
