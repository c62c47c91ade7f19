"""docs/pipecat.md's example runs against FakeSpace and passes mypy --strict, with pipecat installed.

The page fences its Python as ``py`` (GitHub highlights it as Python): the README test, which runs every
``python`` block of the docs without pipecat, leaves it to this one.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest

from signalwire_compat import media
from signalwire_compat.testing import FakeSpace, Tone
from signalwire_compat.testing._audio import codec_named
from tests.helpers import ROOT
from tests.pipecat.agent import served

PAGE = ROOT / "docs" / "pipecat.md"
BLOCK = re.compile(r"^```py\n(.*?)^```", re.DOTALL | re.MULTILINE)


def example() -> str:
    (code,) = BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    return code


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("pipecat_agent_example", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mypy_cache(tmp_path: Path) -> str:
    """A copy of the cache make test-pipecat's mypy run left in this environment (the checkout's .mypy_cache
    is made without pipecat: mypy would take pipecat for missing), or an empty folder."""
    cache, made = tmp_path / "mypy-cache", Path(sys.prefix) / "mypy-cache"
    if made.is_dir():
        shutil.copytree(made, cache)
    return str(cache)


@pytest.mark.slow  # runs mypy
def test_the_example_passes_mypy_strict(tmp_path: Path) -> None:
    from mypy import api

    path = tmp_path / "agent.py"
    path.write_text(example(), encoding="utf-8")
    stdout, stderr, status = api.run(["--strict", f"--cache-dir={mypy_cache(tmp_path)}", str(path)])
    assert status == 0, stdout + stderr


def test_the_example_echoes_the_caller_and_hangs_up_on_the_pound_key_after_the_playout(tmp_path: Path) -> None:
    path = tmp_path / "agent.py"
    path.write_text(example(), encoding="utf-8")
    with FakeSpace(audio=Tone()) as space, mock.patch.dict(os.environ, {"SIGNALWIRE_SIGNING_KEY": space.signing_key}):
        agent = load(path)
        with served(agent.app) as url:
            call = space.incoming_call(f"{url}/voice")
            (stream,) = call.wait_for_streams(1)
            session = space.media(stream.sid).wait_until_connected()
            session.wait_for_marks(10)  # the caller has heard 400 ms of itself
            session.send_dtmf("#")
            call.wait_until_ended(timeout=20)
    assert call.status == "completed" and call.verbs == ["Connect"]
    assert space.stream_settings(stream.sid)["Codec"] == "L16@16000h"
    # The caller's own audio came back byte for byte (L16 read and written in the same order) ...
    sent_by_space = codec_named("L16@16000h").encode(Tone().pcm(16000)) * 2  # type: ignore[union-attr]
    echoed = session.received_audio
    assert len(echoed) >= 10 * 1280 and echoed == sent_by_space[: len(echoed)]
    # ... and all of it played before the WebSocket closed.
    marks = [m.name for m in session.app_messages if isinstance(m, media.AppMark)]
    assert session.marks_echoed == marks


def test_a_voice_webhook_without_a_valid_signature_is_refused(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    path = tmp_path / "agent.py"
    path.write_text(example(), encoding="utf-8")
    with mock.patch.dict(os.environ, {"SIGNALWIRE_SIGNING_KEY": "PSK_test"}):
        agent = load(path)
        answer = TestClient(agent.app).post("/voice", data={"CallSid": "c"})
    assert answer.status_code == 403
