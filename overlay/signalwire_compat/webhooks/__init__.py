"""Webhook signatures (``sw.webhooks``): check that a request came from SignalWire, and sign
requests the way SignalWire does (for your tests)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from .._exceptions import InvalidSignatureError
from .._stream_status import StreamStatusCallback, parse_stream_status
from ._check import check
from ._forms import pairs_from_iterable, pairs_from_mapping
from ._requests import from_request, signature_from_headers
from ._schemes import key_bytes, raw_bytes, scheme_a, scheme_b, sent_order
from ._types import (
    SIGNATURE_HEADER,
    SIGNATURE_HEADERS,
    TWILIO_SIGNATURE_HEADER,
    FormParams,
    HeadersLike,
    Verification,
    WebhookBody,
)

__all__ = [
    "SIGNATURE_HEADER",
    "SIGNATURE_HEADERS",
    "TWILIO_SIGNATURE_HEADER",
    "FormParams",
    "HeadersLike",
    "Verification",
    "WebhookBody",
    "parse_stream_status",
    "sign_form",
    "sign_json",
    "signature_from_headers",
    "stream_status_from_request",
    "validate",
    "validate_request",
    "verify",
    "verify_request",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _signing_key_only(right_call: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Refuse positional arguments after the signing key with a message showing ``right_call``.

    Python's own message ("takes 1 positional argument but 4 were given") does not say how to call
    it, and twilio's ``validate(url, params, signature)`` order makes that the likely slip.
    """

    def decorate(function: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(function)
        def checked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            if len(args) > 1:
                raise TypeError(
                    f"{function.__name__}() takes only the signing key positionally, the rest by keyword "
                    f"({len(args)} positional arguments given): call {right_call}"
                )
            return function(*args, **kwargs)

        return checked

    return decorate


# -- signing ---------------------------------------------------------------------------------------


@_signing_key_only("sign_form(signing_key, url=..., params=...)")
def sign_form(signing_key: str, *, url: str, params: FormParams | Iterable[tuple[str, str]]) -> str:
    """Scheme B: the base64 signature SignalWire sends with a form (compatibility) callback.

    ``params`` is a mapping (a value, or a sequence of values for a repeated name) or ``(name,
    value)`` pairs in the order they are sent; a repeated name keeps its values in that order. The
    URL is signed exactly as given (add or drop the port yourself to sign another variant). For
    tests: sign a request, then check your handler accepts it.
    """
    key = key_bytes(signing_key)
    pairs = pairs_from_mapping(params) if isinstance(params, Mapping) else pairs_from_iterable(params)
    return scheme_b(key, url, sent_order(pairs))


@_signing_key_only("sign_json(signing_key, url=..., body=...)")
def sign_json(signing_key: str, *, url: str, body: bytes | str) -> str:
    """Scheme A: the lower-case hex signature SignalWire sends with a JSON callback (url + raw body)."""
    key = key_bytes(signing_key)
    if not isinstance(body, bytes | bytearray | str):
        raise TypeError(f"body must be the raw body as bytes or str, not {type(body).__name__}")
    return scheme_a(key, url, raw_bytes(body))


# -- checking --------------------------------------------------------------------------------------


@_signing_key_only("validate(signing_key, signature=..., url=..., body=..., content_type=...)")
def validate(
    signing_key: str, *, signature: str | None, url: str, body: WebhookBody, content_type: str | None = None
) -> bool:
    """Whether ``signature`` is SignalWire's signature of this request (either scheme).

    - ``signature``: the ``X-SignalWire-Signature`` (or ``X-Twilio-Signature``) header value;
      ``None`` or empty is not valid.
    - ``url``: the full URL SignalWire requested, query included (behind a proxy, the public one).
      It is tried as given, without its port (any port), and, when it has none, with the scheme's
      default port (``:443`` / ``:80``): what was signed may differ from what arrived in just that.
    - ``body``: best raw (``bytes``), so both schemes and a ``bodySHA256`` in the URL can be
      checked. Parsed form parameters check scheme B only, and never pass a URL that carries
      ``bodySHA256`` (the hash needs the raw body).
    - ``content_type``: the request's ``Content-Type`` header. It decides whether a raw body is a
      form (``application/x-www-form-urlencoded``) whose parameters the signature must cover, or
      not (a URL-only signature then). Without it, a body is JSON only if it parses as JSON, and
      form data otherwise: pass it so that the check reads the body exactly as your framework does.

    Scheme A (JSON callbacks: RELAY, SWML) is lower-case hex HMAC-SHA1(key, url + raw body). Scheme B
    (compatibility/cXML form callbacks, as Twilio signs them) is base64 HMAC-SHA1(key, url + the
    decoded form parameters sorted by name, each as name then value; a repeated name's values in
    the order sent or sorted); a body that is not a form is signed over the URL alone, and with
    ``bodySHA256`` in the URL the SHA-256 of the raw body must match it and scheme B covers the URL
    alone. Comparisons are constant-time.

    Raises ``sw.ConfigurationError`` (a ``ValueError``) if ``signing_key`` is missing or empty, and
    ``TypeError`` for arguments of the wrong type; never for anything the request itself holds.
    """
    return check(signing_key, signature, url, body, content_type, explain_why=False).valid


@_signing_key_only("verify(signing_key, signature=..., url=..., body=..., content_type=...)")
def verify(
    signing_key: str, *, signature: str | None, url: str, body: WebhookBody, content_type: str | None = None
) -> Verification:
    """Like :func:`validate`, but raise ``sw.InvalidSignatureError`` when the signature is not valid,
    and say what a valid one covers.

    The error's message and ``reasons`` say which checks failed (scheme A, scheme B, how the body
    was read, the URL variants tried, ``bodySHA256``) and what to look at; they never hold the
    signing key or a signature computed from it.

    The result's ``body_covered`` is False when the signature is valid for the URL alone but the
    body holds data that is not a form (JSON, ``text/plain``): SignalWire signs such requests so,
    and the body is then unsigned. Check it before reading anything from the body.
    """
    checked = check(signing_key, signature, url, body, content_type, explain_why=True)
    if checked.verification is None:
        reasons = checked.reasons
        raise InvalidSignatureError("webhook signature is not valid: " + "; ".join(reasons), reasons=tuple(reasons))
    return checked.verification


@_signing_key_only("validate_request(signing_key, request=...)")
def validate_request(
    signing_key: str, *, request: object, url: str | None = None, body: bytes | str | None = None
) -> bool:
    """:func:`validate` for a web framework's request object, read by duck typing (no framework import).

    - signature: ``request.headers`` (see :func:`signature_from_headers`); the ``Content-Type``
      header too, to read the body as the framework does;
    - URL: ``url=`` if given (do this behind a proxy: the URL SignalWire requested), else Django's
      ``request.build_absolute_uri()``, else ``request.url`` (Flask/Werkzeug, Starlette);
    - body: ``body=`` if given, else ``request.get_data()`` (Flask/Werkzeug; falls back to
      ``request.form`` if the form was parsed first, which leaves no raw data), else ``request.body``
      (Django). Starlette/FastAPI read bodies asynchronously: pass ``body=await request.body()``.

    Raises ``TypeError`` if the object lacks what is needed (and ``url=``/``body=`` were not given).
    """
    parts = from_request(request, url, body)
    return check(signing_key, parts.signature, parts.url, parts.body, parts.content_type, explain_why=False).valid


@_signing_key_only("verify_request(signing_key, request=...)")
def verify_request(
    signing_key: str, *, request: object, url: str | None = None, body: bytes | str | None = None
) -> Verification:
    """:func:`verify` for a framework request object; reads it like :func:`validate_request`.

    Check the result's ``body_covered`` before reading anything from the body (see :func:`verify`).
    """
    parts = from_request(request, url, body)
    return verify(
        signing_key, signature=parts.signature, url=parts.url, body=parts.body, content_type=parts.content_type
    )


@_signing_key_only("stream_status_from_request(signing_key, request=...)")
def stream_status_from_request(
    signing_key: str, *, request: object, url: str | None = None, body: bytes | str | None = None
) -> StreamStatusCallback:
    """A stream status callback, checked (``sw.InvalidSignatureError`` if not signed) and parsed.

    ``request`` is read like :func:`verify_request` reads it (pass ``url=`` behind a proxy and
    ``body=await request.body()`` with Starlette). A GET callback (``statusCallbackMethod="GET"``)
    carries its parameters in the URL's query: they are read there. A body the signature does not
    cover (a URL-only signature on a JSON or ``text/plain`` body) is refused with
    ``sw.InvalidSignatureError``: its fields would be anyone's.
    """
    parts = from_request(request, url, body)
    verified = verify(
        signing_key, signature=parts.signature, url=parts.url, body=parts.body, content_type=parts.content_type
    )
    if not verified.body_covered:
        reason = (
            f"the signature covers {verified.covers}: the stream status fields in the body are not signed "
            "(a stream status callback is a form: application/x-www-form-urlencoded)"
        )
        raise InvalidSignatureError(f"webhook signature does not cover the body: {reason}", reasons=(reason,))
    return parse_stream_status(parts.body or urlsplit(parts.url).query)
