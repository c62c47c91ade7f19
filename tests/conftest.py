from __future__ import annotations

import os
import sys
from collections.abc import Iterator
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


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest) -> object:
    from helpers import Runner

    return Runner(request.param)
