"""FakeSpace answers any generated operation on request (``respond``), checked by the generated model; and
the small defects: a UUID sid for ``stream_settings``/``stream_status``, a text body for ``fail``."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace
from tests.helpers import CALL, STREAM, call_stream_document


def invoke_stop(client: sw.Client) -> sw.OperationResult:
    from signalwire_compat_generated.models import UpdateCallStreamRequest, UpdateCallStreamRequestStatus

    body = UpdateCallStreamRequest(status=UpdateCallStreamRequestStatus.STOPPED)
    return client.invoke("update_stream", call_sid=CALL, sid=STREAM, body=body)


def test_respond_serves_any_operation_with_the_document_given_and_the_generated_parser_reads_it() -> None:
    with FakeSpace() as space:
        document = call_stream_document(account_sid=space.project_id, status="in-progress", name="canned")
        space.respond("update_stream", status=200, json=document)
        with space.client() as client:
            result = invoke_stop(client)
            typed = client.calls(CALL).streams(STREAM).stop()  # the typed call reads it too
        assert result.status_code == 200
        assert result.parsed.name == "canned"
        assert str(result.parsed.status) == "in-progress"
        assert typed.name == "canned"
        assert [r.status for r in space.requests] == [200, 200]


def test_respond_times_then_the_api_rules_resume_and_auth_is_still_required() -> None:
    with FakeSpace() as space:
        space.respond("update_stream", status=404, json={"code": 1, "message": "m", "more_info": "", "status": 404})
        space.respond("update_stream", json=call_stream_document(account_sid=space.project_id), times=1)
        with space.client() as client:
            assert invoke_stop(client).status_code == 200  # the newest, once
            with pytest.raises(sw.NotFoundError):
                invoke_stop(client)  # then the earlier one
        with sw.Client(space.project_id, "PTwrong0", space.url) as client, pytest.raises(sw.AuthenticationError):
            invoke_stop(client)


def test_respond_refuses_a_document_the_generated_model_cannot_read_before_anything_is_sent() -> None:
    with FakeSpace() as space:
        with pytest.raises(ValueError, match=r"update_stream: json= is not what the generated client reads .*'uri'"):
            space.respond("update_stream", json={k: v for k, v in call_stream_document().items() if k != "uri"})
        with pytest.raises(ValueError, match="no generated operation named 'retrieve_nothing'"):
            space.respond("retrieve_nothing", json={})
        with pytest.raises(ValueError, match="status must be an HTTP status code"):
            space.respond("update_stream", status=42, json={})
        with pytest.raises(ValueError, match=r"times must be None \(every request\) or an int >= 1, got 0"):
            space.respond("update_stream", json=call_stream_document(), times=0)
        with pytest.raises(ValueError, match="update_stream: json= must be JSON-serialisable"):
            space.respond("update_stream", json={"when": object()})
        assert space.requests == []


def test_stream_settings_and_status_take_a_uuid() -> None:
    with FakeSpace() as space:
        stream = space.add_call_stream()
        assert space.stream_status(uuid.UUID(stream.sid)) == "in-progress"
        assert space.stream_settings(uuid.UUID(stream.sid))["name"] == "stream"


def test_fail_with_a_text_body_reaches_the_client_as_that_status() -> None:
    with FakeSpace() as space:
        stream = space.add_call_stream()
        space.fail(500, body="<html>oops</html>", times=3)
        with space.client(max_retries=0) as client, pytest.raises(sw.InternalServerError) as caught:
            client.calls(stream.parent_sid).streams(stream.sid).stop()
        assert caught.value.status_code == 500
        with pytest.raises(TypeError, match="body must be bytes, str or None"):
            space.fail(500, body=42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("inject", "problem"),
    [
        (lambda space: space.fail("503"), r"status must be an HTTP status code \(200-599\), not '503'"),
        (lambda space: space.fail(99), r"status must be an HTTP status code \(200-599\), not 99"),
        (lambda space: space.fail(True), r"status must be an HTTP status code \(200-599\), not True"),
        (lambda space: space.fail(503.5), r"status must be an HTTP status code \(200-599\), not 503.5"),
        (lambda space: space.send_non_json(status=1000), r"status must be an HTTP status code \(200-599\), not 1000"),
        (lambda space: space.fail(503, times=0), "times must be an int >= 1, got 0"),
        (lambda space: space.fail(503, times="2"), "times must be an int >= 1, got '2'"),
        (lambda space: space.drop_connection(times=2.5), "times must be an int >= 1, got 2.5"),
    ],
    ids=[
        "status str",
        "status 99",
        "status True",
        "status float",
        "non-JSON status",
        "times 0",
        "times str",
        "times float",
    ],
)
def test_a_fault_the_space_cannot_serve_is_refused_when_injected_and_requests_are_answered_as_usual(
    inject: Callable[[FakeSpace], None], problem: str
) -> None:
    with FakeSpace() as space:
        stream = space.add_call_stream()
        with pytest.raises(ValueError, match=problem):
            inject(space)
        with space.client(max_retries=0) as client:  # no fault queued: it was never accepted
            assert client.calls(stream.parent_sid).streams(stream.sid).stop().status == "stopped"
    assert [request.status for request in space.requests] == [200]
