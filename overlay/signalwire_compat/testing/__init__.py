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

It also plays SignalWire's part of a stream whose URL is a loopback address: a real WebSocket
(``_media_stream``), paced by its clock (``speed=`` or ``clock=ManualClock()``), and incoming calls
that carry out an app's cXML (``incoming_call``); see ``_media_space``.

Tests need no port at all with ``space.transport()`` / ``space.client(in_process=True)`` (``_inprocess``)
and ``callback_app=`` (a WSGI or ASGI app receiving the callbacks and voice webhooks in-process, ``_apps``).

``python -m signalwire_compat.testing [--port N]`` runs one in the foreground, for the CLI or code
in another language, and prints its settings as ``export SIGNALWIRE_…=`` lines.
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, Literal

from ._apps import AppRoute
from ._audio import AudioSource, Tone, byte_order
from ._callbacks import CallbackSender, Delivery
from ._calls import FakeCall
from ._canned import Overrides, canned
from ._clock import Clock, ManualClock, RealClock
from ._inprocess import InProcessSpace
from ._media_space import MediaSpace
from ._media_stream import MediaStream
from ._records import FakeStream, Fault, Kind, RecordedRequest, StreamState
from ._rules import (
    KEPT_APART,
    PARAMETER,
    Answer,
    create_problem,
    error_body,
    fault_answer,
    find_stream,
    invalid,
    read_request,
    stream_document,
)
from ._server import Server

__all__ = [
    "Clock",
    "Delivery",
    "FakeCall",
    "FakeSpace",
    "FakeStream",
    "ManualClock",
    "MediaStream",
    "RealClock",
    "RecordedRequest",
    "Tone",
]


