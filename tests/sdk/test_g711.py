"""μ-law codecs without audioop: bit for bit against tables audioop made (tests/fixtures/g711), and fast."""

from __future__ import annotations

import hashlib
import struct
import time
from array import array
from pathlib import Path

import pytest

from signalwire_compat import media
from tests.helpers import FIXTURES

TABLES = FIXTURES / "g711"
DECODE = TABLES / "ulaw_decode.pcm16le"
ENCODE = TABLES / "ulaw_encode.u8"
EVERY_SAMPLE = struct.pack("<65536h", *range(-32768, 32768))


@pytest.mark.parametrize(
    ("path", "sha256"),
    [
        (DECODE, "3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827"),
        (ENCODE, "81d633c9e6972a18c74a58720b96cb8ca0bdd096d4060b646dd708c3b846019a"),
    ],
)
def test_reference_tables_are_the_files_their_provenance_note_describes(path: Path, sha256: str) -> None:
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    note = (TABLES / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"`{path.name}`" in note and f"`{sha256}`" in note


def test_decoding_matches_the_g711_table_for_all_256_codes() -> None:
    assert media.ulaw_to_pcm16(bytes(range(256))) == DECODE.read_bytes()


def test_decoding_gives_g711s_known_values() -> None:
    samples = struct.unpack("<4h", media.ulaw_to_pcm16(bytes([0x00, 0x7F, 0x80, 0xFF])))
    assert samples == (-32124, 0, 32124, 0)


def test_encoding_matches_audioop_lin2ulaw_for_all_65536_samples() -> None:
    assert media.pcm16_to_ulaw(EVERY_SAMPLE) == ENCODE.read_bytes()


def test_encoding_takes_any_bytes_like_object_and_empty_input() -> None:
    expected = ENCODE.read_bytes()[32768 : 32768 + 3]
    pcm = struct.pack("<3h", 0, 1, 2)
    assert media.pcm16_to_ulaw(bytearray(pcm)) == media.pcm16_to_ulaw(memoryview(pcm)) == expected
    assert media.pcm16_to_ulaw(pcm[:2]) == expected[:1]
    assert media.pcm16_to_ulaw(b"") == b"" and media.ulaw_to_pcm16(b"") == b""


def test_decoding_then_encoding_gives_back_every_code_but_negative_zero() -> None:
    codes = bytes(range(256))
    again = media.pcm16_to_ulaw(media.ulaw_to_pcm16(codes))
    assert [code for code in range(256) if again[code] != code] == [0x7F]  # -0 and +0 decode to the same 0


def test_odd_length_pcm_is_refused_with_the_sdks_error() -> None:
    with pytest.raises(media.MediaProtocolError, match="even number of bytes, got 3"):
        media.pcm16_to_ulaw(b"\x00\x01\x02")
    with pytest.raises(TypeError, match="must be bytes"):
        media.ulaw_to_pcm16("text")  # type: ignore[arg-type]


def test_l16_converters_take_an_explicit_byte_order_and_default_to_little_endian() -> None:
    pcm = struct.pack("<3h", 1, -2, 0x1234)
    assert media.l16_to_pcm16(pcm) == media.pcm16_to_l16(pcm) == pcm  # what SignalWire's WebSocket carries
    big = media.pcm16_to_l16(pcm, byteorder="big")
    assert big == struct.pack(">3h", 1, -2, 0x1234)
    assert media.l16_to_pcm16(big, byteorder="big") == pcm
    assert media.l16_to_pcm16(pcm, byteorder="little") == pcm
    with pytest.raises(ValueError, match="byteorder must be 'little' or 'big'"):
        media.l16_to_pcm16(pcm, byteorder="network")  # type: ignore[arg-type]
    with pytest.raises(media.MediaProtocolError, match="even number"):
        media.l16_to_pcm16(b"\x01", byteorder="big")


def test_a_20_ms_frame_decodes_and_encodes_over_1000_times_faster_than_real_time() -> None:
    frame = bytes(range(160))  # 20 ms of 8 kHz μ-law
    rounds = 2000
    best = float("inf")
    for _ in range(5):  # CPU time, the best of five runs: other processes share the cores
        started = time.process_time()
        for _ in range(rounds):
            media.pcm16_to_ulaw(media.ulaw_to_pcm16(frame))
        best = min(best, (time.process_time() - started) / rounds)
    assert 0.020 / best >= 1000, f"{0.020 / best:.0f}x real time"


def test_codecs_measure_a_memoryview_of_16_bit_samples_in_bytes_not_items() -> None:
    samples = array("h", [0, 1, 2, -3])  # what numpy's or array's buffers look like: items of 2 bytes
    pcm = samples.tobytes()
    view = memoryview(samples)
    assert view.format == "h" and len(view) == 4  # four items, eight bytes
    assert media.pcm16_to_ulaw(view) == media.pcm16_to_ulaw(pcm)
    assert media.pcm16_to_l16(view, byteorder="big") == media.pcm16_to_l16(pcm, byteorder="big")
    assert media.l16_to_pcm16(view, byteorder="little") == pcm
    assert media.ulaw_to_pcm16(view) == media.ulaw_to_pcm16(pcm)  # eight codes, not four
    odd = memoryview(array("h", [0, 1, 2]))[::2]  # not contiguous: read as the bytes it shows
    assert media.pcm16_to_ulaw(odd) == media.pcm16_to_ulaw(struct.pack("<2h", 0, 2))
