"""The HTTP engines under the SDK's own clients (httpx/httpcore for Client, aiohttp for AsyncClient),
against real servers on 127.0.0.1: connection reuse, TLS, proxies, Happy Eyeballs, event loops,
file descriptors, cookies, and how every engine failure reaches the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self

import httpx
import pytest

import signalwire_compat as sw
from tests.helpers import (
    CALL,
    CALL_PATH,
    FAST_RETRIES,
    PROJECT,
    QUICK,
    STREAM,
    TOKEN,
    Runner,
    call_document,
    call_stream_document,
)
from tests.servers import Received, Reply, ScriptedServer

pytestmark = pytest.mark.timeout(90)

OK = Reply.json(200, call_stream_document())
STALE_408 = b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def client_sockets_to(port: int) -> int:
    """How many of this process's sockets are connected to 127.0.0.1:port (the client ends)."""
    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            duplicate = socket.socket(fileno=os.dup(int(name)))
        except OSError:
            continue
        with duplicate:
            try:
                peer = duplicate.getpeername()
            except OSError:
                continue
            count += isinstance(peer, tuple) and peer[1] == port
    return count


def fds_except_server_side(port: int) -> int:
    """This process's open file descriptors, leaving out the in-process test server's ends (local port)."""
    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                count += 1
                continue
            duplicate = socket.socket(fileno=os.dup(int(name)))
        except OSError:
            continue  # closed meanwhile (e.g. the fd listdir itself used)
        with duplicate:
            try:
                local = duplicate.getsockname()
                server_side = isinstance(local, tuple) and local[1] == port and bool(duplicate.getpeername())
            except OSError:
                server_side = False
        count += not server_side
    return count


# -- connections the server closes ---------------------------------------------------------------


def stop_many(runner: Runner, url: str, count: int, *, idempotent: bool, calls: bool = False) -> list[str]:
    """``count`` back-to-back calls (stops or hang-ups; non-idempotent invokes or call creates); returns each
    one's error or 'ok'."""

    def one(client: Any) -> Any:
        if calls:
            if idempotent:
                return client.calls(CALL).hang_up()
            return client.calls.create(to="+15550100002", from_="+15550100001", url="https://example.com/voice")
        if idempotent:
            return client.calls(CALL).streams(STREAM).stop()
        return client.invoke("update_stream", call_sid=CALL, sid=STREAM, body=sw_body(), idempotent=False)

    def sync(client: sw.Client) -> list[str]:
        outcomes = []
        for _ in range(count):
            try:
                one(client)
                outcomes.append("ok")
            except sw.SignalWireError as error:
                outcomes.append(f"{type(error).__name__}: {error}")
        return outcomes

    async def asynchronous(client: sw.AsyncClient) -> list[str]:
        outcomes = []
        for _ in range(count):
            try:
                await one(client)
                outcomes.append("ok")
            except sw.SignalWireError as error:
                outcomes.append(f"{type(error).__name__}: {error}")
        return outcomes

    return runner.run(url, sync if runner.kind == "sync" else asynchronous, **FAST_RETRIES)  # type: ignore[no-any-return]


def sw_body() -> Any:
    from signalwire_compat import _generated as gen

    return gen.UpdateCallStreamRequest(status=gen.UpdateCallStreamRequestStatus.STOPPED)


# Both clients make 100 back-to-back calls (make quick: 25, enough to reuse and lose connections
# many times over); make test also runs AsyncClient's 1,000 stops and 1,000 non-idempotent invokes. The
# calls' hang-ups and creates go through the same engine and retry loop: 100 of each in make test.
BACK_TO_BACK = 25 if QUICK else 100
OPERATIONS = {
    "stops": (True, False),
    "non-idempotent invokes": (False, False),
    "hang-ups": (True, True),
    "call creates": (False, True),
}
RUNS = [
    pytest.param(Runner(kind), count, idempotent, calls, id=f"{name}-{kind}-{label}", marks=marks)
    for name, (idempotent, calls) in OPERATIONS.items()
    for kind, count, label, marks in [
        ("sync", BACK_TO_BACK, "many", ()),
        ("async", BACK_TO_BACK, "many", ()),
        ("async", 1000, "1000", pytest.mark.slow),
    ]
    if count < 1000 or not calls
]


