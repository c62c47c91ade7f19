"""scripts/merge_specs.py: union, dedup, conflicts named with both files, determinism."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT
from merge_specs import MergeError, dump_spec, merge_specs

SPECS = [ROOT / "openapi" / "update-stream.yaml", ROOT / "openapi" / "update-conference-stream.yaml"]


def read(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def create_stream_spec() -> dict[str, Any]:
    """A third spec in the seeds' style: POST .../Calls/{CallSid}/Streams (create a stream)."""
    base = read(SPECS[0])
    (path_item,) = base["paths"].values()
    op = copy.deepcopy(path_item["post"])
    op["operationId"] = "create-stream"
    op["summary"] = "Create a Stream"
    op["parameters"] = [p for p in op["parameters"] if p["name"] != "Sid"]
    op["requestBody"] = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateCallStreamRequest"}}}
    }
    schemas = base["components"]["schemas"]
    return {
        "openapi": base["openapi"],
        "info": base["info"],
        "paths": {"/Accounts/{AccountSid}/Calls/{CallSid}/Streams": {"post": op}},
        "servers": base["servers"],
        "components": {
            "schemas": {
                "CreateCallStreamRequest": {
                    "type": "object",
                    "properties": {"Url": {"type": "string"}, "Name": {"type": "string"}},
                    "required": ["Url"],
                    "title": "CreateCallStreamRequest",
                },
                "StreamStatus": schemas["StreamStatus"],
                "CallStreamResponse": schemas["CallStreamResponse"],
                "CompatibilityErrorResponse": schemas["CompatibilityErrorResponse"],
            },
            "securitySchemes": base["components"]["securitySchemes"],
        },
    }


def test_two_seed_specs_merge_with_shared_components_once() -> None:
    merged, dropped = merge_specs(SPECS)
    assert list(merged["paths"]) == [
        "/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}",
        "/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Streams/{Sid}",
    ]
    schemas = merged["components"]["schemas"]
    assert sorted(schemas) == [
        "CallStreamResponse",
        "CompatibilityErrorResponse",
        "CompatibilityErrorStringArrayResponse",
        "ConferenceStreamResponse",
        "ConferenceStreamStatus",
        "StreamStatus",
        "UpdateCallStreamRequest",
        "UpdateCallStreamRequestStatus",
        "UpdateConferenceStreamRequest",
        "UpdateConferenceStreamRequestStatus",
    ]
    # Structurally identical enums under different names stay apart.
    assert schemas["StreamStatus"]["enum"] == schemas["ConferenceStreamStatus"]["enum"]
    assert list(merged["components"]["securitySchemes"]) == ["SignalWireBasicAuth"]
    assert dropped == 2


def test_authorization_header_parameter_is_dropped_everywhere() -> None:
    merged, _ = merge_specs(SPECS)
    for path_item in merged["paths"].values():
        names = [p["name"] for p in path_item["post"]["parameters"]]
        assert "Authorization" not in names
        assert names[-1] == "Sid"
    # Not touched in the inputs' meaning otherwise: the security scheme is still there.
    assert merged["components"]["securitySchemes"]["SignalWireBasicAuth"]["scheme"] == "basic"


def test_ignored_headers_dropped_by_ref_and_case_insensitively(tmp_path: Path) -> None:
    document = read(SPECS[0])
    (path_item,) = document["paths"].values()
    path_item["post"]["parameters"].append({"name": "accept", "in": "header", "schema": {"type": "string"}})
    path_item["post"]["parameters"].append({"$ref": "#/components/parameters/CT"})
    path_item["post"]["parameters"].append({"name": "X-Trace", "in": "header", "schema": {"type": "string"}})
    document["components"]["parameters"] = {
        "CT": {"name": "Content-Type", "in": "header", "schema": {"type": "string"}}
    }
    merged, dropped = merge_specs([write(tmp_path / "a.yaml", document)])
    (merged_item,) = merged["paths"].values()
    assert [p.get("name") for p in merged_item["post"]["parameters"]] == ["AccountSid", "CallSid", "Sid", "X-Trace"]
    assert dropped == 3


