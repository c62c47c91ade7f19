"""FakeSpace behaves like the API for the two operations, records everything, and cleans up."""

from __future__ import annotations

import asyncio
import base64
import json
import threading

import httpx
import pytest

import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace


def post(space: FakeSpace, path: str, body: bytes = b"Status=stopped", **headers: str) -> httpx.Response:
    credentials = base64.b64encode(f"{space.project_id}:{space.api_token}".encode()).decode()
    all_headers = {"Authorization": f"Basic {credentials}", "Content-Type": "application/x-www-form-urlencoded"}
    all_headers.update(headers)
    return httpx.post(space.url + path, content=body, headers=all_headers)


def call_path(space: FakeSpace, parent: str, sid: str, account: str | None = None) -> str:
    return f"/api/laml/2010-04-01/Accounts/{account or space.project_id}/Calls/{parent}/Streams/{sid}"


def test_sync_and_async_clients_stop_streams_and_state_changes() -> None:
    with FakeSpace() as space:
        call = space.add_call_stream(name="a")
        conference = space.add_conference_stream()
        assert space.stream_status(call.sid) == "in-progress"
        with space.client() as client:
            stopped = client.calls(call.parent_sid).streams(call.sid).stop()
        assert stopped.status == "stopped"
        assert stopped.name == "a"
        assert space.stream_status(call.sid) == "stopped"

        async def main() -> sw.ConferenceStream:
            async with space.async_client() as client:
                return await client.conferences(conference.parent_sid).streams(conference.sid).stop()

        result = asyncio.run(main())
        assert result.name is None
        assert space.stream_status(conference.sid) == "stopped"
        assert [r.status for r in space.requests] == [200, 200]
        assert space.requests[0].form == {"Status": ["stopped"]}


def test_stopping_twice_is_idempotent_and_keeps_the_first_stop_time() -> None:
    with FakeSpace() as space, space.client() as client:
        stream = space.add_call_stream()
        first = client.calls(stream.parent_sid).streams(stream.sid).stop()
        second = client.calls(stream.parent_sid).streams(stream.sid).stop()
    assert first == second


def test_wrong_credentials_are_401() -> None:
    with FakeSpace() as space:
        stream = space.add_call_stream()
        with sw.Client(space.project_id, "wrong-token", space.url) as client:
            with pytest.raises(sw.AuthenticationError) as caught:
                client.calls(stream.parent_sid).streams(stream.sid).stop()
        assert caught.value.code == 20003
        response = httpx.post(space.url + call_path(space, stream.parent_sid, stream.sid), content=b"Status=stopped")
        assert response.status_code == 401
    assert space.stream_status(stream.sid) == "in-progress"


def test_unknown_stream_parent_or_account_is_404() -> None:
    with FakeSpace() as space:
        stream = space.add_call_stream()
        other = "00000000-0000-4000-8000-000000000000"
        for path in [
            call_path(space, stream.parent_sid, other),
            call_path(space, other, stream.sid),
            call_path(space, stream.parent_sid, stream.sid, account=other),
            call_path(space, stream.parent_sid, stream.sid).replace("/Calls/", "/Conferences/"),
            "/api/laml/2010-04-01/Accounts/x/Recordings/y",
        ]:
            response = post(space, path)
            assert response.status_code == 404, path
            assert set(response.json()) == {"code", "message", "more_info", "status"}


def test_bad_status_is_422_with_each_operations_error_shape() -> None:
    with FakeSpace() as space:
        call = space.add_call_stream()
        conference = space.add_conference_stream()
        response = post(space, call_path(space, call.parent_sid, call.sid), b"Status=started")
        assert response.status_code == 422
        assert response.json()["status"] == 422
        conference_path = f"/api/laml/2010-04-01/Accounts/{space.project_id}/Conferences/{conference.parent_sid}"
        response = post(space, f"{conference_path}/Streams/{conference.sid}", b"")
        assert response.status_code == 422
        assert response.json() == {"errors": ["Status is required"]}


def test_json_body_is_refused_with_400() -> None:
    with FakeSpace() as space:
        stream = space.add_call_stream()
        path = call_path(space, stream.parent_sid, stream.sid)
        response = post(space, path, json.dumps({"Status": "stopped"}).encode(), **{"Content-Type": "application/json"})
        assert response.status_code == 400
        assert space.stream_status(stream.sid) == "in-progress"


def test_injected_faults_are_served_in_order_then_normal_service_resumes() -> None:
    with FakeSpace() as space, space.client(backoff_factor=0.001, max_retries=6) as client:
        stream = space.add_call_stream()
        space.fail(503, times=2, retry_after=0)
        space.fail(429, retry_after="0")
        space.drop_connection()
        space.send_non_json(status=502)
        space.fail(500)
        result = client.calls(stream.parent_sid).streams(stream.sid).stop()
        assert result.status == "stopped"
        assert [r.status for r in space.requests] == [503, 503, 429, 0, 502, 500, 200]
        assert [r.fault for r in space.requests] == [
            "status 503",
            "status 503",
            "status 429",
            "drop",
            "non_json",
            "status 500",
            None,
        ]
        assert space.requests[0].response_body and json.loads(space.requests[0].response_body)["status"] == 503


def test_fault_responses_reach_the_caller_when_retries_run_out() -> None:
    with FakeSpace() as space, space.client(max_retries=0) as client:
        stream = space.add_call_stream()
        space.send_non_json(status=200)
        with pytest.raises(sw.APIResponseValidationError):
            client.calls(stream.parent_sid).streams(stream.sid).stop()
        space.fail(429, retry_after=7)
        with pytest.raises(sw.RateLimitError) as caught:
            client.calls(stream.parent_sid).streams(stream.sid).stop()
        assert caught.value.response.headers["retry-after"] == "7"


@pytest.mark.slow  # waits out the fake's latency by design (make quick skips it)
def test_latency_is_added_to_every_answer() -> None:
    import time

    with FakeSpace() as space, space.client() as client:
        stream = space.add_call_stream()
        space.latency = 0.2
        started = time.monotonic()
        client.calls(stream.parent_sid).streams(stream.sid).stop()
        assert time.monotonic() - started >= 0.2


def test_recorded_requests_redact_authorization_in_repr() -> None:
    with FakeSpace() as space, space.client() as client:
        stream = space.add_call_stream()
        client.calls(stream.parent_sid).streams(stream.sid).stop()
        (request,) = space.requests
        assert request.headers["authorization"].startswith("Basic ")
        assert space.api_token not in repr(request)
        assert base64.b64encode(f"{space.project_id}:{space.api_token}".encode()).decode() not in repr(request)
        assert space.api_token not in repr(space)


def test_threads_and_sockets_are_released_on_exit() -> None:
    import os

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    threads, fds = threading.active_count(), open_fds()
    for _ in range(3):
        with FakeSpace() as space:
            stream = space.add_call_stream()
            client = space.client()  # left open on purpose: the fake must not wait for it
            for _ in range(5):
                client.calls(stream.parent_sid).streams(stream.sid).stop()
        client.close()
    assert threading.active_count() == threads
    assert open_fds() == fds


def test_url_before_start_is_a_clear_error() -> None:
    space = FakeSpace()
    with pytest.raises(RuntimeError, match="start the FakeSpace first"):
        _ = space.url
