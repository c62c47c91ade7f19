"""The fault matrix: every way the network or the server can misbehave, sync and async, for the two idempotent
updates: a stream's stop and a call's hang-up.

Each case states the typed outcome, how many requests the server must see (bounded attempts) and
how long it may take (bounded time). After the whole matrix, sockets and threads are back to their
starting counts.
"""

from __future__ import annotations

import functools
import os
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from email.utils import formatdate
from typing import Any

import attrs
import pytest

import signalwire_compat as sw
from tests.helpers import FAST_RETRIES, Runner, call_document, call_stream_document, error_document
from tests.servers import Reply, ScriptedServer

OK = Reply.json(200, call_stream_document())
CALL_OK = Reply.json(200, call_document())
SAME = object()  # a hang-up ends as the stop does
HTML = b"<!DOCTYPE html><html><body><h1>Gateway error</h1><p>upstream said no</p></body></html>"
BIG = 50 * 1024 * 1024


@attrs.frozen
class Case:
    name: str
    script: list[Reply]
    outcome: type[BaseException] | None  # None: the stop succeeds
    requests: int
    max_seconds: float
    options: dict[str, Any] = attrs.field(factory=dict)
    min_seconds: float = 0.0
    slow: bool = False  # waits a second or more by design (make quick skips it)
    hang_up_outcome: object = SAME  # where a hang-up ends otherwise: None, it succeeds


def repeat(reply: Reply, times: int) -> list[Reply]:
    return [reply] * times


