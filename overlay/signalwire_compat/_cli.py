"""``signalwire-compat``: start and stop media streams from a shell, and check webhook signatures.

    signalwire-compat start-stream --call CALL_SID --url wss://example.com/audio --name agent-audio
    signalwire-compat stop-stream --call CALL_SID STREAM_SID_OR_NAME
    signalwire-compat stop-stream --stdin < streams.txt      # lines: call|conference SID STREAM
    signalwire-compat verify-webhook --request saved.json

Credentials come from SIGNALWIRE_PROJECT_ID and SIGNALWIRE_API_TOKEN, the space from
SIGNALWIRE_SPACE_URL (or SIGNALWIRE_SPACE) or --space-url. Secrets (the API token, the signing key,
a stream's bearer token) are never taken as arguments: command lines are visible to every user of
the machine. Results are JSON on stdout; problems are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, NoReturn

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
    SignalWireError,
)
from ._models import CallStream, ConferenceStream

if TYPE_CHECKING:
    from ._async_client import AsyncClient

__all__ = ["main"]

EXIT_OK = 0
EXIT_API_ERROR = 1  # the API refused or gave an unreadable answer; verify-webhook: not a valid signature
EXIT_USAGE = 2  # bad arguments, configuration or input; nothing was sent
EXIT_CONNECTION = 3  # no answer: refused, reset, timed out
EXIT_BULK_FAILURES = 4  # --stdin: at least one line failed (each failure is on stdout)
EXIT_BULK_STOPPED = 5  # --stdin: stopped sending early (credentials refused, space unreachable)
EXIT_INTERRUPTED = 130

PROG = "signalwire-compat"
ENV_BEARER_TOKEN = "SIGNALWIRE_STREAM_BEARER_TOKEN"  # noqa: S105 - a variable's name
ENV_SIGNING_KEY = "SIGNALWIRE_SIGNING_KEY"
_SECRET_FLAGS = ("--api-token", "--token", "--api_token", "--password", "--signing-key", "--bearer-token")

_ENVIRONMENT = """\
environment:
  SIGNALWIRE_PROJECT_ID    project id (or --project-id)
  SIGNALWIRE_API_TOKEN     API token: read only from the environment, never from the command line
  SIGNALWIRE_SPACE_URL     your space: example, example.signalwire.com or https://... (or --space-url;
                           SIGNALWIRE_SPACE is read too)
"""
_EXIT_CODES = """\
exit codes:
  0  done          1  the API refused (4xx/5xx after retries) or answered unreadably
  2  usage or configuration error; nothing was sent
  3  no answer: refused, reset, timed out
  4  --stdin: at least one line failed      5  --stdin: stopped early (see the summary)
  130  interrupted
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse echoes unrecognised arguments, which could be a pasted token: name none of them.
        if message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (see --help)"
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _version_text() -> str:
    from ._provenance import PROVENANCE

    return str(PROVENANCE)


def _epilog(examples: str, *extra: str) -> str:
    return "\n".join([f"examples:\n{examples}", *extra, _ENVIRONMENT, _EXIT_CODES])


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--space-url", help="space name, host or URL (default: $SIGNALWIRE_SPACE_URL or $SIGNALWIRE_SPACE)"
    )
    parser.add_argument("--project-id", help="project id (default: $SIGNALWIRE_PROJECT_ID)")
    parser.add_argument("--account-sid", help="account sid for the paths (default: the project id)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per attempt (default 30)")
    parser.add_argument("--max-retries", type=int, default=2, help="retries after retryable failures (default 2)")


