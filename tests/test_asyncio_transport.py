"""AsyncioTransport (signalwire_compat._asyncio_transport) against real servers on 127.0.0.1.

Pool behaviour (reuse, the connection cap, the pool timeout, stale and expired connections,
cancellation), every failure mapped to the httpx exception httpcore raises for it (checked side by
side with httpx's default transport), request and response framing, TLS, and the SDK on top.
Each test runs its own event loop (``asyncio.run``) under a deadline.
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from signalwire_compat._asyncio_transport import AsyncioTransport

from servers import Reply, ScriptedServer

pytestmark = pytest.mark.timeout(60)

T = TypeVar("T")
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def run(coroutine: Coroutine[Any, Any, T], limit: float = 15.0) -> T:
    async def bounded() -> T:
        async with asyncio.timeout(limit):
            return await coroutine

    return asyncio.run(bounded())


def client(transport: httpx.AsyncBaseTransport, **options: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport, follow_redirects=False, **options)


def free_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


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


async def read_request(reader: asyncio.StreamReader) -> tuple[dict[str, str], bytes]:
    """One request from an asyncio stream: lower-cased headers and the body (chunked or not)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")[1:]
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}
    if headers.get("transfer-encoding") == "chunked":
        body = b""
        while size := int((await reader.readline()).split(b";")[0], 16):
            body += await reader.readexactly(size)
            await reader.readexactly(2)
        await reader.readline()
        return headers, body
    return headers, await reader.readexactly(int(headers.get("content-length", "0")))


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Keep-alive server: answers each request with its body, and how it was framed."""
    try:
        while True:
            headers, body = await read_request(reader)
            framing = "chunked" if "transfer-encoding" in headers else f"length {headers.get('content-length')}"
            head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nX-Framing: {framing}\r\n\r\n"
            writer.write(head.encode() + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


# -- the pool -------------------------------------------------------------------------------------


def test_sequential_requests_reuse_one_connection() -> None:
    async def main() -> list[str]:
        async with client(AsyncioTransport()) as http:
            bodies = []
            for index in range(10):
                response = await http.post(f"{server.url}/r{index}", data={"n": str(index)})
                bodies.append(response.text)
            return bodies

    with ScriptedServer([Reply(200, f"answer {i}".encode()) for i in range(10)]) as server:
        bodies = run(main())
    assert bodies == [f"answer {i}" for i in range(10)]
    assert server.connections == 1
    assert [r.form for r in server.received] == [{"n": [str(i)]} for i in range(10)]


def test_concurrent_requests_never_exceed_max_connections() -> None:
    async def main() -> list[int]:
        async with client(AsyncioTransport(max_connections=5)) as http:
            responses = await asyncio.gather(*(http.get(f"{server.url}/{i}") for i in range(20)))
            return [r.status_code for r in responses]

    with ScriptedServer(lambda _: Reply(200, b"ok", delay=0.05)) as server:
        statuses = run(main())
    assert statuses == [200] * 20
    assert server.connections == 5  # the cap was reached, never passed; the rest waited and reused


def test_waiting_requests_time_out_with_pool_timeout() -> None:
    async def main() -> None:
        async with client(AsyncioTransport(max_connections=1), timeout=httpx.Timeout(5.0, pool=0.2)) as http:
            hung = asyncio.create_task(http.get(f"{server.url}/hang"))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            with pytest.raises(httpx.PoolTimeout):
                await http.get(f"{server.url}/waits")
            assert 0.15 < time.monotonic() - started < 2
            hung.cancel()
            with pytest.raises(asyncio.CancelledError):
                await hung
            assert (await http.get(f"{server.url}/after")).text == "after"  # the slot came back

    with ScriptedServer([Reply(hang=True), Reply(200, b"after")]) as server:
        run(main())


def test_idle_connection_closed_by_server_is_not_reused() -> None:
    async def main() -> list[str]:
        async with client(AsyncioTransport()) as http:
            first = await http.get(f"{server.url}/1")
            await asyncio.sleep(0.2)  # the server closes its end meanwhile; the event loop sees the EOF
            second = await http.get(f"{server.url}/2")
            return [first.text, second.text]

    # close_after=len(body): a complete response without "Connection: close", then the server closes.
    with ScriptedServer([Reply(200, b"one", close_after=3), Reply(200, b"two")]) as server:
        assert run(main()) == ["one", "two"]
    assert server.connections == 2


def test_connection_close_from_the_server_is_honoured() -> None:
    async def main() -> list[str]:
        async with client(AsyncioTransport()) as http:
            return [(await http.get(f"{server.url}/{i}")).text for i in range(3)]

    with ScriptedServer([Reply(200, b"a", close=True), Reply(200, b"b"), Reply(200, b"c")]) as server:
        assert run(main()) == ["a", "b", "c"]
    assert server.connections == 2


def test_connection_close_from_the_client_is_honoured() -> None:
    async def main() -> list[str]:
        async with client(AsyncioTransport()) as http:
            first = await http.get(f"{server.url}/1", headers={"Connection": "close"})
            return [first.text, (await http.get(f"{server.url}/2")).text]

    with ScriptedServer([Reply(200, b"a"), Reply(200, b"b")]) as server:
        assert run(main()) == ["a", "b"]
    assert server.connections == 2


def test_idle_connections_expire() -> None:
    async def main() -> None:
        async with client(AsyncioTransport(keepalive_expiry=0.1)) as http:
            await http.get(f"{server.url}/1")
            await http.get(f"{server.url}/2")
            await asyncio.sleep(0.3)
            await http.get(f"{server.url}/3")

    with ScriptedServer(lambda _: Reply(200, b"ok")) as server:
        run(main())
    assert server.connections == 2


def test_idle_connection_to_another_origin_makes_room() -> None:
    async def main() -> list[str]:
        async with client(AsyncioTransport(max_connections=1), timeout=httpx.Timeout(2.0, pool=0.2)) as http:
            first = await http.get(f"{one.url}/")
            second = await http.get(f"{two.url}/")  # no PoolTimeout: the idle connection to `one` is closed
            await asyncio.sleep(0.05)
            assert (client_sockets_to(one.port), client_sockets_to(two.port)) == (0, 1)
            return [first.text, second.text]

    with ScriptedServer([Reply(200, b"one")]) as one, ScriptedServer([Reply(200, b"two")]) as two:
        assert run(main()) == ["one", "two"]


@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_client_outliving_its_event_loop_opens_fresh_connections() -> None:
    """Idle connections of a closed loop are dropped, not reused (httpcore raises "Event loop is closed")."""
    with ScriptedServer(lambda _: Reply(200, b"ok")) as server:
        http = client(AsyncioTransport())
        texts = [run(http.get(f"{server.url}/{i}")).text for i in range(3)]
        run(http.aclose())
        gc.collect()  # the dead loops' sockets
    assert texts == ["ok"] * 3
    assert server.connections == 3


def test_cancelled_requests_release_their_connection_and_slot() -> None:
    async def main() -> None:
        transport = AsyncioTransport(max_connections=1)
        async with client(transport, timeout=httpx.Timeout(5.0, pool=2.0)) as http:
            hung = asyncio.create_task(http.get(f"{server.url}/hang"))
            await asyncio.sleep(0.2)
            queued = asyncio.create_task(http.get(f"{server.url}/queued"))  # waits for the only slot
            await asyncio.sleep(0.1)
            assert client_sockets_to(server.port) == 1
            for task in (queued, hung):
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            await asyncio.sleep(0.05)
            assert client_sockets_to(server.port) == 0  # the hung request's socket is closed
            assert (await http.get(f"{server.url}/next")).text == "next"  # and its slot is free again
        assert client_sockets_to(server.port) == 0

    before = open_fds()
    with ScriptedServer([Reply(hang=True), Reply(200, b"next")]) as server:
        run(main())
    assert [r.path for r in server.received] == ["/hang", "/next"]
    assert open_fds() == before


def test_aclose_closes_idle_and_busy_connections() -> None:
    async def main() -> None:
        transport = AsyncioTransport()
        http = client(transport)
        await asyncio.gather(http.get(f"{server.url}/a"), http.get(f"{server.url}/b"))  # two connections
        hung = asyncio.create_task(http.get(f"{server.url}/hang"))  # one of them busy, one idle
        await asyncio.sleep(0.2)
        assert client_sockets_to(server.port) == 2
        await transport.aclose()
        with pytest.raises(httpx.ReadError):
            await hung
        assert client_sockets_to(server.port) == 0
        with pytest.raises(RuntimeError):
            await http.get(f"{server.url}/closed")

    with ScriptedServer([Reply(200, b"ok", delay=0.1), Reply(200, b"ok", delay=0.1), Reply(hang=True)]) as server:
        run(main())


def test_transport_works_as_an_async_context_manager() -> None:
    async def main() -> None:
        async with AsyncioTransport() as transport:
            request = httpx.Request("GET", f"{server.url}/ctx")
            response = await transport.handle_async_request(request)
            assert await response.aread() == b"ctx"
            assert response.extensions == {"http_version": b"HTTP/1.1", "reason_phrase": b"OK"}
        assert client_sockets_to(server.port) == 0

    with ScriptedServer([Reply(200, b"ctx")]) as server:
        run(main())


# -- failures: the same httpx exceptions as httpx's default transport ----------------------------

TRANSPORTS: dict[str, Callable[[], httpx.AsyncBaseTransport]] = {
    "asyncio": AsyncioTransport,
    "httpcore": httpx.AsyncHTTPTransport,
}


@pytest.mark.parametrize("kind", sorted(TRANSPORTS))
@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        pytest.param(Reply(reset=True), httpx.ReadError, id="reset"),
        pytest.param(Reply(200, b"x" * 100, close_after=10), httpx.RemoteProtocolError, id="mid-body-close"),
        pytest.param(Reply(200, b"x" * 100, chunked=True, close_after=10), httpx.RemoteProtocolError, id="mid-chunk"),
        pytest.param(Reply(hang=True), httpx.ReadTimeout, id="hang"),
        pytest.param(Reply(200, b"abc", delay=0.1, trickle=0.3), httpx.ReadTimeout, id="slow-body"),
    ],
)
def test_failures_map_like_httpcore(kind: str, reply: Reply, expected: type[httpx.RequestError]) -> None:
    async def main() -> None:
        async with client(TRANSPORTS[kind](), timeout=httpx.Timeout(0.25)) as http:
            with pytest.raises(expected) as caught:
                await http.post(f"{server.url}/fails", content=b"body")
            assert caught.value.request.url.path == "/fails"

    with ScriptedServer([reply]) as server:
        run(main())


@pytest.mark.parametrize("kind", sorted(TRANSPORTS))
def test_server_closing_without_a_response(kind: str) -> None:
    async def close_at_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(close_at_once, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, client(TRANSPORTS[kind]()) as http:
            with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
                await http.post(f"http://127.0.0.1:{port}/", content=b"x")

    run(main())


@pytest.mark.parametrize("kind", sorted(TRANSPORTS))
def test_connection_refused(kind: str) -> None:
    async def main() -> None:
        async with client(TRANSPORTS[kind]()) as http:
            with pytest.raises(httpx.ConnectError):
                await http.get(f"http://127.0.0.1:{free_port()}/")

    run(main())


@pytest.fixture
def full_backlog() -> Iterator[int]:
    """A loopback port whose accept queue is full: Linux drops further SYNs, so connecting hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.05)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            pytest.skip("this kernel accepts connections beyond the backlog; no loopback connect timeout")
    except TimeoutError:
        pass
    yield port
    for sock in [*fillers, listener]:
        sock.close()


