"""A fake SignalWire space for tests: a real HTTP server on 127.0.0.1 that speaks the streams API.

    from signalwire_compat.testing import FakeSpace

    with FakeSpace() as space:
        stream = space.add_call_stream()
        with space.client() as client:
            client.calls(stream.parent_sid).streams(stream.sid).stop()
        assert space.stream_status(stream.sid) == "stopped"

It answers the streams and calls API as SignalWire does (Basic auth, form bodies, the spec's documents,
401/404/422), sends signed status callbacks, records every request, injects faults on demand, plays
SignalWire's part of a stream's WebSocket paced by its clock (``speed=`` or ``ManualClock()``), and places
calls that carry out an app's cXML, with a caller a test scripts (``_caller``).

FakeSpace is the front of parts it composes: the stream store (``_store``) that ``Streams`` (``_streams``)
changes for the REST rules (``_rest``) and the calls (``_call_store``, ``_calls``); the media part
(``_media``); the callback sender (``_callbacks``); the socket server (``_server``) or the in-process
transports (``_inprocess``); ``callback_app=`` (``_apps``, ``_asgi_websocket``): an app taking the callbacks,
voice webhooks and (ASGI) its WebSockets in-process. Every ``wait_…`` has an awaitable ``await_…`` twin.
"""

from __future__ import annotations

import contextlib
import secrets
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

import httpx

from .. import media
from .._config import check_api_token
from ._apps import AppRoute
from ._audio import AudioSource, Tone, byte_order
from ._call_store import CallStore
from ._callbacks import CallbackSender, Delivery
from ._calls import CallSpace, FakeCall
from ._canned import Overrides, canned, status_fault
from ._clock import Clock, ManualClock, RealClock
from ._heard import Heard
from ._inprocess import NOT_LISTENING_URL, AsyncFakeTransport, FakeTransport, bound_async_client, bound_client
from ._media import Media, check_audio
from ._media_stream import MediaStream
from ._records import FakeStream, Fault, RecordedRequest
from ._rest import RestAPI
from ._rules import Answer
from ._server import Server
from ._store import Stored, StreamStore
from ._streams import Streams
from ._webhook import Webhook

if TYPE_CHECKING:
    from .._async._client import AsyncClient
    from .._sync._client import Client

__all__ = [
    "Clock",
    "Delivery",
    "FakeCall",
    "FakeSpace",
    "FakeStream",
    "Heard",
    "ManualClock",
    "MediaStream",
    "RealClock",
    "RecordedRequest",
    "Tone",
]


