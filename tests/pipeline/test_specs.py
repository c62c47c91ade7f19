"""The specs in openapi/ are valid OpenAPI 3.1 and faithful to their sources: the two stop operations to
their seed pages (token for token), the two create operations to SignalWire's published spec (by meaning)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest

from scripts.pipeline.merge_specs import load_yaml
from tests.helpers import FIXTURES, ROOT, UPSTREAM_SPEC

SEEDS = {
    "update-stream.yaml": FIXTURES / "000_22a779c5f9a1713b.txt",
    "update-conference-stream.yaml": FIXTURES / "002_5f62eac68109851c.txt",
}


def seed_yaml_block(seed: Path) -> str:
    text = seed.read_text(encoding="utf-8")
    start = text.index("```yaml ") + len("```yaml ")
    end = text.index(" ``` ## SDK Code Examples", start)
    return text[start:end]


def load(name: str) -> dict[str, Any]:
    document = load_yaml((ROOT / "openapi" / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _from_upstream() -> dict[str, tuple[str, str]]:
    """Every page in openapi/ that is not a seed, written in the seed pages' style from the published spec
    (by hand, or by `make add-operation`): file name -> (route, published operationId)."""
    found = {}
    for path in sorted((ROOT / "openapi").glob("*.yaml")):
        if path.name not in SEEDS:
            document = load(path.name)
            ((route, item),) = document["paths"].items()
            ((_method, operation),) = item.items()
            found[path.name] = (route, str(operation["operationId"]).replace("-", "_"))
    return found


FROM_UPSTREAM = _from_upstream()


@functools.cache
def published_spec() -> dict[str, Any]:
    """The 1.2 MB published spec, read once for every page compared to it (the tests only read it)."""
    document = load_yaml(UPSTREAM_SPEC.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_openapi_dir_holds_the_seeds_and_the_pages_taken_from_upstream() -> None:
    assert set(SEEDS) <= {p.name for p in (ROOT / "openapi").glob("*.yaml")}
    assert {"create-stream.yaml", "create-conference-stream.yaml"} <= set(FROM_UPSTREAM)
    assert all(name == operation_id.replace("_", "-") + ".yaml" for name, (_, operation_id) in FROM_UPSTREAM.items())


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_rebuilt_spec_has_every_token_of_its_seed_in_order(name: str) -> None:
    # The seeds lost their newlines; only whitespace may differ between the seed and the rebuilt file.
    rebuilt = re.sub(r"\s+", " ", (ROOT / "openapi" / name).read_text(encoding="utf-8")).strip()
    assert rebuilt == seed_yaml_block(SEEDS[name])


@pytest.mark.parametrize("name", sorted([*SEEDS, *FROM_UPSTREAM]))
def test_spec_is_valid_openapi_3_1(name: str) -> None:
    from openapi_spec_validator import validate  # here: every worker collects this module, few run this test

    document = load(name)
    assert document["openapi"] == "3.1.0"
    validate(document)


def operation(document: dict[str, Any]) -> dict[str, Any]:
    (path_item,) = document["paths"].values()
    result = path_item["post"]
    assert isinstance(result, dict)
    return result


def test_call_stream_spec_facts() -> None:
    document = load("update-stream.yaml")
    assert list(document["paths"]) == ["/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}"]
    op = operation(document)
    assert op["operationId"] == "update-stream"
    assert [p["name"] for p in op["parameters"]] == ["AccountSid", "CallSid", "Sid", "Authorization"]
    assert sorted(op["responses"]) == ["200", "400", "401", "404", "422", "503"]
    assert "application/json" in op["requestBody"]["content"]
    assert "required" not in op["requestBody"]  # a seed mistake kept on purpose
    schemas = document["components"]["schemas"]
    assert schemas["UpdateCallStreamRequestStatus"]["enum"] == ["stopped"]
    assert schemas["UpdateCallStreamRequest"]["required"] == ["Status"]
    assert schemas["StreamStatus"]["enum"] == ["queued", "in-progress", "stopped"]
    assert schemas["CallStreamResponse"]["properties"]["name"]["type"] == "string"  # not nullable
    assert op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CompatibilityErrorResponse"
    )


def test_conference_stream_spec_facts() -> None:
    document = load("update-conference-stream.yaml")
    assert list(document["paths"]) == ["/Accounts/{AccountSid}/Conferences/{ConferenceSid}/Streams/{Sid}"]
    op = operation(document)
    assert op["operationId"] == "update-conference-stream"
    assert sorted(op["responses"]) == ["200", "400", "401", "404", "422"]  # no 503
    assert op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CompatibilityErrorStringArrayResponse"
    )
    schemas = document["components"]["schemas"]
    assert schemas["UpdateConferenceStreamRequestStatus"]["enum"] == ["stopped"]
    assert schemas["ConferenceStreamStatus"]["enum"] == ["queued", "in-progress", "stopped"]
    assert schemas["ConferenceStreamResponse"]["properties"]["name"]["type"] == ["string", "null"]
    assert schemas["CompatibilityErrorStringArrayResponse"]["required"] == ["errors"]


def test_shared_components_are_identical_across_the_two_specs() -> None:
    call, conference = load("update-stream.yaml"), load("update-conference-stream.yaml")
    for section, name in [("schemas", "CompatibilityErrorResponse"), ("securitySchemes", "SignalWireBasicAuth")]:
        assert call["components"][section][name] == conference["components"][section][name]
    assert call["info"] == conference["info"]
    assert call["servers"] == conference["servers"]


def _normalized(schema: Any, document: dict[str, Any]) -> Any:
    """A schema as a client sees it: references followed (sibling keywords kept), one-element allOf
    unwrapped, documentation dropped, and unevaluatedProperties dropped (the seed pages' rendering of
    the published spec drops it, as the two stop operations show)."""
    if isinstance(schema, list):
        return [_normalized(item, document) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = dict(schema)
    if "$ref" in schema:
        target: Any = document
        for part in schema.pop("$ref")[2:].split("/"):
            target = target[part]
        schema = {**target, **schema}
    if isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
        (only,) = schema.pop("allOf")
        schema = {**_normalized(only, document), **schema}
    ignored = {"title", "description", "examples", "example", "unevaluatedProperties"}
    return {key: _normalized(value, document) for key, value in schema.items() if key not in ignored}


@pytest.mark.parametrize("name", sorted(FROM_UPSTREAM))
def test_create_operation_means_what_the_published_spec_says(name: str) -> None:
    route, operation_id = FROM_UPSTREAM[name]
    ours = load(name)
    published = published_spec()
    assert list(ours["paths"]) == [route]
    ((method, mine),) = ours["paths"][route].items()
    theirs = published["paths"][route][method]
    assert mine["operationId"].replace("-", "_") == theirs["operationId"] == operation_id
    assert mine["summary"] == theirs["summary"]

    def parameters(operation: dict[str, Any], document: dict[str, Any]) -> list[Any]:
        found = [_normalized(p, document) for p in operation["parameters"]]
        return [p for p in found if p["name"] != "Authorization"]  # the seed pages' header, dropped by the merge

    assert parameters(mine, ours) == parameters(theirs, published)
    assert sorted(mine["responses"]) == sorted(theirs["responses"])
    for status, response in theirs["responses"].items():
        assert mine["responses"][status]["description"] == response["description"]
        assert mine["responses"][status]["content"] == response["content"]  # the same component names
    assert ("requestBody" in mine) == ("requestBody" in theirs)
    if "requestBody" not in theirs:
        return
    assert mine["requestBody"].get("required") is theirs["requestBody"].get("required")
    assert list(mine["requestBody"]["content"]) == list(theirs["requestBody"]["content"])
    assert _normalized(mine["requestBody"], ours) == _normalized(theirs["requestBody"], published)
    if operation_id not in ("create_stream", "create_conference_stream"):
        return
    assert list(mine["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]
    body = next(iter(theirs["requestBody"]["content"].values()))["schema"]
    assert _normalized(body, published)["properties"]["Track"] == {
        "type": "string",
        "enum": ["inbound_track", "outbound_track", "both_tracks"],
        "default": "both_tracks",
    }


@pytest.mark.parametrize("name", sorted(FROM_UPSTREAM))
def test_create_operation_shares_the_stop_operations_components_verbatim(name: str) -> None:
    mine = load(name)
    stops = [load(seed) for seed in SEEDS]
    shared = 0
    for section, entries in mine["components"].items():
        for component, definition in entries.items():
            for stop in stops:
                if component in stop["components"].get(section, {}):
                    assert stop["components"][section][component] == definition, (section, component)
                    shared += 1
    assert shared >= 4
    assert mine["info"] == stops[0]["info"]
    assert mine["servers"] == stops[0]["servers"]