def answer_for(request: Received) -> dict[str, Any]:
    return call_stream_document() if "/Streams" in request.path else call_document()


@pytest.mark.parametrize(("runner", "count", "idempotent", "calls"), RUNS)
def test_a_server_that_closes_after_every_answer_never_fails_a_call(
    runner: Runner, idempotent: bool, calls: bool, count: int
) -> None:
    # The server closes each connection right after its answer, without "Connection: close".
    with ScriptedServer(lambda request: Reply.json(200, answer_for(request), close_silently=True)) as server:
        outcomes = stop_many(runner, server.url, count, idempotent=idempotent, calls=calls)
    assert [o for o in outcomes if o != "ok"] == []
    assert len(server.received) == count  # every call processed exactly once


@pytest.mark.parametrize(("runner", "count", "idempotent", "calls"), RUNS)
def test_a_stale_408_from_an_idle_connection_is_never_read_as_an_answer(
    runner: Runner, idempotent: bool, calls: bool, count: int
) -> None:
    # Like servers that time out idle keep-alive connections with a 408 and then close them. A
    # request that crosses the 408 on the wire was not processed (RFC 9110 15.5.9), so it is resent.
    def answer(request: Received) -> Reply:
        return Reply.json(200, answer_for(request))

    with ScriptedServer(answer, idle_timeout=0.001, idle_reply=STALE_408) as server:
        outcomes = stop_many(runner, server.url, count, idempotent=idempotent, calls=calls)
    assert [o for o in outcomes if o != "ok"] == []
    assert len(server.received) == count


def test_the_scripted_servers_idle_wait_on_a_connection_that_stop_closed_ends_the_connection_quietly() -> None:
    # stop() closes every connection from its own thread, at any point of a connection thread's loop.
    with ScriptedServer([], idle_timeout=0.001) as server:
        closed = socket.socket()
        closed.close()
        assert server._wait_readable(closed) is False


# -- failures the engines report --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused_is_a_connection_error_naming_host_and_port(runner: Runner) -> None:
    port = free_port()
    with pytest.raises(sw.APIConnectionError) as caught:
        runner.stop_call(f"http://127.0.0.1:{port}", max_retries=0)
    assert not isinstance(caught.value, sw.APITimeoutError)
    assert f"could not connect to 127.0.0.1:{port}" in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 two hundred OK\r\nContent-Length: 0\r\n\r\n",
        b"garbage that is not HTTP at all\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nBad Header Without Colon\r\n\r\nhello",
    ],
    ids=["bad status line", "not HTTP", "malformed header"],
)
def test_a_malformed_answer_is_a_connection_error_not_an_engine_exception(runner: Runner, raw: bytes) -> None:
    with ScriptedServer([Reply(raw=raw)]) as server, pytest.raises(sw.APIConnectionError) as caught:
        runner.stop_call(server.url, max_retries=0)
    assert "the connection to 127.0.0.1" in str(caught.value)
    assert type(caught.value) is sw.APIConnectionError


def test_a_long_response_header_is_read_by_both_engines(runner: Runner) -> None:
    # aiohttp's default limit is 8,190 bytes per line; httpcore reads heads up to 100 KiB.
    reply = Reply.json(200, call_stream_document(), headers={"X-Trace": "t" * 20_000})
    with ScriptedServer([reply]) as server:
        stream = runner.stop_call(server.url)
    assert stream.status == "stopped"


def test_cookies_are_neither_kept_nor_sent(runner: Runner) -> None:
    def answer(request: Received) -> Reply:
        number = len(server.received)
        return Reply.json(200, call_stream_document(), headers={"Set-Cookie": f"c{number}=v; Path=/"})

    def many(client: Any) -> Any:
        if runner.kind == "sync":
            for _ in range(20):
                client.calls(CALL).streams(STREAM).stop()
            return len(client._http.cookies.jar)

        async def go() -> int:
            for _ in range(20):
                await client.calls(CALL).streams(STREAM).stop()
            return len(client._http.cookies.jar)

        return go()

    with ScriptedServer(answer) as server:
        kept = runner.run(server.url, many)
    assert kept == 0
    assert all("cookie" not in request.headers for request in server.received)


