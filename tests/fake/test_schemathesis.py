"""Property-based API testing of FakeSpace against the rebuilt specs, bounded (schemathesis).

The spec is the merged one with the corrections the overlay documents for the real API: request
bodies are form-encoded, required (as SignalWire's full published spec marks them), and Basic auth
is required (``security``). Path parameter examples point at streams the fake holds, so the
examples phase exercises 200s; generated values exercise 401/404/405/422.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from scripts.pipeline.merge_specs import load_yaml
from signalwire_compat.testing import FakeSpace
from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # a property-based run of schemathesis

PROJECT = "7f0c2f4e-5d1a-4b7e-9a34-0c5e1b2d3f40"
TOKEN = "PTschemathesis0123456789"
CALL, CALL_STREAM = "7f0c2f4e-5d1a-4b7e-9a34-0c5e1b2d3f41", "7f0c2f4e-5d1a-4b7e-9a34-0c5e1b2d3f42"
CONFERENCE, CONFERENCE_STREAM = "7f0c2f4e-5d1a-4b7e-9a34-0c5e1b2d3f43", "7f0c2f4e-5d1a-4b7e-9a34-0c5e1b2d3f44"
AUTH = "Basic " + base64.b64encode(f"{PROJECT}:{TOKEN}".encode()).decode()
EXAMPLES = {"AccountSid": PROJECT, "CallSid": CALL, "ConferenceSid": CONFERENCE}


# The operations FakeSpace serves (the two stops); the create operations are in the spec but not yet
# in the fake, so they are left out of this run.
FAKE_OPERATIONS = {"update-stream", "update-conference-stream"}


def wire_spec() -> dict[str, Any]:
    spec = copy.deepcopy(load_yaml((ROOT / "generated" / "openapi.merged.yaml").read_text(encoding="utf-8")))
    spec["security"] = [{"SignalWireBasicAuth": []}]
    spec["paths"] = {
        path: item
        for path, item in spec["paths"].items()
        if any(operation.get("operationId") in FAKE_OPERATIONS for operation in item.values())
    }
    for path, item in spec["paths"].items():
        for operation in item.values():
            body = operation["requestBody"]
            (media,) = body["content"].values()
            body["content"] = {"application/x-www-form-urlencoded": media}
            body["required"] = True
            for parameter in operation["parameters"]:
                stream = CALL_STREAM if "/Calls/" in path else CONFERENCE_STREAM
                parameter["example"] = EXAMPLES.get(parameter["name"], stream)
    return spec


schema = schemathesis.openapi.from_dict(
    wire_spec(),
    config=schemathesis.Config.from_dict(
        {
            "generation": {"max-examples": 30, "deterministic": True, "database": "none"},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
        }
    ),
)


@pytest.fixture(scope="module")
def space() -> Iterator[FakeSpace]:
    with FakeSpace(project_id=PROJECT, api_token=TOKEN) as running:
        running.add_call_stream(call_sid=CALL, sid=CALL_STREAM)
        running.add_conference_stream(conference_sid=CONFERENCE, sid=CONFERENCE_STREAM)
        yield running


@pytest.fixture
def reached(space: FakeSpace) -> Iterator[None]:
    """After one operation's whole run (every phase, every example): it reached success and error answers.

    Checked per operation in its own test, so the check holds whichever worker runs it and in what order.
    """
    before = len(space.requests)
    yield
    run = space.requests[before:]
    statuses = {request.status for request in run}
    assert {200, 401, 404, 422} <= statuses, statuses
    stream = CALL_STREAM if "/Calls/" in run[0].path else CONFERENCE_STREAM
    assert space.stream_status(stream) == "stopped"


@pytest.mark.timeout(120)
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # `reached` spans the whole run on purpose
def test_fake_space_follows_the_spec(case: Any, space: FakeSpace, reached: None) -> None:
    # Every built-in check (status/content-type/schema/header conformance, negative data rejected,
    # positive data accepted, ignored auth, unsupported methods...).
    case.call_and_validate(base_url=space.url + "/api/laml/2010-04-01", headers={"Authorization": AUTH})
