"""Fuzzing the parsing layer: arbitrary JSON values and bytes as response bodies, any status.

The only exceptions that may escape are the SDK's documented errors; success bodies either become a
typed result or ``APIResponseValidationError``.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import signalwire_compat as sw
from signalwire_compat import _builders
from signalwire_compat._body import Body
from signalwire_compat._call import Call
from tests.helpers import CALL, PROJECT, STREAM, TOKEN, call_stream_document, conference_stream_document, examples

CLIENT = sw.Client(PROJECT, TOKEN, "example.signalwire.com")
OPERATIONS = [
    _builders.update_call_stream(PROJECT, CALL, STREAM, "stopped"),
    _builders.update_conference_stream(PROJECT, CALL, STREAM, "stopped"),
]
DOCUMENTED_ERRORS = (sw.APIStatusError, sw.APIResponseValidationError)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
# Documents that look like the real ones, with any field replaced by any JSON value (or removed).
field_names = st.sampled_from(
    ["sid", "account_sid", "call_sid", "conference_sid", "name", "status", "date_updated", "uri"]
)
mutations = st.dictionaries(field_names, json_values | st.just(...), max_size=4)
statuses = st.sampled_from([200, 201, 204, 299, 301, 400, 401, 403, 404, 409, 422, 429, 499, 500, 502, 503, 504, 599])


def judge(status: int, body: bytes, operation_index: int) -> Any:
    operation = OPERATIONS[operation_index]
    request = httpx.Request("POST", "https://example.signalwire.com" + operation.wire.path)
    response = httpx.Response(status, content=body, request=request)
    call = Call(operation, CLIENT._setup, now=0.0)
    attempt = call.answered(response, Body(body, truncated=False, timed_out=False, undecodable=None))
    try:
        result = attempt.unwrap()
    except DOCUMENTED_ERRORS as error:
        str(error)
        repr(error)
        return error
    assert 200 <= status <= 299
    assert isinstance(result, sw.CallStream | sw.ConferenceStream)
    return result


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statuses, json_values, st.integers(0, 1))
def test_arbitrary_json_values(status: int, value: Any, index: int) -> None:
    judge(status, json.dumps(value).encode(), index)


@settings(max_examples=examples(400), deadline=None)
@given(statuses, st.binary(max_size=300), st.integers(0, 1))
@example(200, b"\xff", 0)
@example(200, b"[" * 5000 + b"]" * 5000, 0)
@example(500, b'{"message": {"nested": true}, "code": [1], "errors": "not a list"}', 1)
def test_arbitrary_bytes(status: int, body: bytes, index: int) -> None:
    judge(status, body, index)


@settings(max_examples=examples(400), deadline=None)
@given(mutations, st.integers(0, 1))
def test_near_valid_documents(mutation: dict[str, Any], index: int) -> None:
    document = call_stream_document() if index == 0 else conference_stream_document()
    for key, value in mutation.items():
        if value is ...:
            document.pop(key, None)
        else:
            document[key] = value
    outcome = judge(200, json.dumps(document).encode(), index)
    required = {"sid", "account_sid", "name", "status", "date_updated", "uri"}
    required.add("call_sid" if index == 0 else "conference_sid")
    if required <= document.keys():
        # Every field present: a successful stop is never turned into an error by odd values.
        assert isinstance(outcome, sw.CallStream | sw.ConferenceStream)
    else:
        assert isinstance(outcome, sw.APIResponseValidationError)


def test_deeply_nested_json_is_a_validation_error_not_a_recursion_error() -> None:
    outcome = judge(200, b"[" * 100_000 + b"]" * 100_000, 0)
    assert isinstance(outcome, sw.APIResponseValidationError)