def test_an_injected_client_keeps_its_own_cookie_policy() -> None:
    # Only the SDK's own clients discard cookies; a client the caller passes in is used as given.
    def answer(request: Received) -> Reply:
        return Reply.json(200, call_stream_document(), headers={"Set-Cookie": "affinity=node-7; Path=/"})

    with ScriptedServer(answer) as server, httpx.Client() as http:
        with sw.Client(PROJECT, TOKEN, server.url, http_client=http) as client:
            for _ in range(2):
                client.calls(CALL).streams(STREAM).stop()
        assert http.cookies.get("affinity") == "node-7"
    first, second = server.received
    assert "cookie" not in first.headers
    assert second.headers["cookie"] == "affinity=node-7"


# -- TLS ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (openssl's command line)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    command += ["-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost"]
    command += ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    subprocess.run(command, check=True, capture_output=True, timeout=30)
    return cert, key


class TLSServer:
    """An https server on 127.0.0.1 answering every request with a call stream document."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.requests = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TLSServer:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        body = Reply.json(200, call_stream_document()).body

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = next(
                        (
                            int(line.split(b":")[1])
                            for line in head.split(b"\r\n")
                            if line.lower().startswith(b"content-length")
                        ),
                        0,
                    )
                    await reader.readexactly(length)
                    self.requests += 1
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                        % (len(body), body)
                    )
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=self.context)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()


def test_tls_is_verified_by_default_and_a_failure_says_so(runner: Runner, certificate: tuple[Path, Path]) -> None:
    with TLSServer(*certificate) as server, pytest.raises(sw.APIConnectionError) as caught:
        runner.stop_call(f"https://localhost:{server.port}", max_retries=0, timeout=5)
    assert not isinstance(caught.value, sw.APITimeoutError)
    assert "certificate" in str(caught.value).lower()
    assert server.requests == 0


def test_ssl_cert_file_is_honoured(
    runner: Runner, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with TLSServer(*certificate) as server:
        stream = runner.stop_call(f"https://localhost:{server.port}", timeout=5)
    assert stream.status == "stopped"
    assert server.requests == 1


# -- proxies from the environment ---------------------------------------------------------------


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_a_proxy_named_in_the_environment_is_used(
    runner: Runner, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    with ScriptedServer([OK]) as proxy:
        monkeypatch.setenv(variable, proxy.url)
        runner.stop_call("http://127.0.0.1:9")  # port 9: nothing listens there; only the proxy is reached
    (request,) = proxy.received
    assert request.path == f"http://127.0.0.1:9{CALL_PATH}"  # absolute-form, as a proxy is asked


def test_a_proxy_named_without_a_scheme_is_an_http_proxy(runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    with ScriptedServer([OK]) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url.removeprefix("http://"))  # "host:port", as curl takes it
        runner.stop_call("http://127.0.0.1:9")
    assert [request.path for request in proxy.received] == [f"http://127.0.0.1:9{CALL_PATH}"]


def test_a_proxy_for_the_other_scheme_only_is_not_used(runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    with ScriptedServer([]) as proxy, ScriptedServer([OK]) as origin:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)  # for https:// origins; this space is http://
        runner.stop_call(origin.url)
    assert proxy.received == []
    assert [r.path for r in origin.received] == [CALL_PATH]


def test_no_proxy_bypasses_the_proxy(runner: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    with ScriptedServer([]) as proxy, ScriptedServer([OK]) as origin:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        runner.stop_call(origin.url)
    assert proxy.received == []
    assert [r.path for r in origin.received] == [CALL_PATH]


def test_a_socks_proxy_is_refused_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    for client_class in (sw.Client, sw.AsyncClient):
        with pytest.raises(sw.ConfigurationError, match="socks5:// proxy"):
            client_class(PROJECT, TOKEN, "example.signalwire.com")


# -- AsyncClient and event loops --------------------------------------------------------------------


def dead_and_live_localhost(monkeypatch: pytest.MonkeyPatch, port: int, dead: str) -> None:
    """Make ``localhost`` resolve to a dead address first, then to 127.0.0.1."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "localhost":
            answers = real("127.0.0.1", *args, **kwargs)
            return [(*answer[:4], (dead, port)) for answer in answers[:1]] + answers
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def black_hole() -> Iterator[Callable[[int], str]]:
    """127.0.0.2:port whose SYNs are dropped: a listener with a full backlog that never accepts."""
    sockets: list[socket.socket] = []

    def make(port: int) -> str:
        listener = socket.socket()
        listener.bind(("127.0.0.2", port))
        listener.listen(0)
        sockets.append(listener)
        for _ in range(3):  # fill the accept queue; later SYNs get no answer
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.2", port))
            sockets.append(filler)
        time.sleep(0.05)
        return "127.0.0.2"

    yield make
    for sock in sockets:
        sock.close()


