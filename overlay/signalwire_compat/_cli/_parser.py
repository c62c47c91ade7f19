"""Argument parsing for ``signalwire-compat``: the commands, their options, help texts and exit codes."""

from __future__ import annotations

import argparse
from typing import NoReturn

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
    from .._provenance import PROVENANCE

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
    start.add_argument("--name", help="a name to stop the stream by later (1-64 characters, no /, not ending in .json)")
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
            "      # STREAM a sid or a name (the rest of the line); a line starting with '#' is a comment",
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
        f"(read only from ${ENV_SIGNING_KEY}) as the app's verify_request does. The request is a JSON file "
        "with url, signature (or headers: the signature and Content-Type headers are read from them) and "
        "body (text) or body_base64, or given by --url, --signature, --content-type and --body-file. Prints "
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
    commands.add_parser("lint-cxml", help="check a cXML document (FILE or - for stdin): exit 0 valid, 1 invalid")
    commands.add_parser("fake", help="run a fake SignalWire space on 127.0.0.1, and call your app as a scripted caller")
    verify.add_argument("--request", metavar="FILE", help="a saved request as JSON ('-' for stdin)")
    verify.add_argument("--url", help="the exact URL SignalWire requested")
    verify.add_argument("--signature", help="the X-SignalWire-Signature (or X-Twilio-Signature) header's value")
    verify.add_argument("--body-file", metavar="FILE", help="the raw request body ('-' for stdin)")
    verify.add_argument("--content-type", help="the request's Content-Type header (decides whether the body is a form)")
    return parser


# -- output ------------------------------------------------------------------------------------------
