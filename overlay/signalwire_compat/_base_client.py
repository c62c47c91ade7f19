"""What the sync and async clients share: configuration, request building, reading and judging
responses, logging. The two clients only add their own send/sleep loop (``_client.py``,
``_async_client.py``), so every decision is made once, here or in ``_retry.py``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, Generic, NamedTuple, TypeVar

import httpx

from ._config import Settings, finite_seconds, resolve_settings
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    ConfigurationError,
    error_for_status,
)
from ._retry import RetryPolicy
from ._version import __version__
from ._wire import WireRequest

__all__ = ["DEFAULT_TIMEOUT", "BaseClient", "Operation", "OperationResult"]

T = TypeVar("T")

logger = logging.getLogger("signalwire_compat")

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
USER_AGENT = f"signalwire-compat/{__version__} python-httpx/{httpx.__version__}"
# httpx keeps only 20 idle connections by default: with more requests in flight than that, every
# burst closes and reopens connections (measured: a new TCP connection per request above 20 in
# flight). Keep as many idle as may be open.
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)


class Operation(NamedTuple, Generic[T]):
    """One API call, ready to send: the wire request and how to read a 2xx answer.

    ``idempotent`` operations (the stream stops) are retried after any retryable failure; others
    only when the server cannot have acted on them (connect errors, 429, 503).
    """

    name: str
    wire: WireRequest
    parse: Callable[[httpx.Response, bytes], T]
    idempotent: bool


class OperationResult(NamedTuple):
    """What the escape hatch (``client.invoke``) returns: the generated parser's result and the response."""

    status_code: int
    parsed: Any
    response: httpx.Response


class ResponseTooLarge(Exception):
    """Internal: the body passed ``max_response_bytes``; ``head`` holds what was read."""

    def __init__(self, head: bytes) -> None:
        super().__init__()
        self.head = head


class ConnectionFailure(Exception):
    """Internal: an attempt ended without a response; carries the SDK error and whether a retry is safe."""

    def __init__(self, error: APIConnectionError, *, request_sent: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.request_sent = request_sent


def materialize(response: httpx.Response, body: bytes) -> httpx.Response:
    """A read, closed copy of a streamed response, so ``.text``/``.json()`` work on it later."""
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        content=body,
        request=response.request,
        extensions={"http_version": response.extensions.get("http_version", b"HTTP/1.1")},
    )


H = TypeVar("H", httpx.Client, httpx.AsyncClient)


