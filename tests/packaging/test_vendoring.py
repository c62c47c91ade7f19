"""Vendoring: `make vendor DEST=...` gives a copy that runs inside another project, uninstalled.

The proof runs in a fresh interpreter in isolated mode (-I) whose path holds only the host
project and the SDK's runtime dependencies (copied from this environment into a bare venv), and
stops streams on a FakeSpace through ``host_pkg._vendor.signalwire_compat``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.runtime_env import make_runtime_env, runtime_dependencies
from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # builds virtual environments and a wheel


RUNTIME = runtime_dependencies()

CHILD = r"""
import asyncio, json, sys
import host_pkg._vendor.signalwire_compat as sw
from host_pkg._vendor.signalwire_compat.testing import FakeSpace

with FakeSpace() as space:
    call, conference = space.add_call_stream(), space.add_conference_stream()
    with space.client() as client:
        first = client.calls(call.parent_sid).streams(call.sid).stop()

    async def main():
        async with space.async_client() as client:
            return await client.conferences(conference.parent_sid).streams(conference.sid).stop()

    second = asyncio.run(main())
    body = space.requests[0].body.decode()

print(json.dumps({
    "statuses": [str(first.status), str(second.status)],
    "body": body,
    "provenance": str(sw.PROVENANCE),
    "module": sw.__name__,
    "generated": sw._generated.generated_package.__name__,
    "top_level_sdk_modules": sorted(m for m in sys.modules if m.split(".")[0].startswith("signalwire_compat")),
    "path": sys.path,
}))
"""


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A venv without pip or this project, holding only the runtime dependencies."""
    return make_runtime_env(tmp_path_factory.mktemp("runtime-env") / "env", RUNTIME)


