"""Injected httpx clients and ``client.invoke``: the overlay's auth, form encoding, retries and
error mapping apply to both."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

import signalwire_compat as sw
from signalwire_compat import _generated as gen
from tests.helpers import (
    BASIC,
    CALL,
    CALL_PATH,
    FAST_RETRIES,
    PROJECT,
    STREAM,
    TOKEN,
    Runner,
    call_stream_document,
    error_document,
)
from tests.servers import Reply, ScriptedServer


class Recorder:
    """A MockTransport handler answering from a script and keeping each request."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.responses.pop(0)


def test_injected_sync_client_gets_auth_form_retries_and_errors() -> None:
    recorder = Recorder(
        httpx.Response(503, json=error_document(503)),
        httpx.Response(200, json=call_stream_document()),
        httpx.Response(404, json=error_document(404, "No such stream")),
    )
    http = httpx.Client(transport=httpx.MockTransport(recorder), headers={"X-Team": "ops"})
    client = sw.Client(PROJECT, TOKEN, "example.signalwire.com", http_client=http, **FAST_RETRIES)
    stream = client.calls(CALL).streams(STREAM).stop()
    assert stream.status == "stopped"
    with pytest.raises(sw.NotFoundError, match="No such stream"):
        client.calls(CALL).streams(STREAM).stop()
    first = recorder.requests[0]
    assert str(first.url) == "https://example.signalwire.com" + CALL_PATH
    assert first.headers["authorization"] == BASIC
    assert first.headers["content-type"] == "application/x-www-form-urlencoded"
    assert first.headers["x-team"] == "ops"  # the injected client's own settings still apply
    assert first.content == b"Status=stopped"
    assert len(recorder.requests) == 3
    client.close()
    assert not http.is_closed  # the caller owns an injected client
    http.close()


def test_injected_async_client_gets_auth_form_retries_and_errors() -> None:
    recorder = Recorder(
        httpx.Response(429, json=error_document(429), headers={"Retry-After": "0"}),
        httpx.Response(200, json=call_stream_document()),
    )

    async def main() -> sw.CallStream:
        async with httpx.AsyncClient(transport=httpx.MockTransport(recorder)) as http:
            async with sw.AsyncClient(PROJECT, TOKEN, "example.signalwire.com", http_client=http) as client:
                result = await client.calls(CALL).streams(STREAM).stop()
            assert not http.is_closed
            return result

    assert asyncio.run(main()).status == "stopped"
    assert [r.headers["authorization"] for r in recorder.requests] == [BASIC, BASIC]
    assert [r.content for r in recorder.requests] == [b"Status=stopped"] * 2


def test_injected_client_auth_setting_cannot_replace_ours() -> None:
    recorder = Recorder(httpx.Response(200, json=call_stream_document()))
    http = httpx.Client(transport=httpx.MockTransport(recorder), auth=("someone", "else"))
    with sw.Client(PROJECT, TOKEN, "example.signalwire.com", http_client=http) as client:
        client.calls(CALL).streams(STREAM).stop()
    assert recorder.requests[0].headers["authorization"] == BASIC


# -- the escape hatch ------------------------------------------------------------------------------


def invoke_update_stream(client: Any, idempotent: bool = True, **overrides: Any) -> Any:
    arguments = {
        "call_sid": CALL,
        "sid": STREAM,
        "body": gen.UpdateCallStreamRequest(status=gen.UpdateCallStreamRequestStatus.STOPPED),
    }
    arguments.update(overrides)
    return client.invoke("update_stream", idempotent=idempotent, **arguments)