def _build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=PROG,
        description="Start and stop SignalWire media streams (Compatibility API), and check webhook signatures.",
        epilog=_epilog(
            f"  {PROG} start-stream --call CALL_SID --url wss://example.com/audio --name agent-audio\n"
            f"  {PROG} stop-stream --call CALL_SID --name agent-audio"
        ),
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="store_true", help="print versions and the spec's sha256")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    start = commands.add_parser(
        "start-stream",
        help="start streaming a call's or a conference's audio to a WebSocket server",
        description="Start streaming a call's or a conference's audio to a wss:// URL. Prints the stream as JSON.",
        epilog=_epilog(
            f"  {PROG} start-stream --call CALL_SID --url wss://example.com/audio --name agent-audio \\\n"
            "      --param FirstName=Jane --param Lang=en --status-callback https://example.com/stream-status\n"
            f"  {PROG} start-stream --conference CONFERENCE_SID --url wss://example.com/audio --stream-codec PCMU",
            f"The WebSocket server's bearer token, if it needs one, is read from ${ENV_BEARER_TOKEN}.",
        ),
        formatter_class=formatter,
    )
    parent = start.add_mutually_exclusive_group(required=True)
    parent.add_argument("--call", metavar="CALL_SID", help="the call to stream")
    parent.add_argument("--conference", metavar="CONFERENCE_SID", help="the conference to stream")
    start.add_argument("--url", required=True, help="where to stream: a wss:// URL")
    start.add_argument("--name", help="a name to stop the stream by later (letters, digits, _ - .)")
    start.add_argument("--track", help="inbound_track, outbound_track or both_tracks (the API's default)")
    start.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a custom parameter (repeat)")
    start.add_argument("--status-callback", metavar="URL", help="URL told when the stream starts and stops")
    start.add_argument("--status-callback-method", metavar="METHOD", help="POST (default) or GET")
    start.add_argument("--stream-codec", metavar="CODEC", help="--conference: PCMU, PCMA, L16, L16@16000h, L16@24000h")
    start.add_argument("--stream-real-time", action="store_true", default=None, help="--conference: real-time audio")
    _add_connection_options(start)

    stop = commands.add_parser(
        "stop-stream",
        help="stop a call's or a conference's media stream, by sid or name (or many, from stdin)",
        description="Stop media streams. A stream is given by its sid or its name. Prints the stream as JSON; "
        "with --stdin, one JSON line per input line and a summary on stderr.",
        epilog=_epilog(
            f"  {PROG} stop-stream --call CALL_SID STREAM_SID\n"
            f"  {PROG} stop-stream --stdin --concurrency 20 < streams.txt\n"
            "      # streams.txt: 'call CALL_SID STREAM' or 'conference CONFERENCE_SID STREAM' per line,\n"
            "      # STREAM a sid or a name; '#' starts a comment",
            "--stdin stops sending new lines once the API refuses the credentials (401/403), or when the\n"
            "space cannot be reached before any line was answered; --keep-going sends every line anyway.",
        ),
        formatter_class=formatter,
    )
    target = stop.add_mutually_exclusive_group(required=True)
    target.add_argument("--call", metavar="CALL_SID", help="the call whose stream to stop")
    target.add_argument("--conference", metavar="CONFERENCE_SID", help="the conference whose stream to stop")
    target.add_argument("--stdin", action="store_true", help="read 'call|conference SID STREAM' lines, stop them all")
    stop.add_argument("stream", nargs="?", metavar="STREAM", help="the stream's sid or name")
    stop.add_argument("--name", help="the stream's name (instead of STREAM)")
    stop.add_argument("--concurrency", type=int, default=10, help="--stdin: stops in flight at once (default 10)")
    stop.add_argument("--keep-going", action="store_true", help="--stdin: never stop sending early")
    _add_connection_options(stop)

    verify = commands.add_parser(
        "verify-webhook",
        help="check the signature of a saved webhook request (for debugging)",
        description="Check a webhook request's signature with the project's signing key "
        f"(read only from ${ENV_SIGNING_KEY}). The request is a JSON file with url, signature (or headers) "
        "and body (text) or body_base64, or given by --url, --signature and --body-file. Prints "
        '{"valid": true} or {"valid": false, "reasons": [...]}.',
        epilog="\n".join(
            [
                "examples:",
                f"  {PROG} verify-webhook --request saved-request.json",
                f"  {PROG} verify-webhook --url https://example.com/stream-status --signature SIG --body-file body.txt",
                "",
                "environment:",
                f"  {ENV_SIGNING_KEY}   the project's Signing Key (not the API token)",
                "",
                "exit codes:",
                "  0  the signature is valid    1  it is not    2  usage error (or no signing key)",
            ]
        ),
        formatter_class=formatter,
    )
    verify.add_argument("--request", metavar="FILE", help="a saved request as JSON ('-' for stdin)")
    verify.add_argument("--url", help="the exact URL SignalWire requested")
    verify.add_argument("--signature", help="the X-SignalWire-Signature (or X-Twilio-Signature) header's value")
    verify.add_argument("--body-file", metavar="FILE", help="the raw request body ('-' for stdin)")
    return parser