def test_third_spec_file_merges_in(tmp_path: Path) -> None:
    third = write(tmp_path / "create-stream.yaml", create_stream_spec())
    merged, _ = merge_specs([*SPECS, third])
    assert "/Accounts/{AccountSid}/Calls/{CallSid}/Streams" in merged["paths"]
    assert len(merged["paths"]) == 3
    assert "CreateCallStreamRequest" in merged["components"]["schemas"]


def test_conflicting_component_names_the_component_and_both_files(tmp_path: Path) -> None:
    third = create_stream_spec()
    third["components"]["schemas"]["StreamStatus"] = {"type": "string", "enum": ["queued", "stopped"]}
    path = write(tmp_path / "zz-conflict.yaml", third)
    with pytest.raises(MergeError) as caught:
        merge_specs([*SPECS, path])
    message = str(caught.value)
    assert "schemas/StreamStatus" in message
    assert "update-stream.yaml" in message
    assert "zz-conflict.yaml" in message
    assert "enum" in message


def test_duplicate_operation_names_path_method_and_both_files(tmp_path: Path) -> None:
    copy_of_call = write(tmp_path / "copy.yaml", read(SPECS[0]))
    with pytest.raises(MergeError) as caught:
        merge_specs([SPECS[0], copy_of_call])
    message = str(caught.value)
    assert "POST /Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}" in message
    assert "update-stream.yaml" in message
    assert "copy.yaml" in message


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("info", {"title": "other", "version": "1.0.0"}, "top-level 'info' differs"),
        ("servers", [{"url": "https://elsewhere.example/api"}], "top-level 'servers' differs"),
    ],
)
def test_info_and_servers_must_agree(tmp_path: Path, key: str, value: Any, expected: str) -> None:
    third = create_stream_spec()
    third[key] = value
    path = write(tmp_path / "third.yaml", third)
    with pytest.raises(MergeError, match=expected) as caught:
        merge_specs([*SPECS, path])
    assert "third.yaml" in str(caught.value)


def test_non_3_1_spec_is_refused(tmp_path: Path) -> None:
    document = read(SPECS[0])
    document["openapi"] = "3.0.3"
    with pytest.raises(MergeError, match=r"3\.0\.3 is not supported"):
        merge_specs([write(tmp_path / "old.yaml", document)])


def test_output_is_deterministic_and_independent_of_input_order(tmp_path: Path) -> None:
    third = write(tmp_path / "create-stream.yaml", create_stream_spec())
    first = dump_spec(merge_specs([*SPECS, third])[0])
    assert first == dump_spec(merge_specs([third, *reversed(SPECS)])[0])
    assert first == dump_spec(merge_specs([*SPECS, third])[0])


def test_field_order_inside_a_schema_is_kept() -> None:
    merged, _ = merge_specs(SPECS)
    properties = merged["components"]["schemas"]["CallStreamResponse"]["properties"]
    assert list(properties) == ["sid", "account_sid", "call_sid", "name", "status", "date_updated", "uri"]


def test_command_line_validates_and_reports(tmp_path: Path) -> None:
    output = tmp_path / "merged.yaml"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "merge_specs.py"), "-o", str(output), *map(str, SPECS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "2 paths, 2 operations; dropped 2 ignored header parameters" in result.stdout
    assert read(output)["paths"]


def test_command_line_error_is_one_clear_line(tmp_path: Path) -> None:
    copy_of_call = write(tmp_path / "copy.yaml", read(SPECS[0]))
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "merge_specs.py"),
            "-o",
            str(tmp_path / "m.yaml"),
            str(SPECS[0]),
            str(copy_of_call),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("merge_specs: error: operation POST")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "m.yaml").exists()