def test_invoke_by_name_form_encodes_authenticates_and_parses(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        result = runner.run(server.url, invoke_update_stream)
    (request,) = server.received
    assert request.path == CALL_PATH
    assert request.body == b"Status=stopped"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["authorization"] == BASIC
    assert isinstance(result, sw.OperationResult)
    assert result.status_code == 200
    assert type(result.parsed).__name__ == "CallStreamResponse"
    assert str(result.parsed.sid) == STREAM
    assert result.response.json()["sid"] == STREAM


def test_invoke_reads_a_2xx_the_spec_does_not_document_as_an_unreadable_answer_and_an_empty_one_as_none(
    runner: Runner,
) -> None:
    with ScriptedServer([Reply.json(202, call_stream_document())]) as server:
        with pytest.raises(sw.APIResponseValidationError, match="the spec documents no 202 answer for update_stream"):
            runner.run(server.url, invoke_update_stream)
    with ScriptedServer([Reply(status=204)]) as server:
        result = runner.run(server.url, invoke_update_stream)
    assert (result.status_code, result.parsed) == (204, None)


def test_invoke_with_a_module_maps_errors_and_retries_when_told_idempotent(runner: Runner) -> None:
    script = [Reply.json(503, error_document(503)), Reply.json(404, error_document(404, "gone"))]
    with ScriptedServer(script) as server, pytest.raises(sw.NotFoundError, match="gone"):
        runner.run(
            server.url,
            lambda c: c.invoke(
                gen.update_stream,
                idempotent=True,
                call_sid=CALL,
                sid=STREAM,
                body=gen.UpdateCallStreamRequest(status=gen.UpdateCallStreamRequestStatus.STOPPED),
            ),
            **FAST_RETRIES,
        )
    assert len(server.received) == 2


def test_non_idempotent_invoke_is_not_retried_once_the_request_may_have_arrived(runner: Runner) -> None:
    with ScriptedServer([Reply(reset=True), Reply.json(200, call_stream_document())]) as server:
        with pytest.raises(sw.APIConnectionError):
            runner.run(server.url, lambda c: invoke_update_stream(c, idempotent=False), **FAST_RETRIES)
    assert len(server.received) == 1
    script = [Reply.json(503, error_document(503)), Reply.json(200, call_stream_document())]
    with ScriptedServer(script) as server:
        runner.run(server.url, lambda c: invoke_update_stream(c, idempotent=False), **FAST_RETRIES)
    assert len(server.received) == 2  # 503 means "not processed": safe to retry anything


def test_invoke_validates_uuid_arguments_and_sends_nothing(runner: Runner) -> None:
    with ScriptedServer([]) as server:
        with pytest.raises(ValueError, match="sid must be a UUID"):
            runner.run(server.url, lambda c: invoke_update_stream(c, sid=".."))
        with pytest.raises(ValueError, match="no generated operation named 'delete_everything'"):
            runner.run(server.url, lambda c: c.invoke("delete_everything"))
        with pytest.raises(TypeError, match="update_stream: missing a required argument: 'call_sid'"):
            runner.run(server.url, lambda c: c.invoke("update_stream", sid=STREAM))
        with pytest.raises(TypeError, match="not a generated endpoint module"):
            runner.run(server.url, lambda c: c.invoke(json))
    assert server.connections == 0


def test_operation_names_lists_every_operation_of_the_specs() -> None:
    from scripts.pipeline.merge_specs import load_yaml
    from tests.helpers import ROOT

    specified = {
        str(operation["operationId"]).replace("-", "_")
        for path in (ROOT / "openapi").glob("*.yaml")
        for item in load_yaml(path.read_text(encoding="utf-8"))["paths"].values()
        for operation in item.values()
    }
    assert gen.operation_names() == sorted(specified)  # derived: make add-operation needs no edit here
    assert {"create_conference_stream", "create_stream", "update_conference_stream", "update_stream"} <= specified


def test_the_create_operations_taken_from_the_published_spec_are_callable(runner: Runner) -> None:
    from signalwire_compat_generated.models import (
        CreateCallStreamRequest,
        CreateCallStreamRequestTrack,
        CreateConferenceStreamRequest,
        CreateConferenceStreamRequestStreamCodec,
    )
    from tests.helpers import CONFERENCE, conference_stream_document

    call_body = CreateCallStreamRequest(
        url="wss://example.com/audio?a=1&b=2",
        name="agent-audio",
        track=CreateCallStreamRequestTrack.BOTH_TRACKS,
        parameter_1_name="FirstName",
        parameter_1_value="Jane",
    )
    conference_body = CreateConferenceStreamRequest(
        url="wss://example.com/audio",
        stream_codec=CreateConferenceStreamRequestStreamCodec.L1616000H,
        stream_real_time=True,
    )
    script = [
        Reply.json(200, call_stream_document(status="in-progress")),
        Reply.json(200, conference_stream_document()),
    ]
    with ScriptedServer(script) as server:
        call = runner.run(server.url, lambda c: c.invoke("create_stream", call_sid=CALL, body=call_body))
        conference = runner.run(
            server.url, lambda c: c.invoke("create_conference_stream", conference_sid=CONFERENCE, body=conference_body)
        )
    first, second = server.received
    assert (first.method, first.path) == ("POST", f"/api/laml/2010-04-01/Accounts/{PROJECT}/Calls/{CALL}/Streams")
    assert first.body == (
        b"Url=wss%3A%2F%2Fexample.com%2Faudio%3Fa%3D1%26b%3D2&Name=agent-audio&Track=both_tracks"
        b"&Parameter1.Name=FirstName&Parameter1.Value=Jane"
    )
    assert second.path == f"/api/laml/2010-04-01/Accounts/{PROJECT}/Conferences/{CONFERENCE}/Streams"
    assert second.body == b"Url=wss%3A%2F%2Fexample.com%2Faudio&StreamCodec=L16%4016000h&StreamRealTime=true"
    assert {r.headers["content-type"] for r in server.received} == {"application/x-www-form-urlencoded"}
    assert type(call.parsed).__name__ == "CallStreamResponse"
    assert type(conference.parsed).__name__ == "ConferenceStreamResponse"
