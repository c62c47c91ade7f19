"""A call FakeSpace places to an app: the signed voice webhook (``_webhook``), then its cXML carried out verb by
verb on the space's loop and clock, its streams started and stopped through the space's ``Streams``.

``<Start>``/``<Connect>``/``<Stop>`` ``<Stream>``, ``<Pause>`` and ``<Hangup>`` are played; other
verbs are recorded and skipped. The end of the document (or a hang-up) ends the call and its streams.
A call the REST API creates (``outbound-api``) is answered at once; the REST API may end a call (``end``)
or run a new document in place of the running one (``redirect``). Its times and callbacks: ``_call_life``.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import attrs

from ._apps import AppRoute
from ._audio import AudioSource
from ._call_life import CallLife, StatusCallback
from ._call_rules import ENDED, CallView
from ._callbacks import CallbackSender
from ._clock import wait_until
from ._media import Media, check_audio
from ._records import FakeStream, Parent, StreamState
from ._streams import Streams
from ._webhook import Webhook

if TYPE_CHECKING:
    from ..cxml import Stream, VoiceResponse

__all__ = ["CallSpace", "FakeCall", "check_incoming_call"]

CallStatus = Literal["queued", "ringing", "in-progress", "completed", "canceled", "failed"]


def check_incoming_call(
    url: object, *, from_: object, to: object, method: object, audio: object, route: AppRoute | None
) -> None:
    """Refuse (``ValueError``, ``TypeError``) an incoming call the space would not place: its webhook URL is
    loopback or one ``route`` takes, by GET or POST, from and to someone, with audio a stream can carry."""
    from .._validation import is_loopback_url

    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"url must be an absolute http(s):// URL, got {url!r}")
    if not (route is not None and route.matches(url)) and not is_loopback_url(url):
        raise ValueError(f"a FakeSpace calls loopback addresses (or its callback_app) only, not {url!r}")
    if method not in ("GET", "POST"):
        raise ValueError(f"method must be GET or POST, got {method!r}")
    for name, value in (("from_", from_), ("to", to)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty str")
    if audio is not None:
        check_audio(audio)


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
        direction: str = "inbound",
        callback: StatusCallback = StatusCallback(),  # noqa: B008 - frozen
    ) -> None:
        self.sid = str(uuid.uuid4())
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
        self._space, self._loop, self._clock = space, space.media.loop, space.media.clock
        self._changed = threading.Condition()
        self._task: asyncio.Task[None] | None = None
        self._hangup_wanted = False
        self._stream_ended: dict[str, asyncio.Event] = {}

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

    # -- waiting and commands (any thread) -------------------------------------------------------

    def _wait(self, done: Callable[[], bool], what: str, timeout: float) -> None:
        late = lambda: f"call {self.sid}: {what} within {timeout:g} s (status {self.status})"  # noqa: E731
        wait_until(self._changed, done, timeout, late)

    def wait_until_ended(self, *, timeout: float = 5.0) -> FakeCall:
        """Until the call is ``completed`` or ``failed``."""
        self._wait(lambda: self.status in ("completed", "failed"), "not ended", timeout)
        return self

    def wait_for_streams(self, count: int = 1, *, timeout: float = 5.0) -> list[FakeStream]:
        """Until its cXML has started ``count`` streams; returns them."""
        self._wait(lambda: len(self._streams) >= count, f"fewer than {count} streams started", timeout)
        return self.streams

    def hangup(self) -> None:
        """Hang the call up (as the caller would): its streams stop, the call completes."""
        self._hangup_wanted = True
        self._loop.call_soon(self._cancel)

    def _cancel(self) -> None:
        if self._task is not None:
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
        self.hangup()  # first: the loop cancels the document before it hears that a <Connect> stream stopped
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
            self._space.streams.stop_running(self._parent)
            self._set(status=status)

    async def _documents(self) -> CallStatus:
        """Fetch the call's document and run it; a redirect cancels the one running and starts again at its URL."""
        url, method = self.url, self.method
        while True:
            task = self._document_task = asyncio.create_task(self._document(url, method))
            try:
                await asyncio.wait({task})
            finally:
                if not task.done():  # hung up meanwhile
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
            redirect, self._redirect = self._redirect, None
            if redirect is None:
                return task.result()
            url, method = redirect

    async def _document(self, url: str, method: str) -> CallStatus:
        document = await self._space.webhook.document(url, method, self._webhook_params())
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
        )
        with self._changed:
            self._streams.append(stream)
            self._changed.notify_all()
        return stream

    async def _until_ended(self, sid: str) -> None:
        event = self._stream_ended.get(sid)
        if event is not None:
            await event.wait()
