"""WAV files of the caller's speech, read with the standard library's ``wave``: 16-bit mono PCM and its rate."""

from __future__ import annotations

import io
import os
import wave

__all__ = ["read_wav"]


def read_wav(source: str | os.PathLike[str] | bytes) -> tuple[bytes, int]:
    """The 16-bit little-endian PCM of a mono WAV file (its path or its bytes) and its sample rate.

    ``ValueError`` naming what is wrong for anything else (stereo, 8 or 24 bits, not a WAV file), and
    ``OSError`` for a file that cannot be read.
    """
    shown = "the WAV bytes" if isinstance(source, bytes) else os.fspath(source)
    try:
        with wave.open(io.BytesIO(source) if isinstance(source, bytes) else os.fspath(source), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(f"{shown} is not a WAV file Python's wave module reads: {error}") from None
    if channels != 1 or width != 2:
        raise ValueError(f"{shown} must be 16-bit mono PCM, not {8 * width}-bit with {channels} channels")
    return frames, rate  # a WAV file's samples are little-endian already
