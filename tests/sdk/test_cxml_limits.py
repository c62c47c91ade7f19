"""cXML's limits, the same for every reader and writer: how deep a document nests, how much lint-cxml
reads, which encodings a document's bytes may be in, and how many digits an integer has."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest

from signalwire_compat import cxml

LIMIT = 1024 * 1024  # bytes: parse, lint-cxml and FakeSpace refuse a larger document


def nested(depth: int, tag: str = "Gather") -> str:
    return "<Response>" + f"<{tag}>" * depth + f"</{tag}>" * depth + "</Response>"


def lint(arguments: list[str], stdin: io.RawIOBase | io.BytesIO | None = None) -> tuple[int, str, str]:
    from signalwire_compat.cxml import _lint

    out, err = io.StringIO(), io.StringIO()
    code = _lint.main(arguments, stdin=stdin or io.BytesIO(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# -- nesting ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["Gather", "Dial", "Play"])
def test_a_document_nested_a_thousand_deep_is_a_cxml_error_with_its_line(tag: str) -> None:
    with pytest.raises(cxml.CXMLError, match="nested more than") as caught:
        cxml.parse(nested(1000, tag))
    assert caught.value.line == 1


def test_a_document_nested_as_deep_as_the_limit_is_read_and_compares_equal() -> None:
    document = "<Response>" + "<Gather>" * 62 + "<Say>deep</Say>" + "</Gather>" * 62 + "</Response>"
    assert cxml.parse(document) == cxml.parse(document)


def test_lint_cxml_reports_a_deeply_nested_document_on_one_line_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_text(nested(1000))
    code, out, err = lint([str(path)])
    assert (code, err) == (1, "")
    assert out == f"{path}: invalid: line 1: elements are nested more than 64 deep\n"


# -- how much lint-cxml reads -------------------------------------------------------------------------------


class EndlessInput(io.RawIOBase):
    """A stdin that never ends (``yes``-like): it counts what was read from it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = min(len(buffer), 64 * 1024)
        buffer[:size] = b" " * size
        self.given += size
        return size


def test_lint_cxml_reads_at_most_the_limit_plus_one_byte_of_stdin() -> None:
    endless = EndlessInput()
    code, out, err = lint(["-"], stdin=io.BufferedReader(endless))
    assert (code, out, err) == (1, f"-: invalid: the document is larger than {LIMIT} bytes\n", "")
    assert endless.given <= LIMIT + 1 + io.DEFAULT_BUFFER_SIZE  # what the buffered reader may read ahead


def test_lint_cxml_reads_at_most_the_limit_plus_one_byte_of_a_file(tmp_path: Path) -> None:
    fifo = tmp_path / "document.xml"
    os.mkfifo(fifo)
    written = [0]

    def write_four_megabytes() -> None:
        with open(fifo, "wb", buffering=0) as pipe:  # opens once lint-cxml opens the other end
            for _ in range(64):
                try:
                    written[0] += pipe.write(b" " * (64 * 1024))
                except BrokenPipeError:  # lint-cxml closed it: it read what it needed
                    return

    writer = threading.Thread(target=write_four_megabytes)
    writer.start()
    try:
        code, out, _ = lint([str(fifo)])
    finally:
        writer.join(10)
    assert (code, out) == (1, f"{fifo}: invalid: the document is larger than {LIMIT} bytes\n")
    assert not writer.is_alive()
    assert written[0] < 2 * LIMIT  # what lint-cxml read, and at most what the pipe holds besides


def test_a_str_document_is_measured_in_utf8_bytes() -> None:
    say = "é" * (LIMIT // 2)  # 2 bytes each in UTF-8: over the limit in bytes, under it in characters
    with pytest.raises(cxml.CXMLError, match=f"larger than {LIMIT} bytes"):
        cxml.parse(f"<Response><Say>{say}</Say></Response>")


# -- encodings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("iso-8859-1", "ISO-8859-1"), ("utf-16", "UTF-16"), ("utf-16", None), ("utf-8-sig", None)],
    ids=["latin-1", "utf-16-declared", "utf-16-bom-only", "utf-8-bom"],
)
def test_bytes_are_read_in_the_encoding_the_document_declares_or_its_bom_shows(
    encoding: str, declared: str | None
) -> None:
    head = "" if declared is None else f'<?xml version="1.0" encoding="{declared}"?>'
    document = f'{head}<Response><Start><Stream url="wss://a.example/b" name="café"/></Start></Response>'
    (start,) = cxml.parse(document.encode(encoding)).children
    assert isinstance(start, cxml.Start)
    assert start.children[0].attributes["name"] == "café"


# -- integers ----------------------------------------------------------------------------------------------


def test_integers_have_at_most_18_digits_when_built_and_when_read() -> None:
    largest = 10**18 - 1
    response = cxml.VoiceResponse().pause(length=largest).say("hi", loop=largest)
    assert cxml.parse(str(response)) == response  # what the builder writes, every reader takes
    for build in (
        lambda: cxml.VoiceResponse().pause(length=10**18),
        lambda: cxml.VoiceResponse().say("hi", loop=10**18),
        lambda: cxml.VoiceResponse().dial(timeout=10**30),
    ):
        with pytest.raises(cxml.CXMLError, match="at most 18 digits"):
            build()
    with pytest.raises(cxml.CXMLError, match="at most 18 digits"):
        cxml.parse(f"<Response><Pause length='{10**18}'/></Response>")
    code, out, _ = lint(["-"], stdin=io.BytesIO(f"<Response><Pause length='{10**18}'/></Response>".encode()))
    assert code == 1 and "at most 18 digits" in out
