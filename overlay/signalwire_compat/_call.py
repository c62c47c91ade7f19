"""One call's decisions, sans-IO: ``Call`` says what to send, reads and judges each answer, decides
whether and when to try again, and logs each attempt; the clients only send, feed chunks and sleep.

The async client's loop (``_async/_client.py``, and ``_sync/_client.py`` derived from it) drives it::

    with Call(operation, setup, now=time.monotonic()) as call:
        while True:
            try:
                with attempt_deadline(call.start_attempt(time.monotonic())):
                    with http.stream(**call.request) as response:
                        reader = call.body_reader(response, time.monotonic())
                        ...  # reader.feed(chunk, time.monotonic()) until it says stop
                attempt = call.answered(response, reader.result())
            except httpx.RequestError as exc:
                attempt = call.failed(exc)
            delay = call.next_delay(attempt, time.monotonic())
            if delay is None:
                return attempt.unwrap()
            sleep(delay)

Nothing here sends, sleeps or reads a clock (it only logs): times come in as ``now``, in
``time.monotonic()`` seconds, so a test drives it with plain values.
``failed`` is the one place where httpx's exceptions become the SDK's; whether to retry is
``_retry.py``'s decision, reading a body ``_body.py``'s.
"""

from __future__ import annotations

import logging
from typing import Any, Generic, NamedTuple, Self, TypeVar

import httpx

from ._body import Body, BodyReader
from ._config import ClientOptions
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    SignalWireError,
    error_for_status,
)
from ._logging import logger
from ._operation_types import Answer, Operation, detach
from ._redaction import Redactor, unwatch_logs, watch_logs
from ._retry import AttemptFacts, parse_retry_after
from ._transports import not_tls_hint

__all__ = ["Attempt", "Call", "CallSetup", "read_answer"]

T = TypeVar("T")

# Failures that happen before a single byte of the request left: safe to repeat for any call.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol, httpx.PoolTimeout)


class CallSetup(NamedTuple):
    """What every call of one client shares (a client made by ``with_options`` has its own)."""

    base_url: str
    headers: dict[str, str]  # sent with each request (none when the SDK's own httpx client carries them)
    options: ClientOptions
    redactor: Redactor  # the credentials'
    timeout: httpx.Timeout  # ``options.timeout`` as httpx takes it
    origin: str  # host:port, for messages

    @classmethod
    def create(cls, *, base_url: str, headers: dict[str, str], options: ClientOptions, redactor: Redactor) -> Self:
        url = httpx.URL(base_url)
        origin = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
        return cls(base_url, headers, options, redactor, httpx.Timeout(options.timeout), origin)

    def with_options(self, options: ClientOptions) -> Self:
        return self._replace(options=options, timeout=httpx.Timeout(options.timeout))


class Attempt(NamedTuple, Generic[T]):
    """How one attempt ended: a result, or an error with what the retry decision needs."""

    result: T | None
    error: SignalWireError | None
    facts: AttemptFacts | None  # None with a result
    summary: str  # for the log: "ok", "503", "ConnectError: ...", "timeout"

    def unwrap(self) -> T:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]  # a result-less success is T = None


