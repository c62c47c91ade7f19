"""One call's decisions (sans-IO), with plain values: the request, the deadlines, judging answers and
failures, the retry decision and its log, and the call's secrets in httpx's log records."""

from __future__ import annotations

import gzip
import json
import logging
from typing import Any

import httpx
import pytest

import signalwire_compat as sw
from signalwire_compat._body import Body
from signalwire_compat._call import Attempt, Call, CallSetup, read_answer
from signalwire_compat._config import resolve_options
from signalwire_compat._operation_types import Answer, Operation
from signalwire_compat._raw import raw_operation
from signalwire_compat._redaction import credentials_redactor
from signalwire_compat._retry import AttemptFacts
from signalwire_compat._wire import WireRequest
from tests.helpers import BASIC, PROJECT, TOKEN, call_stream_document

BASE_URL = "https://example.signalwire.com/api/laml/2010-04-01"
PATH = "/Accounts/a/Calls/c/Streams/s"
BEARER = "bearer/secret+token=1"
OPTIONS = resolve_options(
    timeout=10.0, total_timeout=25.0, max_retries=2, backoff_factor=0.5, max_retry_wait=30.0, max_response_bytes=100
)
SETUP = CallSetup.create(
    base_url=BASE_URL,
    headers={"Authorization": BASIC},
    options=OPTIONS,
    redactor=credentials_redactor(PROJECT, TOKEN, BASIC.removeprefix("Basic ")),
)


def read_json(answer: Answer) -> dict[str, Any]:
    document = json.loads(answer.content)
    assert isinstance(document, dict)
    return document


def operation(*, idempotent: bool = True, secrets: tuple[str, ...] = ()) -> Operation[dict[str, Any]]:
    wire = WireRequest("POST", PATH, {"Content-Type": "application/x-www-form-urlencoded"}, b"Status=stopped")
    return Operation("update_stream", wire, read_json, idempotent, secrets)


def response(status: int, content: bytes = b"", **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, content=content, request=httpx.Request("POST", BASE_URL + PATH))


def unread(status: int, **headers: str) -> httpx.Response:
    """A response whose body is still to be read (as the SDK's own engines hand it over)."""
    request = httpx.Request("POST", BASE_URL + PATH)
    return httpx.Response(status, headers=headers, stream=httpx.ByteStream(b""), request=request)


def body(content: bytes, *, truncated: bool = False, timed_out: bool = False, undecodable: str | None = None) -> Body:
    return Body(content, truncated, timed_out, undecodable)


def test_the_request_goes_to_the_space_with_the_clients_and_the_operations_headers_and_no_redirects() -> None:
    request = Call(operation(), SETUP, now=0.0).request
    assert request["method"] == "POST"
    assert request["url"] == BASE_URL + PATH
    assert request["content"] == b"Status=stopped"
    assert request["headers"] == {"Authorization": BASIC, "Content-Type": "application/x-www-form-urlencoded"}
    assert request["timeout"] == httpx.Timeout(10.0)
    assert request["auth"] is None and request["follow_redirects"] is False


def test_each_attempt_ends_by_its_timeout_and_never_past_the_calls_total_timeout() -> None:
    call = Call(operation(), SETUP, now=100.0)
    assert call.start_attempt(100.0) == 110.0
    assert call.start_attempt(112.0) == 122.0
    assert call.start_attempt(120.0) == 125.0  # 100 + total_timeout 25


def test_the_body_reader_holds_the_attempts_deadline_and_the_size_cap() -> None:
    call = Call(operation(), SETUP, now=0.0)
    call.start_attempt(5.0)
    reader = call.body_reader(unread(200, **{"content-length": "5"}), 5.0)
    assert not reader.done
    assert reader.feed(b"12345", 16.0)  # past 5 + 10
    assert reader.result().timed_out
    reader = call.body_reader(unread(200, **{"content-length": "101"}), 5.0)
    assert reader.done and reader.result().truncated  # over max_response_bytes: refused before reading


def test_a_body_an_injected_transport_already_read_is_taken_as_read() -> None:
    call = Call(operation(), SETUP, now=0.0)
    call.start_attempt(0.0)
    already_read = response(200, gzip.compress(b'{"a": 1}'), **{"content-encoding": "gzip"})
    already_read.read()  # httpx decodes it
    reader = call.body_reader(already_read, 0.0)
    assert reader.done and reader.result() == body(b'{"a": 1}')