def run_isolated(python: Path, code: str) -> dict[str, object]:
    result = subprocess.run([str(python), "-I", "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_bare_environment_cannot_import_the_sdk(bare_python: tuple[Path, Path]) -> None:
    python, _ = bare_python
    result = subprocess.run(
        [str(python), "-I", "-c", "import signalwire_compat"], capture_output=True, text=True, check=False
    )
    assert "ModuleNotFoundError" in result.stderr
    result = subprocess.run(
        [str(python), "-I", "-c", "import httpx, attrs, dateutil.parser, aiohttp"], capture_output=True, check=False
    )
    assert result.returncode == 0


def test_make_vendor_copy_runs_in_a_host_project(bare_python: tuple[Path, Path], tmp_path: Path) -> None:
    python, site_packages = bare_python
    host = tmp_path / "host"
    (host / "host_pkg").mkdir(parents=True)
    (host / "host_pkg" / "__init__.py").write_text("")
    # UNCHECKED=1: pytest may run without make check before it (the refusal has its own test below).
    destination = host / "host_pkg" / "_vendor"
    made = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "vendor", f"DEST={destination}", "UNCHECKED=1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    (site_packages / "host.pth").write_text(str(host) + "\n")
    try:
        report = run_isolated(python, CHILD)
    finally:
        (site_packages / "host.pth").unlink()
    assert report["statuses"] == ["stopped", "stopped"]
    assert report["body"] == "Status=stopped"
    assert report["module"] == "host_pkg._vendor.signalwire_compat"
    assert report["generated"] == "host_pkg._vendor.signalwire_compat_generated"
    assert report["top_level_sdk_modules"] == []
    assert not [p for p in report["path"] if str(ROOT) in p]  # type: ignore[union-attr]
    provenance = (ROOT / "generated" / "signalwire_compat_generated" / "_provenance.py").read_text()
    sha = re.search(r'SPEC_SHA256 = "([0-9a-f]{64})"', provenance).group(1)  # type: ignore[union-attr]
    assert sha in str(report["provenance"])
    assert "spec sha256: " + sha in (host / "host_pkg" / "_vendor" / "signalwire_compat" / "VENDORED.txt").read_text()


def test_vendor_copies_only_a_tree_make_check_passed_on_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scripts import vendor

    stamp = tmp_path / "checked.txt"
    monkeypatch.setattr(vendor, "CHECKED", stamp)
    with pytest.raises(vendor.VendorError, match="make check has not passed on this checkout: run make check"):
        vendor.vendor(tmp_path / "never")
    assert not (tmp_path / "never").exists()  # nothing written
    tree = tmp_path / "tree"
    for folder in ("overlay/signalwire_compat", "generated", "openapi"):
        (tree / folder).mkdir(parents=True)
    (tree / "overlay/signalwire_compat/_wire.py").write_text("x = 1\n")
    (tree / "openapi/update-stream.yaml").write_text("openapi: 3.1.0\n")
    vendor.record_check(tree, stamp)
    assert vendor.unchecked(tree, stamp) is None
    (tree / "openapi/update-stream.yaml").write_text("openapi: 3.1.0\ninfo: {}\n")  # edited after make check
    assert vendor.unchecked(tree, stamp) == "overlay/, generated/ or openapi/ changed since make check last passed"
    (tree / "overlay/signalwire_compat/__pycache__").mkdir()
    vendor.record_check(tree, stamp)
    (tree / "overlay/signalwire_compat/__pycache__/_wire.cpython-311.pyc").write_bytes(b"cache")  # not the tree
    assert vendor.unchecked(tree, stamp) is None


def test_vendor_refuses_an_unrewritable_seam() -> None:
    from scripts.vendor import VendorError, relative_seam

    assert (
        relative_seam("import signalwire_compat_generated as g\n")
        == "from .. import signalwire_compat_generated as g\n"
    )
    assert relative_seam("from signalwire_compat_generated.models import X\n") == (
        "from ..signalwire_compat_generated.models import X\n"
    )
    with pytest.raises(VendorError, match="cannot rewrite"):
        relative_seam("import signalwire_compat_generated\n")


HOST_PYPROJECT = """\
[tool.vendoring]
destination = "host_pkg/_vendor/"
requirements = "host_pkg/_vendor/vendor.txt"
namespace = "host_pkg._vendor"
protected-files = ["__init__.py", "vendor.txt"]
patches-dir = "patches"

[tool.vendoring.transformations]
drop = ["bin/", "*.dist-info"]
"""


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_pips_vendoring_tool_vendors_the_built_wheel(
    bare_python: tuple[Path, Path], sdk_wheel: Path, tmp_path: Path
) -> None:
    wheel = sdk_wheel
    host = tmp_path / "host"
    vendor_dir = host / "host_pkg" / "_vendor"
    vendor_dir.mkdir(parents=True)
    (host / "patches").mkdir()
    (host / "pyproject.toml").write_text(HOST_PYPROJECT)
    (host / "host_pkg" / "__init__.py").write_text("")
    (vendor_dir / "__init__.py").write_text("")
    (vendor_dir / "vendor.txt").write_text(f"signalwire-compat @ {wheel.as_uri()}\n")
    bin_dir = str(Path(sys.executable).parent)  # vendoring runs the `pip` it finds on PATH
    # vendoring downloads licenses into $TMPDIR/vendoring-downloads and deletes that folder when done: a
    # shared TMPDIR lets two runs on one machine delete it under each other.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    path = bin_dir + os.pathsep + os.environ.get("PATH", "")
    environment = {**os.environ, "PATH": path, "TMPDIR": str(scratch)}
    synced = subprocess.run(
        [str(Path(bin_dir) / "vendoring"), "sync"],
        cwd=host,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert synced.returncode == 0, synced.stdout[-2000:] + synced.stderr[-2000:]
    seam = (vendor_dir / "signalwire_compat" / "_generated.py").read_text()
    assert "from host_pkg._vendor import signalwire_compat_generated as generated_package" in seam
    assert (vendor_dir / "signalwire_compat" / "LICENSE").is_file()
    _, site_packages = bare_python
    (site_packages / "host.pth").write_text(str(host) + "\n")
    try:
        report = run_isolated(python=bare_python[0], code=CHILD)
    finally:
        (site_packages / "host.pth").unlink()
    assert report["statuses"] == ["stopped", "stopped"]
    assert report["generated"] == "host_pkg._vendor.signalwire_compat_generated"
    assert report["top_level_sdk_modules"] == []


HOST_APP = '''"""A host module using the vendored SDK, type-checked strictly."""

from host_pkg._vendor import signalwire_compat as sw


def stop(client: sw.Client, call_sid: str, stream_sid: str) -> str:
    return str(client.calls(call_sid).streams(stream_sid).stop().status)


async def stop_async(client: sw.AsyncClient, call_sid: str, stream_sid: str) -> str:
    stream = await client.calls(call_sid).streams(stream_sid).stop()
    return stream.updated_at.isoformat()
'''


def vendored_host(tmp_path: Path) -> Path:
    host = tmp_path / "host"
    (host / "host_pkg").mkdir(parents=True)
    (host / "host_pkg" / "__init__.py").write_text("")
    (host / "host_pkg" / "app.py").write_text(HOST_APP)
    from scripts.vendor import vendor

    vendor(host / "host_pkg" / "_vendor", checked=False)
    return host


def test_a_strict_mypy_host_needs_exactly_the_stubs_vendored_txt_names(
    tmp_path: Path, bare_python: tuple[Path, Path]
) -> None:
    from scripts.vendor import OPTIONAL_IMPORTS, host_type_stubs

    stubs = host_type_stubs()
    assert stubs == ["types-python-dateutil", "types-defusedxml"]
    host = vendored_host(tmp_path)
    record = (host / "host_pkg" / "_vendor" / "signalwire_compat" / "VENDORED.txt").read_text()
    assert f"mypy --strict hosts also {', '.join(stubs)},\nand {', '.join(OPTIONAL_IMPORTS)} for the media" in record

    cache = str(tmp_path / "mypy-cache")  # one for both runs: the second reads the standard library from it

    def mypy(python: Path) -> subprocess.CompletedProcess[str]:
        # mypy reads the packages and stubs of the host's environment: the runtime dependencies alone, or this
        # one (which has them, the stubs and the optional packages).
        command = [str(Path(sys.executable).parent / "mypy"), "--strict", "--python-executable", str(python)]
        command += ["--cache-dir", cache, "-p", "host_pkg"]
        return subprocess.run(command, cwd=host, capture_output=True, text=True, timeout=240, check=False)

    bare = mypy(bare_python[0])
    assert bare.returncode != 0
    assert sorted(set(re.findall(r'install (types-[\w-]+)"', bare.stdout))) == sorted(stubs), bare.stdout
    missing = set(re.findall(r'module named "(\w+)[\w.]*"  \[import-not-found\]', bare.stdout))
    assert missing == set(OPTIONAL_IMPORTS), bare.stdout  # nothing else the copy imports is missing
    checked = mypy(Path(sys.executable))
    assert checked.returncode == 0, checked.stdout + checked.stderr


SYNC_ONLY_CHILD = r"""
import json, sys
from host_pkg._vendor.signalwire_compat.testing import FakeSpace

with FakeSpace() as space:
    stream = space.add_call_stream()
    with space.client() as client:
        stopped = client.calls(stream.parent_sid).streams(stream.sid).stop()
try:
    import aiohttp
    importable = True
except ImportError:
    importable = False
print(json.dumps({"status": str(stopped.status), "aiohttp_importable": importable,
                  "aiohttp_loaded": any(m.split(".")[0] == "aiohttp" for m in sys.modules)}))
"""


def test_a_sync_only_host_without_aiohttp_stops_a_stream(tmp_path: Path) -> None:
    sync_only = [name for name in RUNTIME if name != "aiohttp"]
    python, site_packages = make_runtime_env(tmp_path / "env", sync_only)
    host = vendored_host(tmp_path)
    (site_packages / "host.pth").write_text(str(host) + "\n")
    report = run_isolated(python, SYNC_ONLY_CHILD)
    assert report == {"status": "stopped", "aiohttp_importable": False, "aiohttp_loaded": False}
