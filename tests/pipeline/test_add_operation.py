"""scripts/pipeline/add_operation.py writes a published operation as a page in the house style, which the merge
accepts as it is; scripts/pipeline/update_upstream.py replaces the published spec and its provenance row in one step."""

from __future__ import annotations

import datetime
import hashlib
import shutil
from pathlib import Path

import pytest

from scripts.pipeline import add_operation, update_upstream
from scripts.pipeline.merge_specs import load_yaml, merge_specs
from tests.helpers import ROOT, UPSTREAM_SPEC


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "openapi"
    # Without a page for retrieve_conference, even in a checkout where `make add-operation` has added one.
    shutil.copytree(ROOT / "openapi", folder, ignore=shutil.ignore_patterns("generator", "retrieve-conference.yaml"))
    return folder


@pytest.mark.slow  # reads the 13,000-line published spec
def test_a_published_operation_becomes_a_page_the_merge_accepts(spec_dir: Path) -> None:
    page_path = add_operation.add_operation("retrieve_conference", spec_dir=spec_dir, upstream_path=UPSTREAM_SPEC)
    assert page_path.name == "retrieve-conference.yaml"
    page = load_yaml(page_path.read_text(encoding="utf-8"))
    house = load_yaml((spec_dir / "create-stream.yaml").read_text(encoding="utf-8"))
    assert (page["info"], page["servers"]) == (house["info"], house["servers"])  # not the published server variable
    ((route, item),) = page["paths"].items()
    assert route == "/Accounts/{AccountSid}/Conferences/{Sid}"
    operation = item["get"]
    assert (operation["operationId"], operation["tags"]) == ("retrieve-conference", ["subpackage_conferences"])
    assert [(p["name"], p["in"]) for p in operation["parameters"]] == [
        ("AccountSid", "path"),
        ("Sid", "path"),
        ("Authorization", "header"),
    ]
    assert operation["parameters"][1]["schema"] == {"type": "string", "format": "uuid"}  # written in place
    schemas = page["components"]["schemas"]
    # shared with the pages: their copy verbatim (the published one has format: int32 and unevaluatedProperties)
    assert schemas["CompatibilityErrorResponse"] == house["components"]["schemas"]["CompatibilityErrorResponse"]
    assert {"ConferenceResponse", "ConferenceStatus", "ConferenceSubresourceUris"} <= set(schemas)
    assert "uuid" not in schemas
    merged, _dropped, warnings = merge_specs(sorted(spec_dir.glob("*.yaml")))
    assert route in merged["paths"]
    assert warnings == []


def test_an_operation_a_page_has_or_the_published_spec_lacks_is_refused(spec_dir: Path) -> None:
    with pytest.raises(
        add_operation.AddOperationError, match=r"create_stream is already in openapi/create-stream\.yaml"
    ):
        add_operation.add_operation("create_stream", spec_dir=spec_dir, upstream_path=UPSTREAM_SPEC)
    with pytest.raises(add_operation.AddOperationError, match="no operation 'launch_rockets'"):
        add_operation.add_operation("launch_rockets", spec_dir=spec_dir, upstream_path=UPSTREAM_SPEC)
    pages = sorted(p.name for p in (ROOT / "openapi").glob("*.yaml") if p.name != "retrieve-conference.yaml")
    assert sorted(p.name for p in spec_dir.glob("*.yaml")) == pages


@pytest.mark.slow  # reads and writes the 13,000-line published spec
def test_update_upstream_replaces_the_file_and_its_provenance_row_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "upstream" / UPSTREAM_SPEC.name
    target.parent.mkdir()
    shutil.copy(UPSTREAM_SPEC, target)
    shutil.copy(UPSTREAM_SPEC.parent / "PROVENANCE.md", target.parent / "PROVENANCE.md")
    document = load_yaml(UPSTREAM_SPEC.read_text(encoding="utf-8"))
    route = next(iter(document["paths"]))
    published = tmp_path / "new.yaml"
    text = UPSTREAM_SPEC.read_text(encoding="utf-8").replace(
        f"  {route}:\n", "  /Accounts/{AccountSid}/Nothing:\n    {}\n  " + route + ":\n", 1
    )
    published.write_text(text, encoding="utf-8")
    sha = update_upstream.update(published, target=target, commit="abcdef12", today=datetime.date(2027, 1, 2))
    assert sha == hashlib.sha256(published.read_bytes()).hexdigest() == hashlib.sha256(target.read_bytes()).hexdigest()
    row = update_upstream.provenance_row((target.parent / "PROVENANCE.md").read_text(), target.name)
    paths = len(document["paths"]) + 1
    assert (row["sha"], row["commit"], row["copied"], row["paths"], row["operations"]) == (
        sha,
        "abcdef12",
        "2027-01-02",
        str(paths),
        "79",
    )
    before = target.read_bytes(), (target.parent / "PROVENANCE.md").read_text()
    (tmp_path / "bad.yaml").write_text("just: text\n")
    with pytest.raises(update_upstream.UpdateError, match=r"not an OpenAPI 3\.1 document"):
        update_upstream.update(tmp_path / "bad.yaml", target=target)
    assert (target.read_bytes(), (target.parent / "PROVENANCE.md").read_text()) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.1.0\npaths: [/a, /b]\n", "paths must be a mapping of URL paths to path items, not a list"),
        ("openapi: 3.1.0\npaths:\n  /a: [get]\n", "path '/a' must be a mapping (a path item), not a list"),
        ("openapi: 3.1.0\npaths: {/a: {get: {}}\n", "not valid YAML"),
        ("openapi: 3.1.0\n\tpaths: {}\n", "not valid YAML"),
        ("- just\n- a list\n", "not an OpenAPI 3.1 document"),
    ],
    ids=["paths list", "path item list", "unclosed flow mapping", "tab indent", "a list"],
)
def test_update_upstream_refuses_bad_yaml_in_one_error_line_and_changes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    message: str,
) -> None:
    target = tmp_path / "upstream" / UPSTREAM_SPEC.name
    target.parent.mkdir()
    target.write_text("openapi: 3.1.0\npaths: {}\n")  # stands for the published spec: never read here
    shutil.copy(UPSTREAM_SPEC.parent / "PROVENANCE.md", target.parent / "PROVENANCE.md")
    before = {path.name: path.read_bytes() for path in target.parent.iterdir()}
    monkeypatch.setattr(update_upstream, "UPSTREAM", target)
    published = tmp_path / "new.yaml"
    published.write_text(text)
    assert update_upstream.main([str(published)]) != 0
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("update-upstream: error: ") and err.count("\n") == 1, err
    assert message in err
    assert {path.name: path.read_bytes() for path in target.parent.iterdir()} == before
