"""The SDK's exceptions: they pickle (with class, message and attributes) and no credential reaches
any text or pickle, chained causes and formatted tracebacks included."""

from __future__ import annotations

import pickle
import traceback
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest

import signalwire_compat as sw
from signalwire_compat._exceptions import error_for_status
from tests.helpers import BASIC, PROJECT, SECRETS, TOKEN, Runner, call_stream_document, error_document
from tests.servers import Reply, ScriptedServer

RESPONSE = httpx.Response(404, content=b'{"message": "nope"}', request=httpx.Request("POST", "https://x.test/p"))


def samples() -> list[sw.SignalWireError]:
    errors: list[sw.SignalWireError] = [
        sw.SignalWireError("base"),
        sw.ConfigurationError("no project_id"),
        sw.ClientClosedError("closed"),
        sw.InvalidSignatureError("bad signature", reasons=("scheme A", "scheme B")),
        sw.InvalidDateError("not a date"),
        sw.APIConnectionError("refused", method="POST", path="/p"),
        sw.APITimeoutError("slow", method="POST", path="/p"),
        sw.APIResponseValidationError("odd", status_code=200, body=b"x", response=RESPONSE),
    ]
    for status in (400, 401, 403, 404, 422, 429, 500, 503, 499):
        errors.append(
            error_for_status(
                status, "Reason", b'{"message": "m", "code": 1}', RESPONSE, redact=lambda t: t, retry_after=3.0
            )
        )
    return errors


ATTRIBUTES = ("message", "method", "path", "status_code", "code", "more_info", "errors", "body", "reasons")


@pytest.mark.parametrize("error", samples(), ids=lambda e: f"{type(e).__name__}-{getattr(e, 'status_code', '')}")
def test_every_error_pickles_with_its_class_message_and_attributes(error: sw.SignalWireError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    for name in (*ATTRIBUTES, "retry_after"):
        assert getattr(copy, name, None) == getattr(error, name, None)
    if isinstance(error, sw.APIStatusError | sw.APIResponseValidationError):
        assert copy.response.status_code == error.response.status_code
        assert copy.response.content == error.response.content


def raise_not_found() -> None:
    raise error_for_status(404, "Not Found", b"{}", RESPONSE, redact=lambda t: t)


def test_an_error_raised_in_a_worker_process_reaches_the_parent_as_itself() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool, pytest.raises(sw.NotFoundError, match="404"):
        pool.submit(raise_not_found).result(timeout=60)


def assert_clean(blob: bytes | str) -> None:
    data = blob.encode() if isinstance(blob, str) else blob
    for secret in (*SECRETS, BASIC):
        assert secret.encode() not in data


def failing_call(runner: Runner, reply: Reply) -> sw.SignalWireError:
    with ScriptedServer([reply]) as server, pytest.raises(sw.SignalWireError) as caught:
        runner.stop_call(server.url, max_retries=0, timeout=2)
    return caught.value


ECHOES = [
    Reply.json(401, error_document(401, f"refused {BASIC}"), headers={"X-Echo": BASIC}),
    Reply(401, f"<html>{TOKEN}</html>".encode(), reason=f"Bad {TOKEN}"),
    Reply.json(200, {"sid": TOKEN}, headers={"X-Echo": f"token={TOKEN}"}),
    Reply(raw=f"HTTP/1.1 200 OK\r\nX-Echo {BASIC}\r\nContent-Length: 2\r\n\r\n{{}}".encode()),
    Reply(raw=f"HTTP/1.1 2{TOKEN} OK\r\n\r\n".encode()),
    Reply(raw=f"HTTP/1.1 200 OK\r\nContent-Length: {TOKEN}\r\n\r\n".encode()),
]


@pytest.mark.parametrize(
    "reply",
    ECHOES,
    ids=["header echo", "reason echo", "2xx header echo", "malformed header", "malformed status", "bad length"],
)
def test_no_credential_in_traceback_or_pickle_even_when_the_server_echoes_it(runner: Runner, reply: Reply) -> None:
    error = failing_call(runner, reply)
    assert_clean("".join(traceback.format_exception(error)))
    assert_clean(pickle.dumps(error))
    response: Any = getattr(error, "response", None)
    if response is not None:
        assert "authorization" not in response.request.headers
        assert_clean(repr(dict(response.headers)) + response.reason_phrase)
        assert_clean(response.content)


def test_a_pickled_api_error_from_a_real_call_keeps_what_a_caller_needs(runner: Runner) -> None:
    reply = Reply.json(429, error_document(429, "slow down", code=20429), headers={"Retry-After": "120"})
    error = failing_call(runner, reply)
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, sw.RateLimitError)
    assert (copy.status_code, copy.code, copy.message, copy.retry_after) == (429, 20429, "slow down", 120.0)
    assert copy.response.headers["retry-after"] == "120"
    assert str(copy.response.request.url).endswith("/Streams/3c4a6c7e-0000-4a4a-8b8b-333333333333")


def test_connection_errors_chain_no_transport_exception(runner: Runner) -> None:
    error = failing_call(runner, Reply(reset=True))
    assert isinstance(error, sw.APIConnectionError)
    assert error.__cause__ is None
    assert error.__context__ is None


def test_a_closed_client_raises_a_signalwire_error(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        if runner.kind == "sync":
            client = sw.Client(PROJECT, TOKEN, server.url)
            client.close()
            with pytest.raises(sw.ClientClosedError, match="closed: create a new one"):
                client.calls(PROJECT).streams(PROJECT).stop()
        else:
            import asyncio

            async def main() -> None:
                client = sw.AsyncClient(PROJECT, TOKEN, server.url)
                await client.aclose()
                with pytest.raises(sw.ClientClosedError, match="closed: create a new one"):
                    await client.calls(PROJECT).streams(PROJECT).stop()

            asyncio.run(main())
    assert server.received == []


@pytest.mark.parametrize(
    ("reply", "error_class"),
    [
        (Reply(503, b"", reset=True), sw.APIConnectionError),
        (Reply(200, b"<html>not json</html>"), sw.APIResponseValidationError),
        (Reply.json(404, error_document(404, "gone")), sw.NotFoundError),
    ],
    ids=["no answer", "unreadable answer", "error answer"],
)
def test_except_api_error_catches_every_way_a_request_fails(runner: Runner, reply: Reply, error_class: type) -> None:
    error = failing_call(runner, reply)
    assert type(error) is error_class
    assert isinstance(error, sw.APIError)
    assert isinstance(error, sw.APIStatusError) == (error_class is sw.NotFoundError)
    assert error.message
