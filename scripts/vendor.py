"""Copy the SDK into another project so it imports as ``<host package>.<dest>.signalwire_compat``.

    python scripts/vendor.py DEST           # e.g. ../other/host_pkg/_vendor   (make vendor DEST=...)

Copies overlay/signalwire_compat and generated/signalwire_compat_generated side by side into DEST
(creating DEST/__init__.py if needed). Both packages already import themselves relatively; the one
absolute import between them lives in the seam (signalwire_compat/_generated.py), which is
rewritten to a relative one. Nothing else changes, no sys.path edits, no install. The copy's
``signalwire_compat.PROVENANCE`` still names the version and spec sha256 it came from, and
DEST/signalwire_compat/VENDORED.txt says so in plain text. Runtime dependencies (httpx, attrs,
python-dateutil, sniffio) are the host's to install.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "overlay" / "signalwire_compat"
GENERATED = ROOT / "generated" / "signalwire_compat_generated"
SEAM = "_generated.py"
GENERATED_NAME = "signalwire_compat_generated"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")


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


def vendor(destination: Path) -> list[Path]:
    """Copy both packages into ``destination``; returns the package directories written."""
    if not (OVERLAY / SEAM).is_file() or not (GENERATED / "__init__.py").is_file():
        raise VendorError(f"run from a checkout: {OVERLAY} or {GENERATED} is missing")
    for path in (OVERLAY, GENERATED):
        for module in path.rglob("*.py"):
            if module.name != SEAM and re.search(rf"^\s*(import|from) {GENERATED_NAME}\b", module.read_text(), re.M):
                raise VendorError(f"{module} imports {GENERATED_NAME} absolutely; only the seam may")
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
        written.append(target)
    seam = destination / OVERLAY.name / SEAM
    seam.write_text(relative_seam(seam.read_text(encoding="utf-8")), encoding="utf-8")
    provenance = (GENERATED / "_provenance.py").read_text(encoding="utf-8")
    sha = re.search(r'SPEC_SHA256 = "([0-9a-f]{64})"', provenance)
    version = re.search(r'__version__ = "([^"]+)"', (OVERLAY / "_version.py").read_text(encoding="utf-8"))
    (destination / OVERLAY.name / "VENDORED.txt").write_text(
        f"signalwire-compat {version.group(1) if version else '?'} vendored by scripts/vendor.py\n"
        f"generated client spec sha256: {sha.group(1) if sha else '?'}\n"
        "Do not edit: re-vendor from the signalwire-compat repository (make vendor DEST=...).\n",
        encoding="utf-8",
    )
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("destination", type=Path, help="the host package's vendor folder, e.g. host_pkg/_vendor")
    args = parser.parse_args(argv)
    try:
        written = vendor(args.destination)
    except VendorError as exc:
        print(f"vendor: error: {exc}", file=sys.stderr)
        return 1
    print(f"vendored {', '.join(p.name for p in written)} into {args.destination}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
