"""FakeSpace plays SignalWire's part of a media stream over a real WebSocket: REST and cXML streams,
bidirectional audio and marks, errors as ``stream-error`` callbacks, and nothing left running after."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading

import pytest
from aiohttp import WSMsgType, web

import signalwire_compat as sw
from scripts.loopback_app import LoopbackServer
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeSpace, ManualClock, Tone
from tests.fake.media_app import MediaApp

CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
FAST = 50.0  # call seconds per wall second: 50 frames (1 s of audio) take 20 ms


def _stopped(messages: list[media.Message]) -> bool:
    return bool(messages) and isinstance(messages[-1], media.Stop)


def _media_frames(messages: list[media.Message]) -> list[media.Media]:
    return [m for m in messages if isinstance(m, media.Media)]


def test_a_rest_stream_to_a_loopback_app_gets_connected_start_media_and_stop_after_a_stop_by_name() -> None:
    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, token="s3cret") as app, space.client() as client:
        client.calls(CALL).streams.create(
            url=app.ws_url,  # ws:// is accepted: the client's space is a loopback URL
            name="agent audio",
            parameters={"FirstName": "Jane", "Lang": "en"},
            status_callback=f"{app.url}/status",
            authorization_bearer_token="s3cret",
        )
        connection = app.wait_for_connection()
        connection.wait_for(lambda ms: len(_media_frames(ms)) >= 50)
        (session,) = [space.media(s.sid) for s in space.streams()]
        assert "s3cret" not in repr(session) + repr(session.settings)  # the bearer token is a secret
        client.calls(CALL).streams("agent audio").stop()
        messages = connection.wait_for(_stopped)
        connection.closed.wait(5)
        callbacks = app.wait_for_callbacks(2)
    assert connection.headers["Authorization"] == "Bearer s3cret"
    connected, start = messages[:2]
    assert connected == media.Connected(protocol="Call", version="0.2.0")
    assert isinstance(start, media.Start)
    assert start.custom_parameters == {"FirstName": "Jane", "Lang": "en"}
    assert (start.call_sid, start.account_sid, start.tracks) == (CALL, space.project_id, ("inbound", "outbound"))
    assert start.media_format == media.MediaFormat("audio/x-mulaw", 8000, 1)
    frames = _media_frames(messages)
    inbound = [f for f in frames if f.track == "inbound"]
    assert [f.chunk for f in inbound[:3]] == [1, 2, 3] and [f.timestamp for f in inbound[:3]] == [0, 20, 40]
    assert all(len(f.payload) == 160 for f in frames)
    pcm = media.ulaw_to_pcm16(inbound[1].payload)
    assert max(abs(int.from_bytes(pcm[i : i + 2], "little", signed=True)) for i in range(0, 320, 2)) > 4000  # a tone
    sequence = [getattr(m, "sequence_number", None) for m in messages[1:]]
    assert sequence == list(range(1, len(sequence) + 1))
    assert isinstance(messages[-1], media.Stop) and len(messages) - 3 == len(frames)
    started, stopped = callbacks
    assert (started.event, stopped.event) == (sw.StreamEvent.STARTED, sw.StreamEvent.STOPPED)
    assert started.stream_sid == stopped.stream_sid == start.stream_sid
    assert (started.stream_name, started.track, started.call_sid) == ("agent audio", "both_tracks", CALL)
    assert started.timestamp is not None and started.timestamp.tzinfo is not None  # type: ignore[union-attr]
    assert started.unique_id and started.unique_id == stopped.unique_id
    assert app.refused_signatures == 0


def test_an_incoming_call_runs_the_apps_cxml_and_its_stream_stops_by_name_through_the_sdk() -> None:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.start().stream(url=ws_url, name="caller", status_callback="/status").parameter("Lang", "fr")
        response.pause(length=3600)  # held until the test hangs up
        return str(response)

    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, cxml=answer) as app:
        call = space.incoming_call(f"{app.url}/voice", from_="+15551230000", to="+15559870000")
        (stream,) = call.wait_for_streams(1)
        connection = app.wait_for_connection()
        start = connection.wait_for(lambda ms: len(_media_frames(ms)) >= 50)[1]
        assert [s.sid for s in space.streams()] == [stream.sid]
        with space.client() as client:
            assert client.calls(call.sid).streams("caller").stop().status == "stopped"
        connection.wait_for(_stopped)
        assert call.status == "in-progress"  # <Start> is asynchronous: the call goes on
        call.hangup()
        call.wait_until_ended()
        callbacks = app.wait_for_callbacks(2)
    (voice,) = app.voice_requests
    assert voice == {
        "AccountSid": space.project_id,
        "ApiVersion": "2010-04-01",
        "CallSid": call.sid,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "From": "+15551230000",
        "To": "+15559870000",
    }
    assert isinstance(start, media.Start)
    assert (start.stream_sid, start.call_sid, start.custom_parameters) == (stream.sid, call.sid, {"Lang": "fr"})
    assert start.tracks == ("inbound",)  # cXML's default track
    assert [c.event for c in callbacks] == ["stream-started", "stream-stopped"]
    assert callbacks[0].track == "inbound_track"
    assert (call.status, call.verbs, call.error) == ("completed", ["Start", "Pause"], None)


def test_a_bidirectional_stream_plays_the_apps_audio_echoes_marks_after_it_and_flushes_on_clear() -> None:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.connect().stream(url=ws_url, name="bot")
        response.say("not reached while the stream runs")
        return str(response)

    clock = ManualClock()
    with FakeSpace(clock=clock) as space, MediaApp(space.signing_key, cxml=answer) as app:
        call = space.incoming_call(f"{app.url}/voice")
        (stream,) = call.wait_for_streams(1)
        session = space.media(stream.sid).wait_until_connected()
        connection = app.wait_for_connection()
        half_second = media.pcm16_to_ulaw(Tone(frequency=300).pcm(8000, 0.5))
        connection.send(media.media_message(stream.sid, half_second))
        connection.send(media.mark_message(stream.sid, "after-audio"))
        session.wait_for_app_messages(2)
        clock.advance(0.4)  # not all of it has played yet
        connection.send(media.mark_message(stream.sid, "probe"))
        session.wait_for_app_messages(3)
        assert session.marks_echoed == []
        clock.advance(0.1)
        assert session.wait_for_marks(2) == ["after-audio", "probe"]
        connection.send(media.mark_message(stream.sid, "idle"))  # nothing queued: echoed at once
        assert session.wait_for_marks(3)[-1] == "idle"
        connection.send(media.media_message(stream.sid, bytes(8000 * 10)))  # 10 s queued
        connection.send(media.mark_message(stream.sid, "pending"))
        connection.send(media.clear_message(stream.sid))
        assert session.wait_for_marks(4)[-1] == "pending"  # the clear flushed it
        echoed = connection.wait_for(lambda ms: len([m for m in ms if isinstance(m, media.Mark)]) >= 4)
        assert call.status == "in-progress"  # <Connect><Stream> holds the call
        connection.close()  # the app ends the stream: the document goes on, then ends
        call.wait_until_ended()
    marks = [m for m in echoed if isinstance(m, media.Mark)]
    assert [m.name for m in marks] == ["after-audio", "probe", "idle", "pending"]
    assert all(m.stream_sid == stream.sid for m in marks)
    assert session.received_audio == half_second + bytes(8000 * 10)
    assert call.verbs == ["Connect"] and call.skipped == ["Say"]


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ws://127.0.0.1:{closed}/audio", sw.StreamError.CONNECTION_REFUSED),
        ("wss://127.0.0.1:{plain}/audio", sw.StreamError.CONNECTION_REFUSED_TIMEOUT_OR_SSL_ERROR),
    ],
    ids=["refused", "tls"],
)
def test_a_websocket_that_cannot_be_opened_gives_a_stream_error_callback(url: str, error: sw.StreamError) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = unused.getsockname()[1]
    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key) as app, space.client() as client:
        target = url.format(closed=closed, plain=app.port)  # TLS to a plain-HTTP port fails its handshake
        stream = client.calls(CALL).streams.create(url=target, status_callback=f"{app.url}/status")
        session = space.media(stream.sid).wait_until_ended()
        (callback,) = app.wait_for_callbacks(1)
        assert space.stream_status(stream.sid) == "stopped"
    assert (session.state, session.error) == ("failed", error)
    assert (callback.event, callback.error) == (sw.StreamEvent.ERROR, error)
    assert callback.stream_name == stream.sid  # StreamName defaults to the StreamSid


def test_a_url_that_cannot_be_connected_to_is_an_invalid_url_stream_error() -> None:
    import httpx

    with FakeSpace() as space, MediaApp(space.signing_key) as app:
        # Past the SDK's checks (it refuses this port before sending): a raw request, as curl would send.
        answer = httpx.post(
            f"{space.url}/api/laml/2010-04-01/Accounts/{space.project_id}/Calls/{CALL}/Streams",
            data={"Url": "wss://127.0.0.1:70000/audio", "StatusCallback": f"{app.url}/status"},
            auth=(space.project_id, space.api_token),
            trust_env=False,
        )
        assert answer.status_code == 200
        (callback,) = app.wait_for_callbacks(1)
    assert (callback.event, callback.error) == (sw.StreamEvent.ERROR, sw.StreamError.INVALID_URL)


@pytest.mark.slow  # starts an interpreter
def test_a_space_that_streams_nothing_starts_no_media_thread_and_importing_it_loads_no_aiohttp() -> None:
    code = "import sys, signalwire_compat.testing; assert 'aiohttp' not in sys.modules, 'aiohttp was imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
    with FakeSpace() as space, space.client() as client:
        client.calls(CALL).streams.create(url="wss://media.example.com/audio")
        assert not space._media.loop.started
        assert "FakeSpace-media" not in {thread.name for thread in threading.enumerate()}


def test_a_stream_to_a_host_that_is_not_loopback_is_never_connected_to() -> None:
    with FakeSpace() as space, MediaApp(space.signing_key) as app, space.client() as client:
        stream = client.calls(CALL).streams.create(url="wss://media.example.com/a", status_callback=f"{app.url}/status")
        client.calls(CALL).streams(stream.sid).stop()
        callbacks = app.wait_for_callbacks(2)
        with pytest.raises(KeyError):
            space.media(stream.sid)
    assert [c.event for c in callbacks] == ["stream-started", "stream-stopped"]


def test_ws_urls_are_refused_before_sending_unless_both_the_space_and_the_app_are_loopback() -> None:
    remote = sw.Client(CALL, "PT-token", "https://example.signalwire.com")
    with pytest.raises(ValueError, match=r"wss://"):
        remote.calls(CALL).streams.create(url="ws://127.0.0.1:9/audio")
    with FakeSpace() as space, space.client() as client, pytest.raises(ValueError, match=r"wss://"):
        client.calls(CALL).streams.create(url="ws://media.example.com/audio")
    assert space.requests == []
    remote.close()


def test_an_unreadable_cxml_answer_fails_the_call_and_says_why() -> None:
    with FakeSpace() as space, MediaApp(space.signing_key, cxml="<Response><Start><Stream/></Start></Response>") as app:
        call = space.incoming_call(f"{app.url}/voice").wait_until_ended()
    assert call.status == "failed"
    assert call.error is not None and "url" in call.error and "invalid" in call.error
    assert call.streams == []


def test_dtmf_l16_and_hangup_end_the_stream_with_stop() -> None:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.start().stream(url=ws_url, codec="L16@16000h", track="both_tracks")
        response.pause(length=1).hangup()
        return str(response)

    clock = ManualClock()
    with FakeSpace(clock=clock) as space, MediaApp(space.signing_key, cxml=answer) as app:
        call = space.incoming_call(f"{app.url}/voice", audio=bytes(640 * 3))
        (stream,) = call.wait_for_streams(1)
        space.media(stream.sid).wait_until_connected().send_dtmf("7", duration=120)
        connection = app.wait_for_connection()
        connection.wait_for(lambda ms: any(isinstance(m, media.Dtmf) for m in ms))
        space.advance(1.0)  # the <Pause> ends, then <Hangup> ends the call and its stream
        call.wait_until_ended()
        messages = connection.wait_for(_stopped)
    start = messages[1]
    assert isinstance(start, media.Start)
    assert start.media_format == media.MediaFormat("audio/x-L16", 16000, 1)
    (dtmf,) = [m for m in messages if isinstance(m, media.Dtmf)]
    assert (dtmf.digit, dtmf.duration, dtmf.stream_sid) == ("7", 120, None)
    frames = _media_frames(messages)
    assert {len(f.payload) for f in frames} == {640} and {f.track for f in frames} == {"inbound", "outbound"}
    assert (call.status, call.verbs) == ("completed", ["Start", "Pause", "Hangup"])


def _open_descriptors() -> int:
    return len(os.listdir(f"/proc/{os.getpid()}/fd"))


def test_every_thread_socket_and_task_is_gone_when_the_with_block_ends() -> None:
    gc.collect()
    threads, descriptors = set(threading.enumerate()), _open_descriptors()
    with MediaApp("unused") as app:
        app_descriptors = _open_descriptors()
        with FakeSpace(speed=FAST) as space, space.client() as client:
            app.signing_key = space.signing_key
            for n in range(3):
                client.calls(CALL).streams.create(url=app.ws_url, name=f"s{n}")
            app.wait_for_connection(2).wait_for(lambda ms: len(ms) > 5)
            loop = space._media.loop._loop
            assert loop is not None and threading.active_count() > len(threads)
        assert loop.is_closed()
        assert all(c.closed.wait(5) for c in app.connections)
        gc.collect()
        assert _open_descriptors() <= app_descriptors
    assert set(threading.enumerate()) == threads
    assert _open_descriptors() == descriptors
    assert asyncio.all_tasks(loop) == set()


@pytest.mark.slow  # a child process streaming in real time
def test_the_command_line_fake_places_an_incoming_call() -> None:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.start().stream(url=ws_url, name="cli")
        return str(response.pause(length=1))

    with MediaApp("", cxml=answer) as app:
        command = [sys.executable, "-m", "signalwire_compat.testing", "--speed", "50"]
        process = subprocess.Popen(
            [*command, "--incoming-call", f"{app.url}/voice", "--from", "+15550001111"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("SIGNALWIRE_")},
        )
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline().strip() for _ in range(8)]
            signing_key = lines[3].split("=", 1)[1]
            ended = lines[-1]
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=10)
        finally:
            process.kill()
            process.wait(10)
        connection = app.wait_for_connection()
    call_sid = lines[4].split()[2].removeprefix("call=")
    assert lines[4] == f"# incoming-call call={call_sid} url={app.url}/voice"
    assert lines[6].startswith(f"# call-stream call={call_sid} stream=") and lines[6].endswith(" name=cli"), lines
    assert ended == f"# call-ended call={call_sid} status=completed verbs=Start,Pause streams=1", lines
    assert app.voice_requests[0]["From"] == "+15550001111"
    ((url, body, headers),) = app.voice_signatures
    signature = headers["X-SignalWire-Signature"]
    sw.webhooks.verify(signing_key, signature=signature, url=url, body=body)
    assert any(isinstance(m, media.Stop) for m in connection.messages)
    assert process.returncode == 0, stderr


def test_cxml_stop_stops_a_stream_by_name_and_a_duplicate_name_is_a_stream_error() -> None:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.start().stream(url=ws_url, name="a", status_callback="/status")
        response.start().stream(url=ws_url, name="a", status_callback="/status")  # already running
        response.pause(length=5)
        response.stop().stream(name="a")
        return str(response.pause(length=5))

    clock = ManualClock()
    with FakeSpace(clock=clock) as space, MediaApp(space.signing_key, cxml=answer) as app:
        call = space.incoming_call(f"{app.url}/voice")
        first, second = call.wait_for_streams(2)
        space.media(first.sid).wait_until_connected()
        space.advance(5)  # past the first <Pause>: <Stop> runs
        app.wait_for_connection().wait_for(_stopped)
        callbacks = app.wait_for_callbacks(3)
        assert (space.stream_status(first.sid), call.status) == ("stopped", "in-progress")
        space.advance(5)
        call.wait_until_ended()
    events = {(c.stream_sid, c.event, c.error) for c in callbacks}
    assert events == {
        (first.sid, sw.StreamEvent.STARTED, None),
        (second.sid, sw.StreamEvent.ERROR, sw.StreamError.DUPLICATED_STREAM_NAME),
        (first.sid, sw.StreamEvent.STOPPED, None),
    }
    assert len(app.connections) == 1
    assert call.verbs == ["Start", "Start", "Pause", "Stop", "Pause"]


def test_a_pcma_conference_stream_is_sent_as_a_law() -> None:
    conference = "2c4a6c7e-0000-4a4a-8b8b-222222222222"
    with MediaApp("") as app, FakeSpace(speed=FAST, audio=bytes(320)) as space:  # the space stops first
        with space.client() as client:
            client.conferences(conference).streams.create(url=app.ws_url, stream_codec="PCMA", track="inbound_track")
        messages = app.wait_for_connection().wait_for(lambda ms: len(_media_frames(ms)) >= 2)
    start = messages[1]
    assert isinstance(start, media.Start)
    assert (start.call_sid, start.media_format) == (conference, media.MediaFormat("audio/x-alaw", 8000, 1))
    assert _media_frames(messages)[0].payload == b"\xd5" * 160  # G.711 A-law silence


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (openssl's command line), as tests/sdk/test_engines.py makes."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    command += ["-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost"]
    command += ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    subprocess.run(command, check=True, capture_output=True, timeout=30)
    return cert, key


@pytest.mark.parametrize("trust", ["unverified", "trusted", "verified"])
def test_a_loopback_wss_app_is_reached_without_verification_unless_the_test_passes_a_context(
    certificate: tuple[str, str], trust: str
) -> None:
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(*certificate)
    context = {
        "unverified": None,  # the default, as streamSslValidateCertificate defaults to false
        "trusted": ssl.create_default_context(cafile=certificate[0]),
        "verified": ssl.create_default_context(),  # the system's CAs: the self-signed certificate fails
    }[trust]
    with MediaApp("", tls=server) as app, FakeSpace(speed=FAST, ssl_context=context) as space:
        with space.client() as client:
            stream = client.calls(CALL).streams.create(url=app.ws_url)
        session = space.media(stream.sid)
        if trust == "verified":
            assert session.wait_until_ended().error == sw.StreamError.CONNECTION_REFUSED_TIMEOUT_OR_SSL_ERROR
            assert app.connections == []
        else:
            session.wait_until_connected().wait_for_frames(10)
            app.wait_for_connection().wait_for(lambda ms: len(_media_frames(ms)) >= 5)


def test_a_get_voice_webhook_carries_the_signed_parameters_in_its_query() -> None:
    document = str(cxml.VoiceResponse().say("bye").hangup())
    with FakeSpace() as space, MediaApp(space.signing_key, cxml=document) as app:
        call = space.incoming_call(f"{app.url}/voice?tenant=7", method="GET").wait_until_ended()
    ((url, body, _),) = app.voice_signatures  # verified by the app with the space's signing key
    assert body == b"" and "tenant=7&AccountSid=" in url
    assert app.voice_requests[0]["CallSid"] == call.sid
    assert (call.status, call.verbs, call.skipped) == ("completed", ["Hangup"], ["Say"])


def test_a_webhook_nobody_answers_fails_the_call_and_a_url_that_is_not_loopback_is_refused_before_calling() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = unused.getsockname()[1]
    with FakeSpace() as space:
        call = space.incoming_call(f"http://127.0.0.1:{closed}/voice").wait_until_ended()
        with pytest.raises(ValueError, match="loopback"):
            space.incoming_call("https://app.example.com/voice")
    assert call.status == "failed"
    assert call.error is not None and call.error.startswith("the voice webhook failed")
    assert len(space.calls()) == 1


class _Talker:
    """An app that, once ``start`` came, sends audio without reading until it has sent more than the sockets
    between it and the fake hold, then reads the rest: how each of its sessions ended (``stop`` read, close code)."""

    FLOOD = 16 * 1024 * 1024

    def __init__(self) -> None:
        self.ends: list[tuple[bool, int | None]] = []
        self.changed = threading.Condition()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:  # up to `start`
            if message.type == WSMsgType.TEXT and isinstance(start := media.parse(message.data), media.Start):
                break
        text, sent = media.media_message(start.stream_sid, bytes(4000)), 0
        with contextlib.suppress(ConnectionError):
            while sent < self.FLOOD:  # still sending when the stream stops
                await ws.send_str(text)
                sent += len(text)
        got_stop = False
        async for message in ws:
            got_stop = got_stop or (
                message.type == WSMsgType.TEXT and isinstance(media.parse(message.data), media.Stop)
            )
        with self.changed:
            self.ends.append((got_stop, ws.close_code))
            self.changed.notify_all()
        return ws


def test_an_app_still_sending_when_its_stream_stops_reads_stop_and_gets_a_normal_close() -> None:
    talker = _Talker()
    with LoopbackServer([web.get("/talk", talker.handle)], name="talker") as app:
        with FakeSpace(speed=FAST) as space, space.client() as client:
            created = [
                client.calls(CALL).streams.create(url=f"ws://127.0.0.1:{app.port}/talk", name=f"s{n}") for n in (1, 2)
            ]
            for stream in created:
                space.media(stream.sid).wait_for_app_messages(1)  # the app is talking
                client.calls(CALL).streams(stream.sid).stop()
            with talker.changed:
                assert talker.changed.wait_for(lambda: len(talker.ends) == 2, 10)
            sessions = [space.media(stream.sid).wait_until_ended() for stream in created]
    # The fake sent `stop`, then closed as a WebSocket closes: its close frame, the app's answer awaited
    # meanwhile reading what the app still sent (not cancelling its reader and resetting the connection).
    assert talker.ends == [(True, 1000), (True, 1000)]
    assert [(s.state, s.error_detail) for s in sessions] == [("stopped", None), ("stopped", None)]
