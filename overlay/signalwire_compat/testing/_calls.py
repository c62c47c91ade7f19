"""A call FakeSpace places to an app: the signed voice webhook (``_webhook``), then its cXML carried out verb by
verb on the space's loop and clock, its streams started and stopped through the space's ``Streams``.

``<Start>``/``<Connect>``/``<Stop>`` ``<Stream>``, ``<Pause>`` and ``<Hangup>`` are played; other
verbs are recorded and skipped. The end of the document (or a hang-up) ends the call and its streams.
A call the REST API creates (``outbound-api``) is answered at once; the REST API may end a call (``end``)
or run a new document in place of the running one (``redirect``). Its times and callbacks: ``_call_life``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import attrs

from ._audio import AudioSource
from ._call_life import CallLife, StatusCallback
from ._call_rules import ENDED, CallView
from ._callbacks import CallbackSender
from ._caller import Caller
from ._clock import wait_until
from ._heard import Heard, joined
from ._media import Media
from ._media_connect import CLOSE_TIMEOUT
from ._media_stream import MediaStream
from ._records import FakeStream, Parent, StreamState
from ._streams import Streams
from ._waiting import Changes, await_until
from ._webhook import Webhook

if TYPE_CHECKING:
    from ..cxml import Stream, VoiceResponse

__all__ = ["CallSpace", "FakeCall"]

# Wall seconds a session may take to end once stopped: its closing handshake is bounded by CLOSE_TIMEOUT + 1.
SESSION_CLOSE_TIMEOUT = CLOSE_TIMEOUT + 2.0

CallStatus = Literal["queued", "ringing", "in-progress", "completed", "canceled", "failed"]


@attrs.frozen
class CallSpace:
    """What a call uses of its space: its streams, its media part (the loop and clock a call runs on, the
    streams' WebSocket sessions), the webhook to its app, the sender of its status callbacks."""

    streams: Streams
    media: Media
    webhook: Webhook
    callbacks: CallbackSender


class FakeCall:
    """A call FakeSpace placed to an app; read it and wait on it from any thread.

    ``status``: ``ringing`` (webhook sent; ``queued`` first when the REST API created it), ``in-progress``
    (cXML running), then ``completed`` (``canceled``: ended by the REST API before it was answered), or
    ``failed`` when the webhook or its answer was unusable (``error`` says why, as SignalWire logs a
    document error). ``direction``: ``inbound`` or ``outbound-api``. ``verbs`` lists the verbs carried
    out, ``skipped`` the ones only recorded.
    """

    def __init__(
        self,
        space: CallSpace,
        *,
        url: str,
        from_: str,
        to: str,
        method: str,
        account: str,
        audio: AudioSource | None = None,
        wait_for_app: float = 0.0,
        direction: str = "inbound",
        callback: StatusCallback = StatusCallback(),  # noqa: B008 - frozen
    ) -> None:
        self.sid = str(uuid.uuid4())
        self._wait_for_app = wait_for_app
        self.direction = direction
        self._life = CallLife(space.media.clock, space.callbacks, callback)
        self._redirect: tuple[str, str] | None = None
        self._document_task: asyncio.Task[CallStatus] | None = None
        self._ending: CallStatus = "completed"
        self.account_sid = account
        self.url, self.from_, self.to, self.method = url, from_, to, method
        self.audio = audio  # what its streams carry (None: the space's)
        self.status: CallStatus = "ringing" if direction == "inbound" else "queued"
        if direction != "inbound":
            self._life.changed(self.view())  # initiated
        self.error: str | None = None
        self.document: VoiceResponse | None = None
        self.verbs: list[str] = []
        self.skipped: list[str] = []
        self._streams: list[FakeStream] = []
        self._sessions_closed = False  # once ended: its WebSocket sessions too (the waits)
        self._started = False  # its task has made its first step (on the loop)
        self._space, self._loop, self._clock = space, space.media.loop, space.media.clock
        self._changed = Changes()
        self._task: asyncio.Task[None] | None = None
        self._hangup_wanted = False
        self._stream_ended: dict[str, asyncio.Event] = {}
        self._caller = Caller(
            loop=self._loop,
            clock=self._clock,
            sessions=self._sessions,
            hang_up=self._hang_up_now,
            name=f"call {self.sid}",
        )

    def __repr__(self) -> str:
        return f"<FakeCall sid={self.sid!r} status={self.status!r} to={self.to!r}>"

    @property
    def _parent(self) -> Parent:
        """The call as its streams' parent."""
        return Parent("call", self.account_sid, self.sid)

    @property
    def streams(self) -> list[FakeStream]:
        """The streams its cXML started, in order (the same ones ``space.streams()`` lists)."""
        with self._changed:
            return list(self._streams)

    @property
    def heard(self) -> Heard:
        """What the caller heard: the app's audio SignalWire played on the call's bidirectional streams
        (``<Connect><Stream>``), as 16-bit PCM at its ``rate`` with a ``timeline`` on the space's clock
        (``MediaStream.heard``). ``<Connect>`` holds the call while its stream runs, so several such
        streams played one after another and are joined in order (``ValueError`` if their rates differ:
        read each ``space.media(sid).heard``); a call with none heard nothing (empty, at 8000 Hz)."""
        return joined([session.heard for session in self._sessions() if session.settings.bidirectional])

    # -- waiting and commands (any thread) -------------------------------------------------------

    def _late(self, what: str, timeout: float) -> Callable[[], str]:
        return lambda: f"call {self.sid}: {what} within {timeout:g} s (status {self.status})"

    def _ended(self) -> bool:
        return self.status in ENDED and self._sessions_closed

    def wait_until_ended(self, *, timeout: float = 5.0) -> FakeCall:
        """Until the call has ended (``completed``, ``canceled`` or ``failed``) and its streams' WebSockets
        are closed."""
        wait_until(self._changed, self._ended, timeout, self._late("not ended", timeout))
        return self

    async def await_until_ended(self, *, timeout: float = 5.0) -> FakeCall:
        """``wait_until_ended``, awaited on the running loop without blocking it."""
        await await_until(self._changed, self._ended, timeout, self._late("not ended", timeout))
        return self

    def wait_for_streams(self, count: int = 1, *, timeout: float = 5.0) -> list[FakeStream]:
        """Until its cXML has started ``count`` streams; returns them."""
        late = self._late(f"fewer than {count} streams started", timeout)
        wait_until(self._changed, lambda: len(self._streams) >= count, timeout, late)
        return self.streams

    async def await_for_streams(self, count: int = 1, *, timeout: float = 5.0) -> list[FakeStream]:
        """``wait_for_streams``, awaited on the running loop without blocking it."""
        late = self._late(f"fewer than {count} streams started", timeout)
        await await_until(self._changed, lambda: len(self._streams) >= count, timeout, late)
        return self.streams

    # -- the caller, scripted: now (at=None) or ``at`` seconds on the space's clock after the first stream's connect

    def press(self, digits: str, *, at: float | None = None, duration: int = 250) -> None:
        """The caller presses ``digits`` (0-9, *, #, A-D): each connected stream of the call gets one ``dtmf``
        message per digit, the first at ``at``, each next one ``duration`` ms later."""
        self._caller.press(digits, at=at, duration=duration)

    def speak(self, audio: bytes | str | os.PathLike[str], *, at: float | None = None) -> None:
        """The caller speaks ``audio`` (16-bit PCM at the streams' rate, or a WAV file's path or bytes: 16-bit
        mono, resampled to each stream's rate if it needs it, with the ``audio`` extra) on the inbound track."""
        self._caller.speak(audio, at=at)

    def hang_up(self, *, at: float | None = None) -> None:
        """The caller hangs up: ``stop`` on each WebSocket, the streams' callbacks, the call ``completed``."""
        self._caller.hang_up(at=at)

    def hangup(self) -> None:
        """``hang_up()`` now."""
        self._hang_up_now()

    @property
    def caller_errors(self) -> list[str]:
        """What a scheduled press or speech could not do (no stream connected then, no audio extra to resample)."""
        return list(self._caller.errors)

    def _sessions(self) -> list[MediaStream]:
        sessions = []
        for stream in self.streams:
            with contextlib.suppress(KeyError):  # not loopback: no WebSocket
                sessions.append(self._space.media.session(stream.sid))
        return sessions

    def _hang_up_now(self) -> None:
        self._hangup_wanted = True
        self._loop.call_soon(self._cancel)

    def _cancel(self) -> None:
        # A task cancelled before its first step never runs, nor its cleanup: the call would never end. Not
        # started yet, it sees the hang-up wanted when it starts.
        if self._task is not None and self._started:
            self._task.cancel()

    def _set(self, **changes: object) -> None:
        with self._changed:
            if "status" in changes and (self.status in ENDED or changes["status"] == self.status):
                del changes["status"]  # an end is final: a document that finishes after the API ended the call
            for name, value in changes.items():
                setattr(self, name, value)
            if "status" in changes:
                self._life.changed(self.view())
            self._changed.notify_all()

    def view(self) -> CallView:
        """What the REST API shows of it now (``_call_rules.call_document``)."""
        return self._life.view(self.sid, self.account_sid, self.from_, self.to, self.status, self.direction)

    def end(self, status: CallStatus) -> None:
        """End it as the REST API does: its document is left where it is (no further verb runs) and its streams
        stop now (``stop`` on each WebSocket)."""
        self._ending = status
        self._hang_up_now()  # first: the loop cancels the document before it hears that a <Connect> stream stopped
        self._space.streams.stop_running(self._parent)
        self._set(status=status)

    def point_callbacks(self, url: str, method: str | None) -> None:
        """Send its status callbacks to ``url`` from now on (an update's ``StatusCallback``)."""
        self._life.point(url, method)

    def redirect(self, url: str, method: str) -> None:
        """Run the document at ``url`` in place of the running one (whose ``<Connect>`` ends with it)."""
        self._redirect = (url, method)
        self._loop.call_soon(lambda: self._document_task is not None and self._document_task.cancel())

    # -- on the loop -----------------------------------------------------------------------------

    def start(self) -> None:
        self._loop.submit(self._begin())

    async def _begin(self) -> None:
        self._task = asyncio.create_task(self._run())

    def _stream_stopped(self, sid: str) -> None:
        """One of its streams has stopped (on the loop thread)."""
        event = self._stream_ended.get(sid)
        if event is not None:
            event.set()

    async def _run(self) -> None:
        self._started = True
        status: CallStatus = "completed"
        try:
            if self._hangup_wanted:
                return
            if self.direction != "inbound":  # no one to wait for: the far end answers at once
                self._set(status="ringing")
                self._set(status="in-progress")
            status = await self._documents()
        except asyncio.CancelledError:
            status = self._ending  # hung up
        except Exception as error:  # noqa: BLE001 - a document the fake cannot carry out fails the call, as SignalWire's would
            status = "failed"
            self._set(error=f"the call failed: {type(error).__name__}: {error}"[:300])
        finally:
            self._caller.end()
            self._space.streams.stop_running(self._parent)
            self._set(status=status)  # at once, as SignalWire's: what the REST API answers from now on
            # The waits end once its WebSockets are closed too: an app awaiting the call's end may then shut its
            # server down at once (a server shutting down stops reading: a handshake in flight would time out).
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                for session in self._sessions():
                    await session.await_until_ended(timeout=SESSION_CLOSE_TIMEOUT)
            self._set(_sessions_closed=True)

    async def _documents(self) -> CallStatus:
        """Fetch the call's document and run it; a redirect cancels the one running and starts again at its URL."""
        url, method, wait_for_app = self.url, self.method, self._wait_for_app
        while True:
            task = self._document_task = asyncio.create_task(self._document(url, method, wait_for_app))
            try:
                await asyncio.wait({task})
            finally:
                if not task.done():  # hung up meanwhile
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
            redirect, self._redirect = self._redirect, None
            if redirect is None:
                return task.result()
            (url, method), wait_for_app = redirect, 0.0  # the app answered the first document: it listens

    async def _document(self, url: str, method: str, wait_for_app: float) -> CallStatus:
        document = await self._space.webhook.document(url, method, self._webhook_params(), wait_for_app=wait_for_app)
        if isinstance(document, str):
            self._set(error=document)
            return "failed"
        self._set(status="in-progress", document=document)
        await self._execute(document)
        return "completed"

    def _webhook_params(self) -> list[tuple[str, str]]:
        return [
            ("AccountSid", self.account_sid),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", self.sid),
            ("CallStatus", "ringing" if self.status == "ringing" else "in-progress"),
            ("Direction", self.direction),
            ("From", self.from_),
            ("To", self.to),
        ]

    async def _execute(self, document: VoiceResponse) -> None:
        from .. import cxml

        for verb in document.children:
            with self._changed:
                self.verbs.append(verb.tag)
            if isinstance(verb, cxml.Start | cxml.Connect):
                bidirectional = isinstance(verb, cxml.Connect)
                started = [
                    stream
                    for child in verb.children
                    if isinstance(child, cxml.Stream)
                    and (stream := self._start_stream(child, bidirectional=bidirectional))
                ]
                if bidirectional and started:  # <Connect><Stream> holds the call until the stream ends
                    try:
                        await self._until_ended(started[0].sid)
                    except asyncio.CancelledError:  # the document is left (a redirect, a hang-up): so is <Connect>
                        self._space.streams.stop(started[0].sid)
                        raise
            elif isinstance(verb, cxml.Stop):
                for child in verb.children:
                    if isinstance(child, cxml.Stream) and child.name is not None:
                        self._space.streams.stop_running(self._parent, name=child.name)
            elif isinstance(verb, cxml.Pause):
                length = int(verb.attributes.get("length", "1"))
                await self._clock.sleep_until(self._clock.now() + length)
            elif isinstance(verb, cxml.Hangup):
                return
            else:
                with self._changed:
                    self.verbs.pop()
                    self.skipped.append(verb.tag)

    def _start_stream(self, element: Stream, *, bidirectional: bool) -> FakeStream:
        """Start a ``<Stream>`` of its document (on the loop): a name running on the call already is a
        ``Duplicated stream name`` stream-error, as SignalWire reports it."""
        from urllib.parse import urljoin

        attributes = element.attributes
        stream = FakeStream("call", self.account_sid, self.sid, str(uuid.uuid4()))
        callback = attributes.get("statusCallback")
        state = StreamState(
            name=attributes.get("name", stream.sid),
            status="in-progress",
            date_updated=datetime.now(UTC),
            url=attributes.get("url"),
            status_callback=None if callback is None else urljoin(self.url, callback),
            status_callback_method=attributes.get("statusCallbackMethod", "POST"),
            parameters=tuple(element.parameters.items()),
            # cXML's default track is inbound_track (REST's is both_tracks).
            settings={
                "Track": attributes.get("track", "inbound_track"),
                "Codec": attributes.get("codec", "PCMU@8000h"),
                "Source": "cXML",
            },
        )
        self._stream_ended[stream.sid] = asyncio.Event()
        self._space.streams.start(
            stream,
            state,
            name_taken="stop",
            token=attributes.get("authBearerToken"),
            codec=state.settings["Codec"],
            bidirectional=bidirectional,
            audio=self.audio,
            on_loop=True,
            on_stopped=lambda: self._loop.call_soon(self._stream_stopped, stream.sid),
            on_connected=lambda: self._caller.connected(self._space.media.session(stream.sid).connected_at),
        )
        with self._changed:
            self._streams.append(stream)
            self._changed.notify_all()
        return stream

    async def _until_ended(self, sid: str) -> None:
        event = self._stream_ended.get(sid)
        if event is not None:
            await event.wait()
