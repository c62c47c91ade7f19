"""FakeSpace in-process: ``space.transport()`` answers through httpx with no thread and no socket, and behaves on
the SDK's side as the socket server does (answers, faults, latency, timeouts, callbacks, records)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace
from tests.servers import CallbackReceiver

CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
WSS = "wss://example.com/audio"


def _open_descriptors() -> int:
    return len(os.listdir(f"/proc/{os.getpid()}/fd"))


def test_a_space_that_does_not_listen_serves_sync_and_async_clients_with_no_thread_or_socket() -> None:
    threads, descriptors = set(threading.enumerate()), _open_descriptors()
    with FakeSpace(listen=False) as space:
        with space.client(in_process=True) as client:
            started = client.calls(CALL).streams.create(url=WSS, name="agent-audio")
            stopped = client.calls(CALL).streams("agent-audio").stop()

        async def conference() -> sw.ConferenceStream:
            async with space.async_client(in_process=True) as client:
                stream = await client.conferences(CALL).streams.create(url=WSS, stream_codec="PCMU")
                return await client.conferences(CALL).streams(stream.sid).stop()

        on_conference = asyncio.run(conference())
        assert set(threading.enumerate()) == threads
        assert _open_descriptors() == descriptors
        assert space.url == "http://127.0.0.1:0"  # where nothing can listen
        assert (stopped.sid, stopped.status) == (started.sid, "stopped")
        assert space.stream_status(on_conference.sid) == "stopped"
        # Recorded like socket requests (so the contract check in conftest.py saw each exchange).
        assert [(r.method, r.status) for r in space.requests] == [("POST", 200)] * 4
        assert space.requests[1].path.endswith(f"/Calls/{CALL}/Streams/agent-audio")
        assert space.requests[1].form == {"Status": ["stopped"]}
        assert space.requests[0].headers["authorization"].startswith("Basic ")


def test_an_injected_httpx_client_on_the_transport_reaches_the_fake_whatever_its_base_url() -> None:
    with FakeSpace() as space:
        stream = space.add_call_stream(name="kept")
        http = httpx.Client(transport=space.transport(), base_url="https://ignored.example.com")
        with sw.Client(space.project_id, space.api_token, space.url, http_client=http) as client:
            assert client.calls(stream.parent_sid).streams("kept").stop().status == "stopped"
        with sw.Client(space.project_id, "PTwrong0", space.url, http_client=http, max_retries=0) as wrong:
            with pytest.raises(sw.AuthenticationError):
                wrong.calls(stream.parent_sid).streams("kept").stop()
        http.close()
    assert [r.status for r in space.requests] == [200, 401]


def _run(kind: str, space: FakeSpace, action: Callable[[Any], Any], **options: Any) -> Any:
    """``action(client)`` on an in-process sync client, or awaited on an async one."""
    if kind == "sync":
        with space.client(in_process=True, **options) as client:
            return action(client)

    async def main() -> Any:
        async with space.async_client(in_process=True, **options) as client:
            return await action(client)

    return asyncio.run(main())


def _outcome(kind: str, space: FakeSpace, stream: Any, **options: Any) -> str:
    """What a stop ends in, as the SDK reports it: ``ok`` or the error's type."""
    try:
        _run(kind, space, lambda client: client.calls(stream.parent_sid).streams(stream.sid).stop(), **options)
    except sw.SignalWireError as error:
        return type(error).__name__
    return "ok"


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    ("inject", "expected"),
    [
        (lambda space: space.fail(503, retry_after=0), "ServiceUnavailableError"),
        (lambda space: space.fail(429, retry_after="0", body="slow down"), "RateLimitError"),
        (lambda space: space.drop_connection(), "APIConnectionError"),
        (lambda space: space.send_non_json(status=200), "APIResponseValidationError"),
        (lambda space: None, "ok"),
    ],
    ids=["503", "429", "drop", "non-json", "none"],
)
def test_faults_reach_an_in_process_client_as_they_reach_one_on_a_socket(
    kind: str, inject: Callable[[FakeSpace], None], expected: str
) -> None:
    with FakeSpace() as space:
        outcomes = []
        for in_process in (False, True):
            stream = space.add_call_stream()
            inject(space)
            if in_process:
                outcomes.append(_outcome(kind, space, stream, max_retries=0))
            else:
                with space.client(max_retries=0) as client:
                    try:
                        client.calls(stream.parent_sid).streams(stream.sid).stop()
                        outcomes.append("ok")
                    except sw.SignalWireError as error:
                        outcomes.append(type(error).__name__)
    assert outcomes == [expected, expected]
    assert space.requests[0].fault == space.requests[1].fault


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_dropped_connection_is_retried_like_one_on_a_socket_and_then_answered(kind: str) -> None:
    with FakeSpace(listen=False) as space:
        stream = space.add_call_stream()
        space.drop_connection(times=2)
        result = _run(
            kind,
            space,
            lambda client: client.calls(stream.parent_sid).streams(stream.sid).stop(),
            backoff_factor=0.001,
        )
    assert result.status == "stopped"
    assert [(r.status, r.fault) for r in space.requests] == [(0, "drop"), (0, "drop"), (200, None)]


