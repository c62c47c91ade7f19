"""Replace SignalWire's published spec in openapi/upstream/, refresh its PROVENANCE.md row, and say what changed.

    python scripts/update_upstream.py NEW.yaml [--commit 1a2b3c4d] [--date 2026-12-04]
    make update-upstream FILE=NEW.yaml [COMMIT=1a2b3c4d]

The file is copied byte for byte; its row in ``openapi/upstream/PROVENANCE.md`` gets the new sha256,
path and operation counts, the copy date (``--date``, default today) and (if given) the source
commit. The tests read the expected sha256 and operation count from that row
(``tests/pipeline/test_fixtures.py``, ``tests/pipeline/test_upstream_spec.py``), so nothing else is
edited by hand. A file that is not an OpenAPI 3.1 document is refused and nothing changes.

Then it prints what changed between the old and the new published spec, by the rules of
``scripts/spec_diff.py`` (breaking first, each model change with the operations using it), and
marks each change that touches an operation one of the pages in ``openapi/`` holds. If any does,
it fails with one line per page to update: a page that no longer matches the published operation
it was taken from would regenerate the old API.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from merge_specs import HTTP_METHODS, load_yaml

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = ROOT / "openapi" / "upstream" / "compatibility-openapi.yaml"
SPEC_DIR = ROOT / "openapi"
# The pages rebuilt from SignalWire's documentation pages (not from the published spec) are named there.
SEEDS_NOTE = ROOT / "tests" / "fixtures" / "PROVENANCE.md"
ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` \| (?P<source>.*?), commit `(?P<commit>[0-9a-f]+)` \((?P<published>[^)]*)\); "
    r"(?P<paths>\d+) paths, (?P<operations>\d+) operations \| (?P<copied>[0-9-]+) \| `(?P<sha>[0-9a-f]{64})` \|$",
    re.M,
)
SHOWN_OPERATIONS = 4  # a model change lists this many of the operations using it, then how many more


class UpdateError(Exception):
    pass


def provenance_row(note: str, name: str) -> re.Match[str]:
    for match in ROW.finditer(note):
        if match["file"] == name:
            return match
    raise UpdateError(f"PROVENANCE.md has no row for `{name}` in the expected shape")


def _document(text: str) -> dict[str, Any]:
    """An OpenAPI 3.1 document; ``UpdateError`` for anything that is not one."""
    try:
        document = load_yaml(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raise UpdateError(f"the new file is not valid YAML: {exc}") from None
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        raise UpdateError("the new file is not an OpenAPI 3.1 document")
    paths = document.get("paths") or {}
    if not isinstance(paths, dict):
        raise UpdateError(f"the new file's paths must be a mapping of URL paths to path items, not a {_kind(paths)}")
    for route, item in paths.items():
        if not isinstance(item, dict):
            raise UpdateError(f"the new file's path {route!r} must be a mapping (a path item), not a {_kind(item)}")
    return document


def counts(text: str) -> tuple[int, int]:
    """(paths, operations) of an OpenAPI document; ``UpdateError`` for anything that is not one."""
    paths = _document(text).get("paths") or {}
    operations = sum(1 for item in paths.values() for method in HTTP_METHODS if isinstance(item.get(method), dict))
    return len(paths), operations


def _kind(value: object) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def update(
    source: Path, *, target: Path = UPSTREAM, commit: str | None = None, today: datetime.date | None = None
) -> str:
    """Copy ``source`` over ``target`` and refresh its provenance row; returns the new sha256."""
    data = source.read_bytes()
    paths, operations = counts(data.decode("utf-8"))
    note_path = target.parent / "PROVENANCE.md"
    note = note_path.read_text(encoding="utf-8")
    row = provenance_row(note, target.name)
    if commit is not None and not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        raise UpdateError(f"--commit must be a hex commit id, not {commit!r}")
    sha = hashlib.sha256(data).hexdigest()
    copied = (today or datetime.date.today()).isoformat()
    new_row = (
        f"| `{target.name}` | {row['source']}, commit `{commit or row['commit']}` ({row['published']}); "
        f"{paths} paths, {operations} operations | {copied} | `{sha}` |"
    )
    target.write_bytes(data)
    note_path.write_text(note[: row.start()] + new_row + note[row.end() :], encoding="utf-8")
    return sha


def page_operations(spec_dir: Path = SPEC_DIR) -> dict[tuple[str, str], Path]:
    """(route, method) -> the page in ``spec_dir`` that holds that operation."""
    found: dict[tuple[str, str], Path] = {}
    for path in sorted(spec_dir.glob("*.yaml")):
        page = load_yaml(path.read_text(encoding="utf-8"))
        for route, item in ((page or {}).get("paths") or {}).items():
            for method in HTTP_METHODS:
                if isinstance(item, Mapping) and isinstance(item.get(method), Mapping):
                    found[(route, method)] = path
    return found


def changes_report(
    old: Mapping[str, Any], new: Mapping[str, Any], pages: Mapping[tuple[str, str], Path], heading: str
) -> tuple[list[str], dict[Path, list[str]]]:
    """The report's lines (a heading, then each change, breaking first, marked with the pages it touches) and,
    per page touched, the operations of it that changed."""
    import spec_diff
    from parameter_names import module_name

    def name(key: tuple[str, str]) -> str:
        for document in (new, old):
            operation = ((document.get("paths") or {}).get(key[0]) or {}).get(key[1])
            if isinstance(operation, Mapping):
                return module_name(key[0], key[1], operation)
        return f"{key[1].upper()} {key[0]}"

    changes = spec_diff.diff(old, new)
    if not changes:
        return [f"{heading}: none"], {}
    touched: dict[Path, list[str]] = {}
    lines = []
    for change in sorted(changes, key=lambda change: not change.breaking):
        line = change.line()
        names = sorted({name(key) for key in change.operations})
        if change.where.startswith("model ") and names:
            more = len(names) - SHOWN_OPERATIONS
            line += f" (used by {', '.join(names[:SHOWN_OPERATIONS])}{f' and {more} more' if more > 0 else ''})"
        hit = sorted({pages[key] for key in change.operations if key in pages})
        for key in sorted(change.operations):
            if key in pages:
                held = touched.setdefault(pages[key], [])
                held += [name(key)] if name(key) not in held else []
        if hit:
            line += f" [openapi: {', '.join(page.name for page in hit)}]"
        lines.append(line)
    breaking = sum(change.breaking for change in changes)
    return [f"{heading}: {breaking} breaking, {len(changes) - breaking} compatible", *lines], touched


def _seed_pages() -> set[str]:
    note = SEEDS_NOTE.read_text(encoding="utf-8") if SEEDS_NOTE.is_file() else ""
    return set(re.findall(r"`openapi/([\w.-]+\.yaml)`", note))


def page_instructions(touched: Mapping[Path, list[str]]) -> list[str]:
    seeds = _seed_pages()
    lines = []
    for page, names in sorted(touched.items()):
        operations = ", ".join(names)
        if page.name in seeds:
            how = "rebuild it from SignalWire's page (tests/fixtures/PROVENANCE.md), then make generate"
        else:
            how = f"delete it and run make add-operation OP={names[0] if names else '...'} (written from the new spec)"
        lines.append(f"  {page.relative_to(ROOT) if page.is_relative_to(ROOT) else page} ({operations}): {how}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("file", type=Path, help="the newly published compatibility-openapi.yaml")
    parser.add_argument("--commit", help="the signalwire/docs commit the file was taken from")
    parser.add_argument("--date", type=datetime.date.fromisoformat, help="the copy date (default: today)")
    args = parser.parse_args(argv)
    try:
        old_text = UPSTREAM.read_text(encoding="utf-8")
        old, new = _document(old_text), _document(args.file.read_text(encoding="utf-8"))
        note = (UPSTREAM.parent / "PROVENANCE.md").read_text(encoding="utf-8")
        commit = provenance_row(note, UPSTREAM.name)["commit"]
        heading = f"API changes from the published spec of commit {commit} to {args.file}"
        sha = update(args.file, target=UPSTREAM, commit=args.commit, today=args.date)
    except (UpdateError, OSError, UnicodeDecodeError) as exc:
        print("update-upstream: error: " + " ".join(str(exc).split()), file=sys.stderr)  # one line: YAML's span several
        return 1
    print(f"update-upstream: {UPSTREAM.relative_to(ROOT)} replaced (sha256 {sha}); PROVENANCE.md updated")
    lines, touched = changes_report(old, new, page_operations(), heading)
    print("\n".join(lines))
    if touched:
        print(
            "These pages no longer match the published operations they were taken from; update each:", file=sys.stderr
        )
        print("\n".join(page_instructions(touched)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