class BaseClient(Generic[H]):
    """Configuration and the transport-independent half of every request."""

    def __init__(
        self,
        project_id: str | None,
        api_token: str | None,
        space_url: str | None,
        *,
        account_sid: Any,
        timeout: float,
        max_retries: int,
        backoff_factor: float,
        max_retry_wait: float,
        max_response_bytes: int,
        http_client: H | None,
        http_class: type[H],
        default_http: Callable[[], H],
    ) -> None:
        self._settings: Settings = resolve_settings(project_id, api_token, space_url, account_sid)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or not 0 <= max_retries <= 10:
            raise ConfigurationError(f"max_retries must be an int from 0 to 10, got {max_retries!r}")
        if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int) or max_response_bytes < 1:
            raise ConfigurationError(f"max_response_bytes must be a positive int, got {max_response_bytes!r}")
        self._timeout_seconds = finite_seconds(timeout, "timeout")
        self._timeout = httpx.Timeout(self._timeout_seconds)
        self._retry = RetryPolicy(
            max_retries=max_retries,
            backoff_factor=finite_seconds(backoff_factor, "backoff_factor", allow_zero=True),
            max_retry_wait=finite_seconds(max_retry_wait, "max_retry_wait", allow_zero=True),
        )
        self._max_response_bytes = max_response_bytes
        self._base_url = self._settings.base_url
        self._default_headers = {
            "Authorization": self._settings.secret.header,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if http_client is not None and not isinstance(http_client, http_class):
            raise ConfigurationError(
                f"http_client must be an httpx.{http_class.__name__}, not {type(http_client).__name__}"
            )
        self._owns_http = http_client is None
        self._http: H = http_client if http_client is not None else default_http()
        self._use_http_client(self._http, owned=self._owns_http)

    @property
    def account_sid(self) -> str:
        return self._settings.account_sid

    @property
    def project_id(self) -> str:
        return self._settings.project_id

    @property
    def base_url(self) -> str:
        return self._base_url

    def __repr__(self) -> str:
        name = f"{type(self).__module__.rsplit('.', 1)[0]}.{type(self).__name__}"  # works when vendored too
        return f"<{name} base_url={self._base_url!r} project_id={self.project_id!r}>"

    def _redact(self, text: str) -> str:
        for fragment in self._settings.token_fragments:
            if fragment in text:
                text = text.replace(fragment, "[redacted]")
        return text

    # -- building --------------------------------------------------------------------------------

    def _use_http_client(self, http: H, *, owned: bool) -> None:
        """Remember the transport client; for one the SDK created, precompute what each request repeats."""
        self._owned_headers: dict[tuple[tuple[str, str], ...], httpx.Headers] | None = None
        if owned:
            # httpx's build_request merges the client's headers, cookies and timeout into every
            # request (~10 us each); the SDK's own client has fixed headers and no use for cookies.
            self._owned_headers = {}
            self._extensions = {"timeout": self._timeout.as_dict()}
            self._client_headers = httpx.Headers(http.headers)

    def _headers_for(self, wire: WireRequest) -> httpx.Headers:
        assert self._owned_headers is not None
        key = tuple(wire.headers.items())
        headers = self._owned_headers.get(key)
        if headers is None:
            headers = httpx.Headers(self._client_headers)
            headers.update(self._default_headers)
            headers.update(dict(wire.headers))
            self._owned_headers[key] = headers
        return headers

    def _build_request(self, http: H, wire: WireRequest) -> httpx.Request:
        if self._owned_headers is not None:
            return httpx.Request(
                wire.method,
                self._base_url + wire.path,
                content=wire.content,
                headers=self._headers_for(wire),
                params=wire.params,
                files=wire.files,
                extensions=self._extensions,
            )
        # An injected client: let httpx apply its headers, cookies and settings as it always does.
        headers = self._default_headers if not wire.headers else {**self._default_headers, **wire.headers}
        return http.build_request(
            wire.method,
            self._base_url + wire.path,
            content=wire.content,
            headers=headers,
            params=wire.params,
            files=wire.files,
            timeout=self._timeout,
        )

    # -- reading ---------------------------------------------------------------------------------

    def _check_declared_length(self, response: httpx.Response) -> None:
        declared = response.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_response_bytes:
            raise ResponseTooLarge(b"")

    def _accumulate(self, chunks: list[bytes], size: int, chunk: bytes, deadline: float) -> int:
        size += len(chunk)
        if size > self._max_response_bytes:
            raise ResponseTooLarge(b"".join(chunks))
        if time.monotonic() > deadline:
            # Each read had data within the timeout, but the body as a whole is trickling in.
            raise httpx.ReadTimeout("response body took longer than the timeout to arrive")
        chunks.append(chunk)
        return size

    def _connection_failure(self, wire: WireRequest, exc: Exception) -> ConnectionFailure:
        sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.UnsupportedProtocol)
        detail = self._redact(str(exc)) or type(exc).__name__
        if isinstance(exc, httpx.TimeoutException):
            error: APIConnectionError = APITimeoutError(
                f"{wire.method} {wire.path}: no complete response within {self._timeout_seconds:g} s "
                f"({type(exc).__name__}: {detail})",
                method=wire.method,
                path=wire.path,
            )
        else:
            error = APIConnectionError(
                f"{wire.method} {wire.path}: {type(exc).__name__}: {detail}", method=wire.method, path=wire.path
            )
        return ConnectionFailure(error, request_sent=sent)

    # -- judging ---------------------------------------------------------------------------------

    def _outcome(self, operation: Operation[T], response: httpx.Response, body: bytes, *, truncated: bool) -> T:
        """The parsed result for a 2xx; otherwise raises the typed error (``APIError`` subclasses)."""
        status = response.status_code
        if 200 <= status <= 299:
            if truncated:
                raise APIResponseValidationError(
                    f"{operation.name}: the {status} response body is larger than {self._max_response_bytes} bytes",
                    status_code=status,
                    body=body,
                    response=materialize(response, body),
                )
            try:
                return operation.parse(response, body)
            except Exception as exc:  # noqa: BLE001 - any failure to read a 2xx body is the same typed error
                raise APIResponseValidationError(
                    self._redact(
                        f"{operation.name}: the server answered {status} but the body could not be read "
                        f"({type(exc).__name__}: {exc}); the request was most likely carried out"
                    )[:1000],
                    status_code=status,
                    body=body,
                    response=materialize(response, body),
                ) from None
        raise error_for_status(status, response.reason_phrase, body, materialize(response, body), redact=self._redact)

    def _retry_delay(self, operation: Operation[Any], error: Exception, attempt: int) -> float | None:
        """Seconds to wait before retrying after ``error``, or None to give up and raise it."""
        if attempt >= self._retry.max_retries:
            return None
        if isinstance(error, APIError):
            if not self._retry.should_retry_status(error.status_code, idempotent=operation.idempotent):
                return None
            return self._retry.delay(attempt, error.response.headers.get("retry-after"))
        if isinstance(error, ConnectionFailure):
            if error.request_sent and not operation.idempotent:
                return None
            return self._retry.delay(attempt)
        return None

    def _log_attempt(self, wire: WireRequest, outcome: str, attempt: int, started: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s (attempt %d/%d, %.1f ms)",
                wire.method,
                wire.path,
                outcome,
                attempt + 1,
                self._retry.max_retries + 1,
                (time.perf_counter() - started) * 1000,
            )

    def _log_retry(self, wire: WireRequest, error: Exception, attempt: int, delay: float) -> None:
        logger.info(
            "%s %s: %s; retrying in %.2f s (attempt %d/%d)",
            wire.method,
            wire.path,
            self._redact(str(error))[:200],
            delay,
            attempt + 2,
            self._retry.max_retries + 1,
        )


def describe_failure(error: Exception) -> str:
    if isinstance(error, APIError):
        return str(error.status_code)
    if isinstance(error, ConnectionFailure):
        return type(error.error).__name__
    return type(error).__name__


def parse_json_object(body: bytes) -> dict[str, Any]:
    document = json.loads(body)
    if not isinstance(document, dict):
        raise TypeError(f"expected a JSON object, got {type(document).__name__}")
    return document


def known_values(enum_type: Iterable[Any]) -> list[str]:
    return [str(member.value) for member in enum_type]
