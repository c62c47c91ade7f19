"""When the specs change: copy the repository, change openapi/, run the real make targets there.

The copies share this checkout's .venv (``make VENV=...``) with a fresh install stamp, so make
does not reinstall into it; the overlay and generated packages of the copy are put first on
PYTHONPATH for the processes that exercise them.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.pipeline.generate import tree_files
from scripts.pipeline.merge_specs import load_yaml
from tests.helpers import ROOT, mypy_cache_dir

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
RESOURCES = "overlay/signalwire_compat/_async/_resources.py"

COPIED = [
    "Makefile",
    "pyproject.toml",
    "constraints.txt",
    "README.md",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "docs",
    "LICENSE",
    "openapi",
    "scripts",
    "overlay",
    "generated",
    "tests",
]
# The byte-code comes along (__pycache__: valid for the copy, whose sources keep their mtimes), so the
# processes a test starts there compile only what the test changed; mypy's cache is make()'s.
IGNORE = shutil.ignore_patterns(".mypy_cache", ".ruff_cache", ".pytest_cache")


def copy_repository(destination: Path) -> Path:
    destination.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=IGNORE)  # copy2: mtimes kept
        else:
            shutil.copy2(source, destination / name)
    (destination / ".installed-stamp").touch()  # newer than pyproject.toml: make will not reinstall
    return destination


def make(repository: Path, *targets: str, copy_first: bool = False) -> subprocess.CompletedProcess[str]:
    """``make TARGETS`` in the copy; ``copy_first`` puts the copy's packages before this checkout's
    editable install, as a fresh clone's own install would (for targets that run the tests)."""
    command = ["make", "--no-print-directory", "-C", str(repository), f"VENV={ROOT / '.venv'}"]
    command += [f"INSTALLED={repository / '.installed-stamp'}", *targets]
    # The copy's own pytest (make quick) must not take this run's pytest-xdist worker settings for its own.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    # mypy starts from a copy of the checkout's cache (make test has just written it; mypy keys it by
    # relative path, size and mtime, which copy2 keeps) and rechecks what the test changed: the same
    # verdicts as a cold run, in a tenth of the time.
    cache = repository.parent / "mypy-cache"
    if not cache.exists():
        mypy_cache_dir(repository.parent)
    environment["MYPY_CACHE_DIR"] = str(cache)
    if copy_first:
        environment["PYTHONPATH"] = f"{repository / 'overlay'}{os.pathsep}{repository / 'generated'}"
    return subprocess.run(command, capture_output=True, text=True, timeout=540, check=False, env=environment)


# make check less its drift check of generated/, for a test that has just run make generate: the drift check
# would run the generator a second time on the same specs, to find the tree make generate has just written
# from them (generation is byte-for-byte deterministic: tests/pipeline/test_generate.py), and make generate
# has run the overlay against that tree and derived _literals.py, _results.py, _invoke_types.py and _sync/
# from it. The whole make check after a make generate: test_compatible_changes_and_a_third_spec_file_...
CHECK_AFTER_GENERATE = ("lint", "typecheck")


