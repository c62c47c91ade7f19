"""Third-party inputs kept in the repository are exactly the files their provenance notes describe."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, ROOT, UPSTREAM_SPEC


def _upstream_sha256() -> str:
    # make update-upstream replaces the published spec and rewrites its PROVENANCE.md row in one step;
    # the test holds the file to that row.
    from update_upstream import provenance_row

    return provenance_row((UPSTREAM_SPEC.parent / "PROVENANCE.md").read_text(encoding="utf-8"), UPSTREAM_SPEC.name)[
        "sha"
    ]


# The seeds' values are in the PROVENANCE.md beside them too; change both together.
EXPECTED_SHA256 = {
    FIXTURES / "000_22a779c5f9a1713b.txt": "56f4912d376fa49a8a51d02c326a1ab28f48addcd237c906e42d7d8ef899139b",
    FIXTURES / "002_5f62eac68109851c.txt": "78705ad59b3dd6c308e4373eea92dcc747c5a20aa4573efbe5b333b12d812c89",
    UPSTREAM_SPEC: _upstream_sha256(),
}


@pytest.mark.parametrize("path", sorted(EXPECTED_SHA256), ids=lambda p: str(p.relative_to(ROOT)))
def test_file_has_the_recorded_sha256(path: Path) -> None:
    assert hashlib.sha256(path.read_bytes()).hexdigest() == EXPECTED_SHA256[path]


@pytest.mark.parametrize("path", sorted(EXPECTED_SHA256), ids=lambda p: str(p.relative_to(ROOT)))
def test_provenance_note_names_the_file_and_its_sha256(path: Path) -> None:
    note = (path.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"`{path.name}`" in note
    assert f"`{EXPECTED_SHA256[path]}`" in note


def test_upstream_spec_is_outside_what_generate_merges() -> None:
    from generate import spec_files

    merged = spec_files()
    assert UPSTREAM_SPEC not in merged
    assert all(path.parent == ROOT / "openapi" for path in merged)


def test_the_provenance_notes_name_files_that_exist() -> None:
    import re

    for note in (UPSTREAM_SPEC.parent / "PROVENANCE.md", FIXTURES / "PROVENANCE.md"):
        named = re.findall(r"`((?:tests|scripts|openapi)/[\w/.-]+)`", note.read_text(encoding="utf-8"))
        assert named, note
        assert [path for path in named if not (ROOT / path).exists()] == [], note


def test_update_upstream_takes_every_option_its_usage_shows(capsys: pytest.CaptureFixture[str]) -> None:
    import re

    import update_upstream

    with pytest.raises(SystemExit):
        update_upstream.main(["--help"])
    shown = set(re.findall(r"(--[a-z-]+)", update_upstream.__doc__ or ""))
    assert shown == {"--commit", "--date"}
    usage = capsys.readouterr().out
    assert [option for option in shown if option not in usage] == []
