"""``signalwire-compat``: stop media streams from a shell, one at a time or in bulk.

    signalwire-compat stop-stream --call CALL_SID STREAM_SID
    signalwire-compat stop-stream --conference CONFERENCE_SID STREAM_SID
    signalwire-compat stop-stream --stdin < streams.txt     # lines: call|conference SID STREAM_SID

Credentials come from SIGNALWIRE_PROJECT_ID and SIGNALWIRE_API_TOKEN, the space from
SIGNALWIRE_SPACE_URL (or SIGNALWIRE_SPACE) or --space-url. The token is never taken as an argument:
command lines are visible to every user of the machine. Results are JSON on stdout; problems are
one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any, NoReturn

from ._exceptions import APIConnectionError, APIError, APIResponseValidationError, ConfigurationError, SignalWireError
from ._models import CallStream, ConferenceStream

__all__ = ["main"]

EXIT_OK = 0
EXIT_API_ERROR = 1  # the API refused or gave an unreadable answer
EXIT_USAGE = 2  # bad arguments, configuration or input; nothing was sent
EXIT_CONNECTION = 3  # no answer: refused, reset, timed out
EXIT_BULK_FAILURES = 4  # --stdin: at least one line failed (each failure is on stdout)
EXIT_INTERRUPTED = 130

PROG = "signalwire-compat"
_TOKEN_FLAGS = ("--api-token", "--token", "--api_token", "--password")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse echoes unrecognised arguments, which could be a pasted token: name none of them.
        if message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (see --help)"
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _version_text() -> str:
    from ._provenance import PROVENANCE

    return str(PROVENANCE)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Stop SignalWire media streams (Compatibility API).")
    parser.add_argument("--version", action="store_true", help="print versions and the spec's sha256")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    stop = commands.add_parser("stop-stream", help="stop a call's or a conference's media stream")
    target = stop.add_mutually_exclusive_group(required=True)
    target.add_argument("--call", metavar="CALL_SID", help="the call whose stream to stop")
    target.add_argument("--conference", metavar="CONFERENCE_SID", help="the conference whose stream to stop")
    target.add_argument(
        "--stdin", action="store_true", help="read 'call|conference SID STREAM_SID' lines and stop them all"
    )
    stop.add_argument("stream_sid", nargs="?", metavar="STREAM_SID", help="the stream to stop")
    stop.add_argument("--space-url", help="space host or URL (default: $SIGNALWIRE_SPACE_URL or $SIGNALWIRE_SPACE)")
    stop.add_argument("--project-id", help="project id (default: $SIGNALWIRE_PROJECT_ID)")
    stop.add_argument("--account-sid", help="account sid for the paths (default: the project id)")
    stop.add_argument("--timeout", type=float, default=30.0, help="seconds per attempt (default 30)")
    stop.add_argument("--max-retries", type=int, default=2, help="retries after retryable failures (default 2)")
    stop.add_argument("--concurrency", type=int, default=10, help="--stdin: stops in flight at once (default 10)")
    return parser


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
    if isinstance(error, APIError | APIResponseValidationError):
        return EXIT_API_ERROR
    return EXIT_USAGE


def _client_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "project_id": args.project_id,
        "space_url": args.space_url,
        "account_sid": args.account_sid,
        "timeout": args.timeout,
        "max_retries": args.max_retries,
    }


def _stop_one(args: argparse.Namespace, stdout: IO[str]) -> int:
    from ._client import Client

    with Client(**_client_options(args)) as client:
        if args.call is not None:
            stream: CallStream | ConferenceStream = client.calls(args.call).streams(args.stream_sid).stop()
        else:
            stream = client.conferences(args.conference).streams(args.stream_sid).stop()
    stdout.write(json.dumps(result_json(stream)) + "\n")
    return EXIT_OK


def _parse_line(text: str) -> tuple[str, str, str]:
    parts = text.split()
    if len(parts) != 3 or parts[0] not in ("call", "conference"):
        raise ValueError("expected 'call SID STREAM_SID' or 'conference SID STREAM_SID'")
    return parts[0], parts[1], parts[2]


async def _stop_many(args: argparse.Namespace, lines: list[str], stdout: IO[str], stderr: IO[str]) -> int:
    from ._async_client import AsyncClient

    jobs = [(number, text.strip()) for number, text in enumerate(lines, 1)]
    jobs = [(number, text) for number, text in jobs if text and not text.startswith("#")]
    counts = {"stopped": 0, "api_error": 0, "connection_error": 0, "bad_line": 0}
    progress = _Progress(stderr, len(jobs))
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    def emit(record: dict[str, Any]) -> None:
        stdout.write(json.dumps(record) + "\n")
        progress.update(counts)

    async def worker(client: AsyncClient) -> None:
        while True:
            try:
                number, text = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            record: dict[str, Any] = {"line": number, "input": text}
            try:
                kind, parent, sid = _parse_line(text)
                if kind == "call":
                    stream: CallStream | ConferenceStream = await client.calls(parent).streams(sid).stop()
                else:
                    stream = await client.conferences(parent).streams(sid).stop()
            except (SignalWireError, ValueError) as error:
                code = _exit_code(error)
                key = {EXIT_API_ERROR: "api_error", EXIT_CONNECTION: "connection_error"}.get(code, "bad_line")
                counts[key] += 1
                record |= {"ok": False, "error": _one_line(error), "error_type": type(error).__name__}
                if isinstance(error, APIError):
                    record["status_code"] = error.status_code
            else:
                counts["stopped"] += 1
                record |= {"ok": True, "result": result_json(stream)}
            emit(record)

    async with AsyncClient(**_client_options(args)) as client:
        await asyncio.gather(*(worker(client) for _ in range(min(args.concurrency, max(len(jobs), 1)))))
    progress.finish()
    failed = len(jobs) - counts["stopped"]
    stderr.write(
        f"{PROG}: {counts['stopped']} of {len(jobs)} streams stopped, {failed} failed "
        f"({counts['api_error']} API errors, {counts['connection_error']} connection errors, "
        f"{counts['bad_line']} bad lines)\n"
    )
    return EXIT_OK if failed == 0 else EXIT_BULK_FAILURES


class _Progress:
    """A one-line counter on stderr, only when stderr is a terminal."""

    def __init__(self, stream: IO[str], total: int) -> None:
        self._stream = stream
        self._total = total
        self._enabled = stream.isatty()
        self._last = 0.0

    def update(self, counts: dict[str, int]) -> None:
        now = time.monotonic()
        if not self._enabled or now - self._last < 0.1:
            return
        self._last = now
        done = sum(counts.values())
        self._stream.write(
            f"\r{done}/{self._total} done, {counts['stopped']} stopped, {done - counts['stopped']} failed"
        )
        self._stream.flush()

    def finish(self) -> None:
        if self._enabled:
            self._stream.write("\r\033[K")


def main(argv: Sequence[str] | None = None, *, stdin: IO[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    if any(a.split("=", 1)[0] in _TOKEN_FLAGS for a in arguments):
        stderr.write(
            f"{PROG}: error: the API token is read only from SIGNALWIRE_API_TOKEN "
            "(command lines are visible in process lists)\n"
        )
        return EXIT_USAGE
    args = _build_parser().parse_args(arguments)
    if args.version:
        stdout.write(_version_text() + "\n")
        return EXIT_OK
    if args.command != "stop-stream":
        _build_parser().print_usage(stderr)
        return EXIT_USAGE
    if args.stdin == (args.stream_sid is not None):
        which = "STREAM_SID is not used with --stdin" if args.stdin else "STREAM_SID is required"
        stderr.write(f"{PROG}: error: {which}\n")
        return EXIT_USAGE
    if args.concurrency < 1 or args.concurrency > 1000:
        stderr.write(f"{PROG}: error: --concurrency must be between 1 and 1000\n")
        return EXIT_USAGE
    try:
        if args.stdin:
            lines = (stdin or sys.stdin).read().splitlines()
            return asyncio.run(_stop_many(args, lines, stdout, stderr))
        return _stop_one(args, stdout)
    except KeyboardInterrupt:
        stderr.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except (SignalWireError, ValueError) as error:
        prefix = "configuration error" if isinstance(error, ConfigurationError) else "error"
        stderr.write(f"{PROG}: {prefix}: {_one_line(error)}\n")
        return _exit_code(error)
    finally:
        stdout.flush()