def run_overlay(repository: Path, code: str) -> dict[str, Any]:
    """Run ``code`` with the copy's overlay and generated packages first on the path; it prints JSON."""
    environment = {**os.environ, "PYTHONPATH": f"{repository / 'overlay'}{os.pathsep}{repository / 'generated'}"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def load(path: Path) -> dict[str, Any]:
    document = load_yaml(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def save(path: Path, document: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(document, sort_keys=False, width=100), encoding="utf-8")


RECORDINGS = "/Accounts/{AccountSid}/Calls/{CallSid}/Recordings"


def create_recording_spec(repository: Path) -> dict[str, Any]:
    """A next page, 'Create a Recording', written like the seed pages (JSON body, Authorization header
    parameter); it shares CompatibilityErrorResponse and the security scheme with the stream pages."""
    seed = load(repository / "openapi" / "update-stream.yaml")
    (item,) = seed["paths"].values()
    operation = copy.deepcopy(item["post"])
    operation.update(
        operationId="create-recording", summary="Create a Recording", description="Start a recording of a call."
    )
    operation["tags"] = ["subpackage_recordings"]
    operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "Sid"]
    operation["requestBody"] = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateRecordingRequest"}}}
    }
    operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] = (
        "#/components/schemas/CallRecordingResponse"
    )
    uuid = {"type": "string", "format": "uuid"}
    return {
        "openapi": seed["openapi"],
        "info": seed["info"],
        "paths": {RECORDINGS: {"post": operation}},
        "servers": seed["servers"],
        "components": {
            "schemas": {
                "CreateRecordingRequest": {
                    "type": "object",
                    "properties": {
                        "RecordingStatusCallback": {
                            "type": "string",
                            "format": "uri",
                            "description": "The URL to request to when recording is available.",
                        },
                        "RecordingChannels": {"type": "string", "description": "mono or dual."},
                    },
                    "description": "Request body for creating a recording.",
                    "title": "CreateRecordingRequest",
                },
                "RecordingStatus": {
                    "type": "string",
                    "enum": ["in-progress", "paused", "stopped", "processing", "completed", "absent"],
                    "description": "Recording status.",
                    "title": "RecordingStatus",
                },
                "CallRecordingResponse": {
                    "type": "object",
                    "properties": {
                        "sid": {**uuid, "description": "The unique identifier for the recording."},
                        "call_sid": {**uuid, "description": "The unique identifier for the call."},
                        "status": {"$ref": "#/components/schemas/RecordingStatus"},
                        "uri": {"type": "string", "description": "The URI for the recording."},
                    },
                    "required": ["sid", "call_sid", "status", "uri"],
                    "description": "Response containing a single call recording.",
                    "title": "CallRecordingResponse",
                },
                "CompatibilityErrorResponse": seed["components"]["schemas"]["CompatibilityErrorResponse"],
            },
            "securitySchemes": seed["components"]["securitySchemes"],
        },
    }


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return copy_repository(tmp_path / "repo")


CREATE_RECORDING_CHILD = r"""
import base64, json, httpx
import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace
from signalwire_compat._generated import generated_package
from signalwire_compat_generated.models import CreateRecordingRequest

callback = "https://cb.example/rec?call=1&leg=a"
body = CreateRecordingRequest(recording_status_callback=callback, recording_channels="dual")
with FakeSpace() as space:
    stream = space.add_call_stream()
    with space.client() as client:
        try:
            client.invoke("create_recording", call_sid=stream.parent_sid, body=body)
        except sw.NotFoundError as error:  # the fake has no recordings: error mapping applies
            mapped = type(error).__name__
    (wire,) = space.requests
    expected_auth = "Basic " + base64.b64encode(f"{space.project_id}:{space.api_token}".encode()).decode()

answers = [httpx.Response(503, json={"code": 1, "message": "busy", "more_info": "", "status": 503}),
           httpx.Response(200, json={"sid": "a9a9a9a9-0000-4000-8000-000000000001", "call_sid": stream.parent_sid,
                                     "status": "in-progress", "uri": "/x"})]
http = httpx.Client(transport=httpx.MockTransport(lambda request: answers.pop(0)))
options = {"http_client": http, "backoff_factor": 0}
with sw.Client(space.project_id, space.api_token, "example.signalwire.com", **options) as client:
    result = client.invoke("create_recording", call_sid=stream.parent_sid, body=body, idempotent=True)
print(json.dumps({
    "path": wire.path, "body": wire.body.decode(), "content_type": wire.headers["content-type"],
    "auth_ok": wire.headers["authorization"] == expected_auth, "mapped": mapped,
    "parsed": type(result.parsed).__name__, "status": str(result.parsed.status.value),
    "generated_from": generated_package.__file__,
}))
"""
RECORDING_BODY = "RecordingStatusCallback=https%3A%2F%2Fcb.example%2Frec%3Fcall%3D1%26leg%3Da&RecordingChannels=dual"


