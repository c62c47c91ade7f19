"""The bench's loopback HTTP/1.1 server (``python -m scripts.bench.server``): the two stream-stop operations only."""

# Run by the harness in its own process (``python -m scripts.bench.server --project-id P --account-sid A``,
# the token in the environment variable ``BENCH_API_TOKEN``). It binds 127.0.0.1 on an ephemeral port,
# prints that port on one line of stdout, and serves until its stdin closes (the harness exited),
# ``POST /_bench/shutdown`` arrives, or ``--max-seconds`` pass, whichever comes first.
#
# It answers, with keep-alive and ``Content-Length`` bodies only (no chunked requests):
#
# - ``POST [/api/laml]/2010-04-01/Accounts/{A}/Calls/{C}/Streams/{S}[.json]`` and the same under
#   ``/Conferences/{F}/``: 401 without ``Authorization: Basic base64(project:token)``, 404 for another
#   account, 422 unless the form body is ``Status=stopped``, else 200 with the stream document (the
#   optional ``/api/laml`` prefix and ``.json`` suffix let twilio-python's path shape in too);
# - ``GET /_bench/stats``: JSON counters (answers by status, requests by path shape, connections) and the
#   process CPU time, so the harness can check request counts and the server's CPU per request.
#
# It is a raw ``asyncio.Protocol`` (no framework) so that it stays far from being the bottleneck.

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import sys
import time
from collections import Counter
from urllib.parse import parse_qs

__all__ = ["ServerState", "main"]

DATE_UPDATED = "Tue, 10 Aug 2021 21:39:46 +0000"
MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024
STREAM_PATH = re.compile(
    r"(?P<laml>/api/laml)?/2010-04-01/Accounts/(?P<account>[^/]+)/(?P<kind>Calls|Conferences)/"
    r"(?P<parent>[^/]+)/Streams/(?P<sid>[^/.]+)(?P<json>\.json)?"
)
REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}
REASONS |= {411: "Length Required", 413: "Content Too Large", 422: "Unprocessable Entity"}


def http_response(status: int, body: bytes, *, close: bool = False) -> bytes:
    head = f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {len(body)}\r\n"
    if close:
        head += "Connection: close\r\n"
    return head.encode("ascii") + b"\r\n" + body


def error_response(status: int, message: str, *, close: bool = False) -> bytes:
    body = json.dumps({"code": status, "message": message, "status": status}).encode()
    return http_response(status, body, close=close)


def stream_document(account: str, kind: str, parent: str, sid: str) -> bytes:
    parent_key = "call_sid" if kind == "Calls" else "conference_sid"
    document = {
        "sid": sid,
        "account_sid": account,
        parent_key: parent,
        "name": "bench",
        "status": "stopped",
        "date_updated": DATE_UPDATED,
        "uri": f"/api/laml/2010-04-01/Accounts/{account}/{kind}/{parent}/Streams/{sid}.json",
    }
    return json.dumps(document, separators=(",", ":")).encode()


class ServerState:
    """Configuration, counters and cached answers, shared by every connection."""

    def __init__(self, project_id: str, api_token: str, account_sid: str) -> None:
        credentials = f"{project_id}:{api_token}".encode()
        self.authorization = b"Basic " + base64.b64encode(credentials)
        self.account_sid = account_sid
        self.answers: Counter[int] = Counter()
        self.shapes: Counter[str] = Counter()
        self.connections = 0
        self.stopping: asyncio.Event | None = None
        self._cache: dict[tuple[str, str, str], bytes] = {}

    def stats(self) -> bytes:
        cpu = time.process_time()
        document = {
            "answers": {str(k): v for k, v in self.answers.items()},
            "shapes": dict(self.shapes),
            "connections": self.connections,
            "cpu_seconds": cpu,
        }
        return http_response(200, json.dumps(document).encode())

    def handle(self, method: bytes, target: bytes, headers: dict[bytes, bytes], body: bytes) -> tuple[bytes, bool]:
        """The full response to one request (status line, headers, body) and whether to close afterwards."""
        path = target.split(b"?", 1)[0].decode("latin-1")
        if path == "/_bench/stats" and method == b"GET":
            return self.stats(), False
        if path == "/_bench/shutdown" and method == b"POST":
            if self.stopping is not None:
                self.stopping.set()
            return http_response(200, b"{}", close=True), True
        status, response = self._stream_stop(method, path, headers, body)
        self.answers[status] += 1
        return response, False

    def _stream_stop(self, method: bytes, path: str, headers: dict[bytes, bytes], body: bytes) -> tuple[int, bytes]:
        match = STREAM_PATH.fullmatch(path)
        if match is None:
            return 404, error_response(404, "no such resource")
        if method != b"POST":
            return 405, error_response(405, "POST only")
        if headers.get(b"authorization") != self.authorization:
            return 401, error_response(401, "authentication required")
        if match["account"] != self.account_sid:
            return 404, error_response(404, "no such account")
        if body != b"Status=stopped" and parse_qs(body.decode("latin-1")).get("Status") != ["stopped"]:
            return 422, error_response(422, "Status must be stopped")
        self.shapes["laml" if match["laml"] else "twilio"] += 1
        key = (match["kind"], match["parent"], match["sid"])
        cached = self._cache.get(key)
        if cached is None:
            cached = http_response(200, stream_document(match["account"], *key))
            if len(self._cache) < 10_000:
                self._cache[key] = cached
        return 200, cached


