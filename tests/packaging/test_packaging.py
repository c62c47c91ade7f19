"""A normal (non-editable) wheel carries both packages from their folders, typed."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # builds a wheel (shared: conftest.sdk_wheel)


def test_wheel_contains_overlay_and_generated_packages(sdk_wheel: Path) -> None:
    wheel = sdk_wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in [
        "signalwire_compat/__init__.py",
        "signalwire_compat/py.typed",
        "signalwire_compat_generated/__init__.py",
        "signalwire_compat_generated/py.typed",
        "signalwire_compat_generated/_provenance.py",
        "signalwire_compat_generated/api/subpackage_streams/update_stream.py",
    ]:
        assert required in names
    top_level = {name.split("/")[0] for name in names}
    assert top_level == {
        "signalwire_compat",
        "signalwire_compat_generated",
        "signalwire_compat_pytest",  # the pytest plugin, apart so that pytest's start loads none of the SDK
        wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info",
    }
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Requires-Python: >=3.11" in metadata
    requirements = sorted(
        line.split(" ")[1].split("<")[0].split(">")[0]
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    )
    assert requirements == ["aiohttp", "attrs", "defusedxml", "httpx", "python-dateutil"]
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "signalwire-compat = signalwire_compat._cli:main" in entry_points  # the command, in the env's bin/
    assert "[pytest11]\nsignalwire_compat = signalwire_compat_pytest" in entry_points  # pytest -p no:signalwire_compat
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)


def test_make_demo_installs_only_the_runtime_dependencies(tmp_path: Path) -> None:
    # `make -n` prints what would run, in a throw-away venv path, without running it.
    venv = tmp_path / "venv"
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-C", str(ROOT), f"VENV={venv}", "demo"],
        capture_output=True,
        text=True,
        check=True,
    )
    installs = [line for line in done.stdout.splitlines() if "pip install" in line]
    assert installs, done.stdout
    assert all("--editable ." in line and "[dev" not in line for line in installs), installs