class FakeSpace:
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
        self.api_token = "PT" + secrets.token_hex(20) if api_token is None else check_api_token(api_token)
        self.signing_key = signing_key or "PSK_" + secrets.token_hex(16)  # signs status callbacks
        self.port = port  # 0: any free port (see ``url`` once started)
        self.latency = 0.0
        self.peak_in_flight = 0  # the most requests it was answering at once
        self._flying = 0
        self._listening, self._running = listen, False  # listen=False: no socket, in-process only
        self._lock = threading.Lock()  # the requests record and the in-flight count
        self._requests: list[RecordedRequest] = []
        self._overrides = Overrides()  # faults and canned answers, served before the API's own
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        # callback_app: callbacks and voice webhooks to URLs under callback_app_url (None: all) go to the app.
        self._app_route = None if callback_app is None else AppRoute(callback_app, callback_app_url)
        self._callbacks = CallbackSender(self.signing_key, self._app_route)
        self._media = Media(speed=speed, clock=clock, audio=audio, ssl_context=ssl_context, l16_byteorder=l16_byteorder)
        self._streams = Streams(StreamStore(), self._media, self._callbacks, self._app_route)
        webhook = Webhook(self.signing_key, self._app_route, self._media.loop)
        call_space = CallSpace(self._streams, self._media, webhook, self._callbacks)
        self._calls = CallStore(call_space, account=self.project_id)
        self._api = RestAPI(
            self._streams, self._overrides, self._calls, account=self.project_id, api_token=self.api_token
        )

    def __repr__(self) -> str:
        return f"<FakeSpace url={self.url if self._running else None!r} project_id={self.project_id!r}>"

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
        if self._media.started:  # calls hung up, WebSockets sent `stop` and closed, the media thread joined
            self._calls.hang_up_all(timeout=5.0)
            self._streams.stop_streaming()
            self._media.close(timeout=5.0)
        self._callbacks.close()
        if self._app_route is not None:
            self._app_route.close()

    def __enter__(self) -> FakeSpace:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeSpace:
        return self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        """``stop()`` in a worker thread: an app on this event loop keeps answering while its calls end."""
        import asyncio

        await asyncio.to_thread(self.stop)

    @property
    def running(self) -> bool:
        """True inside the ``with`` block (between ``start()`` and ``stop()``)."""
        return self._running

    @property
    def url(self) -> str:
        """The space URL to give a client: ``http://127.0.0.1:PORT`` once started (``listen=False``:
        ``http://127.0.0.1:0``, where nothing listens: give the client ``transport()``)."""
        if not self._running:
            raise RuntimeError("start the FakeSpace first (use it in a with block)")
        if self._server is None:
            return NOT_LISTENING_URL
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- clients -----------------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport answering from this space in-process: ``httpx.Client(transport=space.transport())``."""
        return FakeTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The ``httpx.AsyncClient`` twin of ``transport()``."""
        return AsyncFakeTransport(self)

    def client(self, *, in_process: bool = False, **options: Any) -> Client:
        """A ``Client`` bound to this space and its credentials; ``options`` go to ``Client``.
        ``in_process=True``: through ``transport()``, no socket (``http_client`` is then not an option)."""
        return bound_client(self, in_process=in_process, options=options)

    def async_client(self, *, in_process: bool = False, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` bound to this space; ``in_process=True``: through ``async_transport()``."""
        return bound_async_client(self, in_process=in_process, options=options)

    # -- streams -----------------------------------------------------------------------------------

    def add_call_stream(
        self,
        *,
        call_sid: str | None = None,
        sid: str | None = None,
        name: str | None = "stream",
        account_sid: str | None = None,
    ) -> FakeStream:
        """Add an in-progress stream on a call (ids are made up unless given)."""
        return self._streams.hold("call", account=account_sid or self.project_id, parent=call_sid, sid=sid, name=name)

    def add_conference_stream(
        self,
        *,
        conference_sid: str | None = None,
        sid: str | None = None,
        name: str | None = None,
        account_sid: str | None = None,
    ) -> FakeStream:
        """Add an in-progress stream on a conference (``name`` may be None, as the API allows)."""
        account = account_sid or self.project_id
        return self._streams.hold("conference", account=account, parent=conference_sid, sid=sid, name=name)

    def stream_status(self, sid: str | uuid.UUID) -> str:
        """The current status of the stream with this sid (a ``str`` or ``uuid.UUID``)."""
        return self._stored(sid).state.status

    def streams(self) -> list[FakeStream]:
        """Every stream the space holds, added or created, in the order they appeared."""
        return [stored.stream for stored in self._streams.store.all()]

    def stream_settings(self, sid: str | uuid.UUID) -> dict[str, Any]:
        """What a stream was created with: url, name, status_callback(_method), parameters, and the
        other fields as sent (``Track``, ``StreamCodec``, …)."""
        return self._stored(sid).settings()

    def _stored(self, sid: str | uuid.UUID) -> Stored:
        stored = self._streams.store.get(str(sid).lower())
        if stored is None:
            raise KeyError(sid)
        return stored

    @property
    def deliveries(self) -> list[Delivery]:
        """Every status callback made so far, with its outcome (``status``, ``error``)."""
        return self._callbacks.deliveries

    def wait_for_deliveries(self, count: int, *, timeout: float = 5.0) -> list[Delivery]:
        """The first ``count`` status callbacks, once made (they are sent in the background)."""
        return self._callbacks.wait(count, timeout)

    async def await_for_deliveries(self, count: int, *, timeout: float = 5.0) -> list[Delivery]:
        """``wait_for_deliveries``, awaited on the running loop without blocking it."""
        return await self._callbacks.await_(count, timeout)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- media and calls ---------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        """The clock media, ``<Pause>`` and mark echoes run on (``RealClock(speed)`` or a ``ManualClock``)."""
        return self._media.clock

    @property
    def audio(self) -> AudioSource:
        """What every stream plays unless its call says otherwise (a ``Tone`` or 16-bit PCM)."""
        return self._media.audio

    @audio.setter
    def audio(self, audio: AudioSource) -> None:
        check_audio(audio)
        self._media.audio = audio

    @property
    def l16_byteorder(self) -> media.ByteOrder:
        """How L16 streams carry their audio: ``"little"``, as SignalWire sends it, or ``"big"`` (RFC 3551)."""
        return self._media.l16_byteorder

    @l16_byteorder.setter
    def l16_byteorder(self, order: media.ByteOrder) -> None:
        self._media.l16_byteorder = byte_order(order)

    @property
    def ssl_context(self) -> ssl.SSLContext | None:
        """For a loopback ``wss://`` app (None: certificates are not verified)."""
        return self._media.ssl_context

    @ssl_context.setter
    def ssl_context(self, context: ssl.SSLContext | None) -> None:
        self._media.ssl_context = context

    def media(self, sid: str) -> MediaStream:
        """The WebSocket session of the stream with this sid (``KeyError``: it has none, e.g. not loopback)."""
        return self._media.session(sid.lower())

    def incoming_call(
        self,
        url: str,
        *,
        from_: str = "+15550100001",
        to: str = "+15550100002",
        method: str = "POST",
        audio: AudioSource | None = None,
        wait_for_app: float = 0.0,
    ) -> FakeCall:
        """Call the app: a signed voice webhook to ``url`` (loopback, or a URL ``callback_app`` takes, which
        gets it in-process), then its cXML, in the background; ``wait_for_app``: seconds to try the webhook
        again while nothing listens at ``url`` yet.

        Returns the call at once; wait on it with ``call.wait_until_ended()`` / ``wait_for_streams()``.
        ``audio`` (a ``Tone`` or 16-bit PCM) is what its streams carry (default: ``space.audio``).
        """
        return self._calls.place_incoming(
            url, from_=from_, to=to, method=method, audio=audio, wait_for_app=wait_for_app
        )

    def calls(self) -> list[FakeCall]:
        """Every call placed, in order: incoming ones, and those created through the REST API."""
        return self._calls.all()

    def advance(self, seconds: float) -> None:
        """Move a ``ManualClock`` on (``FakeSpace(clock=ManualClock())``)."""
        self._media.advance(seconds)

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
        self._overrides.add_fault(status_fault(status, times=times, retry_after=retry_after, body=body))

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
        self._overrides.add_fault(Fault("drop", times))

    def send_non_json(self, *, times: int = 1, status: int = 200) -> None:
        """Answer the next ``times`` requests with an HTML body and ``status``."""
        self._overrides.add_fault(Fault("non_json", times, status))

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
        return self._api.answer(method, path, headers, body)

    def _record(self, request: RecordedRequest) -> None:
        """Every request and its answer, whichever way it came, is recorded here (one seam for tests)."""
        with self._lock:
            self._requests.append(request)
