"""Does the handwritten overlay still fit a generated client? Proved by running it: ``make check``.

    python -m scripts.pipeline.overlay_fit [GENERATED_PACKAGE_DIR]    # default: generated/signalwire_compat_generated

``make check`` runs it (``scripts/pipeline/generate.py --check``) on the client the specs produce. The
overlay is copied to a scratch folder, its derived modules (``_literals.py``, ``_results.py``,
``_invoke_types.py``) are derived again from that client as ``make generate`` would, and
``scripts/pipeline/overlay_probe.py`` runs the copy against the client in a second interpreter with both
first on ``sys.path`` (so an installed or editable copy of another checkout is never what runs).
The probe calls every typed call and ``invoke`` for every operation, holds each request to the
merged spec, feeds the results answers made from the spec, and does the same with FakeSpace (its
docstring says how). Each problem names the overlay line to change, and the lines it went through:

    overlay/signalwire_compat/_async/_resources.py:129 (stop): client.calls(call_sid).streams(stream).stop():
      ValueError: status must be one of 'completed' (the values this operation accepts), got 'stopped'
        via overlay/signalwire_compat/_async/_resources.py:205 (_update), overlay/signalwire_compat/_builders.py:72 ...

Nothing is declared by hand for it: no table of fields, operations or result classes to keep in step.
The run also says what no typed call sends (``coverage``: operations, query parameters and request
fields, all callable through ``client.invoke``) and which overlay lines send each wire name and
enum value (``uses``, for the change report of ``scripts/pipeline/spec_diff.py``).
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from scripts.pipeline import derive_overlay, overlay_probe
from scripts.pipeline.derive_overlay import shown_path
from scripts.pipeline.merge_specs import load_yaml

ROOT = Path(__file__).resolve().parents[2]
OVERLAY = ROOT / "overlay" / "signalwire_compat"
GENERATED = ROOT / "generated" / "signalwire_compat_generated"
# Run with `python -m` from ROOT: this checkout's scripts package, whatever the caller's folder or path.
PROBE = overlay_probe.__name__
MERGED_SPEC = "openapi.merged.yaml"
DERIVED = frozenset({"_literals.py", "_results.py", "_invoke_types.py"})
# The overlay's packages for other protocols (cXML documents, the media WebSocket, webhook forms): the
# REST API's wire names appear there by coincidence, so the change report does not name them.
OTHER_PROTOCOLS = frozenset({"cxml", "media", "webhooks"})
PROBE_TIMEOUT = 120  # seconds; the probe takes about one


class OverlayFitError(Exception):
    pass


class Fit(NamedTuple):
    problems: list[str]  # one line each (a second, indented line lists the overlay lines gone through)
    coverage: list[str]  # what no typed call sends: "operation X", "request field 'Y' of Z (x)", ...
    uses: dict[str, list[str]]  # wire name or "<enum class>=<value>" -> the overlay lines that send it
    fake_answers: list[str]  # the operations FakeSpace answered


def check(package_dir: Path = GENERATED, overlay_dir: Path = OVERLAY, *, uses_only: bool = False) -> Fit:
    """How the overlay in ``overlay_dir`` fits the client in ``package_dir`` (beside its merged spec).
    ``uses_only``: run the typed calls only, for ``uses`` (the problems and coverage are then partial)."""
    tree = package_dir.resolve().parent
    spec = tree / MERGED_SPEC
    if not spec.is_file():
        raise OverlayFitError(
            f"{shown_path(spec)} is missing: the probe holds the overlay to the merged spec beside the client"
        )
    with tempfile.TemporaryDirectory(prefix="signalwire-compat-fit-") as scratch:
        copy = Path(scratch) / "overlay" / overlay_dir.name
        shutil.copytree(overlay_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        try:
            derive_overlay.write(generated=tree, overlay=copy)
        except derive_overlay.DeriveError as exc:
            return Fit([f"{shown_path(overlay_dir)}: its derived modules cannot follow this client: {exc}"], [], {}, [])
        names = Path(scratch) / "names.json"
        names.write_text(json.dumps(overlay_probe.spec_names(load_yaml(spec.read_text(encoding="utf-8")))), "utf-8")
        command = [sys.executable, "-m", PROBE, "--overlay", str(copy.parent), "--generated", str(tree)]
        command += ["--spec", str(spec), "--names", str(names)] + (["--uses-only"] if uses_only else [])
        try:
            result = subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise OverlayFitError(f"the overlay probe did not finish within {PROBE_TIMEOUT} s") from exc
        if result.returncode != 0 or not result.stdout.strip():
            raise OverlayFitError(
                f"the overlay probe failed (exit {result.returncode}):\n{result.stderr.strip()[-3000:]}"
            )
        found = json.loads(result.stdout.strip().splitlines()[-1])
    shown = shown_path(overlay_dir)

    def place(where: str) -> str:
        if not where:
            return ""
        relative = where.split("/", 1)[1] if "/" in where else where
        file = relative.split(":", 1)[0]
        derived = " (derived: run `make generate`)" if file in DERIVED else ""
        if file.startswith("_sync/"):  # derived from _async/ by scripts/pipeline/unasync.py: the same code, other lines
            derived = f" (derived: edit _async/{file.removeprefix('_sync/')})"
        return f"{shown}/{relative}{derived}"

    problems = []
    for problem in found["problems"]:
        line = f"{place(problem['where'])}: {problem['what']}" if problem["where"] else problem["what"]
        calls = problem["calls"]
        if calls:
            line += f"\n      in {calls[0]}" + (f" (and {len(calls) - 1} more)" if len(calls) > 1 else "")
        if problem["via"]:
            line += "\n      via " + ", ".join(place(where) for where in problem["via"])
        problems.append(line)
    uses = {key: [place(where) for where in places] for key, places in found["uses"].items()}
    return Fit(problems, found["coverage"], uses, found["fake_answers"])


def coverage_report(fit: Fit) -> list[str]:
    """The coverage as report lines: a heading and the items, or nothing when every part is wrapped."""
    if not fit.coverage:
        return []
    heading = f"Not exposed by a typed wrapper ({len(fit.coverage)}; callable through client.invoke, wrap next):"
    return [heading, *(f"  {item}" for item in fit.coverage)]


def _key_constants(tree: ast.AST) -> list[tuple[str, int]]:
    """String constants used as keys or compared: ``d["uri"]``, ``{"uri": ...}``, ``.get("Url")``, ``x == "Status"``."""
    found: list[tuple[str, int]] = []

    def add(node: ast.AST | None) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.value, node.lineno))
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            for element in node.elts:
                add(element)

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            add(node.slice)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                add(key)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            if node.func.attr in ("get", "pop", "setdefault"):
                add(node.args[0])
        elif isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                add(operand)
    return found


def static_uses(overlay_dir: Path = OVERLAY) -> dict[str, list[str]]:
    """Wire name -> the overlay lines (outside the derived modules and the other protocols' packages) that use
    it as a key or compare with it: FakeSpace's documents and form fields, the CLI's output, ..."""
    uses: dict[str, list[str]] = {}
    for path in sorted(overlay_dir.rglob("*.py")):
        parts = path.relative_to(overlay_dir).parts
        if parts[0] in OTHER_PROTOCOLS or "_sync" in parts or path.name in DERIVED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for value, line in _key_constants(tree):
            place = f"{shown_path(path)}:{line}"
            if place not in uses.setdefault(value, []):
                uses[value].append(place)
    return uses


def merged_uses(*sources: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for source in sources:
        for key, places in source.items():
            merged.setdefault(key, [])
            merged[key] += [place for place in places if place not in merged[key]]
    return merged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("package_dir", nargs="?", type=Path, default=GENERATED)
    args = parser.parse_args(argv)
    try:
        fit = check(args.package_dir)
    except OverlayFitError as exc:
        print(f"overlay_fit: error: {exc}", file=sys.stderr)
        return 1
    report = coverage_report(fit)
    print("\n".join(report) if report else "Every generated operation, parameter and request field has a typed call.")
    if fit.problems:
        print(f"The overlay no longer fits {shown_path(args.package_dir)}:", file=sys.stderr)
        print("\n".join(f"  {problem}" for problem in fit.problems), file=sys.stderr)
        return 1
    print(f"The overlay fits {shown_path(args.package_dir)}: it ran against it and kept to its spec.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
