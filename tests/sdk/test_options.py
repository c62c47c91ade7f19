"""Per-call options (``with_options``, ``timeout=``) and raw responses (``with_raw_response``), sync and async,
on the wire."""

from __future__ import annotations

import asyncio
import pickle
import time
from typing import Any

import httpx
import pytest

import signalwire_compat as sw
from signalwire_compat import _generated as gen
from tests.helpers import (
    CALL,
    CALL_PATH,
    CONFERENCE,
    FAST_RETRIES,
    PROJECT,
    STREAM,
    TOKEN,
    Runner,
    call_stream_document,
    conference_stream_document,
    error_document,
)
from tests.servers import Reply, ScriptedServer


def ok() -> Reply:
    return Reply.json(200, call_stream_document())


# -- with_options -------------------------------------------------------------------------------------


def test_with_options_gives_a_client_of_the_same_class_on_the_same_connection(runner: Runner) -> None:
    async def both_async(client: sw.AsyncClient) -> Any:
        derived = client.with_options(timeout=5.0, max_retries=0)
        await client.calls(CALL).streams(STREAM).stop()
        return derived, await derived.calls(CALL).streams(STREAM).stop()

    def both_sync(client: sw.Client) -> Any:
        derived = client.with_options(timeout=5.0, max_retries=0)
        client.calls(CALL).streams(STREAM).stop()
        return derived, derived.calls(CALL).streams(STREAM).stop()

    with ScriptedServer([ok(), ok()]) as server:
        derived, stream = runner.run(server.url, both_sync if runner.kind == "sync" else both_async)
    assert type(derived) is (sw.Client if runner.kind == "sync" else sw.AsyncClient)
    assert stream.status == "stopped"
    assert len(server.received) == 2
    assert server.connections == 1  # the pool is shared


def test_with_options_max_retries_applies_to_the_derived_client_only(runner: Runner) -> None:
    def script() -> list[Reply]:
        return [Reply.json(503, error_document(503)), ok()]

    with ScriptedServer(script()) as server:
        runner.run(server.url, lambda c: c.calls(CALL).streams(STREAM).stop(), **FAST_RETRIES)
    assert len(server.received) == 2  # the client's own max_retries=2: retried
    with ScriptedServer(script()) as server, pytest.raises(sw.ServiceUnavailableError):
        runner.run(server.url, lambda c: c.with_options(max_retries=0).calls(CALL).streams(STREAM).stop())
    assert len(server.received) == 1


@pytest.mark.slow  # waits out a timeout by design (make quick skips it)
def test_with_options_timeout_bounds_each_attempt_of_the_derived_client(runner: Runner) -> None:
    with ScriptedServer([Reply(hang=True)]) as server:
        started = time.monotonic()
        with pytest.raises(sw.APITimeoutError, match=r"0\.15 s"):
            runner.run(
                server.url, lambda c: c.with_options(timeout=0.15, max_retries=0).calls(CALL).streams(STREAM).stop()
            )
    assert time.monotonic() - started < 5  # the client's own timeout is 30 s


@pytest.mark.slow  # waits out a timeout by design (make quick skips it)
def test_with_options_total_timeout_bounds_the_derived_clients_retries(runner: Runner) -> None:
    replies = [Reply.json(503, error_document(503), delay=0.2) for _ in range(6)]
    derived = {"total_timeout": 0.3, "max_retries": 5}
    started = time.monotonic()
    with ScriptedServer(replies) as server, pytest.raises((sw.ServiceUnavailableError, sw.APITimeoutError)):
        runner.run(server.url, lambda c: c.with_options(**derived).calls(CALL).streams(STREAM).stop(), **FAST_RETRIES)
    assert 1 <= len(server.received) <= 2  # 6 without the total budget
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": 0}, "timeout must be > 0"),
        ({"timeout": float("nan")}, "timeout must be a finite number"),
        ({"total_timeout": -1.0}, "total_timeout must be > 0"),
        ({"max_retries": 11}, "max_retries must be an int from 0 to 10"),
        ({"max_retries": True}, "max_retries must be an int"),
    ],
)
def test_with_options_checks_its_options_as_the_constructor_does(options: dict[str, Any], message: str) -> None:
    client = sw.Client(PROJECT, TOKEN, "example.signalwire.com")
    with pytest.raises(sw.ConfigurationError, match=message):
        client.with_options(**options)
    with pytest.raises(sw.ConfigurationError, match=message):
        sw.Client(PROJECT, TOKEN, "example.signalwire.com", **options)
    client.close()


