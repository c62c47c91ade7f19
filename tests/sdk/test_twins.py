"""The sync client is the async one, derived: same public methods, signatures and docstrings, and no drift."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from typing import Any

import pytest

import signalwire_compat as sw
from scripts.pipeline import unasync
from signalwire_compat._async import _calls as async_calls
from signalwire_compat._async import _client as async_client
from signalwire_compat._async import _resources as async_resources
from signalwire_compat._sync import _calls as sync_calls
from signalwire_compat._sync import _client as sync_client
from signalwire_compat._sync import _resources as sync_resources
from tests.helpers import ROOT


def _public_classes(module: Any) -> dict[str, type]:
    return {name: getattr(module, name) for name in module.__all__}


PAIRS = [(sw.AsyncClient, sw.Client), (async_client.AsyncClientWithRawResponse, sync_client.ClientWithRawResponse)] + [
    (cls, _public_classes(sync_module)[unasync.SUBSTITUTIONS[name]])
    for async_module, sync_module in ((async_resources, sync_resources), (async_calls, sync_calls))
    for name, cls in _public_classes(async_module).items()
]


def _public_members(cls: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in inspect.getmembers(cls)
        if (not name.startswith("_") or name in ("__call__", "__init__"))
        and (inspect.isfunction(member) or isinstance(member, property))
    }


def _as_sync(text: str | None) -> str:
    return unasync.unasync_text(text or "")


def _signature(member: Any) -> str:
    function = member.fget if isinstance(member, property) else member
    return _as_sync(str(inspect.signature(function)))


@pytest.mark.parametrize(("async_class", "sync_class"), PAIRS, ids=lambda cls: getattr(cls, "__name__", ""))
def test_every_public_async_method_has_a_sync_twin_with_the_same_signature_and_docstring(
    async_class: type, sync_class: type
) -> None:
    async_members, sync_members = _public_members(async_class), _public_members(sync_class)
    assert sorted(_as_sync(name) for name in async_members) == sorted(sync_members)
    for name, member in async_members.items():
        twin = sync_members[_as_sync(name)]
        assert _signature(member) == str(inspect.signature(twin.fget if isinstance(twin, property) else twin)), name
        assert _as_sync(inspect.getdoc(member)) == (inspect.getdoc(twin) or ""), name
    assert _as_sync(inspect.getdoc(async_class)) == inspect.getdoc(sync_class)


def test_async_methods_are_coroutines_and_their_twins_are_not() -> None:
    for async_class, sync_class in PAIRS:
        for name, member in _public_members(async_class).items():
            if inspect.iscoroutinefunction(member):
                assert not inspect.iscoroutinefunction(getattr(sync_class, _as_sync(name))), name


def test_the_committed_sync_client_is_what_unasync_derives_from_the_async_one() -> None:
    assert unasync.drift() == []


@pytest.mark.slow  # starts an interpreter
def test_unasync_check_fails_and_names_the_file_when_the_sync_client_was_edited_by_hand(tmp_path: Any) -> None:
    import shutil

    copy = tmp_path / "repo"
    for part in ("overlay", "scripts", "pyproject.toml"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, copy / part)
    edited = copy / "overlay" / "signalwire_compat" / "_sync" / "_client.py"
    edited.write_text(edited.read_text().replace("time.sleep(delay)", "time.sleep(delay * 2)"))
    result = subprocess.run(
        [sys.executable, "-m", "scripts.pipeline.unasync", "--check"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "overlay/signalwire_compat/_sync/_client.py" in result.stderr
    assert re.search(r"make generate", result.stderr)


def test_every_unasync_rule_changes_something_in_the_async_source() -> None:
    assert unasync.unused_rules() == []


def test_unasync_fails_and_names_a_rule_that_no_longer_matches_anything(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The async source as it would be once nothing reads a response's raw chunks any more.
    for source in unasync.SOURCE.glob("*.py"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8").replace("aiter_raw", "aiter_bytes"))
    monkeypatch.setattr(unasync, "SOURCE", tmp_path)
    assert unasync.unused_rules() == ["aiter_raw"]
    monkeypatch.setattr(unasync, "drift", list)  # the rule check alone (drift has a test of its own above)
    assert unasync.main(["--check"]) == 1
    assert "match nothing in the async source" in capsys.readouterr().err
    monkeypatch.setattr(unasync, "write", lambda: None)
    assert unasync.main([]) == 1
    assert "  aiter_raw\n" in capsys.readouterr().err
