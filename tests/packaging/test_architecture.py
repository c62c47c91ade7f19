"""docs/architecture.md's map of the overlay stays true to the sources: every module in one room, no
module that does not exist, no import up a room (the import graph of tests/sdk/test_layout.py), and
every ``module.name`` the page cites still there."""

from __future__ import annotations

import importlib
import re

from tests.helpers import ROOT
from tests.sdk.test_layout import MODULES, import_graph

PAGE = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\| `([\w/]+\.py)` \|", re.MULTILINE)


def _module_name(path: str) -> str:
    parts = ["signalwire_compat", *path.removesuffix(".py").split("/")]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def rooms() -> list[tuple[str, list[str]]]:
    """The map's rooms, top to bottom: (title, the module names of its rows)."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("\n## How it is built\n", 1)[1].split("\n## ", 1)[0]
    found = []
    for chunk in section.split("\n### ")[1:]:
        title, _, body = chunk.partition("\n")
        modules = [_module_name(path) for path in ROW.findall(body)]
        if modules:
            found.append((title, modules))
    return found


def test_the_map_has_rooms_read_from_the_page() -> None:
    titles = [title for title, _ in rooms()]
    assert "Engines" in titles and "Shared leaves" in titles


def test_every_overlay_module_is_in_the_map_once_and_every_module_in_the_map_exists() -> None:
    named = [module for _, modules in rooms() for module in modules]
    repeated = sorted({module for module in named if named.count(module) > 1})
    assert repeated == [], f"named in more than one row: {repeated}"
    missing = sorted(MODULES.keys() - set(named))
    assert missing == [], f"add a row for each to docs/architecture.md's map, in its room: {missing}"
    gone = sorted(set(named) - MODULES.keys())
    assert gone == [], f"docs/architecture.md names modules that do not exist: {gone}"


def test_no_module_imports_a_module_of_a_room_above_its_own() -> None:
    level = {module: number for number, (_, modules) in enumerate(rooms()) for module in modules}
    upward = sorted(
        f"{module} imports {imported}"
        for module, imports in import_graph().items()
        for imported in imports
        if module in level and imported in level and level[imported] < level[module]
    )
    assert upward == [], "imports that go up a room (move the module, or the import):\n" + "\n".join(upward)


def _resolve(reference: str) -> bool | None:
    """Whether ``_module.name[.attr]`` names something that exists; None if it does not start with a module."""
    first, *rest = reference.split(".")
    if rest == ["py"]:  # a file name, not a name in a module
        return None
    candidates = [name for name in MODULES if name.rsplit(".", 1)[-1] == first]
    top_level = f"signalwire_compat.{first}"
    if top_level in MODULES:
        candidates = [top_level]
    if len(candidates) != 1 or not rest:
        return None
    value: object = importlib.import_module(candidates[0])
    for attribute in rest:
        if not hasattr(value, attribute):
            return False
        value = getattr(value, attribute)
    return True


def test_every_module_dot_name_the_page_cites_exists() -> None:
    references = re.findall(r"`(_\w+(?:\.\w+)+)", PAGE.read_text(encoding="utf-8"))
    resolved = {reference: _resolve(reference) for reference in references}
    assert any(resolved.values()), "the page cites no module.name: is the pattern still right?"
    stale = sorted(reference for reference, found in resolved.items() if found is False)
    assert stale == [], f"docs/architecture.md cites names that no longer exist: {stale}"
