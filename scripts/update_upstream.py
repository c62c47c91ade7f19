"""Replace SignalWire's published spec in openapi/upstream/ and refresh its PROVENANCE.md row in one step.

    python scripts/update_upstream.py NEW.yaml [--commit 1a2b3c4d] [--date 2026-12-04]
    make update-upstream FILE=NEW.yaml [COMMIT=1a2b3c4d]

The file is copied byte for byte; its row in ``openapi/upstream/PROVENANCE.md`` gets the new sha256,
path and operation counts, the copy date and (if given) the source commit. The tests read the
expected sha256 and operation count from that row (``tests/pipeline/test_fixtures.py``,
``tests/pipeline/test_upstream_spec.py``), so nothing else is edited by hand. A file that is not an
OpenAPI 3.1 document is refused and nothing changes.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from merge_specs import HTTP_METHODS, load_yaml

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = ROOT / "openapi" / "upstream" / "compatibility-openapi.yaml"
ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` \| (?P<source>.*?), commit `(?P<commit>[0-9a-f]+)` \((?P<published>[^)]*)\); "
    r"(?P<paths>\d+) paths, (?P<operations>\d+) operations \| (?P<copied>[0-9-]+) \| `(?P<sha>[0-9a-f]{64})` \|$",
    re.M,
)


class UpdateError(Exception):
    pass


def provenance_row(note: str, name: str) -> re.Match[str]:
    for match in ROW.finditer(note):
        if match["file"] == name:
            return match
    raise UpdateError(f"PROVENANCE.md has no row for `{name}` in the expected shape")


def counts(text: str) -> tuple[int, int]:
    """(paths, operations) of an OpenAPI document; ``UpdateError`` for anything that is not one."""
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="the newly published compatibility-openapi.yaml")
    parser.add_argument("--commit", help="the signalwire/docs commit the file was taken from")
    args = parser.parse_args(argv)
    try:
        sha = update(args.file, target=UPSTREAM, commit=args.commit)
    except (UpdateError, OSError, UnicodeDecodeError) as exc:
        print("update-upstream: error: " + " ".join(str(exc).split()), file=sys.stderr)  # one line: YAML's span several
        return 1
    print(f"update-upstream: {UPSTREAM.relative_to(ROOT)} replaced (sha256 {sha}); PROVENANCE.md updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
