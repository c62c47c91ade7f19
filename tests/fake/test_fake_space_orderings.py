"""The orderings a real app meets, as FakeSpace plays them: the WebSocket's ``stop`` is sent before the REST answer
to the stop that caused it (so an app's tests meet the order that breaks an app waiting for the answer first),
and a stream that ends in ``stream-error`` gets no ``stream-stopped`` after it (each stream ends once)."""

from __future__ import annotations

import pytest

import signalwire_compat as sw
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeSpace, RecordedRequest
from tests.fake.media_app import MediaApp


def start_stream(ws_url: str) -> str:
    document = cxml.VoiceResponse()
    document.start().stream(url=ws_url, name="listener", status_callback="/status")
    document.pause(length=60)
    return str(document)


@pytest.mark.parametrize("in_process", [False, True])
def test_the_websockets_stop_is_sent_before_the_rest_stop_that_caused_it_is_answered(
    in_process: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent_when_answered: list[bool] = []
    original = FakeSpace._record

    def record(space: FakeSpace, request: RecordedRequest) -> None:  # the answer exists; the client has not got it
        sent_when_answered.extend(space.media(s.sid).stop_sent for s in space.calls()[0].streams)
        original(space, request)

    monkeypatch.setattr(FakeSpace, "_record", record)
    with FakeSpace(speed=50) as space, MediaApp(space.signing_key, cxml=start_stream) as app:
        call = space.incoming_call(f"{app.url}/voice")
        (stream,) = call.wait_for_streams(1)
        space.media(stream.sid).wait_for_frames(5)
        with space.client(in_process=in_process) as client:
            client.calls(call.sid).streams("listener").stop()
        app.wait_for_connection().wait_for(lambda ms: isinstance(ms[-1], media.Stop))
        call.hangup()
    assert sent_when_answered == [True]


def test_a_stream_that_fails_gets_stream_error_and_no_stream_stopped_after_it() -> None:
    def refused(ws_url: str) -> str:
        document = cxml.VoiceResponse()
        document.start().stream(url="ws://127.0.0.1:9/nothing-listens", name="lost", status_callback="/status")
        document.start().stream(url=ws_url, name="kept", status_callback="/status")
        document.pause(length=1)
        return str(document)

    with FakeSpace(speed=50) as space, MediaApp(space.signing_key, cxml=refused) as app:
        call = space.incoming_call(f"{app.url}/voice").wait_until_ended()
        callbacks = app.wait_for_callbacks(3)
        space.wait_for_deliveries(3)
    assert call.status == "completed"
    events = sorted((c.stream_name, c.event) for c in callbacks)
    assert events == [
        ("kept", sw.StreamEvent.STARTED),
        ("kept", sw.StreamEvent.STOPPED),
        ("lost", sw.StreamEvent.ERROR),
    ]
    assert len(space.deliveries) == 3  # the call's end stopped "kept" only: "lost" had ended already
