"""Type-checked by tests/sdk/test_public_api.py with mypy --strict: the public API as users write it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, assert_type
from uuid import UUID

import signalwire_compat as sw


def sync_usage(client: sw.Client, call_sid: str, stream_sid: UUID) -> None:
    stream = client.calls(call_sid).streams(stream_sid).update(status="stopped")
    assert_type(stream, sw.CallStream)
    assert_type(client.calls(call_sid).streams(stream_sid).stop(), sw.CallStream)
    assert_type(stream.sid, str)
    assert_type(stream.name, str)  # the spec's call stream name is a string (a conference's may be None)
    assert_type(stream.status, sw.StreamStatus | sw.Unparsed)
    assert_type(stream.date_updated, datetime | sw.Unparsed)
    if isinstance(stream.date_updated, datetime):
        assert_type(stream.date_updated, datetime)
        print(stream.date_updated.isoformat())
    if stream.status == "stopped":
        print("stopped")
    conference = client.conferences(call_sid).streams(stream_sid).stop()
    assert_type(conference, sw.ConferenceStream)
    assert_type(conference.name, str | None)
    assert_type(conference.conference_sid, str)
    assert_type(conference.status, sw.ConferenceStreamStatus | sw.Unparsed)  # the spec's own enum for conferences


async def async_usage(call_sid: str, stream_sid: str) -> None:
    async with sw.AsyncClient(project_id="p", api_token="t", space_url="example.signalwire.com") as client:
        stream = await client.calls(call_sid).streams(stream_sid).stop()
        assert_type(stream, sw.CallStream)
        conference = await client.conferences(call_sid).streams(stream_sid).update("stopped")
        assert_type(conference, sw.ConferenceStream)
        from signalwire_compat_generated.models import CallStreamResponse

        # By name, invoke is typed per operation: its arguments, and its 2xx model as .parsed.
        result = await client.invoke("update_stream", call_sid=call_sid, sid=stream_sid)
        assert_type(result, sw.OperationResult[CallStreamResponse])
        assert_type(result.parsed.uri, str)


def typed_invoke(client: sw.Client, call_sid: str, stream_sid: str) -> None:
    # A generated function instead of a name: the result is typed by its return annotation.
    from signalwire_compat_generated.api.subpackage_streams import update_stream
    from signalwire_compat_generated.models import CallStreamResponse, CompatibilityErrorResponse

    result = client.invoke(update_stream.sync, call_sid=call_sid, sid=stream_sid)
    assert_type(result, sw.OperationResult[CallStreamResponse | CompatibilityErrorResponse | None])
    if isinstance(result.parsed, CallStreamResponse):
        print(result.parsed.uri)


def per_call_options_and_raw_responses(client: sw.Client, call_sid: str, stream_sid: str) -> None:
    patient = client.with_options(timeout=60.0, total_timeout=120.0, max_retries=5)
    assert_type(patient, sw.Client)
    assert_type(patient.calls(call_sid).streams(stream_sid).stop(timeout=5.0), sw.CallStream)
    created = client.calls(call_sid).streams.create(url="wss://example.com/a", name="n", timeout=2.5)
    assert_type(created, sw.CallStream)
    raw = client.with_raw_response.calls(call_sid).streams(stream_sid).stop()
    assert_type(raw, sw.RawResponse[sw.CallStream])
    assert_type(raw.status_code, int)
    assert_type(raw.headers["x-request-id"], str)
    assert_type(raw.http_version, str)
    assert_type(raw.elapsed.total_seconds(), float)
    assert_type(raw.parse(), sw.CallStream)
    assert_type(raw.parse().status, sw.StreamStatus | sw.Unparsed)
    on_conference = client.with_raw_response.conferences(call_sid).streams.create(url="wss://a.example/s", timeout=1)
    assert_type(on_conference, sw.RawResponse[sw.ConferenceStream])
    assert_type(
        client.with_raw_response.conferences(call_sid).streams(stream_sid).update("stopped").parse(),
        sw.ConferenceStream,
    )
    assert_type(
        client.with_options(max_retries=0).with_raw_response.calls(call_sid).streams.create(url="wss://a.example/s"),
        sw.RawResponse[sw.CallStream],
    )


async def async_per_call_options_and_raw_responses(client: sw.AsyncClient, call_sid: str, stream_sid: str) -> None:
    assert_type(client.with_options(timeout=1.0), sw.AsyncClient)
    raw = await client.with_raw_response.calls(call_sid).streams(stream_sid).stop(timeout=3.0)
    assert_type(raw, sw.RawResponse[sw.CallStream])
    assert_type(raw.parse(), sw.CallStream)
    conference = await client.with_raw_response.conferences(call_sid).streams.create(url="wss://a.example/s")
    assert_type(conference.parse(), sw.ConferenceStream)
    from signalwire_compat_generated.api.subpackage_streams import update_stream

    result = await client.invoke("update_stream", call_sid=call_sid, sid=stream_sid, timeout=2.0)
    assert_type(result.status_code, int)
    by_module = await client.invoke(update_stream, call_sid=call_sid, sid=stream_sid)
    assert_type(by_module, sw.OperationResult[Any])


def errors(client: sw.Client) -> None:
    try:
        client.calls("x").streams("y").stop()
    except sw.UnprocessableEntityError as error:
        assert_type(error.errors, list[str])
        assert_type(error.status_code, int)
        assert_type(error.code, int | str | None)
    except sw.APIStatusError as error:
        assert_type(error.more_info, str | None)
    except sw.APITimeoutError as error:
        assert_type(error, sw.APITimeoutError)
    except sw.APIError as error:  # every other way the request failed: no answer, an unreadable one
        assert_type(error.message, str)
    except sw.SignalWireError:
        pass


def configuration() -> sw.Client:
    return sw.Client(
        project_id=None,
        api_token=None,
        space_url=None,
        account_sid=None,
        timeout=10.0,
        max_retries=2,
        http_client=None,
    )


def calls(client: sw.Client, call_sid: str) -> None:
    call = client.calls.create(
        to="+15550100002",
        from_="+15550100001",
        url="https://example.com/voice",
        status_callback="https://example.com/status",
        status_callback_event=["initiated", "completed"],
        machine_detection="Enable",
        ring_timeout=30,
        timeout=5.0,
    )
    assert_type(call, sw.Call)
    assert_type(call.sid, str)
    assert_type(call.status, sw.CallStatus | sw.Unparsed | None)  # only the ids are sure to be in an answer
    assert_type(call.to, str | None)
    assert_type(call.duration, int | sw.Unparsed | None)
    assert_type(client.calls(call.sid).update(status="completed"), sw.Call)
    assert_type(client.calls(call_sid).update(url="https://example.com/next", method="GET"), sw.Call)
    assert_type(client.calls(call_sid).hang_up(), sw.Call | None)  # None: it had ended already
    assert_type(client.calls(call_sid).redirect(url="https://example.com/next"), sw.Call)
    assert_type(client.calls(call_sid).retrieve(timeout=2.0), sw.Call)
    assert_type(client.calls(call_sid).streams(call_sid).stop(), sw.CallStream)
    assert_type(client.with_raw_response.calls(call_sid).retrieve(), sw.RawResponse[sw.Call])
    assert_type(client.with_raw_response.calls(call_sid).hang_up(), sw.RawResponse[sw.Call] | None)
    assert_type(
        client.with_raw_response.calls.create(to="a", from_="b", url=None, application_sid=call_sid),
        sw.RawResponse[sw.Call],
    )


async def async_calls(client: sw.AsyncClient, call_sid: str) -> None:
    call = await client.calls.create(to="+15550100002", from_="+15550100001", url="https://example.com/voice")
    assert_type(call, sw.Call)
    assert_type(await client.calls(call_sid).update(status="completed"), sw.Call)
    assert_type(await client.calls(call_sid).hang_up(), sw.Call | None)
    assert_type(await client.calls(call_sid).retrieve(), sw.Call)
    assert_type(
        await client.with_raw_response.calls(call_sid).redirect(url="https://example.com/next"), sw.RawResponse[sw.Call]
    )
