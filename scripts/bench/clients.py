"""The eight clients the bench compares: each one a context manager yielding one stream stop, result checked.

==============  =======================================================================================
sw_sync         ``sw.Client(...).calls(C).streams(S).stop()``
sw_async        ``sw.AsyncClient``, the same stop, 50 in flight (its engine: aiohttp under httpx)
sw_async_httpx  ``sw.AsyncClient(http_client=httpx.AsyncClient())``: the SDK on httpx's own async transport
httpx_sync      ``httpx.Client(auth=(project, token)).post(url, data={"Status": "stopped"}).json()``
httpx_async     ``httpx.AsyncClient``, the same, 50 in flight
aiohttp         ``aiohttp.ClientSession(auth=...)``: ``post(url, data=...)``, ``.json()``, 50 in flight
http_client     ``http.client.HTTPConnection``, one kept-alive connection, ``json.loads``: the floor
twilio          twilio-python 9: ``Client(...).calls(C).streams(S).update(status="stopped")``
==============  =======================================================================================
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import importlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from scripts.bench.config import BenchError, WorkerConfig

SyncCall = Callable[[], None]
AsyncCall = Callable[[], Awaitable[None]]

# Each adapter imports its client inside: a worker process loads only the one it measures.


def check_status(client: str, status: object) -> None:
    if status != "stopped":
        raise BenchError(f"{client}: got status {status!r}, expected 'stopped'")


@contextlib.contextmanager
def sw_sync(cfg: WorkerConfig) -> Iterator[SyncCall]:
    import signalwire_compat as sw

    with sw.Client(cfg.project_id, cfg.api_token, space_url=cfg.base_url) as client:
        call_sid, stream_sid = cfg.call_sid, cfg.stream_sid

        def call() -> None:
            check_status("sw_sync", client.calls(call_sid).streams(stream_sid).stop().status)

        yield call


@contextlib.contextmanager
def httpx_sync(cfg: WorkerConfig) -> Iterator[SyncCall]:
    import httpx

    # What a typical user writes: auth=(user, password) on the client, a form dict, .json().
    with httpx.Client(auth=(cfg.project_id, cfg.api_token)) as client:
        url = cfg.stream_url

        def call() -> None:
            response = client.post(url, data={"Status": "stopped"})
            response.raise_for_status()
            check_status("httpx_sync", response.json()["status"])

        yield call


@contextlib.contextmanager
def http_client_sync(cfg: WorkerConfig) -> Iterator[SyncCall]:
    connection = http.client.HTTPConnection("127.0.0.1", cfg.port, timeout=30)
    credentials = base64.b64encode(f"{cfg.project_id}:{cfg.api_token}".encode()).decode()
    headers = {
        "Authorization": f"Basic {credentials}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
    }
    path = cfg.stream_path

    def call() -> None:
        connection.request("POST", path, body=b"Status=stopped", headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise BenchError(f"http_client: HTTP {response.status}")
        check_status("http_client", json.loads(body)["status"])

    try:
        yield call
    finally:
        connection.close()


@contextlib.contextmanager
def twilio_sync(cfg: WorkerConfig) -> Iterator[SyncCall]:
    rest: Any = importlib.import_module("twilio.rest")
    client = rest.Client(username=cfg.project_id, password=cfg.api_token, account_sid=cfg.account_sid)
    # twilio 9 builds every URL from its domain's base_url ("https://api.twilio.com"): point it here.
    # Its paths are /2010-04-01/Accounts/{A}/Calls/{C}/Streams/{S}.json; the bench server takes both shapes.
    client.api.base_url = cfg.base_url
    call_sid, stream_sid = cfg.call_sid, cfg.stream_sid

    def call() -> None:
        check_status("twilio", client.calls(call_sid).streams(stream_sid).update(status="stopped").status)

    try:
        yield call
    finally:
        client.http_client.session.close()


@contextlib.asynccontextmanager
async def sw_async(cfg: WorkerConfig) -> AsyncIterator[AsyncCall]:
    import signalwire_compat as sw

    async with sw.AsyncClient(cfg.project_id, cfg.api_token, space_url=cfg.base_url) as client:
        call_sid, stream_sid = cfg.call_sid, cfg.stream_sid

        async def call() -> None:
            stream = await client.calls(call_sid).streams(stream_sid).stop()
            check_status("sw_async", stream.status)

        yield call


@contextlib.asynccontextmanager
async def sw_async_httpx(cfg: WorkerConfig) -> AsyncIterator[AsyncCall]:
    import httpx

    import signalwire_compat as sw

    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with (
        httpx.AsyncClient(limits=limits) as http,
        sw.AsyncClient(cfg.project_id, cfg.api_token, space_url=cfg.base_url, http_client=http) as client,
    ):
        call_sid, stream_sid = cfg.call_sid, cfg.stream_sid

        async def call() -> None:
            stream = await client.calls(call_sid).streams(stream_sid).stop()
            check_status("sw_async_httpx", stream.status)

        yield call


@contextlib.asynccontextmanager
async def aiohttp_async(cfg: WorkerConfig) -> AsyncIterator[AsyncCall]:
    import aiohttp

    auth = aiohttp.BasicAuth(cfg.project_id, cfg.api_token)
    async with aiohttp.ClientSession(auth=auth, connector=aiohttp.TCPConnector(limit=100)) as session:
        url = cfg.stream_url

        async def call() -> None:
            async with session.post(url, data={"Status": "stopped"}) as response:
                response.raise_for_status()
                check_status("aiohttp", (await response.json())["status"])

        yield call


@contextlib.asynccontextmanager
async def httpx_async(cfg: WorkerConfig) -> AsyncIterator[AsyncCall]:
    import httpx

    async with httpx.AsyncClient(auth=(cfg.project_id, cfg.api_token)) as client:
        url = cfg.stream_url

        async def call() -> None:
            response = await client.post(url, data={"Status": "stopped"})
            response.raise_for_status()
            check_status("httpx_async", response.json()["status"])

        yield call


SYNC_FACTORIES: dict[str, Callable[[WorkerConfig], contextlib.AbstractContextManager[SyncCall]]] = {
    "sw_sync": sw_sync,
    "httpx_sync": httpx_sync,
    "http_client": http_client_sync,
    "twilio": twilio_sync,
}
ASYNC_FACTORIES: dict[str, Callable[[WorkerConfig], contextlib.AbstractAsyncContextManager[AsyncCall]]] = {
    "sw_async": sw_async,
    "sw_async_httpx": sw_async_httpx,
    "httpx_async": httpx_async,
    "aiohttp": aiohttp_async,
}