CASES = [
    Case("503 x2 then success", [*repeat(Reply.json(503, error_document(503)), 2), OK], None, 3, 5),
    Case("503 forever", repeat(Reply.json(503, error_document(503)), 10), sw.ServiceUnavailableError, 3, 5),
    Case(
        "429 Retry-After seconds",
        [Reply.json(429, error_document(429), headers={"Retry-After": "1"}), OK],
        None,
        2,
        5,
        min_seconds=0.95,
        slow=True,
    ),
    Case(
        "429 Retry-After HTTP-date",
        [Reply.json(429, error_document(429), headers={"Retry-After": "HTTPDATE+2"}), OK],
        None,
        2,
        5,
        min_seconds=0.9,
        slow=True,
    ),
    Case(
        "503 Retry-After over max_retry_wait ends the retries",
        [Reply.json(503, error_document(503), headers={"Retry-After": "999999999"}), OK],
        sw.ServiceUnavailableError,
        1,
        3,
        {"max_retry_wait": 0.3},
    ),
    Case(
        "503 Retry-After negative means now",
        [Reply.json(503, error_document(503), headers={"Retry-After": "-30"}), OK],
        None,
        2,
        3,
    ),
    Case(
        "429 Retry-After garbage falls back to backoff",
        [Reply.json(429, error_document(429), headers={"Retry-After": "soon-ish"}), OK],
        None,
        2,
        3,
    ),
    Case("500 HTML", repeat(Reply(500, HTML, headers={"Content-Type": "text/html"}), 3), sw.InternalServerError, 3, 5),
    Case("502 HTML", repeat(Reply(502, HTML, headers={"Content-Type": "text/html"}), 3), sw.InternalServerError, 3, 5),
    Case("504 HTML", repeat(Reply(504, HTML, headers={"Content-Type": "text/html"}), 3), sw.InternalServerError, 3, 5),
    Case("502 HTML then success", [Reply(502, HTML), OK], None, 2, 5),
    Case("reset before the response, twice, then success", [Reply(reset=True), Reply(reset=True), OK], None, 3, 5),
    Case("reset forever", repeat(Reply(reset=True), 5), sw.APIConnectionError, 3, 5),
    Case(
        "closed in the middle of the body, then success",
        [Reply(200, OK.body, headers={"Content-Type": "application/json"}, close_after=20), OK],
        None,
        2,
        5,
    ),
    Case(
        "closed in the middle of a chunked body, forever",
        repeat(Reply(200, OK.body, chunked=True, close_after=20), 3),
        sw.APIConnectionError,
        3,
        5,
    ),
    Case(
        "headers never come", repeat(Reply(hang=True), 3), sw.APITimeoutError, 2, 3, {"timeout": 0.3, "max_retries": 1}
    ),
    Case(
        "each body byte slower than the timeout",
        repeat(Reply(200, OK.body, trickle=0.5), 2),
        sw.APITimeoutError,
        2,
        4,
        {"timeout": 0.3, "max_retries": 1},
    ),
    Case(
        "body trickles in, whole body slower than the timeout",
        repeat(Reply(200, OK.body, trickle=0.02), 2),
        sw.APITimeoutError,
        2,
        4,
        {"timeout": 0.5, "max_retries": 1},
    ),
    Case("truncated JSON", [Reply(200, OK.body[:40])], sw.APIResponseValidationError, 1, 3),
    Case("JSON array", [Reply(200, b"[]")], sw.APIResponseValidationError, 1, 3),
    Case("JSON number", [Reply(200, b"42")], sw.APIResponseValidationError, 1, 3),
    Case(
        "JSON object missing fields",
        [Reply.json(200, {"status": "stopped"})],
        sw.APIResponseValidationError,
        1,
        3,
        hang_up_outcome=None,  # a call needs only its ids, which the request named: the hang-up happened
    ),
    Case("empty 200", [Reply(200, b"")], sw.APIResponseValidationError, 1, 3),
    Case("invalid UTF-8 200", [Reply(200, b'{"sid": "\xff\xfe"}')], sw.APIResponseValidationError, 1, 3),
    Case(
        "invalid UTF-8 error body",
        [Reply(404, b"\xff\xfe\xfd")],
        sw.NotFoundError,
        1,
        3,
        hang_up_outcome=None,  # a 404: the call has ended already, which is what hanging up wants
    ),
    Case(
        "wrong Content-Type on a good JSON body",
        [Reply(200, OK.body, headers={"Content-Type": "text/plain"})],
        None,
        1,
        3,
    ),
    Case(
        "HTML 200 from a proxy",
        [Reply(200, HTML, headers={"Content-Type": "text/html"})],
        sw.APIResponseValidationError,
        1,
        3,
    ),
    Case("huge chunked 200", [Reply(200, b"x" * BIG, chunked=True)], sw.APIResponseValidationError, 1, 5),
    Case("huge declared 200", [Reply(200, b"y" * BIG)], sw.APIResponseValidationError, 1, 5),
    Case("huge 503 body, retried", [Reply(503, b"z" * BIG, chunked=True), OK], None, 2, 5),
    Case(
        "response head trickles in, line by line, past the timeout",
        [Reply(200, OK.body, headers={f"X-Line-{n}": "x" for n in range(10)}, head_trickle=0.2)],
        sw.APITimeoutError,
        1,
        0.5 + 0.5,
        {"timeout": 0.5, "max_retries": 0},
    ),
    Case(
        "endless 100 Continue interim responses",
        [Reply(200, OK.body, continues=40, head_trickle=0.05)],
        sw.APITimeoutError,
        1,
        0.5 + 0.5,
        {"timeout": 0.5, "max_retries": 0},
    ),
    Case(
        "408 is retried even though it is not idempotent-specific",
        [Reply.json(408, error_document(408)), OK],
        None,
        2,
        3,
    ),
    # Answers the engines or the SDK once failed on with a raw exception: each must end as an SDK error.
    Case(
        "503 whose reason phrase is not Latin-1, then success",
        [Reply(raw="HTTP/1.1 503 Dienst \u2603 belegt\r\nContent-Length: 0\r\n\r\n".encode()), OK],
        None,
        2,
        3,
    ),
    Case(
        "503 with a non-ASCII header value, then success",
        [Reply.json(503, error_document(503), headers={"X-Served-By": "caf\u00e9"}), OK],
        None,
        2,
        3,
    ),
    Case("503 with a JSON body nested 100k deep, then success", [Reply(503, b"[" * 100_000), OK], None, 2, 3),
    Case(
        "a malformed chunk size in the middle of the body fails at once",
        [
            Reply(
                raw=b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\nzz\r\n',
                raw_pause_at=len(b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n'),
                hold_open=3.0,
            )
        ],
        sw.APIConnectionError,
        1,
        1.5,
        {"max_retries": 0},
    ),
    Case("non-standard status 499", [Reply(499, b"client closed", reason="Client Closed")], sw.APIStatusError, 1, 3),
    Case(
        "redirect is not followed",
        [Reply(302, b"", headers={"Location": "https://evil.example/"})],
        sw.APIStatusError,
        1,
        3,
    ),
]


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture(scope="module", autouse=True)
def nothing_leaks() -> Iterator[None]:
    threads, fds = threading.active_count(), open_fds()
    yield
    # A leak is more than there were. Fewer is not one: pytest-xdist may run another module's tests in
    # this worker meanwhile, and what they had left open (a socket awaiting garbage collection) may close.
    deadline = time.monotonic() + 5
    while (threading.active_count() > threads or open_fds() > fds) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= threads, "threads leaked by the fault matrix"
    assert open_fds() <= fds, "sockets or files leaked by the fault matrix"


def materialize(script: list[Reply], ok: Reply = OK) -> list[Reply]:
    # HTTP dates must be computed when the case runs, not at import; ``ok`` is the operation's own success.
    return [
        attrs.evolve(reply, headers={"Retry-After": formatdate(time.time() + 2, usegmt=True)})
        if reply.headers.get("Retry-After") == "HTTPDATE+2"
        else ok
        if reply is OK
        else reply
        for reply in script
    ]


def waits_by_design(case: Case) -> bool:
    """Cases that wait for a timeout or a Retry-After: make test runs them, make quick does not."""
    return case.slow or "timeout" in case.options


# A hang-up goes through every case but those that wait by design: a timeout or a Retry-After is waited the
# same way whatever the operation, and the waits would double the matrix's time.
@pytest.mark.parametrize(
    ("case", "operation"),
    [
        pytest.param(c, operation, id=f"{c.name}-{operation}", marks=[pytest.mark.slow] if waits_by_design(c) else [])
        for c in CASES
        for operation in ("stop", "hang_up")
        if operation == "stop" or not waits_by_design(c)
    ],
)
def test_fault(runner: Runner, case: Case, operation: str) -> None:
    options = {**FAST_RETRIES, **case.options}
    run = runner.stop_call if operation == "stop" else runner.hang_up
    outcome = case.outcome if operation == "stop" or case.hang_up_outcome is SAME else case.hang_up_outcome
    with ScriptedServer(materialize(case.script, OK if operation == "stop" else CALL_OK)) as server:
        started = time.monotonic()
        if outcome is None:
            result = run(server.url, **options)
            if operation == "stop":
                assert result.status == "stopped"
            else:  # None: the call had ended already; any call document ends the hang-up, whatever else it holds
                assert result is None or isinstance(result, sw.Call)
        else:
            assert isinstance(outcome, type)
            with pytest.raises(outcome) as caught:
                run(server.url, **options)
            assert type(caught.value).__module__.startswith("signalwire_compat")
        elapsed = time.monotonic() - started
    assert len(server.received) == case.requests
    assert case.min_seconds <= elapsed < case.max_seconds


def test_large_bodies_keep_memory_bounded(runner: Runner) -> None:
    with ScriptedServer([Reply(200, b"x" * BIG, chunked=True)]) as server:
        tracemalloc.start()
        try:
            with pytest.raises(sw.APIResponseValidationError, match="larger than 1048576 bytes"):
                runner.stop_call(server.url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes while refusing a {BIG}-byte body"


@functools.cache
def gzip_bomb() -> bytes:
    """64 MiB of zeros (64 times the cap below), gzip-compressed to about 64 KiB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(64)) + packer.flush()


def test_a_compressed_answer_cannot_inflate_past_the_cap(runner: Runner) -> None:
    # The SDK asks for identity; this server compresses anyway.
    reply = Reply(
        200, gzip_bomb(), headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}, chunked=True
    )
    cap = 1024 * 1024
    with ScriptedServer([reply]) as server:
        tracemalloc.start()
        try:
            with pytest.raises(sw.APIResponseValidationError, match=f"larger than {cap} bytes"):
                runner.stop_call(server.url, max_response_bytes=cap)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert server.received[0].headers["accept-encoding"] == "identity"
    assert peak < 2 * cap, f"peak {peak} bytes while refusing a gzip bomb with a {cap}-byte cap"


def test_max_response_bytes_is_configurable(runner: Runner) -> None:
    with ScriptedServer([OK]) as server:
        with pytest.raises(sw.APIResponseValidationError, match="larger than 100 bytes"):
            runner.stop_call(server.url, max_response_bytes=100)


def test_an_invoke_result_with_a_non_ascii_header_value_is_returned(runner: Runner) -> None:
    # The escape hatch hands back a detached copy of the answer; copying its headers once raised UnicodeEncodeError.
    from signalwire_compat import _generated as gen
    from tests.helpers import CALL, STREAM

    body = gen.UpdateCallStreamRequest(status=gen.UpdateCallStreamRequestStatus.STOPPED)
    reply = Reply.json(200, call_stream_document(), headers={"X-Served-By": "caf\u00e9"})
    with ScriptedServer([reply]) as server:
        result = runner.run(server.url, lambda c: c.invoke("update_stream", call_sid=CALL, sid=STREAM, body=body))
    assert result.status_code == 200
    assert (b"X-Served-By", "caf\u00e9".encode("latin-1")) in result.response.headers.raw
