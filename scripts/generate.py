"""Regenerate generated/ from openapi/*.yaml, or check that it is up to date.

    python scripts/generate.py                 # merge, generate, replace generated/
    python scripts/generate.py --check         # regenerate into a temp dir, fail naming stale files
    python scripts/generate.py --specs a.yaml b.yaml --output-dir /tmp/x   # any specs, anywhere

Both print what the new merged spec changes in the API surface against the one in the output
dir (scripts/spec_diff.py; `--check` only when stale). Generating also writes that report to
build/spec-changes.txt (--changes-file); `--check` never does, so the report of the last
`make generate` survives `make check`. Both run the overlay against the client the specs give
(scripts/overlay_fit.py) and print where it no longer fits; `--check` fails then. Merge warnings
(documentation and order differences) go to stderr.

The tree is built in a temporary directory and only swapped into place once every step has
succeeded, so a failed merge or generation leaves the committed generated/ untouched.
Output is byte-for-byte deterministic: pinned generator and ruff (checked here against
pyproject.toml), explicit ruff settings (openapi/generator/ruff.toml), no caches written.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import hashlib
import importlib.metadata
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import overlay_fit
import parameter_names
import spec_diff
from merge_specs import MergeError, dump_spec, load_yaml, merge_specs, validate_spec

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "openapi"
GENERATOR_DIR = SPEC_DIR / "generator"
GENERATOR_CONFIG = GENERATOR_DIR / "config.yaml"
RUFF_CONFIG = GENERATOR_DIR / "ruff.toml"
DEFAULT_OUTPUT = ROOT / "generated"
# The API change report of the last `make generate` (scripts/spec_diff.py); build/ is not committed.
DEFAULT_CHANGES_FILE = ROOT / "build" / "spec-changes.txt"
PACKAGE = "signalwire_compat_generated"
MERGED_SPEC = "openapi.merged.yaml"
PINNED_TOOLS = ("openapi-python-client", "ruff")
IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache"})

PROVENANCE_TEMPLATE = '''"""Where this package came from. Written by scripts/generate.py; do not edit."""

GENERATOR = "openapi-python-client"
GENERATOR_VERSION = "{generator_version}"
SPEC_SHA256 = "{spec_sha256}"
SPEC_FILE = "{merged_spec}"
'''


class GenerationError(Exception):
    pass


def pinned_versions() -> dict[str, str]:
    """The exact versions pyproject.toml pins for the generator and ruff."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins: dict[str, str] = {}
    for requirement in project["project"]["optional-dependencies"]["dev"]:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;]+)\s*", requirement)
        if match and match.group(1).lower() in PINNED_TOOLS:
            pins[match.group(1).lower()] = match.group(2)
    missing = [tool for tool in PINNED_TOOLS if tool not in pins]
    if missing:
        raise GenerationError(f"pyproject.toml must pin {', '.join(missing)} with == in the dev extra")
    return pins


def check_tool_versions() -> str:
    """Refuse to generate with unpinned tools; return the generator version."""
    pins = pinned_versions()
    for tool, wanted in pins.items():
        try:
            installed = importlib.metadata.version(tool)
        except importlib.metadata.PackageNotFoundError:
            installed = "nothing"
        if installed != wanted:
            raise GenerationError(
                f"{tool} {installed} is installed but pyproject.toml pins {wanted}: run `make install`"
            )
    return pins["openapi-python-client"]


def spec_files(spec_dir: Path = SPEC_DIR) -> list[Path]:
    files = sorted(spec_dir.glob("*.yaml"))
    if not files:
        raise GenerationError(f"no *.yaml spec files in {spec_dir}")
    return files


