"""A fake SignalWire space for tests: a real HTTP server on 127.0.0.1 that speaks the streams API.

    from signalwire_compat.testing import FakeSpace

    with FakeSpace() as space:
        stream = space.add_call_stream()
        with space.client() as client:
            client.calls(stream.parent_sid).streams(stream.sid).stop()
        assert space.stream_status(stream.sid) == "stopped"
        assert space.requests[0].form == {"Status": ["stopped"]}

It starts streams (``POST …/Streams``) and stops them by sid or name, per account, with HTTP
Basic auth and form bodies, answering with the spec's documents (RFC 2822 ``date_updated``) and
401/404/422 like the API; stopping is idempotent. A stream created with a ``StatusCallback`` gets
signed status callbacks (``stream-started``, ``stream-stopped``) at that URL, loopback only. It
records every request and its answer, and injects faults on demand: a status N times (with
``Retry-After``), latency, a dropped connection, a non-JSON body. Only the standard library and
the SDK's own dependencies are used; threads and sockets are released when the ``with`` block ends.

``python -m signalwire_compat.testing [--port N]`` runs one in the foreground, for the CLI or code
in another language, and prints its settings as ``export SIGNALWIRE_…=`` lines.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import secrets
import select
import socket
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

import attrs

from ._callbacks import CallbackSender, Delivery
from ._validation import stream_name_problem

if TYPE_CHECKING:
    from ._async_client import AsyncClient
    from ._client import Client

__all__ = ["Delivery", "FakeSpace", "FakeStream", "RecordedRequest", "main"]

API_PATH = "/api/laml/2010-04-01"
_ROUTE = re.compile(
    rf"{re.escape(API_PATH)}/Accounts/(?P<account>[^/]+)/(?P<kind>Calls|Conferences)/(?P<parent>[^/]+)"
    r"/Streams(?:/(?P<stream>[^/]+?))?(?:\.json)?"
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PARAMETER = re.compile(r"Parameter([1-9][0-9]?)\.(Name|Value)")
_TRACKS = ("inbound_track", "outbound_track", "both_tracks")
_CODECS = ("PCMU", "PCMA", "L16", "L16@16000h", "L16@24000h")
_MAX_BODY = 64 * 1024
Kind = Literal["call", "conference"]


@attrs.frozen(repr=False)
class RecordedRequest:
    """One request the fake received, and what it answered (``status`` 0: connection dropped)."""

    method: str
    path: str
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    status: int
    response_body: bytes
    fault: str | None  # the injected fault that produced the answer, if any

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def __repr__(self) -> str:
        shown = {k: ("<redacted>" if k == "authorization" else v) for k, v in self.headers.items()}
        return f"RecordedRequest({self.method} {self.path} -> {self.status}, headers={shown}, body={self.body!r})"


@attrs.frozen
class FakeStream:
    """A stream the fake holds; ``parent_sid`` is its call or conference sid."""

    kind: Kind
    account_sid: str
    parent_sid: str
    sid: str


@attrs.define
class _State:
    name: str | None
    status: str
    date_updated: datetime
    url: str | None = None  # the WebSocket URL it was created with (None: added by add_*_stream)
    status_callback: str | None = None
    status_callback_method: str = "POST"
    parameters: tuple[tuple[str, str], ...] = ()
    settings: Mapping[str, str] = attrs.field(factory=dict)  # Track, StreamCodec, … as sent


@attrs.define
class _Fault:
    kind: Literal["status", "drop", "non_json"]
    remaining: int
    status: int = 503
    retry_after: str | None = None
    body: bytes | None = None


_ERROR_CODES = {400: 21100, 401: 20003, 404: 20404, 422: 21218, 429: 20429, 500: 20500, 503: 20503}


def _error_body(status: int, message: str) -> bytes:
    code = _ERROR_CODES.get(status, 20000 + status)
    document = {
        "code": code,
        "message": message,
        "more_info": f"https://developer.signalwire.com/compatibility-api/errors/{code}",
        "status": status,
    }
    return json.dumps(document).encode()


_KEPT_APART = frozenset({"Url", "Name", "StatusCallback", "StatusCallbackMethod"})


def _create_problem(kind: Kind, fields: Mapping[str, str], numbered: Mapping[int, Mapping[str, str]]) -> str | None:
    """Why the API would refuse these create fields (422), or None."""
    url = fields.get("Url")
    if url is None:
        return "Url is required"
    parts = urlsplit(url)
    if parts.scheme != "wss" or not parts.netloc:
        return f"Url must be an absolute wss:// URL, not {url!r}"
    if "Name" in fields and stream_name_problem(fields["Name"]) is not None:
        return f"Name {fields['Name']!r} is not a valid stream name"
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


class FakeSpace:
    """A local stand-in for a SignalWire space; see the module docstring."""

    def __init__(
        self,
        *,
        project_id: str | None = None,
        api_token: str | None = None,
        signing_key: str | None = None,
        port: int = 0,
    ) -> None:
        self.project_id = project_id or str(uuid.uuid4())
        self.api_token = api_token or "PT" + secrets.token_hex(20)
        self.signing_key = signing_key or "PSK_" + secrets.token_hex(16)  # signs status callbacks
        self.port = port  # 0: any free port (see ``url`` once started)
        self.latency = 0.0
        self.peak_in_flight = 0  # the most requests it was answering at once
        self._in_flight = 0
        self._lock = threading.Lock()
        self._streams: dict[tuple[str, Kind, str, str], _State] = {}
        self._faults: list[_Fault] = []
        self._requests: list[RecordedRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._expected_auth = self._basic(self.project_id, self.api_token)
        self._callbacks = CallbackSender(self.signing_key)

    def __repr__(self) -> str:
        return f"<FakeSpace url={self.url if self._server else None!r} project_id={self.project_id!r}>"

    @staticmethod
    def _basic(user: str, password: str) -> str:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeSpace:
        if self._server is not None:
            raise RuntimeError("this FakeSpace is already running")
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_until_stopped, name="FakeSpace", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.stop_serving()
        if self._thread is not None:
            self._thread.join(timeout=5)
        server.close_connections()
        server.server_close()  # joins the connection threads, which the closed sockets have released
        self._callbacks.close()

    def __enter__(self) -> FakeSpace:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The space URL to give a client (``http://127.0.0.1:PORT``)."""
        if self._server is None:
            raise RuntimeError("start the FakeSpace first (use it in a with block)")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def client(self, **options: Any) -> Client:
        """A ``Client`` bound to this space and its credentials; ``options`` go to ``Client``."""
        from ._client import Client

        return Client(self.project_id, self.api_token, self.url, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        from ._async_client import AsyncClient

        return AsyncClient(self.project_id, self.api_token, self.url, **options)

    # -- state ------------------------------------------------------------------------------------

    def add_call_stream(
        self,
        *,
        call_sid: str | None = None,
        sid: str | None = None,
        name: str | None = "stream",
        account_sid: str | None = None,
    ) -> FakeStream:
        """Add an in-progress stream on a call (ids are made up unless given)."""
        return self._add("call", call_sid, sid, name, account_sid)

    def add_conference_stream(
        self,
        *,
        conference_sid: str | None = None,
        sid: str | None = None,
        name: str | None = None,
        account_sid: str | None = None,
    ) -> FakeStream:
        """Add an in-progress stream on a conference (``name`` may be None, as the API allows)."""
        return self._add("conference", conference_sid, sid, name, account_sid)

    def _add(
        self, kind: Kind, parent: str | None, sid: str | None, name: str | None, account: str | None
    ) -> FakeStream:
        stream = FakeStream(
            kind=kind,
            account_sid=(account or self.project_id).lower(),
            parent_sid=(parent or str(uuid.uuid4())).lower(),
            sid=(sid or str(uuid.uuid4())).lower(),
        )
        with self._lock:
            self._streams[(stream.account_sid, kind, stream.parent_sid, stream.sid)] = _State(
                name=name, status="in-progress", date_updated=datetime.now(UTC)
            )
        return stream

    def stream_status(self, sid: str) -> str:
        """The current status of the stream with this sid."""
        with self._lock:
            for key, state in self._streams.items():
                if key[3] == sid.lower():
                    return state.status
        raise KeyError(sid)

    def streams(self) -> list[FakeStream]:
        """Every stream the space holds, added or created, in the order they appeared."""
        with self._lock:
            return [FakeStream(kind, account, parent, sid) for account, kind, parent, sid in self._streams]

    def stream_settings(self, sid: str) -> dict[str, Any]:
        """What a stream was created with: url, name, status_callback(_method), parameters, and the
        other fields as sent (``Track``, ``StreamCodec``, …)."""
        with self._lock:
            for key, state in self._streams.items():
                if key[3] == sid.lower():
                    return {
                        "url": state.url,
                        "name": state.name,
                        "status_callback": state.status_callback,
                        "status_callback_method": state.status_callback_method,
                        "parameters": dict(state.parameters),
                        **state.settings,
                    }
        raise KeyError(sid)

    @property
    def deliveries(self) -> list[Delivery]:
        """Every status callback made so far, with its outcome (``status``, ``error``)."""
        return self._callbacks.deliveries

    def wait_for_deliveries(self, count: int, *, timeout: float = 5.0) -> list[Delivery]:
        """The first ``count`` status callbacks, once made (they are sent in the background)."""
        return self._callbacks.wait(count, timeout)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- faults -----------------------------------------------------------------------------------

    def fail(
        self, status: int = 503, *, times: int = 1, retry_after: str | float | None = None, body: bytes | None = None
    ) -> None:
        """Answer the next ``times`` requests with ``status`` (an error document unless ``body``)."""
        self._queue(_Fault("status", times, status, None if retry_after is None else str(retry_after), body))

    def drop_connection(self, *, times: int = 1) -> None:
        """Close the connection without answering the next ``times`` requests."""
        self._queue(_Fault("drop", times))

    def send_non_json(self, *, times: int = 1, status: int = 200) -> None:
        """Answer the next ``times`` requests with an HTML body and ``status``."""
        self._queue(_Fault("non_json", times, status))

    def _queue(self, fault: _Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self) -> _Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            fault.remaining -= 1
            if fault.remaining == 0:
                self._faults.pop(0)
            return fault

    # -- the API ----------------------------------------------------------------------------------

    def _respond(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> _Answer:
        with self._lock:
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
        try:
            return self._answer(method, path, headers, body)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _answer(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> _Answer:
        if self.latency:
            time.sleep(self.latency)
        fault = self._take_fault()
        if fault is not None:
            return self._fault_answer(fault)
        match = _ROUTE.fullmatch(path)
        if match is None:
            return _Answer(404, _error_body(404, f"The requested resource {path} was not found"))
        if method != "POST":
            return _Answer(405, _error_body(405, f"Method {method} not allowed"), {"Allow": "POST"})
        if headers.get("authorization") != self._expected_auth:
            return _Answer(401, _error_body(401, "Authentication Error - invalid username or password"))
        kind: Kind = "call" if match["kind"] == "Calls" else "conference"
        account, parent = match["account"].lower(), match["parent"].lower()
        if account != self.project_id.lower():
            return _Answer(404, _error_body(404, f"Account {account} was not found"))
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if body and content_type != "application/x-www-form-urlencoded":
            return _Answer(400, _error_body(400, "Request body must be application/x-www-form-urlencoded"))
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
        except (UnicodeDecodeError, ValueError):
            return _Answer(400, _error_body(400, "Request body is not a valid form"))
        if match["stream"] is None:
            return self._create(kind, account, parent, pairs)
        return self._update(kind, account, parent, unquote(match["stream"]), pairs, path)

    def _invalid(self, kind: Kind, problem: str) -> _Answer:
        # Each operation's own 422 shape: the conference operations answer {"errors": [...]}.
        if kind == "conference":
            return _Answer(422, json.dumps({"errors": [problem]}).encode())
        return _Answer(422, _error_body(422, problem))

    def _find(self, account: str, kind: Kind, parent: str, stream: str) -> tuple[str, _State] | None:
        """A stream of this parent by sid, or by name (the newest, if names were reused)."""
        with self._lock:
            if _UUID.fullmatch(stream):
                state = self._streams.get((account, kind, parent, stream.lower()))
                return None if state is None else (stream.lower(), state)
            named = [
                (key[3], state)
                for key, state in self._streams.items()
                if key[:3] == (account, kind, parent) and state.name == stream
            ]
        return named[-1] if named else None

    def _update(
        self, kind: Kind, account: str, parent: str, stream: str, pairs: list[tuple[str, str]], path: str
    ) -> _Answer:
        found = self._find(account, kind, parent, stream)
        if found is None:
            return _Answer(404, _error_body(404, f"The requested resource {path} was not found"))
        sid, state = found
        status = [value for name, value in pairs if name == "Status"]
        if status != ["stopped"]:
            problem = "Status is required" if not status else f"Status must be 'stopped', not {status[0]!r}"
            return self._invalid(kind, problem)
        with self._lock:
            stopped_now = state.status != "stopped"
            if stopped_now:
                state.status = "stopped"
                state.date_updated = datetime.now(UTC)
            document = self._document(kind, account, parent, sid, state)
        if stopped_now:
            self._status_callback(kind, account, parent, sid, state, "stream-stopped")
        return _Answer(200, json.dumps(document).encode())

    def _create(self, kind: Kind, account: str, parent: str, pairs: list[tuple[str, str]]) -> _Answer:
        fields: dict[str, str] = {}
        numbered: dict[int, dict[str, str]] = {}
        for field, value in pairs:
            parameter = _PARAMETER.fullmatch(field)
            if parameter:
                numbered.setdefault(int(parameter[1]), {})[parameter[2]] = value
            else:
                fields[field] = value
        problem = _create_problem(kind, fields, numbered)
        if problem is not None:
            return self._invalid(kind, problem)
        name = fields.get("Name")
        sid = str(uuid.uuid4())
        with self._lock:
            if name is not None and any(
                key[:3] == (account, kind, parent) and running.name == name and running.status != "stopped"
                for key, running in self._streams.items()
            ):
                return self._invalid(kind, f"A stream named {name!r} is already running on this {kind}")
            state = _State(
                # The spec's CallStreamResponse requires a string name: an unnamed call stream
                # is named after its sid here. Conference streams may have none (null).
                name=name if name is not None else (sid if kind == "call" else None),
                status="in-progress",
                date_updated=datetime.now(UTC),
                url=fields["Url"],
                status_callback=fields.get("StatusCallback"),
                status_callback_method=fields.get("StatusCallbackMethod", "POST"),
                parameters=tuple((numbered[n]["Name"], numbered[n].get("Value", "")) for n in sorted(numbered)),
                settings={k: v for k, v in fields.items() if k not in _KEPT_APART},
            )
            self._streams[(account, kind, parent, sid)] = state
            document = self._document(kind, account, parent, sid, state)
        self._status_callback(kind, account, parent, sid, state, "stream-started")
        return _Answer(200, json.dumps(document).encode())

    def _status_callback(self, kind: Kind, account: str, parent: str, sid: str, state: _State, event: str) -> None:
        if not state.status_callback:
            return
        params = [
            ("AccountSid", account),
            ("CallSid" if kind == "call" else "ConferenceSid", parent),
            ("StreamSid", sid),
            ("StreamName", state.name or ""),
            ("StreamEvent", event),
            ("Timestamp", format_datetime(datetime.now(UTC).replace(microsecond=0), usegmt=True)),
        ]
        self._callbacks.send(state.status_callback, state.status_callback_method, params)

    @staticmethod
    def _document(kind: Kind, account: str, parent: str, sid: str, state: _State) -> dict[str, Any]:
        segment = "Calls" if kind == "call" else "Conferences"
        parent_key = "call_sid" if kind == "call" else "conference_sid"
        return {
            "sid": sid,
            "account_sid": account,
            parent_key: parent,
            "name": state.name,
            "status": state.status,
            "date_updated": format_datetime(state.date_updated.replace(microsecond=0), usegmt=True),
            "uri": f"{API_PATH}/Accounts/{account}/{segment}/{parent}/Streams/{sid}.json",
        }

    @staticmethod
    def _fault_answer(fault: _Fault) -> _Answer:
        if fault.kind == "drop":
            return _Answer(0, b"", fault="drop")
        if fault.kind == "non_json":
            html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            return _Answer(fault.status, html, {"Content-Type": "text/html"}, fault="non_json")
        headers = {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
        body = fault.body if fault.body is not None else _error_body(fault.status, "Injected fault")
        return _Answer(fault.status, body, headers, fault=f"status {fault.status}")

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)


@attrs.frozen
class _Answer:
    status: int
    body: bytes
    headers: Mapping[str, str] = attrs.field(factory=dict)
    fault: str | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSignalWire/1.0"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection is closed after this many seconds
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the fake records requests instead of printing them

    def _serve(self) -> None:
        length_header = self.headers.get("Content-Length", "0")
        try:
            length = int(length_header)
        except ValueError:
            length = -1
        if not 0 <= length <= _MAX_BODY:
            self.send_error(400 if length < 0 else 413)
            return
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        space = self.server.space
        answer = space._respond(self.command, self.path, headers, body)
        space._record(RecordedRequest(self.command, self.path, headers, body, answer.status, answer.body, answer.fault))
        if answer.status == 0:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(answer.status)
        content_type = answer.headers.get("Content-Type", "application/json")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            if name != "Content-Type":
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    # Every method is answered like the API would (405 on a stream path), not with http.server's 501.
    do_POST = _serve
    do_GET = _serve
    do_PUT = _serve
    do_DELETE = _serve
    do_PATCH = _serve
    do_OPTIONS = _serve
    do_TRACE = _serve
    do_QUERY = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    request_queue_size = 128
    allow_reuse_address: ClassVar[bool] = True  # type: ignore[misc]

    def __init__(self, space: FakeSpace) -> None:
        self.space = space
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        # serve_forever() notices shutdown() only at its next poll; a wake-up socket ends it at once.
        self._wake_reader, self._wake_writer = socket.socketpair()
        super().__init__(("127.0.0.1", space.port), _Handler)

    def serve_until_stopped(self) -> None:
        while True:
            readable, _, _ = select.select([self.socket, self._wake_reader], [], [])
            if self._wake_reader in readable:
                return
            self.handle_request()  # the listening socket is readable: accepts without waiting

    def stop_serving(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def track(self, connection: socket.socket, *, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m signalwire_compat.testing``: a FakeSpace in the foreground until Ctrl-C or SIGTERM."""
    import argparse
    import signal
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m signalwire_compat.testing",
        description="Run a fake SignalWire space on 127.0.0.1 until Ctrl-C or SIGTERM. It prints its settings "
        "as shell 'export' lines (eval them, or copy them) for the signalwire-compat CLI or any other client.",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--call-streams", type=int, default=0, metavar="N", help="add N in-progress call streams")
    parser.add_argument(
        "--conference-streams", type=int, default=0, metavar="N", help="add N in-progress conference streams"
    )
    args = parser.parse_args(argv)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        with FakeSpace(port=args.port) as space:
            print(f"export SIGNALWIRE_SPACE_URL={space.url}")
            print(f"export SIGNALWIRE_PROJECT_ID={space.project_id}")
            print(f"export SIGNALWIRE_API_TOKEN={space.api_token}")
            print(f"export SIGNALWIRE_SIGNING_KEY={space.signing_key}")
            for _ in range(args.call_streams):
                stream = space.add_call_stream()
                print(f"# call {stream.parent_sid} {stream.sid}")
            for _ in range(args.conference_streams):
                stream = space.add_conference_stream()
                print(f"# conference {stream.parent_sid} {stream.sid}")
            print("# serving until Ctrl-C or SIGTERM", flush=True)
            while not stopping.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # e.g. the port is taken
        print(f"error: cannot serve on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    print("FakeSpace stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
