"""scripts/pipeline/overlay_fit.py and overlay_probe.py: the overlay run against a regenerated client, held to its spec.

Every change that once passed ``make check`` while a typed call broke (a renamed response field, an enum
value the overlay sends, a retyped field, a renamed path parameter, a new required query parameter)
fails it, naming the overlay line to change; harmless changes (order, wording, new optional fields)
pass, and a new optional response field is an attribute of the typed result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.pipeline import overlay_fit, overlay_probe, spec_samples
from scripts.pipeline.generate import PACKAGE, build_tree, spec_files
from scripts.pipeline.merge_specs import load_yaml
from scripts.pipeline.spec_contract import Contract
from tests.helpers import ROOT, UPSTREAM_SPEC

Edit = Callable[[dict[str, Any]], None]
MERGED = ROOT / "generated" / "openapi.merged.yaml"
RESOURCES = "overlay/signalwire_compat/_async/_resources.py"
BUILDERS = "overlay/signalwire_compat/_builders.py"


def source_line(path: str, text: str) -> int:
    """The line of ``path`` (from the checkout's root) that holds ``text``, which must occur once."""
    lines = [n for n, line in enumerate((ROOT / path).read_text().splitlines(), 1) if text in line]
    assert len(lines) == 1, (path, text, lines)
    return lines[0]


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def operation(document: dict[str, Any]) -> dict[str, Any]:
    (item,) = document["paths"].values()
    found: dict[str, Any] = item["post"]
    return found


def in_schema(name: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    """An edit of schema ``name`` wherever a page carries it (every page with it must agree, or the merge refuses)."""

    def edit(document: dict[str, Any]) -> None:
        if name in schemas(document):
            change(schemas(document)[name])

    return edit


def tree(tmp_path: Path, edits: dict[str, list[Edit]]) -> Path:
    """The client generated from copies of openapi/*.yaml, each page edited by its functions."""
    files = []
    for spec in spec_files():
        target = tmp_path / "specs" / spec.name
        target.parent.mkdir(exist_ok=True)
        document = load_yaml(spec.read_text(encoding="utf-8"))
        for edit in edits.get(spec.name, []) + edits.get("*", []):
            edit(document)
        target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        files.append(target)
    return build_tree(files, tmp_path / "tree", warn=lambda message: None) / PACKAGE


# -- the changes ---------------------------------------------------------------------------------------


def status_completed(document: dict[str, Any]) -> None:
    if "UpdateCallStreamRequestStatus" in schemas(document):
        schemas(document)["UpdateCallStreamRequestStatus"]["enum"] = ["completed"]


def require_query_parameter(document: dict[str, Any]) -> None:
    operation(document)["parameters"].append(
        {"name": "Reason", "in": "query", "required": True, "schema": {"type": "string"}}
    )


def rename_sid(document: dict[str, Any]) -> None:
    (route,) = document["paths"]
    item = document["paths"].pop(route)
    for parameter in item["post"]["parameters"]:
        if parameter["name"] == "Sid":
            parameter["name"] = "StreamSid"
    document["paths"][route.replace("{Sid}", "{StreamSid}")] = item


def rename_uri(schema: dict[str, Any]) -> None:
    schema["properties"] = {("stream_uri" if k == "uri" else k): v for k, v in schema["properties"].items()}
    schema["required"] = [("stream_uri" if k == "uri" else k) for k in schema["required"]]


def date_as_integer(schema: dict[str, Any]) -> None:
    schema["properties"]["date_updated"] = {"type": "integer", "description": "Seconds since 1970."}


def optional_fields(document: dict[str, Any]) -> None:
    found = schemas(document)
    if "CallStreamResponse" in found:
        found["CallStreamResponse"]["properties"]["track"] = {"type": "string", "description": "Which audio."}
    if "CreateCallStreamRequest" in found:
        found["CreateCallStreamRequest"]["properties"]["Codec"] = {"type": "string"}


def reorder_and_reword(document: dict[str, Any]) -> None:
    schemas(document)["CallStreamResponse"]["required"].reverse()
    schemas(document)["StreamStatus"]["description"] = "Where the stream is."
    operation(document)["summary"] = "Stop a stream"


def problems_at(fit: overlay_fit.Fit, place: str, *words: str) -> list[str]:
    return [p for p in fit.problems if p.startswith(place) and all(word in p for word in words)]


# -- runs of the generator and the probe (slow) ------------------------------------------------------------


@pytest.mark.slow  # runs the generator, then the probe in its own interpreter
def test_the_committed_client_fits_and_every_operation_has_a_typed_call() -> None:
    fit = overlay_fit.check()
    assert fit.problems == []
    assert fit.coverage == []  # every operation, query parameter and request field is sent by a typed call
    assert fit.fake_answers == [
        "create_a_call",
        "create_conference_stream",
        "create_stream",
        "retrieve_a_call",
        "update_a_call",
        "update_conference_stream",
        "update_stream",
    ]
    stop = source_line(RESOURCES, 'self._update("stopped")')
    assert f"{RESOURCES}:{stop} (stop)" in fit.uses["UpdateCallStreamRequestStatus=stopped"]
    assert "Status" in fit.uses and "Url" in fit.uses


@pytest.mark.slow
def test_an_enum_value_a_retyped_field_and_a_new_required_query_parameter_fail_naming_the_lines(
    tmp_path: Path,
) -> None:
    fit = overlay_fit.check(
        tree(
            tmp_path,
            {
                "update-stream.yaml": [status_completed],
                "create-stream.yaml": [status_completed],
                "update-conference-stream.yaml": [require_query_parameter],
                "*": [in_schema("ConferenceStreamResponse", date_as_integer)],
            },
        )
    )
    # The stop sends Status=stopped, which the spec no longer allows: the line with the literal.
    stop = source_line(RESOURCES, 'self._update("stopped")')
    assert problems_at(fit, f"{RESOURCES}:{stop} (stop)", "ValueError", "'completed'", "got 'stopped'")
    # The conference stop's builder no longer fits the generated _get_kwargs.
    builder = source_line(BUILDERS, "request = gen.update_conference_stream._get_kwargs(")
    assert problems_at(fit, f"{BUILDERS}:{builder} (update_conference_stream)", "TypeError", "'reason'")
    # Every answer the spec allows breaks .updated_at; FakeSpace still answers a text date.
    assert problems_at(fit, "overlay/signalwire_compat/_models.py:", "updated_at", "InvalidDateError")
    assert problems_at(
        fit, "overlay/signalwire_compat/testing/_rules.py:", "(stream_document)", "not of type 'integer'"
    )


@pytest.mark.slow
def test_a_renamed_path_parameter_and_a_renamed_response_field_fail_naming_the_lines(tmp_path: Path) -> None:
    fit = overlay_fit.check(
        tree(tmp_path, {"update-stream.yaml": [rename_sid], "*": [in_schema("CallStreamResponse", rename_uri)]})
    )
    builder = source_line(BUILDERS, "request = gen.update_stream._get_kwargs(")
    assert problems_at(fit, f"{BUILDERS}:{builder} (update_call_stream)", "unexpected keyword argument 'sid'")
    # The typed result follows the spec (stream_uri); FakeSpace still answers uri.
    assert problems_at(fit, "overlay/signalwire_compat/testing/_rules.py:", "(stream_document)", "'stream_uri'")
    assert not [p for p in fit.problems if "_models.py" in p or "_results.py" in p]


@pytest.mark.slow
def test_order_wording_and_new_optional_fields_pass_and_the_new_response_field_is_read(tmp_path: Path) -> None:
    package = tree(tmp_path, {"update-stream.yaml": [reorder_and_reword], "*": [optional_fields]})
    fit = overlay_fit.check(package)
    assert fit.problems == []
    # The probe held every typed result to the schema: track is an attribute, not only in .extra.
    assert fit.coverage == ["request field 'Codec' of CreateCallStreamRequest (create_stream)"]
    derived = overlay_fit.derive_overlay.results_text(
        load_yaml((package.parent / "openapi.merged.yaml").read_text()), package
    )
    assert "    track: str | None = None" in derived


@pytest.mark.slow  # reads the 13,000-line published spec
def test_every_answer_made_from_the_published_spec_keeps_to_its_schema() -> None:
    document = load_yaml(UPSTREAM_SPEC.read_text(encoding="utf-8"))
    contract = Contract(document)
    for name in document["components"]["schemas"]:
        schema = {"$ref": f"#/components/schemas/{name}"}
        for sample in spec_samples.documents(document, schema):
            assert contract.schema_problems(schema, sample, name) == []


# -- the pieces, in process (quick) ------------------------------------------------------------------------


def test_answers_made_from_the_merged_spec_keep_to_it_and_cover_optional_fields_and_enum_values() -> None:
    document = load_yaml(MERGED.read_text(encoding="utf-8"))
    contract = Contract(document)
    schema = {"$ref": "#/components/schemas/ConferenceStreamResponse"}
    samples = spec_samples.documents(document, schema)
    assert [contract.schema_problems(schema, sample, "conference") for sample in samples] == [[]] * len(samples)
    assert samples[0]["date_updated"] == spec_samples.SAMPLE_DATE  # read as a date by the overlay's rule
    assert samples[1]["name"] is None  # only the required fields; a nullable one null
    assert sorted(sample["status"] for sample in samples) == ["in-progress", "queued", "queued", "stopped"]


def test_a_problem_is_led_by_the_overlay_line_holding_the_literal_the_error_names() -> None:
    message = "status must be one of 'completed' (the values this operation accepts), got 'stopped'"
    assert overlay_probe._names_a_literal(
        'return await self._client._execute(self._update("stopped"), timeout)', message
    )
    assert not overlay_probe._names_a_literal("body = gen.UpdateCallStreamRequest(status=validate_choice(s))", message)
    assert not overlay_probe._names_a_literal('x = f"stopped {y}"', message)  # an f-string is not a literal


def test_typed_arguments_get_values_from_their_annotations() -> None:
    from typing import Literal
    from uuid import UUID

    assert overlay_probe.choices("call_sid", str | UUID) == overlay_probe.Choices([spec_samples.SAMPLE_UUID], False)
    assert overlay_probe.choices("track", Literal["a", "b"] | None) == overlay_probe.Choices(["a", "b"], True)
    assert overlay_probe.choices("url", str).values[0].startswith("wss://")
    assert overlay_probe.choices("status_callback", str | None).values[0].startswith("https://")
    found = [
        overlay_probe.Parameter("status", overlay_probe.Choices(["stopped", "completed"], True), True),
        overlay_probe.Parameter("name", overlay_probe.Choices(["n"], False), False),
    ]
    assert overlay_probe.variants(found) == [
        {"status": "stopped"},
        {"status": "stopped", "name": "n"},
        {"status": "completed", "name": "n"},
    ]


def test_the_lines_using_a_wire_name_leave_out_derived_modules_and_other_protocols() -> None:
    uses = overlay_fit.static_uses()
    assert any(place.startswith("overlay/signalwire_compat/testing/_rules.py:") for place in uses["uri"])
    assert any(place.startswith("overlay/signalwire_compat/_cli/_common.py:") for place in uses["uri"])
    everywhere = [place for places in uses.values() for place in places]
    assert not [p for p in everywhere if re.search(r"/(cxml|media|webhooks|_sync)/|_results\.py|_literals\.py", p)]
