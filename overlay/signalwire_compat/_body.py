"""Reading a response body within a size cap and a deadline, sans-IO.

Both clients feed the raw (still encoded) chunks they receive and stop when ``feed`` says so;
``result`` then says what was read, whether the cap or the deadline cut it short, and whether the
body used an encoding the SDK cannot decode. The cap applies to *decoded* bytes: the SDK asks for
``Accept-Encoding: identity``, and a server that compresses anyway is inflated with zlib's
``max_length`` in small steps, so a small gzip body cannot expand past the cap in memory. A body
over the cap keeps only its first ``KEPT_WHEN_TRUNCATED`` bytes (for the error it becomes), so the
reader never holds more than the cap plus one step: peak memory stays under twice the cap.
"""

from __future__ import annotations

import zlib
from typing import NamedTuple

__all__ = ["Body", "BodyReader"]

_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS  # zlib detects the gzip or zlib header itself
_INFLATE_STEP = 64 * 1024
KEPT_WHEN_TRUNCATED = 64 * 1024
_DECODABLE = frozenset({"", "identity", "gzip", "x-gzip", "deflate"})


class Body(NamedTuple):
    content: bytes  # the decoded body, or its first KEPT_WHEN_TRUNCATED bytes when truncated
    truncated: bool  # the decoded body is longer than ``max_bytes``
    timed_out: bool  # the deadline passed before the body ended
    undecodable: str | None  # why the body could not be decoded (unknown Content-Encoding, corrupt data)


class BodyReader:
    """Feed raw chunks with ``feed(chunk, now)`` until it returns True (stop) or the body ends."""

    def __init__(
        self, *, content_encoding: str | None, content_length: str | None, max_bytes: int, deadline: float
    ) -> None:
        self._max_bytes = max_bytes
        self._deadline = deadline
        self._chunks: list[bytes] = []
        self._size = 0
        self._truncated = False
        self._timed_out = False
        self._corrupt = False
        self._ended = False
        encoding = (content_encoding or "").strip().lower()
        self._encoding = encoding
        self._undecodable = None if encoding in _DECODABLE else f"unsupported Content-Encoding {encoding!r}"
        self._inflater: zlib._Decompress | None = None
        self._raw_deflate = False
        if encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(_GZIP_OR_ZLIB)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj()
        identity = self._inflater is None
        # A declared length over the cap is refused before reading (only meaningful unencoded).
        if identity and content_length is not None and content_length.isdigit():
            self._truncated = int(content_length) > max_bytes

    @property
    def done(self) -> bool:
        """Nothing more is to be read: the cap or the deadline was reached, the data is bad, or it ended."""
        return self._truncated or self._timed_out or self._corrupt or self._ended

    def end(self) -> None:
        """The body is complete (for a caller that knows it without reading on)."""
        self._ended = True

    def feed(self, chunk: bytes, now: float) -> bool:
        """Take one raw chunk; True when reading should stop (cap reached, deadline passed, or bad data)."""
        if self.done:
            return True
        if self._inflater is None:
            self._keep(chunk)
        else:
            self._inflate(chunk)
        if now > self._deadline and not self._truncated:
            self._timed_out = True  # each read came in time, but the body as a whole did not
        return self.done

    def result(self) -> Body:
        return Body(b"".join(self._chunks), self._truncated, self._timed_out, self._undecodable)

    def _keep(self, data: bytes) -> None:
        room = self._max_bytes - self._size
        if len(data) > room:
            self._truncated = True
            self._chunks.append(data[:room])
            self._keep_only_the_start()
        elif data:
            self._chunks.append(data)
            self._size += len(data)

    def _keep_only_the_start(self) -> None:
        kept: list[bytes] = []
        size = 0
        for chunk in self._chunks:
            if size >= KEPT_WHEN_TRUNCATED:
                break
            kept.append(chunk[: KEPT_WHEN_TRUNCATED - size])
            size += len(kept[-1])
        self._chunks, self._size = kept, size

    def _inflate(self, chunk: bytes) -> None:
        assert self._inflater is not None
        pending = chunk
        while pending and not self.done:
            room = self._max_bytes - self._size
            try:
                # Small steps; one byte past the cap is enough to know the body is too long.
                out = self._inflater.decompress(pending, min(room + 1, _INFLATE_STEP))
            except zlib.error:
                if not self._retry_as_raw_deflate(chunk):
                    self._undecodable = f"corrupt {self._encoding} data"
                    self._corrupt = True
                return
            self._keep(out)
            pending = self._inflater.unconsumed_tail

    def _retry_as_raw_deflate(self, chunk: bytes) -> bool:
        # "deflate" is often sent without the zlib header (RFC 9110 8.4.1.2 notes the confusion).
        if self._encoding != "deflate" or self._raw_deflate or self._size:
            return False
        self._raw_deflate = True
        self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        self._inflate(chunk)
        return True