def test_a_readable_2xx_is_the_parsed_result() -> None:
    document = call_stream_document()
    attempt = Call(operation(), SETUP, now=0.0).answered(response(200), body(json.dumps(document).encode()))
    assert attempt == Attempt(document, None, None, "ok")


@pytest.mark.parametrize(
    ("read", "problem"),
    [
        (body(b"not json"), "the body could not be read (JSONDecodeError"),
        (body(b"{", truncated=True), "the body is larger than 100 bytes"),
        (body(b"", undecodable="unsupported Content-Encoding 'br'"), "unsupported Content-Encoding 'br'"),
    ],
)
def test_an_unreadable_2xx_is_a_validation_error_that_is_never_retried(read: Body, problem: str) -> None:
    call = Call(operation(), SETUP, now=0.0)
    attempt = call.answered(response(201), read)
    assert isinstance(attempt.error, sw.APIResponseValidationError)
    assert attempt.error.message.startswith(f"update_stream: the server answered 201 but {problem}")
    assert attempt.error.message.endswith("; the request was most likely carried out")
    assert attempt.facts == AttemptFacts(201, request_sent=True)
    assert call.next_delay(attempt, 1.0) is None


def test_a_body_that_missed_the_deadline_is_a_timeout_whatever_its_status() -> None:
    attempt = Call(operation(), SETUP, now=0.0).answered(response(200), body(b"{}", timed_out=True))
    assert isinstance(attempt.error, sw.APITimeoutError)
    assert str(attempt.error) == (
        f"POST {PATH}: no complete response from example.signalwire.com:443: the body did not arrive within 10 s"
    )
    assert attempt.facts == AttemptFacts(None, request_sent=True) and attempt.summary == "timeout"


def test_an_error_status_is_its_typed_error_with_the_retry_after_it_asked_for() -> None:
    attempt = Call(operation(), SETUP, now=0.0).answered(response(503, **{"retry-after": "7"}), body(b"{}"))
    assert isinstance(attempt.error, sw.ServiceUnavailableError)
    assert attempt.error.retry_after == 7.0
    assert attempt.facts == AttemptFacts(503, True, 7.0) and attempt.summary == "503"


def test_an_error_answer_echoing_the_credentials_and_the_operations_secret_keeps_neither() -> None:
    echo = f"{TOKEN} {BASIC} {BEARER}"
    answer = response(400, json.dumps({"message": echo}).encode(), **{"x-echo": echo})
    attempt = Call(operation(secrets=(BEARER,)), SETUP, now=0.0).answered(answer, body(answer.content))
    error = attempt.error
    assert isinstance(error, sw.BadRequestError) and error.response is not None
    seen = [str(error), error.response.text, *error.response.headers.values(), repr(error.response.request.headers)]
    for text in seen:
        for secret in (TOKEN, BASIC.removeprefix("Basic "), BEARER):
            assert secret not in text
    assert "[redacted]" in error.response.headers["x-echo"]


@pytest.mark.parametrize(
    ("exc", "sent", "start"),
    [
        (httpx.ConnectError("refused"), False, "could not connect to example.signalwire.com:443"),
        (httpx.RemoteProtocolError("closed"), True, "the connection to example.signalwire.com:443 failed"),
    ],
)
def test_a_transport_failure_says_whether_the_request_may_have_been_sent(
    exc: httpx.RequestError, sent: bool, start: str
) -> None:
    attempt = Call(operation(), SETUP, now=0.0).failed(exc)
    assert isinstance(attempt.error, sw.APIConnectionError)
    assert attempt.error.request_sent is sent
    assert str(attempt.error).startswith(f"POST {PATH}: {start} ({type(exc).__name__}: ")
    assert attempt.facts == AttemptFacts(None, request_sent=sent)


def test_a_transport_timeout_is_a_timeout_and_secrets_in_its_text_are_redacted() -> None:
    attempt = Call(operation(secrets=(BEARER,)), SETUP, now=0.0).failed(httpx.ReadTimeout(f"slow {BEARER} {TOKEN}"))
    assert isinstance(attempt.error, sw.APITimeoutError)
    assert str(attempt.error).endswith("not within 10 s (ReadTimeout: slow [redacted] [redacted])")


def test_retries_are_counted_and_stop_after_max_retries() -> None:
    call = Call(operation(), SETUP, now=0.0)
    failed = call.failed(httpx.ConnectError("refused"))
    delays = [call.next_delay(failed, 1.0) for _ in range(3)]
    assert all(delay is not None and 0 < delay <= 1.0 for delay in delays[:2])
    assert delays[2] is None and call.retries == 2


