"""The media session's adapters at their edges, driven in-process: a Starlette app through the ASGI messages a
server would exchange with it (no server, no socket), and the objects ``media.session`` refuses to adapt."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import signalwire_compat as sw
from signalwire_compat import media

TOKEN = "adapter-bearer-token"
START = media.signalwire_start(
    stream_sid="6f1f0c3e-0000-4000-8000-000000000001",
    account_sid="6f1f0c3e-0000-4000-8000-000000000002",
    call_sid="6f1f0c3e-0000-4000-8000-000000000003",
)


def _starlette_app(seen: list[Any]) -> Any:
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocket

    async def agent(websocket: WebSocket) -> None:
        async with media.session(websocket, bearer=TOKEN) as session:
            seen.extend([event async for event in session])
        seen.append(session.ended)

    return Starlette(routes=[WebSocketRoute("/media", agent)])


def _serve(
    app: Any, incoming: list[dict[str, Any]], *, headers: dict[str, str], extensions: dict[str, Any]
) -> list[Any]:
    """What an ASGI server would send on the app's behalf, the client's messages given in order."""
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": "/media",
        "raw_path": b"/media",
        "root_path": "",
        "query_string": b"",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
        "subprotocols": [],
        "extensions": extensions,
    }
    sent: list[Any] = []

    async def main() -> None:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for message in incoming:
            queue.put_nowait(message)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await asyncio.wait_for(app(scope, queue.get, send), timeout=5)

    asyncio.run(main())
    return sent


def _text(text: str) -> dict[str, Any]:
    return {"type": "websocket.receive", "text": text}


@pytest.mark.parametrize(
    ("extensions", "answer"),
    [
        ({"websocket.http.response": {}}, "websocket.http.response.start"),
        ({}, "websocket.close"),
    ],
    ids=["denial-response extension: 401", "no extension: closed with 1008"],
)
def test_starlette_refuses_a_wrong_bearer_before_accepting_the_upgrade(extensions: dict[str, Any], answer: str) -> None:
    seen: list[Any] = []
    sent = _serve(
        _starlette_app(seen),
        [{"type": "websocket.connect"}],
        headers={"Authorization": "Bearer not-the-token"},
        extensions=extensions,
    )
    assert [message["type"] for message in sent][:1] == [answer]
    assert "websocket.accept" not in [message["type"] for message in sent]
    if answer == "websocket.close":
        assert sent[0]["code"] == 1008  # the server answers the upgrade 403
    else:
        assert sent[0]["status"] == 401
    assert seen == []  # the agent never ran


def test_a_starlette_socket_the_caller_drops_without_a_stop_ends_the_session_with_its_close_code() -> None:
    seen: list[Any] = []
    dtmf = media.signalwire_dtmf(sequence_number=2, digit="4", duration=100)
    incoming = [
        {"type": "websocket.connect"},
        _text(media.signalwire_connected()),
        _text(START),
        {"type": "websocket.receive", "bytes": b"\x00"},  # binary: not SignalWire's, skipped
        _text(dtmf),
        {"type": "websocket.disconnect", "code": 1001},
    ]
    sent = _serve(_starlette_app(seen), incoming, headers={"Authorization": f"Bearer {TOKEN}"}, extensions={})
    event, ended = seen
    assert isinstance(event, media.Dtmf) and event.digit == "4"
    assert ended == media.Ended(media.EndReason.CLOSED, None, 1001)
    assert [message["type"] for message in sent] == ["websocket.accept"]  # no close sent on a socket already gone


def test_media_session_refuses_an_object_no_adapter_takes_naming_what_to_pass() -> None:
    from aiohttp import web

    with pytest.raises(TypeError, match=r"websocket must be Starlette/FastAPI's WebSocket.*not dict"):
        media.session({})  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"with aiohttp, pass the handler's web\.Request"):
        media.session(web.WebSocketResponse())  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"bearer": ""}, sw.ConfigurationError, "bearer must be the stream's authBearerToken"),
        ({"bearer": b"token"}, sw.ConfigurationError, "bearer must be the stream's authBearerToken"),
        ({"byteorder": "middle"}, ValueError, "byteorder must be 'little' or 'big'"),
        ({"receive_rate": 22}, ValueError, r"^receive_rate must be an int from 4000 to 192000 Hz, got 22"),
    ],
    ids=["empty bearer", "bytes bearer", "byte order", "receive rate"],
)
def test_options_the_session_cannot_use_are_refused_before_the_upgrade_is_touched(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    from starlette.websockets import WebSocket

    touched: list[Any] = []

    async def receive() -> dict[str, Any]:
        touched.append("receive")
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        touched.append(message)

    websocket = WebSocket({"type": "websocket", "path": "/media", "headers": []}, receive, send)
    with pytest.raises(error, match=message):
        media.session(websocket, **options)
    assert touched == []
