"""``signalwire-compat``: start and stop media streams from a shell, and check webhook signatures.

    signalwire-compat start-stream --call CALL_SID --url wss://example.com/audio --name agent-audio
    signalwire-compat stop-stream --call CALL_SID STREAM_SID_OR_NAME
    signalwire-compat stop-stream --stdin < streams.txt      # lines: call|conference SID STREAM
    signalwire-compat verify-webhook --request saved.json
    signalwire-compat fake --incoming-call http://127.0.0.1:8000/voice --dtmf '#@1.5' --heard heard.wav

Credentials come from SIGNALWIRE_PROJECT_ID and SIGNALWIRE_API_TOKEN, the space from
SIGNALWIRE_SPACE_URL (or SIGNALWIRE_SPACE) or --space-url. Secrets (the API token, the signing key,
a stream's bearer token) are never taken as arguments: command lines are visible to every user of
the machine. Results are JSON on stdout; problems are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO

from .._exceptions import (
    ConfigurationError,
    SignalWireError,
)
from ._bulk import _stop_many
from ._commands import _start_one, _stop_one, _verify_webhook
from ._common import (
    _configuration_message,
    _credentials_hint,
    _exit_code,
    _one_line,
    read_text,
)
from ._parser import (
    _SECRET_FLAGS,
    ENV_BEARER_TOKEN,
    ENV_SIGNING_KEY,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    _build_parser,
    _version_text,
)

__all__ = ["main"]


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
    if arguments[:1] == ["fake"]:  # its own parser, and its own secrets rule (the space's, from the environment)
        from ._fake import main as fake

        return fake(arguments[1:])
    if arguments[:1] == ["lint-cxml"]:  # its own parser: the document's checks live in cxml
        from ..cxml._lint import main as lint_cxml

        return lint_cxml(arguments[1:], stdin=stdin)
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
            return _verify_webhook(args, source, stdout, stderr)
        if args.command == "start-stream":
            return _start_one(args, stdout)
        if args.stdin:
            return _stop_many(args, read_text(source), stdout, stderr)
        return _stop_one(args, stdout)
    except KeyboardInterrupt:
        stderr.write(f"{PROG}: interrupted\n")
        return EXIT_INTERRUPTED
    except ConfigurationError as error:
        stderr.write(f"{PROG}: configuration error: {_configuration_message(error)}\n")
        return EXIT_USAGE
    except (SignalWireError, ValueError) as error:
        hint = _credentials_hint(error)
        stderr.write(f"{PROG}: error: {_one_line(error)}" + (f" ({hint})" if hint else "") + "\n")
        return _exit_code(error)
    finally:
        stdout.flush()