@pytest.mark.slow  # waits out the fake's latency by design (make quick skips it)
def test_latency_is_waited_and_a_shorter_timeout_ends_the_wait_with_a_timeout_error() -> None:
    with FakeSpace(listen=False) as space:
        stream = space.add_call_stream()
        space.latency = 0.2
        started = time.monotonic()
        assert _outcome("sync", space, stream) == "ok"
        assert time.monotonic() - started >= 0.2
        other = space.add_call_stream()
        space.latency = 600.0  # far beyond the timeout, however slow a loaded machine starts the client
        started = time.monotonic()
        assert _outcome("async", space, other, timeout=0.05, max_retries=0) == "APITimeoutError"
        assert time.monotonic() - started < space.latency  # the timeout ended the wait, not the latency
        # The space carried the request out, as a server that answers late does.
        assert space.stream_status(other.sid) == "stopped"


def test_async_latency_does_not_block_the_event_loop_and_counts_requests_in_flight() -> None:
    async def main(space: FakeSpace) -> float:
        streams = [space.add_call_stream() for _ in range(5)]
        async with space.async_client(in_process=True) as client:
            started = time.monotonic()
            await asyncio.gather(*(client.calls(s.parent_sid).streams(s.sid).stop() for s in streams))
            return time.monotonic() - started

    with FakeSpace(listen=False) as space:
        space.latency = 0.1
        elapsed = asyncio.run(main(space))
    assert elapsed < 0.35  # five 0.1 s answers waited side by side, not one after another
    assert space.peak_in_flight == 5


def test_a_stopped_space_refuses_in_process_requests_as_a_closed_port_would() -> None:
    space = FakeSpace(listen=False)
    with space:
        client = space.client(in_process=True, max_retries=0)
    with client, pytest.raises(sw.APIConnectionError, match="could not connect") as caught:
        client.calls(CALL).streams("gone").stop()
    assert caught.value.request_sent is False
    assert space.requests == []


def test_respond_and_status_callbacks_work_through_the_transport() -> None:
    with CallbackReceiver() as receiver, FakeSpace(listen=False) as space:
        with space.client(in_process=True) as client:
            client.calls(CALL).streams.create(url=WSS, name="a", status_callback=f"{receiver.url}/status")
            space.respond(
                "update_stream", status=404, json={"code": 20404, "message": "gone", "more_info": "", "status": 404}
            )
            with pytest.raises(sw.NotFoundError, match="gone"):
                client.calls(CALL).streams("a").stop()
        (started,) = space.wait_for_deliveries(1)
    assert started.ok and started.form["StreamEvent"] == "stream-started"
    assert [r.status for r in space.requests] == [200, 404]


def test_an_oversized_body_is_refused_with_413_before_the_space_sees_it() -> None:
    with FakeSpace(listen=False) as space:
        http = httpx.Client(transport=space.transport())
        response = http.post("http://127.0.0.1:0/anything", content=b"x" * (64 * 1024 + 1))
        http.close()
    assert response.status_code == 413
    assert space.requests == []


def test_in_process_and_http_client_together_is_a_clear_error() -> None:
    with FakeSpace(listen=False) as space, pytest.raises(TypeError, match="not both"):
        space.client(in_process=True, http_client=httpx.Client())


def test_the_async_transport_serves_an_injected_httpx_client_and_refuses_an_oversized_body_with_413() -> None:
    async def scenario(space: FakeSpace, parent_sid: str) -> tuple[sw.CallStream, httpx.Response]:
        http = httpx.AsyncClient(transport=space.async_transport(), base_url="https://ignored.example.com")
        async with sw.AsyncClient(space.project_id, space.api_token, space.url, http_client=http) as client:
            stopped = await client.calls(parent_sid).streams("kept").stop()
        oversized = await http.post("http://127.0.0.1:0/anything", content=b"x" * (64 * 1024 + 1))
        await http.aclose()
        return stopped, oversized

    with FakeSpace(listen=False) as space:
        stream = space.add_call_stream(name="kept")
        stopped, oversized = asyncio.run(scenario(space, stream.parent_sid))
    assert stopped.status == "stopped"
    assert oversized.status_code == 413
    assert [r.status for r in space.requests] == [200]  # the refused body never reached the space
