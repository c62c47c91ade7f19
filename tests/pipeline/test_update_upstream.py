"""make update-upstream: the published spec replaced, its provenance row refreshed, and what changed said,
with the pages in openapi/ that no longer match the operations they were taken from named."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

import update_upstream
from merge_specs import load_yaml
from tests.helpers import ROOT, UPSTREAM_SPEC
from tests.pipeline.test_spec_changes import copy_repository, make

pytestmark = pytest.mark.slow  # reads the 13,000-line published spec
STOP = ("/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}", "post")


@pytest.fixture(scope="module")
def published() -> dict[str, Any]:
    document = load_yaml(UPSTREAM_SPEC.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def stop_answers_another_schema(document: dict[str, Any]) -> dict[str, Any]:
    """The published spec with the stop's 200 answer changed: a schema without ``uri``."""
    changed = copy.deepcopy(document)
    schemas = changed["components"]["schemas"]
    stopped = copy.deepcopy(schemas["CallStreamResponse"])
    del stopped["properties"]["uri"]
    stopped["required"].remove("uri")
    schemas["StoppedStreamResponse"] = stopped
    content = changed["paths"][STOP[0]][STOP[1]]["responses"]["200"]["content"]
    content["application/json"]["schema"] = {"$ref": "#/components/schemas/StoppedStreamResponse"}
    return changed


def test_a_changed_stop_answer_is_breaking_for_update_stream_and_touches_its_page(published: dict[str, Any]) -> None:
    pages = update_upstream.page_operations()
    lines, touched = update_upstream.changes_report(published, stop_answers_another_schema(published), pages, "changes")
    assert lines[0] == "changes: 1 breaking, 1 compatible"
    assert lines[1] == (
        "  breaking    POST /Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid} (update_stream): response 200 "
        "retyped: CallStreamResponse -> StoppedStreamResponse [openapi: update-stream.yaml]"
    )
    assert lines[2].startswith("  compatible  model StoppedStreamResponse: added (used by update_stream)")
    assert touched == {ROOT / "openapi" / "update-stream.yaml": ["update_stream"]}


def test_a_changed_shared_model_names_every_operation_and_page_using_it(published: dict[str, Any]) -> None:
    changed = copy.deepcopy(published)
    changed["components"]["schemas"]["CallStreamResponse"]["properties"].pop("uri")
    changed["components"]["schemas"]["CallStreamResponse"]["required"].remove("uri")
    lines, touched = update_upstream.changes_report(published, changed, update_upstream.page_operations(), "c")
    assert lines[1] == (
        "  breaking    model CallStreamResponse: response field 'uri' removed (used by create_stream, update_stream) "
        "[openapi: create-stream.yaml, update-stream.yaml]"
    )
    assert sorted(path.name for path in touched) == ["create-stream.yaml", "update-stream.yaml"]
    instructions = update_upstream.page_instructions(touched)
    assert instructions == [
        "  openapi/create-stream.yaml (create_stream): delete it and run make add-operation OP=create_stream "
        "(written from the new spec)",
        "  openapi/update-stream.yaml (update_stream): rebuild it from SignalWire's page "
        "(tests/fixtures/PROVENANCE.md), then make generate",
    ]


def test_make_update_upstream_replaces_the_spec_says_breaking_for_update_stream_and_fails_naming_the_page(
    tmp_path: Path, published: dict[str, Any]
) -> None:
    repository = copy_repository(tmp_path / "repo")
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(stop_answers_another_schema(published), sort_keys=False), encoding="utf-8")
    result = make(repository, "update-upstream", f"FILE={new}", "COMMIT=1a2b3c4d")
    assert result.returncode != 0
    breaking = [line for line in result.stdout.splitlines() if line.strip().startswith("breaking")]
    assert len(breaking) == 1 and "(update_stream)" in breaking[0], result.stdout
    assert "openapi/update-stream.yaml (update_stream): rebuild it from SignalWire's page" in result.stderr
    upstream = repository / "openapi" / "upstream"
    assert (upstream / "compatibility-openapi.yaml").read_bytes() == new.read_bytes()  # replaced, byte for byte
    note = (upstream / "PROVENANCE.md").read_text(encoding="utf-8")
    row = update_upstream.provenance_row(note, "compatibility-openapi.yaml")
    assert (row["sha"], row["commit"]) == (hashlib.sha256(new.read_bytes()).hexdigest(), "1a2b3c4d")


def test_the_same_published_spec_changes_nothing_and_passes(tmp_path: Path) -> None:
    repository = copy_repository(tmp_path / "repo")
    result = make(repository, "update-upstream", f"FILE={UPSTREAM_SPEC}")
    assert result.returncode == 0, result.stderr
    assert "API changes from the published spec of commit 668371b2" in result.stdout
    assert result.stdout.rstrip().endswith(": none")
