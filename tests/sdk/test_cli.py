"""The command line against FakeSpace: exit codes, stdout, stderr.

Most tests call ``_cli.main`` in this process (same code path, no interpreter start-up); the ones
about processes, signals and terminals run ``python -m signalwire_compat`` in a child process,
some on a pseudo-terminal.
"""

from __future__ import annotations

import base64
import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest

import signalwire_compat as sw
from signalwire_compat import _cli
from signalwire_compat._cli import _parser as cli_parser
from signalwire_compat.testing import FakeSpace
from tests.servers import CallbackReceiver

ENV_NAMES = [
    "SIGNALWIRE_PROJECT_ID",
    "SIGNALWIRE_API_TOKEN",
    "SIGNALWIRE_SPACE_URL",
    "SIGNALWIRE_SPACE",
    "SIGNALWIRE_SIGNING_KEY",
    "SIGNALWIRE_STREAM_BEARER_TOKEN",
]
SID = "00000000-0000-4000-8000-000000000000"
WSS = "wss://media.example.com/audio"


@attrs.frozen
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def space() -> Iterator[FakeSpace]:
    with FakeSpace() as running:
        yield running


def environment(space: FakeSpace | None, **env: str) -> dict[str, str]:
    result = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    if space is not None:
        result |= {"SIGNALWIRE_PROJECT_ID": space.project_id, "SIGNALWIRE_API_TOKEN": space.api_token}
        result["SIGNALWIRE_SPACE_URL"] = space.url
    return result | env


def run(space: FakeSpace | None, *args: str, stdin: str | bytes = "", **env: str) -> Result:
    """``signalwire-compat ARGS`` in this process, with this environment; ``stdin`` as bytes is read
    through a text-mode stream over them, as a process's real stdin is."""
    stdout, stderr = io.StringIO(), io.StringIO()
    source = io.StringIO(stdin) if isinstance(stdin, str) else io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    with mock.patch.dict(os.environ, environment(space, **env), clear=True):
        with redirect_stdout(stdout), redirect_stderr(stderr):
            try:
                code = _cli.main(list(args), stdin=source)
            except SystemExit as exit_:  # argparse: --help, usage errors
                code = int(exit_.code or 0)
    return Result(code, stdout.getvalue(), stderr.getvalue())


