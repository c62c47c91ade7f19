"""The rebuilt specs in openapi/ are faithful to the seed pages and valid OpenAPI 3.1."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from conftest import FIXTURES, ROOT

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
    document = yaml.safe_load((ROOT / "openapi" / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_openapi_dir_holds_exactly_one_spec_per_seed() -> None:
    assert sorted(p.name for p in (ROOT / "openapi").glob("*.yaml")) == sorted(SEEDS)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_rebuilt_spec_has_every_token_of_its_seed_in_order(name: str) -> None:
    # The seeds lost their newlines; only whitespace may differ between the seed and the rebuilt file.
    rebuilt = re.sub(r"\s+", " ", (ROOT / "openapi" / name).read_text(encoding="utf-8")).strip()
    assert rebuilt == seed_yaml_block(SEEDS[name])


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_rebuilt_spec_is_valid_openapi_3_1(name: str) -> None:
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
