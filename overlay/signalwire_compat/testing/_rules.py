"""The API's rules as FakeSpace plays them, as pure functions: routes, checks, documents and error answers."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from email.utils import format_datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

import attrs

from .._validation import is_loopback_url, stream_name_problem
from ._records import FakeStream, Fault, Kind, StreamState

__all__ = [
    "API_PATH",
    "CALLS_ROUTE",
    "KEPT_APART",
    "PARAMETER",
    "ROUTE",
    "UUID",
    "Answer",
    "CallRequest",
    "StreamRequest",
    "create_problem",
    "error_body",
    "fault_answer",
    "invalid",
    "read_request",
    "rfc2822",
    "stream_document",
]

API_PATH = "/api/laml/2010-04-01"
ROUTE = re.compile(
    rf"{re.escape(API_PATH)}/Accounts/(?P<account>[^/]+)/(?P<kind>Calls|Conferences)/(?P<parent>[^/]+)"
    r"/Streams(?:/(?P<stream>[^/]+?))?(?:\.json)?"
)
CALLS_ROUTE = re.compile(rf"{re.escape(API_PATH)}/Accounts/(?P<account>[^/]+)/Calls(?:/(?P<call>[^/]+?))?(?:\.json)?")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
PARAMETER = re.compile(r"Parameter([1-9][0-9]?)\.(Name|Value)")
_TRACKS = ("inbound_track", "outbound_track", "both_tracks")
_CODECS = ("PCMU", "PCMA", "L16", "L16@16000h", "L16@24000h")


@attrs.frozen
class Answer:
    """What the fake answers: ``status`` 0 closes the connection without an answer."""

    status: int
    body: bytes
    headers: Mapping[str, str] = attrs.field(factory=dict)
    fault: str | None = None


_ERROR_CODES = {400: 21100, 401: 20003, 404: 20404, 422: 21218, 429: 20429, 500: 20500, 503: 20503}


def error_body(status: int, message: str, *, code: int | None = None) -> bytes:
    code = code if code is not None else _ERROR_CODES.get(status, 20000 + status)
    document = {
        "code": code,
        "message": message,
        "more_info": f"https://developer.signalwire.com/compatibility-api/errors/{code}",
        "status": status,
    }
    return json.dumps(document).encode()


KEPT_APART = frozenset({"Url", "Name", "StatusCallback", "StatusCallbackMethod"})


def create_problem(kind: Kind, fields: Mapping[str, str], numbered: Mapping[int, Mapping[str, str]]) -> str | None:
    """Why the API would refuse these create fields (422), or None."""
    url = fields.get("Url")
    if url is None:
        return "Url is required"
    parts = urlsplit(url)
    # ws:// only to a loopback app: this fake is itself on loopback (the real API takes wss:// only).
    local_ws = parts.scheme == "ws" and is_loopback_url(url)
    if (parts.scheme != "wss" and not local_ws) or not parts.netloc:
        return f"Url must be an absolute wss:// URL (ws:// to a loopback host), not {url!r}"
    if "Name" in fields and (problem := stream_name_problem(fields["Name"])) is not None:
        return f"Name {fields['Name']!r} is not a valid stream name: it {problem}"
    if fields.get("Track", "both_tracks") not in _TRACKS:
        return f"Track must be one of {', '.join(_TRACKS)}"
    if fields.get("StatusCallbackMethod", "POST") not in ("GET", "POST"):
        return "StatusCallbackMethod must be GET or POST"
    callback = fields.get("StatusCallback")
    if callback is not None and urlsplit(callback).scheme not in ("http", "https"):
        return f"StatusCallback must be an absolute http(s) URL, not {callback!r}"
    if kind == "conference":
        if fields.get("StreamCodec", "PCMU") not in _CODECS:
            return f"StreamCodec must be one of {', '.join(_CODECS)}"
        if fields.get("StreamRealTime", "false") not in ("true", "false"):
            return "StreamRealTime must be true or false"
    for number, parameter in sorted(numbered.items()):
        if not parameter.get("Name"):
            return f"Parameter{number}.Name is required"
    return None


def invalid(kind: Kind, problem: str) -> Answer:
    # Each operation's own 422 shape: the conference operations answer {"errors": [...]}.
    if kind == "conference":
        return Answer(422, json.dumps({"errors": [problem]}).encode())
    return Answer(422, error_body(422, problem))


def rfc2822(moment: datetime) -> str:
    """``moment`` in RFC 2822 GMT format, to the second, as the API writes its dates."""
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


def stream_document(stream: FakeStream, state: StreamState) -> dict[str, Any]:
    segment = "Calls" if stream.kind == "call" else "Conferences"
    parent_key = "call_sid" if stream.kind == "call" else "conference_sid"
    account, parent, sid = stream.account_sid, stream.parent_sid, stream.sid
    return {
        "sid": sid,
        "account_sid": account,
        parent_key: parent,
        "name": state.name,
        "status": state.status,
        "date_updated": rfc2822(state.date_updated),
        "uri": f"{API_PATH}/Accounts/{account}/{segment}/{parent}/Streams/{sid}.json",
    }


def fault_answer(fault: Fault) -> Answer:
    if fault.kind == "drop":
        return Answer(0, b"", fault="drop")
    if fault.kind == "non_json":
        html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        return Answer(fault.status, html, {"Content-Type": "text/html"}, fault="non_json")
    headers = {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
    body = fault.body if fault.body is not None else error_body(fault.status, "Injected fault")
    return Answer(fault.status, body, headers, fault=f"status {fault.status}")


class CallRequest(NamedTuple):
    """A Calls request the API accepts for reading: the call (None: the collection, a create) and its form."""

    method: str
    account: str
    call: str | None
    pairs: list[tuple[str, str]]

    def fields(self) -> dict[str, str]:
        """The form's fields (the last value of a repeated one)."""
        return dict(self.pairs)

    def values(self, name: str) -> list[str]:
        return [value for field, value in self.pairs if field == name]