@pytest.mark.parametrize("kind", sorted(TRANSPORTS))
def test_connect_timeout(kind: str, full_backlog: int) -> None:
    async def main() -> None:
        async with client(TRANSPORTS[kind](), timeout=httpx.Timeout(5.0, connect=0.2)) as http:
            with pytest.raises(httpx.ConnectTimeout):
                await http.get(f"http://127.0.0.1:{full_backlog}/")

    run(main())


@pytest.mark.parametrize("kind", sorted(TRANSPORTS))
def test_bad_outgoing_header_is_a_local_protocol_error(kind: str) -> None:
    async def main() -> None:
        async with client(TRANSPORTS[kind]()) as http:
            with pytest.raises(httpx.LocalProtocolError):
                await http.get(f"{server.url}/", headers={"X-Bad": "a\r\nInjected: yes"})
        await asyncio.sleep(0.1)  # the server's thread for the connection starts before the server stops

    with ScriptedServer([]) as server:
        run(main())
    assert server.received == []


def test_errors_carry_the_request_when_the_transport_is_called_directly() -> None:
    async def main() -> None:
        async with AsyncioTransport() as transport:
            request = httpx.Request("GET", f"http://127.0.0.1:{free_port()}/", extensions={"timeout": {}})
            with pytest.raises(httpx.ConnectError) as caught:
                await transport.handle_async_request(request)
            assert caught.value.request is request

    run(main())


