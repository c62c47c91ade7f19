"""One stream's WebSocket, as SignalWire plays it: connect, ``connected``/``start``, paced ``media``, ``stop``.

A bidirectional stream also plays the app's audio (recording it), echoes its marks once the audio
queued before them has played (by the space's clock) and flushes on ``clear``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections import deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .. import media
from .._stream_status import StreamError
from ._audio import FRAME_SECONDS, AudioSource, Codec, FrameSource
from ._clock import Clock
from ._loop import CONNECT_TIMEOUT, LoopThread
from ._stream_waits import StreamWaits
from ._waiting import Changes

if TYPE_CHECKING:
    import aiohttp

    from ._apps import AppRoute
    from ._asgi_websocket import AsgiWebSocket

__all__ = ["Connected", "Ended", "MediaSettings", "MediaStream"]

State = Literal["connecting", "connected", "stopped", "failed"]
_TRACKS = {"inbound_track": ("inbound",), "outbound_track": ("outbound",), "both_tracks": ("inbound", "outbound")}


Connected = Callable[[str], None]
"""Told a stream's sid once its WebSocket is up (on the loop thread)."""
Ended = Callable[[str, StreamError | None], None]
"""Told a stream's sid once its session is over, with the ``StreamError`` if it failed (on the loop thread)."""


@attrs.frozen(repr=False)
class MediaSettings:
    """What a session needs to know of its stream (``token`` is a secret: never shown)."""

    sid: str
    account_sid: str
    call_sid: str  # the conference's sid for a conference stream
    url: str
    token: str | None
    track: str
    parameters: Mapping[str, str]
    codec: Codec
    audio: AudioSource
    bidirectional: bool
    ssl_context: ssl.SSLContext | None
    app: AppRoute | None = None  # an ASGI app that takes this WebSocket in-process (None: a loopback socket)

    def __repr__(self) -> str:
        return f"MediaSettings(sid={self.sid!r}, url={self.url!r}, bidirectional={self.bidirectional})"


def _stream_error(error: BaseException) -> StreamError:
    """SignalWire's ``StreamError`` for why a WebSocket could not be opened."""
    import aiohttp

    from ._loopback import NotLoopbackError

    if isinstance(error, NotLoopbackError):  # e.g. the upgrade redirected off loopback: refused, as no server
        return StreamError.CONNECTION_REFUSED
    if isinstance(error, aiohttp.ClientSSLError | ssl.SSLError | TimeoutError | aiohttp.ServerTimeoutError):
        return StreamError.CONNECTION_REFUSED_TIMEOUT_OR_SSL_ERROR
    if isinstance(error, aiohttp.WSServerHandshakeError | aiohttp.ClientConnectorError | ConnectionError):
        return StreamError.CONNECTION_REFUSED  # no server, or it refused the upgrade (e.g. a 401)
    if isinstance(error, aiohttp.InvalidURL | ValueError):
        return StreamError.INVALID_URL
    return StreamError.GENERAL_ERROR


