"""A scripted HTTP/1.1 server on raw sockets, for tests that need exact bytes or bad behaviour.

It records every request it parses (method, path, headers, body) and answers each with the next
``Reply`` of its script (or the result of a function of the request). A reply can also misbehave:
wait, trickle its body, close the connection mid-body, reset it, or never answer. It listens on
127.0.0.1 only, bounds every wait, and stops by itself when its ``with`` block ends (or after
``lifetime`` seconds at the latest).
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import attrs


@attrs.frozen
class Received:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        from urllib.parse import parse_qs

        return parse_qs(self.body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(self.body))


@attrs.frozen
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = attrs.field(factory=dict)
    reason: str | None = None
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between body bytes
    close_after: int | None = None  # send this many body bytes, then close the connection
    reset: bool = False  # close with RST before answering
    hang: bool = False  # never answer (until the client gives up or the server stops)
    close: bool = False  # send Connection: close and close after the reply
    close_silently: bool = False  # close after the reply without saying so (the FIN leaves with the answer)
    chunked: bool = False
    head_trickle: float = 0.0  # seconds between the lines of the response head
    continues: int = 0  # "100 Continue" interim responses before the answer, head_trickle apart
    raw: bytes | None = None  # send exactly these bytes as the answer, then close
    raw_pause_at: int | None = None  # send raw up to this offset, wait 0.2 s, then the rest
    hold_open: float = 0.0  # after raw, keep the connection open this long before closing
    after: bytes = b""  # stray bytes sent right behind the body (the connection stays open)

    @classmethod
    def json(cls, status: int, document: Any, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        return cls(status=status, body=json.dumps(document).encode(), headers=headers, **kwargs)


Script = list[Reply] | Callable[[Received], Reply]


class ScriptedServer:
    # Every request any instance received, for the contract check in conftest.py to drain.
    all_received: ClassVar[list[Received]] = []

    def __init__(
        self, script: Script, *, lifetime: float = 60.0, idle_timeout: float | None = None, idle_reply: bytes = b""
    ) -> None:
        self._script = script
        self._lifetime = lifetime
        # Like servers that time out idle keep-alive connections: after idle_timeout seconds without a
        # new request, send idle_reply (e.g. a 408) and close.
        self._idle_timeout = idle_timeout
        self._idle_reply = idle_reply
        self.received: list[Received] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._wake_reader, self._wake_writer = socket.socketpair()
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ScriptedServer:
        self._started = time.monotonic()
        thread = threading.Thread(target=self._accept_loop, name="scripted-server", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")  # wakes the accept loop at once
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        for thread in list(self._threads):
            thread.join(timeout=5)
        self._listener.close()
        self._wake_reader.close()
        self._wake_writer.close()

    def _next_reply(self, request: Received) -> Reply:
        if callable(self._script):
            return self._script(request)
        with self._lock:
            if not self._script:
                return Reply.json(500, {"message": "scripted server: script exhausted"})
            return self._script.pop(0)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            left = self._lifetime - (time.monotonic() - self._started)
            if left <= 0:
                break
            readable, _, _ = select.select([self._listener, self._wake_reader], [], [], left)
            if self._wake_reader in readable or not readable:
                continue  # stopping, or the lifetime is up (both end the loop)
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._sockets.add(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), name="scripted-conn", daemon=True)
            thread.start()
            self._threads.append(thread)
        self._stop.set()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.1)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        try:
            while not self._stop.is_set():
                request, buffer = self._read_request(conn, buffer)
                if request is None:
                    return
                with self._lock:
                    self.received.append(request)
                    ScriptedServer.all_received.append(request)
                reply = self._next_reply(request)
                if not self._answer(conn, reply):
                    return
                if self._idle_timeout is not None and not buffer and not self._wait_readable(conn):
                    self._close_idle(conn)
                    return
        finally:
            with self._lock:
                self._sockets.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def _recv(self, conn: socket.socket) -> bytes | None:
        while not self._stop.is_set():
            try:
                return conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return b""
        return b""

    def _read_request(self, conn: socket.socket, buffer: bytes) -> tuple[Received | None, bytes]:
        while b"\r\n\r\n" not in buffer:
            data = self._recv(conn)
            if not data:
                return None, b""
            buffer += data
            if len(buffer) > 1_000_000:
                return None, b""
        head, buffer = buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(buffer) < length:
            data = self._recv(conn)
            if not data:
                return None, b""
            buffer += data
        body, buffer = buffer[:length], buffer[length:]
        return Received(method, target, headers, body), buffer

    def _close_idle(self, conn: socket.socket) -> None:
        # A lingering close, as servers do (RFC 9112 9.6): half-close after the reply, then read and
        # drop what the client may already have sent, so the client gets the reply rather than a reset.
        with contextlib.suppress(OSError):
            _cork(conn)
            conn.sendall(self._idle_reply)
            conn.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline and self._recv(conn):
                pass

    def _wait_readable(self, conn: socket.socket) -> bool:
        assert self._idle_timeout is not None
        try:
            readable, _, _ = select.select([conn], [], [], self._idle_timeout)
        except (OSError, ValueError):  # stop() closed it from its own thread: nothing more will come
            return False
        return bool(readable)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless stopped; False if the server is stopping."""
        return not self._stop.wait(seconds)

    def _answer(self, conn: socket.socket, reply: Reply) -> bool:
        """Send the reply; False if the connection must not be reused."""
        if reply.reset:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if reply.hang:
            while self._sleep(0.05):
                pass
            return False
        if reply.delay and not self._sleep(reply.delay):
            return False
        if reply.raw is not None:
            split = len(reply.raw) if reply.raw_pause_at is None else reply.raw_pause_at
            with contextlib.suppress(OSError):
                conn.sendall(reply.raw[:split])
                if split < len(reply.raw) and self._sleep(0.2):
                    conn.sendall(reply.raw[split:])
            if reply.hold_open:
                self._sleep(reply.hold_open)
            return False
        for _ in range(reply.continues):
            with contextlib.suppress(OSError):
                conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if not self._sleep(reply.head_trickle):
                return False
        if reply.close_silently:
            _cork(conn)
        reason = reply.reason if reply.reason is not None else _REASONS.get(reply.status, "Status")
        headers = dict(reply.headers)
        if reply.chunked:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers.setdefault("Content-Length", str(len(reply.body)))
        if reply.close:
            headers["Connection"] = "close"
        head = f"HTTP/1.1 {reply.status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        body = reply.body if reply.close_after is None else reply.body[: reply.close_after]
        keep = reply.close_after is None and not reply.close and not reply.close_silently
        try:
            if reply.head_trickle and not reply.continues:
                for line in head.encode("latin-1").split(b"\r\n")[:-1]:
                    conn.sendall(line + b"\r\n")
                    if not self._sleep(reply.head_trickle):
                        return False
                head = ""
            if not (reply.chunked or reply.trickle):
                conn.sendall(head.encode("latin-1") + b"\r\n" + body + reply.after)
                return keep
            conn.sendall(head.encode("latin-1") + b"\r\n")
            if reply.chunked:
                for piece in _chunks(body, 8192):
                    conn.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                if reply.close_after is None:
                    conn.sendall(b"0\r\n\r\n")
            else:
                for index in range(len(body)):
                    conn.sendall(body[index : index + 1])
                    if not self._sleep(reply.trickle):
                        return False
        except OSError:
            return False
        return keep


def _cork(conn: socket.socket) -> None:
    """Hold what is sent until the socket is closed, so the answer and the FIN arrive together.

    Without it, a client could see the answer, reuse the connection and send before this thread
    gets to close() (the GIL decides), which tests the scheduler rather than the client.
    """
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class CallbackReceiver:
    """A loopback HTTP server that records the status callbacks it gets and answers ``status``."""

    def __init__(self, status: int = 204) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._lock:
                    receiver.received.append(Received(self.command, self.path, headers, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _record

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.status = status
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    def __enter__(self) -> CallbackReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
