"""Every Python block of the README and of docs/ runs, against a FakeSpace, and passes mypy --strict.

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
# What the README's blocks take as given, typed for mypy (values come from a FakeSpace when they run).
PRELUDE = 'call_sid: str = ""\nconference_sid: str = ""\nstream_sid: str = ""\n'


# The README (the user guide) and the maintainers' pages it links to.
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks() -> list[str]:
    return [code for document in DOCUMENTS for code in BLOCK.findall(document.read_text(encoding="utf-8"))]


def test_the_readme_has_python_blocks() -> None:
    assert len(blocks()) >= 6


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_of_the_readme_and_docs_reaches_a_heading_or_a_file() -> None:
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        anchors = {_anchor(heading) for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://")):
                continue
            path, _, anchor = target.partition("#")
            if path:
                assert (document.parent / path).exists(), (document.name, target)
            else:
                assert anchor in anchors, (document.name, target)


def test_the_readme_starts_with_a_table_of_contents_and_holds_no_placeholder() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "**Contents**:" in readme[:3000]
    assert "OWNER" not in readme


@pytest.mark.parametrize("number", range(len(blocks())))
def test_readme_block_runs_against_a_fake_space(number: int) -> None:
    code = blocks()[number]
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
            "__name__": f"readme_block_{number}",
            "call_sid": stream.parent_sid,
            "stream_sid": stream.sid,
            "conference_sid": conference.parent_sid,
        }
        output = io.StringIO()
        with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(output):
            exec(compile(code, f"README.md python block {number + 1}", "exec"), names)  # noqa: S102
            # A block written as a pytest module (the FakeSpace example) runs its tests too.
            for name, value in list(names.items()):
                if name.startswith("test_") and callable(value):
                    value()
    assert space.api_token not in output.getvalue()


@pytest.mark.slow  # runs mypy
def test_readme_blocks_pass_mypy_strict(tmp_path: Path) -> None:
    from mypy import api

    files = []
    for number, code in enumerate(blocks(), 1):
        path = tmp_path / f"readme_block_{number}.py"
        path.write_text(PRELUDE + code, encoding="utf-8")
        files.append(str(path))
    stdout, stderr, status = api.run(["--strict", f"--cache-dir={mypy_cache_dir(tmp_path)}", *files])
    assert status == 0, stdout + stderr


def test_makefile_lines_the_readme_cites_are_the_commands_of_the_targets_it_names() -> None:
    # make cites the failing recipe line as [Makefile:N: target]; the README quotes such runs.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    text = "".join(document.read_text(encoding="utf-8") for document in DOCUMENTS)
    cited = re.findall(r"\[Makefile:(\d+): ([\w-]+)\]", text)
    assert cited
    for number, target in cited:
        line = int(number)
        assert makefile[line - 1].startswith("\t"), (number, target, "not a recipe line")
        owner = next(text for text in reversed(makefile[: line - 1]) if text and not text.startswith(("\t", "#")))
        assert owner.split(":")[0] == target, (number, target, owner)
