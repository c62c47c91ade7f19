"""The command-line fake keeps what it is given (``--project-id``, the token and signing key from the environment),
prints back only what it generated, refuses secrets on the command line, and labels its lines."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

import pytest

import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace
from signalwire_compat.testing.__main__ import main
from tests.servers import CallbackReceiver

PROJECT = "1c4a6c7e-0000-4a4a-8b8b-999999999999"
TOKEN = "PTkept0123456789"
SIGNING_KEY = "PSK_kept0123456789"
COMMAND = [sys.executable, "-m", "signalwire_compat.testing"]


def _environment(**settings: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("SIGNALWIRE_")}, **settings}


@contextmanager
def running(*args: str, lines: int, **settings: str) -> Iterator[list[str]]:
    """The fake in a subprocess: its first ``lines`` lines; stopped with SIGTERM (and checked) after the block."""
    process = subprocess.Popen(
        [*COMMAND, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_environment(**settings)
    )
    try:
        assert process.stdout is not None
        yield [process.stdout.readline().rstrip("\n") for _ in range(lines)]
        process.send_signal(signal.SIGTERM)
        # Not communicate(): it reads the pipe's descriptor and would miss what readline() buffered already.
        process.wait(timeout=10)
        rest = process.stdout.read()
        stderr = process.stderr.read() if process.stderr is not None else ""
    finally:
        process.kill()
        process.wait(10)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    for secret in (TOKEN, SIGNING_KEY):
        assert secret not in rest + stderr


def _exports(lines: list[str]) -> dict[str, str]:
    return dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))


@pytest.mark.slow  # starts an interpreter
def test_given_settings_are_kept_and_never_printed_only_generated_ones_are() -> None:
    kept = {"SIGNALWIRE_API_TOKEN": TOKEN, "SIGNALWIRE_SIGNING_KEY": SIGNING_KEY}
    with running("--project-id", PROJECT, lines=3, **kept) as lines:
        exports = _exports(lines)
        assert set(exports) == {"SIGNALWIRE_SPACE_URL"}
        assert (
            lines[1]
            == "# kept: SIGNALWIRE_PROJECT_ID, SIGNALWIRE_API_TOKEN, SIGNALWIRE_SIGNING_KEY (as given; not printed)"
        )
        assert lines[2] == "# serving until Ctrl-C or SIGTERM"
        assert not any(value in line for line in lines for value in (PROJECT, TOKEN, SIGNING_KEY))
        # The app under test, configured once, works against it: the credentials and the signing key are the ones given.
        call = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
        with CallbackReceiver() as receiver:
            with sw.Client(PROJECT, TOKEN, exports["SIGNALWIRE_SPACE_URL"]) as client:
                client.calls(call).streams.create(
                    url="wss://example.com/a", name="s", status_callback=f"{receiver.url}/status"
                )
                client.calls(call).streams("s").stop()
            deadline = time.monotonic() + 5
            while len(receiver.received) < 2 and time.monotonic() < deadline:  # sent by the fake in the background
                time.sleep(0.01)
            received = list(receiver.received)
        assert len(received) == 2
        for request in received:
            url = f"{receiver.url}/status"
            signature = request.headers["x-signalwire-signature"]
            sw.webhooks.verify(SIGNING_KEY, signature=signature, url=url, body=request.body)


@pytest.mark.slow  # starts an interpreter
def test_the_project_id_comes_from_the_environment_too_and_a_missing_setting_is_generated_and_printed() -> None:
    with running(lines=4, SIGNALWIRE_PROJECT_ID=PROJECT.upper(), SIGNALWIRE_SIGNING_KEY=SIGNING_KEY) as lines:
        exports = _exports(lines)
        assert set(exports) == {"SIGNALWIRE_SPACE_URL", "SIGNALWIRE_API_TOKEN"}
        assert lines[2] == "# kept: SIGNALWIRE_PROJECT_ID, SIGNALWIRE_SIGNING_KEY (as given; not printed)"
        with sw.Client(PROJECT, exports["SIGNALWIRE_API_TOKEN"], exports["SIGNALWIRE_SPACE_URL"]) as client:
            stopped = client.calls("1c4a6c7e-0000-4a4a-8b8b-111111111111").streams.create(url="wss://example.com/a")
        assert stopped.account_sid == PROJECT  # the UUID, lower-cased as the SDK sends it


def _run_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(args)`` in this process (usage errors end before anything starts): exit code, stdout, stderr."""
    try:
        code = main(args)
    except SystemExit as exit:  # argparse's own errors
        code = int(exit.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow  # starts an interpreter
def test_a_secret_flag_is_refused_in_a_subprocess_without_being_echoed() -> None:
    result = subprocess.run(
        [*COMMAND, "--api-token", TOKEN], capture_output=True, text=True, timeout=30, check=False, env=_environment()
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert "secrets are read only from the environment" in result.stderr and TOKEN not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([f"--api-token={TOKEN}"], "secrets are read only from the environment"),
        (["--signing-key", SIGNING_KEY], "secrets are read only from the environment"),
        (["--token", TOKEN], "secrets are read only from the environment"),
        (["--api-tok", TOKEN], "unrecognized arguments (see --help)"),  # argparse would echo both
        ([TOKEN], "unrecognized arguments (see --help)"),
    ],
    ids=["api-token=", "signing-key", "token", "abbreviated", "positional"],
)
def test_secrets_on_the_command_line_are_refused_without_being_echoed_and_nothing_starts(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run_in_process(args, capsys)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1, err
    assert TOKEN not in err and SIGNING_KEY not in err


@pytest.mark.parametrize(
    ("args", "settings", "message"),
    [
        (["--project-id", "my-project"], {}, "--project-id must be a UUID"),
        ([], {"SIGNALWIRE_PROJECT_ID": "nope"}, "SIGNALWIRE_PROJECT_ID must be a UUID"),
        ([], {"SIGNALWIRE_API_TOKEN": " "}, "SIGNALWIRE_API_TOKEN is set but empty"),
        ([], {"SIGNALWIRE_SIGNING_KEY": ""}, "SIGNALWIRE_SIGNING_KEY is set but empty"),
    ],
)
def test_unusable_settings_are_one_line_usage_errors(
    args: list[str],
    settings: dict[str, str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in [name for name in os.environ if name.startswith("SIGNALWIRE_")]:
        monkeypatch.delenv(name)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    code, out, err = _run_in_process(args, capsys)
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1, err


@pytest.mark.slow  # starts an interpreter
def test_stream_lines_are_labelled_with_the_ids_and_the_name_to_stop_them_by() -> None:
    with running("--call-streams", "2", "--conference-streams", "1", lines=8) as lines:
        exports = _exports(lines)
        records = [line.split() for line in lines if line.startswith("# ") and "=" in line]
        assert [record[1] for record in records] == ["call-stream", "call-stream", "conference-stream"]
        fields = [dict(field.split("=", 1) for field in record[2:]) for record in records]
        assert [set(f) for f in fields] == [{"call", "stream", "name"}] * 2 + [{"conference", "stream", "name"}]
        client = sw.Client(
            exports["SIGNALWIRE_PROJECT_ID"], exports["SIGNALWIRE_API_TOKEN"], exports["SIGNALWIRE_SPACE_URL"]
        )
        with client:
            first, _, conference = fields
            assert client.calls(first["call"]).streams(first["name"]).stop().sid == first["stream"]
            stopped = client.conferences(conference["conference"]).streams(conference["name"]).stop()
            assert stopped.sid == conference["stream"]


@pytest.mark.parametrize("port", ["70000", "-1", "65536", "http"])
def test_a_port_that_is_not_one_is_a_one_line_usage_error_and_nothing_starts(
    port: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [name for name in os.environ if name.startswith("SIGNALWIRE_")]:
        monkeypatch.delenv(name)
    code, out, err = _run_in_process(["--port", port], capsys)
    assert (code, out) == (2, "")
    assert "--port" in err and err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--incoming-call", "https://app.example.com/voice"], "loopback"),
        (["--incoming-call", "ftp://127.0.0.1/voice"], "http(s)://"),
        (["--incoming-call", "http://127.0.0.1:9/voice", "--from", ""], "from_ must be a non-empty str"),
    ],
    ids=["not-loopback", "not-http", "empty-from"],
)
def test_a_refused_incoming_call_is_one_line_before_any_setting_is_printed(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [name for name in os.environ if name.startswith("SIGNALWIRE_")]:
        monkeypatch.delenv(name)
    code, out, err = _run_in_process(args, capsys)
    assert (code, out) == (2, "")  # no export lines for a space that never served
    assert message in err and err.count("\n") == 1, err


@pytest.fixture
def sigterm_handler_kept() -> Iterator[None]:
    """``main`` takes SIGTERM (to stop serving) before the space starts: the test's process gets its handler back."""
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, previous)


@pytest.mark.usefixtures("sigterm_handler_kept")
def test_a_space_that_cannot_start_is_one_line_naming_why_and_never_its_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [name for name in os.environ if name.startswith("SIGNALWIRE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SIGNALWIRE_API_TOKEN", "Qz9Qz9Q")  # too short to be told apart from text
    code, out, err = _run_in_process([], capsys)
    assert (code, out) == (2, "")
    assert "api_token is 7 characters long" in err and err.count("\n") == 1, err
    assert "Qz9Qz9Q" not in err
    monkeypatch.delenv("SIGNALWIRE_API_TOKEN")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        code, out, err = _run_in_process(["--port", str(port)], capsys)
    assert (code, out) == (1, "")
    assert f": error: cannot serve on 127.0.0.1:{port}: " in err and err.count("\n") == 1, err


class OneRound(threading.Event):
    """A stop signal for ``_watch`` that lets it look once, then stop (no waiting)."""

    def __init__(self) -> None:
        super().__init__()
        self.rounds = 0

    def wait(self, timeout: float | None = None) -> bool:
        self.rounds += 1
        return self.rounds > 1


def read_record(line: str) -> tuple[str, dict[str, str]]:
    """A record as the help text says to read it: split at spaces, each field at its first '=', values
    percent-decoded."""
    marker, label, *fields = line.split(" ")
    assert marker == "#"
    pairs = [field.split("=", 1) for field in fields]
    assert len({key for key, _ in pairs}) == len(pairs), line  # no field given twice
    return label, {key: unquote(value) for key, value in pairs}


def test_record_values_are_percent_encoded_so_a_name_reads_back_whole_and_cannot_pose_as_a_field(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from signalwire_compat.testing.__main__ import _watch

    name = "agent 1 call=forged%41 ü\u2028+"
    response = sw.cxml.VoiceResponse()
    response.start().stream(url="wss://media.example.com/audio", name=name)
    document = str(response.say("bye").redirect("http://127.0.0.1:9/next")).encode()

    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [document]

    with FakeSpace(listen=False, callback_app=app) as space:
        call = space.incoming_call("https://app.example.com/voice").wait_until_ended()
        _watch(space, call, OneRound())
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2, lines
    (label, stream), (ended_label, ended) = (read_record(line) for line in lines)
    assert (label, ended_label) == ("call-stream", "call-ended")
    assert stream == {"call": call.sid, "stream": call.streams[0].sid, "name": name}
    assert ended == {"call": call.sid, "status": "completed", "verbs": "Start", "streams": "1"}


def test_a_heard_file_that_cannot_be_written_when_the_call_ends_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from signalwire_compat.testing.__main__ import _watch

    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [str(sw.cxml.VoiceResponse().hangup()).encode()]

    heard = tmp_path / "removed meanwhile" / "heard.wav"  # its folder was there when the fake started
    with FakeSpace(listen=False, callback_app=app) as space:
        call = space.incoming_call("https://app.example.com/voice").wait_until_ended()
        code = _watch(space, call, OneRound(), heard=str(heard))
    captured = capsys.readouterr()
    assert code == 1 and not heard.exists()
    assert captured.err == f"signalwire-compat fake: error: --heard {heard}: No such file or directory\n"
    assert read_record(captured.out.splitlines()[-1])[0] == "call-ended"
