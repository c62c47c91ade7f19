"""One stream's WebSocket, as SignalWire plays it: connect, ``connected``/``start``, ``media`` on the space's
ticks (``_pacer``), ``stop``, then a closing handshake.

A bidirectional stream also plays the app's audio (``_playback``, which records what the caller heard),
echoes its marks once the audio queued before them has played (by the space's clock) and flushes on
``clear``. Everything the session sends goes into one queue that one task writes in order: sequence numbers
go out in order, and an app that stops reading holds up its own stream only.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any, Literal

from .. import media
from ._caller_audio import CallerAudio
from ._heard import Heard
from ._loop import CONNECT_TIMEOUT, LoopThread
from ._media_connect import CLOSE_TIMEOUT, Connected, Ended, MediaSettings, connect, stream_error
from ._outbox import Outbox
from ._pacer import Pacer, tick_at
from ._playback import Playback
from ._stream_waits import StreamWaits
from ._waiting import Changes

if TYPE_CHECKING:
    import aiohttp

    from .._stream_status import StreamError
    from ._asgi_websocket import AsgiWebSocket

    WebSocket = aiohttp.ClientWebSocketResponse | AsgiWebSocket

__all__ = ["Connected", "Ended", "MediaSettings", "MediaStream"]

State = Literal["connecting", "connected", "stopped", "failed"]


class MediaStream(StreamWaits):
    """What FakeSpace did on one stream's WebSocket; read it, and wait on it, from any thread.

    ``state`` is ``connecting``, ``connected``, ``stopped`` or ``failed`` (then ``error`` is the
    ``StreamError`` sent in the ``stream-error`` callback and ``error_detail`` says why).
    """

    def __init__(
        self, settings: MediaSettings, pacer: Pacer, loop: LoopThread, *, on_connected: Connected, on_ended: Ended
    ) -> None:
        self.settings = settings
        self._on_connected, self._on_ended = on_connected, on_ended
        self._pacer, self._clock, self._loop = pacer, pacer.clock, loop
        self._changed = Changes()
        self.state: State = "connecting"
        self.error: StreamError | None = None
        self.error_detail: str | None = None
        self.frames_sent = 0  # media messages sent (every track)
        self.app_messages: list[media.AppMessage] = []  # what the app sent, parsed
        self.protocol_errors: list[str] = []  # messages from the app that could not be read
        self.marks_echoed: list[str] = []
        self.connected_at: float | None = None  # the clock's time when the WebSocket came up: timestamp 0
        self.stop_sent = False  # ``stop`` is on its way to the app (or the WebSocket was closed already)
        self._received = bytearray()
        codec = settings.codec
        self._playback = (
            Playback(rate=codec.sample_rate, width=codec.width, decode=codec.decode) if settings.bidirectional else None
        )
        self._caller = CallerAudio(settings.track, settings.audio, codec)
        self._out = Outbox(self._frames_sent)
        self._closing = False  # `stop` is queued: nothing more goes out, the app's audio is no longer played
        self._stop_requested: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._mark_due: float | None = None  # when the next pending mark is due, and the task waiting for it
        self._mark_timer: asyncio.Task[None] | None = None
        self._stop_wanted = False

    def __repr__(self) -> str:
        return f"<MediaStream sid={self.settings.sid!r} state={self.state!r} frames_sent={self.frames_sent}>"

    @property
    def sid(self) -> str:
        return self.settings.sid

    @property
    def received_audio(self) -> bytes:
        """The audio the app sent (bidirectional streams), in the stream's codec, in order: all of it,
        whether the caller heard it or a ``clear`` dropped it (``heard`` says which)."""
        with self._changed:
            return bytes(self._received)

    @property
    def heard(self) -> Heard:
        """What the caller has heard so far on this bidirectional stream: the app's audio as SignalWire
        played it, minus what a ``clear`` dropped or the stream's end cut, as 16-bit PCM at the stream's
        rate, with its timeline on the space's clock (a stream that is not bidirectional: nothing)."""
        with self._changed:
            if self._playback is None:
                return Heard(b"", self.settings.codec.sample_rate)
            return self._playback.heard(self._clock.now())

    # -- commands (any thread) -------------------------------------------------------------------

    def send_dtmf(self, digit: str, *, duration: int = 250) -> None:
        """Send a ``dtmf`` message (a key the caller pressed; ``duration`` in ms) once connected."""
        if not isinstance(digit, str) or digit not in media.DTMF_DIGITS:
            raise ValueError(f"digit must be one of 0-9, *, #, A-D, got {digit!r}")
        if type(duration) is not int or duration < 0:
            raise ValueError(f"duration must be a non-negative int (ms), got {duration!r}")
        if self.state != "connected":
            raise RuntimeError(f"stream {self.sid} is not connected (state {self.state})")
        self._loop.call_soon(self._dtmf, digit, duration)

    def say(self, pcm: bytes | bytearray | memoryview) -> float:
        """Have the caller say ``pcm``: 16-bit signed little-endian mono PCM at the stream's sample rate
        (``settings.codec.sample_rate``; L16@16000h: 16 kHz), sent on the inbound track in the stream's codec.

        It takes the place of the call's audio (its tone or PCM) from the next frame due on the space's clock
        for as long as it lasts; the call's audio runs on underneath, unheard, and is back after it. A last
        partial 20 ms frame is padded with silence; speech queued while earlier speech is still being sent
        follows it. Queued before the WebSocket is up, it starts with the first frame. Safe from any thread.

        Returns how long it lasts in seconds (whole 20 ms frames). ``TypeError``/``ValueError`` for audio
        that is not 16-bit PCM bytes, ``ValueError`` if the stream carries no inbound track
        (``outbound_track``), ``RuntimeError`` once the stream has ended.
        """
        if self.state in ("stopped", "failed") or self._stop_wanted:
            raise RuntimeError(f"stream {self.sid} has ended or is stopping (state {self.state})")
        return self._caller.say(pcm)

    def stop(self) -> None:
        """Ask the session to send ``stop`` and close (the space does this when the stream stops)."""
        self._loop.call_soon(self._request_stop)

    def _stop_asked(self) -> bool:  # a call, so that type checkers do not narrow the flag across awaits
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
                ws = await connect(settings, self._loop)
        except asyncio.CancelledError:  # stopped while connecting
            self._set(state="stopped")
            self._on_ended(settings.sid, None)
            return
        except Exception as error:  # noqa: BLE001 - every failure becomes the stream-error SignalWire sends
            code = stream_error(error)
            self._set(state="failed", error=code, error_detail=f"{type(error).__name__}: {error}"[:300])
            self._on_ended(settings.sid, code)
            return
        self._stop_requested = asyncio.Event()
        if self._stop_asked():  # while connecting, before the stop event existed
            self._stop_requested.set()
        self._set(state="connected", connected_at=self._clock.now())
        self._on_connected(settings.sid)
        try:
            await self._session(ws, self._stop_requested)
        except Exception as error:  # noqa: BLE001 - e.g. the app reset the connection: the stream is over
            self._set(error_detail=f"{type(error).__name__}: {error}"[:300])
        finally:
            self._pacer.leave(self)
            self._closing = True
            self._time_mark(None)
            with self._changed:
                if self._playback is not None:
                    self._playback.end(self._clock.now())
            with contextlib.suppress(Exception):
                await asyncio.shield(ws.close())
            self._set(state="stopped")
            self._on_ended(settings.sid, None)

    async def _session(self, ws: WebSocket, stop: asyncio.Event) -> None:
        settings = self.settings
        self._out.post(media.signalwire_connected())  # the one message without a sequence number
        self._out.post(
            media.signalwire_start(
                stream_sid=settings.sid,
                account_sid=settings.account_sid,
                call_sid=settings.call_sid,
                sequence_number=self._out.number(),
                tracks=self._caller.tracks,
                custom_parameters=settings.parameters,
                encoding=settings.codec.encoding,
                sample_rate=settings.codec.sample_rate,
            ),
        )
        writer, reader = asyncio.create_task(self._out.write(ws.send_str)), asyncio.create_task(self._read(ws))
        stopping = asyncio.create_task(stop.wait())
        tasks = (writer, reader, stopping)
        assert self.connected_at is not None
        self._caller.first_tick = first = tick_at(self.connected_at)  # timestamp 0, however the clock moved since
        self._pacer.join(self, first)
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            self._pacer.leave(self)
            for side in (writer, reader):  # a send or a read failed: e.g. the app reset the connection
                error = side.exception() if side.done() and not side.cancelled() else None
                if error is not None:
                    raise error
            if stopping.done() and not writer.done() and not reader.done():
                await self._close(ws, writer, reader)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if not self.stop_sent:  # the app closed first, or the connection failed: a REST stop may answer
                self._set(stop_sent=True)

    async def _close(self, ws: WebSocket, writer: asyncio.Task[None], reader: asyncio.Task[None]) -> None:
        """End the stream as SignalWire does: what was due by now, then ``stop``, then the closing handshake
        (the app's close frame awaited, what it sends meanwhile read and dropped, for at most CLOSE_TIMEOUT).
        Cancelling the reader instead would drop the connection: an app still sending then gets a reset,
        which can discard the unread ``stop``."""
        now = self._catch_up()
        self._closing = True
        with self._changed:
            if self._playback is not None:
                self._playback.end(now)  # the caller hears nothing after `stop`
        self._out.post(media.signalwire_stop(sequence_number=self._out.number()), last=True)
        with contextlib.suppress(Exception):
            try:
                await writer  # the queue written, `stop` last (or the app went away meanwhile)
            finally:
                self._set(stop_sent=True)  # a REST stop that caused it answers now
            async with asyncio.timeout(CLOSE_TIMEOUT + 1.0):  # aiohttp bounds each wait by CLOSE_TIMEOUT
                await ws.close()
                await reader  # aiohttp may run the handshake from the reader's receive: it must finish it

    def _catch_up(self) -> float:
        """Queue what is due by the clock's now before anything else goes out (the pacer may wake a little
        later: a ``ManualClock``'s advance reaches it after a call made just after it); returns now."""
        now = self._clock.now()
        self.pace(tick_at(now), now)
        return now

    def _frames_sent(self, count: int) -> None:
        self._set(frames_sent=self.frames_sent + count)

    def pace(self, tick: int, at: float) -> None:
        """The pacer's tick (``_pacer.Paced``): queue this stream's frames due up to ``tick``, each track's in
        turn, and what its playback has due at ``at``."""
        if self._closing:
            return
        self._out.frames(self._caller, tick)
        if self._playback is not None:
            with self._changed:
                self._echo(self._playback.advance(at))
                due = self._playback.next_due()
            self._time_mark(due)

    def _time_mark(self, due: float | None) -> None:
        """Be woken at ``due``, when the next pending mark is (None: no longer), to echo it on time even
        between two of the stream's frames (on the loop)."""
        if due == self._mark_due:
            return
        if self._mark_timer is not None:
            self._mark_timer.cancel()
        self._mark_due, self._mark_timer = due, None
        if due is not None:
            self._mark_timer = asyncio.get_running_loop().create_task(self._echo_at(due))

    async def _echo_at(self, due: float) -> None:
        await self._clock.sleep_until(due)
        self._mark_due = self._mark_timer = None
        self._catch_up()

    def _echo(self, names: list[str]) -> None:
        """Queue the echo of each mark, in order (on the loop, under ``_changed``)."""
        if not names:
            return
        for name in names:
            self._out.post(media.signalwire_mark(name=name, stream_sid=self.sid, sequence_number=self._out.number()))
            self.marks_echoed.append(name)
        self._changed.notify_all()

    async def _read(self, ws: WebSocket) -> None:
        import aiohttp

        async for message in ws:  # ends when the app closes the WebSocket (or the closing handshake ends it)
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            try:
                parsed = media.parse_app_message(message.data)
            except media.MediaProtocolError as error:
                with self._changed:
                    self.protocol_errors.append(str(error))
                continue
            self._heard_from_app(parsed)

    def _heard_from_app(self, message: media.AppMessage) -> None:
        """Record what the app sent and, on a bidirectional stream, play it (on the loop): recorded and played
        at once, so a test that waited for the message finds its effect on the playback."""
        playback, due, now = self._playback, None, self._clock.now()
        if not self._closing:
            self._out.frames(self._caller, tick_at(now))  # what is due goes before an echo
        with self._changed:
            self.app_messages.append(message)
            if playback is not None and isinstance(message, media.AppMedia):
                self._received += message.payload
            if playback is not None and not self._closing:
                if isinstance(message, media.AppMedia):
                    echoes = playback.audio(now, message.payload)
                elif isinstance(message, media.AppMark):
                    echoes = playback.mark(now, message.name)
                elif isinstance(message, media.AppClear):
                    echoes = playback.clear(now)
                else:
                    echoes = playback.advance(now)
                self._echo(echoes)
                due = playback.next_due()
            self._changed.notify_all()
        if playback is not None and not self._closing:
            self._time_mark(due)

    def _dtmf(self, digit: str, duration: int) -> None:
        if self._closing:
            return  # ended meanwhile
        self._catch_up()
        stream_sid = self.sid if self.settings.bidirectional else None  # as documented
        number = self._out.number()
        self._out.post(
            media.signalwire_dtmf(sequence_number=number, digit=digit, duration=duration, stream_sid=stream_sid)
        )
