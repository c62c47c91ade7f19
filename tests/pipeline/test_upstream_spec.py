"""The pipeline's scale test: SignalWire's whole published Compatibility spec (79 operations).

Generated alone into a temp dir (never committed) with the same strictness as `make generate`
(no --allow-warnings: every operation, no generator warning), type-checked with mypy --strict, and
driven through the overlay: the built-in stop and the escape hatch on form-declared operations send
one form encoding (not two) with Basic auth, and a list operation whose filters only differ by
`<` / `>` sends its wire names (scripts/pipeline/parameter_names.py) and parses the page it gets back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.pipeline.generate import PACKAGE, build_tree, tree_files
from scripts.pipeline.merge_specs import load_yaml
from tests.helpers import ROOT, UPSTREAM_SPEC, built_once

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
UPSTREAM = UPSTREAM_SPEC


def provenance_operations() -> int:
    """The operation count PROVENANCE.md records for the file (make update-upstream writes it)."""
    from scripts.pipeline.update_upstream import provenance_row

    note = (UPSTREAM.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    return int(provenance_row(note, UPSTREAM.name)["operations"])


@pytest.fixture(scope="module")
def upstream_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full spec generated once per run (shared by the workers): ``tree/`` and the merge's ``warnings.json``."""

    def build(folder: Path) -> None:
        warnings: list[str] = []
        started = time.perf_counter()
        # strict (the default): a generator warning fails the build, as in `make generate`
        tree = build_tree([UPSTREAM], folder / "tree", warn=warnings.append)
        seconds = time.perf_counter() - started
        (folder / "warnings.json").write_text(json.dumps(warnings), encoding="utf-8")
        files = tree_files(tree / PACKAGE)
        endpoints = [name for name in files if name.startswith("api/") and not name.endswith("__init__.py")]
        print(
            f"\nupstream spec: generated in {seconds:.1f} s: {len(files)} files, "
            f"{sum(map(len, files.values()))} bytes, {len(endpoints)} endpoint modules"
        )

    return built_once(tmp_path_factory, "upstream", build)


@pytest.fixture(scope="module")
def upstream_tree(upstream_build: Path) -> Path:
    return upstream_build / "tree"


def test_full_spec_generates_and_passes_mypy_strict(upstream_build: Path, upstream_tree: Path) -> None:
    files = tree_files(upstream_tree / PACKAGE)
    endpoints = [name.rsplit("/", 1)[1][:-3] for name in files if name.startswith("api/")]
    endpoints = [name for name in endpoints if name != "__init__"]
    document = load_yaml(UPSTREAM.read_text(encoding="utf-8"))
    operation_ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(operation_ids) == provenance_operations()
    assert sorted(endpoints) == sorted(operation_ids)  # every published operation, once
    assert json.loads((upstream_build / "warnings.json").read_text(encoding="utf-8")) == []
    list_calls = (upstream_tree / PACKAGE / "api" / "calls" / "list_all_calls.py").read_text(encoding="utf-8")
    for wire, argument in [("EndTime<", "end_time_before"), ("EndTime>", "end_time_after"), ("EndTime", "end_time")]:
        assert f'params["{wire}"] = {argument}\n' in list_calls
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
import base64, json
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
        created = client.invoke("create_stream", call_sid=call.parent_sid,
                                body=CreateCallStreamRequest(url="wss://media.example/in?a=1&b=2", name="rec"))
        try:
            client.calls(call.parent_sid).streams("no-such-stream").stop()
        except sw.NotFoundError:
            mapped = True
    requests = space.requests
    auth = "Basic " + base64.b64encode(f"{space.project_id}:{space.api_token}".encode()).decode()

print(json.dumps({
    "generated_from": generated_package.__file__,
    "update_stream_module": update_stream.__name__,
    "stopped": str(stopped.status),
    "invoked": [invoked.status_code, type(invoked.parsed).__name__, str(invoked.parsed.status.value)],
    "created": [created.status_code, type(created.parsed).__name__, str(created.parsed.status.value)],
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
    assert report["created"] == [200, "CallStreamResponse", "in-progress"]
    assert report["mapped"] is True  # a 404 is a NotFoundError
    assert report["bodies"][:2] == ["Status=stopped", "Status=stopped"]
    create = report["bodies"][2]
    assert create.startswith("Url=wss%3A%2F%2Fmedia.example%2Fin%3Fa%3D1%26b%3D2&Name=rec")
    assert "%25" not in create  # not encoded twice
    assert report["content_types"] == ["application/x-www-form-urlencoded"]
    assert report["auth_ok"] is True


LIST_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])  # the checkout, for the tests package (its scripted loopback server)
from tests.servers import Reply, ScriptedServer
import signalwire_compat as sw
from signalwire_compat_generated.models import ListAllCallsStatus

account = "9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
base = f"/api/laml/2010-04-01/Accounts/{account}/Calls"
page = {
    "uri": f"{base}?Page=0&PageSize=2", "first_page_uri": f"{base}?Page=0&PageSize=2",
    "next_page_uri": f"{base}?Page=1&PageSize=2&PageToken=PA123", "previous_page_uri": None,
    "page": 0, "page_size": 2, "calls": [],
}
with ScriptedServer([Reply.json(200, page)], lifetime=60) as server:
    with sw.Client(account, "PTtoken0123456789", server.url) as client:
        result = client.invoke(
            "list_all_calls", end_time_before="Tue, 10 Aug 2021 00:00:00 +0000", end_time_after="2021-08-01",
            status=ListAllCallsStatus.IN_PROGRESS, page_size=2,
        )
    (request,) = server.received
parsed = result.parsed
print(json.dumps({
    "method": request.method, "target": request.path,
    "parsed": type(parsed).__name__, "page": parsed.page, "page_size": parsed.page_size,
    "next_page_uri": parsed.next_page_uri, "previous_page_uri": parsed.previous_page_uri,
    "first_page_uri": parsed.first_page_uri, "calls": parsed.calls,
}))
"""


def test_list_operation_sends_comparison_filters_by_their_wire_names(upstream_tree: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(upstream_tree)}
    result = subprocess.run(
        [sys.executable, "-c", LIST_CHILD, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    path, _, query = report["target"].partition("?")
    assert (report["method"], path) == (
        "GET",
        "/api/laml/2010-04-01/Accounts/9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f/Calls",
    )
    assert query == (
        "EndTime%3C=Tue%2C+10+Aug+2021+00%3A00%3A00+%2B0000&EndTime%3E=2021-08-01&Status=in-progress&Page=0&PageSize=2"
    )
    base = "/api/laml/2010-04-01/Accounts/9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f/Calls"
    assert report["parsed"] == "CallListResponse"
    assert (report["page"], report["page_size"], report["calls"]) == (0, 2, [])
    assert report["next_page_uri"] == f"{base}?Page=1&PageSize=2&PageToken=PA123"
    assert report["previous_page_uri"] is None
    assert report["first_page_uri"] == f"{base}?Page=0&PageSize=2"