def run_process(space: FakeSpace | None, *args: str, stdin: str = "", **env: str) -> Result:
    done = subprocess.run(
        [sys.executable, "-m", "signalwire_compat", *args],
        input=stdin,
        env=environment(space, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def assert_clean_failure(result: Result, code: int, space: FakeSpace | None) -> None:
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    if space is not None:
        assert space.api_token not in result.stderr


# -- stop-stream ----------------------------------------------------------------------------------


def test_stop_call_stream_prints_json(space: FakeSpace) -> None:
    stream = space.add_call_stream(name="agent")
    result = run(space, "stop-stream", "--call", stream.parent_sid, stream.sid)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["kind"] == "call"
    assert document["call_sid"] == stream.parent_sid
    assert document["status"] == "stopped"
    assert document["name"] == "agent"
    assert document["date_updated"].endswith("Z")
    assert result.stderr == ""
    assert space.stream_status(stream.sid) == "stopped"


def test_stop_by_name_as_argument_or_flag(space: FakeSpace) -> None:
    first = space.add_call_stream(name="agent-audio")
    second = space.add_conference_stream(name="conf.audio")
    by_argument = run(space, "stop-stream", "--call", first.parent_sid, "agent-audio")
    by_flag = run(space, "stop-stream", "--conference", second.parent_sid, "--name", "conf.audio")
    assert by_argument.returncode == by_flag.returncode == 0, by_argument.stderr + by_flag.stderr
    assert json.loads(by_argument.stdout)["sid"] == first.sid
    assert json.loads(by_flag.stdout)["sid"] == second.sid


def test_stop_conference_stream_with_space_url_flag(space: FakeSpace) -> None:
    stream = space.add_conference_stream()
    result = run(space, "stop-stream", "--conference", stream.parent_sid, stream.sid, "--space-url", space.url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["conference_sid"] == stream.parent_sid
    assert json.loads(result.stdout)["name"] is None


@pytest.mark.slow  # two child processes
def test_the_installed_command_and_python_m_run_end_to_end(space: FakeSpace) -> None:
    stream = space.add_call_stream()
    script = os.path.join(os.path.dirname(sys.executable), "signalwire-compat")
    done = subprocess.run(
        [script, "stop-stream", "--call", stream.parent_sid, stream.sid],
        env=environment(space),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    failed = run_process(space, "stop-stream", "--call", stream.parent_sid, SID)
    assert_clean_failure(failed, cli_parser.EXIT_API_ERROR, space)


def test_api_error_exit_code(space: FakeSpace) -> None:
    stream = space.add_call_stream()
    result = run(space, "stop-stream", "--call", stream.parent_sid, SID)
    assert_clean_failure(result, cli_parser.EXIT_API_ERROR, space)
    assert result.stderr.startswith("signalwire-compat: error: 404 ")


def test_wrong_token_is_an_api_error_and_the_token_is_not_printed(space: FakeSpace) -> None:
    stream = space.add_call_stream()
    result = run(space, "stop-stream", "--call", stream.parent_sid, stream.sid, SIGNALWIRE_API_TOKEN="PTwrong123")
    assert_clean_failure(result, cli_parser.EXIT_API_ERROR, space)
    assert "401" in result.stderr
    assert "PTwrong123" not in result.stderr


@pytest.mark.parametrize("command", ["stop-stream", "start-stream"])
def test_a_single_command_refused_401_says_which_settings_to_check_as_the_bulk_mode_does(
    space: FakeSpace, command: str
) -> None:
    stream = space.add_call_stream()
    target = [stream.sid] if command == "stop-stream" else ["--url", "wss://example.com/audio"]
    result = run(space, command, "--call", stream.parent_sid, *target, SIGNALWIRE_API_TOKEN="PTwrong123")
    assert_clean_failure(result, cli_parser.EXIT_API_ERROR, space)
    assert "check SIGNALWIRE_PROJECT_ID, SIGNALWIRE_API_TOKEN and the token's Voice scope" in result.stderr
    assert "PTwrong123" not in result.stderr


def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_error_exit_code_names_host_and_port() -> None:
    port = unused_port()
    env = {
        "SIGNALWIRE_PROJECT_ID": SID,
        "SIGNALWIRE_API_TOKEN": "PTsecret",
        "SIGNALWIRE_SPACE_URL": f"http://127.0.0.1:{port}",
    }
    result = run(None, "stop-stream", "--call", SID, SID, "--max-retries", "0", **env)
    assert_clean_failure(result, cli_parser.EXIT_CONNECTION, None)
    assert f"could not connect to 127.0.0.1:{port}" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stop-stream", "--call", "..", SID], "call_sid must be a UUID"),
        (["stop-stream", "--call", SID, "a/b"], "must be a stream sid (a UUID) or a stream name"),
        (["stop-stream", "--call", SID], "STREAM (the stream's sid or name) or --name is required"),
        (["stop-stream", "--call", SID, SID, "--name", "x"], "not both"),
        (["stop-stream", "--stdin", SID], "not used with --stdin"),
        (["stop-stream"], "one of the arguments --call --conference --stdin is required"),
        (["stop-stream", "--call", "a", "b", "--api-token", "PTleaked999"], "read only from the environment"),
        (["stop-stream", "--call", "a", "b", "--token=PTleaked999"], "read only from the environment"),
        (["stop-stream", "--call", "a", "b", "PTleaked999"], "unrecognized arguments (see --help)"),
        (["stop-stream", "--stdin", "--concurrency", "0"], "--concurrency must be between 1 and 1000"),
        (["start-stream", "--call", SID, "--url", "ws://insecure.example.com"], "url must be an absolute wss://"),
        (["start-stream", "--call", SID, "--url", WSS, "--track", "left"], "track must be one of"),
        (["start-stream", "--call", SID, "--url", WSS, "--param", "novalue"], "--param must be NAME=VALUE"),
        (["start-stream", "--call", SID, "--url", WSS, "--stream-codec", "PCMU"], "--conference streams only"),
        (["start-stream", "--call", SID], "the following arguments are required: --url"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_one_line_and_send_nothing(space: FakeSpace, args: list[str], message: str) -> None:
    result = run(space, *args)
    assert_clean_failure(result, cli_parser.EXIT_USAGE, space)
    assert message in result.stderr
    assert "PTleaked999" not in result.stderr
    assert space.requests == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SIGNALWIRE_PROJECT_ID": ""}, "configuration error: SIGNALWIRE_PROJECT_ID is set but empty"),
        ({"SIGNALWIRE_API_TOKEN": ""}, "configuration error: SIGNALWIRE_API_TOKEN is set but empty"),
        ({"SIGNALWIRE_SPACE_URL": "http:/127.0.0.1:8080"}, "--space-url (or SIGNALWIRE_SPACE_URL) 'http:/127.0.0.1"),
    ],
)
def test_configuration_errors_speak_in_flags_and_variables(
    space: FakeSpace, env: dict[str, str], expected: str
) -> None:
    result = run(space, "stop-stream", "--call", SID, SID, **env)
    assert_clean_failure(result, cli_parser.EXIT_USAGE, space)
    assert expected in result.stderr


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("SIGNALWIRE_PROJECT_ID", "no project id: pass --project-id or set SIGNALWIRE_PROJECT_ID"),
        ("SIGNALWIRE_API_TOKEN", "no API token: set SIGNALWIRE_API_TOKEN (the CLI reads it only from the environment)"),
        (
            "SIGNALWIRE_SPACE_URL",
            "no space: pass --space-url or set SIGNALWIRE_SPACE_URL (e.g. example.signalwire.com)",
        ),
    ],
)
def test_missing_configuration_names_the_flag_or_variable(space: FakeSpace, missing: str, expected: str) -> None:
    env = environment(space)
    del env[missing]
    stdout, stderr = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env, clear=True), redirect_stdout(stdout), redirect_stderr(stderr):
        code = _cli.main(["stop-stream", "--call", SID, SID])
    assert code == cli_parser.EXIT_USAGE
    assert stderr.getvalue() == f"signalwire-compat: configuration error: {expected}\n"


