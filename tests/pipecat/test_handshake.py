"""``read_start`` on an ASGI WebSocket: the typed ``start`` after ``connected``, and a ``MediaProtocolError`` naming
what came instead. (The end-to-end tests read it from a real Starlette WebSocket, under uvicorn.)"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

import signalwire_compat as sw
from signalwire_compat import media
from signalwire_compat.integrations._handshake import read_start  # also integrations.pipecat's: no pipecat needed
from tests.helpers import CALL, PROJECT, STREAM

START = media.signalwire_start(
    stream_sid=STREAM,
    account_sid=PROJECT,
    call_sid=CALL,
    custom_parameters={"Lang": "en"},
    encoding="audio/x-L16",
    sample_rate=24000,
)


class WebSocket:
    """Starlette's ``receive()``, giving the ASGI messages it was handed, then waiting forever."""

    def __init__(self, *messages: Mapping[str, Any]) -> None:
        self.messages = list(messages)

    async def receive(self) -> Mapping[str, Any]:
        if not self.messages:
            await asyncio.Event().wait()
        return self.messages.pop(0)


def text(data: str) -> Mapping[str, Any]:
    return {"type": "websocket.receive", "text": data}


def test_the_start_comes_back_typed_with_its_media_format() -> None:
    websocket = WebSocket(text(media.signalwire_connected()), {"type": "websocket.receive", "bytes": START.encode()})
    start = asyncio.run(read_start(websocket))
    assert (start.stream_sid, start.call_sid, start.account_sid) == (STREAM, CALL, PROJECT)
    assert start.media_format == media.MediaFormat(encoding="audio/x-L16", sample_rate=24000, channels=1)
    assert start.custom_parameters == {"Lang": "en"}
    assert websocket.messages == []  # nothing read past the start


@pytest.mark.parametrize(
    ("messages", "says"),
    [
        ([{"type": "websocket.disconnect", "code": 1006}], r"closed \(code 1006\) before 'start'; got nothing"),
        ([text(media.signalwire_connected()), {"type": "websocket.disconnect", "code": 1000}], r"got \['connected'\]"),
        ([{"type": "websocket.connect"}], r"await websocket\.accept\(\) before read_start"),
        ([text(media.signalwire_media(sequence_number=2, audio=b"\xff", chunk=1, timestamp=0))], "got 'media' first"),
        ([text("not json")], "not JSON"),
        ([text('{"event": "start", "start": {}}')], "start"),
        ([{"type": "websocket.receive"}], "expected a text message"),
        ([text('{"event": "hello"}')] * 5, r"no 'start' among the first 5 messages: \['hello',"),
    ],
)
def test_anything_but_connected_then_start_is_a_protocol_error_naming_it(
    messages: list[Mapping[str, Any]], says: str
) -> None:
    with pytest.raises(sw.MediaProtocolError, match=says):
        asyncio.run(read_start(WebSocket(*messages)))


def test_a_websocket_that_sends_nothing_is_given_up_on_after_the_timeout() -> None:
    with pytest.raises(sw.MediaProtocolError, match=r"no 'start' message within 0\.05 s"):
        asyncio.run(read_start(WebSocket(text(media.signalwire_connected())), timeout=0.05))


def test_what_is_not_a_websocket_or_a_timeout_is_refused() -> None:
    with pytest.raises(TypeError, match="async receive"):
        asyncio.run(read_start(object()))  # type: ignore[arg-type]
    for timeout in (0, -1, True, float("nan")):
        with pytest.raises(ValueError, match="timeout"):
            asyncio.run(read_start(WebSocket(), timeout=timeout))
