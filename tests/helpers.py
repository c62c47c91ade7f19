"""Shared test ids, paths and helpers (``from tests.helpers import ...``); ``Runner`` runs one scenario through
the sync and the async client."""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import signalwire_compat as sw

ROOT = Path(__file__).resolve().parent.parent
# make quick sets this: property-based tests then run an eighth of their examples (make test: all).
QUICK = os.environ.get("SIGNALWIRE_COMPAT_QUICK") == "1"
# Third-party inputs kept in the repository (each folder has a PROVENANCE.md: tests/pipeline/test_fixtures.py).
FIXTURES = ROOT / "tests" / "fixtures"
UPSTREAM_SPEC = ROOT / "openapi" / "upstream" / "compatibility-openapi.yaml"

# Identifiers used across the SDK tests. The token is distinctive so leak checks can search for it.
PROJECT = "9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
TOKEN = "PTdeadbeefSECRETtoken0123456789abcdef"
CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
CONFERENCE = "2c4a6c7e-0000-4a4a-8b8b-222222222222"
STREAM = "3c4a6c7e-0000-4a4a-8b8b-333333333333"


def examples(count: int) -> int:
    """How many examples a hypothesis test runs: ``count``, or a fraction of it under make quick."""
    return max(25, count // 8) if QUICK else count


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


BASIC = "Basic " + base64.b64encode(f"{PROJECT}:{TOKEN}".encode()).decode()
SECRETS = (TOKEN, base64.b64encode(f"{PROJECT}:{TOKEN}".encode()).decode())
CALL_PATH = f"/api/laml/2010-04-01/Accounts/{PROJECT}/Calls/{CALL}/Streams/{STREAM}"
CONFERENCE_PATH = f"/api/laml/2010-04-01/Accounts/{PROJECT}/Conferences/{CONFERENCE}/Streams/{STREAM}"
FAST_RETRIES = {"backoff_factor": 0.001, "max_retry_wait": 2.0}


def call_stream_document(**overrides: Any) -> dict[str, Any]:
    document = {
        "sid": STREAM,
        "account_sid": PROJECT,
        "call_sid": CALL,
        "name": "agent-audio",
        "status": "stopped",
        "date_updated": "Tue, 10 Aug 2021 21:39:46 +0200",
        "uri": f"/api/laml/2010-04-01/Accounts/{PROJECT}/Calls/{CALL}/Streams/{STREAM}.json",
    }
    document.update(overrides)
    return document


def conference_stream_document(**overrides: Any) -> dict[str, Any]:
    document = {
        "account_sid": PROJECT,
        "conference_sid": CONFERENCE,
        "date_updated": "Wed, 26 Sept 2018 23:00:04 +0000",
        "name": None,
        "sid": STREAM,
        "status": "stopped",
        "uri": f"/api/laml/2010-04-01/Accounts/{PROJECT}/Conferences/{CONFERENCE}/Streams/{STREAM}.json",
    }
    document.update(overrides)
    return document


def call_document(**overrides: Any) -> dict[str, Any]:
    """A ``CallResponse`` as the spec describes it (every field), for the call ``CALL``."""
    uri = f"/api/laml/2010-04-01/Accounts/{PROJECT}/Calls/{CALL}"
    document: dict[str, Any] = {
        "sid": CALL,
        "account_sid": PROJECT,
        "date_created": "Wed, 19 Sep 2018 20:00:00 +0000",
        "date_updated": "Wed, 19 Sep 2018 21:00:00 +0000",
        "parent_call_sid": None,
        "to": "+13105678901",
        "formatted_to": "(310) 567-8901",
        "to_formatted": "(310) 567-8901",
        "from": "+13103384645",
        "formatted_from": "(310) 338-4645",
        "from_formatted": "(310) 338-4645",
        "phone_number_sid": None,
        "status": "completed",
        "start_time": "Wed, 19 Sep 2018 20:00:01 +0000",
        "end_time": "Wed, 19 Sep 2018 20:00:21 +0000",
        "duration": 20,
        "price": 0.003,
        "price_unit": "USD",
        "direction": "outbound",
        "answered_by": None,
        "api_version": "2010-04-01",
        "forwarded_from": None,
        "caller_name": None,
        "uri": f"{uri}.json",
        "subresource_uris": {"notifications": None, "recordings": f"{uri}/Recordings.json"},
        "annotation": None,
        "group_sid": None,
        "audio_in_mos": 4.5,
        "sip_result_code": "200",
        "audio_rtt_avg": 50,
        "audio_rtt_min": 20,
        "audio_rtt_max": 100,
        "audio_out_jitter_min": 1,
        "audio_out_jitter_max": 10,
        "audio_out_jitter_avg": 5,
        "audio_out_lost": 0,
    }
    document.update(overrides)
    return document


def error_document(status: int, message: str = "Something went wrong", code: int = 20000) -> dict[str, Any]:
    return {"code": code, "message": message, "more_info": f"https://developer.signalwire.com/{code}", "status": status}


Action = Callable[[Any], Any]


class Runner:
    """Runs ``action(client)`` with a fresh ``Client`` or ``AsyncClient``; ``kind`` says which."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return self.kind

    def run(self, url: str, action: Action, **options: Any) -> Any:
        options.setdefault("project_id", PROJECT)
        options.setdefault("api_token", TOKEN)
        options.setdefault("space_url", url)
        if self.kind == "sync":
            with sw.Client(**options) as client:
                return action(client)

        async def main() -> Any:
            async with sw.AsyncClient(**options) as client:
                return await action(client)

        return asyncio.run(main())

    def stop_call(self, url: str, **options: Any) -> Any:
        return self.run(url, lambda c: c.calls(CALL).streams(STREAM).stop(), **options)

    def hang_up(self, url: str, **options: Any) -> Any:
        return self.run(url, lambda c: c.calls(CALL).hang_up(), **options)

    def stop_conference(self, url: str, **options: Any) -> Any:
        return self.run(url, lambda c: c.conferences(CONFERENCE).streams(STREAM).stop(), **options)
