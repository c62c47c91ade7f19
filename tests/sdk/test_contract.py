"""The contract checker itself: it accepts the real shapes and rejects wrong ones.

(conftest.py runs it after every test over everything the SDK sent and FakeSpace answered.)
"""

from __future__ import annotations

import json

from tests.contract import Exchange, contract
from tests.helpers import (
    BASIC,
    CALL,
    CALL_PATH,
    CONFERENCE,
    CONFERENCE_PATH,
    PROJECT,
    STREAM,
    call_stream_document,
    conference_stream_document,
)

SDK = {"user-agent": "signalwire-compat/0", "authorization": BASIC, "content-type": "application/x-www-form-urlencoded"}


def exchange(path: str = CALL_PATH, body: bytes = b"Status=stopped", **fields: object) -> Exchange:
    values: dict[str, object] = {"method": "POST", "path": path, "headers": SDK, "body": body}
    values.update(fields)
    return Exchange(**values)  # type: ignore[arg-type]


def test_accepts_what_the_sdk_and_fake_send() -> None:
    ok = [
        exchange(status=200, response_body=json.dumps(call_stream_document()).encode()),
        exchange(CONFERENCE_PATH, status=200, response_body=json.dumps(conference_stream_document()).encode()),
        exchange(CONFERENCE_PATH, status=422, response_body=b'{"errors": ["Status is required"]}'),
        exchange(status=503, response_body=b"{}", fault="status 503"),  # the fault's body is checked too...
    ]
    assert contract().problems(ok[:3]) == []
    assert contract().problems(ok[3:])  # ...and {} is not a CompatibilityErrorResponse


def test_rejects_json_bodies_bad_status_and_bad_path_params() -> None:
    problems = contract().problems(
        [
            exchange(body=b"Status=started"),
            exchange(headers={**SDK, "content-type": "application/json"}),
            exchange(CALL_PATH.replace(CALL, "not-a-uuid")),
            exchange(headers={**SDK, "authorization": ""}),
        ]
    )
    assert any("'started' is not one of ['stopped']" in p for p in problems)
    assert any("not a form" in p for p in problems)
    assert any("path parameter CallSid: 'not-a-uuid' is not a 'uuid'" in p for p in problems)
    assert any("no HTTP Basic" in p for p in problems)


def test_rejects_wrong_response_shapes_and_undocumented_statuses() -> None:
    missing = call_stream_document()
    del missing["uri"]
    problems = contract().problems(
        [
            exchange(status=200, response_body=json.dumps(missing).encode()),
            exchange(status=200, response_body=json.dumps(call_stream_document(status="paused")).encode()),
            exchange(CONFERENCE_PATH, status=422, response_body=b'{"code": 1, "message": "m"}'),
            exchange(CONFERENCE_PATH, status=503, response_body=b"{}"),
            exchange(status=200, response_body=b"<html>"),
        ]
    )
    assert any("'uri' is a required property" in p for p in problems)
    assert any("'paused' is not one of" in p for p in problems)
    assert any("'errors' is a required property" in p for p in problems)
    assert any("503: status not documented" in p for p in problems)
    assert any("body is not the documented application/json" in p for p in problems)


def test_requests_not_from_the_sdk_are_not_held_to_the_request_contract() -> None:
    raw = Exchange("POST", f"/api/laml/2010-04-01/Accounts/{PROJECT}/Calls/x/Streams/{STREAM}", {}, b"junk")
    assert contract().problems([raw]) == []
    assert CONFERENCE in CONFERENCE_PATH
