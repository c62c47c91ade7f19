"""Does the handwritten overlay still fit a generated client? And what of the client does no typed wrapper expose?

    python scripts/overlay_fit.py [GENERATED_PACKAGE_DIR]    # default: generated/signalwire_compat_generated

``make check`` runs it (``scripts/generate.py --check``) on the client the specs produce, so a spec
change that breaks the overlay fails there, naming the overlay file and the wire name, instead of
surfacing as ``TypeError``s and ``APIResponseValidationError``s at run time. It checks:

- every response field ``_models.py`` reads (its ``RESPONSE_FIELDS`` table) exists in the generated
  model, with the type the table states;
- every request field ``_builders.py`` sends (``REQUEST_FIELDS``) exists with the stated type, and
  every field the generated request model requires is among them (the typed wrapper sets it);
- every operation the seam (``_generated.py``) looks up with ``find_operation("...")`` is generated.

Nothing is imported: the overlay's tables are read as literals and the generated models with
``ast`` (the generator is pinned, so its ``to_dict`` shape is known), so the check works on any
tree, next to an installed copy of another one.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "overlay" / "signalwire_compat"
GENERATED = ROOT / "generated" / "signalwire_compat_generated"
MODELS_FILE, BUILDERS_FILE, SEAM_FILE = "_models.py", "_builders.py", "_generated.py"


class OverlayFitError(Exception):
    pass


class Field(NamedTuple):
    attribute: str
    annotation: str
    required: bool


class Model(NamedTuple):
    name: str
    path: Path
    fields: dict[str, Field]  # wire name -> field


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _wire_names(to_dict: ast.FunctionDef) -> dict[str, str]:
    """Wire name -> attribute, from ``field_dict.update({"Wire": attr})`` and ``field_dict["Wire"] = attr``."""
    found: dict[str, str] = {}
    for node in ast.walk(to_dict):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and node.args
            and isinstance(node.args[0], ast.Dict)
        ):
            for key, value in zip(node.args[0].keys, node.args[0].values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.Name):
                    found[key.value] = value.id
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Name)
                and target.value.id == "field_dict"
                and isinstance(target.slice, ast.Constant)
                and isinstance(target.slice.value, str)
                and isinstance(node.value, ast.Name)
            ):
                found[target.slice.value] = node.value.id
    return found


def generated_models(package_dir: Path) -> dict[str, Model]:
    """Every generated model class with a ``to_dict``: its fields by wire name."""
    models: dict[str, Model] = {}
    for path in sorted((package_dir / "models").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            attributes: dict[str, Field] = {}
            to_dict: ast.FunctionDef | None = None
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    name = item.target.id
                    attributes[name] = Field(name, ast.unparse(item.annotation), item.value is None)
                elif isinstance(item, ast.FunctionDef) and item.name == "to_dict":
                    to_dict = item
            if to_dict is not None:
                wire = _wire_names(to_dict)
                fields = {w: attributes[a] for w, a in wire.items() if a in attributes}
                models[node.name] = Model(node.name, path, fields)
    return models


def generated_operations(package_dir: Path) -> set[str]:
    """Operation names (endpoint module names) of a generated client."""
    return {path.stem for path in (package_dir / "api").glob("*/*.py") if path.name != "__init__.py"}


def _literal(path: Path, name: str) -> Any:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        target: ast.expr
        value: ast.expr | None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == name and value is not None:
            return ast.literal_eval(value)
    raise OverlayFitError(f"{_display(path)} has no literal {name} table")


def _table(path: Path, name: str) -> dict[str, dict[str, str]]:
    value = _literal(path, name)
    if not isinstance(value, dict) or not all(
        isinstance(fields, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())
        for fields in value.values()
    ):
        raise OverlayFitError(f"{_display(path)}: {name} must map model names to {{wire name: type}}")
    return value


def seam_operations(overlay_dir: Path) -> list[str]:
    """Operations the seam looks up by name: ``find_operation("update_stream")``."""
    tree = ast.parse((overlay_dir / SEAM_FILE).read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "find_operation"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def _type_parts(annotation: str) -> frozenset[str]:
    return frozenset(part.strip() for part in annotation.split("|"))


def _check_fields(
    table: Mapping[str, Mapping[str, str]], models: Mapping[str, Model], source: Path, side: str
) -> list[str]:
    """Problems of one overlay table; ``side`` is ``request`` (the overlay sends) or ``response`` (it reads)."""
    where, verb = _display(source), ("sends" if side == "request" else "reads")
    problems: list[str] = []
    for model_name, wanted in table.items():
        model = models.get(model_name)
        if model is None:
            problems.append(f"{where}: model {model_name} is not generated (the overlay {verb} its fields)")
            continue
        for wire, annotation in wanted.items():
            field = model.fields.get(wire)
            expected = _type_parts(annotation)
            generated = _type_parts(field.annotation) if field else frozenset()
            if field is None:
                problems.append(
                    f"{where}: {side} field '{wire}' of {model_name} is not in the generated model "
                    f"({_display(model.path)}); the overlay {verb} it"
                )
            elif side == "request" and field.required and expected == generated | {"Unset"}:
                problems.append(
                    f"{where}: request field '{wire}' ({field.attribute}) of {model_name} is now required; "
                    "the typed wrapper may leave it unset"
                )
            elif generated != expected:
                problems.append(
                    f"{where}: {side} field '{wire}' of {model_name} is {field.annotation} in the generated model "
                    f"({_display(model.path)}); the overlay expects {annotation}"
                )
        if side == "request":
            for wire, field in model.fields.items():
                if field.required and wire not in wanted:
                    problems.append(
                        f"{where}: required request field '{wire}' ({field.attribute}) of {model_name} "
                        "is not set by the typed wrapper"
                    )
    return problems


def check(package_dir: Path = GENERATED, overlay_dir: Path = OVERLAY) -> list[str]:
    """One line per way the overlay no longer fits the generated client in ``package_dir``; empty if it fits."""
    models = generated_models(package_dir)
    problems = _check_fields(
        _table(overlay_dir / MODELS_FILE, "RESPONSE_FIELDS"), models, overlay_dir / MODELS_FILE, "response"
    )
    problems += _check_fields(
        _table(overlay_dir / BUILDERS_FILE, "REQUEST_FIELDS"), models, overlay_dir / BUILDERS_FILE, "request"
    )
    operations = generated_operations(package_dir)
    for name in seam_operations(overlay_dir):
        if name not in operations:
            problems.append(f"{_display(overlay_dir / SEAM_FILE)}: operation '{name}' is not generated")
    return problems


def coverage(package_dir: Path = GENERATED, overlay_dir: Path = OVERLAY) -> list[str]:
    """What the generated client has and no typed wrapper exposes (reachable through ``client.invoke``)."""
    models = generated_models(package_dir)
    sent = _table(overlay_dir / BUILDERS_FILE, "REQUEST_FIELDS")
    pattern = re.compile(str(_literal(overlay_dir / BUILDERS_FILE, "EXPOSED_BY_PATTERN")))
    wrapped = set(seam_operations(overlay_dir))
    lines = [f"operation {name}" for name in sorted(generated_operations(package_dir) - wrapped)]
    for model_name, wanted in sorted(sent.items()):
        model = models.get(model_name)
        for wire, field in (model.fields if model else {}).items():
            if wire not in wanted and not pattern.fullmatch(wire):
                lines.append(f"request field '{wire}' of {model_name} ({field.attribute}: {field.annotation})")
    return lines


def coverage_report(package_dir: Path = GENERATED, overlay_dir: Path = OVERLAY) -> list[str]:
    """The coverage as report lines: a heading and the items, or nothing when every part is wrapped."""
    items = coverage(package_dir, overlay_dir)
    if not items:
        return []
    heading = f"Not exposed by a typed wrapper ({len(items)}; callable through client.invoke, wrap next):"
    return [heading, *(f"  {item}" for item in items)]


def overlay_uses(overlay_dir: Path = OVERLAY) -> dict[str, list[str]]:
    """Wire name -> the overlay files that quote it as a string literal (the derived ``_sync/`` left out)."""
    uses: dict[str, list[str]] = {}
    for path in sorted(overlay_dir.rglob("*.py")):
        if "_sync" in path.relative_to(overlay_dir).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = {
            node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        for name in names:
            uses.setdefault(name, []).append(_display(path))
    return uses


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package_dir", nargs="?", type=Path, default=GENERATED)
    args = parser.parse_args(argv)
    try:
        problems = check(args.package_dir)
        report = coverage_report(args.package_dir)
    except OverlayFitError as exc:
        print(f"overlay_fit: error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(report) if report else "Every generated operation and request field has a typed wrapper.")
    if problems:
        print(f"The overlay no longer fits {_display(args.package_dir)}:", file=sys.stderr)
        print("\n".join(f"  {problem}" for problem in problems), file=sys.stderr)
        return 1
    print(f"The overlay fits {_display(args.package_dir)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
