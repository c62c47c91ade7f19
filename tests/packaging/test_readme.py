"""The README, CONTRIBUTING.md and every page of docs/: each Python block runs, against a FakeSpace, and
passes mypy --strict; each link reaches its file and heading; each page of docs/ is linked from an index.

The blocks use ``call_sid``, ``conference_sid`` and ``stream_sid`` for the reader's own ids and read
the credentials from the environment (``sw.Client()``); here those are a FakeSpace's.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from signalwire_compat.testing import FakeSpace
from tests.helpers import ROOT, mypy_cache_dir

BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
# What the blocks take as given, typed for mypy (values come from a FakeSpace when they run).
PRELUDE = 'call_sid: str = ""\nconference_sid: str = ""\nstream_sid: str = ""\n'
README = ROOT / "README.md"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
# The README (for users), CONTRIBUTING.md (for maintainers) and the pages of docs/ they link to.
DOCUMENTS = [README, CONTRIBUTING, *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 300


def _blocks() -> list[tuple[str, str]]:
    """(where, code) for every Python block, ``where`` naming the document and the block's number in it."""
    found = []
    for document in DOCUMENTS:
        codes = BLOCK.findall(document.read_text(encoding="utf-8"))
        found += [
            (f"{document.relative_to(ROOT).as_posix()} python block {n}", code) for n, code in enumerate(codes, 1)
        ]
    return found


BLOCKS = _blocks()


def test_the_documents_have_python_blocks() -> None:
    assert len(BLOCKS) >= 6
    assert BLOCK.findall(README.read_text(encoding="utf-8"))


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _headings(document: Path) -> set[str]:
    text = BLOCK.sub("", document.read_text(encoding="utf-8"))  # a "# comment" in a block is no heading
    return {_anchor(heading) for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}


def _links(document: Path) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", document.read_text(encoding="utf-8"))


def test_every_link_reaches_a_file_and_its_heading() -> None:
    for document in DOCUMENTS:
        for target in _links(document):
            if target.startswith(("http://", "https://")):
                continue
            path, _, anchor = target.partition("#")
            linked = (document.parent / path).resolve() if path else document
            assert linked.exists(), (document.name, target)
            if anchor:
                assert anchor in _headings(linked), (document.name, target, "no such heading")


def test_every_page_of_docs_is_linked_from_the_readme_or_contributing() -> None:
    # A new feature's page (docs/<feature>.md) goes in the README's user guide; a maintainer's page
    # in CONTRIBUTING.md. Either way a reader can reach it.
    linked = {
        (index.parent / target.partition("#")[0]).resolve()
        for index in (README, CONTRIBUTING)
        for target in _links(index)
        if not target.startswith(("http://", "https://"))
    }
    orphans = [page.name for page in sorted((ROOT / "docs").glob("*.md")) if page.resolve() not in linked]
    assert orphans == [], f"link these from the README's user guide or from CONTRIBUTING.md: {orphans}"


def test_the_readme_is_for_users_short_with_a_table_of_contents_and_no_placeholder() -> None:
    readme = README.read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= README_MAX_LINES, "move the detail to a page of docs/"
    assert "**Contents**:" in readme[:3000]
    assert "OWNER" not in readme
    # Maintainer material lives in CONTRIBUTING.md: the README names no make target but the demo.
    assert set(re.findall(r"`make ([a-z-]+)", readme)) <= {"demo"}


@pytest.mark.parametrize(("where", "code"), BLOCKS, ids=[where for where, _ in BLOCKS])
def test_block_runs_against_a_fake_space(where: str, code: str) -> None:
    with FakeSpace() as space:
        stream = space.add_call_stream(name="existing")
        conference = space.add_conference_stream()
        env = {
            "SIGNALWIRE_PROJECT_ID": space.project_id,
            "SIGNALWIRE_API_TOKEN": space.api_token,
            "SIGNALWIRE_SPACE_URL": space.url,
            "SIGNALWIRE_SIGNING_KEY": space.signing_key,
        }
        names: dict[str, Any] = {
            "__name__": re.sub(r"\W", "_", where),
            "call_sid": stream.parent_sid,
            "stream_sid": stream.sid,
            "conference_sid": conference.parent_sid,
        }
        output = io.StringIO()
        with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(output):
            exec(compile(code, where, "exec"), names)  # noqa: S102
            # A block written as a pytest module (the FakeSpace examples) runs its tests too.
            for name, value in list(names.items()):
                if name.startswith("test_") and callable(value):
                    value()
    assert space.api_token not in output.getvalue()


@pytest.mark.slow  # runs mypy
def test_every_block_passes_mypy_strict(tmp_path: Path) -> None:
    from mypy import api

    files = []
    for where, code in BLOCKS:
        # mypy then names the document and the block; its line numbers count the three lines of PRELUDE.
        path = tmp_path / (re.sub(r"\W", "_", where) + ".py")
        path.write_text(PRELUDE + code, encoding="utf-8")
        files.append(str(path))
    stdout, stderr, status = api.run(["--strict", f"--cache-dir={mypy_cache_dir(tmp_path)}", *files])
    assert status == 0, stdout + stderr


def test_makefile_lines_the_documents_cite_are_the_commands_of_the_targets_they_name() -> None:
    # make cites the failing recipe line as [Makefile:N: target]; the docs quote such runs.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    text = "".join(document.read_text(encoding="utf-8") for document in DOCUMENTS)
    cited = re.findall(r"\[Makefile:(\d+): ([\w-]+)\]", text)
    assert cited
    for number, target in cited:
        line = int(number)
        assert makefile[line - 1].startswith("\t"), (number, target, "not a recipe line")
        owner = next(text for text in reversed(makefile[: line - 1]) if text and not text.startswith(("\t", "#")))
        assert owner.split(":")[0] == target, (number, target, owner)
