from __future__ import annotations

import atexit
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, built_once

CONTRACT_COUNTS = {"sdk_requests": 0, "fake_responses": 0}


def pytest_configure(config: pytest.Config) -> None:
    from tests.budget import exit_at_once, is_xdist_controller, warm_bytecode

    if is_xdist_controller(config):
        warm_bytecode(config)
    if hasattr(config, "workerinput"):  # registered now, it runs after the handlers the tests register
        atexit.register(exit_at_once)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each pytest-xdist worker how the controller hands out tests (a worker's own option says "no")."""
    node.workerinput["signalwire_compat_dist"] = node.config.getoption("dist")


def pytest_collection_finish(session: pytest.Session) -> None:
    from tests.budget import freeze_what_collection_made

    freeze_what_collection_made()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    workerinput = getattr(config, "workerinput", {})
    if workerinput.get("signalwire_compat_dist") == "worksteal":
        from tests.budget import longest_first

        items[:] = longest_first(items, int(workerinput["workercount"]))


@pytest.fixture(autouse=True)
def contract_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Check every request the SDK sends and every response FakeSpace sends against the specs.

    FakeSpace exchanges are checked as they happen (so a long load test holds no backlog);
    scripted-server requests when the test ends.
    """
    from signalwire_compat.testing import FakeSpace, RecordedRequest
    from tests.contract import Exchange, contract
    from tests.servers import ScriptedServer

    problems: list[str] = []
    original = FakeSpace._record

    def check(exchange: Exchange) -> None:
        problems.extend(contract().problems([exchange]))
        CONTRACT_COUNTS["sdk_requests"] += exchange.sent_by_sdk
        CONTRACT_COUNTS["fake_responses"] += bool(exchange.status)

    def record(space: FakeSpace, request: RecordedRequest) -> None:
        check(Exchange.recorded(request))
        original(space, request)

    monkeypatch.setattr(FakeSpace, "_record", record)

    from signalwire_compat.testing._callbacks import CallbackSender
    from tests.contract import callback_problems

    original_send = CallbackSender.send

    def send(sender: CallbackSender, url: str, method: str, params: Any) -> None:
        problems.extend(callback_problems(params))
        original_send(sender, url, method, params)

    monkeypatch.setattr(CallbackSender, "send", send)
    ScriptedServer.all_received.clear()
    yield
    for received in ScriptedServer.all_received:
        check(Exchange(received.method, received.path, received.headers, received.body))
    ScriptedServer.all_received.clear()
    assert not problems, "contract violations:\n" + "\n".join(problems[:20])


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the counts to the controller
        workeroutput["contract"] = dict(CONTRACT_COUNTS)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: pytest -p no:xdist runs without it
def pytest_testnodedown(node: Any, error: Any) -> None:
    for key, count in getattr(node, "workeroutput", {}).get("contract", {}).items():
        CONTRACT_COUNTS[key] += count


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if hasattr(terminalreporter.config, "workeroutput"):
        return
    terminalreporter.write_line(
        f"contract: {CONTRACT_COUNTS['sdk_requests']} SDK requests and "
        f"{CONTRACT_COUNTS['fake_responses']} FakeSpace responses checked against the specs"
    )


@pytest.fixture(scope="session")
def sdk_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project's wheel, as ``pip wheel`` builds it (once per run)."""
    import subprocess

    def build(folder: Path) -> None:
        built = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(folder), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert built.returncode == 0, built.stderr

    (wheel,) = built_once(tmp_path_factory, "sdk-wheel", build).glob("signalwire_compat-*.whl")
    return wheel


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest) -> object:
    from tests.helpers import Runner

    return Runner(request.param)
