"""The sans-IO body reader: caps on decoded bytes, deadlines, encodings."""

from __future__ import annotations

import gzip
import zlib

import pytest

from signalwire_compat._body import KEPT_WHEN_TRUNCATED, BodyReader


def read(chunks: list[bytes], *, encoding: str | None = None, length: str | None = None, cap: int = 100) -> BodyReader:
    reader = BodyReader(content_encoding=encoding, content_length=length, max_bytes=cap, deadline=10.0)
    for chunk in chunks:
        if reader.feed(chunk, now=1.0):
            break
    return reader


def test_plain_body_is_joined() -> None:
    body = read([b"ab", b"cd", b""]).result()
    assert (body.content, body.truncated, body.timed_out, body.undecodable) == (b"abcd", False, False, None)


def test_a_body_at_the_cap_is_whole_and_one_byte_more_is_truncated() -> None:
    assert read([b"x" * 60, b"y" * 40]).result().truncated is False
    reader = read([b"x" * 60, b"y" * 41, b"never read"])
    assert reader.done
    body = reader.result()
    assert body.truncated is True
    assert body.content == b"x" * 60 + b"y" * 40


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    reader = BodyReader(content_encoding=None, content_length="101", max_bytes=100, deadline=10.0)
    assert reader.done
    assert reader.result().truncated


def test_a_truncated_body_keeps_only_its_start() -> None:
    cap = 4 * KEPT_WHEN_TRUNCATED
    body = read([b"z" * 65536] * 5, cap=cap).result()
    assert body.truncated
    assert body.content == b"z" * KEPT_WHEN_TRUNCATED


def test_the_deadline_ends_a_trickling_body() -> None:
    reader = BodyReader(content_encoding=None, content_length=None, max_bytes=100, deadline=5.0)
    assert reader.feed(b"a", now=4.9) is False
    assert reader.feed(b"b", now=5.1) is True
    assert reader.result().timed_out


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "GZIP"])
def test_gzip_is_decoded(encoding: str) -> None:
    packed = gzip.compress(b'{"status": "stopped"}')
    body = read([packed[:5], packed[5:]], encoding=encoding).result()
    assert body.content == b'{"status": "stopped"}'


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_is_decoded_with_or_without_the_zlib_header(wbits: int) -> None:
    packer = zlib.compressobj(wbits=wbits)
    packed = packer.compress(b"hello " * 10) + packer.flush()
    assert read([packed], encoding="deflate").result().content == b"hello " * 10


def test_a_gzip_bomb_stops_at_the_cap_without_inflating_the_rest() -> None:
    packed = gzip.compress(b"\0" * (64 * 1024 * 1024))  # 64 MiB of zeros, ~64 KiB compressed
    reader = read([packed[i : i + 16384] for i in range(0, len(packed), 16384)], encoding="gzip", cap=1024 * 1024)
    body = reader.result()
    assert body.truncated
    assert len(body.content) == KEPT_WHEN_TRUNCATED


def test_unknown_and_corrupt_encodings_are_reported() -> None:
    assert read([b"raw"], encoding="br").result().undecodable == "unsupported Content-Encoding 'br'"
    assert read([b"raw"], encoding="br").result().content == b"raw"
    corrupt = read([b"not gzip at all"], encoding="gzip").result()
    assert corrupt.undecodable == "corrupt gzip data"


def test_end_marks_a_body_complete() -> None:
    reader = BodyReader(content_encoding=None, content_length=None, max_bytes=10, deadline=1.0)
    reader.feed(b"abc", now=0.0)
    reader.end()
    assert reader.done
    assert reader.result().content == b"abc"