CHANGED_SCHEMA_CHILD = r"""
import json, httpx
import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace
from signalwire_compat_generated.models import CreateCallStreamRequest

with FakeSpace() as space:
    stream = space.add_call_stream()
    with space.client() as client:
        stopped = client.calls(stream.parent_sid).streams(stream.sid).stop()
        # The new optional request field, not wrapped yet, goes through invoke.
        body = CreateCallStreamRequest(url="wss://example.com/a", codec="PCMU")
        created = client.invoke("create_stream", call_sid=stream.parent_sid, body=body)
    codec = space.stream_settings(str(created.parsed.sid))["Codec"]

document = {"sid": stream.sid, "account_sid": space.project_id, "call_sid": stream.parent_sid, "name": "n",
            "status": "paused", "date_updated": "Tue, 10 Aug 2021 21:39:46 +0000", "uri": "/x", "track": "inbound"}
answers = [httpx.Response(200, json=document), httpx.Response(200, json={**document, "status": "rewound"}),
           httpx.Response(429, json={"code": 20429, "message": "slow down", "more_info": "", "status": 429})]
http = httpx.Client(transport=httpx.MockTransport(lambda request: answers.pop(0)))
with sw.Client(space.project_id, space.api_token, "example.signalwire.com", http_client=http, max_retries=0) as client:
    paused = client.calls(stream.parent_sid).streams(stream.sid).stop()
    rewound = client.calls(stream.parent_sid).streams(stream.sid).stop()
    try:
        client.calls(stream.parent_sid).streams(stream.sid).stop()
    except sw.RateLimitError as error:
        limited = error.status_code
print(json.dumps({"stopped": str(stopped.status), "paused": str(paused.status),
                  "paused_known": paused.status is sw.StreamStatus.PAUSED,
                  "rewound_unparsed": isinstance(rewound.status, sw.Unparsed),
                  "track": paused.track, "extra": dict(paused.extra), "codec": codec, "limited": limited}))
"""


def make_compatible_changes(repository: Path) -> None:
    """A new optional response field (an attribute of the typed result), a new status value (a member of the
    regenerated enum), a new optional request field (through invoke), a new error status, and a required
    list in another order on one page (the same set)."""
    # Both pages that carry the call stream's components change them (else the merge refuses, naming both).
    for name in ("create-stream.yaml", "update-stream.yaml"):
        spec_path = repository / "openapi" / name
        spec = load(spec_path)
        schemas = spec["components"]["schemas"]
        schemas["CallStreamResponse"]["properties"]["track"] = {"type": "string", "description": "Which audio."}
        schemas["StreamStatus"]["enum"].append("paused")
        if name == "create-stream.yaml":
            schemas["CreateCallStreamRequest"]["properties"]["Codec"] = {"type": "string"}
        if name == "update-stream.yaml":
            schemas["CallStreamResponse"]["required"].reverse()
            (item,) = spec["paths"].values()
            item["post"]["responses"]["429"] = {
                "description": "Too many requests.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/CompatibilityErrorResponse"}}
                },
            }
        save(spec_path, spec)


@pytest.mark.parametrize("problem", ["conflicting-component", "duplicate-operation"])
def test_a_conflicting_spec_fails_generate_naming_both_files_and_leaves_generated_untouched(
    repository: Path, problem: str
) -> None:
    before = tree_files(repository / "generated")
    if problem == "conflicting-component":
        third = create_recording_spec(repository)
        third["components"]["schemas"]["CompatibilityErrorResponse"]["properties"]["status"] = {"type": "string"}
        save(repository / "openapi" / "zz-new.yaml", third)
        expected = (
            "component schemas/CompatibilityErrorResponse is defined differently in "
            "openapi/create-a-call.yaml and openapi/zz-new.yaml: properties.status.type"
        )
    else:
        shutil.copy(repository / "openapi" / "update-stream.yaml", repository / "openapi" / "zz-new.yaml")
        expected = (
            "operation POST /Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid} is defined twice: "
            "in openapi/update-stream.yaml and in openapi/zz-new.yaml"
        )
    result = make(repository, "generate")
    assert result.returncode != 0
    assert expected in result.stderr
    assert "was left untouched" in result.stderr
    assert tree_files(repository / "generated") == before
    assert not list(repository.glob(".generate-*"))


def test_make_check_runs_the_drift_check_after_lint_and_types() -> None:
    # What the tests below run of make check: its drift check, the part that fails on what they change.
    def planned(target: str) -> list[str]:
        command = ["make", "--no-print-directory", "--dry-run", "-C", str(ROOT), target]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout.splitlines()

    check, drift = planned("check"), planned("drift")
    assert drift and all(line in check for line in drift)
    lint_and_types = [index for index, line in enumerate(check) if "ruff" in line or "mypy" in line]
    assert lint_and_types and check.index(drift[0]) > max(lint_and_types)