class MediaStream(StreamWaits):
    """What FakeSpace did on one stream's WebSocket; read it, and wait on it, from any thread.

    ``state`` is ``connecting``, ``connected``, ``stopped`` or ``failed`` (then ``error`` is the
    ``StreamError`` sent in the ``stream-error`` callback and ``error_detail`` says why).
    """

    def __init__(
        self, settings: MediaSettings, clock: Clock, loop: LoopThread, *, on_connected: Connected, on_ended: Ended
    ) -> None:
        self.settings = settings
        self._on_connected, self._on_ended = on_connected, on_ended
        self._clock = clock
        self._loop = loop
        self._changed = Changes()
        self.state: State = "connecting"
        self.error: StreamError | None = None
        self.error_detail: str | None = None
        self.frames_sent = 0  # media messages sent (every track)
        self.app_messages: list[media.AppMessage] = []  # what the app sent, parsed
        self.protocol_errors: list[str] = []  # messages from the app that could not be read
        self.marks_echoed: list[str] = []
        self._received = bytearray()
        self._stop_requested: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._ws: aiohttp.ClientWebSocketResponse | AsgiWebSocket | None = None
        self._send_lock: asyncio.Lock | None = None
        self._sequence = 0
        self._queue: deque[tuple[str, float | str]] = deque()  # ("audio", seconds) | ("mark", name)
        self._player: asyncio.Task[None] | None = None
        self._stop_wanted = False
        self.connected_at: float | None = None  # the clock's time when the WebSocket came up: timestamp 0
        self.stop_sent = False  # ``stop`` is on its way to the app (or the WebSocket was closed already)
        self._said = bytearray()  # what the caller says (16-bit PCM), ahead of the stream's own audio

    def __repr__(self) -> str:
        return f"<MediaStream sid={self.settings.sid!r} state={self.state!r} frames_sent={self.frames_sent}>"

    @property
    def sid(self) -> str:
        return self.settings.sid

    @property
    def received_audio(self) -> bytes:
        """The audio the app sent (bidirectional streams), in the stream's codec, in order."""
        with self._changed:
            return bytes(self._received)

    # -- commands (any thread) -------------------------------------------------------------------

    def send_dtmf(self, digit: str, *, duration: int = 250) -> None:
        """Send a ``dtmf`` message (a key the caller pressed; ``duration`` in ms) once connected."""
        if not isinstance(digit, str) or digit not in media.DTMF_DIGITS:
            raise ValueError(f"digit must be one of 0-9, *, #, A-D, got {digit!r}")
        if type(duration) is not int or duration < 0:
            raise ValueError(f"duration must be a non-negative int (ms), got {duration!r}")
        if self.state != "connected":
            raise RuntimeError(f"stream {self.sid} is not connected (state {self.state})")
        self._loop.submit(self._send_dtmf(digit, duration))

    def say(self, pcm: bytes) -> None:
        """The caller speaks: ``pcm`` (16-bit little-endian at the stream's rate) goes on the inbound track from
        the next frame, after what the caller is still saying (the stream's own audio waits meanwhile)."""
        if not isinstance(pcm, bytes | bytearray) or len(pcm) % 2:
            raise ValueError("pcm must be 16-bit PCM bytes (an even number of bytes)")
        self._loop.call_soon(self._said.extend, bytes(pcm))

    def _said_frame(self) -> bytes:
        codec = self.settings.codec
        size = round(codec.sample_rate * FRAME_SECONDS) * 2
        frame = bytes(self._said[:size]).ljust(size, b"\0")
        del self._said[:size]
        return codec.encode(frame)

    def stop(self) -> None:
        """Ask the session to send ``stop`` and close (the space does this when the stream stops)."""
        self._loop.call_soon(self._request_stop)

    def _stop_asked(self) -> bool:
        return self._stop_wanted

    def _request_stop(self) -> None:
        self._stop_wanted = True
        if self._stop_requested is not None:
            self._stop_requested.set()
        elif self._task is not None:
            self._task.cancel()  # still connecting

    # -- the session (loop thread) ---------------------------------------------------------------

    def _set(self, **changes: Any) -> None:
        with self._changed:
            for name, value in changes.items():
                setattr(self, name, value)
            self._changed.notify_all()

    def start(self) -> None:
        """Start the session on the space's loop (from any thread; on the loop, ``begin`` at once)."""
        self._loop.submit(self._begin_soon())

    async def _begin_soon(self) -> None:
        self.begin()

    def begin(self) -> None:
        """On the loop thread: start the session's task."""
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        settings = self.settings
        if self._stop_asked():  # stopped before the session began: never connects
            self._set(state="stopped")
            self._on_ended(settings.sid, None)
            return
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                ws = await self._connect()
        except asyncio.CancelledError:  # stopped while connecting
            self._set(state="stopped")
            self._on_ended(settings.sid, None)
            return
        except Exception as error:  # noqa: BLE001 - every failure becomes the stream-error SignalWire sends
            code = _stream_error(error)
            self._set(state="failed", error=code, error_detail=f"{type(error).__name__}: {error}"[:300])
            self._on_ended(settings.sid, code)
            return
        self._ws, self._send_lock, self._stop_requested = ws, asyncio.Lock(), asyncio.Event()
        if self._stop_asked():  # while connecting, before the stop event existed
            self._stop_requested.set()
        self._set(state="connected", connected_at=self._clock.now())
        self._on_connected(settings.sid)
        try:
            await self._session(ws, self._stop_requested)
        except Exception as error:  # noqa: BLE001 - e.g. the app reset the connection: the stream is over
            self._set(error_detail=f"{type(error).__name__}: {error}"[:300])
        finally:
            if self._player is not None:
                self._player.cancel()
            with contextlib.suppress(Exception):
                await asyncio.shield(ws.close())
            self._set(state="stopped")
            self._on_ended(settings.sid, None)

    async def _connect(self) -> aiohttp.ClientWebSocketResponse | AsgiWebSocket:
        import aiohttp

        settings = self.settings
        headers = {} if settings.token is None else {"Authorization": f"Bearer {settings.token}"}
        if settings.app is not None:
            from ._asgi_websocket import open_asgi_websocket

            return await open_asgi_websocket(settings.app.app, settings.app.loop, settings.url, headers)
        http = await self._loop.http()
        return await http.ws_connect(
            settings.url,
            headers=headers,
            ssl=settings.ssl_context or False,  # streamSslValidateCertificate defaults to false
            autoping=True,
            max_msg_size=1024 * 1024,
            timeout=aiohttp.ClientWSTimeout(ws_close=2.0),
        )

    async def _session(self, ws: aiohttp.ClientWebSocketResponse | AsgiWebSocket, stop: asyncio.Event) -> None:
        settings = self.settings
        await self._send(media.signalwire_connected())  # the one message without a sequence number
        await self._send(
            media.signalwire_start(
                stream_sid=settings.sid,
                account_sid=settings.account_sid,
                call_sid=settings.call_sid,
                sequence_number=self._next(),
                tracks=_TRACKS.get(settings.track, ("inbound",)),
                custom_parameters=settings.parameters,
                encoding=settings.codec.encoding,
                sample_rate=settings.codec.sample_rate,
            ),
        )
        tasks = {
            asyncio.create_task(self._pace()),
            asyncio.create_task(self._read(ws)),
            asyncio.create_task(stop.wait()),
        }
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if not ws.closed:
            with contextlib.suppress(Exception):
                await self._send(media.signalwire_stop(sequence_number=self._next()))
        self._set(stop_sent=True)  # or the app closed first: a REST stop waiting on it may answer now

    async def _send(self, text: str) -> None:
        assert self._ws is not None
        assert self._send_lock is not None
        async with self._send_lock:
            await self._ws.send_str(text)

    def _next(self) -> int:
        self._sequence += 1
        return self._sequence

    async def _pace(self) -> None:
        settings = self.settings
        tracks = _TRACKS.get(settings.track, ("inbound",))
        # The caller's audio on the inbound track; the outbound track (the other party) is silence.
        sources = {
            track: FrameSource(settings.audio if track == "inbound" else b"", settings.codec) for track in tracks
        }
        began = self.connected_at if self.connected_at is not None else self._clock.now()  # timestamp 0
        frame = 0
        while True:  # until the session cancels it (stop, the app closed, or a send failed)
            await self._clock.sleep_until(began + frame * FRAME_SECONDS)
            timestamp = round(frame * FRAME_SECONDS * 1000)
            for track, source in sources.items():
                message = media.signalwire_media(
                    sequence_number=self._next(),
                    audio=self._said_frame() if track == "inbound" and self._said else source.next_frame(),
                    chunk=frame + 1,
                    timestamp=timestamp,
                    track=track,
                )
                await self._send(message)
            frame += 1
            self._set(frames_sent=self.frames_sent + len(sources))

    async def _read(self, ws: aiohttp.ClientWebSocketResponse | AsgiWebSocket) -> None:
        import aiohttp

        async for message in ws:  # ends when the app closes the WebSocket
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            try:
                parsed = media.parse_app_message(message.data)
            except media.MediaProtocolError as error:
                with self._changed:
                    self.protocol_errors.append(str(error))
                continue
            with self._changed:
                self.app_messages.append(parsed)
                if isinstance(parsed, media.AppMedia) and self.settings.bidirectional:
                    self._received += parsed.payload
                self._changed.notify_all()
            if self.settings.bidirectional:
                await self._play(parsed)

    # -- bidirectional playback (loop thread) ----------------------------------------------------

    async def _play(self, message: media.AppMessage) -> None:
        if isinstance(message, media.AppMedia):
            codec = self.settings.codec
            per_second = codec.sample_rate * (2 if codec.encoding == "audio/x-L16" else 1)
            self._queue.append(("audio", len(message.payload) / per_second))
        elif isinstance(message, media.AppMark):
            if not self._queue and (self._player is None or self._player.done()):
                await self._echo(message.name)  # nothing queued: at once
                return
            self._queue.append(("mark", message.name))
        elif isinstance(message, media.AppClear):
            if self._player is not None:
                self._player.cancel()
            pending = [str(value) for kind, value in self._queue if kind == "mark"]
            self._queue.clear()
            for name in pending:
                await self._echo(name)
            return
        else:
            return
        if self._player is None or self._player.done():
            self._player = asyncio.create_task(self._playing())

    async def _playing(self) -> None:
        played_until = self._clock.now()
        while self._queue:
            kind, value = self._queue[0]
            if kind == "audio":
                played_until += float(value)
                await self._clock.sleep_until(played_until)
            else:
                await self._echo(str(value))
            if self._queue and self._queue[0] == (kind, value):
                self._queue.popleft()

    async def _echo(self, name: str) -> None:
        stream_sid = self.settings.sid
        await self._send(media.signalwire_mark(name=name, stream_sid=stream_sid, sequence_number=self._next()))
        with self._changed:
            self.marks_echoed.append(name)
            self._changed.notify_all()

    async def _send_dtmf(self, digit: str, duration: int) -> None:
        if self._ws is None or self._ws.closed:
            raise RuntimeError(f"stream {self.sid} is not connected")
        stream_sid = self.settings.sid if self.settings.bidirectional else None  # as documented
        await self._send(
            media.signalwire_dtmf(sequence_number=self._next(), digit=digit, duration=duration, stream_sid=stream_sid)
        )