@pytest.mark.parametrize("injected", [False, True], ids=["own pool", "injected http_client"])
def test_closing_a_derived_client_leaves_its_owner_open_and_closing_the_owner_closes_it(injected: bool) -> None:
    with ScriptedServer([ok(), ok()]) as server:
        http = httpx.Client() if injected else None
        owner = sw.Client(PROJECT, TOKEN, server.url, http_client=http)
        first, second = owner.with_options(timeout=5.0), owner.with_options(max_retries=0)
        first.close()
        with pytest.raises(sw.ClientClosedError):
            first.calls(CALL).streams(STREAM).stop()
        owner.calls(CALL).streams(STREAM).stop()  # still open
        second.calls(CALL).streams(STREAM).stop()
        grandchild = second.with_options(timeout=2.0)
        owner.close()
        for derived in (second, grandchild):
            with pytest.raises(sw.ClientClosedError, match="with_options"):
                derived.calls(CALL).streams(STREAM).stop()
        assert len(server.received) == 2
        if http is not None:
            assert not http.is_closed  # an injected client stays the caller's
            http.close()


def test_closing_an_async_owner_closes_its_derived_clients_and_not_the_reverse() -> None:
    async def main() -> None:
        with ScriptedServer([ok()]) as server:
            async with sw.AsyncClient(PROJECT, TOKEN, server.url) as owner:
                derived = owner.with_options(timeout=5.0)
                await derived.aclose()
                await owner.calls(CALL).streams(STREAM).stop()
                other = owner.with_options(max_retries=1)
            with pytest.raises(sw.ClientClosedError):
                await other.calls(CALL).streams(STREAM).stop()
            assert len(server.received) == 1

    asyncio.run(main())


# -- timeout= on each call ----------------------------------------------------------------------------


PER_CALL = {
    "stop": lambda c, t: c.calls(CALL).streams(STREAM).stop(timeout=t),
    "update": lambda c, t: c.conferences(CONFERENCE).streams(STREAM).update("stopped", timeout=t),
    "create": lambda c, t: c.calls(CALL).streams.create(url="wss://example.com/a", timeout=t),
    "conference create": lambda c, t: c.conferences(CONFERENCE).streams.create(url="wss://example.com/a", timeout=t),
    "invoke": lambda c, t: c.invoke(
        "update_stream",
        call_sid=CALL,
        sid=STREAM,
        body=gen.UpdateCallStreamRequest(status=gen.UpdateCallStreamRequestStatus.STOPPED),
        timeout=t,
    ),
}


# make quick times two of the calls (one typed, one invoke); make test all of them.
TIMED = [name if name in ("stop", "invoke") else pytest.param(name, marks=pytest.mark.slow) for name in PER_CALL]


@pytest.mark.slow  # waits out a timeout by design (make quick skips it)
@pytest.mark.parametrize("method", TIMED)
def test_a_per_call_timeout_bounds_that_call_and_not_the_next(runner: Runner, method: str) -> None:
    call = PER_CALL[method]
    document = conference_stream_document() if "conference" in method or method == "update" else call_stream_document()

    async def in_async(client: sw.AsyncClient) -> Any:
        with pytest.raises(sw.APITimeoutError, match=r"0\.1 s"):
            await call(client, 0.1)
        return await call(client, None)  # the client's timeout again (30 s): the slow answer arrives

    def in_sync(client: sw.Client) -> Any:
        with pytest.raises(sw.APITimeoutError, match=r"0\.1 s"):
            call(client, 0.1)
        return call(client, None)

    # The second answer is slower than the first call's timeout: the call after it has the client's own again.
    replies = [Reply(hang=True), Reply.json(200 if "create" not in method else 201, document, delay=0.15)]
    with ScriptedServer(replies) as server:
        started = time.monotonic()
        result = runner.run(server.url, in_sync if runner.kind == "sync" else in_async, max_retries=0)
    assert time.monotonic() - started < 5
    assert len(server.received) == 2
    assert result is not None


@pytest.mark.parametrize("method", PER_CALL)
def test_a_bad_per_call_timeout_is_refused_before_anything_is_sent(runner: Runner, method: str) -> None:
    with ScriptedServer([]) as server, pytest.raises(sw.ConfigurationError, match="timeout must be > 0"):
        runner.run(server.url, lambda c: PER_CALL[method](c, -1.0))
    assert server.received == []


# -- with_raw_response ---------------------------------------------------------------------------------