def test_a_failed_request_does_not_poison_the_pool() -> None:
    async def main() -> list[str]:
        async with client(AsyncioTransport(max_connections=1), timeout=httpx.Timeout(0.3)) as http:
            results = []
            for path in ["/reset", "/ok1", "/hang", "/ok2", "/cut", "/ok3"]:
                try:
                    results.append((await http.get(f"{server.url}{path}")).text)
                except httpx.TransportError as error:
                    results.append(type(error).__name__)
            return results

    script = [Reply(reset=True), Reply(200, b"1"), Reply(hang=True), Reply(200, b"2")]
    script += [Reply(200, b"abcdef", close_after=2), Reply(200, b"3")]
    with ScriptedServer(script) as server:
        assert run(main()) == ["ReadError", "1", "ReadTimeout", "2", "RemoteProtocolError", "3"]


# -- framing --------------------------------------------------------------------------------------


def test_chunked_response_body_then_reuse() -> None:
    body = bytes(range(256)) * 200  # several chunks

    async def main() -> list[bytes]:
        async with client(AsyncioTransport()) as http:
            return [(await http.get(f"{server.url}/{i}")).content for i in range(2)]

    with ScriptedServer([Reply(200, body, chunked=True), Reply(200, b"next")]) as server:
        assert run(main()) == [body, b"next"]
    assert server.connections == 1