class Call(Generic[T]):
    """One call of ``operation`` across its attempts: the request, the time budget, judging each
    answer, the retry decision, the log. As a context manager, it keeps the operation's secrets
    (e.g. a stream's bearer token) out of httpx's and httpcore's log records while it runs."""

    __slots__ = (
        "_attempt_started",
        "_deadline",
        "_redactor",
        "_setup",
        "_started",
        "_total_deadline",
        "operation",
        "request",
        "retries",
    )

    def __init__(self, operation: Operation[T], setup: CallSetup, *, now: float) -> None:
        self.operation = operation
        self._setup = setup
        wire = operation.wire
        # Arguments for ``http.stream(...)``: the same for the SDK's own and an injected client.
        self.request: dict[str, Any] = {
            "method": wire.method,
            "url": setup.base_url + wire.path,
            "content": wire.content,
            "params": wire.params,
            "files": wire.files,
            "headers": {**setup.headers, **wire.headers},
            "timeout": setup.timeout,
            "auth": None,  # the Authorization header; an injected client's auth must not replace it
            "follow_redirects": False,
        }
        self._redactor = setup.redactor.plus(operation.secrets) if operation.secrets else setup.redactor
        self._started = self._attempt_started = now
        self._total_deadline = now + setup.options.retry.total_timeout
        self._deadline = self._total_deadline
        self.retries = 0  # retries decided so far

    def __enter__(self) -> Self:
        if self._redactor is not self._setup.redactor:  # the client's own are watched while it lives
            watch_logs(self._redactor)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._redactor is not self._setup.redactor:
            unwatch_logs(self._redactor)

    def redact(self, text: str) -> str:
        """``text`` without the credentials and the operation's secrets, in every form sent."""
        return self._redactor.text(text)

    # -- one attempt ------------------------------------------------------------------------------

    def start_attempt(self, now: float) -> float:
        """An attempt starts: the time it must end by (the attempt's ``timeout``, within the call's)."""
        self._attempt_started = now
        self._deadline = min(now + self._setup.options.timeout, self._total_deadline)
        return self._deadline

    def body_reader(self, response: httpx.Response, now: float) -> BodyReader:
        """A reader for this response's body; ``done`` already if there is nothing left to read."""
        max_bytes = self._setup.options.max_response_bytes
        if response.is_stream_consumed:  # an injected transport (e.g. httpx.MockTransport) read it already
            deadline = self._deadline
            reader = BodyReader(content_encoding=None, content_length=None, max_bytes=max_bytes, deadline=deadline)
            reader.feed(response.content, now)
            reader.end()
            return reader
        return BodyReader(
            content_encoding=response.headers.get("content-encoding"),
            content_length=response.headers.get("content-length"),
            max_bytes=max_bytes,
            deadline=self._deadline,
        )

    def answered(self, response: httpx.Response, body: Body) -> Attempt[T]:
        """The result for a readable 2xx; otherwise the typed error and the facts for the retry decision."""
        status = response.status_code
        if body.timed_out:
            return self._timed_out(f"the body did not arrive within {self._setup.options.timeout:g} s")
        if 200 <= status <= 299:
            answer = Answer(response, body.content, self._redactor)
            problem = body.undecodable
            if body.truncated:
                problem = f"the body is larger than {self._setup.options.max_response_bytes} bytes"
            if problem is None:
                try:
                    return Attempt(self.operation.parse(answer), None, None, "ok")
                except Exception as exc:  # noqa: BLE001 - any failure to read a 2xx body is the same typed error
                    problem = _unparsable(exc)
            error = _unreadable(self.operation.name, problem, answer)
            return Attempt(None, error, AttemptFacts(status, request_sent=True), f"{status}, unreadable")
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        detached = detach(response, body.content, self._redactor)
        api_error = error_for_status(
            status, response.reason_phrase, detached.content, detached, redact=self.redact, retry_after=retry_after
        )
        return Attempt(None, api_error, AttemptFacts(status, True, retry_after), str(status))

    def failed(self, exc: httpx.RequestError) -> Attempt[T]:
        """The SDK error for an httpx exception (raised by any engine, injected or not)."""
        wire, origin, base_url = self.operation.wire, self._setup.origin, self._setup.base_url
        sent = not isinstance(exc, _NOT_SENT)
        reason = f"{type(exc).__name__}: {self.redact(str(exc)) or 'no details'}"[:500]
        if isinstance(exc, httpx.TimeoutException):
            return self._timed_out(f"not within {self._setup.options.timeout:g} s ({reason})")
        if sent:
            message = f"{wire.method} {wire.path}: the connection to {origin} failed ({reason})"
        else:
            message = f"{wire.method} {wire.path}: could not connect to {origin} ({reason})"
            if base_url.startswith("https://"):
                message += not_tls_hint(exc, base_url)
        error = APIConnectionError(message, method=wire.method, path=wire.path, request_sent=sent)
        return Attempt(None, error, AttemptFacts(None, request_sent=sent), reason)

    def _timed_out(self, detail: str) -> Attempt[T]:
        wire = self.operation.wire
        message = f"{wire.method} {wire.path}: no complete response from {self._setup.origin}: {detail}"
        error = APITimeoutError(message, method=wire.method, path=wire.path)
        return Attempt(None, error, AttemptFacts(None, request_sent=True), "timeout")

    # -- after an attempt -----------------------------------------------------------------------

    def next_delay(self, attempt: Attempt[T], now: float) -> float | None:
        """Log the attempt; seconds to wait before the next one, or None when the call is over."""
        retry = self._setup.options.retry
        wire = self.operation.wire
        number = self.retries + 1
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s (attempt %d/%d, %.1f ms)",
                wire.method,
                wire.path,
                attempt.summary,
                number,
                retry.max_retries + 1,
                (now - self._attempt_started) * 1000,
            )
        if attempt.facts is None or attempt.error is None:
            return None
        delay = retry.next_delay(
            attempt.facts, idempotent=self.operation.idempotent, retries_done=self.retries, elapsed=now - self._started
        )
        if delay is not None:
            self.retries += 1
            logger.info(
                "%s %s: %s; retrying in %.2f s (attempt %d/%d)",
                wire.method,
                wire.path,
                (str(attempt.error) if isinstance(attempt.error, APIStatusError) else attempt.summary)[:200],
                delay,
                number + 1,
                retry.max_retries + 1,
            )
        return delay


def read_answer(operation: Operation[T], answer: Answer) -> T:
    """``operation``'s result from a 2xx ``answer``, or the error its call raises when the body cannot be read."""
    try:
        return operation.parse(answer)
    except Exception as exc:  # noqa: BLE001 - as in Call.answered
        problem = _unparsable(exc)
    # Outside the handler: the parser's exception (which may quote the unredacted body) is not attached.
    raise _unreadable(operation.name, problem, answer) from None


def _unreadable(name: str, problem: str, answer: Answer) -> APIResponseValidationError:
    """The error for a 2xx whose body cannot be read: the request was most likely carried out."""
    status = answer.status_code
    message = f"{name}: the server answered {status} but {problem}; the request was most likely carried out"
    detached = answer.detached()
    return APIResponseValidationError(
        answer.redactor.text(message)[:1000], status_code=status, body=detached.content, response=detached
    )


def _unparsable(exc: Exception) -> str:
    return f"the body could not be read ({type(exc).__name__}: {exc})"
