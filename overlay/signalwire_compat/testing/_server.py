"""FakeSpace's socket server: HTTP/1.1 on 127.0.0.1, a thread per connection, stopped at once on request."""

from __future__ import annotations

import contextlib
import select
import socket
import sys
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Protocol

from ._records import RecordedRequest
from ._rules import Answer

__all__ = ["MAX_BODY", "Responder", "Server"]

MAX_BODY = 64 * 1024


class Responder(Protocol):
    """What the server asks of the space it serves."""

    port: int

    def _respond(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer: ...

    def _record(self, request: RecordedRequest) -> None: ...


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSignalWire/1.0"
    sys_version = ""
    timeout = 30  # an idle keep-alive connection is closed after this many seconds
    server: Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the fake records requests instead of printing them

    def _serve(self) -> None:
        length_header = self.headers.get("Content-Length", "0")
        try:
            length = int(length_header)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.send_error(400 if length < 0 else 413)
            return
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        space = self.server.space
        answer = space._respond(self.command, self.path, headers, body)
        space._record(RecordedRequest(self.command, self.path, headers, body, answer.status, answer.body, answer.fault))
        if answer.status == 0:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(answer.status)
        content_type = answer.headers.get("Content-Type", "application/json")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            if name != "Content-Type":
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)

    # Every method is answered like the API would (405 on a stream path), not with http.server's 501.
    do_POST = _serve
    do_GET = _serve
    do_PUT = _serve
    do_DELETE = _serve
    do_PATCH = _serve
    do_OPTIONS = _serve
    do_TRACE = _serve
    do_QUERY = _serve


class Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    request_queue_size = 128
    allow_reuse_address: ClassVar[bool] = True  # type: ignore[misc]

    def __init__(self, space: Responder) -> None:
        self.space = space
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        # serve_forever() notices shutdown() only at its next poll; a wake-up socket ends it at once.
        self._wake_reader, self._wake_writer = socket.socketpair()
        super().__init__(("127.0.0.1", space.port), _Handler)

    def serve_until_stopped(self) -> None:
        while True:
            readable, _, _ = select.select([self.socket, self._wake_reader], [], [])
            if self._wake_reader in readable:
                return
            self.handle_request()  # the listening socket is readable: accepts without waiting

    def stop_serving(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timed out, hung up) before its answer is not the fake's error: as any
        # server, it stays silent. Anything else is a bug in the fake, and is shown.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def track(self, connection: socket.socket, *, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
