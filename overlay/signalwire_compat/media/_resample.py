"""Streaming sample-rate conversion of 16-bit PCM (8, 16, 24 kHz and others), by soxr.

soxr is what pipecat resamples with; it needs numpy. Both come with the optional extra
``signalwire-compat[audio]`` and are imported only when a rate actually changes, so PCMU at
8 kHz in and out needs neither. A ``Resampler`` carries the filter's state from one chunk to the
next: a stream cut into 20 ms frames converts as one piece, with no click at the frame edges.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .._exceptions import SignalWireError
from ._g711 import as_bytes

if TYPE_CHECKING:
    import numpy

__all__ = ["AudioExtraMissingError", "Resampler", "check_rate", "resample"]

_MIN_RATE, _MAX_RATE = 4000, 192000
# soxr's "HQ" (its default): 20-bit quality, far past a phone line's, at ~4 µs per 20 ms frame here.
_QUALITY = "HQ"


class AudioExtraMissingError(SignalWireError, ImportError):
    """Resampling needs soxr and numpy: ``pip install 'signalwire-compat[audio]'``."""


def _modules() -> tuple[Any, Any]:
    try:
        import numpy
        import soxr  # type: ignore[import-untyped]
    except ImportError as error:
        raise AudioExtraMissingError(
            f"converting between sample rates needs the audio extra ({error.name} is missing): "
            "pip install 'signalwire-compat[audio]'"
        ) from None
    return numpy, soxr


def check_rate(value: object, name: str) -> int:
    """``value`` if soxr converts at that rate (an int from 4 to 192 kHz), else a ``ValueError`` naming ``name``."""
    if type(value) is not int or not _MIN_RATE <= value <= _MAX_RATE:
        raise ValueError(f"{name} must be an int from {_MIN_RATE} to {_MAX_RATE} Hz, got {value!r}")
    return value


class Resampler:
    """Converts 16-bit little-endian mono PCM from ``from_rate`` to ``to_rate``, chunk after chunk.

    ``resample(chunk)`` returns what is ready (the filter holds back a few ms, so the first
    chunks may give less, or nothing); ``flush()`` returns the rest at the end of a stream and
    readies the resampler for a new one. Equal rates pass the audio through, untouched.
    """

    def __init__(self, from_rate: int, to_rate: int) -> None:
        self.from_rate = check_rate(from_rate, "from_rate")
        self.to_rate = check_rate(to_rate, "to_rate")
        self._numpy: Any = None
        self._stream: Any = None
        if from_rate != to_rate:
            self._numpy, soxr = _modules()
            self._stream = soxr.ResampleStream(from_rate, to_rate, 1, dtype="int16", quality=_QUALITY)

    def __repr__(self) -> str:
        return f"Resampler(from_rate={self.from_rate}, to_rate={self.to_rate})"

    def resample(self, pcm: bytes | bytearray | memoryview) -> bytes:
        """The converted audio ready so far (16-bit little-endian PCM at ``to_rate``)."""
        raw = as_bytes(pcm, "pcm")
        if len(raw) % 2:
            raise ValueError(f"16-bit PCM must have an even number of bytes, got {len(raw)}")
        if self._stream is None:
            return bytes(raw)
        return self._bytes(self._stream.resample_chunk(self._array(raw)))

    def flush(self) -> bytes:
        """The audio the filter still holds, as if the stream ended here; the next chunk starts afresh."""
        if self._stream is None:
            return b""
        tail = self._bytes(self._stream.resample_chunk(self._array(b""), last=True))
        self._stream.clear()
        return tail

    def _array(self, raw: bytes | bytearray | memoryview) -> numpy.ndarray[Any, Any]:
        samples: numpy.ndarray[Any, Any] = self._numpy.frombuffer(raw, dtype="<i2")
        return samples.astype("=i2", copy=False)

    @staticmethod
    def _bytes(samples: numpy.ndarray[Any, Any]) -> bytes:
        if sys.byteorder != "little":
            samples = samples.byteswap()
        return bytes(samples.tobytes())


def resample(pcm: bytes | bytearray | memoryview, *, from_rate: int, to_rate: int) -> bytes:
    """All of ``pcm`` converted at once (a whole recording): ``Resampler`` for a stream of chunks."""
    converter = Resampler(from_rate, to_rate)
    return converter.resample(pcm) + converter.flush()
