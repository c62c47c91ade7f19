"""The API token never shows: not in repr/str, logs at DEBUG, or exception text and args."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import signalwire_compat as sw
from tests.helpers import (
    BASIC,
    CALL,
    CONFERENCE,
    FAST_RETRIES,
    PROJECT,
    SECRETS,
    STREAM,
    TOKEN,
    Runner,
    call_stream_document,
    error_document,
)
from tests.servers import Reply, ScriptedServer


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def exception_texts(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), *map(str, error.args), *map(repr, error.args)]
    for name in ("message", "errors", "more_info", "code", "method", "path"):
        if hasattr(error, name):
            texts.append(repr(getattr(error, name)))
    if error.__cause__ is not None:
        texts.extend([str(error.__cause__), repr(error.__cause__)])
    response = getattr(error, "response", None)
    if response is not None:
        texts.extend([repr(response), repr(response.request), repr(response.request.headers)])
    return texts


def test_client_and_context_reprs_hide_the_token() -> None:
    with sw.Client(PROJECT, TOKEN, "example.signalwire.com") as client:
        objects: list[Any] = [client, client.calls(CALL), client.calls(CALL).streams(STREAM)]
        objects += [client.conferences(CONFERENCE), client.conferences(CONFERENCE).streams(STREAM)]
        objects += [client._settings, client._settings.secret, vars(type(client))]
        for item in objects:
            assert_no_secret(repr(item))
            assert_no_secret(str(item))
    async_client = sw.AsyncClient(PROJECT, TOKEN, "example.signalwire.com")
    assert_no_secret(repr(async_client))
    assert_no_secret(repr(async_client.calls(CALL).streams(STREAM)))


def test_results_hide_nothing_secret(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        stream = runner.stop_call(server.url)
    assert_no_secret(repr(stream))


# An error answer that echoes the credentials back (a misconfigured proxy does this).
ECHO = error_document(401, f"bad credentials {BASIC} for token {TOKEN}")
ECHO_ERRORS = {"errors": [f"token {TOKEN} refused"], "more_info": TOKEN, "code": TOKEN}


@pytest.mark.parametrize(
    "reply",
    [
        Reply.json(401, ECHO),
        Reply.json(422, ECHO_ERRORS),
        Reply.json(503, ECHO),
        Reply(500, f"<html>{TOKEN}</html>".encode()),
        Reply(200, f"not json {TOKEN}".encode()),
        Reply.json(200, {"sid": TOKEN}),
        pytest.param(Reply(hang=True), marks=pytest.mark.slow),  # waits for two timeouts
        Reply(reset=True),
    ],
    ids=["401-echo", "422-echo", "503-echo", "500-html", "200-text", "200-missing", "timeout", "reset"],
)
def test_error_paths_keep_the_token_out_of_exceptions_and_logs(
    runner: Runner, reply: Reply, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with ScriptedServer(lambda request: reply) as server, pytest.raises(sw.SignalWireError) as caught:
        runner.stop_call(server.url, timeout=0.3, max_retries=1, **FAST_RETRIES)
    for text in exception_texts(caught.value):
        assert_no_secret(text)
    assert caplog.records, "the SDK and httpx should have logged at DEBUG"
    for record in caplog.records:
        assert_no_secret(record.getMessage())
        assert_no_secret(repr(record.args))


def test_debug_log_names_method_path_status_attempt_and_elapsed(
    runner: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="signalwire_compat")
    script = [Reply.json(503, error_document(503)), Reply.json(200, call_stream_document())]
    with ScriptedServer(script) as server:
        runner.stop_call(server.url, **FAST_RETRIES)
    ours = [r for r in caplog.records if r.name == "signalwire_compat"]
    messages = [r.getMessage() for r in ours]
    assert any(
        m.startswith(f"POST /Accounts/{PROJECT}/Calls/{CALL}/Streams/{STREAM} -> 503 (attempt 1/3,") for m in messages
    )
    retries = [m for m in messages if "retrying in" in m]
    assert len(retries) == 1 and "(attempt 2/3)" in retries[0]
    assert retries[0].count("/Streams/") == 1  # the request is named once
    assert any(m.endswith("ms)") and "-> ok (attempt 2/3," in m for m in messages)
    for record in ours:
        assert_no_secret(record.getMessage())


def test_configuration_errors_never_echo_the_token() -> None:
    for token in (f" {TOKEN}", f"{TOKEN} x", f"{TOKEN}\x00"):
        with pytest.raises(sw.ConfigurationError) as caught:
            sw.Client(PROJECT, token, "example.signalwire.com")
        for text in exception_texts(caught.value):
            assert TOKEN not in text
