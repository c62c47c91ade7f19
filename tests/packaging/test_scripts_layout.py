"""scripts/ is one package run from the repository root (``python -m scripts.pipeline.generate``): nothing
puts scripts/ itself on the path, and nothing imports its modules by bare name (``import merge_specs``),
which works only with scripts/ (or a folder under it) on the path."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from tests.helpers import ROOT

SCRIPTS = ROOT / "scripts"


def _bare_names() -> set[str]:
    """Every name a module or package under scripts/ would be imported by with its own folder on the path."""
    names = set()
    for path in SCRIPTS.rglob("*.py"):
        if "__pycache__" not in path.parts and path.stem not in {"__init__", "__main__"}:
            names.add(path.stem)
    names.update(path.parent.name for path in SCRIPTS.rglob("__init__.py") if path.parent != SCRIPTS)
    return names


BARE = _bare_names()
BARE_PATTERN = "|".join(sorted(BARE))
# What is read for commands and imports: the Makefile's recipes, CI, the settings, every doc and test.
TEXTS = [
    ROOT / "Makefile",
    ROOT / ".ci" / "run",
    ROOT / "pyproject.toml",
    ROOT / "README.md",
    ROOT / "CONTRIBUTING.md",
    *sorted((ROOT / "docs").rglob("*.md")),
]
SOURCES = sorted(path for folder in ("tests", "scripts") for path in (ROOT / folder).rglob("*.py"))
# scripts/ on the path: `PYTHONPATH=scripts ...`, `"PYTHONPATH": str(ROOT / "scripts")`, `...:scripts/:...`.
SCRIPTS_ON_PATH = re.compile(r"PYTHONPATH.*(?<![\w.])scripts\b(?!\.)")
BARE_COMMAND = re.compile(rf"(?<![\w.-])-m\s+({BARE_PATTERN})\b")
BARE_IMPORT = re.compile(rf"^\s*(?:from|import)\s+({BARE_PATTERN})\b", re.MULTILINE)
BARE_WORD = re.compile(rf"\b({BARE_PATTERN})\b")


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _top_level_imports(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    if not BARE_WORD.search(text):  # it names none of them: it cannot import one (and need not be parsed)
        return set()
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_bare_names_are_read_from_the_folders() -> None:
    assert {"merge_specs", "overlay_probe", "bench", "pipeline", "demo", "vendor", "loopback_app"} <= BARE
    assert "scripts" not in BARE and "__main__" not in BARE


def test_no_recipe_setting_doc_or_test_puts_scripts_on_the_path() -> None:
    found = [
        f"{_relative(path)}:{number}: {line.strip()}"
        for path in [*TEXTS, *SOURCES]
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SCRIPTS_ON_PATH.search(line)
    ]
    assert found == [], "run from the repository root instead (python -m scripts.<...>):\n" + "\n".join(found)
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert settings["tool"]["pytest"]["ini_options"]["pythonpath"] == ["."]
    assert "scripts" not in settings["tool"]["ruff"]["src"]


def test_no_test_or_script_imports_a_scripts_module_by_bare_name() -> None:
    found = [f"{_relative(path)}: {name}" for path in SOURCES for name in sorted(_top_level_imports(path) & BARE)]
    assert found == [], "import it as scripts.<package>.<module>:\n" + "\n".join(found)


def test_no_recipe_or_doc_runs_or_imports_a_scripts_module_by_bare_name() -> None:
    found = [
        f"{_relative(path)}: {match[0].strip()}"
        for path in TEXTS
        for pattern in (BARE_COMMAND, BARE_IMPORT)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "name it scripts.<package>.<module> (python -m scripts.bench):\n" + "\n".join(found)


def test_every_make_recipe_runs_a_script_as_a_module() -> None:
    recipes = [line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines() if line.startswith("\t")]
    by_path = [line.strip() for line in recipes if re.search(r"python\S*\s+(?:\S*/)?scripts/", line)]
    assert by_path == [], "run it as python -m scripts.<...> from the repository root:\n" + "\n".join(by_path)
    assert any("-m scripts.pipeline.generate --check" in line for line in recipes)
