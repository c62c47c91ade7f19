"""`make demo`, part 4: an incoming call streamed to your application over a real WebSocket.

"Your application" is three aiohttp.web handlers (aiohttp ships with the SDK): ``/voice`` answers
the signed voice webhook with cXML built by ``cxml``; ``/audio`` is the WebSocket handler, which
reads SignalWire's messages with ``media`` and decodes the μ-law audio; ``/stream-status`` verifies
and parses the stream status callbacks. FakeSpace plays SignalWire, in real time.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

from aiohttp import WSMsgType, web

import signalwire_compat as sw
from scripts.loopback_app import LoopbackServer
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeSpace

STREAM_NAME = "caller-audio"


def say(text: str) -> None:
    """One line in one write: the app's handlers run on other threads, and print() writes the newline apart."""
    sys.stdout.write(text + "\n")


class MediaApplication:
    """Your app's three handlers, served on 127.0.0.1 from a thread of its own."""

    def __init__(self, signing_key: str) -> None:
        self.signing_key = signing_key
        self.frames = 0
        self.seconds = 0.0
        self.stopped = threading.Event()
        self.callbacks: list[sw.StreamStatusCallback] = []
        self.refused = 0
        self._changed = threading.Condition()
        routes = [
            web.post("/voice", self.voice),
            web.get("/audio", self.audio),
            web.post("/stream-status", self.stream_status),
        ]
        self._server = LoopbackServer(routes, name="your-app")

    async def voice(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not sw.webhooks.validate_request(self.signing_key, request=request, body=body):
            self.refused += 1
            return web.Response(status=403)
        form = {name: str(value) for name, value in (await request.post()).items()}
        say(f"  [your app] voice webhook verified: call {form['CallSid']} from {form['From']} ({form['CallStatus']})")
        response = cxml.VoiceResponse()
        response.start().stream(
            url=f"ws://127.0.0.1:{self.port}/audio", name=STREAM_NAME, status_callback="/stream-status"
        ).parameter("Lang", "en")
        response.pause(length=30)  # the call goes on while the stream runs
        return web.Response(text=str(response), content_type="text/xml")

    async def audio(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            event = media.parse(message.data)
            if isinstance(event, media.Start):
                encoding = f"{event.media_format.encoding} at {event.media_format.sample_rate} Hz"
                say(f"  [your app] WebSocket start: {encoding}, parameters {dict(event.custom_parameters)}")
            elif isinstance(event, media.Media):
                pcm = media.ulaw_to_pcm16(event.payload)  # 16-bit little-endian PCM, 2 bytes a sample
                with self._changed:
                    self.frames += 1
                    self.seconds += len(pcm) / 2 / 8000
                    self._changed.notify_all()
            elif isinstance(event, media.Stop):
                say(f"  [your app] WebSocket stop: {self.frames} frames, {self.seconds:.2f} s of audio received")
                self.stopped.set()
        return ws

    async def stream_status(self, request: web.Request) -> web.Response:
        try:
            callback = sw.webhooks.stream_status_from_request(
                self.signing_key, request=request, body=await request.read()
            )
        except sw.InvalidSignatureError:
            self.refused += 1
            return web.Response(status=403)
        say(
            f"  [your app] status callback verified: {callback.event} for {callback.stream_name!r} "
            f"(track {callback.track}, at {callback.timestamp})"
        )
        with self._changed:
            self.callbacks.append(callback)
            self._changed.notify_all()
        return web.Response(status=204)

    def wait(self, done: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    @property
    def port(self) -> int:
        return self._server.port

    def __enter__(self) -> MediaApplication:
        self._server.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.__exit__(*exc_info)


def incoming_call(space: FakeSpace, check: Callable[[bool, str], None], seconds: float = 2.0) -> None:
    """Part 4: place the call, stream ``seconds`` of audio, stop the stream by name, check the callbacks."""
    with MediaApplication(space.signing_key) as app:
        call = space.incoming_call(f"http://127.0.0.1:{app.port}/voice", from_="+15551230000", to="+15559870000")
        call.wait_for_streams(1, timeout=10)
        wanted = round(seconds / 0.02)
        check(app.wait(lambda: app.frames >= wanted), f"only {app.frames} audio frames reached the app")
        with space.client() as client:
            stopped = client.calls(call.sid).streams(STREAM_NAME).stop()
        say(f"  stopped by name over REST: stream {stopped.sid} status={stopped.status}")
        check(app.stopped.wait(10), "the app's WebSocket never got 'stop'")
        call.hangup()
        call.wait_until_ended(timeout=10)
        check(app.wait(lambda: len(app.callbacks) >= 2), "the status callbacks did not arrive")
        events = [callback.event for callback in app.callbacks]
        check(events == [sw.StreamEvent.STARTED, sw.StreamEvent.STOPPED], f"callbacks verified: {events}")
        check(app.refused == 0, "a webhook failed its signature check")
        say(
            f"  call {call.status}: {app.frames} frames ({app.seconds:.2f} s) decoded by your WebSocket handler; "
            "2 typed status callbacks verified"
        )
