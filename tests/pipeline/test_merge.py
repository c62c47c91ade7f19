"""scripts/pipeline/merge_specs.py: union, dedup, conflicts named with both files, determinism."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.pipeline.merge_specs import BEHAVIOURAL_EXTENSIONS, MergeError, dump_spec, load_yaml, merge_specs
from tests.helpers import ROOT

SPECS = [ROOT / "openapi" / "update-stream.yaml", ROOT / "openapi" / "update-conference-stream.yaml"]


def read(path: Path) -> dict[str, Any]:
    document = load_yaml(path.read_text(encoding="utf-8"))
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
    merged, dropped, warnings = merge_specs(SPECS)
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
    assert warnings == []


def test_authorization_header_parameter_is_dropped_everywhere() -> None:
    merged, *_ = merge_specs(SPECS)
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
    merged, dropped, _ = merge_specs([write(tmp_path / "a.yaml", document)])
    (merged_item,) = merged["paths"].values()
    assert [p.get("name") for p in merged_item["post"]["parameters"]] == ["AccountSid", "CallSid", "Sid", "X-Trace"]
    assert dropped == 3


def test_third_spec_file_merges_in(tmp_path: Path) -> None:
    third = write(tmp_path / "create-stream.yaml", create_stream_spec())
    merged, *_ = merge_specs([*SPECS, third])
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
        ("info", {"title": "compatibility", "version": "2.0.0"}, "top-level 'info' differs"),
        ("servers", [{"url": "https://elsewhere.example/api"}], "top-level 'servers' differs"),
    ],
)
def test_info_version_and_servers_must_agree(tmp_path: Path, key: str, value: Any, expected: str) -> None:
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
    merged, *_ = merge_specs(SPECS)
    properties = merged["components"]["schemas"]["CallStreamResponse"]["properties"]
    assert list(properties) == ["sid", "account_sid", "call_sid", "name", "status", "date_updated", "uri"]


@pytest.mark.slow  # starts the script's own interpreter
def test_command_line_validates_and_reports(tmp_path: Path) -> None:
    output = tmp_path / "merged.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "scripts.pipeline.merge_specs", "-o", str(output), *map(str, SPECS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "2 paths, 2 operations; dropped 2 ignored header parameters" in result.stdout
    assert read(output)["paths"]


@pytest.mark.slow  # starts an interpreter
def test_command_line_error_is_one_clear_line(tmp_path: Path) -> None:
    copy_of_call = write(tmp_path / "copy.yaml", read(SPECS[0]))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.pipeline.merge_specs",
            "-o",
            str(tmp_path / "m.yaml"),
            str(SPECS[0]),
            str(copy_of_call),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("merge_specs: error: operation POST")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "m.yaml").exists()


# Merge by meaning: documentation differences merge (first file in sorted order wins, one warning
# each); differences in what a client sends or reads are conflicts naming both files.

# An edit of the third spec; for cases that need a change in both files, the copy of the seed too.
SharedEdit = Callable[[dict[str, Any], dict[str, Any]], None]


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    assert isinstance(schemas, dict)
    return schemas


def _basic_auth(document: dict[str, Any]) -> dict[str, Any]:
    scheme = document["components"]["securitySchemes"]["SignalWireBasicAuth"]
    assert isinstance(scheme, dict)
    return scheme


DOCUMENTATION_EDITS: dict[str, tuple[SharedEdit, str]] = {
    "description": (
        lambda d, seed: _schemas(d)["CallStreamResponse"].update(description="A call stream."),
        "component schemas/CallStreamResponse: description differs between {first} and {second} (wording)",
    ),
    "whitespace": (
        lambda d, seed: _basic_auth(d).update(description=" ".join(_basic_auth(d)["description"].split())),
        "component securitySchemes/SignalWireBasicAuth: description differs between {first} and {second} "
        "(whitespace only)",
    ),
    "summary": (
        lambda d, seed: _schemas(d)["CallStreamResponse"]["properties"]["status"].update(summary="Where it is."),
        "component schemas/CallStreamResponse: properties.status.summary differs between {first} and {second} "
        "(only in the second)",
    ),
    "title": (
        lambda d, seed: _schemas(d)["StreamStatus"].update(title="Stream status"),  # same class: StreamStatus
        "component schemas/StreamStatus: title differs between {first} and {second} (wording)",
    ),
    "example": (
        lambda d, seed: _schemas(d)["CallStreamResponse"]["properties"]["name"].update(example="my_stream"),
        "component schemas/CallStreamResponse: properties.name.example differs between {first} and {second} "
        "(only in the second)",
    ),
    "examples": (
        lambda d, seed: _schemas(d)["CallStreamResponse"]["properties"]["uri"].update(examples=["/x.json"]),
        "component schemas/CallStreamResponse: properties.uri.examples differs between {first} and {second} "
        "(only in the second)",
    ),
    "externalDocs": (
        lambda d, seed: _schemas(d)["CompatibilityErrorResponse"].update(externalDocs={"url": "https://docs.example"}),
        "component schemas/CompatibilityErrorResponse: externalDocs differs between {first} and {second} "
        "(only in the second)",
    ),
    "$comment": (
        lambda d, seed: _schemas(d)["StreamStatus"].update({"$comment": "Mirrors the media server."}),
        "component schemas/StreamStatus: $comment differs between {first} and {second} (only in the second)",
    ),
    "x-extension": (
        lambda d, seed: _basic_auth(d).update({"x-fern-basic": {"username": {"name": "project_id"}}}),
        "component securitySchemes/SignalWireBasicAuth: x-fern-basic differs between {first} and {second} "
        "(only in the second)",
    ),
    "required in another order": (  # a set: the same names in another order mean the same
        lambda d, seed: _schemas(d)["CallStreamResponse"]["required"].reverse(),
        "component schemas/CallStreamResponse: required differs between {first} and {second} (order only)",
    ),
    "enum in another order": (
        lambda d, seed: _schemas(d)["StreamStatus"]["enum"].reverse(),
        "component schemas/StreamStatus: enum differs between {first} and {second} (order only)",
    ),
    "description of a property named description": (
        lambda d, seed: [
            _schemas(x)["CallStreamResponse"]["properties"].update(description={"type": "string", "description": t})
            for x, t in ((d, "Free text."), (seed, "Free text, as typed."))
        ],
        "component schemas/CallStreamResponse: properties.description.description differs between {first} and "
        "{second} (wording)",
    ),
}


def _merge_third(tmp_path: Path, edit: SharedEdit, third_name: str = "zz-third.yaml") -> tuple[Any, Path, Path]:
    """Merge the call seed (copied, so a case may edit it too) with a third spec edited by ``edit``."""
    seed = read(SPECS[0])
    third = create_stream_spec()
    edit(third, seed)
    seed_path = write(tmp_path / "update-stream.yaml", seed)
    third_path = write(tmp_path / third_name, third)
    return merge_specs([seed_path, third_path]), seed_path, third_path


@pytest.mark.parametrize("case", sorted(DOCUMENTATION_EDITS))
def test_documentation_difference_merges_with_one_warning_naming_both_files(tmp_path: Path, case: str) -> None:
    edit, expected = DOCUMENTATION_EDITS[case]
    (merged, _, warnings), seed_path, third_path = _merge_third(tmp_path, edit)
    assert warnings == [f"{expected.format(first=seed_path, second=third_path)}; keeping {seed_path}'s"]
    # The first file in sorted order wins: the merged components are the seed's, text included.
    for section, entries in read(seed_path)["components"].items():
        for name, definition in entries.items():
            assert merged["components"][section][name] == definition


def test_first_file_in_sorted_order_wins_whatever_the_input_order(tmp_path: Path) -> None:
    edit = DOCUMENTATION_EDITS["description"][0]
    (merged, _, warnings), seed_path, third_path = _merge_third(tmp_path, edit, third_name="aa-third.yaml")
    assert merged["components"]["schemas"]["CallStreamResponse"]["description"] == "A call stream."
    assert warnings == [
        f"component schemas/CallStreamResponse: description differs between {third_path} and {seed_path} "
        f"(wording); keeping {third_path}'s"
    ]
    again = merge_specs([third_path, seed_path])
    assert dump_spec(again.document) == dump_spec(merged)
    assert again.warnings == warnings


def test_every_documentation_difference_gets_its_own_warning(tmp_path: Path) -> None:
    def edit(document: dict[str, Any], seed: dict[str, Any]) -> None:
        for case in ("description", "whitespace", "title", "example", "x-extension"):
            DOCUMENTATION_EDITS[case][0](document, seed)

    (_, _, warnings), *_ = _merge_third(tmp_path, edit)
    assert len(warnings) == 5
    assert sum("schemas/CallStreamResponse" in w for w in warnings) == 2
    assert sum("securitySchemes/SignalWireBasicAuth" in w for w in warnings) == 2


SEMANTIC_EDITS: dict[str, tuple[SharedEdit, str]] = {
    "type": (
        lambda d, seed: _schemas(d)["CompatibilityErrorResponse"]["properties"]["code"].update(type="string"),
        "component schemas/CompatibilityErrorResponse is defined differently in {first} and {second}: "
        "properties.code.type: 'integer' != 'string'",
    ),
    "format": (
        lambda d, seed: _schemas(d)["CompatibilityErrorResponse"]["properties"]["code"].update(format="int32"),
        "component schemas/CompatibilityErrorResponse is defined differently in {first} and {second}: "
        "properties.code.format only in the second",
    ),
    "properties": (
        lambda d, seed: _schemas(d)["CallStreamResponse"]["properties"].update(track={"type": "string"}),
        "component schemas/CallStreamResponse is defined differently in {first} and {second}: "
        "properties.track only in the second",
    ),
    "a property named description": (
        lambda d, seed: _schemas(d)["CallStreamResponse"]["properties"].update(description={"type": "string"}),
        "component schemas/CallStreamResponse is defined differently in {first} and {second}: "
        "properties.description only in the second",
    ),
    "a property named title": (
        lambda d, seed: _schemas(d)["CallStreamResponse"]["properties"].update(title={"type": "string"}),
        "component schemas/CallStreamResponse is defined differently in {first} and {second}: "
        "properties.title only in the second",
    ),
    "required": (
        lambda d, seed: _schemas(d)["CallStreamResponse"]["required"].remove("uri"),
        "component schemas/CallStreamResponse is defined differently in {first} and {second}: required: ",
    ),
    "enum": (
        lambda d, seed: _schemas(d)["StreamStatus"]["enum"].append("paused"),
        "component schemas/StreamStatus is defined differently in {first} and {second}: enum: ",
    ),
    "default": (
        lambda d, seed: _schemas(d)["StreamStatus"].update(default="queued"),
        "component schemas/StreamStatus is defined differently in {first} and {second}: default only in the second",
    ),
    "nullability": (
        lambda d, seed: _schemas(d)["CallStreamResponse"]["properties"]["name"].update(type=["string", "null"]),
        "component schemas/CallStreamResponse is defined differently in {first} and {second}: "
        "properties.name.type: 'string' != ['string', 'null']",
    ),
    "title naming another class": (
        lambda d, seed: _schemas(d)["StreamStatus"].update(title="Media stream status"),
        "component schemas/StreamStatus is defined differently in {first} and {second}: "
        "title: 'StreamStatus' != 'MediaStreamStatus'",
    ),
    "x-enum-varnames": (
        lambda d, seed: _schemas(d)["StreamStatus"].update({"x-enum-varnames": ["QUEUED", "RUNNING", "STOPPED"]}),
        "component schemas/StreamStatus is defined differently in {first} and {second}: "
        "x-enum-varnames only in the second",
    ),
    "security scheme": (
        lambda d, seed: _basic_auth(d).update(scheme="bearer"),
        "component securitySchemes/SignalWireBasicAuth is defined differently in {first} and {second}: "
        "scheme: 'basic' != 'bearer'",
    ),
}


@pytest.mark.parametrize("case", sorted(SEMANTIC_EDITS))
def test_semantic_difference_is_a_conflict_naming_both_files(tmp_path: Path, case: str) -> None:
    edit, expected = SEMANTIC_EDITS[case]
    with pytest.raises(MergeError) as caught:
        _merge_third(tmp_path, edit)
    seed_path, third_path = tmp_path / "update-stream.yaml", tmp_path / "zz-third.yaml"
    assert str(caught.value).startswith(expected.format(first=seed_path, second=third_path))


def _path_level_pair(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> list[Path]:
    """Two files with GET and POST on one route, sharing path-level summary and parameters."""
    base = read(SPECS[0])
    (route, item) = next(iter(base["paths"].items()))
    shared = {"summary": "A call's stream", "parameters": [p for p in item["post"]["parameters"] if p["in"] == "path"]}
    post = {k: v for k, v in item["post"].items() if k != "parameters"}
    get = {"operationId": "fetch-stream", "responses": post["responses"]}
    first = {**base, "paths": {route: {**copy.deepcopy(shared), "post": post}}}
    second = {**base, "paths": {route: {**copy.deepcopy(shared), "get": get}}}
    edit(second["paths"][route])
    return [write(tmp_path / "a.yaml", first), write(tmp_path / "b.yaml", second)]


def test_path_level_keys_merge_by_meaning(tmp_path: Path) -> None:
    def reword(item: dict[str, Any]) -> None:
        item["summary"] = "The stream of a call"
        item["parameters"][0]["description"] = "The account."

    first, second = _path_level_pair(tmp_path, reword)
    merged, _, warnings = merge_specs([first, second])
    (item,) = merged["paths"].values()
    assert list(item) == ["parameters", "summary", "get", "post"]
    assert item["summary"] == "A call's stream"
    route = next(iter(merged["paths"]))
    assert warnings == [
        f"path {route}: summary differs between {first} and {second} (wording); keeping {first}'s",
        f"path {route}: parameters.0.description differs between {first} and {second} (wording); keeping {first}'s",
    ]


def test_path_level_parameters_that_differ_in_meaning_are_a_conflict(tmp_path: Path) -> None:
    first, second = _path_level_pair(tmp_path, lambda item: item["parameters"][0]["schema"].update(format="uri"))
    with pytest.raises(
        MergeError, match=r"'parameters' differs between .*a\.yaml and .*b\.yaml: parameters\.0\.schema"
    ):
        merge_specs([first, second])


def test_status_codes_and_content_types_are_meaning(tmp_path: Path) -> None:
    operation = read(SPECS[0])["paths"]["/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}"]["post"]

    def add_path_item(document: dict[str, Any], status: str, content_type: str) -> None:
        responses = {status: {"description": "OK", "content": {content_type: {"schema": {"type": "object"}}}}}
        document["components"]["pathItems"] = {"Hook": {"post": {**operation, "responses": responses}}}

    seed_path = write(tmp_path / "a.yaml", read(SPECS[0]))
    for status, content_type, expected in [
        ("201", "application/json", "responses.200 only in the first"),
        ("200", "text/plain", "responses.200.content.application/json only in the first"),
    ]:
        first, second = read(SPECS[0]), create_stream_spec()
        add_path_item(first, "200", "application/json")
        add_path_item(second, status, content_type)
        write(seed_path, first)
        with pytest.raises(MergeError, match="component pathItems/Hook is defined differently") as caught:
            merge_specs([seed_path, write(tmp_path / "b.yaml", second)])
        assert expected in str(caught.value)


def test_duplicate_operation_says_whether_the_copies_agree(tmp_path: Path) -> None:
    reworded = read(SPECS[0])
    (item,) = reworded["paths"].values()
    item["post"]["summary"] = "Stop a stream"
    with pytest.raises(MergeError, match=r"defined twice: .* \(the two copies mean the same: remove one file\)"):
        merge_specs([SPECS[0], write(tmp_path / "copy.yaml", reworded)])
    item["post"]["responses"].pop("503")
    with pytest.raises(MergeError, match=r"defined twice: .* \(they differ: responses\.503 only in the second\)"):
        merge_specs([SPECS[0], write(tmp_path / "copy.yaml", reworded)])


def test_top_level_documentation_merges_with_warnings(tmp_path: Path) -> None:
    seed = write(tmp_path / "a-seed.yaml", read(SPECS[0]))
    other = create_stream_spec()
    other["paths"] = {"/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}/x": other["paths"].popitem()[1]}
    other["tags"] = [{"name": "Streams", "description": "Streams of media."}]
    third = create_stream_spec()
    third["info"] = {"title": "Compatibility API", "version": "1.0.0", "description": "All of it."}
    third["servers"] = [{**third["servers"][0], "description": "Your space"}]
    third["tags"] = [{"name": "Streams", "description": "Media streams."}]
    second, third_path = write(tmp_path / "b-second.yaml", other), write(tmp_path / "c-third.yaml", third)
    merged, _, warnings = merge_specs([third_path, second, seed])
    assert merged["info"] == {"title": "compatibility", "version": "1.0.0"}  # the first file's
    assert merged["tags"] == [{"name": "Streams", "description": "Streams of media."}]
    assert warnings == [
        f"top-level 'info': title differs between {seed} and {third_path} (wording); keeping {seed}'s",
        f"top-level 'info': description differs between {seed} and {third_path} (only in the second); keeping {seed}'s",
        f"top-level 'servers': 0.description differs between {seed} and {third_path} (only in the second); "
        f"keeping {seed}'s",
        f"tag 'Streams': description differs between {second} and {third_path} (wording); keeping {second}'s",
    ]


def test_extensions_the_generator_reads_are_meaning_not_documentation() -> None:
    """The pinned generator's source names every x- extension it reads; each must be behavioural here."""
    import openapi_python_client

    source = Path(openapi_python_client.__file__).parent
    read_by_generator = set()
    for path in source.rglob("*.py"):
        read_by_generator |= set(re.findall(r"[\"'](x-[a-z0-9-]+)[\"']", path.read_text(encoding="utf-8")))
    assert read_by_generator == {"x-enum-varnames"}
    assert read_by_generator <= BEHAVIOURAL_EXTENSIONS
