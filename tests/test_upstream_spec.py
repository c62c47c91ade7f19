"""The pipeline's scale test: SignalWire's whole published Compatibility spec (79 operations).

Generated alone into a temp dir (never committed), type-checked with mypy --strict, and driven
through the overlay: the built-in stop and the escape hatch on form-declared operations send one
form encoding (not two) with Basic auth.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, UPSTREAM_SPEC
from generate import PACKAGE, build_tree, tree_files

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
UPSTREAM = UPSTREAM_SPEC


@pytest.fixture(scope="module")
def upstream_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    started = time.perf_counter()
    tree = build_tree([UPSTREAM], tmp_path_factory.mktemp("upstream") / "tree", strict=False)
    seconds = time.perf_counter() - started
    files = tree_files(tree / PACKAGE)
    endpoints = [name for name in files if name.startswith("api/") and not name.endswith("__init__.py")]
    print(
        f"\nupstream spec: generated in {seconds:.1f} s: {len(files)} files, {sum(map(len, files.values()))} bytes, "
        f"{len(endpoints)} endpoint modules"
    )
    return tree


def test_full_spec_generates_and_passes_mypy_strict(upstream_tree: Path) -> None:
    files = tree_files(upstream_tree / PACKAGE)
    endpoints = {name.rsplit("/", 1)[1][:-3] for name in files if name.startswith("api/")} - {"__init__"}
    # The generator skips a few list endpoints whose query parameters collide (it warns and says so);
    # every stream operation is there.
    assert {"update_stream", "update_conference_stream", "create_stream", "create_conference_stream"} <= endpoints
    assert len(endpoints) >= 70
    started = time.perf_counter()
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mypy"), "--strict", "--no-incremental", "--cache-dir=/dev/null", PACKAGE],
        cwd=upstream_tree,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    print(f"\nupstream spec: mypy --strict in {time.perf_counter() - started:.1f} s: {result.stdout.strip()}")
    assert result.returncode == 0, result.stdout + result.stderr


CHILD = r"""
import json
import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace
from signalwire_compat._generated import generated_package, update_stream
from signalwire_compat_generated.models import (
    CreateCallStreamRequest, UpdateConferenceStreamRequest, UpdateConferenceStreamRequestStatus,
)

with FakeSpace() as space:
    call, conference = space.add_call_stream(), space.add_conference_stream()
    with space.client() as client:
        stopped = client.calls(call.parent_sid).streams(call.sid).stop()
        invoked = client.invoke(
            "update_conference_stream", conference_sid=conference.parent_sid, sid=conference.sid,
            body=UpdateConferenceStreamRequest(status=UpdateConferenceStreamRequestStatus.STOPPED), idempotent=True,
        )
        try:
            client.invoke("create_stream", call_sid=call.parent_sid,
                          body=CreateCallStreamRequest(url="wss://media.example/in?a=1&b=2", name="rec"))
        except sw.NotFoundError:
            mapped = True
    requests = space.requests
    auth = FakeSpace._basic(space.project_id, space.api_token)

print(json.dumps({
    "generated_from": generated_package.__file__,
    "update_stream_module": update_stream.__name__,
    "stopped": str(stopped.status),
    "invoked": [invoked.status_code, type(invoked.parsed).__name__, str(invoked.parsed.status.value)],
    "mapped": mapped,
    "bodies": [r.body.decode() for r in requests],
    "content_types": sorted({r.headers["content-type"] for r in requests}),
    "auth_ok": all(r.headers["authorization"] == auth for r in requests),
}))
"""


def test_overlay_runs_on_the_full_spec_client_and_encodes_form_bodies_once(upstream_tree: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(upstream_tree)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["generated_from"].startswith(str(upstream_tree))
    assert report["update_stream_module"] == f"{PACKAGE}.api.streams.update_stream"  # the full spec's tag folder
    assert report["stopped"] == "stopped"
    assert report["invoked"] == [200, "ConferenceStreamResponse", "stopped"]
    assert report["mapped"] is True
    assert report["bodies"][:2] == ["Status=stopped", "Status=stopped"]
    create = report["bodies"][2]
    assert create.startswith("Url=wss%3A%2F%2Fmedia.example%2Fin%3Fa%3D1%26b%3D2&Name=rec")
    assert "%25" not in create  # not encoded twice
    assert report["content_types"] == ["application/x-www-form-urlencoded"]
    assert report["auth_ok"] is True
