from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# make quick sets this: property-based tests then run an eighth of their examples (make test: all).
QUICK = os.environ.get("SIGNALWIRE_COMPAT_QUICK") == "1"
# Third-party inputs kept in the repository (each folder has a PROVENANCE.md; tests/test_fixtures.py checks them).
FIXTURES = ROOT / "tests" / "fixtures"
UPSTREAM_SPEC = ROOT / "openapi" / "upstream" / "compatibility-openapi.yaml"
# scripts/ is tooling, not an installed package; its modules are imported by the tests directly.
sys.path.insert(0, str(ROOT / "scripts"))

# Identifiers used across the SDK tests. The token is distinctive so leak checks can search for it.
PROJECT = "9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
TOKEN = "PTdeadbeefSECRETtoken0123456789abcdef"
CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
CONFERENCE = "2c4a6c7e-0000-4a4a-8b8b-222222222222"
STREAM = "3c4a6c7e-0000-4a4a-8b8b-333333333333"


def examples(count: int) -> int:
    """How many examples a hypothesis test runs: ``count``, or a fraction of it under make quick."""
    return max(25, count // 8) if QUICK else count


CONTRACT_COUNTS = {"sdk_requests": 0, "fake_responses": 0}


@pytest.fixture(autouse=True)
def contract_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Check every request the SDK sends and every response FakeSpace sends against the specs.

    FakeSpace exchanges are checked as they happen (so a long load test holds no backlog);
    scripted-server requests when the test ends.
    """
    from contract import Exchange, contract
    from signalwire_compat.testing import FakeSpace, RecordedRequest

    from servers import ScriptedServer

    problems: list[str] = []
    original = FakeSpace._record

    def check(exchange: Exchange) -> None:
        problems.extend(contract().problems([exchange]))
        CONTRACT_COUNTS["sdk_requests"] += exchange.sent_by_sdk
        CONTRACT_COUNTS["fake_responses"] += bool(exchange.status)

    def record(space: FakeSpace, request: RecordedRequest) -> None:
        fields = (request.body, request.status, request.response_body, request.fault)
        check(Exchange(request.method, request.path, dict(request.headers), *fields))
        original(space, request)

    monkeypatch.setattr(FakeSpace, "_record", record)
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


def mypy_cache_dir(tmp_path: Path) -> str:
    """A private copy of the checkout's mypy cache for a test's mypy run, or an empty folder.

    ``make test`` type-checks the project before pytest runs: with that cache, mypy reads the SDK
    and its dependencies from it and checks only the test's own files (a tenth of the time).
    Anything changed since is checked again, as in any incremental run; a copy, so runs in
    parallel never share one.
    """
    import shutil

    cache = tmp_path / "mypy-cache"
    if (ROOT / ".mypy_cache").is_dir():
        shutil.copytree(ROOT / ".mypy_cache", cache)
    return str(cache)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``build(folder)`` makes, built once per run and shared by every pytest-xdist worker.

    The first worker to ask builds it under a file lock; the others wait, then reuse it. Only for
    what tests read and never change (a wheel, a generated tree).
    """
    import fcntl
    import shutil

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    folder, done = shared / name, shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            build(folder)
            done.touch()
    return folder


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
    from helpers import Runner

    return Runner(request.param)
