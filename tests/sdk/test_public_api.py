"""The public surface: exported names pinned, and the API type-checks as users write it."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import signalwire_compat as sw
from tests.helpers import ROOT, mypy_cache_dir

EXPECTED_EXPORTS = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "CXMLError",
    "Call",
    "CallDirection",
    "CallStatus",
    "CallStream",
    "Client",
    "ClientClosedError",
    "ConferenceStream",
    "ConferenceStreamStatus",
    "ConfigurationError",
    "InternalServerError",
    "InvalidDateError",
    "InvalidSignatureError",
    "MediaProtocolError",
    "NotFoundError",
    "OperationResult",
    "PROVENANCE",
    "PermissionDeniedError",
    "Provenance",
    "RateLimitError",
    "RawResponse",
    "ServiceUnavailableError",
    "SignalWireError",
    "StreamError",
    "StreamEvent",
    "StreamStatus",
    "StreamStatusCallback",
    "Unparsed",
    "UnprocessableEntityError",
    "__version__",
    "cxml",
    "media",
    "parse_rfc2822_datetime",
    "webhooks",
]


def test_exported_names_are_pinned() -> None:
    assert sorted(sw.__all__) == sorted(EXPECTED_EXPORTS)
    for name in sw.__all__:
        assert getattr(sw, name) is not None


def test_dir_lists_every_public_name_before_the_lazy_ones_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    lazy = sorted(sw._LAZY)
    for name in lazy:  # as a fresh interpreter has them: not loaded yet (other tests may have used them)
        monkeypatch.delitem(vars(sw), name, raising=False)
    listed = dir(sw)
    assert {"AsyncClient", "cxml", "media", "RawResponse"} <= set(lazy)
    assert set(sw.__all__) <= set(listed)
    assert listed == sorted(listed)
    assert not set(lazy) & vars(sw).keys()  # listing them loaded none of them


def _stream_builders() -> list[tuple[Any, type]]:
    """Every public callable taking ``**options: Unpack[SomeTypedDict]``, with that TypedDict."""
    from signalwire_compat._async._calls import AsyncCallContext, AsyncCalls
    from signalwire_compat._async._resources import AsyncCallStreams, AsyncConferenceStreams
    from signalwire_compat._call_options import CallOptions, CallUpdateOptions
    from signalwire_compat._stream_options import ConferenceStreamOptions, StreamOptions
    from signalwire_compat._sync._calls import CallContext, Calls
    from signalwire_compat._sync._resources import CallStreams, ConferenceStreams
    from signalwire_compat.cxml._build import CallStreamOptions
    from signalwire_compat.cxml._build import ConferenceStreamOptions as CXMLConferenceStreamOptions

    return [
        (CallStreams.create, StreamOptions),
        (AsyncCallStreams.create, StreamOptions),
        (ConferenceStreams.create, ConferenceStreamOptions),
        (AsyncConferenceStreams.create, ConferenceStreamOptions),
        (Calls.create, CallOptions),
        (AsyncCalls.create, CallOptions),
        (CallContext.update, CallUpdateOptions),
        (AsyncCallContext.update, CallUpdateOptions),
        (sw.cxml.Start.stream, CallStreamOptions),
        (sw.cxml.Connect.stream, CallStreamOptions),
        (sw.cxml.Conference.stream, CXMLConferenceStreamOptions),
    ]


def _takes_unpacked_keywords(node: ast.AST) -> bool:
    """A function (not an overload's stub) with ``**kwargs: Unpack[...]``."""
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.args.kwarg is None:
        return False
    annotation = node.args.kwarg.annotation
    stub = any(ast.unparse(decorator).endswith("overload") for decorator in node.decorator_list)
    return annotation is not None and ast.unparse(annotation).startswith("Unpack[") and not stub


def test_every_callable_taking_unpacked_keyword_arguments_is_checked_below() -> None:
    found = set()
    for path in sorted((ROOT / "overlay" / "signalwire_compat").rglob("*.py")):
        if "_sync" in path.parts:  # derived from _async/
            continue
        for owner in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(owner, ast.ClassDef | ast.Module):
                found |= {
                    f"{getattr(owner, 'name', path.stem)}.{node.name}"
                    for node in owner.body
                    if _takes_unpacked_keywords(node)
                }
    assert found
    assert found <= {builder.__qualname__ for builder, _ in _stream_builders()}


@pytest.mark.parametrize(
    ("builder", "options"), _stream_builders(), ids=lambda value: getattr(value, "__qualname__", "")
)
def test_help_of_a_stream_builder_names_each_keyword_argument_it_takes(builder: Any, options: type) -> None:
    import inspect
    import pydoc

    parameters = inspect.signature(builder).parameters
    assert all(p.kind is not p.VAR_KEYWORD for p in parameters.values())
    assert set(options.__annotations__) <= {name for name, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    shown = pydoc.render_doc(builder, renderer=pydoc.plaintext)
    for name in options.__annotations__:
        assert f"{name}: " in shown


def test_error_hierarchy() -> None:
    api_errors = [
        sw.BadRequestError,
        sw.AuthenticationError,
        sw.PermissionDeniedError,
        sw.NotFoundError,
        sw.UnprocessableEntityError,
        sw.RateLimitError,
        sw.InternalServerError,
        sw.ServiceUnavailableError,
    ]
    for error in api_errors:
        assert issubclass(error, sw.APIStatusError)
    assert issubclass(sw.ServiceUnavailableError, sw.InternalServerError)
    assert issubclass(sw.APITimeoutError, sw.APIConnectionError)
    # One root for everything a request can end in, as in openai-python and anthropic-sdk-python.
    for error in [sw.APIStatusError, sw.APIConnectionError, sw.APITimeoutError, sw.APIResponseValidationError]:
        assert issubclass(error, sw.APIError)
    for error in [
        sw.APIError,
        sw.APIConnectionError,
        sw.APIResponseValidationError,
        sw.ConfigurationError,
        sw.InvalidSignatureError,
    ]:
        assert issubclass(error, sw.SignalWireError)
    assert issubclass(sw.ConfigurationError, ValueError)
    assert issubclass(sw.InvalidDateError, ValueError)
    # No request was made for these: they stay outside the API errors.
    for error in [sw.ConfigurationError, sw.ClientClosedError, sw.InvalidSignatureError, sw.CXMLError]:
        assert not issubclass(error, sw.APIError)


def test_status_compares_equal_to_plain_strings() -> None:
    assert sw.StreamStatus.STOPPED == "stopped"
    assert sw.StreamStatus.IN_PROGRESS == "in-progress"
    assert sw.StreamStatus.QUEUED == "queued"
    assert [s.value for s in sw.StreamStatus] == ["queued", "in-progress", "stopped"]


def test_packages_ship_py_typed() -> None:
    assert (ROOT / "overlay" / "signalwire_compat" / "py.typed").is_file()
    assert (ROOT / "generated" / "signalwire_compat_generated" / "py.typed").is_file()


TYPING = ROOT / "tests" / "typing"


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_typing_examples_check_as_written_and_misuse_is_rejected(tmp_path: Path) -> None:
    """One mypy --strict run over tests/typing/: the *_ok.py files (the public API as users write
    it) are clean, and public_api_errors.py fails on exactly its lines marked ``# error:``."""
    from mypy import api

    files = sorted(TYPING.glob("*.py"))
    stdout, stderr, _ = api.run(["--strict", f"--cache-dir={mypy_cache_dir(tmp_path)}", *map(str, files)])
    output = stdout + stderr
    reported: dict[str, set[int]] = {path.name: set() for path in files}
    for name, line in re.findall(r"(\w+\.py):(\d+): error", output):
        reported.setdefault(name, set()).add(int(line))
    misuse = TYPING / "public_api_errors.py"
    expected = {n for n, line in enumerate(misuse.read_text().splitlines(), 1) if "# error:" in line}
    assert expected, "the misuse file must mark the lines it expects errors on"
    assert reported == {path.name: (expected if path == misuse else set()) for path in files}, output


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_typing_examples_check_under_basedpyright_strict_and_misuse_is_rejected(tmp_path: Path) -> None:
    """The same files under a second checker, basedpyright in strict mode (what Pylance users get)."""
    import json
    import shutil
    import subprocess
    import sys

    checker = shutil.which("basedpyright", path=str(Path(sys.executable).parent))
    assert checker is not None, "basedpyright is a dev dependency (pyproject.toml)"
    files = sorted(TYPING.glob("*.py"))
    (tmp_path / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}))
    for path in files:
        shutil.copy(path, tmp_path / path.name)
    result = subprocess.run(
        [checker, "--outputjson", "--pythonpath", sys.executable, *(path.name for path in files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    reported: dict[str, set[int]] = {path.name: set() for path in files}
    for diagnostic in diagnostics:
        if diagnostic["severity"] == "error":
            reported[Path(diagnostic["file"]).name].add(diagnostic["range"]["start"]["line"] + 1)
    misuse = TYPING / "public_api_errors.py"
    expected = {n for n, line in enumerate(misuse.read_text().splitlines(), 1) if "# error:" in line}
    assert reported == {path.name: (expected if path == misuse else set()) for path in files}, result.stdout[:4000]


def test_provenance_names_version_generator_and_spec_hash() -> None:
    import hashlib

    from tests.helpers import ROOT

    merged = (ROOT / "generated" / "openapi.merged.yaml").read_bytes()
    assert sw.PROVENANCE.version == sw.__version__
    assert sw.PROVENANCE.generator == "openapi-python-client"
    assert sw.PROVENANCE.generator_version == "0.29.1"
    assert sw.PROVENANCE.spec_sha256 == hashlib.sha256(merged).hexdigest()
    assert str(sw.PROVENANCE).startswith(f"signalwire-compat {sw.__version__} (client generated by")


@pytest.mark.slow  # starts an interpreter
def test_import_loads_only_what_a_client_needs_before_its_first_request() -> None:
    """`import signalwire_compat` and `sw.Client(...)` leave the generated client, attrs, httpcore,
    asyncio and aiohttp unloaded: they come with the first request (docs/performance.md)."""
    code = (
        "import sys, json, signalwire_compat as sw\n"
        "after_import = set(sys.modules)\n"
        "sw.Client('9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f', 'PTx0123456789', 'https://example.signalwire.com')\n"
        "print(json.dumps([sorted(after_import), sorted(sys.modules)]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGNALWIRE_", "HTTP", "ALL_PROXY"))}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True)
    after_import, after_client = (set(names) for names in json.loads(done.stdout))
    late = {"signalwire_compat_generated", "attrs", "httpcore", "asyncio", "aiohttp", "signalwire_compat.webhooks"}
    assert late.isdisjoint(after_import)
    assert {"signalwire_compat_generated", "attrs", "asyncio", "aiohttp"}.isdisjoint(after_client)
    assert "httpcore" in after_client  # the sync client's engine, made with the client