@pytest.mark.slow  # waits out a dead first address
def test_happy_eyeballs_falls_back_from_a_dead_first_address(
    monkeypatch: pytest.MonkeyPatch, black_hole: Callable[[int], str]
) -> None:
    with ScriptedServer([OK]) as server:
        dead = black_hole(server.port)
        with socket.socket() as probe:  # the dead address really does not answer
            probe.settimeout(0.5)
            with pytest.raises(TimeoutError):
                probe.connect((dead, server.port))
        dead_and_live_localhost(monkeypatch, server.port, dead)

        async def main() -> float:
            async with sw.AsyncClient(PROJECT, TOKEN, f"http://localhost:{server.port}", timeout=10) as client:
                started = time.monotonic()
                await client.calls(CALL).streams(STREAM).stop()
                return time.monotonic() - started

        elapsed = asyncio.run(main())
    assert len(server.received) == 1
    assert elapsed < 5  # connected through 127.0.0.1 long before the 10 s timeout


def test_an_async_client_works_across_event_loops_and_leaves_no_socket(runner: Runner) -> None:
    with ScriptedServer(lambda _: OK) as server:
        client = sw.AsyncClient(PROJECT, TOKEN, server.url)

        async def stop() -> str:
            return str((await client.calls(CALL).streams(STREAM).stop()).status)

        assert asyncio.run(stop()) == "stopped"
        assert client_sockets_to(server.port) == 0  # closed when the first loop shut down
        assert asyncio.run(stop()) == "stopped"
        assert client_sockets_to(server.port) == 0

        async def close() -> None:
            await client.aclose()

        asyncio.run(close())
    assert len(server.received) == 2


def test_aclose_leaves_no_file_descriptor_behind() -> None:
    with ScriptedServer(lambda _: OK) as server:

        async def main() -> tuple[int, int, int, int]:
            before = fds_except_server_side(server.port)
            client = sw.AsyncClient(PROJECT, TOKEN, server.url)
            await asyncio.gather(*(client.calls(CALL).streams(STREAM).stop() for _ in range(20)))
            during = client_sockets_to(server.port)
            await client.aclose()
            return before, during, client_sockets_to(server.port), fds_except_server_side(server.port)

        before, during, sockets_after, after = asyncio.run(main())
    assert during > 1
    assert sockets_after == 0
    assert after == before


# -- hostile servers and edge conditions: what a broken or malicious server must not do to a client ------


def test_an_async_client_works_in_a_process_holding_more_than_1024_file_descriptors() -> None:
    # select.select refuses descriptors >= 1024; busy servers and containers hold that many.
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"the hard limit on open files ({hard}) is too low")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    fillers: list[int] = []
    try:
        with ScriptedServer(lambda _: OK) as server:  # its own sockets first: it uses select() too
            base = os.open(os.devnull, os.O_RDONLY)
            fillers.append(base)
            while fillers[-1] < 1030:
                fillers.append(os.dup(base))
            outcomes = stop_many(Runner("async"), server.url, 3, idempotent=True)
        assert outcomes == ["ok"] * 3
    finally:
        for fd in fillers:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_an_answer_with_a_non_latin1_reason_phrase_returns_its_admission_permit() -> None:
    from signalwire_compat._transports import MAX_CONNECTIONS

    raw = "HTTP/1.1 404 Nicht gefunden \u2603\r\nContent-Length: 0\r\n\r\n".encode()

    async def main() -> tuple[str, int]:
        async with sw.AsyncClient(PROJECT, TOKEN, server.url, max_retries=0) as client:
            with pytest.raises(sw.NotFoundError) as caught:
                await client.calls(CALL).streams(STREAM).stop()
            admission = client._http._transport._admission  # type: ignore[attr-defined]
            return str(caught.value), admission._value  # type: ignore[no-any-return]

    with ScriptedServer([Reply(raw=raw)]) as server:
        message, free = asyncio.run(main())
    assert message.startswith("404 Nicht gefunden")
    assert free == MAX_CONNECTIONS