def test_response_body_is_streamed_lazily() -> None:
    async def main() -> None:
        async with client(AsyncioTransport()) as http:
            started = time.monotonic()
            async with http.stream("GET", f"{server.url}/slow") as response:
                assert time.monotonic() - started < 0.5  # the head arrived; the body has not
                chunks = [chunk async for chunk in response.aiter_bytes()]
            assert b"".join(chunks) == b"abcd"
            assert len(chunks) > 1

    with ScriptedServer([Reply(200, b"abcd", trickle=0.15)]) as server:
        run(main())


def test_closing_a_response_early_closes_its_connection() -> None:
    async def main() -> str:
        async with client(AsyncioTransport()) as http:
            async with http.stream("GET", f"{server.url}/big") as response:
                async for chunk in response.aiter_raw():
                    assert chunk
                    break
            await asyncio.sleep(0.05)
            assert client_sockets_to(server.port) == 0
            return (await http.get(f"{server.url}/next")).text

    with ScriptedServer([Reply(200, b"x" * 2_000_000), Reply(200, b"next")]) as server:
        assert run(main()) == "next"
    assert server.connections == 2


@pytest.mark.parametrize(("declared", "framing"), [(False, "chunked"), (True, "length 11")])
def test_streamed_request_bodies(declared: bool, framing: str) -> None:
    async def body() -> AsyncIterator[bytes]:
        for piece in (b"hello", b" ", b"world"):
            yield piece

    async def main() -> None:
        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        headers = {"Content-Length": "11"} if declared else {}
        async with server, client(AsyncioTransport()) as http:
            response = await http.post(f"http://127.0.0.1:{port}/", content=body(), headers=headers)
            assert response.content == b"hello world"
            assert response.headers["X-Framing"] == framing
            response = await http.post(f"http://127.0.0.1:{port}/", content=b"bytes body")
            assert (response.content, response.headers["X-Framing"]) == (b"bytes body", "length 10")

    run(main())


