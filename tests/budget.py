"""What keeps the suite within its time budget under pytest-xdist (tests/conftest.py calls both).

``warm_bytecode``: in a fresh clone no byte-code exists yet, and every xdist worker would compile the
project and rewrite the asserts of every test module by itself (some 3 s of CPU each). The controller
writes those caches once, on every core, before the workers start; the workers then only read them.

``freeze_what_collection_made``: the modules, classes, functions and test items collection made live as
long as the run; every full collection of the cyclic garbage collector (a worker makes 15 to 25) walked
them all again, some 0.2 s each. Frozen (``gc.freeze``), the collector walks only what the tests make.

``exit_at_once``: a worker whose tests are over spends half a second or more taking its heap apart
(modules, objects, threads' states) before its process ends, and the controller waits for each.

``longest_first``: pytest-xdist's worksteal gives each worker one contiguous share of the collected
order and lets an idle worker steal the tail of another's. A long test at the end of a share keeps
one core busy alone while the other has nothing left to do; so each share starts with its part of the
long tests (the longest first, spread so that the shares hold about the same), and the short ones
after them are what gets stolen.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import py_compile
import sys
from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent  # not tests.helpers: the controller never imports the SDK
# The folders whose modules the tests import (and rewrite, for test modules and conftest.py).
PACKAGES = ("overlay", "generated", "scripts", "tests")

# Seconds a test marked slow takes (make test on the 2-core machine, idle, 2 workers; a guide to order
# them, not a limit), by node-id prefix: a module, or one of its tests (the longest prefix that matches
# wins); any other test marked slow counts SLOW_DEFAULT, a test not marked slow 0. Modules in
# KEEP_TOGETHER share an expensive per-run fixture (built once under a file lock): their tests go to one
# worker, so that no other worker waits on that lock.
COST = {
    "tests/pipeline/test_spec_changes.py": 8.0,
    "tests/pipeline/test_spec_changes.py::test_add_operation_then": 15.0,
    "tests/pipeline/test_spec_changes.py::test_compatible_changes": 10.0,
    "tests/pipeline/test_spec_changes.py::test_a_renamed_response_field": 5.0,
    "tests/pipeline/test_spec_changes.py::test_a_conflicting_spec": 1.5,
    "tests/pipeline/test_spec_changes.py::test_the_same_spec_with_one_semantic": 1.5,
    "tests/packaging/test_vendoring.py::test_a_strict_mypy_host": 7.0,
    "tests/packaging/test_vendoring.py::test_pips_vendoring_tool": 4.5,
    "tests/pipeline/test_generate.py": 2.5,
    "tests/pipeline/test_upstream_spec.py": 4.0,
    "tests/pipeline/test_overlay_fit.py": 2.0,
    "tests/packaging/test_bench.py::test_quick_bench_run": 3.5,
    "tests/packaging/test_demo.py": 3.0,
    "tests/sdk/test_load.py": 3.0,
    "tests/packaging/test_pytest_plugin_project.py": 3.5,
    "tests/pipeline/test_update_upstream.py": 1.2,
    "tests/packaging/test_bench_session.py": 2.0,
}
SLOW_DEFAULT = 0.5
KEEP_TOGETHER = ("tests/pipeline/test_upstream_spec.py",)


def is_xdist_controller(config: pytest.Config) -> bool:
    """The process that starts two or more pytest-xdist workers (not a worker, not a run without xdist)."""
    workers = getattr(config.option, "numprocesses", None)
    return not hasattr(config, "workerinput") and isinstance(workers, int) and workers > 1


def warm_bytecode(config: pytest.Config, *, processes: int = 2) -> None:
    """Write the byte-code of PACKAGES (test modules rewritten as pytest does) in ``processes`` processes.

    Uses pytest's own rewriting functions (not public API; pytest is pinned in constraints.txt). Should
    they change, nothing is warmed and each worker compiles for itself, as without this.
    """
    if sys.dont_write_bytecode:
        return
    try:
        from _pytest.assertion.rewrite import PYC_TAIL, _rewrite_test, _write_pyc, assertstate_key, get_cache_dir
    except ImportError:
        return
    state = config.stash.get(assertstate_key, None)
    if state is None:  # --assert=plain: nothing is rewritten
        return
    patterns = [*config.getini("python_files"), "conftest.py"]

    def cached(path: Path) -> tuple[Path, bool]:
        """Where the byte-code of ``path`` goes, and whether pytest rewrites it (a test module, a conftest)."""
        if path.is_relative_to(ROOT / "tests") and any(fnmatch(path.name, pattern) for pattern in patterns):
            return get_cache_dir(path) / (path.name[:-3] + PYC_TAIL), True
        return Path(importlib.util.cache_from_source(str(path))), False

    def stale(path: Path) -> bool:
        pyc, _ = cached(path)
        return not pyc.exists() or pyc.stat().st_mtime < path.stat().st_mtime

    # Only what is missing or older than its source (the importer still checks each file it reads).
    sources = sorted(path for folder in PACKAGES for path in (ROOT / folder).rglob("*.py") if stale(path))

    def warm(share: Sequence[Path]) -> None:
        for path in share:
            pyc, rewritten = cached(path)
            if rewritten:
                source_hash, code = _rewrite_test(path, config)
                pyc.parent.mkdir(exist_ok=True)
                _write_pyc(state, code, source_hash, pyc)
            else:
                py_compile.compile(str(path), cfile=str(pyc), doraise=False, quiet=2)

    if len(sources) < 20:  # a few edited files: not worth a process
        warm(sources)
        return
    children = []
    for index in range(1, processes):
        pid = os.fork()
        if pid == 0:  # a child: its share, then leave at once (no atexit, no pytest teardown)
            try:
                warm(sources[index::processes])
            finally:
                os._exit(0)
        children.append(pid)
    warm(sources[0::processes])
    for pid in children:
        os.waitpid(pid, 0)


def freeze_what_collection_made() -> None:
    """Collect the garbage collection left, then move every object still alive out of the collector's sight."""
    gc.collect()
    gc.freeze()


