"""Starting streams and stopping them by name, on the wire: exact paths and form bodies, and bad
input refused before anything is sent (sync and async)."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest

import signalwire_compat as sw
from signalwire_compat._validation import validate_parameters, validate_stream, validate_stream_name
from tests.helpers import (
    BASIC,
    CALL,
    CONFERENCE,
    FAST_RETRIES,
    PROJECT,
    STREAM,
    Runner,
    call_stream_document,
    conference_stream_document,
    error_document,
)
from tests.servers import Received, Reply, ScriptedServer

BASE = f"/api/laml/2010-04-01/Accounts/{PROJECT}"
CALL_STREAMS = f"{BASE}/Calls/{CALL}/Streams"
CONFERENCE_STREAMS = f"{BASE}/Conferences/{CONFERENCE}/Streams"
STARTED = Reply.json(200, call_stream_document(status="in-progress"))
CONFERENCE_STARTED = Reply.json(200, conference_stream_document(status="in-progress"))
WSS = "wss://example.com/audio"
BEARER = "BEARERsecret-0123456789"


def form(request: Received) -> list[tuple[str, str]]:
    return parse_qsl(request.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)


def create_call(runner: Runner, server_url: str, /, **arguments: Any) -> Any:
    return runner.run(server_url, lambda c: c.calls(CALL).streams.create(**arguments), **FAST_RETRIES)


def create_conference(runner: Runner, server_url: str, /, **arguments: Any) -> Any:
    return runner.run(server_url, lambda c: c.conferences(CONFERENCE).streams.create(**arguments), **FAST_RETRIES)


# -- starting a stream --------------------------------------------------------------------------


def test_create_with_only_a_url_sends_only_the_url(runner: Runner) -> None:
    with ScriptedServer([STARTED]) as server:
        stream = create_call(runner, server.url, url=WSS)
    (request,) = server.received
    assert (request.method, request.path) == ("POST", CALL_STREAMS)
    assert request.headers["authorization"] == BASIC
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.body == b"Url=wss%3A%2F%2Fexample.com%2Faudio"
    assert isinstance(stream, sw.CallStream)
    assert stream.status is sw.StreamStatus.IN_PROGRESS


def test_create_sends_every_optional_field(runner: Runner) -> None:
    with ScriptedServer([STARTED]) as server:
        create_call(
            runner,
            server.url,
            url=WSS,
            name="agent-audio",
            track="inbound_track",
            status_callback="https://example.com/stream-status?x=1",
            status_callback_method="GET",
            parameters={"FirstName": "Jane", "Lang": "en"},
            authorization_bearer_token=BEARER,
        )
    assert form(server.received[0]) == [
        ("Parameter1.Name", "FirstName"),
        ("Parameter1.Value", "Jane"),
        ("Parameter2.Name", "Lang"),
        ("Parameter2.Value", "en"),
        ("Url", WSS),
        ("Name", "agent-audio"),
        ("Track", "inbound_track"),
        ("StatusCallbackMethod", "GET"),
        ("StatusCallback", "https://example.com/stream-status?x=1"),
        ("AuthorizationBearerToken", BEARER),
    ]


@pytest.mark.parametrize("count", [0, 2, 99])
def test_parameters_are_numbered_in_order(runner: Runner, count: int) -> None:
    parameters = {f"name {n} ü&=": f"value {n}" for n in range(1, count + 1)}
    with ScriptedServer([STARTED]) as server:
        create_call(runner, server.url, url=WSS, parameters=parameters)
    sent = form(server.received[0])
    expected = []
    for number, (name, value) in enumerate(parameters.items(), 1):
        expected += [(f"Parameter{number}.Name", name), (f"Parameter{number}.Value", value)]
    assert sent == [*expected, ("Url", WSS)]


def test_conference_create_sends_codec_and_real_time(runner: Runner) -> None:
    with ScriptedServer([CONFERENCE_STARTED, CONFERENCE_STARTED]) as server:
        create_conference(runner, server.url, url=WSS, stream_codec="PCMU", stream_real_time=True, name="conf.1")
        create_conference(runner, server.url, url=WSS, stream_codec="L16@16000h", stream_real_time=False)
    first, second = server.received
    assert first.path == second.path == CONFERENCE_STREAMS
    assert form(first) == [("Url", WSS), ("Name", "conf.1"), ("StreamCodec", "PCMU"), ("StreamRealTime", "true")]
    assert form(second) == [("Url", WSS), ("StreamCodec", "L16@16000h"), ("StreamRealTime", "false")]


@pytest.mark.parametrize("count", [0, 2, 99])
def test_conference_parameters_are_numbered_in_order(runner: Runner, count: int) -> None:
    parameters = {f"P{n}": str(n) for n in range(1, count + 1)}
    with ScriptedServer([CONFERENCE_STARTED]) as server:
        create_conference(runner, server.url, url=WSS, parameters=parameters, status_callback_method="POST")
    expected = [
        pair for n in range(1, count + 1) for pair in ((f"Parameter{n}.Name", f"P{n}"), (f"Parameter{n}.Value", str(n)))
    ]
    assert form(server.received[0]) == [*expected, ("Url", WSS), ("StatusCallbackMethod", "POST")]
    assert server.received[0].path == CONFERENCE_STREAMS


def test_create_is_retried_only_when_the_api_cannot_have_acted(runner: Runner) -> None:
    script = [Reply.json(503, error_document(503)), Reply.json(429, error_document(429)), STARTED]
    with ScriptedServer(script) as server:
        create_call(runner, server.url, url=WSS)
    assert len(server.received) == 3
    with ScriptedServer([Reply.json(500, error_document(500)), STARTED]) as server:
        with pytest.raises(sw.InternalServerError):
            create_call(runner, server.url, url=WSS)
    assert len(server.received) == 1  # a 500 may have started the stream: not repeated
    with ScriptedServer([Reply(reset=True), STARTED]) as server:
        with pytest.raises(sw.APIConnectionError):
            create_call(runner, server.url, url=WSS)
    assert len(server.received) == 1  # the request was sent: not repeated


BAD_CREATE = [
    ({"url": "ws://example.com/audio"}, "url must be an absolute wss:// URL"),
    ({"url": "https://example.com/audio"}, "url must be an absolute wss:// URL"),
    ({"url": "/audio"}, "url must be an absolute wss:// URL"),
    ({"url": "wss://"}, "url must be an absolute wss:// URL"),
    ({"url": "wss://example.com/a b"}, "url must be an absolute wss:// URL"),
    ({"url": None}, "url must be a str"),
    ({"url": "wss://example.com:99999/audio"}, "url must be an absolute wss:// URL, got"),  # no such port
    ({"url": WSS, "status_callback": "https://example.com:http/cb"}, "status_callback must be an absolute"),
    ({"url": WSS, "track": "left_track"}, "track must be one of"),
    ({"url": WSS, "status_callback_method": "PUT"}, "status_callback_method must be one of"),
    ({"url": WSS, "status_callback": "ftp://example.com/cb"}, "status_callback must be an absolute"),
    ({"url": WSS, "name": "has/slash"}, "name must be 1 to 64"),
    ({"url": WSS, "name": "tab\there"}, "name must be 1 to 64"),
    ({"url": WSS, "name": "x" * 65}, "name must be 1 to 64"),
    ({"url": WSS, "name": ".."}, "name must be 1 to 64"),
    ({"url": WSS, "name": 7}, "name must be a str, not int"),
    ({"url": WSS, "parameters": {f"p{n}": "v" for n in range(100)}}, "at most 99"),
    ({"url": WSS, "parameters": {"": "v"}}, "every name must be a non-empty str"),
    ({"url": WSS, "parameters": {"  ": "v"}}, "every name must be a non-empty str"),
    ({"url": WSS, "parameters": {"a": 1}}, "must be a str"),
    ({"url": WSS, "parameters": [("a", "b")]}, "must be a mapping"),
    ({"url": WSS, "authorization_bearer_token": ""}, "authorization_bearer_token must be a non-empty str"),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_CREATE, ids=[m for _, m in BAD_CREATE])
def test_bad_create_arguments_are_refused_before_sending(
    runner: Runner, arguments: dict[str, Any], message: str
) -> None:
    with ScriptedServer([]) as server, pytest.raises(ValueError, match=message):
        create_call(runner, server.url, **arguments)
    assert server.connections == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"url": WSS, "stream_codec": "MP3"}, "stream_codec must be one of"),
        ({"url": WSS, "stream_real_time": "yes"}, "stream_real_time must be a bool"),
        ({"url": "ws://example.com"}, "url must be an absolute wss:// URL"),
    ],
)
def test_bad_conference_create_arguments_are_refused_before_sending(
    runner: Runner, arguments: dict[str, Any], message: str
) -> None:
    with ScriptedServer([]) as server, pytest.raises(ValueError, match=message):
        create_conference(runner, server.url, **arguments)
    assert server.connections == 0


@pytest.mark.parametrize("create", [create_call, create_conference])
def test_an_unknown_create_argument_is_a_type_error_naming_it_before_sending(runner: Runner, create: Any) -> None:
    with ScriptedServer([]) as server, pytest.raises(TypeError, match="unexpected keyword arguments: nmae, trak"):
        create(runner, server.url, url=WSS, nmae="x", trak="inbound_track")
    assert server.connections == 0


def test_a_conference_only_argument_is_refused_by_a_call_stream_create(runner: Runner) -> None:
    with ScriptedServer([]) as server, pytest.raises(TypeError, match="stream_codec"):
        create_call(runner, server.url, url=WSS, stream_codec="PCMU")
    assert server.connections == 0


def test_the_bearer_token_never_shows(runner: Runner, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    script = [Reply.json(503, error_document(503, f"echo {BEARER}")), Reply.json(422, error_document(422, BEARER))]
    with ScriptedServer(script) as server, pytest.raises(sw.UnprocessableEntityError) as caught:
        create_call(runner, server.url, url=WSS, authorization_bearer_token=BEARER)
    assert server.received[0].body.endswith(f"AuthorizationBearerToken={BEARER}".encode())
    texts = [record.getMessage() for record in caplog.records if record.name.startswith("signalwire_compat")]
    assert texts
    # The API's own answer may quote it back; nothing the SDK writes does.
    for text in texts:
        assert BEARER not in text
    from signalwire_compat import _builders

    operation = _builders.create_call_stream(
        PROJECT, CALL, _builders.StreamSettings(WSS, authorization_bearer_token=BEARER)
    )
    assert BEARER not in repr(operation)
    assert caught.value.status_code == 422


# -- stopping by name -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["agent-audio", "agent_audio.v2", "A", "x" * 64, "...", "a..b"])
def test_a_stream_is_stopped_by_name(runner: Runner, name: str) -> None:
    with ScriptedServer(
        [Reply.json(200, call_stream_document(name=name)), Reply.json(200, conference_stream_document())]
    ) as server:
        runner.run(server.url, lambda c: c.calls(CALL).streams(name).stop())
        runner.run(server.url, lambda c: c.conferences(CONFERENCE).streams(name).stop())
    assert [r.path for r in server.received] == [f"{CALL_STREAMS}/{name}", f"{CONFERENCE_STREAMS}/{name}"]
    assert all(r.body == b"Status=stopped" for r in server.received)


# The one name rule cXML documents follow too: spaces, non-ASCII and URL delimiters are names,
# percent-quoted in the path so they stay one path segment.
@pytest.mark.parametrize("name", ["Example Audio Stream", "café ü 音", "a?b#c", "%2F", "50%", " lead"])
def test_any_name_a_document_can_give_is_stopped_by_name_percent_quoted(runner: Runner, name: str) -> None:
    with ScriptedServer(
        [Reply.json(200, call_stream_document(name=name)), Reply.json(200, conference_stream_document())]
    ) as server:
        runner.run(server.url, lambda c: c.calls(CALL).streams(name).stop())
        runner.run(server.url, lambda c: c.conferences(CONFERENCE).streams(name).stop())
    quoted = quote(name, safe="")
    assert [r.path for r in server.received] == [f"{CALL_STREAMS}/{quoted}", f"{CONFERENCE_STREAMS}/{quoted}"]


def test_a_name_with_spaces_is_created_and_stopped_on_a_fake_space() -> None:
    from signalwire_compat.testing import FakeSpace

    with FakeSpace() as space, space.client() as client:
        stream = space.add_call_stream()
        started = client.calls(stream.parent_sid).streams.create(url=WSS, name="Example Audio Stream")
        stopped = client.calls(stream.parent_sid).streams("Example Audio Stream").stop()
    assert stopped.sid == started.sid and stopped.status == "stopped"
    assert space.requests[-1].path.endswith("/Streams/Example%20Audio%20Stream")


def test_a_uuid_is_still_a_sid_and_sent_lower_case(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        runner.run(server.url, lambda c: c.calls(CALL).streams(STREAM.upper()).stop())
    assert server.received[0].path == f"{CALL_STREAMS}/{STREAM}"


BAD_STREAMS = [".", "..", "", "a/b", "/", "x" * 65, "a\tb", "a\nb", "\x7f", "\x85", "\ud800", None, 5, b"bytes"]
BAD_STREAMS += ["agent.json", "agent.JSON", ".json", f"{STREAM}.json", "a.Json"]


@pytest.mark.parametrize("bad", BAD_STREAMS, ids=[repr(b)[:20] for b in BAD_STREAMS])
def test_bad_stream_names_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="must be a stream sid"):
        validate_stream(bad)


def test_call_and_conference_sids_stay_uuid_only(runner: Runner) -> None:
    with ScriptedServer([]) as server:
        with pytest.raises(ValueError, match="call_sid must be a UUID"):
            runner.run(server.url, lambda c: c.calls("my-call").streams("agent-audio").stop())
        with pytest.raises(ValueError, match="conference_sid must be a UUID"):
            runner.run(server.url, lambda c: c.conferences("my-conference").streams("agent-audio").stop())
    assert server.connections == 0


def test_validators_directly() -> None:
    assert validate_stream_name("agent-audio") == "agent-audio"
    assert validate_parameters({"b": "1", "a": ""}) == [("b", "1"), ("a", "")]
    assert validate_stream(STREAM.upper()) == STREAM


def test_a_name_ending_in_json_is_refused_by_rest_cxml_and_the_fake_saying_why() -> None:
    # The API strips an optional ".json" from a path: stopping "agent.json" would stop "agent".
    import httpx

    from signalwire_compat import cxml
    from signalwire_compat.testing import FakeSpace

    why = "ends in '.json', the format suffix the API strips from a path (it would name the stream 'agent'"
    with FakeSpace() as space, space.client() as client:
        agent = space.add_call_stream(name="agent")
        calls = client.calls(agent.parent_sid)
        with pytest.raises(ValueError, match=re.escape(why)):
            calls.streams("agent.json").stop()
        with pytest.raises(ValueError, match=re.escape(why)):
            calls.streams.create(url=WSS, name="agent.json")
        sent = len(space.requests)
        auth = (space.project_id, space.api_token)
        path = f"/api/laml/2010-04-01/Accounts/{space.project_id}/Calls/{agent.parent_sid}/Streams"
        answer = httpx.post(space.url + path, data={"Url": WSS, "Name": "agent.JSON"}, auth=auth)
        assert space.stream_status(agent.sid) == "in-progress"
    assert sent == 0  # the SDK sent nothing
    assert answer.status_code == 422 and "ends in '.JSON', the format suffix" in answer.json()["message"]
    with pytest.raises(cxml.CXMLError, match=re.escape(why)):
        cxml.VoiceResponse().stop().stream(name="agent.json")
    document = '<Response><Stop><Stream name="agent.json"/></Stop></Response>'
    with pytest.raises(cxml.CXMLError, match=re.escape(why)):
        cxml.parse(document)


@pytest.mark.parametrize("kind", ["", "Async"])
def test_each_resource_says_which_call_or_conference_and_stream_it_is_in_its_attributes_and_repr(kind: str) -> None:
    client_class = sw.AsyncClient if kind else sw.Client
    client: Any = client_class(PROJECT, "PT" + "t" * 40, "example.signalwire.com")
    call_streams, conference_streams = client.calls(CALL).streams, client.conferences(CONFERENCE).streams
    assert (call_streams.call_sid, call_streams(STREAM).call_sid) == (CALL, CALL)
    assert (conference_streams.conference_sid, conference_streams(STREAM).conference_sid) == (CONFERENCE, CONFERENCE)
    assert [repr(item) for item in (client.calls, client.calls(CALL), call_streams, conference_streams)] == [
        f"<{kind}Calls>",
        f"<{kind}CallContext sid='{CALL}'>",
        f"<{kind}CallStreams call_sid='{CALL}'>",
        f"<{kind}ConferenceStreams conference_sid='{CONFERENCE}'>",
    ]
    raw = repr(client.with_raw_response)
    assert raw.startswith(f"<{kind}ClientWithRawResponse of <signalwire_compat.{kind}Client ") and "PTttt" not in raw
    if kind:
        asyncio.run(client.aclose())
    else:
        client.close()