def test_a_result_ends_the_call_and_a_call_that_is_not_idempotent_is_not_repeated_once_sent() -> None:
    assert Call(operation(), SETUP, now=0.0).next_delay(Attempt({}, None, None, "ok"), 1.0) is None
    call = Call(operation(idempotent=False), SETUP, now=0.0)
    assert call.next_delay(call.failed(httpx.ReadError("reset")), 1.0) is None
    assert call.next_delay(call.failed(httpx.ConnectError("refused")), 1.0) is not None


def test_no_retry_starts_past_the_calls_total_timeout_counted_from_its_start() -> None:
    call = Call(operation(), SETUP, now=1000.0)
    asked = call.answered(response(503, **{"retry-after": "5"}), body(b"{}"))
    assert call.next_delay(asked, 1019.9) == 5.0
    assert call.next_delay(asked, 1020.0) is None  # 20 s in + 5 s reaches total_timeout 25


def test_each_attempt_is_logged_with_its_number_and_duration_and_each_retry_with_its_wait(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="signalwire_compat")
    call = Call(operation(), SETUP, now=0.0)
    call.start_attempt(2.0)
    asked = call.answered(response(429, **{"retry-after": "3"}), body(b"{}"))
    call.next_delay(asked, 2.25)
    messages = [record.getMessage() for record in caplog.records if record.name == "signalwire_compat"]
    assert messages[0] == f"POST {PATH} -> 429 (attempt 1/3, 250.0 ms)"
    assert messages[1].startswith(f"POST {PATH}: 429")
    assert messages[1].endswith("; retrying in 3.00 s (attempt 2/3)")


def test_the_operations_secrets_are_kept_out_of_httpx_log_records_while_the_call_runs_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    with sw.Client(PROJECT, TOKEN, "example.signalwire.com"):  # installs the filter
        with Call(operation(secrets=(BEARER,)), SETUP, now=0.0) as call:
            logging.getLogger("httpx").info("during: %s %s", BEARER, TOKEN)
        logging.getLogger("httpx").info("after: %s %s", BEARER, TOKEN)
        assert call.retries == 0  # still alive here: its secrets go because it ended, not because it was collected
    during, after = (record.getMessage() for record in caplog.records if record.name == "httpx")
    assert during == "during: [redacted] [redacted]"
    assert after == f"after: {BEARER} [redacted]"  # the call is over; the client's token is still watched


def test_a_raw_answer_parses_later_and_an_unreadable_one_raises_what_the_plain_call_would() -> None:
    plain = operation(secrets=(BEARER,))
    raw = raw_operation(plain)
    good = Call(raw, SETUP, now=0.0).answered(response(200, **{"x-echo": BEARER}), body(b'{"a": 1}')).unwrap()
    assert good.status_code == 200 and good.headers["x-echo"] == "[redacted]"
    assert good.parse() == {"a": 1}
    bad = Call(raw, SETUP, now=0.0).answered(response(200), body(f"oops {BEARER}".encode())).unwrap()
    plain_attempt = Call(plain, SETUP, now=0.0).answered(response(200), body(f"oops {BEARER}".encode()))
    with pytest.raises(sw.APIResponseValidationError) as later:
        bad.parse()
    assert str(later.value) == str(plain_attempt.error)
    assert BEARER not in later.value.body.decode()


def test_read_answer_raises_without_the_parsers_exception_attached() -> None:
    answer = Answer(response(200), b"not json", SETUP.redactor)
    with pytest.raises(sw.APIResponseValidationError) as caught:
        read_answer(operation(), answer)
    assert caught.value.__context__ is None and caught.value.__suppress_context__


def test_a_calls_redactor_redacts_the_clients_secrets_and_its_own_with_the_clients_rules_compiled_once() -> None:
    client = credentials_redactor(PROJECT, TOKEN, BASIC.removeprefix("Basic "))
    first, second = client.plus(["first-bearer-0123"]), client.plus(["second-bearer-4567"])
    text = f"{TOKEN} first-bearer-0123 second-bearer-4567"
    assert first.text(text) == "[redacted] [redacted] second-bearer-4567"
    assert second.text(text) == "[redacted] first-bearer-0123 [redacted]"
    assert client.text(text) == "[redacted] first-bearer-0123 second-bearer-4567"
    # Both calls' redactors use the client's compiled patterns (the same objects), not copies of their own.
    shared = set(map(id, client._patterns()))
    assert shared < set(map(id, first._patterns())) and shared < set(map(id, second._patterns()))
