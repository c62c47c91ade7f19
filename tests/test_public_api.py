"""The public surface: exported names pinned, and the API type-checks as users write it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import signalwire_compat as sw

from conftest import ROOT

EXPECTED_EXPORTS = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "CallStream",
    "Client",
    "ConferenceStream",
    "ConfigurationError",
    "InternalServerError",
    "InvalidDateError",
    "NotFoundError",
    "OperationResult",
    "PermissionDeniedError",
    "RateLimitError",
    "ServiceUnavailableError",
    "SignalWireError",
    "StreamStatus",
    "Unparsed",
    "UnprocessableEntityError",
    "__version__",
    "parse_rfc2822_datetime",
]


def test_exported_names_are_pinned() -> None:
    assert sorted(sw.__all__) == sorted(EXPECTED_EXPORTS)
    for name in sw.__all__:
        assert getattr(sw, name) is not None


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
        assert issubclass(error, sw.APIError)
    assert issubclass(sw.ServiceUnavailableError, sw.InternalServerError)
    assert issubclass(sw.APITimeoutError, sw.APIConnectionError)
    for error in [sw.APIError, sw.APIConnectionError, sw.APIResponseValidationError, sw.ConfigurationError]:
        assert issubclass(error, sw.SignalWireError)
    assert issubclass(sw.ConfigurationError, ValueError)
    assert issubclass(sw.InvalidDateError, ValueError)
    assert not issubclass(sw.APIResponseValidationError, sw.APIError)


def test_status_compares_equal_to_plain_strings() -> None:
    assert sw.StreamStatus.STOPPED == "stopped"
    assert sw.StreamStatus.IN_PROGRESS == "in-progress"
    assert sw.StreamStatus.QUEUED == "queued"
    assert [s.value for s in sw.StreamStatus] == ["queued", "in-progress", "stopped"]


def test_packages_ship_py_typed() -> None:
    assert (ROOT / "overlay" / "signalwire_compat" / "py.typed").is_file()
    assert (ROOT / "generated" / "signalwire_compat_generated" / "py.typed").is_file()


def _mypy(path: Path) -> tuple[str, int]:
    from mypy import api

    stdout, stderr, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir=/dev/null", "--no-error-summary", str(path)]
    )
    return stdout + stderr, status


@pytest.mark.timeout(300)
def test_public_api_type_checks_as_users_write_it() -> None:
    output, status = _mypy(ROOT / "tests" / "typing" / "public_api_ok.py")
    assert status == 0, output


@pytest.mark.timeout(300)
def test_misuse_is_rejected_by_the_type_checker() -> None:
    path = ROOT / "tests" / "typing" / "public_api_errors.py"
    output, status = _mypy(path)
    assert status == 1
    expected = {n for n, line in enumerate(path.read_text().splitlines(), 1) if "# error:" in line}
    reported = {int(m) for m in re.findall(rf"{re.escape(path.name)}:(\d+): error", output)}
    assert reported == expected, output
