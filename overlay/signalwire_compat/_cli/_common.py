"""What every ``signalwire-compat`` command shares: JSON results, one-line errors, exit codes, client options."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import IO, Any

from .._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
)
from .._models import CallStream, ConferenceStream
from ._parser import (
    EXIT_API_ERROR,
    EXIT_CONNECTION,
    EXIT_USAGE,
)


def read_bytes(source: IO[str]) -> bytes:
    """Everything ``source`` holds, as sent: a real stdin's bytes, not its text (text mode turns
    ``\r`` and ``\r\n`` into ``\n``, which changes a signed body and splits a line in two)."""
    buffer = getattr(source, "buffer", None)
    if buffer is not None:
        data = buffer.read()
        if isinstance(data, bytes):
            return data
    return source.read().encode("utf-8", "surrogateescape")


def read_text(source: IO[str]) -> str:
    """Everything ``source`` holds, decoded as it declares, with its line ends left as they are."""
    if getattr(source, "buffer", None) is None:
        return source.read()
    encoding = getattr(source, "encoding", None) or "utf-8"
    return read_bytes(source).decode(encoding, getattr(source, "errors", None) or "strict")


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return str(value)


def result_json(stream: CallStream | ConferenceStream) -> dict[str, Any]:
    """A result as JSON-ready data: dates in ISO 8601 UTC, unread values as their text."""
    if isinstance(stream, CallStream):
        kind, parent = "call", {"call_sid": str(stream.call_sid)}
    else:
        kind, parent = "conference", {"conference_sid": str(stream.conference_sid)}
    return {
        "kind": kind,
        "sid": str(stream.sid),
        "account_sid": str(stream.account_sid),
        **parent,
        "name": None if stream.name is None else str(stream.name),
        "status": str(stream.status),
        "date_updated": _iso(stream.date_updated),
        "uri": str(stream.uri),
        **({"extra": dict(stream.extra)} if stream.extra else {}),
    }


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _exit_code(error: BaseException) -> int:
    if isinstance(error, APIConnectionError):
        return EXIT_CONNECTION
    if isinstance(error, APIStatusError | APIResponseValidationError):
        return EXIT_API_ERROR
    return EXIT_USAGE


_MISSING = {
    "project_id": "no project id: pass --project-id or set SIGNALWIRE_PROJECT_ID",
    "api_token": "no API token: set SIGNALWIRE_API_TOKEN (the CLI reads it only from the environment)",
    "space_url": "no space: pass --space-url or set SIGNALWIRE_SPACE_URL (e.g. example.signalwire.com)",
}
_CLI_TERMS = [
    ("pass project_id and api_token", "set SIGNALWIRE_PROJECT_ID (or --project-id) and SIGNALWIRE_API_TOKEN"),
    ("pass account_sid=...", "pass --account-sid"),
    ("space_url", "--space-url (or SIGNALWIRE_SPACE_URL)"),
    ("project_id", "--project-id (or SIGNALWIRE_PROJECT_ID)"),
    ("api_token", "SIGNALWIRE_API_TOKEN"),
    ("account_sid", "--account-sid"),
    ("max_retries", "--max-retries"),
    ("timeout", "--timeout"),
]


def _configuration_message(error: ConfigurationError) -> str:
    """A configuration error in the CLI's terms (flags and environment variables, not arguments)."""
    if error.missing_settings and all(name in _MISSING for name in error.missing_settings):
        return "; ".join(_MISSING[name] for name in error.missing_settings)
    text = _one_line(error)
    for python, cli in _CLI_TERMS:
        text = text.replace(python, cli)
    return text


def _client_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "project_id": args.project_id,
        "space_url": args.space_url,
        "account_sid": args.account_sid,
        "timeout": args.timeout,
        "max_retries": args.max_retries,
    }


# -- commands -------------------------------------------------------------------------------------


def _credentials_hint(error: BaseException) -> str:
    """What to check when the API refused the credentials (401/403); empty for any other error."""
    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return (
            f"the API refused the credentials ({error.status_code}): check "
            "SIGNALWIRE_PROJECT_ID, SIGNALWIRE_API_TOKEN and the token's Voice scope"
        )
    return ""
