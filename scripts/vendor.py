"""Copy the SDK into another project so it imports as ``<host package>.<dest>.signalwire_compat``.

    python3 scripts/vendor.py DEST [--force] [--unchecked]   # e.g. ../other/host_pkg/_vendor   (make vendor DEST=...)
    python3 scripts/vendor.py --record-check                  # make check, when it passes

Standard library only: it runs with any Python 3.11+, no virtualenv or install needed. Copies
overlay/signalwire_compat and generated/signalwire_compat_generated side by side into DEST
(creating DEST/__init__.py if needed), with the repository's LICENSE in each. Both packages import
themselves relatively; the one absolute import between them lives in the seam
(signalwire_compat/_generated.py), which is rewritten to a relative one. No sys.path edits.

DEST/signalwire_compat/VENDORED.txt records the commit, the version, the merged spec's sha256, the
runtime dependency ranges (from pyproject.toml: the host installs them; aiohttp only for
``AsyncClient``) and the sha256 of every file copied. Re-vendoring into the same DEST replaces the
copy, but refuses, naming the files, when a file there differs from what VENDORED.txt recorded
(a local edit would be lost silently otherwise); ``--force`` replaces it anyway.

Only a tree ``make check`` passed is vendored: when it passes, ``make check`` records a digest of
what vendoring copies and what it was generated from (overlay/signalwire_compat, generated/,
openapi/*.yaml) in build/checked.txt; a tree that differs from it (edited since, or never checked,
or red: drift, an overlay that no longer fits) is refused, naming the command to run, unless
``--unchecked`` (make vendor ... UNCHECKED=1).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "overlay" / "signalwire_compat"
GENERATED = ROOT / "generated" / "signalwire_compat_generated"
SEAM = "_generated.py"
GENERATED_NAME = "signalwire_compat_generated"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")
RECORD = "VENDORED.txt"
CHECKED = ROOT / "build" / "checked.txt"  # written by `make check` when it passes (--record-check)
LICENSE = ROOT / "LICENSE"
# Only AsyncClient needs these; a sync-only host can leave them out.
ASYNC_ONLY = frozenset({"aiohttp"})


class VendorError(Exception):
    pass


def relative_seam(source: str) -> str:
    """Rewrite the seam's absolute imports of the generated package into sibling-relative ones."""
    rewritten = re.sub(
        rf"^import {GENERATED_NAME} as (\w+)$", rf"from .. import {GENERATED_NAME} as \1", source, flags=re.M
    )
    rewritten = re.sub(rf"^from {GENERATED_NAME}(\.|\s)", rf"from ..{GENERATED_NAME}\1", rewritten, flags=re.M)
    leftover = [line for line in rewritten.splitlines() if re.match(rf"\s*(import|from) {GENERATED_NAME}\b", line)]
    if leftover:
        raise VendorError(f"the seam has an import this script cannot rewrite: {leftover[0].strip()}")
    return rewritten


def runtime_dependencies() -> list[str]:
    """The runtime requirements pyproject.toml declares, as written there (``httpx>=0.27,<1``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [str(requirement) for requirement in project["dependencies"]]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement)[0].lower()


def host_type_stubs() -> list[str]:
    """The stub packages a ``mypy --strict`` host needs besides the runtime dependencies: the dev extra's
    ``types-X`` for each runtime dependency X that ships no types of its own (pyproject.toml pins them)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(requirement) for requirement in project["dependencies"]}
    stubs = [_name(requirement) for requirement in project["optional-dependencies"]["dev"]]
    return [stub for stub in stubs if stub.startswith("types-") and stub.removeprefix("types-") in runtime]


# What the media session's optional parts import (its resampler: the audio extra; its adapters: the servers they
# serve), each only when used. A host whose mypy --strict reads the copy needs them installed (or ignored).
OPTIONAL_IMPORTS = ("numpy", "soxr", "starlette", "websockets")