class FakeSpace(MediaSpace, InProcessSpace):
    """A local stand-in for a SignalWire space; see the module docstring."""

    def __init__(
        self,
        *,
        project_id: str | None = None,
        api_token: str | None = None,
        signing_key: str | None = None,
        port: int = 0,
        speed: float = 1.0,
        clock: Clock | None = None,
        audio: AudioSource = Tone(),  # noqa: B008 - frozen, so one shared default is safe
        ssl_context: ssl.SSLContext | None = None,
        listen: bool = True,
        callback_app: Callable[..., Any] | None = None,
        callback_app_url: str | None = None,
        l16_byteorder: Literal["little", "big"] = "little",  # L16 audio as SignalWire sends it, or RFC 3551's
    ) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be from 0 (any free port) to 65535, got {port!r}")
        self.project_id = project_id or str(uuid.uuid4())
        self.api_token = api_token or "PT" + secrets.token_hex(20)
        self.signing_key = signing_key or "PSK_" + secrets.token_hex(16)  # signs status callbacks
        self.port = port  # 0: any free port (see ``url`` once started)
        self.latency = 0.0
        self.peak_in_flight = 0  # the most requests it was answering at once
        self._flying = 0
        self._listening, self._running = listen, False  # listen=False: no socket, in-process only
        self._lock = threading.Lock()
        self._streams: dict[tuple[str, Kind, str, str], StreamState] = {}
        self._overrides = Overrides()  # faults and canned answers, served before the API's own
        self._requests: list[RecordedRequest] = []
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._expected_auth = self._basic(self.project_id, self.api_token)
        # callback_app: callbacks and voice webhooks to URLs under callback_app_url (None: all) go to the app.
        self._app_route = None if callback_app is None else AppRoute(callback_app, callback_app_url)
        self._callbacks = CallbackSender(self.signing_key, self._app_route)
        self.l16_byteorder = byte_order(l16_byteorder)
        self._init_media(speed=speed, clock=clock, audio=audio, ssl_context=ssl_context)

    def __repr__(self) -> str:
        return f"<FakeSpace url={self.url if self._running else None!r} project_id={self.project_id!r}>"

    @staticmethod
    def _basic(user: str, password: str) -> str:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeSpace:
        if self._running:
            raise RuntimeError("this FakeSpace is already running")
        if self._listening:
            self._server = Server(self)
            self._thread = threading.Thread(target=self._server.serve_until_stopped, name="FakeSpace", daemon=True)
            self._thread.start()
        self._running = True
        return self

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        server, self._server = self._server, None
        if server is not None:
            server.stop_serving()
            if self._thread is not None:
                self._thread.join(timeout=5)
            server.close_connections()
            server.server_close()  # joins the connection threads, which the closed sockets have released
        self._stop_media()  # calls hung up, WebSockets sent `stop` and closed, the media thread joined
        self._callbacks.close()
        if self._app_route is not None:
            self._app_route.close()

    def __enter__(self) -> FakeSpace:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

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
            self._streams[(stream.account_sid, kind, stream.parent_sid, stream.sid)] = StreamState(
                name=name, status="in-progress", date_updated=datetime.now(UTC)
            )
        return stream

    def stream_status(self, sid: str | uuid.UUID) -> str:
        """The current status of the stream with this sid (a ``str`` or ``uuid.UUID``)."""
        wanted = str(sid).lower()
        with self._lock:
            for key, state in self._streams.items():
                if key[3] == wanted:
                    return state.status
        raise KeyError(sid)

    def streams(self) -> list[FakeStream]:
        """Every stream the space holds, added or created, in the order they appeared."""
        with self._lock:
            return [FakeStream(kind, account, parent, sid) for account, kind, parent, sid in self._streams]

    def stream_settings(self, sid: str | uuid.UUID) -> dict[str, Any]:
        """What a stream was created with: url, name, status_callback(_method), parameters, and the
        other fields as sent (``Track``, ``StreamCodec``, …)."""
        wanted = str(sid).lower()
        with self._lock:
            for key, state in self._streams.items():
                if key[3] == wanted:
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
        self,
        status: int = 503,
        *,
        times: int = 1,
        retry_after: str | float | None = None,
        body: bytes | str | None = None,
    ) -> None:
        """Answer the next ``times`` requests with ``status`` (an error document unless ``body``; a ``str``
        is sent UTF-8 encoded)."""
        if isinstance(body, str):
            body = body.encode()
        elif body is not None and not isinstance(body, bytes):
            raise TypeError(f"body must be bytes, str or None, not {type(body).__name__}")
        self._queue(Fault("status", times, status, None if retry_after is None else str(retry_after), body))

    def respond(
        self, operation: str | ModuleType, *, status: int = 200, json: Any = None, times: int | None = None
    ) -> None:
        """Answer requests of any generated operation (its name, e.g. ``"retrieve_a_call"``, or module)
        with ``status`` and the JSON document ``json``, after the usual auth check; every such request,
        or the next ``times``. The document is checked first with the generated model's ``from_dict``
        (``ValueError`` if it does not fit). A later ``respond`` for the same operation goes first."""
        self._overrides.add_canned(canned(operation, status, json, times))

    def drop_connection(self, *, times: int = 1) -> None:
        """Close the connection without answering the next ``times`` requests."""
        self._queue(Fault("drop", times))

    def send_non_json(self, *, times: int = 1, status: int = 200) -> None:
        """Answer the next ``times`` requests with an HTML body and ``status``."""
        self._queue(Fault("non_json", times, status))

    def _queue(self, fault: Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("times must be >= 1")
        self._overrides.add_fault(fault)

    # -- the API ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _in_flight(self) -> Iterator[None]:
        """Counts the request as being answered (``peak_in_flight``) for the block's length."""
        with self._lock:
            self._flying += 1
            self.peak_in_flight = max(self.peak_in_flight, self._flying)
        try:
            yield
        finally:
            with self._lock:
                self._flying -= 1

    def _respond(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """The socket server's entry: the latency (the in-process transports wait their own way), then the answer."""
        with self._in_flight():
            if self.latency:
                time.sleep(self.latency)
            return self._answer(method, path, headers, body)

    def _answer(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        fault = self._overrides.take_fault()
        if fault is not None:
            return fault_answer(fault)
        answer = self._overrides.take_canned(method, path)
        if answer is not None:
            if headers.get("authorization") != self._expected_auth:
                return Answer(401, error_body(401, "Authentication Error - invalid username or password"))
            return Answer(answer.status, answer.body, {"Content-Type": "application/json"})
        request = read_request(method, path, headers, body, auth=self._expected_auth, account=self.project_id)
        if isinstance(request, Answer):
            return request
        if request.stream is None:
            return self._create(request.kind, request.account, request.parent, request.pairs)
        return self._update(request.kind, request.account, request.parent, request.stream, request.pairs, path)

    def _find(self, account: str, kind: Kind, parent: str, stream: str) -> tuple[str, StreamState] | None:
        with self._lock:
            return find_stream(self._streams, (account, kind, parent), stream)

    def _update(
        self, kind: Kind, account: str, parent: str, stream: str, pairs: list[tuple[str, str]], path: str
    ) -> Answer:
        found = self._find(account, kind, parent, stream)
        if found is None:
            return Answer(404, error_body(404, f"The requested resource {path} was not found"))
        sid, state = found
        status = [value for name, value in pairs if name == "Status"]
        if status != ["stopped"]:
            problem = "Status is required" if not status else f"Status must be 'stopped', not {status[0]!r}"
            return invalid(kind, problem)
        with self._lock:
            stopped_now = state.status != "stopped"
            if stopped_now:
                state.status = "stopped"
                state.date_updated = datetime.now(UTC)
            document = stream_document(kind, account, parent, sid, state)
        if stopped_now:
            self._stream_closed((account, kind, parent, sid), state)
        return Answer(200, json.dumps(document).encode())

    def _create(self, kind: Kind, account: str, parent: str, pairs: list[tuple[str, str]]) -> Answer:
        fields: dict[str, str] = {}
        numbered: dict[int, dict[str, str]] = {}
        for field, value in pairs:
            parameter = PARAMETER.fullmatch(field)
            if parameter:
                numbered.setdefault(int(parameter[1]), {})[parameter[2]] = value
            else:
                fields[field] = value
        problem = create_problem(kind, fields, numbered)
        if problem is not None:
            return invalid(kind, problem)
        name = fields.get("Name")
        sid = str(uuid.uuid4())
        with self._lock:
            if name is not None and any(
                key[:3] == (account, kind, parent) and running.name == name and running.status != "stopped"
                for key, running in self._streams.items()
            ):
                return invalid(kind, f"A stream named {name!r} is already running on this {kind}")
            state = StreamState(
                # The spec's CallStreamResponse requires a string name: an unnamed call stream
                # is named after its sid here. Conference streams may have none (null).
                name=name if name is not None else (sid if kind == "call" else None),
                status="in-progress",
                date_updated=datetime.now(UTC),
                url=fields["Url"],
                status_callback=fields.get("StatusCallback"),
                status_callback_method=fields.get("StatusCallbackMethod", "POST"),
                parameters=tuple((numbered[n]["Name"], numbered[n].get("Value", "")) for n in sorted(numbered)),
                settings={k: v for k, v in fields.items() if k not in KEPT_APART},
            )
            self._streams[(account, kind, parent, sid)] = state
            document = stream_document(kind, account, parent, sid, state)
        token, codec = fields.get("AuthorizationBearerToken"), fields.get("StreamCodec")
        self._stream_opened((account, kind, parent, sid), state, token=token, codec=codec)
        return Answer(200, json.dumps(document).encode())

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)
