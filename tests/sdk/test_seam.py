"""Only the seam imports generated code, and what it takes from there still exists."""

from __future__ import annotations

import ast
import inspect

from signalwire_compat import _generated as gen
from tests.helpers import ROOT

OVERLAY = ROOT / "overlay" / "signalwire_compat"


def imported_modules(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_only_the_seam_imports_the_generated_package() -> None:
    importers = sorted(
        path.name
        for path in OVERLAY.rglob("*.py")
        if any(name.startswith("signalwire_compat_generated") for name in imported_modules(path.read_text()))
    )
    assert importers == ["_generated.py"]


def test_the_overlay_never_assigns_into_generated_code() -> None:
    # No monkeypatching: nothing in the overlay sets attributes on generated modules or classes.
    for path in OVERLAY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                        assert target.value.id not in {"gen", "generated_package"}, path


def test_endpoint_functions_the_overlay_relies_on_keep_their_shape() -> None:
    for module, parent in [(gen.update_stream, "call_sid"), (gen.update_conference_stream, "conference_sid")]:
        parameters = inspect.signature(module._get_kwargs).parameters
        assert list(parameters) == ["account_sid", parent, "sid", "body"]
        assert "client" in inspect.signature(module._parse_response).parameters
    assert [m.value for m in gen.UpdateCallStreamRequestStatus] == ["stopped"]
    assert gen.UpdateCallStreamRequest(status=gen.UpdateCallStreamRequestStatus.STOPPED).to_dict() == {
        "Status": "stopped"
    }


def test_provenance_is_reachable_through_the_seam() -> None:
    assert gen.provenance.GENERATOR_VERSION == "0.29.1"
    assert len(gen.provenance.SPEC_SHA256) == 64
