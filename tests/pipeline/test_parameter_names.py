"""scripts/pipeline/parameter_names.py: comparison query parameters get distinct Python names, wire names kept."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.pipeline.generate import MERGED_SPEC, PACKAGE, GenerationError, build_tree, restore_wire_names
from scripts.pipeline.merge_specs import load_yaml
from scripts.pipeline.parameter_names import ParameterNameError, Rename, generator_name, plan, python_name, restore


@pytest.mark.parametrize(
    ("wire", "expected", "argument"),
    [
        ("EndTime<", "EndTimeBefore", "end_time_before"),
        ("EndTime>", "EndTimeAfter", "end_time_after"),
        ("DateCreated<", "DateCreatedBefore", "date_created_before"),
        ("StartTime>", "StartTimeAfter", "start_time_after"),
    ],
)
def test_comparison_names(wire: str, expected: str, argument: str) -> None:
    assert generator_name(wire) == expected
    assert python_name(expected) == argument


@pytest.mark.parametrize("wire", ["EndTime", "<", ">", "EndTime<=", "EndTime<<", "Page", "DateCreatedAfter"])
def test_other_names_are_left_alone(wire: str) -> None:
    assert generator_name(wire) is None


def query(name: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}


def listing(**extra: Any) -> dict[str, Any]:
    """A spec with one list operation filtering on Since, Since< and Since> (the last by $ref)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/Things": {
                "parameters": [query("Since")],
                "get": {
                    "operationId": "list-things",
                    "parameters": [query("Since<"), {"$ref": "#/components/parameters/SinceAfter"}, query("Kind")],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                },
                **extra,
            }
        },
        "components": {"parameters": {"SinceAfter": query("Since>")}},
    }


def test_plan_renames_for_the_generator_and_leaves_the_input_alone() -> None:
    document = listing()
    before = copy.deepcopy(document)
    generator_input, renames = plan(document)
    assert document == before
    parameters = generator_input["paths"]["/Things"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == ["SinceBefore", "SinceAfter", "Kind"]
    assert generator_input["components"] == before["components"]  # the $ref was replaced by a renamed copy
    assert renames == [
        Rename("get", "/Things", "list_things", "Since<", "SinceBefore", "since_before"),
        Rename("get", "/Things", "list_things", "Since>", "SinceAfter", "since_after"),
    ]


def test_path_level_comparison_parameters_are_renamed_for_every_operation() -> None:
    document = listing()
    item = document["paths"]["/Things"]
    item["parameters"].append(query("Until<"))
    item["post"] = {"operationId": "count-things", "responses": item["get"]["responses"]}
    generator_input, renames = plan(document)
    assert [p["name"] for p in generator_input["paths"]["/Things"]["parameters"]] == ["Since", "UntilBefore"]
    assert {(r.module, r.wire_name) for r in renames if r.wire_name == "Until<"} == {
        ("list_things", "Until<"),
        ("count_things", "Until<"),
    }


def test_a_name_the_operation_already_has_is_refused() -> None:
    document = listing()
    document["paths"]["/Things"]["get"]["parameters"].append(query("SinceBefore"))
    with pytest.raises(ParameterNameError, match=r"GET /Things: cannot give query parameter 'Since<' the name"):
        plan(document)


RENAMES = [
    Rename("get", "/Things", "list_things", "Since<", "SinceBefore", "since_before"),
    Rename("get", "/Things", "list_things", "Since>", "SinceAfter", "since_after"),
]


def test_restore_puts_the_wire_names_back_exactly_once() -> None:
    source = 'params["Since"] = since\nparams["SinceBefore"] = since_before\nparams["SinceAfter"] = since_after\n'
    assert restore(source, RENAMES) == (
        'params["Since"] = since\nparams["Since<"] = since_before\nparams["Since>"] = since_after\n'
    )


@pytest.mark.parametrize("times", [0, 2])
def test_restore_refuses_unless_the_assignment_is_there_once(times: int) -> None:
    source = 'params["SinceBefore"] = since_before\n' * times + 'params["SinceAfter"] = since_after\n'
    with pytest.raises(
        ParameterNameError, match=rf'list_things: expected params\["SinceBefore"\] once .* {times} times'
    ):
        restore(source, RENAMES)


def test_restore_touches_only_the_operations_own_module(tmp_path: Path) -> None:
    (tmp_path / "api" / "things").mkdir(parents=True)
    (tmp_path / "api" / "faxes").mkdir(parents=True)
    mine = tmp_path / "api" / "things" / "list_things.py"
    other = tmp_path / "api" / "faxes" / "list_faxes.py"
    mine.write_text('params["SinceBefore"] = since_before\nparams["SinceAfter"] = since_after\n', "utf-8")
    other.write_text('params["SinceAfter"] = since_after\n', "utf-8")  # a genuine parameter of that name
    restore_wire_names(tmp_path, RENAMES)
    assert mine.read_text("utf-8") == 'params["Since<"] = since_before\nparams["Since>"] = since_after\n'
    assert other.read_text("utf-8") == 'params["SinceAfter"] = since_after\n'
    mine.unlink()
    with pytest.raises(GenerationError, match=r"expected one generated module list_things\.py"):
        restore_wire_names(tmp_path, RENAMES)


@pytest.mark.slow  # runs the generator
def test_generated_operation_takes_distinct_arguments_and_sends_wire_names(tmp_path: Path) -> None:
    spec = tmp_path / "things.yaml"
    spec.write_text(yaml.safe_dump(listing()), encoding="utf-8")
    notes: list[str] = []
    tree = build_tree([spec], tmp_path / "tree", inform=notes.append)  # strict: a collision would fail it
    source = (tree / PACKAGE / "api" / "default" / "list_things.py").read_text(encoding="utf-8")
    assert 'params["Since"] = since\n' in source
    assert 'params["Since<"] = since_before\n' in source
    assert 'params["Since>"] = since_after\n' in source
    assert "SinceBefore" not in source and "SinceAfter" not in source
    assert notes == [
        "2 comparison query parameters in 1 operations get distinct Python names "
        "(Since< -> since_before, Since> -> since_after); wire names kept"
    ]
    # The committed merged spec keeps the real names; the renamed variant is not in the tree.
    merged = load_yaml((tree / MERGED_SPEC).read_text(encoding="utf-8"))
    assert [p["name"] for p in merged["paths"]["/Things"]["get"]["parameters"][:1]] == ["Since<"]
    assert sorted(p.name for p in tree.iterdir()) == [MERGED_SPEC, PACKAGE]