def exit_at_once() -> None:
    """End a pytest-xdist worker's process as its exit handlers reach this one (``atexit``; the threads are
    joined by then), without the interpreter's teardown. Not under coverage.py, whose exit handler must
    still write what the worker's last steps ran."""
    if "coverage" in sys.modules and sys.modules["coverage"].Coverage.current() is not None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def longest_first(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """``items`` reordered for ``workers`` worksteal workers: each share starts with its part of the long tests."""

    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::", 1)[0]

    def cost(item: pytest.Item) -> float:
        if not item.get_closest_marker("slow"):  # a long test is marked slow (tests that are not: make quick)
            return 0.0
        prefixes = [prefix for prefix in COST if item.nodeid.startswith(prefix)]
        return COST[max(prefixes, key=len)] if prefixes else SLOW_DEFAULT

    # Units of work: one test, or every test of a module kept together; longest first (stable).
    units: list[list[pytest.Item]] = []
    together: dict[str, list[pytest.Item]] = {}
    for item in items:
        if not cost(item):
            continue
        if module(item) in KEEP_TOGETHER:
            if module(item) not in together:
                together[module(item)] = []
                units.append(together[module(item)])
            together[module(item)].append(item)
        else:
            units.append([item])
    units.sort(key=lambda unit: -sum(map(cost, unit)))
    # Shares as worksteal cuts them: the first worker len // workers tests, the next its part of the rest, ...
    sizes, left = [], len(items)
    for remaining in range(workers, 0, -1):
        sizes.append(left // remaining)
        left -= sizes[-1]
    heads: list[list[pytest.Item]] = [[] for _ in sizes]
    loads = [0.0] * workers
    for unit in units:  # each to the share with the least so far that still has room for it
        fits = [n for n in range(workers) if len(heads[n]) + len(unit) <= sizes[n]] or list(range(workers))
        share = min(fits, key=lambda n: loads[n])
        heads[share] += unit
        loads[share] += sum(map(cost, unit))
    placed = {id(item) for head in heads for item in head}
    rest = iter([item for item in items if id(item) not in placed])
    ordered: list[pytest.Item] = []
    for head, size in zip(heads, sizes, strict=True):
        ordered += head
        ordered += [next(rest) for _ in range(max(0, size - len(head)))]
    ordered += list(rest)
    return ordered
