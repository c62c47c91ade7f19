"""FakeSpace answers the Calls operations as SignalWire does: a created call fetches its document (signed,
``outbound-api``) and runs it; retrieve shows it; an update ends it (its streams get ``stop``) or runs a new
document in place of the running one; an ended call is found, and its updates refused as not in progress;
voice status callbacks as documented; both path forms, with and without ``.json``."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import httpx
import pytest

import signalwire_compat as sw
from signalwire_compat import cxml, media
from signalwire_compat.testing import FakeCall, FakeSpace
from tests.fake.media_app import MediaApp
from tests.servers import CallbackReceiver

FAST = 50.0
TO, FROM = "+15559870000", "+15551230000"
UNKNOWN = "5d1c7e2a-0000-4000-8000-00000000dead"


def _stopped(messages: list[media.Message]) -> bool:
    return bool(messages) and isinstance(messages[-1], media.Stop)


def streaming(name: str) -> object:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.start().stream(url=ws_url, name=name)
        response.pause(length=3600)  # held until the test ends the call
        return str(response)

    return answer


def test_a_created_call_fetches_its_url_signed_as_outbound_api_runs_it_and_ends_when_hung_up() -> None:
    with (
        FakeSpace(speed=FAST) as space,
        MediaApp(space.signing_key, cxml=streaming("agent")) as app,  # checks each webhook's signature
        space.client() as client,
    ):
        call = client.calls.create(to=TO, from_=FROM, url=f"{app.url}/voice")
        (fake,) = space.calls()
        (stream,) = fake.wait_for_streams(1)
        connection = app.wait_for_connection()
        start = connection.wait_for(lambda ms: any(isinstance(m, media.Start) for m in ms))[1]
        running = client.calls(call.sid).retrieve()
        ended = client.calls(call.sid).hang_up()
        assert space.stream_status(stream.sid) == "stopped"  # before the hang-up was answered
        connection.wait_for(_stopped)
        fake.wait_until_ended()
    assert (call.status, call.direction, call.to, call.from_) == ("queued", "outbound", TO, FROM)
    assert call.sid == fake.sid and call.account_sid == space.project_id
    (voice,) = app.voice_requests
    assert voice == {
        "AccountSid": space.project_id,
        "ApiVersion": "2010-04-01",
        "CallSid": call.sid,
        "CallStatus": "in-progress",  # answered: an outbound call's document is asked for once it is
        "Direction": "outbound-api",
        "From": FROM,
        "To": TO,
    }
    assert isinstance(start, media.Start) and start.call_sid == call.sid
    assert running.status == "in-progress" and running.start_time is not None and running.end_time is None
    assert ended is not None and ended.status == "completed" and ended.end_time is not None
    assert (fake.status, fake.direction, fake.verbs) == ("completed", "outbound-api", ["Start", "Pause"])
    assert [(r.method, r.form) for r in space.requests[-2:]] == [("GET", {}), ("POST", {"Status": ["completed"]})]


def test_an_ended_call_is_found_hanging_it_up_again_is_done_and_its_updates_are_refused_as_not_in_progress() -> None:
    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, cxml=streaming("a")) as app:
        with space.client() as client:
            call = client.calls.create(to=TO, from_=FROM, url=f"{app.url}/voice")
            space.calls()[0].wait_for_streams(1)
            assert client.calls(call.sid).hang_up() is not None
            assert client.calls(call.sid).hang_up() is None  # a second hang-up is harmless
            with pytest.raises(sw.UnprocessableEntityError) as updated:
                client.calls(call.sid).update(status="completed")
            with pytest.raises(sw.UnprocessableEntityError) as redirected:
                client.calls(call.sid).redirect(url=f"{app.url}/voice")
            retrieved = client.calls(call.sid).retrieve()
            assert client.calls(UNKNOWN).hang_up() is None  # no such call: nothing to end
            with pytest.raises(sw.NotFoundError):
                client.calls(UNKNOWN).retrieve()
    assert (updated.value.code, updated.value.message) == (10000, "An attempt was made to update a completed call")
    assert redirected.value.code == 21220 and "not in-progress" in redirected.value.message
    assert retrieved.status == "completed" and retrieved.duration is not None
    assert [r.status for r in space.requests] == [200, 200, 422, 422, 422, 200, 404, 404]


def test_a_caller_who_hangs_up_first_leaves_a_completed_call_that_hanging_up_finds_done() -> None:
    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, cxml=streaming("caller")) as app:
        call = space.incoming_call(f"{app.url}/voice", from_=FROM, to=TO)
        call.wait_for_streams(1)
        call.hangup()  # the caller
        call.wait_until_ended()

        async def agent() -> tuple[sw.Call | None, sw.Call]:
            async with space.async_client() as client:
                return await client.calls(call.sid).hang_up(), await client.calls(call.sid).retrieve()

        hung_up, retrieved = asyncio.run(agent())
    assert hung_up is None
    assert (retrieved.status, retrieved.direction, retrieved.from_) == ("completed", "inbound", FROM)


def test_a_redirect_runs_the_new_document_in_place_of_the_running_one_whose_connect_stream_stops() -> None:
    documents = []

    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        if not documents:
            response.connect().stream(url=ws_url, name="bot")
            response.say("never reached: the redirect replaces this document")
        else:
            response.start().stream(url=ws_url, name="second")
            response.pause(length=3600)
        documents.append(str(response))
        return documents[-1]

    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, cxml=answer) as app, space.client() as client:
        call = client.calls.create(to=TO, from_=FROM, url=f"{app.url}/voice")
        (fake,) = space.calls()
        bot = app.wait_for_connection(0)
        bot.wait_for(lambda ms: len(ms) >= 2)
        redirected = client.calls(call.sid).redirect(url=f"{app.url}/voice?step=2", method="GET")
        bot.wait_for(_stopped)
        second = app.wait_for_connection(1)
        second.wait_for(lambda ms: len(ms) >= 2)
        (first_stream, second_stream) = fake.wait_for_streams(2)
        assert space.stream_status(first_stream.sid) == "stopped"
        assert space.stream_status(second_stream.sid) == "in-progress"
        assert fake.status == "in-progress"
    assert redirected.status == "in-progress"
    assert [r["Direction"] for r in app.voice_requests] == ["outbound-api", "outbound-api"]
    query = f"AccountSid={space.project_id}&ApiVersion=2010-04-01&CallSid={call.sid}&CallStatus=in-progress"
    assert app.voice_signatures[1][0].startswith(f"{app.url}/voice?step=2&{query}&Direction=outbound-api")
    assert fake.verbs == ["Connect", "Start", "Pause"]  # the <Say> after <Connect> never ran
    assert fake.status == "completed"  # the space hung it up when the block ended


def test_canceling_is_for_a_call_not_yet_answered_and_completing_ends_a_call_in_any_state() -> None:
    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, cxml=streaming("a")) as app:
        with space.client() as client:
            call = client.calls.create(to=TO, from_=FROM, url=f"{app.url}/voice")
            space.calls()[0].wait_for_streams(1)
            with pytest.raises(sw.UnprocessableEntityError) as refused:
                client.calls(call.sid).update(status="canceled")
            assert client.calls(call.sid).update(status="completed").status == "completed"
    assert (refused.value.code, refused.value.message) == (10000, "An attempt was made to cancel an in-progress call")


def test_status_callbacks_follow_the_events_asked_for_and_an_update_points_them_elsewhere() -> None:
    events = ["initiated", "ringing", "answered", "completed"]
    with (
        FakeSpace(speed=FAST) as space,
        MediaApp(space.signing_key, cxml=streaming("a")) as app,
        CallbackReceiver() as first,
        CallbackReceiver() as second,
        space.client() as client,
    ):
        call = client.calls.create(
            to=TO,
            from_=FROM,
            url=f"{app.url}/voice",
            status_callback=f"{first.url}/calls",
            status_callback_event=events,
        )
        space.calls()[0].wait_for_streams(1)
        client.calls(call.sid).update(status_callback=f"{second.url}/later", status_callback_method="GET")
        client.calls(call.sid).hang_up()
        deliveries = space.wait_for_deliveries(4)
    forms = [delivery.form for delivery in deliveries]
    assert [f["CallStatus"] for f in forms] == ["initiated", "ringing", "in-progress", "completed"]
    assert [f["SequenceNumber"] for f in forms] == ["0", "1", "2", "3"]
    assert {f["Direction"] for f in forms} == {"outbound-api"} and {f["CallSid"] for f in forms} == {call.sid}
    assert "CallDuration" in forms[3] and "CallDuration" not in forms[2]
    assert [d.method for d in deliveries] == ["POST", "POST", "POST", "GET"]
    assert [d.url.split("?")[0] for d in deliveries] == [f"{first.url}/calls"] * 3 + [f"{second.url}/later"]
    for delivery in deliveries:
        body = urlencode(delivery.params) if delivery.method == "POST" else {}
        assert sw.webhooks.validate(space.signing_key, signature=delivery.signature, url=delivery.url, body=body)
    assert all(d.ok for d in deliveries)


def test_only_the_completed_callback_is_sent_unless_others_are_asked_for() -> None:
    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, cxml=streaming("a")) as app:
        with CallbackReceiver() as receiver, space.client() as client:
            call = client.calls.create(to=TO, from_=FROM, url=f"{app.url}/voice", status_callback=receiver.url)
            space.calls()[0].wait_for_streams(1)
            client.calls(call.sid).hang_up()
            (delivery,) = space.wait_for_deliveries(1)
    assert delivery.form["CallStatus"] == "completed" and delivery.form["SequenceNumber"] == "0"


def test_a_document_the_space_may_not_fetch_fails_the_call_as_a_failed_fetch_would() -> None:
    with FakeSpace(speed=FAST) as space, space.client() as client:
        call = client.calls.create(to=TO, from_=FROM, url="https://app.example.com/voice")
        (fake,) = space.calls()
        fake.wait_until_ended()
        assert client.calls(call.sid).retrieve().status == "failed"
        assert client.calls(call.sid).hang_up() is None
    assert call.status == "queued"  # the API accepted it: the fetch failed later
    assert fake.error is not None and fake.error.startswith("the voice webhook failed")


def test_both_path_forms_are_answered_with_and_without_the_json_suffix() -> None:
    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, cxml=streaming("a")) as app:
        calls = f"{space.url}/api/laml/2010-04-01/Accounts/{space.project_id}/Calls"
        with httpx.Client(auth=(space.project_id, space.api_token)) as http:
            created = http.post(f"{calls}.json", data={"To": TO, "From": FROM, "Url": f"{app.url}/voice"})
            sid = created.json()["sid"]
            space.calls()[0].wait_for_streams(1)
            read = [http.get(f"{calls}/{sid}").json()["status"], http.get(f"{calls}/{sid}.json").json()["status"]]
            busy = http.post(f"{calls}/{sid}.json", data={"Status": "busy"})
            ended = http.post(f"{calls}/{sid}.json", data={"Status": "completed"})
            again = http.post(f"{calls}/{sid}", data={"Status": "completed"})
    assert created.status_code == 200 and read == ["in-progress", "in-progress"]
    assert (ended.status_code, ended.json()["status"]) == (200, "completed")
    assert (again.status_code, again.json()["code"]) == (422, 10000)
    assert (busy.status_code, busy.json()["message"]) == (422, "Status must be canceled or completed, not 'busy'")


@pytest.mark.parametrize(
    ("method", "path", "form", "status", "code"),
    [
        ("POST", "", {"From": FROM, "Url": "https://a.example/v"}, 422, 21211),
        ("POST", "", {"To": TO, "Url": "https://a.example/v"}, 422, 21213),
        ("POST", "", {"To": TO, "From": FROM}, 422, 21205),
        ("POST", "", {"To": TO, "From": FROM, "ApplicationSid": UNKNOWN}, 422, 21218),
        ("POST", "", {"To": TO, "From": FROM, "Url": "voice.xml"}, 422, 21402),
        ("POST", "", {"To": TO, "From": FROM, "Url": "https://a.example/v", "Method": "PUT"}, 422, 21209),
        ("POST", "", {"To": TO, "From": FROM, "Url": "https://a.example/v", "Timeout": "0"}, 422, 21208),
        ("POST", "", {"To": TO, "From": FROM, "Url": "https://a.example/v", "StatusCallbackEvent": "x"}, 422, 21626),
        ("GET", "", {}, 405, 20405),
        ("DELETE", f"/{UNKNOWN}", {}, 405, 20405),
        ("POST", f"/{UNKNOWN}", {"Status": "completed"}, 404, 20404),
    ],
    ids=[
        "no To",
        "no From",
        "no Url",
        "an unknown application",
        "a relative Url",
        "a PUT Method",
        "a zero Timeout",
        "an unknown event",
        "a list",
        "a delete",
        "an unknown call",
    ],
)
def test_what_the_sdk_would_not_send_is_refused_with_signalwires_codes(
    method: str, path: str, form: dict[str, str], status: int, code: int
) -> None:
    with FakeSpace(listen=False) as space, httpx.Client(transport=space.transport()) as http:
        calls = f"http://fake/api/laml/2010-04-01/Accounts/{space.project_id}/Calls"
        answer = http.request(method, calls + path, data=form, auth=(space.project_id, space.api_token))
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert space.calls() == []


def test_another_accounts_calls_are_not_this_spaces() -> None:
    other = "5d1c7e2a-0000-4000-8000-0000000000aa"
    with FakeSpace(listen=False) as space, httpx.Client(transport=space.transport()) as http:
        calls = f"http://fake/api/laml/2010-04-01/Accounts/{other}/Calls"
        auth = (space.project_id, space.api_token)
        created = http.post(calls, data={"To": TO, "From": FROM, "Url": "https://a.example/v"}, auth=auth)
        read = http.get(f"{calls}/{UNKNOWN}", auth=auth)
    assert (created.status_code, read.status_code) == (401, 404)  # the create documents no 404


@pytest.mark.slow  # reads the 13,000-line published spec
def test_the_voice_callback_contract_is_the_published_specs() -> None:
    from scripts.pipeline.merge_specs import load_yaml
    from tests.contract import VOICE_CALL_STATUSES, VOICE_CALLBACK_OPTIONAL, VOICE_CALLBACK_REQUIRED, VOICE_DIRECTIONS
    from tests.helpers import UPSTREAM_SPEC

    schema = load_yaml(UPSTREAM_SPEC.read_text(encoding="utf-8"))["components"]["schemas"]["VoiceStatusCallbackPayload"]
    assert set(schema["required"]) == VOICE_CALLBACK_REQUIRED
    assert set(schema["properties"]) == VOICE_CALLBACK_REQUIRED | VOICE_CALLBACK_OPTIONAL
    assert set(schema["properties"]["CallStatus"]["enum"]) == VOICE_CALL_STATUSES
    assert set(schema["properties"]["Direction"]["enum"]) == VOICE_DIRECTIONS


def test_hanging_up_during_connect_ends_the_call_there_and_no_later_verb_runs() -> None:
    def answer(ws_url: str) -> str:
        response = cxml.VoiceResponse()
        response.connect().stream(url=ws_url, name="bot")
        response.pause(length=60)  # what closing the WebSocket alone would lead to
        return str(response)

    with FakeSpace(speed=FAST) as space, MediaApp(space.signing_key, cxml=answer) as app, space.client() as client:
        for _ in range(5):  # the document must never move on, however the loop orders the stop and the hang-up
            call = client.calls.create(to=TO, from_=FROM, url=f"{app.url}/voice")
            fake = next(c for c in space.calls() if c.sid == call.sid)
            fake.wait_for_streams(1)
            client.calls(call.sid).hang_up()
            fake.wait_until_ended()
            assert (fake.status, fake.verbs) == ("completed", ["Connect"])


def test_a_call_hung_up_before_its_task_first_runs_still_ends() -> None:
    # The loop passes as they fall: the call's start is queued, then the hang-up; the hang-up's cancel lands
    # between the call's task being made and its first step. A task cancelled then never runs its cleanup.
    with FakeSpace() as space:
        loop = space._media.loop
        placed: list[FakeCall] = []

        def place_then_hang_up() -> None:  # on the space's loop
            call = space.incoming_call("http://127.0.0.1:9/voice")
            placed.append(call)
            loop.call_soon(call.hangup)

        loop.submit(asyncio.sleep(0)).result(5)  # the loop runs
        loop.call_soon(place_then_hang_up)
        loop.submit(asyncio.sleep(0)).result(5)  # after place_then_hang_up
        (call,) = placed
        assert call.wait_until_ended(timeout=2).status == "completed"
