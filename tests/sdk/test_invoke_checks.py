"""``client.invoke`` is as safe as the typed calls: secret-shaped fields redacted from errors, URL and enum
arguments checked before anything is sent, a plain ``str`` accepted for an enum, the result typed by a
generated function."""

from __future__ import annotations

import pickle
import traceback
from typing import Any

import httpx
import pytest

import signalwire_compat as sw
from signalwire_compat import _generated as gen
from tests.helpers import CALL, PROJECT, STREAM, TOKEN, call_stream_document

BEARER = "bearer-SECRET-0123456789"


class Echo:
    """A MockTransport handler that answers ``status`` and quotes the request body back, as some servers do."""

    def __init__(self, status: int, document: dict[str, Any] | None = None) -> None:
        self.status, self.document = status, document
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.document is not None:
            return httpx.Response(self.status, json=self.document)
        quoted = request.content.decode()
        return httpx.Response(
            self.status,
            json={"code": 21100, "message": f"bad request: {quoted}", "more_info": quoted, "status": self.status},
            headers={"X-Echo": quoted[:200]},
        )


def client_for(handler: Echo) -> sw.Client:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return sw.Client(PROJECT, TOKEN, "example.signalwire.com", http_client=http, max_retries=0)


def test_a_bearer_token_in_an_invoked_body_is_redacted_from_the_error() -> None:
    handler = Echo(400)
    body = gen.CreateCallStreamRequest(url="wss://example.com/a", authorization_bearer_token=BEARER)
    with client_for(handler) as client, pytest.raises(sw.BadRequestError) as caught:
        client.invoke("create_stream", call_sid=CALL, body=body)
    assert BEARER in handler.requests[0].content.decode()  # it was sent ...
    error = caught.value
    texts = [str(error), repr(error), str(error.body), str(error.args), "".join(traceback.format_exception(error))]
    texts += [str(error.response.headers), error.response.text if error.response is not None else ""]
    assert not [text for text in texts if BEARER in text]  # ... and appears in no error text
    assert BEARER.encode() not in pickle.dumps(error)


def test_a_ws_url_is_refused_before_anything_is_sent() -> None:
    handler = Echo(200, call_stream_document())
    with client_for(handler) as client:
        with pytest.raises(ValueError, match=r"url must be an absolute https:// or http:// or wss:// URL, got 'ws://"):
            client.invoke("create_stream", call_sid=CALL, body=gen.CreateCallStreamRequest(url="ws://example.com/a"))
        body = gen.CreateCallStreamRequest(url="wss://example.com/a", status_callback="ftp://example.com/cb")
        with pytest.raises(ValueError, match="status_callback must be an absolute"):
            client.invoke("create_stream", call_sid=CALL, body=body)
    assert handler.requests == []


def test_a_plain_str_is_accepted_for_an_enum_and_a_bad_one_is_refused() -> None:
    handler = Echo(200, call_stream_document())
    body = gen.CreateCallStreamRequest(url="wss://example.com/a", track="inbound_track")  # type: ignore[arg-type]
    with client_for(handler) as client:
        result = client.invoke("create_stream", call_sid=CALL, body=body)
        assert result.status_code == 200
        wrong = gen.CreateCallStreamRequest(url="wss://example.com/a", track="sideways")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="track must be one of 'both_tracks', 'inbound_track', 'outbound_track'"):
            client.invoke("create_stream", call_sid=CALL, body=wrong)
    (request,) = handler.requests
    assert b"Track=inbound_track" in request.content
    assert body.track == "inbound_track"  # the caller's model is left as given


def test_a_generated_function_as_the_operation_types_and_parses_the_result() -> None:
    from signalwire_compat_generated.api.subpackage_streams import update_stream

    handler = Echo(200, call_stream_document())
    body = gen.UpdateCallStreamRequest(status="stopped")  # type: ignore[arg-type]
    with client_for(handler) as client:
        result = client.invoke(update_stream.sync, call_sid=CALL, sid=STREAM, body=body)
    assert type(result.parsed).__name__ == "CallStreamResponse"
    assert handler.requests[0].content == b"Status=stopped"


@pytest.mark.parametrize(
    ("operation", "arguments", "model"),
    [
        ("create_stream", {"call_sid": CALL}, "CreateCallStreamRequest"),
        ("create_conference_stream", {"conference_sid": CALL}, "CreateConferenceStreamRequest"),
        ("update_stream", {"call_sid": CALL, "sid": STREAM}, "UpdateCallStreamRequest"),
    ],
)
@pytest.mark.parametrize(
    ("body", "given"),
    [
        (None, "not None"),
        ("Status=stopped", "not a str"),
        ([("Status", "stopped")], "not a list"),
        (gen.UpdateConferenceStreamRequest(status="stopped"), "not UpdateConferenceStreamRequest"),  # type: ignore[arg-type]
    ],
    ids=["None", "str", "list", "another operation's model"],
)
def test_a_body_that_is_not_the_operations_model_is_a_type_error_before_sending(
    operation: str, arguments: dict[str, Any], model: str, body: Any, given: str
) -> None:
    handler = Echo(200, call_stream_document())
    with client_for(handler) as client, pytest.raises(TypeError) as raised:
        client.invoke(operation, body=body, **arguments)
    assert f"{operation}: body must be a {model}" in str(raised.value) and given in str(raised.value)
    assert handler.requests == []  # nothing sent
