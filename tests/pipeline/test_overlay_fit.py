"""scripts/overlay_fit.py: make check fails, naming the overlay file and the wire name, when a spec change
breaks what the overlay reads or sends; wording-only and additive changes pass; the coverage report lists
what no typed wrapper exposes; the change report names the overlay files using a changed wire name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import overlay_fit
import spec_diff
from generate import PACKAGE, build_tree, spec_files
from merge_specs import load_yaml
from tests.helpers import ROOT

GENERATED_PACKAGE = ROOT / "generated" / PACKAGE
OVERLAY = ROOT / "overlay" / "signalwire_compat"

Edit = Callable[[dict[str, Any]], None]


def specs_with(tmp_path: Path, edits: dict[str, Edit]) -> list[Path]:
    """Copies of openapi/*.yaml, each file named in ``edits`` changed by its function."""
    copies = []
    for spec in spec_files():
        target = tmp_path / "specs" / spec.name
        target.parent.mkdir(exist_ok=True)
        if spec.name in edits:
            document = load_yaml(spec.read_text(encoding="utf-8"))
            edits[spec.name](document)
            target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        else:
            target.write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
        copies.append(target)
    return copies


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = document["components"]["schemas"]
    return result


def rename_uri(document: dict[str, Any]) -> None:
    schema = schemas(document)["CallStreamResponse"]
    schema["properties"] = {("stream_uri" if k == "uri" else k): v for k, v in schema["properties"].items()}
    schema["required"] = [("stream_uri" if k == "uri" else k) for k in schema["required"]]


def require_name(document: dict[str, Any]) -> None:
    schemas(document)["CreateCallStreamRequest"]["required"].append("Name")


def retype_date(document: dict[str, Any]) -> None:
    schemas(document)["ConferenceStreamResponse"]["properties"]["date_updated"] = {"type": "integer"}


def add_codec(document: dict[str, Any]) -> None:
    schemas(document)["CreateCallStreamRequest"]["properties"]["Codec"] = {"type": "string"}
    add_response_codec(document)


def add_response_codec(document: dict[str, Any]) -> None:
    schemas(document)["CallStreamResponse"]["properties"]["codec"] = {"type": "string"}


def reword(document: dict[str, Any]) -> None:
    schemas(document)["StreamStatus"]["description"] = "The status of a stream (reworded)."


def both(first: Edit, second: Edit) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        first(document)
        second(document)

    return edit


def tree(tmp_path: Path, edits: dict[str, Edit]) -> Path:
    return build_tree(specs_with(tmp_path, edits), tmp_path / "tree") / PACKAGE


pytest_slow = pytest.mark.slow  # these run the generator


@pytest_slow
def test_breaking_changes_fail_the_check_naming_the_overlay_file_and_wire_name(tmp_path: Path) -> None:
    edits: dict[str, Edit] = {
        "create-stream.yaml": both(rename_uri, require_name),
        "update-stream.yaml": rename_uri,
        "create-conference-stream.yaml": retype_date,
        "update-conference-stream.yaml": retype_date,
    }
    problems = overlay_fit.check(tree(tmp_path, edits))
    assert problems == [
        "overlay/signalwire_compat/_models.py: response field 'uri' of CallStreamResponse is not in the generated "
        f"model ({tmp_path}/tree/{PACKAGE}/models/call_stream_response.py); the overlay reads it",
        "overlay/signalwire_compat/_models.py: response field 'date_updated' of ConferenceStreamResponse is int in the "
        f"generated model ({tmp_path}/tree/{PACKAGE}/models/conference_stream_response.py); the overlay expects str",
        "overlay/signalwire_compat/_builders.py: request field 'Name' (name) of CreateCallStreamRequest is now "
        "required; the typed wrapper may leave it unset",
    ]


@pytest_slow
def test_wording_and_additive_changes_pass_and_the_new_field_shows_in_the_coverage(tmp_path: Path) -> None:
    edits: dict[str, Edit] = {
        "create-stream.yaml": both(add_codec, reword),
        "update-stream.yaml": add_response_codec,
    }
    package = tree(tmp_path, edits)
    assert overlay_fit.check(package) == []
    assert overlay_fit.coverage_report(package) == [
        "Not exposed by a typed wrapper (1; callable through client.invoke, wrap next):",
        "  request field 'Codec' of CreateCallStreamRequest (codec: str | Unset)",
    ]


def test_the_committed_client_fits_and_the_coverage_lists_only_the_operations_without_a_wrapper() -> None:
    assert overlay_fit.check() == []
    unwrapped = sorted(overlay_fit.generated_operations(GENERATED_PACKAGE) - set(overlay_fit.seam_operations(OVERLAY)))
    assert overlay_fit.coverage() == [f"operation {name}" for name in unwrapped]  # no request field left out


def test_a_request_field_the_overlay_sends_but_the_model_lost_is_named(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    for name in ("_models.py", "_generated.py"):
        (overlay / name).write_text((ROOT / "overlay" / "signalwire_compat" / name).read_text())
    builders = (ROOT / "overlay" / "signalwire_compat" / "_builders.py").read_text()
    (overlay / "_builders.py").write_text(
        builders.replace('"AuthorizationBearerToken": "str | Unset",\n    },\n}', '"Codec": "str | Unset",\n    },\n}')
    )
    problems = overlay_fit.check(overlay_dir=overlay)
    assert problems == [
        f"{overlay}/_builders.py: request field 'Codec' of CreateConferenceStreamRequest is not in the generated model "
        "(generated/signalwire_compat_generated/models/create_conference_stream_request.py); the overlay sends it"
    ]


def test_an_operation_the_seam_uses_and_the_client_lacks_is_named(tmp_path: Path) -> None:
    package = tmp_path / PACKAGE
    (package / "api" / "streams").mkdir(parents=True)
    (package / "models").mkdir()
    (package / "api" / "streams" / "update_stream.py").write_text("")
    problems = [p for p in overlay_fit.check(package) if "operation" in p]
    assert problems == [
        f"overlay/signalwire_compat/_generated.py: operation '{name}' is not generated"
        for name in ("create_stream", "create_conference_stream", "update_conference_stream")
    ]


def test_the_change_report_names_the_overlay_files_using_a_changed_wire_name_and_a_possible_rename() -> None:
    old = load_yaml((ROOT / "generated" / "openapi.merged.yaml").read_text())
    new = load_yaml((ROOT / "generated" / "openapi.merged.yaml").read_text())
    rename_uri(new)
    lines = spec_diff.report(old, new, old_label="old", new_label="new", uses=overlay_fit.overlay_uses())
    assert lines[1] == (
        "  breaking    model CallStreamResponse: response field 'uri' removed, possibly renamed to 'stream_uri' "
        "[overlay: overlay/signalwire_compat/_cli/_common.py, overlay/signalwire_compat/_models.py, "
        "overlay/signalwire_compat/testing/_rules.py]"
    )
    assert (
        "  compatible  model CallStreamResponse: required response field 'stream_uri' added (string), possibly "
        "renamed from 'uri'"
    ) in lines


def test_the_request_table_lists_exactly_what_the_typed_wrappers_send() -> None:
    from urllib.parse import parse_qsl

    from signalwire_compat import _builders
    from tests.helpers import CALL, CONFERENCE, PROJECT, STREAM

    settings = _builders.StreamSettings(
        url="wss://example.com/a",
        name="n",
        track="both_tracks",
        status_callback="https://example.com/cb",
        status_callback_method="GET",
        parameters={"A": "1"},
        authorization_bearer_token="secret-token",
    )
    operations: dict[str, Any] = {
        "CreateCallStreamRequest": _builders.create_call_stream(PROJECT, CALL, settings),
        "CreateConferenceStreamRequest": _builders.create_conference_stream(
            PROJECT, CONFERENCE, settings, stream_codec="PCMU", stream_real_time=True
        ),
        "UpdateCallStreamRequest": _builders.update_call_stream(PROJECT, CALL, STREAM, "stopped"),
        "UpdateConferenceStreamRequest": _builders.update_conference_stream(PROJECT, CONFERENCE, STREAM, "stopped"),
    }
    for model, operation in operations.items():
        sent = {name for name, _ in parse_qsl((operation.wire.content or b"").decode())}
        assert sent - {"Parameter1.Name", "Parameter1.Value"} == set(_builders.REQUEST_FIELDS[model]), model
