"""Reading a web framework's request object (Flask/Werkzeug, Django, Starlette) by duck typing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from ._types import SIGNATURE_HEADERS, HeadersLike, WebhookBody


class RequestParts(NamedTuple):
    """What a check needs from a request."""

    signature: str | None
    url: str
    body: WebhookBody
    content_type: str | None


def signature_from_headers(headers: Mapping[str, str] | HeadersLike) -> str | None:
    """The signature from request headers: ``X-SignalWire-Signature``, else ``X-Twilio-Signature``.

    Names match case-insensitively; an empty header counts as absent. ``None`` when neither is set.
    """
    found = _headers_named(headers, [name.lower() for name in SIGNATURE_HEADERS])
    return next((found[name] for name in (name.lower() for name in SIGNATURE_HEADERS) if name in found), None)


def from_request(request: object, url: str | None, body: bytes | str | None) -> RequestParts:
    headers = getattr(request, "headers", None)
    if headers is None or not callable(getattr(headers, "items", None)):
        raise TypeError(f"{type(request).__name__} has no .headers mapping: is it a request object?")
    content_type = _headers_named(headers, ["content-type"]).get("content-type")
    return RequestParts(
        signature_from_headers(headers),
        _request_url(request) if url is None else url,
        _request_body(request) if body is None else body,
        content_type,
    )


def _headers_named(headers: Mapping[str, str] | HeadersLike, lowered: list[str]) -> dict[str, str]:
    """The first non-blank value of each wanted header (names lower-cased), stripped."""
    found: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower() if isinstance(name, str) else ""
        if key in lowered and key not in found and isinstance(value, str) and value.strip():
            found[key] = value.strip()
    return found


def _request_url(request: object) -> str:
    build_absolute_uri = getattr(request, "build_absolute_uri", None)  # Django
    if callable(build_absolute_uri):
        return str(build_absolute_uri())
    found = getattr(request, "url", None)  # Werkzeug: str; Starlette: a URL object
    if found is None or callable(found):
        raise TypeError(f"cannot find the URL of a {type(request).__name__}: pass url=")
    return str(found)


def _request_body(request: object) -> WebhookBody:
    get_data = getattr(request, "get_data", None)  # Werkzeug / Flask
    if callable(get_data):
        data = get_data()
        if not data:
            # Werkzeug keeps no raw data once it has parsed the form; fall back to the parsed form.
            form = getattr(request, "form", None)
            if isinstance(form, Mapping) and form:
                return form
        return data if isinstance(data, bytes | str) else b""
    found = getattr(request, "body", None)  # Django: bytes; Starlette: an async method
    if isinstance(found, bytes | bytearray | str):
        return bytes(found) if isinstance(found, bytearray) else found
    if callable(found):
        raise TypeError(f"{type(request).__name__} reads its body asynchronously: pass body=await request.body()")
    raise TypeError(f"cannot find the raw body of a {type(request).__name__}: pass body=")
