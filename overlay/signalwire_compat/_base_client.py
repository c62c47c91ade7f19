"""What the sync and async clients share: configuration, the request for an operation, judging
an attempt's outcome, and logging. Each client adds only its send/read/sleep loop
(``_async/_client.py``, and ``_sync/_client.py`` derived from it); the retry decision lives in ``_retry.py``.

The one place where httpx's exceptions become the SDK's is ``_transport_failure``.
"""

from __future__ import annotations

import logging
import time
import weakref
from typing import Any, ClassVar, Generic, Self, TypeVar
from uuid import UUID

import httpx

from ._attempt import Attempt, CallClock
from ._body import Body, BodyReader
from ._config import ClientOptions, Settings, resolve_options, resolve_settings
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    error_for_status,
)
from ._logging import log_from_environment, logger, warn_if_in_event_loop
from ._operation_types import Answer, Operation
from ._redaction import Redactor, credentials_redactor, watch_logs
from ._retry import AttemptFacts, parse_retry_after
from ._transports import not_tls_hint
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOTAL_TIMEOUT",
    "Attempt",
    "BaseClient",
    "CallClock",
]

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)

# The package the clients are exported from, as users import it (a vendored copy's name differs).
_PACKAGE = __name__.rpartition(".")[0]

DEFAULT_TIMEOUT = 30.0
DEFAULT_TOTAL_TIMEOUT = 60.0
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
USER_AGENT = f"signalwire-compat/{__version__} python-httpx/{httpx.__version__}"
# Failures that happen before a single byte of the request left: safe to repeat for any call.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol, httpx.PoolTimeout)
_FRAMING_HEADERS_BYTES = frozenset({b"content-encoding", b"content-length", b"transfer-encoding"})


def _unparsable(exc: Exception) -> str:
    return f"the body could not be read ({type(exc).__name__}: {exc})"


