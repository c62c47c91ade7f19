"""A pipecat agent for the end-to-end tests: FastAPI, pipecat's WebSocket transport, the serializer, and a
scripted "bot" (tones, no AI service), served by uvicorn on loopback in a thread of its own.

``Agent`` answers the voice webhook with ``<Connect><Stream>`` and runs one pipeline per WebSocket;
``Bot`` plays a greeting, records what reaches it (the caller's audio, keys, transport messages), and
on cue interrupts itself (``clear``), says goodbye and ends the pipeline. The test thread reads the
record and waits on it (bounded waits on a condition).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import uvicorn
from fastapi import FastAPI, Request, Response, WebSocket
from pipecat.audio.dtmf.types import KeypadEntry
from pipecat.frames.frames import (
    EndWorkerFrame,
    Frame,
    InputAudioRawFrame,
    InputDTMFFrame,
    InputTransportMessageFrame,
    OutputAudioRawFrame,
    StartFrame,
)
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineParams, PipelineWorker
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.transports.websocket.fastapi import FastAPIWebsocketParams, FastAPIWebsocketTransport
from pipecat.workers.runner import WorkerRunner

from signalwire_compat import AsyncClient, cxml, media
from signalwire_compat.integrations.pipecat import SignalWireFrameSerializer, read_start


@attrs.define
class Script:
    """What the bot does: PCM at the pipeline's output rate (16-bit little-endian, mono)."""

    codec: str = "PCMU@8000h"  # the <Stream codec> the voice webhook asks for
    rate: int = 8000  # the pipeline's audio_in/out_sample_rate
    greeting: bytes = b""  # played as soon as the pipeline starts
    goodbye: bytes = b""  # played before the bot ends the pipeline
    end_after_greeting: bool = False  # end (after the goodbye) as soon as the greeting is queued
    end_after_caller_bytes: int | None = None  # end once this much of the caller's PCM arrived
    interrupt_on: str | None = None  # a key that interrupts the bot (then goodbye, then the end)
    # Seconds of silence pipecat's output transport sends in one burst at the end (its own default is 2):
    # audio sent faster than it plays, which the end of the pipeline must wait for.
    end_silence_secs: int = 0
    cancel_on_disconnect: bool = True  # pipecat's usual on_client_disconnected handler: cancel the worker
    pause_after_connect: int | None = None  # <Pause length> after <Connect>: closing the socket then ends no call
    client: Callable[[], AsyncClient] | None = None  # makes the serializer's client for the hang-up, on the app's loop
    params: SignalWireFrameSerializer.InputParams = attrs.field(
        factory=lambda: SignalWireFrameSerializer.InputParams(auto_hang_up=False)
    )


