"""Where FakeSpace's streams start and stop, whoever asks (a REST request, a call's cXML, a call's end, the
WebSocket closing): the store changes, the media part connects or says ``stop``, the signed status callback
is sent, and whoever waits on a stream hears that it stopped.

The REST rules (``_rest``), the calls (``_calls``) and FakeSpace use it; it uses the store, the media part and
the callback sender, and calls back only the listeners it was handed.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from .._stream_status import StreamError
from .._validation import is_loopback_url, validate_stream_name
from ._apps import AppRoute
from ._audio import AudioSource, codec_named
from ._callbacks import CallbackSender
from ._media import Media
from ._records import FakeStream, Kind, Parent, StreamState
from ._store import NameTaken, Stored, StreamStore

__all__ = ["Streams"]

_UNIQUE_IDS = uuid.UUID("5f1c2b4e-8a47-4c55-9a0b-3d6f1e2a7c90")  # namespace of the calls' Unique-IDs

Listener = Callable[[], None]
_STOP_FIRST_WITHIN = 2.0  # wall seconds a REST stop's answer waits for the WebSocket's ``stop`` to be sent


def _made_up(given: str | None) -> str:
    return (given or str(uuid.uuid4())).lower()


class Streams:
    """Starts and stops streams on the store, with their WebSockets, status callbacks and listeners."""

    def __init__(self, store: StreamStore, media: Media, callbacks: CallbackSender, app: AppRoute | None) -> None:
        self.store = store
        self._media = media
        self._callbacks = callbacks
        self._app = app  # an ASGI app takes the WebSockets of its URLs in-process
        self._lock = threading.Lock()
        self._listeners: dict[str, Listener] = {}  # sid -> told once, when the stream stops
        self._on_connected: dict[str, Listener] = {}  # sid -> told once, when its WebSocket is up

    def start(
        self,
        stream: FakeStream,
        state: StreamState,
        *,
        name_taken: NameTaken,
        token: str | None = None,
        codec: str | None = None,
        bidirectional: bool = False,
        audio: AudioSource | None = None,
        on_loop: bool = False,
        on_stopped: Listener | None = None,
        on_connected: Listener | None = None,
    ) -> Stored | None:
        """Hold a new stream (``name_taken`` as ``StreamStore.add``; None: refused), then connect its WebSocket
        (a loopback URL) or call it started; a stream held stopped (its name taken) gets ``stream-error``.
        ``on_stopped`` is told once, when it stops (at once, for one held stopped); ``on_connected`` once its
        WebSocket is up (on the loop thread)."""
        with self._lock:
            if on_stopped is not None:
                self._listeners[stream.sid] = on_stopped
            if on_connected is not None:
                self._on_connected[stream.sid] = on_connected
        stored = self.store.add(stream, state, name_taken=name_taken)
        if stored is None:
            with self._lock:
                self._listeners.pop(stream.sid, None)
                self._on_connected.pop(stream.sid, None)
            return None
        if not stored.running:
            self._notify(stored, "stream-error", StreamError.DUPLICATED_STREAM_NAME)
            self._tell(stored.sid)
            return stored
        chosen = codec_named(codec, l16_byteorder=self._media.l16_byteorder)
        app = (
            self._app
            if state.url is not None and self._app is not None and self._app.takes_websocket(state.url)
            else None
        )
        if state.url is None or not (app or is_loopback_url(state.url)) or chosen is None:
            self._notify(stored, "stream-started")
            return stored
        self._media.open(
            stored,
            codec=chosen,
            token=token,
            bidirectional=bidirectional,
            audio=audio,
            on_loop=on_loop,
            on_connected=self._connected,
            on_ended=self._ended,
            app=app,
        )
        return stored

    def hold(self, kind: Kind, *, account: str, parent: str | None, sid: str | None, name: str | None) -> FakeStream:
        """Hold an in-progress stream a test adds: ids made up unless given (lower-cased), no WebSocket or
        callback; a name the SDK would refuse to send (``a/b``, ``agent.json``) is refused here too."""
        if name is not None:
            validate_stream_name(name)
        stream = FakeStream(kind, account.lower(), _made_up(parent), _made_up(sid))
        self.store.add(stream, StreamState(name=name, status="in-progress", date_updated=datetime.now(UTC)))
        return stream

    def stop(self, sid: str, *, stop_first: bool = False) -> tuple[Stored, bool] | None:
        """Stop one stream (``StreamStore.stop``); if it stopped now, its WebSocket and callback follow.
        ``stop_first``: return once its WebSocket has sent ``stop`` (a REST stop's answer comes after it)."""
        result = self.store.stop(sid)
        if result is not None and result[1]:
            self._closed(result[0])
            if stop_first:
                self._media.wait_stop_sent(sid, timeout=_STOP_FIRST_WITHIN)
        return result

    def stop_running(self, parent: Parent, *, name: str | None = None) -> None:
        """Stop the running streams of a call or conference (those named ``name``, if given)."""
        for stored in self.store.stop_running(parent, name=name):
            self._closed(stored)

    def stop_streaming(self) -> None:
        """Stop every stream that has a WebSocket session (the space is stopping)."""
        for sid in self._media.sids():
            self.stop(sid)

    # -- what happens --------------------------------------------------------------------------------

    def _closed(self, stored: Stored) -> None:
        """A stream was just stopped (REST, ``<Stop>``, its call ended): ``stop`` on its WebSocket, callback."""
        self._media.stop(stored.sid)
        self._notify(stored, "stream-stopped")
        self._tell(stored.sid)

    def _connected(self, sid: str) -> None:
        stored = self.store.get(sid)
        if stored is not None:
            self._notify(stored, "stream-started")
        with self._lock:
            listener = self._on_connected.pop(sid, None)
        if listener is not None:
            listener()

    def _ended(self, sid: str, error: StreamError | None) -> None:
        """The session is over: if the stream was not stopped already (the app closed, or it failed), it is now."""
        result = self.store.stop(sid)
        if result is not None and result[1]:
            self._notify(result[0], "stream-error" if error else "stream-stopped", error)
            self._tell(sid)

    def _tell(self, sid: str) -> None:
        with self._lock:
            listener = self._listeners.pop(sid, None)
        if listener is not None:
            listener()

    def _notify(self, stored: Stored, event: str, error: StreamError | None = None) -> None:
        """The signed status callback of ``event``, if the stream asked for callbacks."""
        stream, state = stored.stream, stored.state
        if not state.status_callback:
            return
        params = [
            ("AccountSid", stream.account_sid),
            ("CallSid" if stream.kind == "call" else "ConferenceSid", stream.parent_sid),
            ("StreamSid", stream.sid),
            ("StreamName", state.name or stream.sid),  # SignalWire: "defaults to the StreamSid"
            ("StreamEvent", event),
            *([("StreamError", error.value)] if error is not None else []),
            ("StreamTrack", state.settings.get("Track", "both_tracks")),
            ("Timestamp", datetime.now(UTC).isoformat(timespec="milliseconds")),  # ISO 8601, as documented
            ("Unique-ID", str(uuid.uuid5(_UNIQUE_IDS, stream.parent_sid))),  # the call leg's id: one per call
        ]
        self._callbacks.send(state.status_callback, state.status_callback_method, params)
