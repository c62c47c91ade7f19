"""scripts/pipeline/generate.py: deterministic output, drift detection, untouched output on failure."""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.pipeline.generate import (
    GENERATOR_DIR,
    MERGED_SPEC,
    PACKAGE,
    GenerationError,
    build_tree,
    check,
    compare_trees,
    generate,
    spec_files,
    tree_files,
)
from scripts.pipeline.merge_specs import MergeError, load_yaml
from tests.helpers import ROOT, built_once

pytestmark = pytest.mark.slow  # runs the generator and ruff

GENERATED = ROOT / "generated"


@pytest.fixture(scope="module")
def fresh_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(folder: Path) -> None:
        build_tree(spec_files(), folder)

    return built_once(tmp_path_factory, "generated-tree", build)  # once per run, for every worker


def operation_names() -> list[str]:
    """The snake_case operationIds of openapi/*.yaml: the generated endpoint modules' names."""
    names = []
    for spec in spec_files():
        for item in load_yaml(spec.read_text(encoding="utf-8"))["paths"].values():
            names += [str(operation["operationId"]).replace("-", "_") for operation in item.values()]
    return sorted(names)


def edited_specs(tmp_path: Path) -> list[Path]:
    """Copies of openapi/*.yaml with one description changed in every file that has it, as an upstream
    edit would."""
    copies = []
    for spec in spec_files():
        target = tmp_path / spec.name
        text = spec.read_text(encoding="utf-8")
        target.write_text(text.replace("description: Stream status.", "description: Stream status (edited)."), "utf-8")
        copies.append(target)
    return copies


def test_committed_generated_tree_matches_the_specs(fresh_tree: Path) -> None:
    # What check() does, on the tree the other tests read (test_stale_tree_... runs check() itself).
    assert compare_trees(fresh_tree, GENERATED, label="generated") == []


def test_generation_is_byte_for_byte_deterministic(fresh_tree: Path, tmp_path: Path) -> None:
    second = build_tree(spec_files(), tmp_path / "second")
    assert tree_files(fresh_tree) == tree_files(second)


def test_tree_has_no_litter_and_ships_py_typed(fresh_tree: Path) -> None:
    names = set(tree_files(fresh_tree))
    assert f"{PACKAGE}/py.typed" in names
    assert MERGED_SPEC in names
    assert not [n for n in names if ".ruff_cache" in n or n.endswith(".pyc") or "/." in n]
    assert {Path(n).suffix for n in names} <= {".py", ".typed", ".yaml"}


def test_provenance_records_generator_version_and_merged_spec_sha256(fresh_tree: Path) -> None:
    namespace: dict[str, object] = {}
    exec((fresh_tree / PACKAGE / "_provenance.py").read_text(encoding="utf-8"), namespace)  # noqa: S102
    assert namespace["GENERATOR_VERSION"] == "0.29.1"
    assert namespace["SPEC_SHA256"] == hashlib.sha256((fresh_tree / MERGED_SPEC).read_bytes()).hexdigest()


def test_generated_code_uses_relative_imports_only(fresh_tree: Path) -> None:
    for path in (fresh_tree / PACKAGE).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert not (node.module or "").startswith(PACKAGE), path
            if isinstance(node, ast.Import):
                assert all(not alias.name.startswith(PACKAGE) for alias in node.names), path


def test_generated_operations_take_no_authorization_argument(fresh_tree: Path) -> None:
    endpoints = sorted((fresh_tree / PACKAGE / "api").rglob("*.py"))
    endpoints = [p for p in endpoints if p.name != "__init__.py"]
    assert sorted(p.stem for p in endpoints) == operation_names()
    assert {"create_stream", "update_stream", "create_a_call", "update_a_call"} <= {p.stem for p in endpoints}
    for path in endpoints:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        assert {f.name for f in functions} >= {"_get_kwargs", "sync", "sync_detailed", "asyncio", "asyncio_detailed"}
        for function in functions:
            arguments = [a.arg for a in function.args.args + function.args.kwonlyargs]
            assert "authorization" not in arguments, (path.name, function.name)


def test_stale_tree_is_reported_with_file_names(tmp_path: Path) -> None:
    problems = check(edited_specs(tmp_path), GENERATED)
    assert "  changed:  generated/openapi.merged.yaml" in problems
    assert "  changed:  generated/signalwire_compat_generated/models/stream_status.py" not in problems
    assert any("_provenance.py" in line for line in problems)


