"""Levels of 16-bit PCM without ``audioop`` (gone in Python 3.13): ``rms`` as ``audioop.rms`` gave it, and dBFS.

PCM here is 16-bit signed little-endian, as everywhere in ``media``.
"""

from __future__ import annotations

import math
import sys
from array import array

from .._exceptions import MediaProtocolError
from ._g711 import as_bytes

__all__ = ["dbfs", "rms"]

_FULL_SCALE = 32768.0


def _samples(pcm: bytes | bytearray | memoryview) -> array[int]:
    raw = as_bytes(pcm, "pcm")
    if len(raw) % 2:
        raise MediaProtocolError(f"16-bit PCM must have an even number of bytes, got {len(raw)}")
    samples = array("h")
    samples.frombytes(raw)
    if sys.byteorder != "little":
        samples.byteswap()
    return samples


def rms(pcm: bytes | bytearray | memoryview) -> int:
    """The root mean square of the samples, truncated to an int (``audioop.rms(pcm, 2)``; 0 for no samples)."""
    samples = _samples(pcm)
    if not samples:
        return 0
    return int(math.sqrt(sum(sample * sample for sample in samples) / len(samples)))


def dbfs(pcm: bytes | bytearray | memoryview) -> float:
    """The level in dB relative to full scale: 0.0 for a full-scale square wave, ``-inf`` for silence.

    About -3 dBFS for a full-scale sine; speech on a phone line is typically -35 to -15 dBFS.
    """
    samples = _samples(pcm)
    if not samples:
        return -math.inf
    mean_square = sum(sample * sample for sample in samples) / len(samples)
    if mean_square == 0:
        return -math.inf
    return 10 * math.log10(mean_square / (_FULL_SCALE * _FULL_SCALE))
