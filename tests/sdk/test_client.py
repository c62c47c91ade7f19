"""The SDK on the wire, sync and async, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

import signalwire_compat as sw
from tests.helpers import (
    BASIC,
    CALL,
    CALL_PATH,
    CONFERENCE,
    CONFERENCE_PATH,
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

# -- what the server receives ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["stop", "update"])
def test_call_stream_stop_sends_form_body_basic_auth_and_exact_path(runner: Runner, method: str) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        if method == "stop":
            result = runner.stop_call(server.url)
        else:
            result = runner.run(server.url, lambda c: c.calls(CALL).streams(STREAM).update(status="stopped"))
    (request,) = server.received
    assert request.method == "POST"
    assert request.path == CALL_PATH
    assert request.headers["authorization"] == BASIC
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("signalwire-compat/")
    assert request.body == b"Status=stopped"
    assert isinstance(result, sw.CallStream)


@pytest.mark.parametrize("method", ["stop", "update"])
def test_conference_stream_stop_sends_form_body_basic_auth_and_exact_path(runner: Runner, method: str) -> None:
    with ScriptedServer([Reply.json(200, conference_stream_document())]) as server:
        if method == "stop":
            result = runner.stop_conference(server.url)
        else:
            result = runner.run(server.url, lambda c: c.conferences(CONFERENCE).streams(STREAM).update("stopped"))
    (request,) = server.received
    assert (request.method, request.path, request.body) == ("POST", CONFERENCE_PATH, b"Status=stopped")
    assert request.headers["authorization"] == BASIC
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert isinstance(result, sw.ConferenceStream)


def test_one_connection_is_reused_across_calls(runner: Runner) -> None:
    documents = [Reply.json(200, call_stream_document()) for _ in range(5)]

    async def five_async(client: Any) -> None:
        for _ in range(5):
            await client.calls(CALL).streams(STREAM).stop()

    def five_sync(client: Any) -> None:
        for _ in range(5):
            client.calls(CALL).streams(STREAM).stop()

    with ScriptedServer(documents) as server:
        runner.run(server.url, five_sync if runner.kind == "sync" else five_async)
    assert len(server.received) == 5
    assert server.connections == 1


def test_account_sid_overrides_project_id_in_the_path(runner: Runner) -> None:
    other = "4c4a6c7e-0000-4a4a-8b8b-444444444444"
    with ScriptedServer([Reply.json(200, call_stream_document(account_sid=other))]) as server:
        runner.stop_call(server.url, account_sid=other)
    assert server.received[0].path == CALL_PATH.replace(PROJECT, other)
    assert server.received[0].headers["authorization"] == BASIC  # still the project id as user name


def test_uuid_objects_and_upper_case_sids_are_sent_canonical(runner: Runner) -> None:
    from uuid import UUID

    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        runner.run(server.url, lambda c: c.calls(UUID(CALL)).streams(STREAM.upper()).stop())
    assert server.received[0].path == CALL_PATH


# -- what the caller gets back ----------------------------------------------------------------------


def test_call_stream_result_is_typed_and_dates_honour_the_offset(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document(extra_field={"a": 1}))]) as server:
        stream = runner.stop_call(server.url)
    assert stream.sid == STREAM
    assert stream.account_sid == PROJECT
    assert stream.call_sid == CALL
    assert stream.name == "agent-audio"
    assert stream.status == "stopped"
    assert stream.status is sw.StreamStatus.STOPPED
    assert stream.date_updated == datetime(2021, 8, 10, 19, 39, 46, tzinfo=UTC)
    assert stream.date_updated.tzinfo is UTC
    assert stream.uri.endswith(f"/Streams/{STREAM}.json")
    assert dict(stream.extra) == {"extra_field": {"a": 1}}
    with pytest.raises(AttributeError):
        stream.status = "queued"


def test_conference_stream_result_allows_null_name_and_lenient_dates(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, conference_stream_document())]) as server:
        stream = runner.stop_conference(server.url)
    assert stream.name is None
    assert stream.conference_sid == CONFERENCE
    assert stream.date_updated == datetime(2018, 9, 26, 23, 0, 4, tzinfo=UTC)
    assert stream.status == "stopped"


def test_gmt_dates_are_utc(runner: Runner) -> None:
    document = call_stream_document(date_updated="Tue, 10 Aug 2021 21:39:46 GMT", status="in-progress")
    with ScriptedServer([Reply.json(200, document)]) as server:
        stream = runner.stop_call(server.url)
    assert stream.date_updated == datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)
    assert stream.status == "in-progress"


# -- errors ----------------------------------------------------------------------------------------

ERROR_CLASSES = [
    (400, sw.BadRequestError),
    (401, sw.AuthenticationError),
    (403, sw.PermissionDeniedError),
    (404, sw.NotFoundError),
    (409, sw.APIStatusError),
    (422, sw.UnprocessableEntityError),
    (429, sw.RateLimitError),
    (499, sw.APIStatusError),
    (500, sw.InternalServerError),
    (502, sw.InternalServerError),
    (503, sw.ServiceUnavailableError),
    (504, sw.InternalServerError),
]


@pytest.mark.parametrize(("status", "error_class"), ERROR_CLASSES)
def test_json_error_bodies_map_to_typed_errors(runner: Runner, status: int, error_class: type) -> None:
    reply = Reply.json(status, error_document(status, "Nope, not that", code=20000 + status))
    with ScriptedServer([reply] * 3) as server, pytest.raises(error_class) as caught:
        runner.stop_call(server.url, max_retries=0)
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, sw.APIStatusError) and isinstance(error, sw.APIError)
    assert isinstance(error, sw.SignalWireError)
    assert error.status_code == status
    assert error.code == 20000 + status
    assert error.message == "Nope, not that"
    assert error.more_info == f"https://developer.signalwire.com/{20000 + status}"
    assert error.errors == []
    assert error.response.status_code == status
    assert error.response.json()["message"] == "Nope, not that"
    assert str(error) == f"{status} Nope, not that (code {20000 + status}, see {error.more_info})"
    assert len(server.received) == 1


@pytest.mark.parametrize(("status", "error_class"), ERROR_CLASSES)
@pytest.mark.parametrize("body", [b"<html><body><h1>Bad gateway</h1></body></html>", b""])
def test_html_and_empty_error_bodies_still_give_the_right_class(
    runner: Runner, status: int, error_class: type, body: bytes
) -> None:
    reply = Reply(status, body, headers={"Content-Type": "text/html"} if body else {})
    with ScriptedServer([reply]) as server, pytest.raises(error_class) as caught:
        runner.stop_conference(server.url, max_retries=0)
    assert type(caught.value) is error_class
    assert caught.value.status_code == status
    assert caught.value.code is None
    assert caught.value.body == body
    assert "<html>" not in str(caught.value)


def test_conference_422_errors_array_is_exposed(runner: Runner) -> None:
    reply = Reply.json(422, {"errors": ["Status must be stopped", "Sid is unknown"]})
    with ScriptedServer([reply]) as server, pytest.raises(sw.UnprocessableEntityError) as caught:
        runner.stop_conference(server.url)
    assert caught.value.errors == ["Status must be stopped", "Sid is unknown"]
    assert caught.value.code is None
    assert str(caught.value) == "422 Unprocessable Entity: Status must be stopped; Sid is unknown"
    assert len(server.received) == 1  # 422 is never retried


def test_call_422_is_a_compatibility_error_response(runner: Runner) -> None:
    with ScriptedServer([Reply.json(422, error_document(422, "Invalid Status", 21218))]) as server:
        with pytest.raises(sw.UnprocessableEntityError) as caught:
            runner.stop_call(server.url)
    assert (caught.value.code, caught.value.message, caught.value.errors) == (21218, "Invalid Status", [])


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2]", b'{"sid": "x"}', b"\xff\xfe\x00", b'"just a string"', b"null"],
    ids=["empty", "text", "array", "missing-keys", "bad-utf8", "string", "null"],
)
def test_unreadable_success_body_is_a_response_validation_error(runner: Runner, body: bytes) -> None:
    with ScriptedServer([Reply(200, body, headers={"Content-Type": "application/json"})]) as server:
        with pytest.raises(sw.APIResponseValidationError) as caught:
            runner.stop_call(server.url)
    assert caught.value.status_code == 200
    assert caught.value.body == body
    assert "most likely carried out" in str(caught.value)
    assert len(server.received) == 1  # not retried: the stop was accepted


# -- retries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_retryable_status_then_success(runner: Runner, status: int) -> None:
    script = [Reply.json(status, error_document(status)), Reply(status, b"<html>busy</html>")]
    script.append(Reply.json(200, call_stream_document()))
    with ScriptedServer(script) as server:
        stream = runner.stop_call(server.url, **FAST_RETRIES)
    assert stream.status == "stopped"
    assert len(server.received) == 3
    assert {r.body for r in server.received} == {b"Status=stopped"}


def test_retries_are_bounded_by_max_retries(runner: Runner) -> None:
    with ScriptedServer(lambda request: Reply.json(503, error_document(503, "down"))) as server:
        with pytest.raises(sw.ServiceUnavailableError):
            runner.stop_call(server.url, max_retries=3, **FAST_RETRIES)
    assert len(server.received) == 4


def test_max_retries_zero_sends_once(runner: Runner) -> None:
    with ScriptedServer(lambda request: Reply.json(503, error_document(503))) as server:
        with pytest.raises(sw.ServiceUnavailableError):
            runner.stop_call(server.url, max_retries=0)
    assert len(server.received) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_never_retried(runner: Runner, status: int) -> None:
    with ScriptedServer(lambda request: Reply.json(status, error_document(status))) as server:
        with pytest.raises(sw.APIError):
            runner.stop_call(server.url, max_retries=5, **FAST_RETRIES)
    assert len(server.received) == 1


# Retry-After in seconds and as an HTTP date: the fault matrix (test_faults.py) waits for both.


def test_retry_after_longer_than_max_retry_wait_ends_the_retries(runner: Runner) -> None:
    # The server asked for a day; retrying after max_retry_wait would only be refused again.
    script = [
        Reply.json(429, error_document(429), headers={"Retry-After": "86400"}),
        Reply.json(200, call_stream_document()),
    ]
    with ScriptedServer(script) as server:
        started = time.monotonic()
        with pytest.raises(sw.RateLimitError) as caught:
            runner.stop_call(server.url, max_retry_wait=30.0)
        elapsed = time.monotonic() - started
    assert len(server.received) == 1
    assert caught.value.retry_after == 86400.0
    assert elapsed < 2


@pytest.mark.slow  # waits out a timeout by design (make quick skips it)
def test_retry_after_within_max_retry_wait_is_honoured(runner: Runner) -> None:
    script = [
        Reply.json(503, error_document(503), headers={"Retry-After": "0.2"}),
        Reply.json(200, call_stream_document()),
    ]
    with ScriptedServer(script) as server:
        started = time.monotonic()
        runner.stop_call(server.url, max_retry_wait=1.0)
        elapsed = time.monotonic() - started
    assert len(server.received) == 2
    assert elapsed >= 0.19


@pytest.mark.slow  # waits for two timeouts
def test_total_timeout_bounds_a_call_across_attempts(runner: Runner) -> None:
    # Each attempt hangs until its own timeout; the call stops when total_timeout is spent.
    with ScriptedServer([Reply(hang=True)] * 5) as server:
        started = time.monotonic()
        with pytest.raises(sw.APITimeoutError):
            runner.stop_call(server.url, timeout=0.4, total_timeout=0.7, max_retries=5, backoff_factor=0.01)
        elapsed = time.monotonic() - started
    assert len(server.received) == 2  # the second attempt is cut short at 0.7 s; no third one starts
    assert elapsed < 0.7 + 0.5


# -- connections and timeouts --------------------------------------------------------------------


def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_refused_connection_is_an_api_connection_error(runner: Runner) -> None:
    url = f"http://127.0.0.1:{unused_port()}"
    started = time.monotonic()
    with pytest.raises(sw.APIConnectionError) as caught:
        runner.stop_call(url, **FAST_RETRIES)
    assert not isinstance(caught.value, sw.APITimeoutError)
    assert caught.value.method == "POST"
    assert "ConnectError" in str(caught.value)
    assert time.monotonic() - started < 5


@pytest.mark.slow  # waits for two timeouts
def test_no_response_within_timeout_is_an_api_timeout_error(runner: Runner) -> None:
    with ScriptedServer(lambda request: Reply(hang=True)) as server:
        started = time.monotonic()
        with pytest.raises(sw.APITimeoutError) as caught:
            runner.stop_call(server.url, timeout=0.3, max_retries=1, **FAST_RETRIES)
        elapsed = time.monotonic() - started
    assert isinstance(caught.value, sw.APIConnectionError)
    assert "0.3 s" in str(caught.value)
    assert len(server.received) == 2  # timeouts of an idempotent stop are retried
    assert 0.6 <= elapsed < 3


def test_connection_reset_is_retried_for_an_idempotent_stop(runner: Runner) -> None:
    script = [Reply(reset=True), Reply.json(200, call_stream_document())]
    with ScriptedServer(script) as server:
        stream = runner.stop_call(server.url, **FAST_RETRIES)
    assert stream.status == "stopped"
    assert len(server.received) == 2


# -- bad input: nothing is sent --------------------------------------------------------------------

BAD_SIDS = [
    "..",
    ".",
    "",
    " ",
    f" {CALL}",
    f"{CALL}\n",
    "a/b",
    f"{CALL}/..",
    "%2F",
    f"{CALL}?x=1",
    f"{CALL}#frag",
    CALL.replace("1", "\N{MATHEMATICAL BOLD DIGIT ONE}"),
    CALL.replace("-", "\N{HYPHEN}"),
    CALL.replace("-", ""),
    "{" + CALL + "}",
    "urn:uuid:" + CALL,
    "a" * 10_000,
    None,
    12345,
    1.5,
    b"bytes",
]


@pytest.mark.parametrize("bad", BAD_SIDS, ids=[repr(b)[:30] for b in BAD_SIDS])
def test_bad_sids_are_refused(bad: Any) -> None:
    from signalwire_compat._validation import validate_sid

    with pytest.raises(ValueError, match="must be a UUID") as caught:
        validate_sid(bad, "call_sid")
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize("position", ["call", "stream", "conference", "conference-stream"])
def test_a_bad_sid_in_any_position_sends_nothing(runner: Runner, position: str) -> None:
    bad = ".."
    actions = {
        "call": lambda c: c.calls(bad).streams(STREAM).stop(),
        "stream": lambda c: c.calls(CALL).streams(bad).stop(),
        "conference": lambda c: c.conferences(bad).streams(STREAM).stop(),
        "conference-stream": lambda c: c.conferences(CONFERENCE).streams(bad).stop(),
    }
    with ScriptedServer([]) as server, pytest.raises(ValueError, match=r"must be a (UUID|stream sid)"):
        runner.run(server.url, actions[position])
    assert server.received == []
    assert server.connections == 0


@pytest.mark.parametrize("status", ["started", "STOPPED", "stopped ", "", None, 1, "in-progress", "queued"])
def test_status_other_than_stopped_is_refused_before_sending(runner: Runner, status: Any) -> None:
    with ScriptedServer([]) as server:
        with pytest.raises(ValueError, match="status must be one of 'stopped'"):
            runner.run(server.url, lambda c: c.calls(CALL).streams(STREAM).update(status=status))
        with pytest.raises(ValueError, match="status must be one of 'stopped'"):
            runner.run(server.url, lambda c: c.conferences(CONFERENCE).streams(STREAM).update(status=status))
    assert server.connections == 0


def test_stream_status_enum_is_accepted_as_status(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        runner.run(server.url, lambda c: c.calls(CALL).streams(STREAM).update(status=sw.StreamStatus.STOPPED))
    assert server.received[0].body == b"Status=stopped"


def test_a_sync_client_in_a_running_event_loop_says_so_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    import asyncio
    import logging

    caplog.set_level(logging.DEBUG, logger="signalwire_compat")

    async def inside_a_loop() -> None:
        with (
            ScriptedServer([Reply.json(200, call_stream_document())]) as server,
            sw.Client(PROJECT, TOKEN, server.url) as client,
        ):
            client.calls(CALL).streams(STREAM).stop()  # blocks this loop: the SDK says so, once

    asyncio.run(inside_a_loop())
    warnings = [r.getMessage() for r in caplog.records if "event loop" in r.getMessage()]
    assert warnings == [
        "signalwire_compat.Client is used inside a running event loop, which it blocks: use AsyncClient"
    ]