class RawListener:
    """A loopback listener served by ``_run`` on a thread of its own until the ``with`` block ends.

    ``_run`` polls ``self._listener`` (accept times out every 50 ms) while ``self._stop`` is not set.
    """

    def __init__(self, backlog: int) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(backlog)
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _run(self) -> None:
        raise NotImplementedError


class ClosesOnAccept(RawListener):
    """A loopback listener that accepts each connection and closes it at once, counting them."""

    def __init__(self) -> None:
        super().__init__(backlog=64)
        self.connections = 0

    def _run(self) -> None:
        deadline = time.monotonic() + 30
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()


def test_a_server_that_closes_on_accept_costs_one_connection_per_attempt(runner: Runner) -> None:
    with ClosesOnAccept() as server, pytest.raises(sw.APIConnectionError):
        runner.stop_call(server.url, max_retries=0)
    assert server.connections == 1


def test_an_async_attempt_with_no_time_left_ends_at_once() -> None:
    # aiohttp reads a timeout of 0 as "no timeout": a late attempt once ran for as long as the server trickled.
    from signalwire_compat._transports import attempt_deadline, new_async_http_client

    async def main() -> float:
        http = new_async_http_client(server.url, {})
        started = time.monotonic()
        try:
            with attempt_deadline(time.monotonic() - 0.001), pytest.raises(httpx.TimeoutException):
                await http.get(server.url, timeout=5)
        finally:
            await http.aclose()
        return time.monotonic() - started

    with ScriptedServer(lambda _: Reply(200, b"x" * 100, trickle=0.05), lifetime=4) as server:
        elapsed = asyncio.run(main())
    assert elapsed < 1