def test_the_check_command_fails_naming_stale_files_and_leaves_the_report_to_make_generate(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    shutil.copytree(GENERATED, output)
    (tmp_path / "specs").mkdir()
    specs = [str(p) for p in edited_specs(tmp_path / "specs")]
    changes = tmp_path / "spec-changes.txt"
    script = [sys.executable, "-m", "scripts.pipeline.generate", "--changes-file", str(changes)]
    stale = subprocess.run(
        [*script, "--check", "--specs", *specs, "--output-dir", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert stale.returncode == 1
    assert "is stale" in stale.stderr
    assert "openapi.merged.yaml" in stale.stderr
    assert "Run `make generate`" in stale.stderr
    # The stale check says what the change does to the API (a description only: nothing), and leaves the
    # report file to make generate: the last generation's report survives make check.
    report = (
        f"API changes from {output}/openapi.merged.yaml to the merged openapi/*.yaml: none (the merged spec changed "
        "only in wording)"
    )
    assert report in stale.stderr
    assert not changes.exists()
    # make generate then writing that report, and the check passing, leaving it alone:
    # tests/pipeline/test_spec_changes.py::test_stale_generated_tree_is_caught_by_make_check


def test_failed_generation_leaves_output_untouched(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    shutil.copytree(GENERATED, output)
    before = tree_files(output)
    duplicate = tmp_path / "duplicate.yaml"
    shutil.copy(spec_files()[0], duplicate)
    with pytest.raises(MergeError, match="defined twice"):
        generate([*spec_files(), duplicate], output)
    assert tree_files(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["duplicate.yaml", "generated"]


def test_a_generator_warning_fails_a_strict_generation_quoting_the_generator(tmp_path: Path) -> None:
    # An operation the generator cannot build (an XML body): it warns and leaves the endpoint out.
    spec = load_yaml(spec_files()[0].read_text(encoding="utf-8"))
    ((path, item),) = spec["paths"].items()
    operation = {**item["post"], "operationId": "xml-body"}
    operation["requestBody"] = {"content": {"application/xml": {"schema": {"type": "string"}}}}
    spec["paths"][path + "/Xml"] = {"post": operation}
    source = tmp_path / "xml.yaml"
    source.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    output = tmp_path / "generated"
    shutil.copytree(GENERATED, output)
    before = tree_files(output)
    with pytest.raises(GenerationError) as failure:
        generate([source], output)
    message = str(failure.value)
    assert message.startswith("openapi-python-client failed (exit 1):")
    assert f"WARNING parsing POST {path}/Xml" in message
    assert "Unsupported content type application/xml" in message
    assert tree_files(output) == before
    lenient = build_tree([source], tmp_path / "lenient", strict=False)  # generate.py --allow-warnings
    endpoints = {p.name for p in (lenient / PACKAGE / "api").rglob("*.py")}
    assert "xml_body.py" not in endpoints
    kept = str(item["post"]["operationId"]).replace("-", "_")  # the page's own operation is still generated
    assert {f"{kept}.py", "__init__.py"} <= endpoints


def test_generator_settings_live_in_openapi_generator() -> None:
    assert (GENERATOR_DIR / "config.yaml").is_file()
    assert (GENERATOR_DIR / "ruff.toml").is_file()


@pytest.fixture(scope="module")
def changed_generation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of generate.py (once per test run, shared by the workers) on copies of openapi/*.yaml with two
    changes: to the API, in the two files that carry the call stream's components (a status value added, a
    response field removed), and to the documentation, between two files (a description re-wrapped in one)."""

    def build(folder: Path) -> None:
        output = folder / "generated"
        shutil.copytree(GENERATED, output)
        (folder / "specs").mkdir()
        specs = edited_specs(folder / "specs")
        for name in ("create-stream.yaml", "update-stream.yaml"):
            spec = folder / "specs" / name
            document = load_yaml(spec.read_text(encoding="utf-8"))
            schemas = document["components"]["schemas"]
            schemas["StreamStatus"]["enum"].append("paused")  # compatible: a new value in a response
            del schemas["CallStreamResponse"]["properties"]["uri"]  # breaking: a response field removed
            schemas["CallStreamResponse"]["required"].remove("uri")
            spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        conference = folder / "specs" / "update-conference-stream.yaml"
        text = conference.read_text(encoding="utf-8")
        # The conference spec re-wraps the description of the security scheme both files share.
        conference.write_text(text.replace("Token.\n\n        The client", "Token.\n        The client"), "utf-8")
        changes = folder / "changes.txt"
        script = [sys.executable, "-m", "scripts.pipeline.generate", "--changes-file", str(changes), "--specs"]
        result = subprocess.run(
            [*script, *map(str, specs), "--output-dir", str(output)], capture_output=True, text=True, check=False
        )
        run = {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}
        run |= {"specs": [str(spec) for spec in specs], "output": str(output), "changes": str(changes)}
        (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")

    folder = built_once(tmp_path_factory, "changed-generation", build)
    run: dict[str, Any] = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    return run


def test_documentation_differences_are_merged_and_surfaced_as_warnings(changed_generation: dict[str, Any]) -> None:
    assert changed_generation["returncode"] == 0, changed_generation["stderr"]
    stderr: str = changed_generation["stderr"]
    warnings = [line for line in stderr.splitlines() if line.startswith("generate: warning: ")]
    specs = [Path(spec) for spec in changed_generation["specs"]]
    first = sorted(specs)[0]  # the first file in sorted order keeps its text
    (conference,) = [spec for spec in specs if spec.name == "update-conference-stream.yaml"]
    assert warnings == [
        f"generate: warning: component securitySchemes/SignalWireBasicAuth: description differs between {first} "
        f"and {conference} (whitespace only); keeping {first}'s"
    ]


def test_generate_reports_api_changes_breaking_and_compatible(changed_generation: dict[str, Any]) -> None:
    assert changed_generation["returncode"] == 0, changed_generation["stderr"]
    output = changed_generation["output"]
    heading = f"API changes from {output}/openapi.merged.yaml to the merged openapi/*.yaml: 1 breaking, 1 compatible"
    lines = changed_generation["stdout"].splitlines()
    start = lines.index(heading)
    removed, added = lines[start + 1 : start + 3]
    # The overlay lines that read uri: FakeSpace's document and the CLI's output.
    assert re.fullmatch(
        r"  breaking    model CallStreamResponse: response field 'uri' removed \[overlay: "
        r"overlay/signalwire_compat/_cli/_common\.py:\d+, overlay/signalwire_compat/testing/_call_rules\.py:\d+, "
        r"overlay/signalwire_compat/testing/_rules\.py:\d+\]",  # the call's document has a uri too: named
        removed,
    ), removed
    assert added == "  compatible  model StreamStatus: enum value 'paused' added"
    assert Path(changed_generation["changes"]).read_text(encoding="utf-8").splitlines() == [heading, removed, added]