def source_commit() -> str:
    """The checkout's commit, marked when files differ from it; ``unknown`` outside a git checkout."""
    git = shutil.which("git")
    try:
        if git is None:
            raise FileNotFoundError("git")
        head = subprocess.run(
            [git, "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
        dirty = subprocess.run(
            [git, "-C", str(ROOT), "status", "--porcelain", "--", "overlay", "generated", "LICENSE"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{head} (with uncommitted changes)" if dirty else head


def file_hashes(destination: Path, packages: Sequence[str]) -> dict[str, str]:
    """``package/relative/path`` -> sha256 of every file of ``packages`` under ``destination`` but the record."""
    hashes: dict[str, str] = {}
    for package in packages:
        root = destination / package
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(destination).as_posix()
            if path.is_file() and relative != f"{OVERLAY.name}/{RECORD}" and "__pycache__" not in path.parts:
                hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def recorded_hashes(record: str) -> dict[str, str]:
    return dict(
        (match["path"], match["sha"])
        for match in re.finditer(r"^  (?P<sha>[0-9a-f]{64})  (?P<path>\S.*)$", record, re.M)
    )


def local_edits(destination: Path) -> list[str]:
    """Files of a previous copy in ``destination`` that differ from its VENDORED.txt (added, changed, removed)."""
    packages = [OVERLAY.name, GENERATED.name]
    if not any((destination / package).exists() for package in packages):
        return []
    record = destination / OVERLAY.name / RECORD
    if not record.is_file():
        return [f"{OVERLAY.name}/{RECORD} is missing, so local edits cannot be told apart"]
    recorded = recorded_hashes(record.read_text(encoding="utf-8"))
    present = file_hashes(destination, packages)
    edits = [
        f"{name} (changed)" for name in sorted(present.keys() & recorded.keys()) if present[name] != recorded[name]
    ]
    edits += [f"{name} (added)" for name in sorted(present.keys() - recorded.keys())]
    edits += [f"{name} (removed)" for name in sorted(recorded.keys() - present.keys())]
    return edits


def _record_text(destination: Path, packages: Sequence[str]) -> str:
    provenance = (GENERATED / "_provenance.py").read_text(encoding="utf-8")
    sha = re.search(r'SPEC_SHA256 = "([0-9a-f]{64})"', provenance)
    version = re.search(r'__version__ = "([^"]+)"', (OVERLAY / "_version.py").read_text(encoding="utf-8"))
    dependencies = [
        f"  {requirement}" + ("   (only AsyncClient needs it)" if _name(requirement) in ASYNC_ONLY else "")
        for requirement in runtime_dependencies()
    ]
    files = [f"  {digest}  {name}" for name, digest in file_hashes(destination, packages).items()]
    return "\n".join(
        [
            f"signalwire-compat {version.group(1) if version else '?'} vendored by scripts/vendor.py",
            f"commit: {source_commit()}",
            f"generated client spec sha256: {sha.group(1) if sha else '?'}",
            f"runtime dependencies (the host installs them; mypy --strict hosts also {', '.join(host_type_stubs())},",
            f"and {', '.join(OPTIONAL_IMPORTS)} for the media session's optional parts, installed or ignored):",
            *dependencies,
            "Do not edit: re-vendor from the signalwire-compat repository (make vendor DEST=...); a file that",
            "differs from the hashes below is refused without --force.",
            "files (sha256):",
            *files,
            "",
        ]
    )


def inside_own_packages(destination: Path) -> Path | None:
    """The folder of this checkout's packages (overlay/ or generated/) that ``destination`` is or lies
    in, symlinks resolved; None when it is elsewhere. Vendoring there would copy the SDK into itself,
    or replace (delete) the very package it copies."""
    target = destination.resolve()
    for folder in (OVERLAY.parent, GENERATED.parent):
        if target == folder.resolve() or folder.resolve() in target.parents:
            return folder
    return None


def tree_digest(root: Path = ROOT) -> str:
    """sha256 over what vendoring copies and what it was generated from: the overlay, generated/, openapi/*.yaml."""
    digest = hashlib.sha256()
    files = [*(root / "overlay" / OVERLAY.name).rglob("*"), *(root / "generated").rglob("*")]
    files += (root / "openapi").glob("*.yaml")
    for path in sorted(files):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def record_check(root: Path = ROOT, stamp: Path | None = None) -> None:
    """Note that ``make check`` passed on the tree as it is now (in ``stamp``, default ``CHECKED``)."""
    stamp = stamp or CHECKED
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(f"{tree_digest(root)}\nmake check passed on this tree (scripts/vendor.py reads it)\n", "utf-8")


def unchecked(root: Path = ROOT, stamp: Path | None = None) -> str | None:
    """Why the tree is not known to be green (None: ``make check`` passed on it as it is)."""
    stamp = stamp or CHECKED
    if not stamp.is_file():
        return "make check has not passed on this checkout"
    if stamp.read_text(encoding="utf-8").split("\n", 1)[0] != tree_digest(root):
        return "overlay/, generated/ or openapi/ changed since make check last passed"
    return None


def vendor(destination: Path, *, force: bool = False, checked: bool = True) -> list[Path]:
    """Copy both packages into ``destination``; returns the package directories written. ``checked``: refuse
    unless ``make check`` passed on the tree as it is (see the module docstring)."""
    if (own := inside_own_packages(destination)) is not None:
        raise VendorError(
            f"{destination} is inside this checkout's own {own.name}/ folder: vendoring there would copy the SDK "
            "into itself or delete it (--force does not change that). Give a folder of the host project, "
            "e.g. ../host/host_pkg/_vendor"
        )
    if not (OVERLAY / SEAM).is_file() or not (GENERATED / "__init__.py").is_file() or not LICENSE.is_file():
        raise VendorError(f"run from a checkout: {OVERLAY}, {GENERATED} or {LICENSE} is missing")
    reason = unchecked() if checked else None
    if reason is not None:
        raise VendorError(
            f"{reason}: run make check (it must pass), or pass --unchecked (make vendor ... UNCHECKED=1) to vendor "
            "a tree whose generated client or overlay fit is unknown"
        )
    for path in (OVERLAY, GENERATED):
        for module in path.rglob("*.py"):
            if module.name != SEAM and re.search(rf"^\s*(import|from) {GENERATED_NAME}\b", module.read_text(), re.M):
                raise VendorError(f"{module} imports {GENERATED_NAME} absolutely; only the seam may")
    edits = local_edits(destination)
    if edits and not force:
        listed = "; ".join(edits[:10]) + (f"; and {len(edits) - 10} more" if len(edits) > 10 else "")
        raise VendorError(
            f"{destination} holds a vendored copy with local edits that re-vendoring would discard: {listed}. "
            "Move the changes upstream (or into a patch), or pass --force (make vendor ... FORCE=1) to discard them"
        )
    destination.mkdir(parents=True, exist_ok=True)
    init = destination / "__init__.py"
    if not init.exists():
        init.write_text('"""Vendored packages."""\n', encoding="utf-8")
    written = []
    for package in (OVERLAY, GENERATED):
        target = destination / package.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(package, target, ignore=IGNORE)
        shutil.copy2(LICENSE, target / LICENSE.name)
        written.append(target)
    seam = destination / OVERLAY.name / SEAM
    seam.write_text(relative_seam(seam.read_text(encoding="utf-8")), encoding="utf-8")
    record = _record_text(destination, [OVERLAY.name, GENERATED.name])
    (destination / OVERLAY.name / RECORD).write_text(record, encoding="utf-8")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "destination", type=Path, nargs="?", help="the host package's vendor folder, e.g. host_pkg/_vendor"
    )
    parser.add_argument("--force", action="store_true", help="replace a previous copy even if it was edited")
    parser.add_argument("--unchecked", action="store_true", help="vendor even if make check has not passed on it")
    parser.add_argument("--record-check", action="store_true", help="note that make check passed (make check)")
    args = parser.parse_args(argv)
    if args.record_check:
        record_check()
        return 0
    if args.destination is None:
        parser.error("the destination is required")
    try:
        written = vendor(args.destination, force=args.force, checked=not args.unchecked)
    except VendorError as exc:
        print(f"vendor: error: {exc}", file=sys.stderr)
        return 1
    print(f"vendored {', '.join(p.name for p in written)} into {args.destination}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