def parse_head(head: bytes) -> tuple[bytes, bytes, bytes, dict[bytes, bytes]]:
    """Request line and headers (names lower-cased); raises ValueError on anything malformed."""
    lines = head.split(b"\r\n")
    method, target, version = lines[0].split(b" ")
    headers: dict[bytes, bytes] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            raise ValueError("header line without a colon")
        headers[name.strip().lower()] = value.strip()
    return method, target, version, headers


class BenchProtocol(asyncio.Protocol):
    """One keep-alive connection: parse requests as they complete, answer each in order."""

    def __init__(self, state: ServerState) -> None:
        self._state = state
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._state.connections += 1

    def data_received(self, data: bytes) -> None:
        self._buffer = self._buffer + data if self._buffer else data
        while self._buffer and self._transport is not None and not self._transport.is_closing():
            if not self._serve_one():
                return

    def _serve_one(self) -> bool:
        """Answer the first complete request in the buffer; False if it is not complete yet."""
        buffer = self._buffer
        head_end = buffer.find(b"\r\n\r\n")
        if head_end < 0:
            if len(buffer) > MAX_HEAD_BYTES:
                self._fail(400, "request head too large")
            return False
        try:
            method, target, version, headers = parse_head(buffer[:head_end])
            length = self._body_length(headers)
        except ValueError as exc:
            self._fail(400, str(exc))
            return False
        end = head_end + 4 + length
        if len(buffer) < end:
            return False
        self._buffer = buffer[end:]
        response, close = self._state.handle(method, target, headers, buffer[head_end + 4 : end])
        assert self._transport is not None
        self._transport.write(response)
        if close or version != b"HTTP/1.1" or headers.get(b"connection", b"").lower() == b"close":
            self._transport.close()
            return False
        return True

    @staticmethod
    def _body_length(headers: dict[bytes, bytes]) -> int:
        if b"transfer-encoding" in headers:
            raise ValueError("chunked request bodies are not supported")
        text = headers.get(b"content-length", b"0")
        if not text.isdigit() or int(text) > MAX_BODY_BYTES:
            raise ValueError("bad Content-Length")
        return int(text)

    def _fail(self, status: int, message: str) -> None:
        self._state.answers[status] += 1
        assert self._transport is not None
        self._transport.write(error_response(status, message, close=True))
        self._transport.close()
        self._buffer = b""


async def serve(state: ServerState, max_seconds: float) -> None:
    loop = asyncio.get_running_loop()
    state.stopping = asyncio.Event()
    server = await loop.create_server(lambda: BenchProtocol(state), "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    stdin = sys.stdin.fileno()
    os.set_blocking(stdin, False)
    loop.add_reader(stdin, _on_stdin, stdin, state.stopping)
    try:
        await asyncio.wait_for(state.stopping.wait(), timeout=max_seconds)
    except TimeoutError:
        print(f"bench.server: stopping after --max-seconds {max_seconds:g}", file=sys.stderr)
    finally:
        loop.remove_reader(stdin)
        server.close()
        await server.wait_closed()


def _on_stdin(fd: int, stopping: asyncio.Event) -> None:
    """The harness never writes; end of file means it has gone, so stop."""
    try:
        data = os.read(fd, 4096)
    except BlockingIOError:
        return
    if not data:
        stopping.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--project-id", required=True)
    parser.add_argument("--account-sid", help="the {AccountSid} paths must carry (default: the project id)")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="stop after this long whatever happens")
    args = parser.parse_args(argv)
    token = os.environ.get("BENCH_API_TOKEN")
    if not token:
        parser.error("set BENCH_API_TOKEN")
    state = ServerState(args.project_id, token, args.account_sid or args.project_id)
    asyncio.run(serve(state, args.max_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