def test_every_missing_setting_is_named_in_one_message(space: FakeSpace) -> None:
    env = environment(space)
    del env["SIGNALWIRE_PROJECT_ID"], env["SIGNALWIRE_API_TOKEN"]
    stdout, stderr = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env, clear=True), redirect_stdout(stdout), redirect_stderr(stderr):
        code = _cli.main(["stop-stream", "--call", SID, SID])
    assert code == cli_parser.EXIT_USAGE
    assert stderr.getvalue() == (
        "signalwire-compat: configuration error: no project id: pass --project-id or set SIGNALWIRE_PROJECT_ID; "
        "no API token: set SIGNALWIRE_API_TOKEN (the CLI reads it only from the environment)\n"
    )


def test_plain_http_to_a_remote_space_is_refused(space: FakeSpace) -> None:
    result = run(space, "stop-stream", "--call", SID, SID, "--space-url", "http://example.signalwire.com")
    assert_clean_failure(result, cli_parser.EXIT_USAGE, space)
    assert "https://" in result.stderr


def test_version_reports_package_generator_and_spec_hash() -> None:
    from signalwire_compat import __version__
    from signalwire_compat._generated import provenance

    result = run(None, "--version")
    assert result.returncode == 0
    assert __version__ in result.stdout
    assert f"openapi-python-client {provenance.GENERATOR_VERSION}" in result.stdout
    assert provenance.SPEC_SHA256 in result.stdout


@pytest.mark.parametrize("command", [[], ["start-stream"], ["stop-stream"]])
def test_help_shows_environment_exit_codes_and_examples(command: list[str]) -> None:
    result = run(None, *command, "--help")
    assert result.returncode == 0
    for text in ("SIGNALWIRE_API_TOKEN", "SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_SPACE_URL", "exit codes:", "examples:"):
        assert text in result.stdout
    assert result.stdout.count("  signalwire-compat ") >= 2


