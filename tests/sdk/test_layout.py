"""The overlay's layout stays as drawn: no import cycle, small modules, each saying what it holds."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "overlay" / "signalwire_compat"
MAX_LINES = 400
# Derived by scripts/pipeline/unasync.py from a source that is checked itself (and guarded by `make drift`).
DERIVED = {"signalwire_compat._sync._client", "signalwire_compat._sync._resources"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The overlay modules ``name`` imports anywhere in its source (lazy imports included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            submodules = {f"{module}.{alias.name}" for alias in node.names} & MODULES.keys()
            # `from . import webhooks` imports the submodule; the package itself is already being imported.
            found.update(submodules if len(submodules) == len(node.names) else {module, *submodules})
    return {module for module in found if module in MODULES and module != name}


@functools.cache
def import_graph() -> dict[str, set[str]]:
    """Each overlay module and the overlay modules it imports (read once, when a test first asks)."""
    return {name: _imports(name, path) for name, path in MODULES.items()}


def _reachable(start: str) -> set[str]:
    seen: set[str] = set()
    pending = list(import_graph()[start])
    while pending:  # bounded: each module is expanded once
        module = pending.pop()
        if module not in seen:
            seen.add(module)
            pending.extend(import_graph()[module])
    return seen


def test_the_import_graph_is_read_from_the_sources() -> None:
    assert "signalwire_compat._transports._deadline" in import_graph()["signalwire_compat._transports._aiohttp"]
    assert "signalwire_compat._async._resources" in import_graph()["signalwire_compat._async._client"]


def test_no_overlay_module_imports_one_that_imports_it_back() -> None:
    cycles = sorted(name for name in import_graph() if name in _reachable(name))
    assert cycles == [], f"modules on an import cycle: {cycles}"


def test_clients_import_transports_which_import_only_the_deadline_and_fork_leaves() -> None:
    transports = "signalwire_compat._transports"
    leaves = {f"{transports}._deadline", f"{transports}._fork"}
    assert all(import_graph()[leaf] == set() for leaf in leaves)
    for engine in ("_aiohttp", "_httpcore"):
        assert import_graph()[f"{transports}.{engine}"] <= leaves | {"signalwire_compat._redaction"}


def test_every_overlay_module_is_under_400_lines_and_opens_with_a_docstring() -> None:
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}
    for name, path in MODULES.items():
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if name in DERIVED:
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8").split("\n", 1)[1]))
        assert docstring, f"{name} has no docstring saying what it holds"