def test_large_bodies_both_ways() -> None:
    payload = os.urandom(3_000_000)

    async def main() -> None:
        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, client(AsyncioTransport()) as http:
            response = await http.post(f"http://127.0.0.1:{port}/", content=payload)
            assert response.content == payload

    run(main())


def test_body_longer_than_its_content_length_is_a_local_protocol_error() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b"too long"

    async def main() -> None:
        async with client(AsyncioTransport()) as http:
            with pytest.raises(httpx.LocalProtocolError):
                await http.post(f"{server.url}/", content=body(), headers={"Content-Length": "3"})
        await asyncio.sleep(0.1)  # the server's thread for the connection starts before the server stops

    with ScriptedServer(lambda _: Reply(200, b"")) as server:
        run(main())


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


def test_https_with_sni_and_a_custom_ssl_context(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    names: list[str | None] = []

    def record_name(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(name)

    server_context.sni_callback = record_name
    client_context = ssl.create_default_context(cafile=str(cert))
    accepted = 0

    async def counting_echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal accepted
        accepted += 1
        await echo(reader, writer)

    async def main() -> None:
        server = await asyncio.start_server(counting_echo, "127.0.0.1", 0, ssl=server_context)
        port = server.sockets[0].getsockname()[1]
        async with server:
            async with client(AsyncioTransport(ssl_context=client_context)) as http:
                for index in range(3):
                    response = await http.post(f"https://localhost:{port}/", content=f"secret {index}".encode())
                    assert response.text == f"secret {index}"
            async with client(AsyncioTransport(), timeout=httpx.Timeout(5.0)) as http:  # the default context
                with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                    await http.get(f"https://127.0.0.1:{port}/")

    run(main())
    assert accepted == 1  # one kept-alive connection for the three requests (the refused one never got here)
    assert names[0] == "localhost"


def test_https_to_a_plain_http_server_fails_promptly() -> None:
    async def plain_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)  # the ClientHello
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(plain_http, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server, client(AsyncioTransport(), timeout=httpx.Timeout(2.0)) as http:
            with pytest.raises(httpx.ConnectError):
                await http.get(f"https://127.0.0.1:{port}/")

    run(main(), limit=5)


def test_https_to_a_silent_server_times_out_connecting() -> None:
    async def main() -> None:
        async with client(AsyncioTransport(), timeout=httpx.Timeout(5.0, connect=0.3)) as http:
            with pytest.raises(httpx.ConnectTimeout):
                await http.get(f"https://127.0.0.1:{server.port}/")
        await asyncio.sleep(0.05)
        assert client_sockets_to(server.port) == 0

    with ScriptedServer([]) as server:  # reads the ClientHello as the start of a request head, forever
        run(main(), limit=5)


# -- the SDK on top -------------------------------------------------------------------------------


def test_sdk_async_client_over_the_transport() -> None:
    from signalwire_compat.testing import FakeSpace

    async def main(space: FakeSpace) -> list[str]:
        stream = space.add_call_stream()
        async with client(AsyncioTransport(max_connections=4)) as http, space.async_client(http_client=http) as sdk:
            space.drop_connection()  # the SDK retries the idempotent stop after the transport's error
            stops = [sdk.calls(stream.parent_sid).streams(stream.sid).stop() for _ in range(8)]
            return [result.status for result in await asyncio.gather(*stops)]

    with FakeSpace() as space:
        assert run(main(space)) == ["stopped"] * 8
        assert [r.status for r in space.requests] == [0] + [200] * 8


def test_sdk_async_client_uses_this_transport_unless_a_proxy_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    import signalwire_compat as sw

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "localhost")
    options = {"project_id": "9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "api_token": "t", "space_url": "example.com"}
    plain = sw.AsyncClient(**options)
    assert isinstance(plain._http._transport, AsyncioTransport)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    proxied = sw.AsyncClient(**options)
    assert not isinstance(proxied._http._transport, AsyncioTransport)
    assert proxied._http._mounts  # httpx mounted its proxy transport from the environment