def _run(command: Sequence[str], *, cwd: Path, what: str) -> None:
    # The tools must not pick up user config or write caches into the tree.
    env = {**os.environ, "RUFF_NO_CACHE": "true", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise GenerationError(f"{what} failed (exit {result.returncode}):\n{output}")


def run_generator(arguments: list[str]) -> None:
    """``openapi-python-client ARGUMENTS`` through its own command-line entry point, in this process.

    The same command as in a shell (its option parsing, error report and exit status), without a
    second interpreter importing the generator again (a third of a generation's time).
    """
    from openapi_python_client.cli import app

    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            status = app(args=arguments, prog_name="openapi-python-client", standalone_mode=False)
    except Exception as exc:  # whatever the generator raises fails this generation, with its output
        failure = f"{type(exc).__name__}: {exc}"
        raise GenerationError(f"openapi-python-client failed ({failure}):\n{output.getvalue().strip()}") from exc
    if status:  # click returns the status of a typer.Exit instead of exiting
        raise GenerationError(f"openapi-python-client failed (exit {status}):\n{output.getvalue().strip()}")


def print_warning(message: str) -> None:
    print(f"generate: warning: {message}", file=sys.stderr)


def print_note(message: str) -> None:
    print(f"generate: {message}")


def _ignore(message: str) -> None:
    pass


def build_tree(
    specs: Sequence[Path],
    destination: Path,
    *,
    strict: bool = True,
    warn: Callable[[str], None] = print_warning,
    inform: Callable[[str], None] = _ignore,
) -> Path:
    """Merge ``specs`` and generate the package into ``destination`` (which must not exist).

    Documentation differences the merge resolved (first file's text kept) go to ``warn``, one each;
    what the pipeline did besides (renamed query parameters) goes to ``inform``.
    """
    generator_version = check_tool_versions()
    merged, _dropped, warnings = merge_specs(specs)
    for warning in warnings:
        warn(warning)
    validate_spec(merged, origin="merged spec")
    text = dump_spec(merged)
    try:
        generator_input, renames = parameter_names.plan(merged)
    except parameter_names.ParameterNameError as exc:
        raise GenerationError(str(exc)) from exc
    if renames:
        inform(parameter_names.summary(renames))
    destination.mkdir(parents=True)
    merged_path = destination / MERGED_SPEC
    merged_path.write_text(text, encoding="utf-8")

    package_dir = destination / PACKAGE
    with tempfile.TemporaryDirectory(prefix="signalwire-compat-input-") as scratch:
        # The generator reads the merged spec itself unless parameters were renamed for it
        # (scripts/parameter_names.py); that variant is never part of the tree.
        spec_path = merged_path
        if renames:
            spec_path = Path(scratch) / MERGED_SPEC
            spec_path.write_text(dump_spec(generator_input), encoding="utf-8")
        arguments = ["generate", "--path", str(spec_path), "--config", str(GENERATOR_CONFIG), "--meta", "none"]
        arguments += ["--output-path", str(package_dir)]
        if strict:
            arguments.append("--fail-on-warning")
        run_generator(arguments)
    if not package_dir.is_dir():
        raise GenerationError(f"openapi-python-client wrote nothing to {package_dir}")
    restore_wire_names(package_dir, renames)

    (package_dir / "py.typed").write_text("", encoding="utf-8")
    (package_dir / "_provenance.py").write_text(
        PROVENANCE_TEMPLATE.format(
            generator_version=generator_version,
            spec_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            merged_spec=MERGED_SPEC,
        ),
        encoding="utf-8",
    )
    ruff = [sys.executable, "-m", "ruff"]
    _run([*ruff, "check", "--config", str(RUFF_CONFIG), "--fix", "--quiet", "."], cwd=destination, what="ruff check")
    _run([*ruff, "format", "--config", str(RUFF_CONFIG), "--quiet", "."], cwd=destination, what="ruff format")
    return destination


def restore_wire_names(package_dir: Path, renames: list[parameter_names.Rename]) -> None:
    """Give renamed query parameters their wire names back in their operations' modules (see parameter_names)."""
    by_module: dict[str, list[parameter_names.Rename]] = {}
    for rename in renames:
        by_module.setdefault(rename.module, []).append(rename)
    for module, module_renames in sorted(by_module.items()):
        found = sorted((package_dir / "api").glob(f"*/{module}.py"))
        if len(found) != 1:
            raise GenerationError(
                f"expected one generated module {module}.py under {package_dir / 'api'}, found {found}"
            )
        source = found[0].read_text(encoding="utf-8")
        try:
            restored = parameter_names.restore(source, module_renames)
        except parameter_names.ParameterNameError as exc:
            raise GenerationError(str(exc)) from exc
        found[0].write_text(restored, encoding="utf-8")


def tree_files(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not IGNORED_PARTS.intersection(relative.parts) and path.suffix != ".pyc":
            files[relative.as_posix()] = path.read_bytes()
    return files


def compare_trees(expected: Path, actual: Path, *, label: str) -> list[str]:
    """Human-readable lines describing how ``actual`` differs from ``expected``; empty if identical."""
    want, have = tree_files(expected), tree_files(actual)
    lines: list[str] = []
    for name in sorted(want.keys() | have.keys()):
        if name not in have:
            lines.append(f"  missing:  {label}/{name}")
        elif name not in want:
            lines.append(f"  extra:    {label}/{name}")
        elif want[name] != have[name]:
            lines.append(f"  changed:  {label}/{name}")
            diff = difflib.unified_diff(
                have[name].decode("utf-8", "replace").splitlines(),
                want[name].decode("utf-8", "replace").splitlines(),
                f"{label}/{name} (committed)",
                f"{label}/{name} (from the specs)",
                lineterm="",
                n=1,
            )
            excerpt = list(diff)
            lines.extend(f"      {line}" for line in excerpt[:12])
            if len(excerpt) > 12:
                lines.append(f"      ... {len(excerpt) - 12} more diff lines")
    return lines


def generate(
    specs: Sequence[Path], output_dir: Path, *, strict: bool = True, inform: Callable[[str], None] = _ignore
) -> float:
    """Replace ``output_dir`` with a fresh tree; returns seconds taken. Untouched on any failure."""
    started = time.perf_counter()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".generate-", dir=output_dir.parent) as scratch:
        fresh = build_tree(specs, Path(scratch) / "tree", strict=strict, inform=inform)
        retired = Path(scratch) / "retired"
        if output_dir.exists():
            output_dir.rename(retired)
        fresh.rename(output_dir)
    return time.perf_counter() - started


def relative_to_cwd(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def check(specs: Sequence[Path], output_dir: Path) -> list[str]:
    """The drift check's problems alone: how ``output_dir`` differs from what ``specs`` produce."""
    return full_check(specs, output_dir, fit=False)[0]


def full_check(
    specs: Sequence[Path], output_dir: Path, *, fit: bool = True
) -> tuple[list[str], dict[str, Any], overlay_fit.Fit | None]:
    """The drift check's problems, the merged spec ``specs`` produce, and (``fit``, when ``output_dir`` is not
    stale) how the overlay fits the client they produce (scripts/overlay_fit.py). A stale tree fails anyway,
    and ``make generate`` runs the overlay against the new client itself."""
    with tempfile.TemporaryDirectory(prefix="signalwire-compat-drift-") as scratch:
        fresh = build_tree(specs, Path(scratch) / "tree")
        problems = compare_trees(fresh, output_dir, label=display_path(output_dir))
        found = overlay_fit.check(fresh / PACKAGE) if fit and not problems else None
        return problems, read_spec(fresh / MERGED_SPEC), found


def read_spec(path: Path) -> dict[str, Any]:
    document = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise GenerationError(f"{path} is not a YAML mapping")
    return document


def overlay_uses(old: dict[str, Any] | None, new: dict[str, Any], output_dir: Path) -> dict[str, list[str]]:
    """The overlay lines using each wire name and enum value, for the change report from ``old`` to ``new``:
    found by reading the overlay, and, when a change is breaking, by running the overlay's typed calls
    against the client in ``output_dir`` (the one the change is from: what they sent before it)."""
    uses = overlay_fit.static_uses()
    package = output_dir / PACKAGE
    breaking = old is not None and any(change.breaking for change in spec_diff.diff(old, new))
    if not breaking or not (package / "__init__.py").is_file():
        return uses
    try:
        return overlay_fit.merged_uses(overlay_fit.check(package, uses_only=True).uses, uses)
    except overlay_fit.OverlayFitError as exc:
        print_warning(f"which overlay lines use what changed is not known: {exc}")
        return uses


def change_report(
    old: dict[str, Any] | None,
    new: dict[str, Any],
    output_dir: Path,
    changes_file: Path | None,
    coverage: Sequence[str] = (),
    uses: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """The API change report (scripts/spec_diff.py) from the merged spec in ``output_dir`` to ``new``, each
    change naming the overlay lines in ``uses`` that use what changed, then the ``coverage`` lines; also
    written to ``changes_file`` unless None."""
    lines = spec_diff.report(
        old,
        new,
        old_label=f"{display_path(output_dir)}/{MERGED_SPEC}",
        new_label="the merged openapi/*.yaml",
        uses=uses,
    )
    lines += coverage
    if changes_file is not None:
        changes_file.parent.mkdir(parents=True, exist_ok=True)
        changes_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def print_fit_problems(problems: Sequence[str], *, stream: Any = sys.stderr) -> None:
    print("The overlay no longer fits the generated client (fix these overlay files):", file=stream)
    print("\n".join(f"  {problem}" for problem in problems), file=stream)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the output dir differs from the specs")
    parser.add_argument("--specs", nargs="+", type=Path, help="spec files (default: openapi/*.yaml)")
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--changes-file",
        type=Path,
        default=DEFAULT_CHANGES_FILE,
        help="where to write the API change report (default: build/spec-changes.txt)",
    )
    parser.add_argument(
        "--allow-warnings", action="store_true", help="do not fail on generator warnings (large foreign specs)"
    )
    args = parser.parse_args(argv)
    # Relative to the working directory where possible, so messages read "openapi/x.yaml".
    specs = [relative_to_cwd(path) for path in (args.specs or spec_files())]
    output_dir = args.output_dir.resolve()
    previous = output_dir / MERGED_SPEC
    try:
        old = read_spec(previous) if previous.is_file() else None
        if args.check:
            problems, new, found = full_check(specs, output_dir)
            if found is not None and found.problems:
                print_fit_problems(found.problems)
            if problems:
                label = display_path(output_dir)
                print(
                    f"{label} is stale: {sum(1 for p in problems if not p.startswith('      '))} files differ "
                    "from what openapi/*.yaml produces:",
                    file=sys.stderr,
                )
                print("\n".join(problems), file=sys.stderr)
                report = change_report(old, new, output_dir, None, (), overlay_uses(old, new, output_dir))
                print("\n".join(report), file=sys.stderr)
                print("Run `make generate` and commit the result.", file=sys.stderr)
                return 1
            if found is not None and found.problems:
                print(f"{display_path(output_dir)} matches the specs, but the overlay does not fit it", file=sys.stderr)
                return 1
            print(
                f"{display_path(output_dir)} matches the {len(specs)} spec files; the overlay ran against it and "
                "fits it (typed calls, invoke and FakeSpace held to the spec)"
            )
            return 0
        # The overlay lines using what changes are read off the client being replaced, so before it is.
        uses = overlay_uses(old, merge_specs(specs).document, output_dir)
        seconds = generate(specs, output_dir, strict=not args.allow_warnings, inform=print_note)
        package = output_dir / PACKAGE
        fit = overlay_fit.check(package)
        new = read_spec(output_dir / MERGED_SPEC)
        report = change_report(old, new, output_dir, args.changes_file, overlay_fit.coverage_report(fit), uses)
    except (MergeError, GenerationError, overlay_fit.OverlayFitError) as exc:
        print(f"generate: error: {exc}", file=sys.stderr)
        print(f"{display_path(output_dir)} was left untouched.", file=sys.stderr)
        return 1
    files = tree_files(output_dir)
    size = sum(len(content) for content in files.values())
    shown = display_path(output_dir)
    print(f"generate: wrote {shown}/ from {len(specs)} spec files in {seconds:.2f} s: {len(files)} files, {size} bytes")
    print("\n".join(report))
    print(f"(also written to {display_path(args.changes_file.resolve())})")
    if fit.problems:
        # The tree is what the specs say; the overlay is what must change. `make check` fails until it does.
        print_fit_problems(fit.problems)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