class StreamRequest(NamedTuple):
    """A request the API accepts for reading: which stream (None: a create) of which parent, and its form."""

    kind: Kind
    account: str
    parent: str
    stream: str | None
    pairs: list[tuple[str, str]]


def read_request(
    method: str, path: str, headers: Mapping[str, str], body: bytes, *, auth: str, account: str
) -> StreamRequest | CallRequest | Answer:
    """The stream or call request in ``method path``, or the API's refusal: 404 (route, account), 405, 401,
    400 (body).

    ``headers`` are lower-cased; ``auth`` is the ``Authorization`` value the space expects for ``account``.
    """
    match = ROUTE.fullmatch(path)
    calls = CALLS_ROUTE.fullmatch(path) if match is None else None
    if match is None and calls is None:
        return Answer(404, error_body(404, f"The requested resource {path} was not found"))
    allowed = "GET, POST" if calls is not None and calls["call"] is not None else "POST"
    if method not in allowed.split(", "):
        return Answer(405, error_body(405, f"Method {method} not allowed"), {"Allow": allowed})
    if headers.get("authorization") != auth:
        return Answer(401, error_body(401, "Authentication Error - invalid username or password"))
    route = match or calls
    assert route is not None
    requested = route["account"].lower()
    if requested != account.lower():
        if calls is not None and calls["call"] is None:  # the create documents no 404
            return Answer(401, error_body(401, f"Authentication Error - the credentials are not account {requested}'s"))
        return Answer(404, error_body(404, f"Account {requested} was not found"))
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if body and content_type != "application/x-www-form-urlencoded":
        return Answer(400, error_body(400, "Request body must be application/x-www-form-urlencoded"))
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        return Answer(400, error_body(400, "Request body is not a valid form"))
    if calls is not None:
        call = calls["call"]
        return CallRequest(method, requested, None if call is None else unquote(call).lower(), pairs)
    assert match is not None
    kind: Kind = "call" if match["kind"] == "Calls" else "conference"
    stream, parent = match["stream"], match["parent"].lower()
    return StreamRequest(kind, requested, parent, None if stream is None else unquote(stream), pairs)