def test_verify_webhook_help_names_the_signing_key_variable() -> None:
    result = run(None, "verify-webhook", "--help")
    assert result.returncode == 0
    assert "SIGNALWIRE_SIGNING_KEY" in result.stdout and "exit codes:" in result.stdout


# -- start-stream ---------------------------------------------------------------------------------


def test_start_a_call_stream_with_parameters_and_a_status_callback(space: FakeSpace) -> None:
    with CallbackReceiver() as receiver:
        result = run(
            space,
            "start-stream",
            "--call",
            SID,
            "--url",
            WSS,
            "--name",
            "agent-audio",
            "--track",
            "both_tracks",
            "--param",
            "FirstName=Jane",
            "--param",
            "Note=a=b",
            "--status-callback",
            receiver.url + "/status",
            SIGNALWIRE_STREAM_BEARER_TOKEN="BEARERsecret42",
        )
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        assert (document["status"], document["name"]) == ("in-progress", "agent-audio")
        settings = space.stream_settings(document["sid"])
        assert settings["parameters"] == {"FirstName": "Jane", "Note": "a=b"}
        assert settings["AuthorizationBearerToken"] == "BEARERsecret42"
        (delivery,) = space.wait_for_deliveries(1)
    assert delivery.form["StreamEvent"] == "stream-started"
    assert "BEARERsecret42" not in result.stdout + result.stderr


def test_start_a_conference_stream_with_codec_and_real_time(space: FakeSpace) -> None:
    result = run(
        space, "start-stream", "--conference", SID, "--url", WSS, "--stream-codec", "L16@16000h", "--stream-real-time"
    )
    assert result.returncode == 0, result.stderr
    settings = space.stream_settings(json.loads(result.stdout)["sid"])
    assert (settings["StreamCodec"], settings["StreamRealTime"]) == ("L16@16000h", "true")


# -- verify-webhook -------------------------------------------------------------------------------


def test_verify_webhook_from_a_saved_request(space: FakeSpace, tmp_path: Path) -> None:
    url = "https://example.com/stream-status?tenant=7"
    body = "StreamEvent=stream-started&StreamSid=abc"
    signature = sw.webhooks.sign_form(
        space.signing_key, url=url, params={"StreamEvent": "stream-started", "StreamSid": "abc"}
    )
    saved = tmp_path / "request.json"
    saved.write_text(json.dumps({"url": url, "headers": {"X-Twilio-Signature": signature}, "body": body}))
    key = {"SIGNALWIRE_SIGNING_KEY": space.signing_key}
    good = run(None, "verify-webhook", "--request", str(saved), **key)
    assert (good.returncode, json.loads(good.stdout)) == (0, {"valid": True})
    body_file = tmp_path / "body.txt"
    body_file.write_text(body.replace("abc", "abd"))
    tampered = run(None, "verify-webhook", "--url", url, "--signature", signature, "--body-file", str(body_file), **key)
    assert tampered.returncode == 1
    verdict = json.loads(tampered.stdout)
    assert verdict["valid"] is False and verdict["reasons"]
    assert space.signing_key not in tampered.stdout + tampered.stderr
    no_key = run(None, "verify-webhook", "--request", str(saved))
    assert_clean_failure(no_key, cli_parser.EXIT_USAGE, None)
    assert "SIGNALWIRE_SIGNING_KEY" in no_key.stderr


class SavedRequest:
    """A request as a framework hands it to the app's handler (read by sw.webhooks by duck typing)."""

    def __init__(self, url: str, headers: dict[str, str], body: bytes) -> None:
        self.url, self.headers, self.body = url, headers, body


