"""The command line end to end: a subprocess against FakeSpace; exit codes, stdout, stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from signalwire_compat import _cli
from signalwire_compat.testing import FakeSpace

ENV_NAMES = ["SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "SIGNALWIRE_SPACE_URL", "SIGNALWIRE_SPACE"]


@pytest.fixture
def space() -> Iterator[FakeSpace]:
    with FakeSpace() as running:
        yield running


def run(space: FakeSpace | None, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    if space is not None:
        environment |= {"SIGNALWIRE_PROJECT_ID": space.project_id, "SIGNALWIRE_API_TOKEN": space.api_token}
        environment["SIGNALWIRE_SPACE_URL"] = space.url
    environment |= env
    return subprocess.run(
        [sys.executable, "-m", "signalwire_compat", *args],
        input=stdin,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int, space: FakeSpace | None) -> None:
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    if space is not None:
        assert space.api_token not in result.stderr


def test_stop_call_stream_prints_json(space: FakeSpace) -> None:
    stream = space.add_call_stream(name="agent")
    result = run(space, "stop-stream", "--call", stream.parent_sid, stream.sid)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["kind"] == "call"
    assert document["call_sid"] == stream.parent_sid
    assert document["sid"] == stream.sid
    assert document["status"] == "stopped"
    assert document["name"] == "agent"
    assert document["date_updated"].endswith("Z")
    assert result.stderr == ""
    assert space.stream_status(stream.sid) == "stopped"


def test_stop_conference_stream_with_space_url_flag(space: FakeSpace) -> None:
    stream = space.add_conference_stream()
    result = run(space, "stop-stream", "--conference", stream.parent_sid, stream.sid, "--space-url", space.url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["conference_sid"] == stream.parent_sid
    assert json.loads(result.stdout)["name"] is None


def test_console_script_is_installed(space: FakeSpace) -> None:
    stream = space.add_call_stream()
    script = os.path.join(os.path.dirname(sys.executable), "signalwire-compat")
    environment = os.environ | {
        "SIGNALWIRE_PROJECT_ID": space.project_id,
        "SIGNALWIRE_API_TOKEN": space.api_token,
        "SIGNALWIRE_SPACE_URL": space.url,
    }
    result = subprocess.run(
        [script, "stop-stream", "--call", stream.parent_sid, stream.sid],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_api_error_exit_code(space: FakeSpace) -> None:
    stream = space.add_call_stream()
    result = run(space, "stop-stream", "--call", stream.parent_sid, "00000000-0000-4000-8000-000000000000")
    assert_clean_failure(result, _cli.EXIT_API_ERROR, space)
    assert result.stderr.startswith("signalwire-compat: error: 404 ")


def test_wrong_token_is_an_api_error_and_the_token_is_not_printed(space: FakeSpace) -> None:
    stream = space.add_call_stream()
    result = run(space, "stop-stream", "--call", stream.parent_sid, stream.sid, SIGNALWIRE_API_TOKEN="PTwrong123")
    assert_clean_failure(result, _cli.EXIT_API_ERROR, space)
    assert "401" in result.stderr
    assert "PTwrong123" not in result.stderr


def test_connection_error_exit_code() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sid = "00000000-0000-4000-8000-000000000000"
    result = run(
        None,
        "stop-stream",
        "--call",
        sid,
        sid,
        "--max-retries",
        "0",
        SIGNALWIRE_PROJECT_ID=sid,
        SIGNALWIRE_API_TOKEN="PTsecret",
        SIGNALWIRE_SPACE_URL=f"http://127.0.0.1:{port}",
    )
    assert_clean_failure(result, _cli.EXIT_CONNECTION, None)
    assert "ConnectError" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stop-stream", "--call", "..", "00000000-0000-4000-8000-000000000000"], "call_sid must be a UUID"),
        (["stop-stream", "--call", "00000000-0000-4000-8000-000000000000"], "STREAM_SID is required"),
        (["stop-stream", "--stdin", "00000000-0000-4000-8000-000000000000"], "not used with --stdin"),
        (["stop-stream"], "one of the arguments --call --conference --stdin is required"),
        (["stop-stream", "--call", "a", "b", "--api-token", "PTleaked999"], "read only from SIGNALWIRE_API_TOKEN"),
        (["stop-stream", "--call", "a", "b", "--token=PTleaked999"], "read only from SIGNALWIRE_API_TOKEN"),
        (["stop-stream", "--call", "a", "b", "PTleaked999"], "unrecognized arguments (see --help)"),
        (["stop-stream", "--stdin", "--concurrency", "0"], "--concurrency must be between 1 and 1000"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_one_line(space: FakeSpace, args: list[str], message: str) -> None:
    result = run(space, *args)
    assert_clean_failure(result, _cli.EXIT_USAGE, space)
    assert message in result.stderr
    assert "PTleaked999" not in result.stderr
    assert space.requests == []


def test_missing_configuration_is_a_usage_error_naming_the_variable(space: FakeSpace) -> None:
    sid = "00000000-0000-4000-8000-000000000000"
    result = run(space, "stop-stream", "--call", sid, sid, SIGNALWIRE_API_TOKEN="")
    assert_clean_failure(result, _cli.EXIT_USAGE, space)
    assert "SIGNALWIRE_API_TOKEN" in result.stderr
    assert result.stderr.startswith("signalwire-compat: configuration error:")


def test_plain_http_to_a_remote_space_is_refused(space: FakeSpace) -> None:
    sid = "00000000-0000-4000-8000-000000000000"
    result = run(space, "stop-stream", "--call", sid, sid, "--space-url", "http://example.signalwire.com")
    assert_clean_failure(result, _cli.EXIT_USAGE, space)
    assert "https://" in result.stderr


def test_version_reports_package_generator_and_spec_hash() -> None:
    from signalwire_compat import __version__
    from signalwire_compat._generated import provenance

    result = run(None, "--version")
    assert result.returncode == 0
    assert __version__ in result.stdout
    assert f"openapi-python-client {provenance.GENERATOR_VERSION}" in result.stdout
    assert provenance.SPEC_SHA256 in result.stdout


def bulk_records(result: subprocess.CompletedProcess[str]) -> dict[int, dict[str, Any]]:
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
    assert result.returncode == _cli.EXIT_BULK_FAILURES, result.stderr
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
        "signalwire-compat: 30 of 33 streams stopped, 3 failed (1 API errors, 0 connection errors, 2 bad lines)"
    )
    assert "\r" not in result.stderr  # no progress line when stderr is not a terminal


def test_bulk_with_everything_ok_exits_0(space: FakeSpace) -> None:
    streams = [space.add_call_stream() for _ in range(5)]
    result = run(space, "stop-stream", "--stdin", stdin="".join(f"call {s.parent_sid} {s.sid}\n" for s in streams))
    assert result.returncode == 0, result.stderr
    assert len(bulk_records(result)) == 5
    assert (
        result.stderr.strip()
        == "signalwire-compat: 5 of 5 streams stopped, 0 failed (0 API errors, 0 connection errors, 0 bad lines)"
    )


def test_bulk_concurrency_is_bounded(space: FakeSpace) -> None:
    streams = [space.add_call_stream() for _ in range(12)]
    space.latency = 0.1  # long enough for three stops to overlap
    result = run(
        space,
        "stop-stream",
        "--stdin",
        "--concurrency",
        "3",
        stdin="".join(f"call {s.parent_sid} {s.sid}\n" for s in streams),
    )
    assert result.returncode == 0, result.stderr
    assert space.peak_in_flight == 3
    assert len(space.requests) == 12


def test_progress_is_shown_on_a_terminal() -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    progress = _cli._Progress(terminal, 10)
    progress.update({"stopped": 3, "api_error": 1, "connection_error": 0, "bad_line": 0})
    progress.finish()
    assert terminal.getvalue().startswith("\r4/10 done, 3 stopped, 1 failed")