# -- output ------------------------------------------------------------------------------------------


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
    if error.missing in _MISSING:
        return _MISSING[error.missing]
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


def _start_one(args: argparse.Namespace, stdout: IO[str]) -> int:
    from ._client import Client

    parameters: dict[str, str] = {}
    for item in args.param:
        name, separator, value = item.partition("=")
        if not separator or not name:
            raise ValueError(f"--param must be NAME=VALUE, got {item!r}")
        parameters[name] = value
    options: dict[str, Any] = {
        "url": args.url,
        "name": args.name,
        "track": args.track,
        "status_callback": args.status_callback,
        "status_callback_method": args.status_callback_method,
        "parameters": parameters or None,
        "authorization_bearer_token": os.environ.get(ENV_BEARER_TOKEN) or None,
    }
    if args.call is not None and (args.stream_codec is not None or args.stream_real_time is not None):
        raise ValueError("--stream-codec and --stream-real-time apply to --conference streams only")
    with Client(**_client_options(args)) as client:
        if args.call is not None:
            stream: CallStream | ConferenceStream = client.calls(args.call).streams.create(**options)
        else:
            stream = client.conferences(args.conference).streams.create(
                **options, stream_codec=args.stream_codec, stream_real_time=args.stream_real_time
            )
    stdout.write(json.dumps(result_json(stream)) + "\n")
    return EXIT_OK


def _stop_one(args: argparse.Namespace, stdout: IO[str]) -> int:
    from ._client import Client

    with Client(**_client_options(args)) as client:
        if args.call is not None:
            stream: CallStream | ConferenceStream = client.calls(args.call).streams(args.stream).stop()
        else:
            stream = client.conferences(args.conference).streams(args.stream).stop()
    stdout.write(json.dumps(result_json(stream)) + "\n")
    return EXIT_OK


def _verify_webhook(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    import base64

    from . import webhooks

    key = os.environ.get(ENV_SIGNING_KEY)
    if not key:
        raise ConfigurationError(f"no signing key: set {ENV_SIGNING_KEY} to the project's Signing Key")
    if args.request is not None:
        text = stdin.read() if args.request == "-" else _read_text(args.request)
        try:
            saved = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"--request: not JSON ({exc})") from None
        if not isinstance(saved, dict) or not isinstance(saved.get("url"), str):
            raise ValueError("--request: expected a JSON object with url, signature (or headers) and body")
        headers = saved.get("headers")
        signature = saved.get("signature")
        if signature is None and isinstance(headers, dict):
            signature = webhooks.signature_from_headers({str(k): str(v) for k, v in headers.items()})
        body: bytes = (
            base64.b64decode(saved["body_base64"])
            if isinstance(saved.get("body_base64"), str)
            else str(saved.get("body") or "").encode("utf-8")
        )
        url = saved["url"]
    else:
        if args.url is None:
            raise ValueError("give --request FILE, or --url (with --signature and --body-file)")
        url, signature = args.url, args.signature
        body = b"" if args.body_file is None else _read_bytes(args.body_file, stdin)
    try:
        webhooks.verify(key, signature=signature, url=url, body=body)
    except SignalWireError as error:
        reasons = list(getattr(error, "reasons", ())) or [_one_line(error)]
        stdout.write(json.dumps({"valid": False, "reasons": reasons}) + "\n")
        return EXIT_API_ERROR
    stdout.write(json.dumps({"valid": True}) + "\n")
    return EXIT_OK


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None


def _read_bytes(path: str, stdin: IO[str]) -> bytes:
    if path == "-":
        return stdin.read().encode("utf-8")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None


# -- bulk -------------------------------------------------------------------------------------------


def _parse_line(text: str) -> tuple[str, str, str]:
    parts = text.split()
    if len(parts) != 3 or parts[0].lower() not in ("call", "conference"):
        raise ValueError(f"expected 'call CALL_SID STREAM' or 'conference CONFERENCE_SID STREAM', got {text!r}")
    return parts[0].lower(), parts[1], parts[2]


