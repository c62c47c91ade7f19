"""The typed arguments' ``Literal`` types come from the merged spec's enums, and cannot drift from them."""

from __future__ import annotations

import copy
import subprocess
import sys
import typing

import pytest

from scripts.pipeline import literals
from scripts.pipeline.merge_specs import load_yaml
from signalwire_compat import _literals
from tests.helpers import ROOT


def merged_spec() -> dict[str, typing.Any]:
    return dict(load_yaml(literals.MERGED_SPEC.read_text(encoding="utf-8")))


@pytest.mark.slow  # starts an interpreter
def test_the_committed_module_is_what_the_merged_spec_gives() -> None:
    assert literals.TARGET.read_text(encoding="utf-8") == literals.expected()
    result = subprocess.run([sys.executable, "-m", "scripts.pipeline.literals", "--check"], cwd=ROOT, check=False)
    assert result.returncode == 0


def test_each_enum_is_a_literal_of_its_values_in_the_spec_order() -> None:
    assert typing.get_args(_literals.CreateCallStreamRequestTrack) == ("inbound_track", "outbound_track", "both_tracks")
    assert typing.get_args(_literals.CreateConferenceStreamRequestStreamCodec) == (
        "PCMU",
        "PCMA",
        "L16",
        "L16@16000h",
        "L16@24000h",
    )
    assert set(_literals.__all__) == set(literals.literals(merged_spec()))


def test_a_changed_enum_in_the_spec_changes_the_module() -> None:
    spec = copy.deepcopy(merged_spec())
    spec["components"]["schemas"]["CreateCallStreamRequestTrack"]["enum"].append("mixed_track")
    text = literals.module_text(spec)
    assert (
        'CreateCallStreamRequestTrack = Literal["inbound_track", "outbound_track", "both_tracks", "mixed_track"]'
        in (text)
    )
    assert text != literals.expected()


@pytest.mark.slow  # starts an interpreter
def test_the_check_fails_naming_the_module_when_it_was_edited_by_hand(tmp_path: typing.Any) -> None:
    import shutil

    copy_root = tmp_path / "repo"
    shutil.copytree(ROOT / "scripts", copy_root / "scripts")
    shutil.copytree(ROOT / "generated", copy_root / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    target = copy_root / "overlay" / "signalwire_compat" / "_literals.py"
    target.parent.mkdir(parents=True)
    target.write_text(literals.expected().replace('"both_tracks"', '"both"'), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "scripts.pipeline.literals", "--check"],
        cwd=copy_root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "overlay/signalwire_compat/_literals.py differs from the merged spec's enums" in result.stderr
