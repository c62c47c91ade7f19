"""Incoming calls: the signed voice webhook to the app, then its cXML carried out verb by verb.

``<Start>``/``<Connect>``/``<Stop>`` ``<Stream>``, ``<Pause>`` and ``<Hangup>`` are played; other
verbs are recorded and skipped. The end of the document (or a hang-up) ends the call and its streams.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol
from urllib.parse import urlencode, urlsplit

from .. import webhooks
from ._apps import AppRoute
from ._audio import AudioSource
from ._clock import Clock, wait_until
from ._loop import CONNECT_TIMEOUT, LoopThread, fetch_on_loopback
from ._records import FakeStream

if TYPE_CHECKING:
    from ..cxml import Stream, VoiceResponse

__all__ = ["CallHost", "FakeCall", "check_incoming_call"]

CallStatus = Literal["ringing", "in-progress", "completed", "failed"]


def check_incoming_call(
    url: object, *, from_: object, to: object, method: object, audio: object, route: AppRoute | None
) -> None:
    """Refuse (``ValueError``, ``TypeError``) an incoming call the space would not place: its webhook URL is
    loopback or one ``route`` takes, by GET or POST, from and to someone, with audio a stream can carry."""
    from .._validation import is_loopback_url
    from ._audio import Tone

    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"url must be an absolute http(s):// URL, got {url!r}")
    if not (route is not None and route.matches(url)) and not is_loopback_url(url):
        raise ValueError(f"a FakeSpace calls loopback addresses (or its callback_app) only, not {url!r}")
    if method not in ("GET", "POST"):
        raise ValueError(f"method must be GET or POST, got {method!r}")
    for name, value in (("from_", from_), ("to", to)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty str")
    if audio is not None and not isinstance(audio, Tone | bytes):
        raise TypeError(f"audio must be a Tone or 16-bit PCM bytes, not {type(audio).__name__}")


class CallHost(Protocol):
    """What a call asks of its space (the space imports this module, not the reverse)."""

    signing_key: str
    _app_route: AppRoute | None  # the app that takes some webhooks in-process, if any

    def _start_call_stream(self, call: FakeCall, stream: Stream, *, bidirectional: bool) -> FakeStream | None: ...

    def _stop_call_stream(self, call: FakeCall, name: str) -> None: ...

    def _end_call_streams(self, call: FakeCall) -> None: ...


class FakeCall:
    """An incoming call FakeSpace placed to an app; read it and wait on it from any thread.

    ``status``: ``ringing`` (webhook sent), ``in-progress`` (cXML running), then ``completed``, or
    ``failed`` when the webhook or its answer was unusable (``error`` says why, as SignalWire logs
    a document error). ``verbs`` lists the verbs carried out, ``skipped`` the ones only recorded.
    """

    def __init__(
        self,
        host: CallHost,
        loop: LoopThread,
        clock: Clock,
        *,
        url: str,
        from_: str,
        to: str,
        method: str,
        account: str,
        audio: AudioSource | None = None,
    ) -> None:
        self.sid = str(uuid.uuid4())
        self.account_sid = account
        self.url, self.from_, self.to, self.method = url, from_, to, method
        self.audio = audio  # what its streams carry (None: the space's)
        self.status: CallStatus = "ringing"
        self.error: str | None = None
        self.document: VoiceResponse | None = None
        self.verbs: list[str] = []
        self.skipped: list[str] = []
        self._streams: list[FakeStream] = []
        self._host, self._loop, self._clock = host, loop, clock
        self._changed = threading.Condition()
        self._task: asyncio.Task[None] | None = None
        self._hangup_wanted = False
        self._stream_ended: dict[str, asyncio.Event] = {}

    def __repr__(self) -> str:
        return f"<FakeCall sid={self.sid!r} status={self.status!r} to={self.to!r}>"

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
            for name, value in changes.items():
                setattr(self, name, value)
            self._changed.notify_all()

    # -- on the loop -----------------------------------------------------------------------------

    def start(self) -> None:
        self._loop.submit(self._begin())

    async def _begin(self) -> None:
        self._task = asyncio.create_task(self._run())

    def stream_ended(self, sid: str) -> None:
        """The space's word that one of its streams has stopped (called on the loop thread)."""
        event = self._stream_ended.get(sid)
        if event is not None:
            event.set()

    async def _run(self) -> None:
        status: CallStatus = "completed"
        try:
            if self._hangup_wanted:
                return
            document = await self._fetch()
            if document is None:
                status = "failed"
                return
            self._set(status="in-progress", document=document)
            await self._execute(document)
        except asyncio.CancelledError:
            pass  # hung up
        except Exception as error:  # noqa: BLE001 - a document the fake cannot carry out fails the call, as SignalWire's would
            status = "failed"
            self._set(error=f"the call failed: {type(error).__name__}: {error}"[:300])
        finally:
            self._host._end_call_streams(self)
            self._set(status=status)

    async def _fetch(self) -> VoiceResponse | None:
        """POST (or GET) the signed voice webhook; the parsed cXML, or None with ``error`` set."""
        from .. import cxml
        from ..cxml._parse import MAX_BYTES

        params = [
            ("AccountSid", self.account_sid),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", self.sid),
            ("CallStatus", "ringing"),
            ("Direction", "inbound"),
            ("From", self.from_),
            ("To", self.to),
        ]
        url, body = self.url, None
        if self.method == "GET":
            url = f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(params)}"
            signature = webhooks.sign_form(self._host.signing_key, url=url, params={})
        else:
            signature = webhooks.sign_form(self._host.signing_key, url=url, params=params)
            body = urlencode(params).encode()
        headers = {webhooks.SIGNATURE_HEADER: signature, webhooks.TWILIO_SIGNATURE_HEADER: signature}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        route = self._host._app_route
        if route is not None and route.matches(url):
            # Off the loop: a WSGI app blocks, and an ASGI one runs on the route's own loop.
            answer = await asyncio.to_thread(
                route.call, self.method, url, headers, body or b"", max_bytes=MAX_BYTES + 1
            )
            if answer.error is not None:
                self._set(error=f"the voice webhook failed: {answer.error}")
                return None
            status, text = answer.status, answer.body
        else:
            http = await self._loop.http()
            try:
                async with asyncio.timeout(CONNECT_TIMEOUT):
                    status, text = await fetch_on_loopback(
                        http, self.method, url, body=body, headers=headers, limit=MAX_BYTES + 1
                    )
            except Exception as error:  # noqa: BLE001 - refused, timed out, aiohttp's errors: recorded on the call
                self._set(error=f"the voice webhook failed: {type(error).__name__}: {error}")
                return None
        if not 200 <= status <= 299:
            self._set(error=f"the voice webhook answered HTTP {status}")
            return None
        if len(text) > MAX_BYTES:
            self._set(error=f"the cXML document is larger than {MAX_BYTES} bytes")
            return None
        try:
            return cxml.parse(text)  # the bytes, read as XML reads them: declared encoding, byte order mark
        except cxml.CXMLError as error:
            self._set(error=f"the cXML document is invalid: {error}")
            return None

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
                    and (stream := self._host._start_call_stream(self, child, bidirectional=bidirectional))
                ]
                if bidirectional and started:  # <Connect><Stream> holds the call until the stream ends
                    await self._until_ended(started[0].sid)
            elif isinstance(verb, cxml.Stop):
                for child in verb.children:
                    if isinstance(child, cxml.Stream) and child.name is not None:
                        self._host._stop_call_stream(self, child.name)
            elif isinstance(verb, cxml.Pause):
                length = int(verb.attributes.get("length", "1"))
                await self._clock.sleep_until(self._clock.now() + length)
            elif isinstance(verb, cxml.Hangup):
                return
            else:
                with self._changed:
                    self.verbs.pop()
                    self.skipped.append(verb.tag)

    def added_stream(self, stream: FakeStream) -> None:
        """Record a stream this call started (on the loop, before its session begins)."""
        self._stream_ended[stream.sid] = asyncio.Event()
        with self._changed:
            self._streams.append(stream)
            self._changed.notify_all()

    async def _until_ended(self, sid: str) -> None:
        event = self._stream_ended.get(sid)
        if event is not None:
            await event.wait()