def test_a_sync_tls_connection_started_with_no_time_left_is_a_connect_timeout(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 0 s timeout made a non-blocking socket, on which the TLS handshake raised a raw ValueError
    # (seen when the first address of a dual-stack host took the whole connect timeout).
    import httpcore

    from signalwire_compat._transports import attempt_deadline, new_sync_http_client
    from signalwire_compat._transports._httpcore import _DeadlineBackend

    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with TLSServer(*certificate) as server:
        stream = _DeadlineBackend().connect_tcp("127.0.0.1", server.port, timeout=5)
        try:
            with attempt_deadline(time.monotonic() - 0.001), pytest.raises(httpcore.ConnectTimeout):
                stream.start_tls(ssl.create_default_context(cafile=certificate[0]), "localhost", timeout=5)
        finally:
            stream.close()
        url = f"https://localhost:{server.port}/"
        with new_sync_http_client(url, {}) as http:
            with attempt_deadline(time.monotonic() - 0.001), pytest.raises(httpx.ConnectTimeout):
                http.get(url, timeout=5)


@pytest.mark.slow  # waits a second by design
def test_closing_a_client_during_a_call_raises_client_closed_error(runner: Runner) -> None:
    # In flight (the server never answers), then retrying (between 503s): both end as ClientClosedError, at once.
    scripts: list[Any] = [lambda _: Reply(hang=True), lambda _: Reply.json(503, {"message": "busy"})]
    for script in scripts:
        with ScriptedServer(script, lifetime=10) as server:
            options = {"project_id": PROJECT, "api_token": TOKEN, "space_url": server.url, "timeout": 5}
            options |= {"backoff_factor": 0.2, "max_retries": 10, "total_timeout": 8}
            started = time.monotonic()
            if runner.kind == "sync":
                client = sw.Client(**options)
                timer = threading.Timer(0.3, client.close)
                timer.start()
                with pytest.raises(sw.ClientClosedError, match="closed while the call was in progress"):
                    client.calls(CALL).streams(STREAM).stop()
                timer.join()
            else:

                async def main(options: dict[str, Any] = options) -> None:
                    client = sw.AsyncClient(**options)
                    asyncio.get_running_loop().call_later(0.3, lambda: asyncio.ensure_future(client.aclose()))
                    with pytest.raises(sw.ClientClosedError, match="closed while the call was in progress"):
                        await client.calls(CALL).streams(STREAM).stop()

                asyncio.run(main())
            assert time.monotonic() - started < 1.5


@pytest.mark.slow  # opens 100 connections and holds them
def test_closing_an_async_client_while_calls_wait_for_admission_raises_client_closed_error() -> None:
    from signalwire_compat._transports import MAX_CONNECTIONS

    async def main() -> list[BaseException | None]:
        client = sw.AsyncClient(PROJECT, TOKEN, server.url, timeout=5, max_retries=0)
        calls = [client.calls(CALL).streams(STREAM).stop() for _ in range(MAX_CONNECTIONS + 5)]
        asyncio.get_running_loop().call_later(0.5, lambda: asyncio.ensure_future(client.aclose()))
        return await asyncio.gather(*calls, return_exceptions=True)  # type: ignore[no-any-return]

    with ScriptedServer(lambda _: Reply(hang=True), lifetime=10) as server:
        outcomes = asyncio.run(main())
    assert {type(outcome) for outcome in outcomes} == {sw.ClientClosedError}


SECOND_ANSWER = b"HTTP/1.1 500 Stray\r\nContent-Length: 0\r\n\r\n"


@pytest.mark.parametrize("stray", [SECOND_ANSWER, b"\r\n"], ids=["a whole second answer", "a stray CRLF"])
def test_bytes_behind_an_answer_are_never_read_as_the_next_answer(runner: Runner, stray: bytes) -> None:
    script = [Reply.json(200, call_stream_document(), after=stray), OK, OK]

    def twice(client: Any) -> Any:
        if runner.kind == "sync":
            return [client.calls(CALL).streams(STREAM).stop().status for _ in range(2)]

        async def go() -> list[str]:
            return [(await client.calls(CALL).streams(STREAM).stop()).status for _ in range(2)]

        return go()

    with ScriptedServer(script) as server:
        time.sleep(0)
        statuses = runner.run(server.url, twice, max_retries=0)
    assert statuses == ["stopped", "stopped"]
    assert len(server.received) == 2
    # The connection holding stray bytes was not reused; aiohttp's parser itself skips an empty line
    # between answers (RFC 9112 2.2), so for it a stray CRLF leaves nothing to avoid.
    assert server.connections == (1 if runner.kind == "async" and stray == b"\r\n" else 2)


def test_the_h11_state_the_sync_engine_reads_is_where_it_looks() -> None:
    # httpcore keeps its h11 connection private; if a release moves it, this fails rather than the check going blind.
    import h11

    from signalwire_compat._transports._httpcore import h11_state_of

    with ScriptedServer([OK]) as server, sw.Client(PROJECT, TOKEN, server.url) as client:
        client.calls(CALL).streams(STREAM).stop()
        (connection,) = client._http._transport._pool.connections  # type: ignore[attr-defined]
        assert isinstance(h11_state_of(connection), h11.Connection)
        assert h11_state_of(connection).trailing_data == (b"", False)


@pytest.mark.slow  # waits a second by design
def test_time_waiting_for_admission_counts_against_the_attempt() -> None:
    from signalwire_compat._transports import attempt_deadline
    from signalwire_compat._transports._aiohttp import AiohttpTransport

    async def main() -> tuple[float, BaseException | None]:
        transport = AiohttpTransport(ssl_context=ssl.create_default_context(), proxy=None, max_connections=1)
        async with httpx.AsyncClient(transport=transport) as http:

            async def one(delay: float) -> None:
                await asyncio.sleep(delay)
                with attempt_deadline(time.monotonic() + 1.0):
                    await http.get(server.url, timeout=5)

            first = asyncio.ensure_future(one(0))
            started = time.monotonic()
            second = await asyncio.gather(one(0.05), return_exceptions=True)
            await first
            return time.monotonic() - started, second[0]

    with ScriptedServer(lambda _: Reply(200, b"ok", delay=0.6)) as server:
        elapsed, error = asyncio.run(main())
    assert isinstance(error, httpx.TimeoutException)  # waited 0.6 s for admission, then 0.6 s for its answer
    assert elapsed < 1.25


@pytest.mark.slow  # waits a second by design
def test_the_sync_wait_for_a_free_connection_ends_by_the_deadline() -> None:
    from signalwire_compat._transports import attempt_deadline
    from signalwire_compat._transports._httpcore import DeadlineTransport

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    transport = DeadlineTransport(ssl_context=ssl.create_default_context(), proxy=None, limits=limits)
    with ScriptedServer(lambda _: Reply(200, b"ok", delay=0.8)) as server, httpx.Client(transport=transport) as http:
        holder = threading.Thread(target=lambda: http.get(server.url, timeout=5))
        holder.start()
        time.sleep(0.1)
        started = time.monotonic()
        with attempt_deadline(time.monotonic() + 0.3), pytest.raises(httpx.PoolTimeout):
            http.get(server.url, timeout=5)
        elapsed = time.monotonic() - started
        holder.join()
    assert elapsed < 0.5


def test_async_timeouts_are_not_rounded_up_to_whole_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    import aiohttp

    seen: list[aiohttp.ClientTimeout] = []
    real = aiohttp.ClientSession.request

    def spy(self: aiohttp.ClientSession, *args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["timeout"])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(aiohttp.ClientSession, "request", spy)
    with ScriptedServer([OK]) as server:
        Runner("async").stop_call(server.url, timeout=6)
    (timeout,) = seen
    assert timeout.ceil_threshold == float("inf")  # aiohttp rounds up anything over this (default 5 s)
    assert timeout.total is not None and 5.5 < timeout.total <= 6


class SlowReader(RawListener):
    """A loopback server that reads a request 32 KiB every 10 ms (about 3 MB/s) and never answers.

    Fast enough that every single send() makes progress well within a second, too slow for 10 MB.
    """

    def __init__(self) -> None:
        super().__init__(backlog=8)

    def _run(self) -> None:
        deadline = time.monotonic() + 6  # bounds the run even against a client that never gives up
        conns = []
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                self._listener.settimeout(0.05 if not conns else 0.0)  # once connected, only reading paces the loop
                conn, _ = self._listener.accept()
                conn.setblocking(False)
                conns.append(conn)
            except OSError:  # no connection yet (a timeout, or none waiting)
                pass
            for conn in conns:
                with contextlib.suppress(OSError):  # nothing to read just now
                    conn.recv(32 * 1024)
            self._stop.wait(0.01)
        for conn in conns:
            conn.close()


@pytest.mark.slow  # waits a second by design
def test_sending_a_large_body_to_a_slow_reader_ends_within_the_timeout(runner: Runner) -> None:
    # httpcore gave each send() a fresh timeout: a 10 MB body took 2.9 s on timeout=1.
    parameters = {"Big": "x" * 10_000_000}

    def create(client: Any) -> Any:
        return client.calls(CALL).streams.create(url="wss://example.com/a", parameters=parameters)

    with SlowReader() as server:
        started = time.monotonic()
        with pytest.raises(sw.APITimeoutError):
            runner.run(server.url, create, timeout=1, max_retries=0)
        elapsed = time.monotonic() - started
    assert elapsed < 1.9


@pytest.mark.parametrize(
    "headers",
    [{f"X-Header-{n}": "v" for n in range(200)}, {"X-Trace": "t" * 70 * 1024}],
    ids=["200 headers", "a 70 KiB header line"],
)
def test_both_engines_read_the_same_large_heads(runner: Runner, headers: dict[str, str]) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document(), headers=headers)]) as server:
        stream = runner.stop_call(server.url, max_retries=0)
    assert stream.status == "stopped"


FORK_SCRIPT = """
import os, sys
import signalwire_compat as sw
from tests.helpers import CALL, PROJECT, STREAM, TOKEN, call_stream_document
from tests.servers import Reply, ScriptedServer

with ScriptedServer(lambda _: Reply.json(200, call_stream_document())) as server:
    client = sw.Client(PROJECT, TOKEN, server.url)
    client.calls(CALL).streams(STREAM).stop()  # the pool now holds a connection
    pid = os.fork()
    if pid == 0:
        ok = client.calls(CALL).streams(STREAM).stop().status == "stopped"
        os._exit(0 if ok else 3)
    _, status = os.waitpid(pid, 0)
    assert client.calls(CALL).streams(STREAM).stop().status == "stopped"
    print(os.waitstatus_to_exitcode(status), server.connections, len(server.received))
"""


@pytest.mark.slow  # a Python subprocess
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() here")
def test_a_forked_child_gets_a_pool_of_its_own() -> None:
    import sys

    from tests.helpers import ROOT

    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", FORK_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    exit_code, connections, requests = map(int, done.stdout.split())
    assert exit_code == 0
    assert connections == 2  # the child connected anew; the parent kept its connection
    assert requests == 3