def verify_webhook_verdicts(saved: dict[str, Any], tmp_path: Path, key: str) -> tuple[int, int]:
    """(exit code of ``verify-webhook --request``, exit code of the same on stdin)."""
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(saved))
    from_file = run(None, "verify-webhook", "--request", str(path), SIGNALWIRE_SIGNING_KEY=key)
    from_stdin = run(None, "verify-webhook", "--request", "-", stdin=json.dumps(saved), SIGNALWIRE_SIGNING_KEY=key)
    return from_file.returncode, from_stdin.returncode


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b"StreamEvent=stream-started&StreamSid=forged"),  # not a form: URL-only signs it
        ("application/json", b"StreamEvent=stream-started"),
        ("application/x-www-form-urlencoded", b'{"StreamEvent": "stream-started"}'),  # a form, JSON-shaped
        ("Application/X-WWW-Form-Urlencoded; charset=utf-8", b"StreamEvent=stream-started"),
        ("multipart/form-data; boundary=b", b"--b--\r\n"),
        (None, b'{"StreamEvent": "stream-started"}'),
    ],
)
def test_verify_webhook_gives_the_verdict_the_apps_verify_request_gives(
    tmp_path: Path, content_type: str | None, body: bytes
) -> None:
    key, url = "PSK_cli-signing-key", "https://example.com/stream-status"
    for signature in (sw.webhooks.sign_form(key, url=url, params={}), sw.webhooks.sign_json(key, url=url, body=body)):
        headers = {"X-SignalWire-Signature": signature} | ({"Content-Type": content_type} if content_type else {})
        try:
            sw.webhooks.verify_request(key, request=SavedRequest(url, headers, body))
            expected = cli_parser.EXIT_OK
        except sw.InvalidSignatureError:
            expected = cli_parser.EXIT_API_ERROR
        saved = {"url": url, "headers": headers, "body_base64": base64.b64encode(body).decode()}
        assert verify_webhook_verdicts(saved, tmp_path, key) == (expected, expected), (signature, content_type)
        flags = ["--url", url, "--signature", signature, "--body-file", str(tmp_path / "body")]
        (tmp_path / "body").write_bytes(body)
        flags += ["--content-type", content_type] if content_type else []
        assert run(None, "verify-webhook", *flags, SIGNALWIRE_SIGNING_KEY=key).returncode == expected


def test_verify_webhook_says_when_a_valid_signature_leaves_the_body_unsigned(tmp_path: Path) -> None:
    key, url = "PSK_cli-signing-key", "https://example.com/stream-status"
    headers = {"X-Twilio-Signature": sw.webhooks.sign_form(key, url=url, params={}), "content-type": "text/plain"}
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps({"url": url, "headers": headers, "body": "StreamSid=forged"}))
    result = run(None, "verify-webhook", "--request", str(saved), SIGNALWIRE_SIGNING_KEY=key)
    assert (result.returncode, json.loads(result.stdout)) == (0, {"valid": True})
    assert "covers the URL alone, not the body" in result.stderr


def test_verify_webhook_reads_a_body_on_stdin_byte_for_byte(tmp_path: Path) -> None:
    key, url, body = "PSK_cli-signing-key", "https://example.com/hook", b'{"text": "line\r\nnext\r"}'
    signature = sw.webhooks.sign_json(key, url=url, body=body)
    args = ["verify-webhook", "--url", url, "--signature", signature, "--body-file", "-"]
    assert run(None, *args, stdin=body, SIGNALWIRE_SIGNING_KEY=key).returncode == cli_parser.EXIT_OK


@pytest.mark.parametrize(
    ("saved", "message"),
    [
        ({"url": "https://e.com/", "signature": 123, "body": ""}, "signature must be a string, not a number"),
        ({"url": "https://e.com/", "signature": ["s"]}, "signature must be a string, not an array"),
        ({"url": "https://e.com/", "body": 5}, "body must be a string, not a number"),
        ({"url": "https://e.com/", "body_base64": "%%%"}, "body_base64 is not valid base64"),
        ({"url": "https://e.com/", "body": "", "body_base64": ""}, "give body or body_base64, not both"),
        ({"url": "https://e.com/", "headers": {"X-SignalWire-Signature": 1}}, "headers must be an object of strings"),
        ({"url": "https://e.com/", "headers": ["X-SignalWire-Signature"]}, "headers must be an object of strings"),
        ({"url": 7}, "expected a JSON object with url"),
        ([], "expected a JSON object with url"),
    ],
)
def test_a_saved_request_with_a_field_of_the_wrong_type_is_one_line_and_exit_2(
    tmp_path: Path, saved: Any, message: str
) -> None:
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(saved))
    result = run(None, "verify-webhook", "--request", str(path), SIGNALWIRE_SIGNING_KEY="PSK_cli-signing-key")
    assert_clean_failure(result, cli_parser.EXIT_USAGE, None)
    assert message in result.stderr