def test_stale_generated_tree_is_caught_by_make_check(repository: Path) -> None:
    for name in ("create-conference-stream.yaml", "update-conference-stream.yaml"):  # both carry the component
        spec_path = repository / "openapi" / name
        text = spec_path.read_text(encoding="utf-8")
        spec_path.write_text(text.replace("description: Conference stream status.", "description: Status."), "utf-8")
    stale = make(repository, "drift")  # make check's part that fails here (lint and types pass: no code changed)
    assert stale.returncode != 0
    assert "generated is stale" in stale.stderr
    assert "changed:  generated/openapi.merged.yaml" in stale.stderr
    assert "changed:  generated/signalwire_compat_generated/models/conference_stream_response.py" in stale.stderr
    assert "changed:  generated/signalwire_compat_generated/_provenance.py" in stale.stderr
    assert "Run `make generate`" in stale.stderr
    # The check says what the change does to the API (a description only: nothing), and leaves the report
    # file to make generate: the last generation's report survives make check.
    line = "API changes from generated/openapi.merged.yaml to the merged openapi/*.yaml: none (the merged spec "
    line += "changed only in wording)"
    assert line in stale.stderr
    assert not (repository / "build" / "spec-changes.txt").exists()
    generated = make(repository, "generate")
    assert generated.returncode == 0, generated.stderr
    assert line in generated.stdout.splitlines()
    assert (repository / "build" / "spec-changes.txt").read_text() == line + "\n"
    # That make check then passes and leaves the report alone: test_compatible_changes_and_a_third_spec_file_...


def source_line(path: str, text: str) -> int:
    (line,) = [n for n, found in enumerate((ROOT / path).read_text().splitlines(), 1) if text in found]
    return line


def test_a_status_value_the_overlay_sends_removed_fails_make_check_naming_the_line_and_the_report_survives(
    repository: Path,
) -> None:
    spec_path = repository / "openapi" / "update-stream.yaml"
    spec = load(spec_path)
    spec["components"]["schemas"]["UpdateCallStreamRequestStatus"]["enum"] = ["completed"]
    save(spec_path, spec)
    line_of_stop = source_line(RESOURCES, 'self._update("stopped")')
    stop = f"{RESOURCES}:{line_of_stop} (stop)"
    generated = make(repository, "generate")
    assert generated.returncode == 0, generated.stderr  # the tree is what the specs say ...
    removed = "breaking    model UpdateCallStreamRequestStatus: enum value 'stopped' removed [overlay: "
    (reported,) = [line for line in generated.stdout.splitlines() if removed in line]
    assert stop in reported  # the line that sends it
    report = (repository / "build" / "spec-changes.txt").read_text()
    checked = make(repository, "drift")  # ... and the overlay must follow before make check's drift check passes
    assert checked.returncode != 0
    assert f"{stop}: ValueError: status must be one of 'completed'" in checked.stderr
    assert (repository / "build" / "spec-changes.txt").read_text() == report  # make check left it alone


def test_a_renamed_response_field_fails_make_check_naming_the_code_that_reads_it(repository: Path) -> None:
    for name in ("create-stream.yaml", "update-stream.yaml"):  # both carry CallStreamResponse
        spec_path = repository / "openapi" / name
        spec = load(spec_path)
        response = spec["components"]["schemas"]["CallStreamResponse"]
        response["properties"]["stream_uri"] = response["properties"].pop("uri")
        response["required"] = [("stream_uri" if field == "uri" else field) for field in response["required"]]
        save(spec_path, spec)
    generated = make(repository, "generate")
    assert generated.returncode == 0, generated.stderr
    assert "response field 'uri' removed, possibly renamed to 'stream_uri'" in generated.stdout
    checked = make(repository, "check")
    assert checked.returncode != 0
    # The result follows the spec (stream_uri); what still reads .uri fails mypy, naming the file and line.
    assert re.search(r'overlay/signalwire_compat/_cli/_common\.py:\d+: error: .*has no attribute "uri"', checked.stdout)


