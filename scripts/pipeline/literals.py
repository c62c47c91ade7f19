"""Write the spec's enumerations as ``Literal`` types: ``generated/openapi.merged.yaml`` → overlay ``_literals.py``.

The typed arguments (``track=``, ``status_callback_method=``, ``stream_codec=``, ``status=``) are
annotated with these, so mypy refuses ``track="both"``; a regeneration that changes an enum changes
them here too. ``--check`` writes nothing and fails when the committed module differs from what the
merged spec gives (``make drift`` runs it); ``make generate`` rewrites it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from scripts.pipeline.merge_specs import load_yaml

ROOT = Path(__file__).resolve().parents[2]
MERGED_SPEC = ROOT / "generated" / "openapi.merged.yaml"
TARGET = ROOT / "overlay" / "signalwire_compat" / "_literals.py"
HEADER = '''# Written by make generate (scripts/pipeline/literals.py) from generated/openapi.merged.yaml: never edit.
"""The spec's enumerations as ``Literal`` types, one per schema, for the SDK's typed arguments."""

from typing import Literal
'''


def _enums(name: str, schema: Any) -> Iterator[tuple[str, list[str]]]:
    """``(schema name, values)`` of every string enum a component schema is (its properties are their own schemas)."""
    if isinstance(schema, Mapping) and isinstance(schema.get("enum"), list):
        values = schema["enum"]
        if all(isinstance(value, str) for value in values):
            yield name, values


def literals(spec: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every string enum of ``spec``'s component schemas, by the name of its generated class, in the spec's
    order of values: a component that is one, and one written inline as an object's property, which the
    generator names after the object and the property (``CreateCallRequest.Method``: ``CreateCallRequestMethod``)."""
    from scripts.pipeline.merge_specs import class_name

    found: dict[str, list[str]] = {}
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        found.update(_enums(name, schema))
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        if isinstance(properties, Mapping):
            title = schema.get("title")
            owner = class_name(title if isinstance(title, str) and title else name)
            for wire, field in properties.items():
                found.update(_enums(class_name(owner + class_name(str(wire))), field))
    return dict(sorted(found.items()))


def module_text(spec: Mapping[str, Any]) -> str:
    """The source of ``_literals.py`` for ``spec``."""
    found = literals(spec)
    lines = [HEADER, "__all__ = [", *(f'    "{name}",' for name in found), "]", ""]
    for name, values in found.items():
        lines.append(f"{name} = Literal[{', '.join(json.dumps(value) for value in values)}]")
    return "\n".join(lines) + "\n"


def expected(spec_path: Path = MERGED_SPEC) -> str:
    return module_text(load_yaml(spec_path.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed module differs; write nothing")
    args = parser.parse_args(argv)
    text = expected()
    if args.check:
        if not TARGET.is_file() or TARGET.read_text(encoding="utf-8") != text:
            print(
                f"literals: {TARGET.relative_to(ROOT)} differs from the merged spec's enums (run `make generate`)",
                file=sys.stderr,
            )
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