# -- stop-stream --stdin ---------------------------------------------------------------------------


def bulk_records(result: Result) -> dict[int, dict[str, Any]]:
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_line = {record["line"]: record for record in records}
    assert len(by_line) == len(records), "one JSON line per input line"
    return by_line


def test_bulk_stdin_stops_everything_and_reports_each_failure(space: FakeSpace) -> None:
    calls = [space.add_call_stream() for _ in range(20)]
    conferences = [space.add_conference_stream() for _ in range(10)]
    lines = [f"call {s.parent_sid} {s.sid}" for s in calls] + [
        f"conference {s.parent_sid} {s.sid}" for s in conferences
    ]
    lines.insert(3, "# a comment, not a stop")
    lines.insert(5, "")
    lines.append("call not-a-uuid 00000000-0000-4000-8000-000000000000")
    lines.append(f"call {calls[0].parent_sid} 00000000-0000-4000-8000-000000000000")
    lines.append("pause everything")
    # Two 503s: at most two attempts of one stop can fail, and its third (max_retries=2) succeeds.
    space.fail(503, times=2, retry_after=0)
    result = run(space, "stop-stream", "--stdin", "--concurrency", "5", stdin="\n".join(lines) + "\n")
    assert result.returncode == cli_parser.EXIT_BULK_FAILURES, result.stderr
    records = bulk_records(result)
    stops = [n for n, text in enumerate(lines, 1) if text and not text.startswith("#")]
    assert sorted(records) == stops  # nothing skipped
    ok = [r for r in records.values() if r["ok"]]
    failed = [r for r in records.values() if not r["ok"]]
    assert len(ok) == 30
    assert {r["error_type"] for r in failed} == {"ValueError", "NotFoundError"}
    assert next(r for r in failed if r["error_type"] == "NotFoundError")["status_code"] == 404
    assert all(space.stream_status(s.sid) == "stopped" for s in calls + conferences)
    summary = result.stderr.strip().splitlines()[-1]
    assert summary == (
        "signalwire-compat: 30 of 33 streams stopped, 3 failed (1 API error, 0 connection errors, 2 bad lines)"
    )
    assert "\r" not in result.stderr  # no progress line when stderr is not a terminal


def test_bulk_lines_take_names_comments_and_any_case(space: FakeSpace) -> None:
    named = space.add_call_stream(name="agent-audio")
    conference = space.add_conference_stream()
    lines = [
        "   # a comment: its first non-blank character is '#'",
        f"Call {named.parent_sid} agent-audio  ",
        f"\tCONFERENCE\t{conference.parent_sid}   {conference.sid}\r",  # a CRLF line end
    ]
    result = run(space, "stop-stream", "--stdin", stdin="\n".join(lines))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted((n, r["ok"]) for n, r in bulk_records(result).items()) == [(2, True), (3, True)]
    assert space.stream_status(named.sid) == space.stream_status(conference.sid) == "stopped"


def test_bulk_stops_exactly_the_stream_each_line_names_or_fails_the_line(space: FakeSpace) -> None:
    agent = space.add_call_stream(name="agent")
    call = agent.parent_sid
    names = ["agent#2", "Example Audio Stream", "agent\u2028x"]
    others = [space.add_call_stream(call_sid=call, name=name) for name in names]
    lines = [
        f"call {call} agent#2",  # '#' inside a line is part of the name
        f"call {call}  Example Audio Stream ",  # the name is the rest of the line
        f"call {call} agent\u2028x",  # U+2028 ends no line
        f"call {call} agent # a trailing comment is not one: the name is 'agent # a trailing...'",
        f"call {call} agent\u2028",
        f"call {call} agent\x85",
    ]
    result = run(space, "stop-stream", "--stdin", stdin="\n".join(lines) + "\n")
    records = bulk_records(result)
    assert [records[n]["ok"] for n in range(1, 7)] == [True, True, True, False, False, False], result.stdout
    assert [space.stream_status(s.sid) for s in others] == ["stopped"] * 3
    assert space.stream_status(agent.sid) == "in-progress"
    assert result.returncode == cli_parser.EXIT_BULK_FAILURES