def reword(document: dict[str, Any]) -> None:
    """Change only the wording of the components a new page shares with the stream pages, as pages do."""
    error = document["components"]["schemas"]["CompatibilityErrorResponse"]
    error["description"] = "An error."
    error["properties"]["code"]["description"] = "The SignalWire error code."
    error["properties"]["code"]["examples"] = [20003]
    error["title"] = "Compatibility error response"  # the same generated class: CompatibilityErrorResponse
    scheme = document["components"]["securitySchemes"]["SignalWireBasicAuth"]
    scheme["description"] = scheme["description"].replace("\n", "\n\n")  # re-wrapped: whitespace only
    scheme["x-fern-basic"] = {"username": {"name": "project_id"}, "password": {"name": "api_token"}}


def test_compatible_changes_and_a_third_spec_file_differing_only_in_wording_pass_make_check_and_reach_users(
    repository: Path,
) -> None:
    """What a spec update that breaks nothing brings at once: compatible changes to the pages (see
    make_compatible_changes) and a new page whose shared components differ from the others' only in wording.
    make generate, then the whole make check passes."""
    make_compatible_changes(repository)
    third = create_recording_spec(repository)
    reword(third)
    save(repository / "openapi" / "create-recording.yaml", third)
    generated = make(repository, "generate")
    assert generated.returncode == 0, generated.stderr
    module = "generated/signalwire_compat_generated/api/subpackage_recordings/create_recording.py"
    assert (repository / module).is_file()
    warnings = [line for line in generated.stderr.splitlines() if line.startswith("generate: warning: ")]
    # create-a-call.yaml sorts first, so its wording is kept; one warning per difference,
    # naming the component, the keyword and both files.
    kept = "openapi/create-a-call.yaml"
    assert warnings == [
        f"generate: warning: component {component}: {keyword} differs between {kept} and "
        f"openapi/create-recording.yaml ({how}); keeping {kept}'s"
        for component, keyword, how in [
            ("schemas/CompatibilityErrorResponse", "properties.code.description", "wording"),
            ("schemas/CompatibilityErrorResponse", "properties.code.examples", "only in the second"),
            ("schemas/CompatibilityErrorResponse", "description", "wording"),
            ("schemas/CompatibilityErrorResponse", "title", "wording"),
            ("securitySchemes/SignalWireBasicAuth", "description", "whitespace only"),
            ("securitySchemes/SignalWireBasicAuth", "x-fern-basic", "only in the second"),
        ]
    ] + [  # and the required list in another order on one page: the same set
        "generate: warning: component schemas/CallStreamResponse: required differs between openapi/create-stream.yaml "
        "and openapi/update-stream.yaml (order only); keeping openapi/create-stream.yaml's"
    ]
    assert f"compatible  POST {RECORDINGS} (create_recording): operation added" in generated.stdout
    assert "compatible  model CallStreamResponse: optional response field 'track' added (string)" in generated.stdout
    assert "  request field 'Codec' of CreateCallStreamRequest (create_stream)" in generated.stdout  # not wrapped
    assert "    track: str | None = None" in (repository / "overlay/signalwire_compat/_results.py").read_text()
    report = (repository / "build" / "spec-changes.txt").read_text()
    checked = make(repository, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (repository / "build" / "spec-changes.txt").read_text() == report  # the generation's, left alone
    assert "generate: warning: component" in checked.stderr  # the drift check shows the same warnings
    changed = run_overlay(repository, CHANGED_SCHEMA_CHILD)
    assert changed == {
        "stopped": "stopped",
        "paused": "paused",
        "paused_known": True,
        "rewound_unparsed": True,  # a status the spec still does not list
        "track": "inbound",
        "extra": {},
        "codec": "PCMU",
        "limited": 429,
    }
    recording = run_overlay(repository, CREATE_RECORDING_CHILD)
    assert recording["generated_from"].startswith(str(repository))
    assert recording["path"].endswith("/Recordings")
    assert recording["body"] == RECORDING_BODY  # form-encoded once
    assert recording["content_type"] == "application/x-www-form-urlencoded"
    assert recording["auth_ok"] is True
    assert recording["mapped"] == "NotFoundError"
    assert (recording["parsed"], recording["status"]) == ("CallRecordingResponse", "in-progress")


def test_the_same_spec_with_one_semantic_difference_fails_naming_both_files(repository: Path) -> None:
    before = tree_files(repository / "generated")
    third = create_recording_spec(repository)
    reword(third)
    third["components"]["schemas"]["CompatibilityErrorResponse"]["properties"]["code"]["format"] = "int32"
    save(repository / "openapi" / "create-recording.yaml", third)
    result = make(repository, "generate")
    assert result.returncode != 0
    assert (
        "generate: error: component schemas/CompatibilityErrorResponse is defined differently in "
        "openapi/create-a-call.yaml and openapi/create-recording.yaml: "
        "properties.code.format only in the second"
    ) in result.stderr
    assert "was left untouched" in result.stderr
    assert tree_files(repository / "generated") == before


RETRIEVE_CONFERENCE_CHILD = r"""
import json
from signalwire_compat.testing import FakeSpace

conference_sid = "5d1c7e2a-0000-4000-8000-000000000001"
with FakeSpace() as space:
    document = {"sid": conference_sid, "account_sid": space.project_id, "date_created": "x", "date_updated": "x",
                "friendly_name": "room", "status": "in-progress", "api_version": "2010-04-01", "region": "us1",
                "uri": "/c", "subresource_uris": {"participants": "/p", "recordings": "/r"}}
    try:
        space.respond("retrieve_conference", json={"sid": "not enough"})
    except ValueError as error:
        refused = str(error)
    space.respond("retrieve_conference", json=document)
    with space.client() as client:
        result = client.invoke("retrieve_conference", sid=conference_sid)
    (request,) = space.requests
print(json.dumps({"refused": refused, "status": result.status_code, "parsed": type(result.parsed).__name__,
                  "sid": str(result.parsed.sid), "method": request.method, "path": request.path}))
"""


# The quick tests that read what openapi/ holds (the pages, the operations, the upstream spec's sha256) or
# that a new generated operation reaches (the seam, invoke, FakeSpace.respond, the exports, the layout).
# The whole `make quick` passes on such a copy too (run by hand: too slow to repeat here); this subset keeps the
# suite's time budget.
OPERATION_DEPENDENT_TESTS = [
    "tests/pipeline/test_specs.py",
    "tests/pipeline/test_fixtures.py",
    "tests/pipeline/test_upstream_spec.py",
    "tests/pipeline/test_literals.py",
    "tests/pipeline/test_overlay_fit.py",
    "tests/pipeline/test_add_operation.py",
    "tests/sdk/test_escape_hatch.py",
    "tests/sdk/test_seam.py",
    "tests/sdk/test_public_api.py",
    "tests/sdk/test_layout.py",
    "tests/sdk/test_twins.py",
    "tests/fake/test_fake_space_respond.py",
]


# One process runs them: the plugins for many workers, a cache between runs and schemathesis are not needed.
UNNEEDED_PLUGINS = ["-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:schemathesis"]


def test_add_operation_then_check_and_quick_pass_and_the_operation_is_callable_on_a_fake(repository: Path) -> None:
    added = make(repository, "add-operation", "OP=retrieve_conference")
    assert added.returncode == 0, added.stdout + added.stderr
    added_line = "compatible  GET /Accounts/{AccountSid}/Conferences/{Sid} (retrieve_conference): operation added"
    assert added_line in added.stdout
    assert "  operation retrieve_conference" in added.stdout  # the coverage: not wrapped yet
    assert (repository / "openapi" / "retrieve-conference.yaml").is_file()
    checked = make(repository, *CHECK_AFTER_GENERATE, copy_first=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    environment["PYTHONPATH"] = f"{repository / 'overlay'}{os.pathsep}{repository / 'generated'}"
    quick = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "not slow", *UNNEEDED_PLUGINS, *OPERATION_DEPENDENT_TESTS],
        cwd=repository,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )
    assert quick.returncode == 0, quick.stdout[-3000:] + quick.stderr
    ran = re.search(r"(\d+) passed", quick.stdout)
    assert ran is not None and int(ran[1]) > 90, quick.stdout[-500:]
    report = run_overlay(repository, RETRIEVE_CONFERENCE_CHILD)
    assert "retrieve_conference: json= is not what the generated client reads for a 200 answer" in report["refused"]
    assert (report["status"], report["parsed"], report["method"]) == (200, "ConferenceResponse", "GET")
    assert report["sid"] == "5d1c7e2a-0000-4000-8000-000000000001"
    assert report["path"].endswith("/Conferences/5d1c7e2a-0000-4000-8000-000000000001")
