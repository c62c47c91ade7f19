"""scripts/spec_diff.py: each kind of API surface change, marked breaking or compatible."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from merge_specs import merge_specs
from spec_diff import diff, report
from tests.helpers import ROOT

SPECS = [ROOT / "openapi" / "update-stream.yaml", ROOT / "openapi" / "update-conference-stream.yaml"]
CALL = "/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}"
LIST = "/Accounts/{AccountSid}/Calls"
STOP = f"POST {CALL} (update_stream)"
LIST_CALLS = f"GET {LIST} (list_all_calls)"


def base() -> dict[str, Any]:
    """The seeds, merged, plus a list operation with query parameters (as in the published spec)."""
    document = merge_specs(SPECS).document
    document["paths"][LIST] = {
        "get": {
            "operationId": "list_all_calls",
            "parameters": [
                {"name": "AccountSid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}},
                {"name": "EndTime<", "in": "query", "schema": {"type": "string"}},
                {"name": "Status", "in": "query", "schema": {"type": "string", "enum": ["queued", "completed"]}},
                {"name": "PageSize", "in": "query", "schema": {"type": "integer", "format": "int32"}},
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CallStreamResponse"}}},
                }
            },
        }
    }
    return document


Edit = Callable[[dict[str, Any]], None]


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    result = document["components"]["schemas"]
    assert isinstance(result, dict)
    return result


def stop(document: dict[str, Any]) -> dict[str, Any]:
    result = document["paths"][CALL]["post"]
    assert isinstance(result, dict)
    return result


def list_parameters(document: dict[str, Any]) -> list[dict[str, Any]]:
    result = document["paths"][LIST]["get"]["parameters"]
    assert isinstance(result, list)
    return result


def parameter(document: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [p for p in list_parameters(document) if p["name"] == name]
    return found


def response_fields(document: dict[str, Any]) -> dict[str, Any]:
    result = schemas(document)["CallStreamResponse"]["properties"]
    assert isinstance(result, dict)
    return result


def request_model(document: dict[str, Any]) -> dict[str, Any]:
    result = schemas(document)["UpdateCallStreamRequest"]
    assert isinstance(result, dict)
    return result


def add_create_stream(document: dict[str, Any]) -> None:
    operation = copy.deepcopy(stop(document))
    operation["operationId"] = "create-stream"
    document["paths"]["/Accounts/{AccountSid}/Calls/{CallSid}/Streams"] = {"post": operation}


CASES: dict[str, tuple[Edit, list[str]]] = {
    # operations
    "operation added": (
        add_create_stream,
        ["compatible  POST /Accounts/{AccountSid}/Calls/{CallSid}/Streams (create_stream): operation added"],
    ),
    "operation removed": (lambda d: d["paths"].pop(LIST), [f"breaking    {LIST_CALLS}: operation removed"]),
    "operation renamed": (
        lambda d: stop(d).update(operationId="stop-stream"),
        [f"breaking    POST {CALL} (stop_stream): renamed from update_stream (operationId 'update-stream')"],
    ),
    "operationId respelled, same Python name": (lambda d: stop(d).update(operationId="update_stream"), []),
    "success status added": (
        lambda d: stop(d)["responses"].update({"202": {"description": "Accepted"}}),
        [f"breaking    {STOP}: response status 202 added"],
    ),
    "error status added": (
        lambda d: stop(d)["responses"].update({"429": stop(d)["responses"]["503"]}),
        [f"compatible  {STOP}: response status 429 added"],
    ),
    "error status removed": (
        lambda d: stop(d)["responses"].pop("503"),
        [f"compatible  {STOP}: response status 503 removed"],
    ),
    "success schema changed": (
        lambda d: stop(d)["responses"]["200"]["content"]["application/json"]["schema"].update(
            {"$ref": "#/components/schemas/ConferenceStreamResponse"}
        ),
        [f"breaking    {STOP}: response 200 retyped: CallStreamResponse -> ConferenceStreamResponse"],
    ),
    "request body removed": (lambda d: stop(d).pop("requestBody"), [f"breaking    {STOP}: request body removed"]),
    "request body now required": (
        lambda d: stop(d)["requestBody"].update(required=True),
        [f"breaking    {STOP}: request body is now required"],
    ),
    "request content type changed": (
        lambda d: stop(d)["requestBody"].update(
            content={"application/x-www-form-urlencoded": stop(d)["requestBody"]["content"]["application/json"]}
        ),
        [f"compatible  {STOP}: request content type application/json -> application/x-www-form-urlencoded"],
    ),
    "required request body added": (
        lambda d: d["paths"][LIST]["get"].update(requestBody={"required": True, "content": {}}),
        [f"breaking    {LIST_CALLS}: required request body added"],
    ),
    "optional request body added": (
        lambda d: d["paths"][LIST]["get"].update(requestBody={"content": {}}),
        [f"compatible  {LIST_CALLS}: optional request body added"],
    ),
    # parameters
    "optional parameter added": (
        lambda d: list_parameters(d).append({"name": "To", "in": "query"}),
        [f"compatible  {LIST_CALLS}: optional query parameter 'To' (to) added"],
    ),
    "required parameter added": (
        lambda d: list_parameters(d).append({"name": "To", "in": "query", "required": True}),
        [f"breaking    {LIST_CALLS}: required query parameter 'To' (to) added"],
    ),
    "parameter removed": (
        lambda d: list_parameters(d).pop(1),
        [f"breaking    {LIST_CALLS}: query parameter 'EndTime<' (end_time_before) removed"],
    ),
    "parameter renamed": (
        lambda d: parameter(d, "EndTime<").update(name="EndedBefore"),
        [
            f"breaking    {LIST_CALLS}: query parameter 'EndTime<' (end_time_before) renamed to "
            "query parameter 'EndedBefore' (ended_before)"
        ],
    ),
    "parameter now required": (
        lambda d: parameter(d, "Status").update(required=True),
        [f"breaking    {LIST_CALLS}: query parameter 'Status' (status) is now required"],
    ),
    "path parameter now optional": (
        lambda d: parameter(d, "AccountSid").update(required=False),
        [f"compatible  {LIST_CALLS}: path parameter 'AccountSid' (account_sid) is now optional"],
    ),
    "parameter retyped": (
        lambda d: parameter(d, "PageSize").update(schema={"type": "string"}),
        [f"breaking    {LIST_CALLS}: query parameter 'PageSize' (page_size) retyped: integer -> string"],
    ),
    "parameter made nullable": (
        lambda d: parameter(d, "PageSize")["schema"].update(type=["integer", "null"]),
        [f"compatible  {LIST_CALLS}: query parameter 'PageSize' (page_size) is now nullable"],
    ),
    "parameter enum value added": (
        lambda d: parameter(d, "Status")["schema"]["enum"].append("busy"),
        [f"compatible  {LIST_CALLS}: query parameter 'Status' (status): enum value 'busy' added"],
    ),
    "parameter enum value removed": (
        lambda d: parameter(d, "Status")["schema"]["enum"].remove("queued"),
        [f"breaking    {LIST_CALLS}: query parameter 'Status' (status): enum value 'queued' removed"],
    ),
    "parameter format that keeps the Python type": (
        lambda d: parameter(d, "PageSize")["schema"].update(format="int64"),
        [],
    ),
    # response fields
    "optional response field added": (
        lambda d: response_fields(d).update(track={"type": "string"}),
        ["compatible  model CallStreamResponse: optional response field 'track' added (string)"],
    ),
    "required response field added": (
        lambda d: (
            response_fields(d).update(track={"type": "string"}),
            schemas(d)["CallStreamResponse"]["required"].append("track"),
        ),
        ["compatible  model CallStreamResponse: required response field 'track' added (string)"],
    ),
    "response field removed": (
        lambda d: response_fields(d).pop("uri"),
        ["breaking    model CallStreamResponse: response field 'uri' removed"],
    ),
    "response field retyped": (
        lambda d: response_fields(d)["date_updated"].update(format="date-time"),
        ["breaking    model CallStreamResponse: response field 'date_updated' retyped: string -> string(date-time)"],
    ),
    "response field made nullable": (
        lambda d: response_fields(d)["name"].update(type=["string", "null"]),
        ["breaking    model CallStreamResponse: response field 'name' is now nullable"],
    ),
    "response field made optional": (
        lambda d: schemas(d)["CallStreamResponse"]["required"].remove("name"),
        ["breaking    model CallStreamResponse: response field 'name' is now optional"],
    ),
    "response field no longer nullable": (
        lambda d: schemas(d)["ConferenceStreamResponse"]["properties"]["name"].update(type="string"),
        ["compatible  model ConferenceStreamResponse: response field 'name' is no longer nullable"],
    ),
    # request fields
    "optional request field added": (
        lambda d: request_model(d)["properties"].update(Name={"type": "string"}),
        ["compatible  model UpdateCallStreamRequest: optional request field 'Name' added (string)"],
    ),
    "required request field added": (
        lambda d: (
            request_model(d)["properties"].update(Name={"type": "string"}),
            request_model(d)["required"].append("Name"),
        ),
        ["breaking    model UpdateCallStreamRequest: required request field 'Name' added (string)"],
    ),
    "request field removed": (
        lambda d: request_model(d)["properties"].pop("Status"),
        ["breaking    model UpdateCallStreamRequest: request field 'Status' removed"],
    ),
    "request field made optional": (
        lambda d: request_model(d).pop("required"),
        ["compatible  model UpdateCallStreamRequest: request field 'Status' is now optional"],
    ),
    "request field retyped": (
        lambda d: request_model(d)["properties"].update(Status={"type": "boolean"}),
        [
            "breaking    model UpdateCallStreamRequest: request field 'Status' retyped: "
            "UpdateCallStreamRequestStatus -> boolean"
        ],
    ),
    "request field made nullable": (
        lambda d: request_model(d)["properties"].update(
            Status={"anyOf": [{"$ref": "#/components/schemas/UpdateCallStreamRequestStatus"}, {"type": "null"}]}
        ),
        ["compatible  model UpdateCallStreamRequest: request field 'Status' is now nullable"],
    ),
    # enums
    "response enum value added": (
        lambda d: schemas(d)["StreamStatus"]["enum"].append("paused"),
        ["compatible  model StreamStatus: enum value 'paused' added"],
    ),
    "response enum value removed": (
        lambda d: schemas(d)["StreamStatus"]["enum"].remove("queued"),
        ["breaking    model StreamStatus: enum value 'queued' removed"],
    ),
    "request enum value added": (
        lambda d: schemas(d)["UpdateCallStreamRequestStatus"]["enum"].append("paused"),
        ["compatible  model UpdateCallStreamRequestStatus: enum value 'paused' added"],
    ),
    "request enum value removed": (
        lambda d: schemas(d)["UpdateCallStreamRequestStatus"].update(enum=["halted"]),
        [
            "breaking    model UpdateCallStreamRequestStatus: enum value 'stopped' removed",
            "compatible  model UpdateCallStreamRequestStatus: enum value 'halted' added",
        ],
    ),
    "inline enum instead of a component of the same class": (
        lambda d: (
            request_model(d)["properties"].update(Status={"type": "string", "enum": ["stopped"]}),
            schemas(d).pop("UpdateCallStreamRequestStatus"),
        ),
        [],
    ),
    # models
    "model added": (
        lambda d: schemas(d).update(Track={"type": "string", "enum": ["inbound"]}),
        ["compatible  model Track: added"],
    ),
    "model removed": (
        lambda d: schemas(d).pop("CompatibilityErrorStringArrayResponse"),
        ["breaking    model CompatibilityErrorStringArrayResponse: removed"],
    ),
    "generated class renamed": (
        lambda d: schemas(d)["StreamStatus"].update(title="Media stream status"),
        [
            "breaking    model CallStreamResponse: response field 'status' retyped: StreamStatus -> MediaStreamStatus",
            "breaking    model StreamStatus: generated class renamed StreamStatus -> MediaStreamStatus",
        ],
    ),
    "a plain component stands for its type": (
        lambda d: (
            schemas(d).update(uuid={"type": "string", "format": "uuid"}),
            response_fields(d).update(sid={"allOf": [{"$ref": "#/components/schemas/uuid"}], "description": "Id."}),
        ),
        [],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_change(case: str) -> None:
    edit, expected = CASES[case]
    old = base()
    new = copy.deepcopy(old)
    edit(new)
    lines = report(old, new, old_label="old", new_label="new")
    if expected:
        breaking = sum(line.startswith("breaking") for line in expected)
        assert lines[0] == f"API changes from old to new: {breaking} breaking, {len(expected) - breaking} compatible"
        assert [line.strip() for line in lines[1:]] == [line.strip() for line in expected]
    else:
        assert lines == ["API changes from old to new: none that SDK users can see"]


@pytest.mark.parametrize(
    ("model", "field", "expected"),
    [
        ("CompatibilityErrorResponse", "more_info", "compatible  model CompatibilityErrorResponse: response field"),
        ("UpdateCallStreamRequest", "Status", "breaking    model UpdateCallStreamRequest: request field"),
    ],
)
def test_a_field_made_required(model: str, field: str, expected: str) -> None:
    old = base()
    schemas(old)[model]["required"].remove(field)
    new = base()
    assert [c.line().strip() for c in diff(old, new)] == [f"{expected} '{field}' is now required"]


def test_a_model_used_in_requests_and_responses_is_judged_by_the_stricter_rule() -> None:
    old = base()
    # CallStreamResponse is also sent: a new required field breaks the request side.
    stop(old)["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/CallStreamResponse"
    }
    new = copy.deepcopy(old)
    response_fields(new)["track"] = {"type": "string"}
    schemas(new)["CallStreamResponse"]["required"].append("track")
    made_nullable = copy.deepcopy(old)
    response_fields(made_nullable)["name"]["type"] = ["string", "null"]
    assert [c.line().strip() for c in diff(old, new) if "track" in c.what] == [
        "breaking    model CallStreamResponse: required field 'track' added (string)"
    ]
    assert [c.line().strip() for c in diff(old, made_nullable) if "name" in c.what] == [
        "breaking    model CallStreamResponse: field 'name' is now nullable"
    ]


def test_wording_only_order_only_and_unchanged_say_so() -> None:
    old = base()
    new = copy.deepcopy(old)
    schemas(new)["StreamStatus"]["description"] = "Where the stream is."
    stop(new)["summary"] = "Stop it"
    assert report(old, new, old_label="a", new_label="b") == [
        "API changes from a to b: none (the merged spec changed only in wording)"
    ]
    reordered = copy.deepcopy(old)
    schemas(reordered)["CallStreamResponse"]["required"].reverse()  # required and enum lists are sets
    schemas(reordered)["StreamStatus"]["enum"].reverse()
    assert report(old, reordered, old_label="a", new_label="b") == [
        "API changes from a to b: none (the merged spec changed only in the order of required names or enum values)"
    ]
    schemas(reordered)["StreamStatus"]["description"] = "Where the stream is."
    assert report(old, reordered, old_label="a", new_label="b") == [
        "API changes from a to b: none (the merged spec changed only in wording and in the order of required names "
        "or enum values)"
    ]
    assert report(old, old, old_label="a", new_label="b") == [
        "API changes from a to b: none (the merged spec is unchanged)"
    ]
    assert report(None, old, old_label="a", new_label="b") == [
        "API changes from a to b: no previous spec to compare with"
    ]


def test_breaking_lines_come_first_and_the_heading_counts_them() -> None:
    old = base()
    new = copy.deepcopy(old)
    add_create_stream(new)
    response_fields(new).pop("uri")
    lines = report(old, new, old_label="a", new_label="b")
    assert lines[0] == "API changes from a to b: 1 breaking, 1 compatible"
    assert lines[1].startswith("  breaking    model CallStreamResponse")
    assert lines[2].startswith("  compatible  POST /Accounts/{AccountSid}/Calls/{CallSid}/Streams")


@pytest.mark.slow  # starts the script's own interpreter
def test_command_line(tmp_path: Path) -> None:
    old, new = base(), base()
    response_fields(new).pop("uri")
    paths = []
    for name, document in (("old.yaml", old), ("new.yaml", new)):
        (tmp_path / name).write_text(yaml.safe_dump(document), encoding="utf-8")
        paths.append(str(tmp_path / name))
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "spec_diff.py"), *paths], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "  breaking    model CallStreamResponse: response field 'uri' removed"


def test_a_path_parameter_renamed_is_reported_as_a_rename_not_as_an_operation_removed_and_added() -> None:
    old = base()
    new = copy.deepcopy(old)
    route = "/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}"
    item = new["paths"].pop(route)
    for parameter in item["post"]["parameters"]:
        if parameter["name"] == "Sid":
            parameter["name"] = "StreamSid"
    new["paths"][route.replace("{Sid}", "{StreamSid}")] = item
    (change,) = diff(old, new)
    assert change.line().strip() == (
        "breaking    POST /Accounts/{AccountSid}/Calls/{CallSid}/Streams/{StreamSid} (update_stream): "
        "path parameter 'Sid' (sid) renamed to path parameter 'StreamSid' (stream_sid)"
    )
    assert change.operations == {(route, "post"), (route.replace("{Sid}", "{StreamSid}"), "post")}


def test_an_enum_value_names_the_overlay_lines_that_send_it_and_a_model_change_the_operations_using_it() -> None:
    old = base()
    new = copy.deepcopy(old)
    schemas(new)["UpdateCallStreamRequestStatus"]["enum"] = ["completed"]
    uses = {"UpdateCallStreamRequestStatus=stopped": ["overlay/x.py:3 (stop)"], "stopped": ["overlay/unrelated.py:9"]}
    lines = report(old, new, old_label="a", new_label="b", uses=uses)
    assert lines[1] == (
        "  breaking    model UpdateCallStreamRequestStatus: enum value 'stopped' removed "
        "[overlay: overlay/x.py:3 (stop)]"
    )
    assert lines[2] == "  compatible  model UpdateCallStreamRequestStatus: enum value 'completed' added"
    assert {change.operations for change in diff(old, new)} == {
        frozenset({("/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}", "post")})
    }