def test_bulk_reads_stdins_bytes_so_a_carriage_return_inside_a_line_splits_nothing(space: FakeSpace) -> None:
    agent, other = space.add_call_stream(name="agent"), space.add_call_stream(name="other")
    data = f"call {agent.parent_sid} agent\rcall {other.parent_sid} other\n".encode()
    result = run(space, "stop-stream", "--stdin", stdin=data)
    assert [r["ok"] for r in bulk_records(result).values()] == [False]
    assert space.stream_status(agent.sid) == space.stream_status(other.sid) == "in-progress"


def test_bulk_with_everything_ok_exits_0(space: FakeSpace) -> None:
    streams = [space.add_call_stream() for _ in range(5)]
    result = run(space, "stop-stream", "--stdin", stdin="".join(f"call {s.parent_sid} {s.sid}\n" for s in streams))
    assert result.returncode == 0, result.stderr
    assert len(bulk_records(result)) == 5
    assert (
        result.stderr.strip()
        == "signalwire-compat: 5 of 5 streams stopped, 0 failed (0 API errors, 0 connection errors, 0 bad lines)"
    )


def test_bulk_stops_sending_after_the_credentials_are_refused(space: FakeSpace) -> None:
    streams = [space.add_call_stream() for _ in range(20)]
    stdin = "".join(f"call {s.parent_sid} {s.sid}\n" for s in streams)
    result = run(space, "stop-stream", "--stdin", "--concurrency", "2", stdin=stdin, SIGNALWIRE_API_TOKEN="PTwrong1")
    assert result.returncode == cli_parser.EXIT_BULK_STOPPED
    attempted = len(space.requests)
    assert attempted <= 2
    assert len(bulk_records(result)) == attempted
    last = result.stderr.strip().splitlines()[-1]
    assert "the API refused the credentials (401)" in last
    assert f"{20 - attempted} lines not attempted ({attempted + 1}-20)" in last
    assert "--keep-going" in last
    assert "PTwrong1" not in result.stderr

    space.clear_requests()
    keep_going = run(space, "stop-stream", "--stdin", "--keep-going", stdin=stdin, SIGNALWIRE_API_TOKEN="PTwrong1")
    assert keep_going.returncode == cli_parser.EXIT_BULK_FAILURES
    assert len(space.requests) == 20


def test_bulk_stops_sending_when_the_space_cannot_be_reached() -> None:
    port = unused_port()
    env = {
        "SIGNALWIRE_PROJECT_ID": SID,
        "SIGNALWIRE_API_TOKEN": "PTsecret",
        "SIGNALWIRE_SPACE_URL": f"http://127.0.0.1:{port}",
    }
    stdin = "".join(f"call {SID} stream-{n}\n" for n in range(20))
    result = run(None, "stop-stream", "--stdin", "--concurrency", "3", "--max-retries", "0", stdin=stdin, **env)
    assert result.returncode == cli_parser.EXIT_BULK_STOPPED
    records = bulk_records(result)
    assert 1 <= len(records) <= 3
    assert all(r["error_type"] == "APIConnectionError" for r in records.values())
    last = result.stderr.strip().splitlines()[-1]
    assert "the space cannot be reached" in last and f"127.0.0.1:{port}" in last
    assert f"{20 - len(records)} lines not attempted" in last
    everything = run(None, "stop-stream", "--stdin", "--keep-going", "--max-retries", "0", stdin=stdin, **env)
    assert everything.returncode == cli_parser.EXIT_BULK_FAILURES
    assert len(bulk_records(everything)) == 20


