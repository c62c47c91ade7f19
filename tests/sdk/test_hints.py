"""Mistakes a new user makes, each met by a message that says what to do: a dict ``body=``,
an https:// URL to a plain-http fake, and ``SIGNALWIRE_LOG`` to see what the SDK does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from typing import Any

import pytest

import signalwire_compat as sw
from tests.helpers import CALL, PROJECT, STREAM, TOKEN, Runner, call_stream_document
from tests.servers import Reply, ScriptedServer

# -- invoke with a dict body --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "arguments", "model"),
    [
        ("update_stream", {"call_sid": CALL, "sid": STREAM}, "UpdateCallStreamRequest"),
        ("create_stream", {"call_sid": CALL}, "CreateCallStreamRequest"),
        ("update_conference_stream", {"conference_sid": CALL, "sid": STREAM}, "UpdateConferenceStreamRequest"),
    ],
)
def test_invoke_with_a_dict_body_is_a_type_error_naming_the_model_to_build(
    runner: Runner, operation: str, arguments: dict[str, Any], model: str
) -> None:
    with ScriptedServer([]) as server, pytest.raises(TypeError) as raised:
        runner.run(server.url, lambda c: c.invoke(operation, body={"Status": "stopped"}, **arguments))
    message = str(raised.value)
    assert f"body must be a {model}, not a dict" in message
    assert f"{model}.from_dict(" in message
    assert f"from signalwire_compat_generated.models import {model}" in message
    assert server.received == []


def test_the_model_a_dict_body_message_names_builds_the_same_request(runner: Runner) -> None:
    from signalwire_compat_generated.models import UpdateCallStreamRequest

    body = UpdateCallStreamRequest.from_dict({"Status": "stopped"})  # what the message suggests
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        result = runner.run(server.url, lambda c: c.invoke("update_stream", call_sid=CALL, sid=STREAM, body=body))
    assert result.status_code == 200
    assert server.received[0].body == b"Status=stopped"


# -- https:// to a plain-http server -----------------------------------------------------------------


@pytest.mark.parametrize("form", ["https://127.0.0.1:{port}", "127.0.0.1:{port}"], ids=["https", "no scheme"])
def test_tls_to_a_plain_http_server_says_it_does_not_speak_tls_and_to_use_http(runner: Runner, form: str) -> None:
    from urllib.parse import urlsplit

    from signalwire_compat.testing import FakeSpace

    with FakeSpace() as space:  # plain http on loopback: it answers a ClientHello with a 400 in plain text
        port = urlsplit(space.url).port
        with pytest.raises(sw.APIConnectionError) as raised:
            runner.stop_call(form.format(port=port), max_retries=0, timeout=5.0)
    message = str(raised.value)
    assert "does not speak TLS" in message
    assert f"use http://127.0.0.1:{port}" in message
    assert raised.value.request_sent is False


def test_a_refused_https_connection_gets_no_plain_http_hint(runner: Runner) -> None:
    with pytest.raises(sw.APIConnectionError) as raised:
        runner.stop_call(f"https://127.0.0.1:{_free_port()}", max_retries=0, timeout=5.0)
    assert "does not speak TLS" not in str(raised.value)


def test_a_refused_plain_http_connection_says_nothing_about_ssl(runner: Runner) -> None:
    port = _free_port()
    with pytest.raises(sw.APIConnectionError) as raised:
        runner.stop_call(f"http://127.0.0.1:{port}", max_retries=0, timeout=5.0)
    message = str(raised.value)
    assert "ssl" not in message.lower()
    assert f"127.0.0.1:{port}" in message


def _free_port() -> int:
    with socket.socket() as probe:  # closed again: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- SIGNALWIRE_LOG ---------------------------------------------------------------------------------

STOP_ONE = f"""
import sys, signalwire_compat as sw
with sw.Client({PROJECT!r}, {TOKEN!r}, sys.argv[1], max_retries=1, backoff_factor=0.001) as client:
    client.calls({CALL!r}).streams({STREAM!r}).stop()
    print("stopped")
"""


def _stop_in_a_process(url: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALWIRE_")}
    return subprocess.run(
        [sys.executable, "-c", STOP_ONE, url],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _replies() -> list[Reply]:
    echo = {"X-Echo": TOKEN}  # a server quoting the token back: the log must not repeat it
    return [Reply.json(503, {"message": f"busy {TOKEN}"}, headers=echo), Reply.json(200, call_stream_document())]


@pytest.mark.slow  # starts an interpreter
@pytest.mark.parametrize("level", ["debug", "DEBUG", "info"])
def test_signalwire_log_sends_the_sdk_log_to_stderr_with_secrets_redacted(level: str) -> None:
    with ScriptedServer(_replies()) as server:
        done = _stop_in_a_process(server.url, SIGNALWIRE_LOG=level)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "stopped"
    assert "INFO signalwire_compat: POST /Accounts/" in done.stderr  # the retry
    assert "retrying in" in done.stderr
    assert ("-> ok (attempt 2/2" in done.stderr) is (level.lower() == "debug")
    assert TOKEN not in done.stderr
    assert "busy [redacted]" in done.stderr


@pytest.mark.slow  # starts an interpreter
def test_without_signalwire_log_the_sdk_writes_nothing_to_stderr() -> None:
    with ScriptedServer(_replies()) as server:
        done = _stop_in_a_process(server.url)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "stopped", "")


@pytest.mark.slow  # starts an interpreter
def test_an_unknown_signalwire_log_level_is_a_configuration_error_before_anything_is_sent() -> None:
    with ScriptedServer([]) as server:
        done = _stop_in_a_process(server.url, SIGNALWIRE_LOG="verbose")
    assert done.returncode != 0
    assert "ConfigurationError: SIGNALWIRE_LOG must be debug or info (or unset), got 'verbose'" in done.stderr
    assert server.received == []
