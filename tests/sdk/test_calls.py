"""The Calls operations on the wire: ``calls.create``, ``calls(sid).update``/``hang_up``/``redirect``/``retrieve``:
exact paths and form bodies, only what the caller gave sent, bad input refused before anything is sent,
retries by idempotency, a call already ended counting as hung up, results read tolerantly (sync and async)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

import pytest

import signalwire_compat as sw
from tests.helpers import (
    BASIC,
    CALL,
    FAST_RETRIES,
    PROJECT,
    Runner,
    call_document,
    error_document,
)
from tests.servers import Received, Reply, ScriptedServer

CALLS = f"/api/laml/2010-04-01/Accounts/{PROJECT}/Calls"
ONE_CALL = f"{CALLS}/{CALL}"
QUEUED = Reply.json(
    200, call_document(status="queued", duration=0, end_time=None, to="+15550100002", **{"from": "+15550100001"})
)
COMPLETED = Reply.json(200, call_document())
VOICE = "https://example.com/voice"
TO, FROM = "+15550100002", "+15550100001"
SIP_PASSWORD = "SIPsecret-0123456789"


def form(request: Received) -> list[tuple[str, str]]:
    return parse_qsl(request.body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(request.body))


def create(runner: Runner, url: str, /, **arguments: Any) -> Any:
    arguments = {"to": TO, "from_": FROM, "url": VOICE, **arguments}
    return runner.run(url, lambda c: c.calls.create(**arguments), **FAST_RETRIES)


def on_call(runner: Runner, url: str, action: Any, **options: Any) -> Any:
    return runner.run(url, lambda c: action(c.calls(CALL)), **{**FAST_RETRIES, **options})


# -- create -------------------------------------------------------------------------------------------------


def test_create_sends_to_from_and_url_only_and_returns_the_queued_call(runner: Runner) -> None:
    with ScriptedServer([QUEUED]) as server:
        call = create(runner, server.url)
    (request,) = server.received
    assert (request.method, request.path) == ("POST", CALLS)
    assert request.headers["authorization"] == BASIC
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form(request) == [("To", TO), ("From", FROM), ("Url", VOICE)]  # none of the model's defaults
    assert isinstance(call, sw.Call)
    assert (call.sid, call.status, call.direction, call.from_) == (CALL, sw.CallStatus.QUEUED, "outbound", FROM)


def test_create_sends_every_option_by_its_wire_name(runner: Runner) -> None:
    with ScriptedServer([QUEUED]) as server:
        create(
            runner,
            server.url,
            status_callback="https://example.com/status",
            status_callback_method="GET",
            status_callback_event=["initiated", "completed"],
            method="GET",
            fallback_url="https://example.com/fallback",
            fallback_method="POST",
            caller_id="+15550100009",
            send_digits="1ww2#",
            ring_timeout=30,
            machine_detection="DetectMessageEnd",
            machine_detection_timeout=45,
            machine_detection_speech_threshold=2400,
            machine_detection_speech_end_threshold=1200,
            machine_detection_silence_timeout=5000,
            machine_words_threshold=6,
            async_amd=True,
            async_amd_status_callback="https://example.com/amd",
            async_amd_status_callback_method="POST",
            async_amd_partial_results=False,
            record=True,
            recording_channels="dual",
            recording_track="inbound",
            recording_status_callback="https://example.com/recording",
            recording_status_callback_method="GET",
            recording_status_callback_event=["in-progress", "completed"],
            trim="do-not-trim",
            sip_auth_username="agent",
            sip_auth_password=SIP_PASSWORD,
            max_price_per_minute="0.0075",
        )
    sent = form(server.received[0])
    assert sent[:3] == [("To", TO), ("From", FROM), ("Url", VOICE)]
    assert ("Timeout", "30") in sent  # ring_timeout: the clients' timeout= is the request's own limit
    assert [value for name, value in sent if name == "StatusCallbackEvent"] == ["initiated", "completed"]
    assert ("RecordingStatusCallbackEvent", "in-progress completed") in sent  # the spec's space-separated list
    assert ("AsyncAmd", "true") in sent and ("AsyncAmdPartialResults", "false") in sent
    assert ("MachineDetection", "DetectMessageEnd") in sent and ("SipAuthPassword", SIP_PASSWORD) in sent
    assert len(sent) == 33


def test_an_application_places_a_call_without_a_url(runner: Runner) -> None:
    application = "6d1c7e2a-0000-4000-8000-00000000a991"
    with ScriptedServer([QUEUED]) as server:
        create(runner, server.url, url=None, application_sid=application.upper())
    assert form(server.received[0]) == [("To", TO), ("From", FROM), ("ApplicationSid", application)]


def test_create_is_retried_only_when_the_api_cannot_have_acted(runner: Runner) -> None:
    script = [Reply.json(503, error_document(503)), Reply.json(429, error_document(429)), QUEUED]
    with ScriptedServer(script) as server:
        create(runner, server.url)
    assert len(server.received) == 3
    with ScriptedServer([Reply.json(500, error_document(500)), QUEUED]) as server:
        with pytest.raises(sw.InternalServerError):
            create(runner, server.url)
    assert len(server.received) == 1  # a 500 may have placed the call: not repeated
    with ScriptedServer([Reply(reset=True), QUEUED]) as server:
        with pytest.raises(sw.APIConnectionError):
            create(runner, server.url)
    assert len(server.received) == 1  # the request was sent: a second one would place a second call


BAD_CREATE = [
    ({"to": ""}, "to must be a non-empty str"),
    ({"to": None}, "to must be a non-empty str"),
    ({"from_": 15550100001}, "from_ must be a non-empty str"),
    ({"url": None}, r"url \(the cXML document the call runs\) is required"),
    ({"url": "example.com/voice"}, "url must be an absolute https:// or http:// URL"),
    ({"url": "wss://example.com/voice"}, "url must be an absolute https:// or http:// URL"),
    ({"status_callback": "ftp://example.com/s"}, "status_callback must be an absolute"),
    ({"method": "PUT"}, "method must be one of 'GET', 'POST'"),
    ({"status_callback_method": "GET"}, "status_callback_method says how status_callback is requested"),
    ({"status_callback_event": "completed"}, "status_callback_event must be a non-empty list"),
    ({"status_callback_event": ["hung-up"]}, "status_callback_event: 'hung-up' is not one of"),
    ({"send_digits": "12x"}, "send_digits must be 1 to 32 of 0-9"),
    ({"ring_timeout": 0}, "ring_timeout must be a whole number from 1 to 600"),
    ({"ring_timeout": True}, "ring_timeout must be a whole number from 1 to 600"),
    ({"machine_detection_speech_threshold": 999}, "from 1000 to 6000"),
    ({"machine_detection": "Disable"}, "machine_detection must be one of"),
    ({"record": "yes"}, "record must be a bool"),
    ({"recording_status_callback_event": ["done"]}, "'done' is not one of in-progress, completed, absent"),
    ({"max_price_per_minute": "0.00751"}, "max_price_per_minute must be a price in USD with at most 4 decimals"),
    ({"application_sid": "my-app"}, "application_sid must be a UUID"),
    ({"sip_auth_password": ""}, "sip_auth_password must be a non-empty str"),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_CREATE, ids=[m for _, m in BAD_CREATE])
def test_bad_create_arguments_are_refused_before_sending(
    runner: Runner, arguments: dict[str, Any], message: str
) -> None:
    with ScriptedServer([]) as server, pytest.raises(ValueError, match=message):
        create(runner, server.url, **arguments)
    assert server.connections == 0


def test_an_unknown_create_or_update_argument_is_a_type_error_naming_it_before_sending(runner: Runner) -> None:
    with ScriptedServer([]) as server:
        with pytest.raises(TypeError, match="create\\(\\) got unexpected keyword arguments: timout, twiml"):
            create(runner, server.url, timout=30, twiml="<Response/>")
        with pytest.raises(TypeError, match="update\\(\\) got unexpected keyword arguments: stauts"):
            on_call(runner, server.url, lambda call: call.update(stauts="completed"))
    assert server.connections == 0


# -- update, hang_up, redirect, retrieve ---------------------------------------------------------------------


def test_update_sends_what_it_is_given_to_the_call(runner: Runner) -> None:
    with ScriptedServer([COMPLETED, QUEUED, QUEUED]) as server:
        ended = on_call(runner, server.url, lambda call: call.update(status="completed"))
        on_call(runner, server.url, lambda call: call.update(url=VOICE, method="GET", status_callback=VOICE))
        on_call(runner, server.url, lambda call: call.update())
    assert [(r.method, r.path) for r in server.received] == [("POST", ONE_CALL)] * 3
    assert [form(r) for r in server.received] == [
        [("Status", "completed")],
        [("Url", VOICE), ("Method", "GET"), ("StatusCallback", VOICE)],
        [],  # SignalWire's own example updates a call with nothing
    ]
    assert isinstance(ended, sw.Call) and ended.status is sw.CallStatus.COMPLETED and ended.duration == 20


def test_hang_up_and_redirect_are_updates(runner: Runner) -> None:
    with ScriptedServer([COMPLETED, QUEUED, QUEUED]) as server:
        hung_up = on_call(runner, server.url, lambda call: call.hang_up())
        on_call(runner, server.url, lambda call: call.redirect(url=VOICE))
        on_call(runner, server.url, lambda call: call.redirect(url=VOICE, method="GET"))
    assert [form(r) for r in server.received] == [
        [("Status", "completed")],
        [("Url", VOICE)],
        [("Url", VOICE), ("Method", "GET")],
    ]
    assert hung_up is not None and hung_up.status == "completed"


def test_retrieve_gets_the_call_with_no_body(runner: Runner) -> None:
    with ScriptedServer([COMPLETED]) as server:
        call = on_call(runner, server.url, lambda call: call.retrieve())
    (request,) = server.received
    assert (request.method, request.path, request.body) == ("GET", ONE_CALL, b"")
    assert call.sid == CALL and call.end_time is not None and call.price == 0.003


@pytest.mark.parametrize(
    "answer",
    [
        Reply.json(404, error_document(404, "The requested resource was not found", 20404)),
        Reply.json(422, error_document(422, "An attempt was made to update a completed call", 10000)),
        Reply.json(400, error_document(400, "An attempt was made to update a completed call", 10000)),
        Reply.json(422, {**error_document(422, "The call is not in-progress"), "code": "21220"}),
    ],
    ids=["404", "422 code 10000", "400 code 10000", "422 code 21220 as a string"],
)
def test_hang_up_counts_a_call_already_ended_as_done(runner: Runner, answer: Reply) -> None:
    with ScriptedServer([answer]) as server:
        assert on_call(runner, server.url, lambda call: call.hang_up()) is None
    assert len(server.received) == 1


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Reply.json(422, error_document(422, "Something else", 21218)), sw.UnprocessableEntityError),
        (Reply.json(401, error_document(401, "Authentication Error", 20003)), sw.AuthenticationError),
        (Reply.json(409, error_document(409, "Conflict", 10000)), sw.APIStatusError),
    ],
    ids=["422 another code", "401", "409 with a not-in-progress code"],
)
def test_hang_up_raises_every_other_error(runner: Runner, answer: Reply, error: type[Exception]) -> None:
    with ScriptedServer([answer]) as server, pytest.raises(error):
        on_call(runner, server.url, lambda call: call.hang_up())
    with ScriptedServer([answer]) as server, pytest.raises(error):
        on_call(runner, server.url, lambda call: call.update(status="completed"))  # update never hides an error


def test_ending_and_reading_are_retried_but_a_redirect_is_not_repeated_once_sent(runner: Runner) -> None:
    for action in (lambda call: call.hang_up(), lambda call: call.update(status="canceled"), lambda c: c.retrieve()):
        with ScriptedServer([Reply(reset=True), COMPLETED]) as server:
            on_call(runner, server.url, action)
        assert len(server.received) == 2  # ending a call twice ends it once; reading twice reads it
    with ScriptedServer([Reply(reset=True), QUEUED]) as server, pytest.raises(sw.APIConnectionError):
        on_call(runner, server.url, lambda call: call.redirect(url=VOICE))
    assert len(server.received) == 1  # a second redirect would start the document again
    with ScriptedServer([Reply.json(503, error_document(503)), QUEUED]) as server:
        on_call(runner, server.url, lambda call: call.update(url=VOICE))
    assert len(server.received) == 2  # a 503: the API did not act on it


BAD_UPDATES = [
    ({"status": "busy"}, "status must be one of 'canceled', 'completed'"),
    ({"status": "Completed"}, "status must be one of"),
    ({"url": "voice.xml"}, "url must be an absolute https:// or http:// URL"),
    ({"method": "GET"}, "method says how url is requested: give url too"),
    ({"url": VOICE, "method": "get"}, "method must be one of 'GET', 'POST'"),
    ({"fallback_method": "POST"}, "fallback_method says how fallback_url is requested"),
    ({"status_callback": "mailto:a@example.com"}, "status_callback must be an absolute"),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_UPDATES, ids=[m for _, m in BAD_UPDATES])
def test_bad_update_arguments_are_refused_before_sending(
    runner: Runner, arguments: dict[str, Any], message: str
) -> None:
    with ScriptedServer([]) as server, pytest.raises(ValueError, match=message):
        on_call(runner, server.url, lambda call: call.update(**arguments))
    assert server.connections == 0


def test_a_call_sid_is_a_uuid_and_a_redirect_needs_a_url_checked_before_sending(runner: Runner) -> None:
    with ScriptedServer([]) as server:
        with pytest.raises(ValueError, match="call_sid must be a UUID"):
            runner.run(server.url, lambda c: c.calls("CA123").hang_up())
        with pytest.raises(ValueError, match="url must be the cXML document to run"):
            on_call(runner, server.url, lambda call: call.redirect(url=None))
        with pytest.raises(ValueError, match="url must be an absolute"):
            on_call(runner, server.url, lambda call: call.redirect(url="../voice"))
    assert server.connections == 0


def test_an_upper_case_call_sid_is_sent_lower_case(runner: Runner) -> None:
    with ScriptedServer([COMPLETED]) as server:
        runner.run(server.url, lambda c: c.calls(CALL.upper()).retrieve())
    assert server.received[0].path == ONE_CALL


# -- what comes back ---------------------------------------------------------------------------------------


def test_a_call_answer_missing_what_the_spec_requires_still_ends_the_hang_up(runner: Runner) -> None:
    with ScriptedServer([Reply.json(200, {"status": "completed", "surprise": 1})]) as server:
        call = on_call(runner, server.url, lambda call: call.hang_up())
    assert (call.sid, call.account_sid) == (CALL, PROJECT)  # the call the request named
    assert call.status is sw.CallStatus.COMPLETED and call.to is None and call.duration is None
    assert call.extra == {"surprise": 1}


def test_a_call_answer_with_values_the_sdk_cannot_read_keeps_them(runner: Runner) -> None:
    document = call_document(
        status="on-hold", direction="outbound-api", duration="20", start_time="yesterday", price="-0.00750"
    )
    with ScriptedServer([Reply.json(200, document)]) as server:
        call = on_call(runner, server.url, lambda call: call.retrieve())
    assert isinstance(call.status, sw.Unparsed) and call.status == "on-hold"
    assert call.direction == "outbound-api" and isinstance(call.duration, sw.Unparsed)
    assert isinstance(call.start_time, sw.Unparsed)
    assert isinstance(call.price, sw.Unparsed) and call.price.raw == "-0.00750"  # a price as text, kept as sent


def test_a_created_call_without_a_sid_is_an_unreadable_answer(runner: Runner) -> None:
    with (
        ScriptedServer([Reply.json(200, {"status": "queued"})]) as server,
        pytest.raises(sw.APIResponseValidationError),
    ):
        create(runner, server.url)


def test_raw_responses_reach_the_call_operations(runner: Runner) -> None:
    def act(client: Any) -> Any:
        return client.with_raw_response.calls(CALL).retrieve(), client.with_raw_response.calls(CALL).hang_up()

    async def act_async(client: Any) -> Any:
        raw = client.with_raw_response.calls(CALL)
        return await raw.retrieve(), await raw.hang_up()

    script = [Reply.json(200, call_document(), headers={"X-Request-Id": "r1"}), Reply.json(404, error_document(404))]
    with ScriptedServer(script) as server:
        raw, missing = runner.run(server.url, act if runner.kind == "sync" else act_async)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "r1" and raw.parse().sid == CALL
    assert missing is None  # a raw hang-up of a call already ended: done, nothing to show


def test_derived_clients_and_per_call_timeouts_reach_the_call_operations(runner: Runner) -> None:
    def act(client: Any) -> Any:
        return client.with_options(max_retries=0).calls(CALL).update(status="completed", timeout=5)

    async def act_async(client: Any) -> Any:
        return await client.with_options(max_retries=0).calls(CALL).update(status="completed", timeout=5)

    with ScriptedServer([Reply.json(503, error_document(503)), COMPLETED]) as server:
        with pytest.raises(sw.ServiceUnavailableError):
            runner.run(server.url, act if runner.kind == "sync" else act_async)
    assert len(server.received) == 1  # with_options(max_retries=0): the 503 was not retried


@pytest.mark.slow  # waits out a timeout
def test_a_per_call_timeout_bounds_a_call_operation(runner: Runner) -> None:
    with ScriptedServer([Reply(200, COMPLETED.body, delay=2.0)]) as server, pytest.raises(sw.APITimeoutError):
        on_call(runner, server.url, lambda call: call.retrieve(timeout=0.2), max_retries=0)


def test_a_sip_password_and_a_url_password_never_show(runner: Runner, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    url_password = "URLsecret-0123456789"
    voice = f"https://agent:{url_password}@example.com/voice"
    echo = f"echo {SIP_PASSWORD} and {url_password}"
    script = [Reply.json(503, error_document(503, echo)), Reply.json(400, error_document(400, echo))]
    with ScriptedServer(script) as server, pytest.raises(sw.BadRequestError) as caught:
        create(runner, server.url, url=voice, sip_auth_password=SIP_PASSWORD)
    assert (("SipAuthPassword", SIP_PASSWORD)) in form(server.received[0])
    texts = [str(caught.value), repr(caught.value), caught.value.body.decode(), caught.value.response.text]
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        assert SIP_PASSWORD not in text and url_password not in text
    from signalwire_compat import _call_operations

    operation = _call_operations.create_call(
        PROJECT, to=TO, from_=FROM, url=voice, options={"sip_auth_password": SIP_PASSWORD}
    )
    assert operation.secrets == (SIP_PASSWORD, url_password)
    assert SIP_PASSWORD not in repr(operation)
    with pytest.raises(ValueError, match=r"sip_auth_password must be a non-empty str$"):  # and not the value
        create(runner, server.url, sip_auth_password=5)


def test_a_refused_url_is_shown_in_the_error_without_its_password(runner: Runner) -> None:
    # The URL is refused for its space; the password it carries must not reach the error (which gets logged).
    with ScriptedServer([]) as server, pytest.raises(ValueError, match="url must be an absolute") as refused:
        create(runner, server.url, url="https://agent:s3cret-pw x@example.com/voice")
    assert server.connections == 0
    assert "s3cret" not in str(refused.value)
    assert "https://agent:[redacted]@example.com/voice" in str(refused.value)