def test_a_raw_response_carries_status_headers_version_elapsed_and_the_parsed_result(runner: Runner) -> None:
    reply = Reply.json(200, call_stream_document(), headers={"X-Request-Id": "req-42"}, delay=0.05)
    with ScriptedServer([reply]) as server:
        raw = runner.run(server.url, lambda c: c.with_raw_response.calls(CALL).streams(STREAM).stop())
    assert isinstance(raw, sw.RawResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req-42"
    assert raw.headers["content-type"] == "application/json"
    assert raw.http_version == "HTTP/1.1"
    assert raw.elapsed.total_seconds() >= 0.05
    stream = raw.parse()
    assert isinstance(stream, sw.CallStream)
    assert (stream.sid, stream.status) == (STREAM, "stopped")
    assert raw.parse() is stream  # parsed once
    (request,) = server.received
    assert (request.path, request.body) == (CALL_PATH, b"Status=stopped")


def test_raw_creates_and_conference_calls_return_raw_responses_of_their_documents(runner: Runner) -> None:
    async def in_async(client: sw.AsyncClient) -> Any:
        raw = client.with_raw_response
        return [
            await raw.calls(CALL).streams.create(url="wss://example.com/a", name="n"),
            await raw.conferences(CONFERENCE).streams.create(url="wss://example.com/a", timeout=5.0),
            await raw.conferences(CONFERENCE).streams(STREAM).update("stopped"),
        ]

    def in_sync(client: sw.Client) -> Any:
        raw = client.with_raw_response
        return [
            raw.calls(CALL).streams.create(url="wss://example.com/a", name="n"),
            raw.conferences(CONFERENCE).streams.create(url="wss://example.com/a", timeout=5.0),
            raw.conferences(CONFERENCE).streams(STREAM).update("stopped"),
        ]

    replies = [
        Reply.json(201, call_stream_document(status="in-progress")),
        Reply.json(201, conference_stream_document(status="in-progress")),
        Reply.json(200, conference_stream_document()),
    ]
    with ScriptedServer(replies) as server:
        call, conference, stopped = runner.run(server.url, in_sync if runner.kind == "sync" else in_async)
    assert [r.status_code for r in (call, conference, stopped)] == [201, 201, 200]
    assert isinstance(call.parse(), sw.CallStream) and call.parse().status == "in-progress"
    assert isinstance(conference.parse(), sw.ConferenceStream)
    assert isinstance(stopped.parse(), sw.ConferenceStream) and stopped.parse().status == "stopped"
    assert server.received[0].form["Name"] == ["n"]


def test_raw_response_headers_are_the_redacted_detached_ones(runner: Runner) -> None:
    reply = Reply.json(200, call_stream_document(), headers={"X-Echo": f"token={TOKEN}"})
    with ScriptedServer([reply]) as server:
        raw = runner.run(server.url, lambda c: c.with_raw_response.calls(CALL).streams(STREAM).stop())
    assert raw.headers["x-echo"] == "token=[redacted]"
    assert "authorization" not in raw.headers
    for text in (repr(raw), str(raw), repr(raw.headers), str(raw.parse())):
        assert TOKEN not in text
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(raw)


@pytest.mark.slow  # waits out a timeout by design (make quick skips it)
def test_raw_calls_still_raise_the_usual_errors(runner: Runner) -> None:
    with ScriptedServer([Reply.json(404, error_document(404, "No such stream"))]) as server:
        with pytest.raises(sw.NotFoundError, match="No such stream"):
            runner.run(server.url, lambda c: c.with_raw_response.calls(CALL).streams(STREAM).stop())
    with ScriptedServer([Reply(hang=True)]) as server, pytest.raises(sw.APITimeoutError):
        runner.run(
            server.url, lambda c: c.with_raw_response.calls(CALL).streams(STREAM).stop(timeout=0.2), max_retries=0
        )


def test_a_raw_response_whose_body_cannot_be_read_raises_on_parse_as_the_plain_call_does(runner: Runner) -> None:
    bad = Reply(200, body=b'{"sid": 5}', headers={"Content-Type": "application/json"})
    with ScriptedServer([bad]) as server, pytest.raises(sw.APIResponseValidationError) as plain:
        runner.run(server.url, lambda c: c.calls(CALL).streams(STREAM).stop())
    with ScriptedServer([bad]) as server:
        raw = runner.run(server.url, lambda c: c.with_raw_response.calls(CALL).streams(STREAM).stop())
    assert raw.status_code == 200
    with pytest.raises(sw.APIResponseValidationError) as later:
        raw.parse()
    assert str(later.value) == str(plain.value)
    assert later.value.__cause__ is None and later.value.__suppress_context__


def test_raw_responses_from_a_derived_client_use_its_options(runner: Runner) -> None:
    with ScriptedServer([Reply.json(503, error_document(503)), ok()]) as server:
        with pytest.raises(sw.ServiceUnavailableError):
            runner.run(
                server.url, lambda c: c.with_options(max_retries=0).with_raw_response.calls(CALL).streams(STREAM).stop()
            )
    assert len(server.received) == 1
