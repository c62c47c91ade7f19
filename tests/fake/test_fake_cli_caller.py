"""``signalwire-compat fake``: the command-line fake as a subcommand, with a scripted caller (``--dtmf``,
``--audio``, ``--hang-up-after``, ``--heard``) and ``--wait-for-app`` for an app that is still starting."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiohttp import web

from signalwire_compat import cxml, media
from signalwire_compat._cli import main
from signalwire_compat.testing import FakeCall


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(["fake", *args])
    except SystemExit as exit:  # argparse's own errors
        code = int(exit.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_wav(path: Path, *, rate: int = 8000, channels: int = 1, seconds: float = 0.1) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(2 * channels * round(rate * seconds)))
    return path


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--incoming-call", "http://127.0.0.1:9/voice", "--dtmf", "#"], "argument --dtmf: each press is DIGITS@"),
        (["--incoming-call", "http://127.0.0.1:9/voice", "--dtmf", "x@1"], "each press is DIGITS@SECONDS"),
        (["--incoming-call", "http://127.0.0.1:9/voice", "--dtmf", "1@soon"], "must be a number of seconds"),
        (["--incoming-call", "http://127.0.0.1:9/voice", "--hang-up-after", "-1"], "must be a number of seconds"),
        (["--dtmf", "1@1"], "--dtmf needs --incoming-call"),
        (["--heard", "out.wav"], "--heard needs --incoming-call"),
        (["--wait-for-app", "5"], "--wait-for-app needs --incoming-call"),
        (["--incoming-call", "http://127.0.0.1:9/voice", "--audio", "missing.wav"], "--audio missing.wav: No such"),
        (["--incoming-call", "http://127.0.0.1:9/voice", "--heard", "no/such/folder/x.wav"], "its folder does not"),
        (["--incoming-call", "https://example.com/voice", "--dtmf", "1@1"], "loopback addresses"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2_before_anything_starts(
    args: list[str], problem: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and problem in err and err.startswith("signalwire-compat fake: error: "), err


def test_audio_that_is_not_16_bit_mono_is_refused_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    stereo = write_wav(tmp_path / "stereo.wav", channels=2)
    code, _, err = run(["--incoming-call", "http://127.0.0.1:9/voice", "--audio", str(stereo)], capsys)
    assert code == 2 and "must be 16-bit mono PCM, not 16-bit with 2 channels" in err and err.count("\n") == 1


def test_the_fake_is_listed_among_the_commands_and_its_help_names_the_callers_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "fake" in capsys.readouterr().out
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for option in ("--wait-for-app", "--dtmf", "--audio", "--hang-up-after", "--heard", "DIGITS@SECONDS"):
        assert option in out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def agent_on(port: int, digits: list[str]) -> Iterator[None]:
    """A voice agent on ``port``: it plays 0.5 s of tone, and records the keys the caller presses."""

    async def voice(request: web.Request) -> web.Response:
        document = cxml.VoiceResponse()
        document.connect().stream(url=f"ws://{request.host}/media")
        return web.Response(text=str(document), content_type="text/xml")

    async def agent(request: web.Request) -> web.StreamResponse:
        async with media.session(request) as session:
            session.play(media.ulaw_to_pcm16(bytes([0x10]) * 4000), rate=8000)
            async for event in session:
                if isinstance(event, media.Dtmf):
                    digits.append(event.digit)
        return session.websocket

    loop = asyncio.new_event_loop()
    runner = web.AppRunner(web.Application(), shutdown_timeout=1.0)
    runner.app.add_routes([web.post("/voice", voice), web.get("/media", agent)])

    async def start() -> None:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(start(), loop).result(5)
        yield
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


@pytest.mark.slow
def test_the_fake_waits_for_an_app_still_starting_presses_a_key_and_writes_what_the_caller_heard(
    tmp_path: Path,
) -> None:
    port, digits, heard = free_port(), [], tmp_path / "heard.wav"
    writes_heard = hasattr(FakeCall, "heard")  # the media side's record of it (merged beside this)
    command = [sys.executable, "-m", "signalwire_compat", "fake", "--wait-for-app", "5", "--speed", "10"]
    command += ["--incoming-call", f"http://127.0.0.1:{port}/voice", "--dtmf", "#@1", "--hang-up-after", "1.5"]
    command += ["--heard", str(heard)] if writes_heard else []
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALWIRE_")}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]  # the settings, then the incoming call
        assert lines[-1].startswith("# incoming-call "), lines
        with agent_on(port, digits):  # the app starts only now: the fake has been trying meanwhile
            lines = [process.stdout.readline() for _ in range(3)]
            assert lines[0].startswith("# serving") and lines[1].startswith("# call-stream "), lines
            assert "status=completed verbs=Connect streams=1" in lines[2], lines
            if not writes_heard:
                process.send_signal(signal.SIGTERM)
            # Not communicate(): it reads the pipe's descriptor and would miss what readline() buffered already.
            process.wait(timeout=10)
            out = process.stdout.read()
            err = process.stderr.read() if process.stderr is not None else ""
    finally:
        process.kill()
        process.wait(10)
    assert process.returncode == 0, err
    assert digits == ["#"]
    if writes_heard:
        assert out.startswith("# heard call=") and f"file={heard}" in out
        with wave.open(io.BytesIO(heard.read_bytes())) as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 8000)
            assert abs(wav.getnframes() - 4000) <= 160  # the whole 0.5 s greeting, played before the key at 1 s
