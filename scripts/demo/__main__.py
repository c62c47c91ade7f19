"""`make demo`: the whole life of a media stream, end to end, on a local fake SignalWire space.

Starts a FakeSpace on 127.0.0.1 and, next to it, "your application": a small web server whose
handler checks every status callback's signature with ``sw.webhooks``. Then:

1. the sync client starts a call stream (two custom parameters, a status callback), the signed
   ``stream-started`` callback arrives and is verified, the stream is stopped by name, and the
   ``stream-stopped`` callback arrives; a conference stream is stopped through an injected 503;
2. the async client starts and stops conference streams concurrently;
3. the command line starts a stream and stops it by name;
4. an incoming call: the fake space sends the signed voice webhook to your app, which answers with
   cXML built by ``cxml``; the space streams call audio to your app's WebSocket handler (which
   decodes μ-law with ``media``), the stream is stopped by name over REST, and your app verifies
   and parses the typed status callbacks.

Needs no credentials and no network (loopback only). Exits non-zero if anything goes wrong.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import signalwire_compat as sw
from scripts.demo.media import incoming_call
from signalwire_compat.testing import FakeSpace

WEBSOCKET = "wss://media.example.com/audio"


def show(label: str, stream: sw.CallStream | sw.ConferenceStream) -> None:
    parent = f"call {stream.call_sid}" if isinstance(stream, sw.CallStream) else f"conference {stream.conference_sid}"
    print(f"  {label:<24} stream {stream.sid} on {parent}")
    print(f"  {'':<24} status={stream.status}  name={stream.name!r}  date_updated={stream.updated_at.isoformat()}")


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"demo: FAILED: {message}", file=sys.stderr)
        raise SystemExit(1)


class YourApplication:
    """A web server with one route, /stream-status, that trusts only signed callbacks."""

    def __init__(self, signing_key: str) -> None:
        self.verified: list[dict[str, str]] = []
        self.refused = 0
        application = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = f"http://{self.headers['Host']}{self.path}"  # exactly what SignalWire requested
                signature = sw.webhooks.signature_from_headers(self.headers)
                if not sw.webhooks.validate(
                    signing_key, signature=signature, url=url, body=body, content_type=self.headers["Content-Type"]
                ):
                    application.refused += 1
                    self.send_response(403)
                else:
                    application.verified.append(dict(parse_qsl(body.decode())))
                    self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/stream-status"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def report(self, index: int) -> None:
        event = self.verified[index]
        print(f"  [your app] signature verified: {event['StreamEvent']} for stream {event['StreamName']!r}")

    def __enter__(self) -> YourApplication:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def main() -> int:
    retry_log = logging.StreamHandler(sys.stdout)
    retry_log.setFormatter(logging.Formatter("  [log] %(message)s"))
    logging.getLogger("signalwire_compat").addHandler(retry_log)
    logging.getLogger("signalwire_compat").setLevel(logging.INFO)

    with FakeSpace() as space, YourApplication(space.signing_key) as app:
        print(f"signalwire_compat {sw.__version__}: fake SignalWire space at {space.url}")
        print(f"your application's status callback: {app.url}\n")
        call_sid = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
        conference = space.add_conference_stream(name=None)

        print("1. Sync client: start a call stream, get its signed callbacks, stop it by name")
        with space.client(backoff_factor=0.05) as client:
            started = client.calls(call_sid).streams.create(
                url=WEBSOCKET,
                name="agent-audio",
                parameters={"FirstName": "Jane", "Lang": "en"},
                status_callback=app.url,
            )
            show("started", started)
            space.wait_for_deliveries(1)
            app.report(0)
            stopped = client.calls(call_sid).streams("agent-audio").stop()
            show("stopped by name", stopped)
            space.wait_for_deliveries(2)
            app.report(1)
            space.fail(503, times=1)
            print("  (the fake will answer the next request with 503 Service Unavailable)")
            show("conference stopped", client.conferences(conference.parent_sid).streams(conference.sid).stop())

        print("\n2. Async client: two conference streams started and stopped concurrently")

        async def start_and_stop() -> list[sw.ConferenceStream]:
            async with space.async_client() as client:
                streams = client.conferences("2c4a6c7e-0000-4a4a-8b8b-222222222222").streams
                created = await asyncio.gather(
                    streams.create(url=WEBSOCKET, name="left", stream_codec="PCMU"),
                    streams.create(url=WEBSOCKET, name="right", stream_codec="L16@16000h"),
                )
                return list(await asyncio.gather(*(streams(stream.sid).stop() for stream in created)))

        for stream in asyncio.run(start_and_stop()):
            show("stopped", stream)

        print("\n3. Command line (credentials from the environment, never from arguments)")
        env = {**os.environ, "SIGNALWIRE_PROJECT_ID": space.project_id, "SIGNALWIRE_API_TOKEN": space.api_token}
        env["SIGNALWIRE_SPACE_URL"] = space.url
        cli_call = "3c4a6c7e-0000-4a4a-8b8b-333333333333"
        for arguments in (
            ["start-stream", "--call", cli_call, "--url", WEBSOCKET, "--name", "cli-audio", "--param", "Lang=fr"],
            ["stop-stream", "--call", cli_call, "--name", "cli-audio"],
        ):
            print(f"  $ signalwire-compat {' '.join(arguments)}")
            command = [sys.executable, "-m", "signalwire_compat", *arguments]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
            print(f"  exit {done.returncode}: {done.stdout.strip() or done.stderr.strip()}")
            check(done.returncode == 0, f"the CLI failed: {done.stderr.strip()}")

        print("\n4. An incoming call: your app answers with cXML, gets the call audio on its WebSocket")
        incoming_call(space, check)

        statuses = {space.stream_status(s.sid) for s in space.streams()}
        events = [event["StreamEvent"] for event in app.verified]
        check(statuses == {"stopped"}, f"not every stream is stopped: {statuses}")
        check(events == ["stream-started", "stream-stopped"], f"callbacks verified: {events}")
        # Part 4's streams and callbacks are checked there; 5 streams came before it.
        check(app.refused == 0, "a callback failed its signature check")
        check(sum(1 for r in space.requests if r.fault == "status 503") == 1, "the injected 503 was not seen")
        print(
            f"\nAll {len(space.streams())} streams started or stopped as asked; every status callback was "
            f"signed and verified; the fake received {len(space.requests)} requests (one 503 retried).\n"
            "No credentials or network were used."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