def test_bulk_concurrency_is_bounded(space: FakeSpace) -> None:
    streams = [space.add_call_stream() for _ in range(12)]
    space.latency = 0.1  # long enough for three stops to overlap
    stdin = "".join(f"call {s.parent_sid} {s.sid}\n" for s in streams)
    result = run(space, "stop-stream", "--stdin", "--concurrency", "3", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert space.peak_in_flight == 3
    assert len(space.requests) == 12


# -- on a terminal ----------------------------------------------------------------------------------


def default_sigint() -> None:
    """Ctrl-C as a terminal user has it: a job started in the background inherits SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_on_terminal(
    space: FakeSpace, args: list[str], stdin: str, *, interrupt_when: Callable[[], bool] | None = None
) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on one pseudo-terminal; returns its exit status and output.

    ``interrupt_when``: send Ctrl-C (SIGINT) once it holds (checked every 50 ms; a slow start-up on a
    busy machine then does not move the interruption earlier in the run).
    """
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "signalwire_compat", *args],
        stdin=subprocess.PIPE,
        stdout=secondary,
        stderr=secondary,
        env=environment(space),
        preexec_fn=default_sigint,  # a background CI job may start us with SIGINT ignored
    )
    os.close(secondary)
    assert process.stdin is not None
    process.stdin.write(stdin.encode())
    process.stdin.close()
    output = b""
    started = time.monotonic()
    interrupted = False
    try:
        while time.monotonic() - started < 30:
            if interrupt_when is not None and not interrupted and interrupt_when():
                process.send_signal(signal.SIGINT)
                interrupted = True
            readable, _, _ = select.select([primary], [], [], 0.05)
            if readable:
                try:
                    chunk = os.read(primary, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
        return process.wait(10), output.decode()
    finally:
        process.kill()
        os.close(primary)


@pytest.mark.slow  # a child process on a pseudo-terminal
def test_progress_is_cleared_before_each_result_line_on_a_shared_terminal(space: FakeSpace) -> None:
    streams = [space.add_call_stream() for _ in range(8)]
    space.latency = 0.15
    stdin = "".join(f"call {s.parent_sid} {s.sid}\n" for s in streams)
    code, output = run_on_terminal(space, ["stop-stream", "--stdin", "--concurrency", "2"], stdin)
    assert code == 0, output
    assert re.search(r"\r\d+/8 done, \d+ stopped, 0 failed", output), output  # progress was shown
    assert not re.search(r"failed\{", output), output  # never glued to a result line
    results = [line for line in output.replace("\r\x1b[K", "\n").splitlines() if line.startswith('{"line"')]
    assert len(results) == 8
    assert all(json.loads(line)["ok"] for line in results)


@pytest.mark.slow  # a child process on a pseudo-terminal, interrupted after a second
def test_an_interrupted_run_names_the_lines_in_flight_and_not_sent(space: FakeSpace) -> None:
    streams = [space.add_call_stream() for _ in range(6)]
    space.latency = 2.0  # the first two stay in flight when Ctrl-C comes
    stdin = "".join(f"call {s.parent_sid} {s.sid}\n" for s in streams)
    arguments = ["stop-stream", "--stdin", "--concurrency", "2"]
    code, output = run_on_terminal(space, arguments, stdin, interrupt_when=lambda: space.peak_in_flight >= 2)
    assert code == cli_parser.EXIT_INTERRUPTED, output
    assert (
        "signalwire-compat: interrupted; lines 1-2 were in flight (outcome unknown: check them); "
        "lines 3-6 were not sent"
    ) in output
    assert "Traceback" not in output


def test_bulk_reports_a_connection_failure_without_a_status_code(space: FakeSpace) -> None:
    stream = space.add_call_stream()
    space.drop_connection(times=1)
    result = run(
        space, "stop-stream", "--stdin", "--max-retries", "0", stdin=f"call {stream.parent_sid} {stream.sid}\n"
    )
    assert result.returncode == cli_parser.EXIT_BULK_FAILURES, result.stderr
    (record,) = bulk_records(result).values()
    assert record["error_type"] == "APIConnectionError"
    assert "status_code" not in record
    assert result.stderr.strip().splitlines()[-1].endswith("(0 API errors, 1 connection error, 0 bad lines)")


def test_no_command_prints_the_usage_and_exits_2() -> None:
    result = run(None)
    assert (result.returncode, result.stdout) == (cli_parser.EXIT_USAGE, "")
    assert result.stderr.startswith("usage: signalwire-compat ")
