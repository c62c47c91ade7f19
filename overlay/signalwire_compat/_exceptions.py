"""The errors the SDK raises. Every one is a ``SignalWireError``; whatever a call to the API ends in is an ``APIError``.

``APIError`` is the root of what a request can end in: ``APIStatusError`` (a non-2xx answer, with a
subclass per status), ``APIConnectionError`` (no complete answer; ``APITimeoutError`` under it) and
``APIResponseValidationError`` (a 2xx the SDK could not read). Configuration, a closed client and
webhook or document checks are ``SignalWireError``s outside it: no request was made.

Messages are built from the status line and the documented error fields only, never from raw
bodies (an HTML error page stays in ``.body``), and are passed through the client's redaction so
a server that echoes credentials cannot put them into exception text. Errors carry no chained
transport exception and their ``response`` is a detached copy without the request's headers, so
neither a traceback nor a pickle holds the ``Authorization`` value.

Every error pickles (for ``ProcessPoolExecutor`` and friends) with its class, message and attributes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CXMLError",
    "ClientClosedError",
    "ConfigurationError",
    "InternalServerError",
    "InvalidSignatureError",
    "MediaProtocolError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServiceUnavailableError",
    "SignalWireError",
    "UnprocessableEntityError",
]

Redactor = Callable[[str], str]


class SignalWireError(Exception):
    """Base class of every error raised by signalwire_compat."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The default reduce calls cls(*args), which keyword-only constructors refuse.
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(cls: type[SignalWireError], args: tuple[Any, ...], state: dict[str, Any]) -> SignalWireError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ClientClosedError(SignalWireError, RuntimeError):
    """The client (or the ``http_client`` it was given) was closed; create a new one."""


class ConfigurationError(SignalWireError, ValueError):
    """Missing or unusable configuration (credentials, space URL); raised before any request.

    ``missing_settings`` names every setting (``"project_id"``, ``"api_token"``, ``"space_url"``) given
    no value at all, so a caller such as the CLI can say how to give them in its own terms; ``missing``
    is the first of them (None when none is missing).
    """

    def __init__(self, message: str, *, missing: str | None = None, missing_settings: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing
        self.missing_settings = missing_settings or ((missing,) if missing else ())


class CXMLError(SignalWireError, ValueError):
    """A cXML document or element breaks a documented rule (``signalwire_compat.cxml``).

    The message names the element and attribute, and the line when a document was parsed; it never
    holds an ``authBearerToken`` value. ``element``, ``attribute`` and ``line`` are None when unknown.
    """

    def __init__(
        self, message: str, *, element: str | None = None, attribute: str | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.element = element
        self.attribute = attribute
        self.line = line


class MediaProtocolError(SignalWireError, ValueError):
    """A media WebSocket message is malformed or lacks a required field (``signalwire_compat.media``)."""


class InvalidSignatureError(SignalWireError):
    """A webhook did not carry a valid SignalWire signature (raised by ``webhooks.verify``).

    ``reasons`` lists the checks that failed, in words; neither it nor the message ever holds the
    signing key or a signature the SDK computed.
    """

    def __init__(self, message: str, *, reasons: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = reasons


class APIError(SignalWireError):
    """A call to the API failed: it answered with an error, gave no complete answer, or an unreadable one.

    ``message`` is the error's text. Catch this to handle every way a request can fail; catch a
    subclass to tell them apart (``APIStatusError`` and its per-status classes, ``APIConnectionError``,
    ``APIResponseValidationError``).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class APIConnectionError(APIError):
    """The request did not get a complete HTTP response: refused, reset, closed early, protocol error.

    ``request_sent`` is False when the failure came before any of the request left (the connection
    could not be made), so the API cannot have acted on it; True when it may have.
    """

    def __init__(self, message: str, *, method: str, path: str, request_sent: bool = True) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """No complete response within the timeout."""


class APIResponseValidationError(APIError):
    """A success (2xx) response the SDK could not read (not JSON, not an object, a required key missing).

    The server accepted the request: for a stop, the stream is most likely stopped already.
    """

    def __init__(self, message: str, *, status_code: int, body: bytes, response: httpx.Response) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.response = response


class APIStatusError(APIError):
    """The API answered with a non-success status (a subclass per documented status).

    ``code``, ``message`` and ``more_info`` come from a ``CompatibilityErrorResponse`` body, ``errors``
    from a ``CompatibilityErrorStringArrayResponse`` body (``{"errors": [...]}``); for an HTML or
    empty body they are empty and ``message`` is the HTTP reason phrase. ``body`` holds the bytes.
    ``retry_after`` is the wait a ``Retry-After`` header asked for, in seconds; on a
    ``RateLimitError`` raised because it exceeded ``max_retry_wait``, it says when to try again.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: int | str | None,
        more_info: str | None,
        errors: list[str],
        body: bytes,
        response: httpx.Response,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.more_info = more_info
        self.errors = errors
        self.body = body
        self.response = response
        self.retry_after = retry_after  # seconds the server asked to wait (Retry-After), if it did
        self.message = message
        SignalWireError.__init__(self, self._describe())  # str(error) describes it all; .message is the API's own

    def _describe(self) -> str:
        text = f"{self.status_code} {self.message}"
        if self.errors:
            text += ": " + "; ".join(self.errors)
        details = []
        if self.code is not None:
            details.append(f"code {self.code}")
        if self.more_info:
            details.append(f"see {self.more_info}")
        if details:
            text += f" ({', '.join(details)})"
        return text


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the project id / API token pair was refused."""


class PermissionDeniedError(APIStatusError):
    """403: the token lacks a scope (stopping streams needs _Voice_)."""


class NotFoundError(APIStatusError):
    """404: no such account, call, conference or stream."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but its values were refused."""


class RateLimitError(APIStatusError):
    """429: retried automatically; raised once retries are used up."""


class InternalServerError(APIStatusError):
    """5xx: retried automatically; raised once retries are used up."""


class ServiceUnavailableError(InternalServerError):
    """503: retried automatically; raised once retries are used up."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}

_MAX_FIELD_CHARS = 500


def _text_field(value: Any, redact: Redactor) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return redact(str(value))[:_MAX_FIELD_CHARS]


def error_for_status(
    status_code: int,
    reason: str,
    body: bytes,
    response: httpx.Response,
    *,
    redact: Redactor,
    retry_after: float | None = None,
) -> APIStatusError:
    """Build the typed error for a non-2xx response, whatever its body holds."""
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        cls = InternalServerError if 500 <= status_code <= 599 else APIStatusError
    message = reason or "HTTP error"
    code: int | str | None = None
    more_info: str | None = None
    errors: list[str] = []
    try:
        document = json.loads(body) if body else None
    except (ValueError, RecursionError):  # HTML, text, invalid UTF-8, nested too deep: the body stays in .body
        document = None
    if isinstance(document, dict):
        message = _text_field(document.get("message"), redact) or message
        raw_code = document.get("code")
        if isinstance(raw_code, int | str) and not isinstance(raw_code, bool):
            code = raw_code if isinstance(raw_code, int) else redact(raw_code)[:_MAX_FIELD_CHARS]
        more_info = _text_field(document.get("more_info"), redact)
        raw_errors = document.get("errors")
        if isinstance(raw_errors, list):
            errors = [text for item in raw_errors[:50] if (text := _text_field(item, redact))]
    return cls(
        redact(message),
        status_code=status_code,
        code=code,
        more_info=more_info,
        errors=errors,
        body=body,
        response=response,
        retry_after=retry_after,
    )
