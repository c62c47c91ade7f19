"""Shared test helpers: run the same scenario through the sync and the async client."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from typing import Any

import signalwire_compat as sw

from conftest import CALL, CONFERENCE, PROJECT, STREAM, TOKEN

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

    def stop_conference(self, url: str, **options: Any) -> Any:
        return self.run(url, lambda c: c.conferences(CONFERENCE).streams(STREAM).stop(), **options)
