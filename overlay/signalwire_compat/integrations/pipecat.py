# mypy: allow-subclassing-any, disable-error-code="import-not-found"
# (Both only matter where pipecat is not installed, as in the SDK's own type check and a vendored copy: there
# pipecat's names are Any. `make test-pipecat` checks this module strictly with pipecat installed.)
"""SignalWire media streams in pipecat pipelines: ``read_start`` and ``SignalWireFrameSerializer``.

    from signalwire_compat.integrations.pipecat import SignalWireFrameSerializer, read_start

    await websocket.accept()
    start = await read_start(websocket)  # `connected` and `start`, typed: codec, rate, sids, parameters
    serializer = SignalWireFrameSerializer.from_start(start, send=websocket.send_text)
    transport = FastAPIWebsocketTransport(websocket, FastAPIWebsocketParams(serializer=serializer, ...))

Needs the ``pipecat`` extra (``pip install 'signalwire-compat[pipecat]'``). One serializer per stream:
μ-law and L16 (8, 16 or 24 kHz) both ways, resampled by pipecat's own stream resampler only when the
pipeline's rate differs; DTMF as ``InputDTMFFrame`` (A-D, which pipecat's keypad lacks, as transport
messages); a mark after every audio chunk sent, whose echoes come back as transport messages and
tell what the caller heard (``played_seconds``); ``clear`` on interruption; SignalWire's ``stop`` as
the pipeline's end. On ``EndFrame`` it returns once the caller has heard the audio already sent (at
most ``playout_timeout_secs``), then hangs the call up through the SDK's client, if given one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal

from .. import media
from .._exceptions import MediaProtocolError, SignalWireError
from ._backlog import Backlog
from ._handshake import ASGIWebSocket, read_start

try:
    from pipecat.audio.dtmf.types import KeypadEntry
    from pipecat.audio.utils import create_stream_resampler
    from pipecat.frames.frames import (
        AudioRawFrame,
        CancelFrame,
        EndFrame,
        EndWorkerFrame,
        Frame,
        InputAudioRawFrame,
        InputDTMFFrame,
        InputTransportMessageFrame,
        InterruptionFrame,
        OutputTransportMessageFrame,
        OutputTransportMessageUrgentFrame,
    )
    from pipecat.processors.frame_processor import FrameProcessorSetup
    from pipecat.serializers.base_serializer import FrameSerializer
    from pipecat.utils.asyncio.task_manager import BaseTaskManager
    from pydantic import Field
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        f"signalwire_compat.integrations.pipecat needs pipecat ({missing.name} is missing): "
        "pip install 'signalwire-compat[pipecat]'",
        name=missing.name,
    ) from None

if TYPE_CHECKING:
    from .._async._client import AsyncClient

__all__ = ["ASGIWebSocket", "SignalWireFrameSerializer", "read_start"]

logger = logging.getLogger(__name__)

Send = Callable[[str], Awaitable[object]]
_MULAW, _L16 = "audio/x-mulaw", "audio/x-L16"
_KEYPAD = frozenset(entry.value for entry in KeypadEntry)
_MARK_PREFIX = "signalwire-compat-audio-"


class SignalWireFrameSerializer(FrameSerializer):
    """pipecat frames <-> one SignalWire bidirectional stream (``<Connect><Stream>``); see the module docstring.

    Build it with ``from_start``. ``send`` is the WebSocket's send of a text frame (``websocket.send_text``),
    which it uses to put each audio chunk's mark right behind it; everything else it returns to the transport.
    """

    class InputParams(FrameSerializer.InputParams):
        """``sample_rate``: the pipeline's input rate (None: the pipeline's ``audio_in_sample_rate``).
        ``auto_hang_up``: hang the call up through the client when the pipeline ends (after playout on
        ``EndFrame``). ``l16_byteorder``: how L16 payloads are read and written: little-endian by default,
        as SignalWire's own sample apps hand them to little-endian consumers (its docs do not say).
        ``playout_timeout_secs``: the most the end of the pipeline waits for the caller to hear what was sent.
        ``playout_margin_secs``: added to the estimated playout end when the last mark's echo cannot be seen
        (pipecat has stopped reading the WebSocket by then), for the audio still travelling to SignalWire.
        """

        sample_rate: int | None = Field(default=None, gt=0)
        auto_hang_up: bool = True
        l16_byteorder: Literal["little", "big"] = "little"
        playout_timeout_secs: float = Field(default=10.0, ge=0)
        playout_margin_secs: float = Field(default=0.25, ge=0)

    def __init__(
        self,
        *,
        stream_sid: str,
        call_sid: str,
        media_format: media.MediaFormat,
        send: Send,
        client: AsyncClient | None = None,
        params: SignalWireFrameSerializer.InputParams | None = None,
    ) -> None:
        params = SignalWireFrameSerializer.InputParams() if params is None else params
        if not isinstance(params, SignalWireFrameSerializer.InputParams):
            raise TypeError(f"params must be SignalWireFrameSerializer.InputParams, not {type(params).__name__}")
        for name, value in (("stream_sid", stream_sid), ("call_sid", call_sid)):
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name} must be a non-empty str, got {value!r}")
        if not callable(send):
            raise TypeError(f"send must be an async function sending one text frame, not {type(send).__name__}")
        _check_format(media_format)
        _check_client(client)
        super().__init__(params)
        self._params: SignalWireFrameSerializer.InputParams = params
        self.stream_sid, self.call_sid, self.media_format = stream_sid, call_sid, media_format
        self._send_text, self._client = send, client
        self._stream_rate = media_format.sample_rate
        self._sample_rate = params.sample_rate or self._stream_rate  # the pipeline's, once set up
        self._input_resampler = create_stream_resampler(clear_after_secs=params.resampler_clear_after_secs)
        self._output_resampler = create_stream_resampler(clear_after_secs=params.resampler_clear_after_secs)
        self._backlog = Backlog(_MARK_PREFIX)
        self._changed = asyncio.Event()  # set when a mark echo or `stop` arrives
        self._stream_stopped = False  # SignalWire sent `stop`: the stream (and maybe the call) is over
        self._send_failed = False
        self._ended = False

    @classmethod
    def from_start(
        cls,
        start: media.Start,
        *,
        send: Send,
        client: AsyncClient | None = None,
        params: SignalWireFrameSerializer.InputParams | None = None,
    ) -> SignalWireFrameSerializer:
        """The serializer for the stream ``start`` describes (from ``read_start``); refuses a codec it cannot
        play (``MediaProtocolError``) and a bad argument before anything is sent."""
        if not isinstance(start, media.Start):
            raise TypeError(f"start must be a media.Start (from read_start), not {type(start).__name__}")
        return cls(
            stream_sid=start.stream_sid,
            call_sid=start.call_sid,
            media_format=start.media_format,
            send=send,
            client=client,
            params=params,
        )

    def __repr__(self) -> str:
        encoding, rate = self.media_format.encoding, self._stream_rate
        return f"<SignalWireFrameSerializer stream_sid={self.stream_sid!r} {encoding}@{rate} {self._backlog!r}>"

    @property
    def played_seconds(self) -> float:
        """Seconds of the audio sent that SignalWire's mark echoes say the caller heard (cleared audio excluded)."""
        return self._backlog.played_seconds

    # pipecat's FrameSerializer.setup takes a FrameProcessorSetup where its base, BaseObject.setup, takes a
    # task manager: accepting both keeps the override sound for either.
    async def setup(self, setup: FrameProcessorSetup | BaseTaskManager) -> None:
        if isinstance(setup, FrameProcessorSetup):
            self._sample_rate = self._params.sample_rate or setup.audio_in_sample_rate

    # -- SignalWire -> pipeline --------------------------------------------------------------------

    async def deserialize(self, data: str | bytes) -> Frame | None:
        """One message SignalWire sent -> a frame, or None (pipecat's input loop ends on an exception:
        a malformed message is logged and skipped)."""
        try:
            message = media.parse(data)
            if isinstance(message, media.Media):
                return await self._caller_audio(message)
        except MediaProtocolError as error:
            logger.warning(
                "stream %s: skipping a message SignalWire's protocol does not allow: %s", self.stream_sid, error
            )
            return None
        if isinstance(message, media.Dtmf):
            if message.digit in _KEYPAD:
                return InputDTMFFrame(KeypadEntry(message.digit))
            return InputTransportMessageFrame(message=json.loads(data))  # A-D: pipecat's keypad has none
        if isinstance(message, media.Mark):
            if self._backlog.echoed(message.name, now=_now()):
                self._changed.set()
            return InputTransportMessageFrame(message=json.loads(data))
        if isinstance(message, media.Stop):
            self._stream_stopped = True
            self._changed.set()
            return EndWorkerFrame()  # ends the pipeline as its worker does: EndFrame from the start
        if isinstance(message, media.Unknown):
            return InputTransportMessageFrame(message=dict(message.data))
        return None  # `connected` and `start`, already read by read_start

    async def _caller_audio(self, message: media.Media) -> Frame | None:
        if message.track != "inbound":  # a unidirectional both_tracks stream: the other party's audio
            return None
        if self.media_format.encoding == _MULAW:
            pcm = media.ulaw_to_pcm16(message.payload)
        else:
            pcm = media.l16_to_pcm16(message.payload, byteorder=self._params.l16_byteorder)
        if self._sample_rate != self._stream_rate:
            pcm = await self._input_resampler.resample(pcm, self._stream_rate, self._sample_rate)
        if not pcm:
            return None
        return InputAudioRawFrame(audio=pcm, sample_rate=self._sample_rate, num_channels=1)

    # -- pipeline -> SignalWire --------------------------------------------------------------------

    async def serialize(self, frame: Frame) -> str | bytes | None:
        """A frame -> the message for the transport to send, or None (audio and its mark are sent here)."""
        if isinstance(frame, EndFrame | CancelFrame):
            await self._end(after_playout=isinstance(frame, EndFrame))
            return None
        if isinstance(frame, InterruptionFrame):
            self._backlog.cleared(now=_now())
            return media.clear_message(self.stream_sid)
        if isinstance(frame, AudioRawFrame):
            await self._play(frame)
            return None
        if isinstance(frame, OutputTransportMessageFrame | OutputTransportMessageUrgentFrame):
            return None if self.should_ignore_frame(frame) else json.dumps(frame.message)
        return None

    async def _play(self, frame: AudioRawFrame) -> None:
        if self._send_failed or self._ended:
            return
        if frame.num_channels != 1:
            logger.warning(
                "stream %s: dropping %d-channel audio (telephony is mono)", self.stream_sid, frame.num_channels
            )
            return
        pcm = frame.audio
        if frame.sample_rate != self._stream_rate:
            pcm = await self._output_resampler.resample(pcm, frame.sample_rate, self._stream_rate)
        if not pcm:
            return
        if self.media_format.encoding == _MULAW:
            payload = media.pcm16_to_ulaw(pcm)
        else:
            payload = media.pcm16_to_l16(pcm, byteorder=self._params.l16_byteorder)
        mark = self._backlog.sent(len(pcm) / (2 * self._stream_rate), now=_now())
        if await self._send(media.media_message(self.stream_sid, payload)):
            await self._send(media.mark_message(self.stream_sid, mark))

    async def _send(self, text: str) -> bool:
        if self._send_failed:
            return False
        try:
            await self._send_text(text)
        except Exception as error:  # noqa: BLE001 - the app's send: any failure means the WebSocket is gone
            self._send_failed = True
            self._changed.set()
            logger.info("stream %s: the WebSocket no longer takes messages (%s)", self.stream_sid, type(error).__name__)
            return False
        return True

    # -- the end -----------------------------------------------------------------------------------

    async def _end(self, *, after_playout: bool) -> None:
        if self._ended:
            return
        self._ended = True
        if after_playout:
            await self._wait_for_playout()
        if self._params.auto_hang_up and self._client is not None and not self._stream_stopped:
            await self._hang_up(self._client)

    async def _wait_for_playout(self) -> None:
        """Until the caller has heard what was sent: the last mark's echo when pipecat still reads the socket,
        else the time the audio sent since the last echo takes to play (plus the margin); at most the timeout."""
        params = self._params
        deadline = _now() + params.playout_timeout_secs
        while not (self._backlog.done or self._stream_stopped or self._send_failed):
            done_at = self._backlog.done_at
            left = min(deadline, (done_at or 0.0) + params.playout_margin_secs) - _now()
            if left <= 0:
                if _now() >= deadline:
                    logger.warning(
                        "stream %s: stopped waiting for playout after %g s",
                        self.stream_sid,
                        params.playout_timeout_secs,
                    )
                return
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self._changed.wait()

    async def _hang_up(self, client: AsyncClient) -> None:
        try:
            await client.calls(self.call_sid).hang_up()  # a call that already ended counts as hung up
        except SignalWireError as error:  # the SDK's errors are redacted
            logger.warning("call %s: could not hang up: %s", self.call_sid, error)


def _now() -> float:
    return asyncio.get_running_loop().time()


def _check_format(media_format: media.MediaFormat) -> None:
    if not isinstance(media_format, media.MediaFormat):
        raise TypeError(f"media_format must be a media.MediaFormat, not {type(media_format).__name__}")
    encoding, rate, channels = media_format.encoding, media_format.sample_rate, media_format.channels
    if channels != 1 or not ((encoding == _MULAW and rate == 8000) or (encoding == _L16 and rate > 0)):
        raise MediaProtocolError(
            f"the stream's media format ({encoding}, {rate} Hz, {channels} channel(s)) is not one this serializer"
            " plays: audio/x-mulaw at 8000 Hz or audio/x-L16 (cXML codec PCMU, L16@16000h, L16@24000h), mono"
        )


def _check_client(client: object) -> None:
    if client is None:
        return
    from .._async._client import AsyncClient

    if not isinstance(client, AsyncClient):
        raise TypeError(
            f"client must be a signalwire_compat.AsyncClient (pipecat is async), not {type(client).__name__}"
        )
