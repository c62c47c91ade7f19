"""The media session: one bidirectional stream's WebSocket as an async context manager (framework-free).

    async with media.session(websocket, bearer=TOKEN, client=client) as session:
        greeting = session.play(pcm, rate=24000)
        async for event in session:  # media.Audio, media.Dtmf, media.Unknown
            ...

A framework adapter (``_adapters``) checks the bearer, accepts the upgrade and hands this core a
``Channel``: text in, text out, close. The core waits for ``connected`` and ``start``, then runs
two tasks until the stream ends: a reader (inbound messages: audio and DTMF queued for the app,
mark echoes and SignalWire's clock given to the ``Playout``) and a writer (frames and marks, as the
lead allows). Leaving the block cancels both, resolves pending plays as ``Cleared`` and closes the
WebSocket if SignalWire has not.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from base64 import b64encode
from collections import deque
from types import TracebackType
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from .._exceptions import ConfigurationError, MediaProtocolError
from ._builders import clear_message, dtmf_message
from ._events import Audio, Ended, EndReason, Event, MediaSessionError, Playback
from ._g711 import ByteOrder, as_bytes, l16_to_pcm16, pcm16_to_l16, pcm16_to_ulaw, ulaw_to_pcm16
from ._messages import DTMF_DIGITS, Connected, Dtmf, Mark, Media, Start, Stop, Unknown, parse
from ._outbound import Outbound
from ._playout import FRAME_MS, Playout
from ._resample import Resampler, check_rate

if TYPE_CHECKING:
    from .._async._client import AsyncClient

__all__ = ["Channel", "MediaSession", "Opener"]

W = TypeVar("W")
log = logging.getLogger("signalwire_compat.media")
MAX_EVENTS = 1500  # 30 s of 20 ms audio: an app that stops iterating loses the oldest, not the process
START_TIMEOUT = 10.0  # seconds from the upgrade to SignalWire's ``start``
_ENCODINGS = ("audio/x-mulaw", "audio/x-L16")


class Channel(Protocol):
    """An accepted WebSocket, as the core sees it (each adapter is one of these)."""

    close_code: int | None

    async def receive(self) -> str | None:
        """The next text message; None once the WebSocket is closed (binary messages are skipped)."""

    async def send(self, text: str) -> None: ...

    async def close(self, code: int) -> None: ...


class Opener(Protocol[W]):
    """An adapter before the upgrade: check the bearer, accept, and give the channel."""

    websocket: W

    async def open(self, bearer: str | None) -> Channel: ...


class MediaSession(Generic[W]):
    """One stream's session; see the module docstring. ``websocket`` is the framework's own object."""

    def __init__(
        self,
        opener: Opener[W],
        *,
        bearer: str | None,
        client: AsyncClient | None,
        receive_rate: int | None,
        byteorder: ByteOrder,
    ) -> None:
        if bearer is not None and (not isinstance(bearer, str) or not bearer):
            raise ConfigurationError("bearer must be the stream's authBearerToken (a non-empty str) or None")
        if receive_rate is not None:
            check_rate(receive_rate, "receive_rate")  # the audio extra is needed only when it differs from the stream's
        if byteorder not in ("little", "big"):
            raise ValueError(f"byteorder must be 'little' or 'big', got {byteorder!r}")
        self.websocket: W = opener.websocket
        self._opener, self._bearer, self._client = opener, bearer, client
        self._receive_rate, self._byteorder = receive_rate, byteorder
        self._channel: Channel | None = None
        self._start: Start | None = None
        self.ended: Ended | None = None
        self._events: deque[Event] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self.dropped_events = 0
        self._wake = asyncio.Event()
        self._send_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self._inbound: dict[str, Resampler] = {}
        self._hang_up: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        sid = self._start.stream_sid if self._start else None
        return f"<MediaSession stream_sid={sid!r} ended={self.ended!r}>"

    # -- opening and closing --------------------------------------------------------------------------

    async def __aenter__(self) -> MediaSession[W]:
        channel = self._channel = await self._opener.open(self._bearer)
        try:
            try:
                async with asyncio.timeout(START_TIMEOUT):
                    start = await self._wait_for_start(channel)
            except TimeoutError:
                raise MediaSessionError(f"SignalWire sent no start within {START_TIMEOUT:g} s") from None
            self._configure(start)
        except BaseException:
            with contextlib.suppress(Exception):
                await channel.close(1011)
            raise
        self._tasks = [asyncio.create_task(self._read(channel)), asyncio.create_task(self._write(channel))]
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._hang_up is not None and not self._hang_up.done():
            self._hang_up.cancel()
            await asyncio.gather(self._hang_up, return_exceptions=True)
        self._end(Ended(EndReason.LEFT))
        if self._channel is not None:
            with contextlib.suppress(Exception):
                await self._channel.close(1000 if error is None else 1011)

    async def _wait_for_start(self, channel: Channel) -> Start:
        while True:  # until start, stop or the socket's end: SignalWire sends start second
            text = await channel.receive()
            if text is None:
                raise MediaSessionError(f"the WebSocket closed before SignalWire's start (code {channel.close_code})")
            try:
                message = parse(text)
            except MediaProtocolError as error:
                raise MediaSessionError(f"SignalWire's first messages could not be read: {error}") from None
            if isinstance(message, Start):
                return message
            if isinstance(message, Stop):
                raise MediaSessionError("the stream stopped before its start message")
            if not isinstance(message, Connected):
                log.debug("media session: %s before start, skipped", type(message).__name__)

    def _configure(self, start: Start) -> None:
        media_format = start.media_format
        if media_format.encoding not in _ENCODINGS or media_format.channels != 1:
            raise MediaSessionError(
                f"the stream's media format is {media_format.encoding} x{media_format.channels}: "
                "the session speaks mono audio/x-mulaw and audio/x-L16"
            )
        self._start = start
        self._mulaw = media_format.encoding == "audio/x-mulaw"
        self.rate = media_format.sample_rate
        frame_bytes = self.rate * FRAME_MS // 1000 * (1 if self._mulaw else 2)
        self._playout: Playout[Playback] = Playout(frame_bytes=frame_bytes)
        self._outbound = Outbound(self._playout, rate=self.rate, encode=self._encode)
        self._media_prefix = '{"event":"media","streamSid":' + json.dumps(start.stream_sid) + ',"media":{"payload":"'
        self._mark_prefix = '{"event":"mark","streamSid":' + json.dumps(start.stream_sid) + ',"mark":{"name":"'

    @property
    def start(self) -> Start:
        """SignalWire's ``start``: stream and call sids, custom parameters, media format."""
        if self._start is None:
            raise MediaSessionError("the session has not started: use it inside `async with media.session(...)`")
        return self._start

    def _end(self, ended: Ended) -> None:
        if self.ended is not None:
            return
        self.ended = ended
        if self._start is not None:
            for playback, heard in self._playout.clear():
                playback._cleared(heard)
        self._notify()

    # -- inbound --------------------------------------------------------------------------------------

    def __aiter__(self) -> MediaSession[W]:
        return self

    async def __anext__(self) -> Event:
        while not self._events:
            if self.ended is not None:
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._events.popleft()

    def _notify(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _push(self, event: Event) -> None:
        if len(self._events) >= MAX_EVENTS:
            self._events.popleft()
            self.dropped_events += 1
            if self.dropped_events == 1:
                log.warning("media session: the app is not reading events; dropping the oldest")
        self._events.append(event)
        self._notify()

    async def _read(self, channel: Channel) -> None:
        reason, stop = EndReason.CLOSED, None
        try:
            while (text := await channel.receive()) is not None:
                try:
                    message = parse(text)
                except MediaProtocolError as error:
                    log.warning("media session: skipping a malformed message: %s", error)
                    continue
                if isinstance(message, Media):
                    self._audio(message)
                elif isinstance(message, Mark):
                    self._echoed(message.name)
                elif isinstance(message, Stop):
                    reason, stop = EndReason.STOPPED, message
                    break
                elif isinstance(message, Dtmf | Unknown):  # a second start or connected is ignored
                    self._push(message)
        except Exception as error:  # noqa: BLE001 - a transport failure ends the stream like a close
            log.debug("media session: the WebSocket failed: %r", error)
        self._end(Ended(reason, stop, channel.close_code))
        self._wake.set()

    def _audio(self, message: Media) -> None:
        if message.track == "inbound":
            self._playout.clock(message.timestamp)
            if self._playout.has_work or self._outbound.holding:
                self._wake.set()
        payload = message.payload
        if self._mulaw:
            pcm = ulaw_to_pcm16(payload)
        else:
            pcm = l16_to_pcm16(payload[: len(payload) // 2 * 2], byteorder=self._byteorder)
        rate = self.rate
        if self._receive_rate is not None and self._receive_rate != rate:
            resampler = self._inbound.get(message.track)
            if resampler is None:
                resampler = self._inbound[message.track] = Resampler(rate, self._receive_rate)
            pcm, rate = resampler.resample(pcm), self._receive_rate
        self._push(Audio(pcm, rate, message.track, message.timestamp))

    def _echoed(self, name: str) -> None:
        for playback in self._playout.echoed(name):
            playback._played()
        self._wake.set()

    # -- outbound -------------------------------------------------------------------------------------

    def _encode(self, pcm: bytes) -> bytes:
        return pcm16_to_ulaw(pcm) if self._mulaw else pcm16_to_l16(pcm, byteorder=self._byteorder)

    def play(self, pcm: bytes | bytearray | memoryview, *, rate: int | None = None) -> Playback:
        """Queue 16-bit little-endian mono PCM at ``rate`` Hz (default: the stream's) after earlier plays.

        Returns at once; await the ``Playback`` for ``Played`` or ``Cleared``. A play queued after the
        session ended is ``Cleared`` at once, with ``played_ms`` 0.
        """
        self.start  # noqa: B018 - raises outside the block
        raw = bytes(as_bytes(pcm, "pcm"))
        if len(raw) % 2:
            raise ValueError(f"pcm must be 16-bit samples (an even number of bytes), got {len(raw)}")
        source_rate = self.rate if rate is None else rate
        check_rate(source_rate, "rate")
        duration = len(raw) // 2 * 1000 // source_rate
        playback = Playback(duration, self._playout.position)
        if self.ended is not None:
            playback._cleared(0)
            return playback
        self._outbound.add(playback, raw, source_rate)
        self._wake.set()
        return playback

    @property
    def playing(self) -> Playback | None:
        """The play the caller hears now (or next), None when nothing is queued."""
        return None if self._start is None else self._playout.current()

    async def _write(self, channel: Channel) -> None:
        wake, playout, outbound = self._wake, self._playout, self._outbound
        try:
            while self.ended is None:
                await wake.wait()
                wake.clear()
                outbound.flush_if_due()
                batch = playout.take()
                if outbound.holding:  # that may have left SignalWire short: the tail now, not a frame later
                    outbound.flush_if_due()
                    batch += playout.take()
                if not batch:
                    continue
                async with self._send_lock:
                    for item in batch:
                        if type(item) is bytes:
                            await channel.send(self._media_prefix + b64encode(item).decode("ascii") + '"}}')
                        else:
                            await channel.send(self._mark_prefix + str(item) + '"}}')
        except Exception as error:  # noqa: BLE001 - a send on a closing WebSocket: the reader sees how it ended
            log.debug("media session: a send failed: %r", error)

    async def _send(self, text: str) -> None:
        """Send one control message; a WebSocket gone meanwhile is the SDK's error, not the framework's."""
        assert self._channel is not None
        try:
            await self._channel.send(text)
        except Exception as error:  # noqa: BLE001 - each framework raises its own
            self._end(Ended(EndReason.CLOSED, None, self._channel.close_code))
            raise MediaSessionError(f"the WebSocket closed ({type(error).__name__})") from None

    async def clear(self) -> None:
        """Barge-in: SignalWire drops what it queued, unsent audio is dropped, pending plays are ``Cleared``."""
        if self.ended is not None or self._channel is None:
            return
        async with self._send_lock:
            self._outbound.drop()
            cleared = self._playout.clear()
            try:
                await self._send(clear_message(self.start.stream_sid))
            except MediaSessionError:
                pass  # the stream is over: nothing plays any more anyway
            finally:
                for playback, heard in cleared:
                    playback._cleared(heard)

    async def send_dtmf(self, digits: str) -> None:
        """Play DTMF digits (0-9, *, #, A-D) into the call, one message each."""
        if not isinstance(digits, str) or not digits or any(digit not in DTMF_DIGITS for digit in digits):
            raise ValueError(f"digits must be a non-empty str of 0-9, *, #, A-D, got {digits!r}")
        if self.ended is not None or self._channel is None:
            raise MediaSessionError("the stream has ended: no DTMF can be sent")
        async with self._send_lock:
            for digit in digits:
                await self._send(dtmf_message(self.start.stream_sid, digit))

    # -- ending the call ------------------------------------------------------------------------------

    async def hang_up(self, *, after_playout: bool = True) -> None:
        """End the call over REST (the ``client`` given to ``media.session``: ``client.calls(sid).hang_up()``),
        after the queued audio played. A call that has ended already (the caller hung up first) counts as
        done; a second call waits for the first, and is as harmless.
        """
        if self._client is None:
            raise ConfigurationError("hang_up needs the REST client: media.session(..., client=sw.AsyncClient())")
        if self._hang_up is None:
            self._hang_up = asyncio.create_task(self._hang_up_call(after_playout))
        await asyncio.shield(self._hang_up)

    async def _hang_up_call(self, after_playout: bool) -> None:
        if after_playout:
            while self.ended is None and not self._playout.idle:  # each await resolves a play or ends
                last = self._playout.last()
                if last is not None:
                    await last
        await self._end_call()

    async def _end_call(self) -> None:
        assert self._client is not None
        # Status=completed; a call that has ended already (the caller hung up first) counts as done.
        await self._client.calls(self.start.call_sid).hang_up()
