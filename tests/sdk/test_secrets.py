"""The API token never shows: not in repr/str, logs at DEBUG, or exception text and args."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import signalwire_compat as sw
from tests.helpers import (
    BASIC,
    CALL,
    CONFERENCE,
    FAST_RETRIES,
    PROJECT,
    SECRETS,
    STREAM,
    TOKEN,
    Runner,
    call_stream_document,
    error_document,
)
from tests.servers import Reply, ScriptedServer


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def exception_texts(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), *map(str, error.args), *map(repr, error.args)]
    for name in ("message", "errors", "more_info", "code", "method", "path"):
        if hasattr(error, name):
            texts.append(repr(getattr(error, name)))
    if error.__cause__ is not None:
        texts.extend([str(error.__cause__), repr(error.__cause__)])
    response = getattr(error, "response", None)
    if response is not None:
        texts.extend([repr(response), repr(response.request), repr(response.request.headers)])
    return texts


def test_client_and_context_reprs_hide_the_token() -> None:
    with sw.Client(PROJECT, TOKEN, "example.signalwire.com") as client:
        objects: list[Any] = [client, client.calls, client.calls(CALL), client.calls(CALL).streams(STREAM)]
        objects += [client.conferences(CONFERENCE), client.conferences(CONFERENCE).streams(STREAM)]
        objects += [client._settings, client._settings.secret, vars(type(client))]
        for item in objects:
            assert_no_secret(repr(item))
            assert_no_secret(str(item))
    async_client = sw.AsyncClient(PROJECT, TOKEN, "example.signalwire.com")
    assert_no_secret(repr(async_client))
    assert_no_secret(repr(async_client.calls(CALL).streams(STREAM)))


def test_results_hide_nothing_secret(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        stream = runner.stop_call(server.url)
    assert_no_secret(repr(stream))


# An error answer that echoes the credentials back (a misconfigured proxy does this).
ECHO = error_document(401, f"bad credentials {BASIC} for token {TOKEN}")
ECHO_ERRORS = {"errors": [f"token {TOKEN} refused"], "more_info": TOKEN, "code": TOKEN}


ERROR_REPLIES = {
    "401-echo": Reply.json(401, ECHO),
    "422-echo": Reply.json(422, ECHO_ERRORS),
    "503-echo": Reply.json(503, ECHO),
    "500-html": Reply(500, f"<html>{TOKEN}</html>".encode()),
    "200-text": Reply(200, f"not json {TOKEN}".encode()),
    "200-missing": Reply.json(200, {"sid": TOKEN}),
    "timeout": Reply(hang=True),  # waits for two timeouts: make test only, and for one operation
    "reset": Reply(reset=True),
}


@pytest.mark.parametrize(
    ("reply", "operation"),
    [
        pytest.param(reply, operation, id=f"{name}-{operation}", marks=[pytest.mark.slow] if reply.hang else [])
        for name, reply in ERROR_REPLIES.items()
        for operation in ("stop", "hang_up")
        if operation == "stop" or not reply.hang
    ],
)
def test_error_paths_keep_the_token_out_of_exceptions_and_logs(
    runner: Runner, reply: Reply, operation: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    run = runner.stop_call if operation == "stop" else runner.hang_up
    if operation == "hang_up" and reply.status == 200 and reply.body.startswith(b"{"):
        reply = Reply.json(200, [TOKEN])  # a call needs only its ids, which the request named: not an object fails
    with ScriptedServer(lambda request: reply) as server, pytest.raises(sw.SignalWireError) as caught:
        run(server.url, timeout=0.3, max_retries=1, **FAST_RETRIES)
    for text in exception_texts(caught.value):
        assert_no_secret(text)
    assert caplog.records, "the SDK and httpx should have logged at DEBUG"
    for record in caplog.records:
        assert_no_secret(record.getMessage())
        assert_no_secret(repr(record.args))


def test_debug_log_names_method_path_status_attempt_and_elapsed(
    runner: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="signalwire_compat")
    script = [Reply.json(503, error_document(503)), Reply.json(200, call_stream_document())]
    with ScriptedServer(script) as server:
        runner.stop_call(server.url, **FAST_RETRIES)
    ours = [r for r in caplog.records if r.name == "signalwire_compat"]
    messages = [r.getMessage() for r in ours]
    assert any(
        m.startswith(f"POST /Accounts/{PROJECT}/Calls/{CALL}/Streams/{STREAM} -> 503 (attempt 1/3,") for m in messages
    )
    retries = [m for m in messages if "retrying in" in m]
    assert len(retries) == 1 and "(attempt 2/3)" in retries[0]
    assert retries[0].count("/Streams/") == 1  # the request is named once
    assert any(m.endswith("ms)") and "-> ok (attempt 2/3," in m for m in messages)
    for record in ours:
        assert_no_secret(record.getMessage())


def test_configuration_errors_never_echo_the_token() -> None:
    for token in (f" {TOKEN}", f"{TOKEN} x", f"{TOKEN}\x00"):
        with pytest.raises(sw.ConfigurationError) as caught:
            sw.Client(PROJECT, token, "example.signalwire.com")
        for text in exception_texts(caught.value):
            assert TOKEN not in text


# -- every form the SDK sends a secret in: as given, percent-encoded, base64 Basic, cut-short base64 ------

BEARER = "tok/en+with=special&chars~"  # percent-encoding changes it: the form body does not carry it literally


def sent_forms(secret: str) -> list[str]:
    from urllib.parse import quote, quote_plus

    return [secret, quote_plus(secret), quote(secret, safe="")]


def base64_prefixes() -> list[str]:
    """Every prefix of the Basic credential that carries at least 3 characters of the token."""
    basic = SECRETS[1]
    public = len(f"{PROJECT}:") * 8 // 6
    return [basic[:end] for end in range(public + 3, len(basic) + 1)]


def assert_nothing_secret(text: str, *, bearer: str | None = None) -> None:
    for secret in (*sent_forms(TOKEN), *base64_prefixes()):
        assert secret not in text
    if bearer is not None:
        for form in sent_forms(bearer):
            assert form not in text


def everything_about(error: BaseException) -> str:
    import pickle
    import traceback

    texts = exception_texts(error)
    texts.append("".join(traceback.format_exception(error)))
    texts.append(pickle.dumps(error).decode("latin-1"))
    response = getattr(error, "response", None)
    if response is not None:
        texts.append(response.content.decode("latin-1"))
        texts.append(repr(response.headers.raw))
        texts.append(response.reason_phrase)
    return "\n".join(texts)


def echo_the_form(request: Any) -> Reply:
    body = request.body.decode("latin-1")
    return Reply.json(400, {"message": f"cannot parse {body}", "more_info": body}, headers={"X-Form": body[:200]})


def test_a_quoted_form_body_never_reveals_the_bearer_token(runner: Runner) -> None:
    def create(client: Any) -> Any:
        return client.calls(CALL).streams.create(url="wss://example.com/a", authorization_bearer_token=BEARER)

    with ScriptedServer(echo_the_form) as server, pytest.raises(sw.BadRequestError) as caught:
        runner.run(server.url, create, max_retries=0)
    assert "AuthorizationBearerToken=" in caught.value.message  # the server did quote the body
    assert_nothing_secret(everything_about(caught.value), bearer=BEARER)


SIP_PASSWORD = "sip/pass+word=&~"  # quoting changes it too


def test_a_quoted_form_body_never_reveals_a_sip_password_or_a_url_password(runner: Runner) -> None:
    url_password = "url/pass+word=&~"

    def create(client: Any) -> Any:
        url = f"https://agent:{url_password.replace('/', '%2F')}@example.com/voice"
        return client.calls.create(to="+15550100002", from_="+15550100001", url=url, sip_auth_password=SIP_PASSWORD)

    with ScriptedServer(echo_the_form) as server, pytest.raises(sw.BadRequestError) as caught:
        runner.run(server.url, create, max_retries=0)
    assert "SipAuthPassword=" in caught.value.message  # the server did quote the body
    assert_nothing_secret(everything_about(caught.value), bearer=SIP_PASSWORD)
    shown = everything_about(caught.value)
    for form in sent_forms(url_password.replace("/", "%2F")):  # the password as the URL carries it
        assert form not in shown


def test_the_escape_hatch_redacts_a_bearer_token_it_sends(runner: Runner) -> None:
    from signalwire_compat import _generated as gen

    body = gen.CreateCallStreamRequest(url="wss://example.com/a", authorization_bearer_token=BEARER)

    def create(client: Any) -> Any:
        return client.invoke("create_stream", call_sid=CALL, body=body)

    with ScriptedServer(echo_the_form) as server, pytest.raises(sw.BadRequestError) as caught:
        runner.run(server.url, create, max_retries=0)
    assert "AuthorizationBearerToken=" in caught.value.message
    assert_nothing_secret(everything_about(caught.value), bearer=BEARER)


def test_a_truncated_base64_credential_in_an_engine_error_is_redacted(runner: Runner) -> None:
    # aiohttp quotes the start of a header line that is too long: here one echoing Authorization.
    line = f"Echo: {BASIC} " * 1400  # over 100 KiB, so too long for both engines
    # aiohttp always refuses the line. h11 (the sync engine) refuses a head over 100 KiB only while it is
    # incomplete: when the socket hands it over whole, the answer is read, and is unreadable as a stream.
    # Either way no encoding of the credential may reach the error.
    read_whole = (sw.APIConnectionError, sw.APIResponseValidationError)
    expected = sw.APIConnectionError if runner.kind == "async" else read_whole
    with ScriptedServer(lambda _: Reply(200, b"{}", headers={"X-Echo": line})) as server:
        with pytest.raises(expected) as caught:
            runner.stop_call(server.url, max_retries=0)
    assert_nothing_secret(everything_about(caught.value))


def test_httpx_and_httpcore_log_records_never_hold_the_credentials(
    runner: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    # A server that echoes the Authorization value in its reason phrase: httpx logs that at INFO.
    caplog.set_level(logging.DEBUG)
    with ScriptedServer(lambda _: Reply(401, b"", reason=f"refused {BASIC}")) as server:
        with pytest.raises(sw.AuthenticationError):
            runner.stop_call(server.url, max_retries=0)
    httpx_records = [r for r in caplog.records if r.name == "httpx"]
    assert httpx_records and "[redacted]" in httpx_records[0].getMessage()
    for record in caplog.records:
        assert_nothing_secret(record.getMessage())


def test_httpx_log_records_never_hold_a_secret_the_operation_sends(
    runner: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    # A server that echoes the bearer token in its reason phrase: httpx logs that at INFO, during the call.
    def create(client: Any) -> Any:
        return client.calls(CALL).streams.create(url="wss://example.com/a", authorization_bearer_token=BEARER)

    caplog.set_level(logging.INFO, logger="httpx")
    with ScriptedServer(lambda _: Reply(400, b"", reason=f"refused {BEARER}")) as server:
        with pytest.raises(sw.BadRequestError):
            runner.run(server.url, create, max_retries=0)
    httpx_records = [r for r in caplog.records if r.name == "httpx"]
    assert httpx_records and "refused [redacted]" in httpx_records[0].getMessage()
    for record in caplog.records:
        assert_nothing_secret(record.getMessage(), bearer=BEARER)


def test_the_log_filter_leaves_other_records_as_they_were(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    with sw.Client(PROJECT, TOKEN, "example.signalwire.com"):
        arguments = ("GET", "https://other.example/", "HTTP/1.1", 200, "OK")
        logging.getLogger("httpx").info('HTTP Request: %s %s "%s %d %s"', *arguments)
        logging.getLogger("httpx").info("another client's token: %s", "not-ours-0123456789")
    first, second = (r for r in caplog.records if r.name == "httpx")
    assert first.msg == 'HTTP Request: %s %s "%s %d %s"' and first.args == arguments  # untouched
    assert second.getMessage() == "another client's token: not-ours-0123456789"


def escaped_forms(secret: str) -> dict[str, str]:
    """``secret`` as servers write it back: JSON-escaped in the ways JSON encoders do, as XML/HTML
    character references, percent-encoded with lower-case hex, and a mix of them."""
    import html
    import json
    import re
    from urllib.parse import quote

    return {
        "json slash": json.dumps(secret)[1:-1].replace("/", "\\/"),  # PHP's json_encode
        "json unicode": "".join(c if c.isalnum() else f"\\u{ord(c):04x}" for c in secret),
        "json unicode upper": "".join(c if c.isalnum() else f"\\u{ord(c):04X}" for c in secret),
        "xml": html.escape(secret),
        "xml numeric": "".join(c if c.isalnum() else f"&#{ord(c)};" for c in secret),
        "xml hex": "".join(c if c.isalnum() else f"&#x{ord(c):X};" for c in secret),
        "percent lower": re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), quote(secret, safe="")),
        "percent twice": quote(quote(secret, safe=""), safe=""),
        "mixed": "".join(
            c if c.isalnum() else (f"\\u{ord(c):04x}", f"&#{ord(c)};", f"%{ord(c):02x}")[i % 3]
            for i, c in enumerate(secret)
        ),
    }


def test_a_secret_echoed_escaped_is_redacted_from_body_response_and_pickle_not_only_the_message(
    runner: Runner,
) -> None:
    import pickle

    forms = escaped_forms(BEARER) | {
        f"basic {name}": form for name, form in escaped_forms(SECRETS[1]).items() if form != SECRETS[1]
    }
    echoed = " ".join(forms.values())
    # The body is written by hand: a JSON encoder of our own would undo the escapes.
    body = b'{"code": 21100, "message": "bad request: ' + echoed.replace('"', "&quot;").encode() + b'"}'
    assert "\\/" in echoed and "\\u002f" in echoed  # what this test is about

    def create(client: Any) -> Any:
        return client.calls(CALL).streams.create(url="wss://example.com/a", authorization_bearer_token=BEARER)

    reply = Reply(400, body, headers={"Content-Type": "application/json", "X-Echo": echoed[:500]})
    with ScriptedServer([reply]) as server, pytest.raises(sw.BadRequestError) as caught:
        runner.run(server.url, create, max_retries=0)
    error = caught.value
    kept = {
        "body": error.body.decode("latin-1"),
        "response.content": error.response.content.decode("latin-1"),
        "headers": repr(error.response.headers.raw),
        "pickle": pickle.dumps(error).decode("latin-1"),
        "message": error.message,
    }
    leaks = [(where, name) for where, text in kept.items() for name, form in forms.items() if form in text]
    assert leaks == []
    assert "[redacted]" in kept["body"] and error.body.startswith(b'{"code": 21100')
    assert BEARER not in error.message and SECRETS[1] not in error.message  # decoded, it stays redacted too


def test_a_short_operation_secret_is_redacted_where_it_stands_alone_never_inside_a_word(runner: Runner) -> None:
    text = 'update_stream refused token "t" (t) for stream t'
    reply = Reply.json(400, {"code": 21100, "message": text})

    def create(client: Any) -> Any:
        return client.calls(CALL).streams.create(url="wss://example.com/a", authorization_bearer_token="t")

    with ScriptedServer([reply]) as server, pytest.raises(sw.BadRequestError) as caught:
        runner.run(server.url, create, max_retries=0)
    assert caught.value.message == 'update_stream refused token "[redacted]" ([redacted]) for stream [redacted]'


@pytest.mark.parametrize("token", ["t", "PT", "PTabcde"])
def test_an_api_token_too_short_to_redact_is_refused_saying_what_to_fix(token: str) -> None:
    with pytest.raises(sw.ConfigurationError, match=f"api_token is {len(token)} characters? long") as caught:
        sw.Client(PROJECT, token, "example.signalwire.com")
    assert "API token" in str(caught.value) and f"'{token}'" not in str(caught.value)
    with pytest.raises(sw.ConfigurationError, match="api_token is"):
        sw.AsyncClient(PROJECT, token, "example.signalwire.com")
    with sw.Client(PROJECT, "PTabcdef", "example.signalwire.com"):  # 8 characters: enough
        pass