class BaseClient(Generic[H]):
    """Configuration and the transport-independent half of every request."""

    _http_class: ClassVar[type[httpx.Client | httpx.AsyncClient]]  # the httpx client class a subclass drives

    def __init__(
        self,
        project_id: str | None = None,
        api_token: str | None = None,
        space_url: str | None = None,
        *,
        account_sid: str | UUID | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        max_retries: int = 2,
        backoff_factor: float = 0.5,
        max_retry_wait: float = 30.0,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        http_client: H | None = None,
    ) -> None:
        http_class = self._http_class
        log_from_environment()
        self._settings: Settings = resolve_settings(project_id, api_token, space_url, account_sid)
        self._options: ClientOptions = resolve_options(
            timeout=timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            backoff_factor=backoff_factor,
            max_retry_wait=max_retry_wait,
            max_response_bytes=max_response_bytes,
        )
        if http_client is not None and not isinstance(http_client, http_class):
            raise ConfigurationError(
                f"http_client must be an httpx.{http_class.__name__}, not {type(http_client).__name__}"
            )
        self._base_url = self._settings.base_url
        token, basic = self._settings.token_fragments
        self._redactor = credentials_redactor(self._settings.project_id, token, basic)
        watch_logs(self._redactor)
        url = httpx.URL(self._base_url)
        self._origin = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
        headers = {
            "Authorization": self._settings.secret.header,
            "Accept": "application/json",
            # Answers are small JSON: no compression to inflate (see _body.py for servers that do anyway).
            "Accept-Encoding": "identity",
            "User-Agent": USER_AGENT,
        }
        self._httpx_timeout = httpx.Timeout(self._options.timeout)
        self._closed = False
        # A blocking client warns once (at DEBUG) when it is used inside a running event loop.
        self._loop_checked = http_class is not httpx.Client
        self._owns_http = http_client is None
        # with_options: the client whose pool a derived one shares, and (on that one) the derived ones to close with it.
        self._root: BaseClient[H] | None = None
        self._derived: weakref.WeakSet[BaseClient[H]] | None = None
        if http_client is None:
            # The SDK's own client carries these headers itself: httpx merges a client's headers
            # into each request more cheaply than it normalises per-request ones (docs/performance.md).
            self._http: H = self._open_http(self._base_url, headers)
            self._headers: dict[str, str] = {}
        else:
            self._http = http_client  # used as given: ours go with every request
            self._headers = headers

    def with_options(
        self, *, timeout: float | None = None, total_timeout: float | None = None, max_retries: int | None = None
    ) -> Self:
        """A client like this one with these options changed (None keeps this one's), sharing its
        connection pool and settings: cheap to make, e.g. per request. Closing it leaves this client
        open; closing this client closes it too."""
        options, retry = self._options, self._options.retry
        checked = resolve_options(
            timeout=options.timeout if timeout is None else timeout,
            total_timeout=retry.total_timeout if total_timeout is None else total_timeout,
            max_retries=retry.max_retries if max_retries is None else max_retries,
            backoff_factor=retry.backoff_factor,
            max_retry_wait=retry.max_retry_wait,
            max_response_bytes=options.max_response_bytes,
        )
        derived = object.__new__(type(self))
        derived.__dict__.update(self.__dict__)
        derived._options = checked
        derived._httpx_timeout = httpx.Timeout(checked.timeout)
        derived._owns_http = False
        root = self._root or self
        derived._root, derived._derived = root, None
        if root._derived is None:
            root._derived = weakref.WeakSet()
        root._derived.add(derived)
        return derived

    def _mark_closed(self) -> None:
        self._closed = True
        for derived in self._derived or ():
            derived._closed = True

    def _open_http(self, base_url: str, headers: dict[str, str]) -> H:
        """The httpx client the SDK builds for itself (with an engine of its own) when none was injected."""
        raise NotImplementedError

    @property
    def account_sid(self) -> str:
        """The ``{AccountSid}`` in every path (the project id unless ``account_sid`` was given)."""
        return self._settings.account_sid

    @property
    def project_id(self) -> str:
        """The project id: the HTTP Basic user name."""
        return self._settings.project_id

    @property
    def base_url(self) -> str:
        """The API root every path is appended to, e.g. ``https://example.signalwire.com/api/laml/2010-04-01``."""
        return self._base_url

    def __repr__(self) -> str:
        name = f"{_PACKAGE}.{type(self).__name__}"
        settings = getattr(self, "_settings", None)  # a constructor that failed leaves none
        if settings is None:
            return f"<{name} (not configured)>"
        return f"<{name} base_url={settings.base_url!r} project_id={settings.project_id!r}>"

    def _redact(self, text: str, extra: tuple[str, ...] = ()) -> str:
        """``text`` with the credentials (and ``extra`` secrets, e.g. an operation's) replaced, in every form sent."""
        return self._redactor_for(extra).text(text)

    def _redactor_for(self, secrets: tuple[str, ...]) -> Redactor:
        return self._redactor.plus(secrets) if secrets else self._redactor

    def _check_open(self) -> None:
        if self._closed or self._http.is_closed:
            owner = "the client it was made from with with_options, " if self._root is not None else ""
            raise ClientClosedError(
                f"this {type(self).__name__} (or {owner}or the http_client it was given) is closed: create a new one"
            )
        if not self._loop_checked:
            self._loop_checked = True
            warn_if_in_event_loop(f"{_PACKAGE}.{type(self).__name__}")

    def _check_still_open(self) -> None:
        if self._closed or self._http.is_closed:
            raise self._closed_meanwhile()

    def _closed_meanwhile(self) -> ClientClosedError:
        return ClientClosedError(f"this {type(self).__name__} was closed while the call was in progress")

    def _watch_secrets(self, operation: Operation[Any]) -> Redactor | None:
        """For an operation with secrets: a redactor the log filter uses for as long as the caller holds it."""
        if not operation.secrets:
            return None
        redactor = self._redactor.plus(operation.secrets)
        watch_logs(redactor)
        return redactor

    # -- the request ------------------------------------------------------------------------------

    def _request_args(self, operation: Operation[Any]) -> dict[str, Any]:
        """Arguments for ``http.stream(...)``: the same for the SDK's own and an injected client."""
        wire = operation.wire
        return {
            "method": wire.method,
            "url": self._base_url + wire.path,
            "content": wire.content,
            "params": wire.params,
            "files": wire.files,
            "headers": {**self._headers, **wire.headers},
            "timeout": self._httpx_timeout,
            "auth": None,  # the Authorization header above; an injected client's auth must not replace it
            "follow_redirects": False,
        }

    def _body_reader(self, response: httpx.Response, deadline: float) -> BodyReader:
        """A reader for this response's body; ``done`` already if there is nothing left to read."""
        if response.is_stream_consumed:  # an injected transport (e.g. httpx.MockTransport) read it already
            reader = BodyReader(
                content_encoding=None,
                content_length=None,
                max_bytes=self._options.max_response_bytes,
                deadline=deadline,
            )
            reader.feed(response.content, time.monotonic())
            reader.end()
            return reader
        return BodyReader(
            content_encoding=response.headers.get("content-encoding"),
            content_length=response.headers.get("content-length"),
            max_bytes=self._options.max_response_bytes,
            deadline=deadline,
        )

    # -- judging an attempt ---------------------------------------------------------------------

    def _judge(self, operation: Operation[T], response: httpx.Response, body: Body) -> Attempt[T]:
        """The result for a readable 2xx; otherwise the typed error and the facts for the retry decision."""
        status = response.status_code
        if body.timed_out:
            return self._timed_out(operation, f"the body did not arrive within {self._options.timeout:g} s")

        def redact(text: str) -> str:
            return self._redact(text, operation.secrets)

        def detached() -> httpx.Response:
            return self._detached(response, body.content, operation.secrets)

        if 200 <= status <= 299:
            problem = body.undecodable
            if body.truncated:
                problem = f"the body is larger than {self._options.max_response_bytes} bytes"
            if problem is None:
                try:
                    return Attempt(operation.parse(Answer(status, body.content, detached)), None, None, "ok")
                except Exception as exc:  # noqa: BLE001 - any failure to read a 2xx body is the same typed error
                    problem = _unparsable(exc)
            error = self._unreadable(operation, problem, detached())
            return Attempt(None, error, AttemptFacts(status, request_sent=True), f"{status}, unreadable")
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        answer = detached()
        api_error = error_for_status(
            status, response.reason_phrase, answer.content, answer, redact=redact, retry_after=retry_after
        )
        return Attempt(None, api_error, AttemptFacts(status, True, retry_after), str(status))

    def _unreadable(
        self, operation: Operation[Any], problem: str, answer: httpx.Response
    ) -> APIResponseValidationError:
        status = answer.status_code
        message = f"{operation.name}: the server answered {status} but {problem}; the request was most likely "
        message += "carried out"
        return APIResponseValidationError(
            self._redact(message, operation.secrets)[:1000], status_code=status, body=answer.content, response=answer
        )

    def _parse_later(self, operation: Operation[T], answer: Answer) -> T:
        """A raw response's ``parse()``: the typed result, or the error the plain call would have raised."""
        try:
            return operation.parse(answer)
        except Exception as exc:  # noqa: BLE001 - as in _judge
            raise self._unreadable(operation, _unparsable(exc), answer.detached()) from None

    def _detached(self, response: httpx.Response, content: bytes, secrets: tuple[str, ...]) -> httpx.Response:
        """A read, closed copy of the response for results and errors: no request headers (the
        Authorization value), and any credential a server echoed back replaced by ``[redacted]``."""
        redactor = self._redactor_for(secrets)
        content = redactor.data(content)
        # The content is decoded (and may be cut short): framing headers would describe other bytes.
        # Values are redacted: a misbehaving server may echo the credentials in a header. They stay
        # bytes: a value need not be ASCII (httpx would refuse to encode it again).
        headers = [
            (name, redactor.data(value))
            for name, value in response.headers.raw
            if name.lower() not in _FRAMING_HEADERS_BYTES
        ]
        reason = response.extensions.get("reason_phrase")  # the bytes as received
        if not isinstance(reason, bytes):
            reason = response.reason_phrase.encode("ascii", "replace")  # an injected transport's standard phrase
        request = response.request
        detached = httpx.Response(
            response.status_code,
            headers=headers,
            content=content,
            request=httpx.Request(request.method, request.url),
            extensions={
                "http_version": response.extensions.get("http_version", b"HTTP/1.1"),
                "reason_phrase": redactor.data(reason),
            },
        )
        elapsed = getattr(response, "_elapsed", None)  # set by httpx when the response closed
        if elapsed is not None:
            detached.elapsed = elapsed
        return detached

    def _timed_out(self, operation: Operation[Any], detail: str) -> Attempt[Any]:
        wire = operation.wire
        message = f"{wire.method} {wire.path}: no complete response from {self._origin}: {detail}"
        error = APITimeoutError(message, method=wire.method, path=wire.path)
        return Attempt(None, error, AttemptFacts(None, request_sent=True), "timeout")

    def _transport_failure(self, operation: Operation[Any], exc: httpx.RequestError) -> Attempt[Any]:
        """The SDK error for an httpx exception (raised by any engine, injected or not)."""
        wire = operation.wire
        sent = not isinstance(exc, _NOT_SENT)
        reason = f"{type(exc).__name__}: {self._redact(str(exc), operation.secrets) or 'no details'}"[:500]
        if isinstance(exc, httpx.TimeoutException):
            return self._timed_out(operation, f"not within {self._options.timeout:g} s ({reason})")
        if sent:
            message = f"{wire.method} {wire.path}: the connection to {self._origin} failed ({reason})"
        else:
            message = f"{wire.method} {wire.path}: could not connect to {self._origin} ({reason})"
            if self._base_url.startswith("https://"):
                message += not_tls_hint(exc, self._base_url)
        error = APIConnectionError(message, method=wire.method, path=wire.path, request_sent=sent)
        return Attempt(None, error, AttemptFacts(None, request_sent=sent), reason)

    # -- after an attempt ----------------------------------------------------------------------

    def _delay_after(
        self, operation: Operation[Any], attempt: Attempt[Any], clock: CallClock, started: float
    ) -> float | None:
        """Log the attempt; seconds to wait before the next one, or None when the call is over."""
        retry = self._options.retry
        number = clock.retries + 1
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s (attempt %d/%d, %.1f ms)",
                operation.wire.method,
                operation.wire.path,
                attempt.summary,
                number,
                retry.max_retries + 1,
                (time.perf_counter() - started) * 1000,
            )
        if attempt.facts is None or attempt.error is None:
            return None
        delay = retry.next_delay(
            attempt.facts, idempotent=operation.idempotent, retries_done=clock.retries, elapsed=clock.elapsed()
        )
        if delay is not None:
            clock.retries += 1
            logger.info(
                "%s %s: %s; retrying in %.2f s (attempt %d/%d)",
                operation.wire.method,
                operation.wire.path,
                (str(attempt.error) if isinstance(attempt.error, APIStatusError) else attempt.summary)[:200],
                delay,
                number + 1,
                retry.max_retries + 1,
            )
        return delay
