"""scripts/vendor.py runs on the standard library alone, copies LICENSE, records commit, version, spec sha256,
dependency ranges and file hashes in VENDORED.txt, and refuses to discard a locally edited copy without --force."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.helpers import ROOT

BASE_PYTHON = str(Path(sys.base_prefix) / "bin" / "python3")  # the interpreter under .venv, without its packages


def vendor(destination: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    # -E -s: no environment variables, no user site (-I but for -P, so -m finds scripts/ from the repository
    # root); -S: no site-packages at all, so only the standard library. --unchecked: make quick runs these
    # in a fresh clone, where make check has not passed yet (the refusal has its own test in test_vendoring.py).
    command = [BASE_PYTHON, "-E", "-s", "-S", "-m", "scripts.vendor", str(destination), "--unchecked", *flags]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.slow  # starts an interpreter
def test_vendor_runs_without_a_virtualenv_and_records_what_the_copy_is(tmp_path: Path) -> None:
    destination = tmp_path / "host_pkg" / "_vendor"
    result = vendor(destination)
    assert result.returncode == 0, result.stderr
    for package in ("signalwire_compat", "signalwire_compat_generated"):
        assert (destination / package / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
    record = (destination / "signalwire_compat" / "VENDORED.txt").read_text()
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False)
    if head.returncode == 0:
        assert re.search(rf"^commit: {head.stdout.strip()}( \(with uncommitted changes\))?$", record, re.M)
    else:  # a copy of the files, not a checkout
        assert "commit: unknown (not a git checkout)" in record
    assert re.search(r"^signalwire-compat \d+\.\d+\.\d+\S* vendored by scripts/vendor\.py$", record, re.M)
    provenance = (ROOT / "generated" / "signalwire_compat_generated" / "_provenance.py").read_text()
    sha = re.search(r'SPEC_SHA256 = "([0-9a-f]{64})"', provenance)
    assert sha is not None
    assert f"spec sha256: {sha[1]}" in record
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for requirement in declared:  # the ranges come from pyproject.toml, whatever they are
        assert re.search(rf"^  {re.escape(requirement)}( |$)", record, re.M), requirement
    assert re.search(r"^  aiohttp\S*   \(only AsyncClient needs it\)$", record, re.M)
    hashes = dict(line.split()[::-1] for line in record.splitlines() if re.fullmatch(r"  [0-9a-f]{64}  \S+", line))
    copied = {
        path.relative_to(destination).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in destination.rglob("*")
        if path.is_file() and path.name != "VENDORED.txt" and path.parent != destination
    }
    assert hashes == copied
    assert "signalwire_compat/_generated.py" in hashes


@pytest.mark.slow  # starts an interpreter
def test_re_vendoring_refuses_to_discard_a_local_edit_unless_forced(tmp_path: Path) -> None:
    destination = tmp_path / "_vendor"
    assert vendor(destination).returncode == 0
    assert vendor(destination).returncode == 0  # an untouched copy is replaced quietly
    wire = destination / "signalwire_compat" / "_wire.py"
    wire.write_text(wire.read_text() + "# a local fix\n")
    (destination / "signalwire_compat_generated" / "extra.py").write_text("")
    refused = vendor(destination)
    assert refused.returncode == 1
    assert "signalwire_compat/_wire.py (changed)" in refused.stderr
    assert "signalwire_compat_generated/extra.py (added)" in refused.stderr
    assert "--force" in refused.stderr
    assert wire.read_text().endswith("# a local fix\n")  # nothing was touched
    forced = vendor(destination, "--force")
    assert forced.returncode == 0, forced.stderr
    assert not wire.read_text().endswith("# a local fix\n")
    assert not (destination / "signalwire_compat_generated" / "extra.py").exists()


@pytest.mark.slow  # starts an interpreter
def test_a_folder_holding_an_unrecorded_copy_is_refused(tmp_path: Path) -> None:
    destination = tmp_path / "_vendor"
    (destination / "signalwire_compat").mkdir(parents=True)
    (destination / "signalwire_compat" / "mine.py").write_text("")
    refused = vendor(destination)
    assert refused.returncode == 1
    assert "VENDORED.txt is missing" in refused.stderr
    assert (destination / "signalwire_compat" / "mine.py").exists()


def test_the_vendor_docstring_names_the_declared_dependencies_only() -> None:
    from scripts import vendor as script

    assert "sniffio" not in (script.__doc__ or "")
    assert (
        script.runtime_dependencies() == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    )


def checkout_skeleton(root: Path) -> Path:
    """A checkout holding scripts/vendor.py and just enough of both packages, so that a vendor.py that
    failed to refuse a destination damages this copy, never the real one."""
    (root / "scripts").mkdir(parents=True)
    (root / "scripts" / "vendor.py").write_bytes((ROOT / "scripts" / "vendor.py").read_bytes())
    overlay, generated = root / "overlay" / "signalwire_compat", root / "generated" / "signalwire_compat_generated"
    overlay.mkdir(parents=True)
    generated.mkdir(parents=True)
    (overlay / "_generated.py").write_text("import signalwire_compat_generated as generated_package\n")
    (overlay / "_version.py").write_text('__version__ = "0.0.0"\n')
    (generated / "__init__.py").write_text("")
    (generated / "_provenance.py").write_text(f'SPEC_SHA256 = "{"0" * 64}"\n')
    (root / "LICENSE").write_text("license\n")
    (root / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["httpx>=0.27,<1"]\n')
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.parametrize(
    "inside",
    ["overlay", "overlay/signalwire_compat", "overlay/signalwire_compat/_vendor", "generated", "generated/x/y", "link"],
)
def test_a_destination_inside_the_checkouts_own_packages_is_refused_even_with_force(
    tmp_path: Path, inside: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    checkout = checkout_skeleton(tmp_path / "checkout")
    (checkout / "link").symlink_to(checkout / "overlay" / "signalwire_compat")
    spec = importlib.util.spec_from_file_location("vendor_in_skeleton", checkout / "scripts" / "vendor.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    before = tree(checkout)
    monkeypatch.chdir(checkout)  # a relative DEST, as `make vendor DEST=overlay` passes it
    assert script.main([inside, "--force"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("vendor: error: ") and len(error.strip().splitlines()) == 1
    assert "inside this checkout's own" in error and "--force does not change that" in error
    assert tree(checkout) == before  # nothing deleted, nothing copied
