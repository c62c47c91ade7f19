"""FakeSpace's stream lifecycle: create on both parents, stop by sid or name, signed status callbacks,
and ``python -m signalwire_compat.testing``."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace
from tests.servers import CallbackReceiver

WSS = "wss://media.example.com/audio"


def test_create_on_both_parents_then_stop_by_name_and_by_sid() -> None:
    with FakeSpace() as space, space.client() as client:
        call = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
        conference = "2c4a6c7e-0000-4a4a-8b8b-222222222222"
        started = client.calls(call).streams.create(
            url=WSS, name="agent-audio", track="inbound_track", parameters={"FirstName": "Jane", "Lang": "en"}
        )
        assert (started.status, started.name, started.call_sid) == ("in-progress", "agent-audio", call)
        settings = space.stream_settings(started.sid)
        assert settings["url"] == WSS
        assert settings["parameters"] == {"FirstName": "Jane", "Lang": "en"}
        assert settings["Track"] == "inbound_track"
        conference_stream = client.conferences(conference).streams.create(url=WSS, stream_codec="PCMU")
        assert conference_stream.name is None
        assert space.stream_settings(conference_stream.sid)["StreamCodec"] == "PCMU"

        stopped = client.calls(call).streams("agent-audio").stop()
        assert (stopped.sid, stopped.status) == (started.sid, "stopped")
        assert client.conferences(conference).streams(conference_stream.sid).stop().status == "stopped"
        with pytest.raises(sw.NotFoundError):
            client.calls(call).streams("no-such-stream").stop()
        # A stopped stream's name may be used again.
        again = client.calls(call).streams.create(url=WSS, name="agent-audio")
        assert again.sid != started.sid
        assert client.calls(call).streams("agent-audio").stop().sid == again.sid
        assert len(space.streams()) == 3


def test_create_refusals_use_each_operations_422_shape() -> None:
    call, conference = "1c4a6c7e-0000-4a4a-8b8b-111111111111", "2c4a6c7e-0000-4a4a-8b8b-222222222222"
    with FakeSpace() as space, space.client() as client:
        client.calls(call).streams.create(url=WSS, name="busy")
        with pytest.raises(sw.UnprocessableEntityError, match="already running") as caught:
            client.calls(call).streams.create(url=WSS, name="busy")
        assert caught.value.errors == []
        client.conferences(conference).streams.create(url=WSS, name="busy")
        with pytest.raises(sw.UnprocessableEntityError) as conference_error:
            client.conferences(conference).streams.create(url=WSS, name="busy")
        assert conference_error.value.errors == ["A stream named 'busy' is already running on this conference"]
    assert [r.status for r in space.requests] == [200, 422, 200, 422]


def test_status_callbacks_are_signed_form_posts_on_start_and_stop() -> None:
    call = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
    with CallbackReceiver() as receiver, FakeSpace() as space, space.client() as client:
        callback = f"{receiver.url}/stream-status?tenant=7"
        stream = client.calls(call).streams.create(url=WSS, name="agent-audio", status_callback=callback)
        client.calls(call).streams("agent-audio").stop()
        client.calls(call).streams("agent-audio").stop()  # already stopped: no second callback
        deliveries = space.wait_for_deliveries(2)
    assert [d.form["StreamEvent"] for d in deliveries] == ["stream-started", "stream-stopped"]
    assert all(d.ok and d.error is None for d in deliveries)
    assert len(receiver.received) == 2
    for delivery, request in zip(deliveries, receiver.received, strict=True):
        assert request.method == "POST"
        assert request.path == "/stream-status?tenant=7"
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        signature = request.headers["x-signalwire-signature"]
        assert request.headers["x-twilio-signature"] == signature == delivery.signature
        sw.webhooks.verify(space.signing_key, signature=signature, url=callback, body=request.body)
        assert not sw.webhooks.validate("wrong-key", signature=signature, url=callback, body=request.body)
        form = dict(parse_qsl(request.body.decode()))
        assert form["AccountSid"] == space.project_id
        assert form["CallSid"] == call
        assert form["StreamSid"] == stream.sid
        assert form["StreamName"] == "agent-audio"
        # As documented: an ISO 8601 Timestamp (RFC 2822 is the call status callback's), the track, Unique-ID.
        assert datetime.fromisoformat(form["Timestamp"]).tzinfo is not None
        assert form["StreamTrack"] == "both_tracks"  # REST's default track
        assert form["Unique-ID"] == deliveries[0].form["Unique-ID"]
        assert set(form) == {
            "AccountSid",
            "CallSid",
            "StreamSid",
            "StreamName",
            "StreamEvent",
            "StreamTrack",
            "Timestamp",
            "Unique-ID",
        }
        parsed = sw.webhooks.parse_stream_status(request.body)
        assert (parsed.stream_sid, parsed.track, parsed.unique_id) == (stream.sid, "both_tracks", form["Unique-ID"])
        assert isinstance(parsed.timestamp, datetime)


def test_get_callbacks_carry_the_parameters_in_the_query_and_conferences_name_theirs() -> None:
    conference = "2c4a6c7e-0000-4a4a-8b8b-222222222222"
    with CallbackReceiver(status=500) as receiver, FakeSpace() as space:

        async def main() -> None:
            async with space.async_client() as client:
                await client.conferences(conference).streams.create(
                    url=WSS, status_callback=receiver.url + "/cb", status_callback_method="GET"
                )

        asyncio.run(main())
        (delivery,) = space.wait_for_deliveries(1)
    (request,) = receiver.received
    assert request.method == "GET"
    assert request.body == b""
    query = dict(parse_qsl(urlsplit(request.path).query))
    assert query["ConferenceSid"] == conference
    assert query["StreamEvent"] == "stream-started"
    assert delivery.url == receiver.url + request.path
    sw.webhooks.verify(
        space.signing_key, signature=request.headers["x-signalwire-signature"], url=delivery.url, body=b""
    )
    assert (delivery.status, delivery.ok) == (500, False)  # the receiver's answer is recorded


def test_callbacks_go_to_loopback_addresses_only() -> None:
    with FakeSpace() as space, space.client() as client:
        client.calls("1c4a6c7e-0000-4a4a-8b8b-111111111111").streams.create(
            url=WSS, status_callback="https://hooks.example.com/stream-status"
        )
        (delivery,) = space.wait_for_deliveries(1)
    assert delivery.status == 0
    assert delivery.error is not None and "loopback" in delivery.error


def test_a_refused_callback_is_recorded_not_raised() -> None:
    with CallbackReceiver() as receiver:
        gone = receiver.url
    with FakeSpace() as space, space.client() as client:
        client.calls("1c4a6c7e-0000-4a4a-8b8b-111111111111").streams.create(url=WSS, status_callback=gone)
        (delivery,) = space.wait_for_deliveries(1)
    assert delivery.status == 0
    assert delivery.error is not None and "refused" in delivery.error.lower()


@pytest.mark.slow  # starts an interpreter
@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_module_runs_a_space_in_the_foreground(stop_with: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "signalwire_compat.testing", "--call-streams", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("SIGNALWIRE_")},
        # Ctrl-C as a terminal user has it: a job started in the background inherits SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(6)]
        exports = dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))
        assert set(exports) == {
            "SIGNALWIRE_SPACE_URL",
            "SIGNALWIRE_PROJECT_ID",
            "SIGNALWIRE_API_TOKEN",
            "SIGNALWIRE_SIGNING_KEY",
        }
        label, *fields = lines[4].split()[1:]
        assert label == "call-stream"
        parent, sid, name = (field.split("=", 1)[1] for field in fields)
        assert name == "stream"
        client = sw.Client(
            exports["SIGNALWIRE_PROJECT_ID"], exports["SIGNALWIRE_API_TOKEN"], exports["SIGNALWIRE_SPACE_URL"]
        )
        with client:
            assert client.calls(parent).streams(sid).stop().status == "stopped"
        process.send_signal(stop_with)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
        process.wait(10)
    assert process.returncode == 0, stderr
    assert "FakeSpace stopped" in stderr
    assert "Traceback" not in stderr