class Record:
    """What one call's pipeline saw, shared with the test thread."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.caller_pcm = bytearray()
        self.caller_rates: set[int] = set()
        self.keys: list[KeypadEntry] = []
        self.messages: list[Any] = []  # InputTransportMessageFrame.message, in order
        self.serializer: SignalWireFrameSerializer | None = None
        self.finished = False
        self.error: BaseException | None = None

    def update(self, change: Callable[[Record], None]) -> None:
        with self.changed:
            change(self)
            self.changed.notify_all()

    def wait(self, done: Callable[[Record], bool], *, timeout: float = 10.0) -> Record:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not done(self):
                left = deadline - time.monotonic()
                assert left > 0, f"the agent did not get there within {timeout} s: {self!r}"
                self.changed.wait(left)
        return self

    def __repr__(self) -> str:
        return (
            f"<Record caller_pcm={len(self.caller_pcm)} keys={self.keys} messages={len(self.messages)}"
            f" finished={self.finished} error={self.error!r}>"
        )


class Bot(FrameProcessor):
    def __init__(self, script: Script, record: Record) -> None:
        super().__init__()
        self._script, self._record = script, record
        self._ending = False

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        script = self._script
        if isinstance(frame, InputAudioRawFrame):

            def add(record: Record) -> None:
                record.caller_pcm += frame.audio
                record.caller_rates.add(frame.sample_rate)

            self._record.update(add)
            wanted = script.end_after_caller_bytes
            if wanted is not None and len(self._record.caller_pcm) >= wanted:
                await self._end()
            return
        if isinstance(frame, InputDTMFFrame):
            self._record.update(lambda record: record.keys.append(frame.button))
            if frame.button.value == script.interrupt_on:
                await self.broadcast_interruption()
                await self._end()
            return
        if isinstance(frame, InputTransportMessageFrame):
            self._record.update(lambda record: record.messages.append(frame.message))
            return
        await self.push_frame(frame, direction)
        if isinstance(frame, StartFrame):
            await self._say(script.greeting)
            if script.end_after_greeting:
                await self._end()

    async def _say(self, pcm: bytes) -> None:
        if pcm:
            await self.push_frame(OutputAudioRawFrame(audio=pcm, sample_rate=self._script.rate, num_channels=1))

    async def _end(self) -> None:
        if not self._ending:
            self._ending = True
            await self._say(self._script.goodbye)
            await self.push_frame(EndWorkerFrame(), FrameDirection.UPSTREAM)


class Agent:
    """The FastAPI app: ``/voice`` -> ``<Connect><Stream url=ws://…/media codec=…>``, ``/media`` -> a pipeline."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.records: list[Record] = []
        self._changed = threading.Condition()
        self.app = FastAPI()
        self.app.add_api_route("/voice", self._voice, methods=["POST"])
        self.app.add_api_websocket_route("/media", self._media)

    async def _voice(self, request: Request) -> Response:
        response = cxml.VoiceResponse()
        url = request.url.replace(scheme="ws", path="/media", query="")
        response.connect().stream(url=str(url), codec=self.script.codec)
        if self.script.pause_after_connect is not None:
            response.pause(length=self.script.pause_after_connect)
        return Response(str(response), media_type="text/xml")

    async def _media(self, websocket: WebSocket) -> None:
        record = Record()
        with self._changed:
            self.records.append(record)
            self._changed.notify_all()
        try:
            await websocket.accept()
            start = await read_start(websocket)
            async with contextlib.AsyncExitStack() as stack:
                client = None if self.script.client is None else await stack.enter_async_context(self.script.client())
                await self._run(websocket, start, record, client)
        except BaseException as error:
            record.update(lambda r, caught=error: setattr(r, "error", caught))
            raise
        finally:
            record.update(lambda r: setattr(r, "finished", True))

    async def _run(self, websocket: WebSocket, start: media.Start, record: Record, client: AsyncClient | None) -> None:
        serializer = SignalWireFrameSerializer.from_start(
            start, send=websocket.send_text, client=client, params=self.script.params
        )
        record.update(lambda r: setattr(r, "serializer", serializer))
        transport = FastAPIWebsocketTransport(
            websocket,
            FastAPIWebsocketParams(
                audio_in_enabled=True,
                audio_out_enabled=True,
                audio_out_end_silence_secs=self.script.end_silence_secs,
                serializer=serializer,
            ),
        )
        pipeline = Pipeline([transport.input(), Bot(self.script, record), transport.output()])
        rate = self.script.rate
        worker = PipelineWorker(
            pipeline,
            params=PipelineParams(audio_in_sample_rate=rate, audio_out_sample_rate=rate),
            enable_rtvi=False,
            idle_timeout_secs=None,
        )

        async def cancel(*_: object) -> None:  # the caller (FakeSpace) went away
            await worker.cancel()

        if self.script.cancel_on_disconnect:
            transport.add_event_handler("on_client_disconnected", cancel)
        runner = WorkerRunner(handle_sigint=False)
        await runner.add_workers(worker)
        await runner.run()

    def wait_for_record(self, *, timeout: float = 10.0) -> Record:
        """The first call's record, once its WebSocket reached the agent."""
        with self._changed:
            assert self._changed.wait_for(lambda: self.records, timeout), "no WebSocket reached the agent"
            return self.records[0]


@contextlib.contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 in a thread; yields its http:// base URL; stops on exit."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # connections wait in the backlog until uvicorn accepts: no wait for its start
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[listener])), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        assert not thread.is_alive(), "uvicorn did not stop within 10 s"