def _ranges(numbers: Sequence[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class _Progress:
    """A one-line counter on stderr, only when stderr is a terminal; cleared before each result line."""

    def __init__(self, stream: IO[str], total: int) -> None:
        self._stream = stream
        self._total = total
        self._enabled = stream.isatty()
        self._shown = False
        self._last = 0.0

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._shown = False

    def update(self, done: int, stopped: int) -> None:
        now = time.monotonic()
        if not self._enabled or now - self._last < 0.1:
            return
        self._last = now
        self._stream.write(f"\r{done}/{self._total} done, {stopped} stopped, {done - stopped} failed")
        self._stream.flush()
        self._shown = True


class _BulkRun:
    """``stop-stream --stdin``: every line stopped concurrently, at most ``concurrency`` in flight,
    in order of taking; what happened to each line is known even if the run is cut short."""

    def __init__(
        self,
        lines: list[str],
        *,
        client_options: dict[str, Any],
        concurrency: int,
        keep_going: bool,
        stdout: IO[str],
        stderr: IO[str],
    ) -> None:
        self.client_options = client_options
        self.jobs: list[tuple[int, str]] = []
        for number, text in enumerate(lines, 1):
            content = text.split("#", 1)[0].strip()  # '#' starts a comment; sids and names have none
            if content:
                self.jobs.append((number, content))
        self.concurrency = concurrency
        self.keep_going = keep_going
        self.stdout, self.stderr = stdout, stderr
        self.counts = {"stopped": 0, "api_error": 0, "connection_error": 0, "bad_line": 0}
        self.next_job = 0
        self.in_flight: set[int] = set()
        self.answered = False  # the space has answered at least one line (any HTTP status)
        self.stop_reason: str | None = None
        self.progress = _Progress(stderr, len(self.jobs))

    @property
    def not_sent(self) -> list[int]:
        return [number for number, _ in self.jobs[self.next_job :]]

    async def run(self) -> None:
        from ._async_client import AsyncClient

        async with AsyncClient(**self.client_options) as client:
            workers = min(self.concurrency, max(len(self.jobs), 1))
            await asyncio.gather(*(self._worker(client) for _ in range(workers)))
        self.progress.clear()

    async def _worker(self, client: AsyncClient) -> None:
        while self.stop_reason is None and self.next_job < len(self.jobs):
            number, text = self.jobs[self.next_job]
            self.next_job += 1
            self.in_flight.add(number)
            record: dict[str, Any] = {"line": number, "input": text}
            try:
                kind, parent, stream_ref = _parse_line(text)
                if kind == "call":
                    stream: CallStream | ConferenceStream = await client.calls(parent).streams(stream_ref).stop()
                else:
                    stream = await client.conferences(parent).streams(stream_ref).stop()
            except (SignalWireError, ValueError) as error:
                self._failed(record, error)
            else:
                self.answered = True
                self.counts["stopped"] += 1
                record |= {"ok": True, "result": result_json(stream)}
            self.in_flight.discard(number)
            self._emit(record)

    def _failed(self, record: dict[str, Any], error: BaseException) -> None:
        code = _exit_code(error)
        key = {EXIT_API_ERROR: "api_error", EXIT_CONNECTION: "connection_error"}.get(code, "bad_line")
        self.counts[key] += 1
        record |= {"ok": False, "error": _one_line(error), "error_type": type(error).__name__}
        if isinstance(error, APIError):
            self.answered = True
            record["status_code"] = error.status_code
        if self.keep_going or self.stop_reason is not None:
            return
        if isinstance(error, AuthenticationError | PermissionDeniedError):
            self.stop_reason = (
                f"line {record['line']}: the API refused the credentials ({error.status_code}): check "
                "SIGNALWIRE_PROJECT_ID, SIGNALWIRE_API_TOKEN and the token's Voice scope"
            )
        elif isinstance(error, APIConnectionError) and not error.request_sent and not self.answered:
            self.stop_reason = f"line {record['line']}: the space cannot be reached ({_one_line(error)})"

    def _emit(self, record: dict[str, Any]) -> None:
        self.progress.clear()
        self.stdout.write(json.dumps(record) + "\n")
        self.stdout.flush()
        done = sum(self.counts.values())
        self.progress.update(done, self.counts["stopped"])

    def summary(self) -> str:
        done = sum(self.counts.values())
        failed = done - self.counts["stopped"]
        return (
            f"{PROG}: {self.counts['stopped']} of {len(self.jobs)} streams stopped, {failed} failed "
            f"({_plural(self.counts['api_error'], 'API error')}, "
            f"{_plural(self.counts['connection_error'], 'connection error')}, "
            f"{_plural(self.counts['bad_line'], 'bad line')})"
        )

    def interrupted_summary(self) -> str:
        parts = [f"{PROG}: interrupted"]
        if self.in_flight:
            parts.append(f"lines {_ranges(sorted(self.in_flight))} were in flight (outcome unknown: check them)")
        if self.not_sent:
            parts.append(f"lines {_ranges(self.not_sent)} were not sent")
        return "; ".join(parts)


def _stop_many(args: argparse.Namespace, lines: list[str], stdout: IO[str], stderr: IO[str]) -> int:
    run = _BulkRun(
        lines,
        client_options=_client_options(args),
        concurrency=args.concurrency,
        keep_going=args.keep_going,
        stdout=stdout,
        stderr=stderr,
    )
    try:
        asyncio.run(run.run())
    except KeyboardInterrupt:
        run.progress.clear()
        stderr.write(run.interrupted_summary() + "\n")
        return EXIT_INTERRUPTED
    stderr.write(run.summary() + "\n")
    if run.stop_reason is not None:
        not_sent = run.not_sent
        stderr.write(
            f"{PROG}: stopped sending after {run.stop_reason}; {_plural(len(not_sent), 'line')} not attempted"
            + (f" ({_ranges(not_sent)})" if not_sent else "")
            + "; --keep-going sends every line anyway\n"
        )
        return EXIT_BULK_STOPPED
    failed = sum(run.counts.values()) - run.counts["stopped"]
    return EXIT_OK if failed == 0 else EXIT_BULK_FAILURES


# -- entry point -------------------------------------------------------------------------------------


def _check_stop_arguments(args: argparse.Namespace) -> str | None:
    if args.name is not None:
        if args.stream is not None:
            return "give the stream as STREAM or --name, not both"
        args.stream = args.name
    if args.stdin and args.stream is not None:
        return "STREAM is not used with --stdin"
    if not args.stdin and args.stream is None:
        return "STREAM (the stream's sid or name) or --name is required"
    if not 1 <= args.concurrency <= 1000:
        return "--concurrency must be between 1 and 1000"
    return None


def main(argv: Sequence[str] | None = None, *, stdin: IO[str] | None = None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    source = stdin or sys.stdin
    arguments = list(sys.argv[1:] if argv is None else argv)
    if any(a.split("=", 1)[0] in _SECRET_FLAGS for a in arguments):
        stderr.write(
            f"{PROG}: error: secrets are read only from the environment (SIGNALWIRE_API_TOKEN, {ENV_SIGNING_KEY}, "
            f"{ENV_BEARER_TOKEN}): command lines are visible in process lists\n"
        )
        return EXIT_USAGE
    parser = _build_parser()
    args = parser.parse_args(arguments)
    if args.version:
        stdout.write(_version_text() + "\n")
        return EXIT_OK
    if args.command is None:
        parser.print_usage(stderr)
        return EXIT_USAGE
    if args.command == "stop-stream" and (problem := _check_stop_arguments(args)) is not None:
        stderr.write(f"{PROG}: error: {problem}\n")
        return EXIT_USAGE
    try:
        if args.command == "verify-webhook":
            return _verify_webhook(args, source, stdout)
        if args.command == "start-stream":
            return _start_one(args, stdout)
        if args.stdin:
            return _stop_many(args, source.read().splitlines(), stdout, stderr)
        return _stop_one(args, stdout)
    except KeyboardInterrupt:
        stderr.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except ConfigurationError as error:
        stderr.write(f"{PROG}: configuration error: {_configuration_message(error)}\n")
        return EXIT_USAGE
    except (SignalWireError, ValueError) as error:
        stderr.write(f"{PROG}: error: {_one_line(error)}\n")
        return _exit_code(error)
    finally:
        stdout.flush()
