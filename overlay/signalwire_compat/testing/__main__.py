"""``python -m signalwire_compat.testing``: a FakeSpace in the foreground, its settings printed as ``export`` lines."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import quote

from .._cli._parser import _SECRET_FLAGS, EXIT_USAGE, _Parser
from .._validation import validate_sid
from . import FakeCall, FakeSpace
from ._calls import check_incoming_call

__all__ = ["main"]

PROG = "python -m signalwire_compat.testing"
ENV_PROJECT_ID = "SIGNALWIRE_PROJECT_ID"
ENV_API_TOKEN = "SIGNALWIRE_API_TOKEN"  # noqa: S105 - a variable's name
ENV_SIGNING_KEY = "SIGNALWIRE_SIGNING_KEY"

_EPILOG = f"""\
environment (a value given is kept, and never printed; a missing one is generated and printed):
  {ENV_PROJECT_ID}    the project id (or --project-id): a UUID
  {ENV_API_TOKEN}     the API token clients must send: read only from the environment
  {ENV_SIGNING_KEY}   the key status callbacks and voice webhooks are signed with: environment only

Start it again with the same environment and the app under test keeps working: same credentials,
same signing key. Lines starting with '#' and a label are key=value records:
  # call-stream call=CALL_SID stream=STREAM_SID name=NAME
  # conference-stream conference=CONFERENCE_SID stream=STREAM_SID name=NAME
  # incoming-call call=CALL_SID url=URL
  # call-ended call=CALL_SID status=completed|failed verbs=VERB,VERB streams=N [error=WHY]
Values are percent-encoded (a space is %20, '=' is %3D): split a record at spaces, each field at its
first '=', and percent-decode the value (Python: urllib.parse.unquote), so no value can hold a field.
"""


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 (any free port) to 65535, not {text!r}")
    return port


def record(label: str, **fields: object) -> str:
    """A ``# label key=value …`` line; values percent-encoded, so none can hold a space, a field or a line."""
    return " ".join(["#", label, *(f"{key}={quote(str(value), safe='/:,')}" for key, value in fields.items())])


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Run a fake SignalWire space on 127.0.0.1 until Ctrl-C or SIGTERM. It prints its settings "
        "as shell 'export' lines (eval them, or copy them) for the signalwire-compat CLI or any other client.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--project-id", help=f"the project id, a UUID (default: ${ENV_PROJECT_ID}, else a new one)")
    parser.add_argument("--call-streams", type=int, default=0, metavar="N", help="add N in-progress call streams")
    parser.add_argument(
        "--conference-streams", type=int, default=0, metavar="N", help="add N in-progress conference streams"
    )
    parser.add_argument(
        "--incoming-call",
        metavar="URL",
        help="place an incoming call: a signed voice webhook to URL (loopback only), then its cXML is carried out "
        "(<Start>/<Connect>/<Stop> <Stream> over real WebSockets, <Pause>, <Hangup>)",
    )
    parser.add_argument("--from", dest="from_", default="+15550100001", help="the caller (default: %(default)s)")
    parser.add_argument("--to", default="+15550100002", help="the number called (default: %(default)s)")
    parser.add_argument("--speed", type=float, default=1.0, help="media and <Pause> run this many times real time")
    return parser


def _given(name: str) -> str | None:
    """A setting from the environment: None if unset; an empty one is a usage error (it is surely a mistake)."""
    value = os.environ.get(name)
    if value is not None and not value.strip():
        raise ValueError(f"{name} is set but empty: unset it to have one generated")
    return value


class Given(NamedTuple):
    """The settings the space keeps (None: generate one)."""

    project_id: str | None
    api_token: str | None
    signing_key: str | None


def _settings(args: argparse.Namespace) -> Given:
    """The project id (flag, then environment), the token and the signing key (environment only)."""
    project_id = args.project_id if args.project_id is not None else _given(ENV_PROJECT_ID)
    source = "--project-id" if args.project_id is not None else ENV_PROJECT_ID
    return Given(
        None if project_id is None else validate_sid(project_id, source),
        _given(ENV_API_TOKEN),
        _given(ENV_SIGNING_KEY),
    )


def _print_settings(space: FakeSpace, given: Given) -> None:
    print(f"export SIGNALWIRE_SPACE_URL={space.url}")
    settings = [
        (ENV_PROJECT_ID, given.project_id, space.project_id),
        (ENV_API_TOKEN, given.api_token, space.api_token),
        (ENV_SIGNING_KEY, given.signing_key, space.signing_key),
    ]
    for variable, kept, value in settings:
        if kept is None:
            print(f"export {variable}={value}")
    kept_names = [variable for variable, kept, _ in settings if kept is not None]
    if kept_names:
        print(f"# kept: {', '.join(kept_names)} (as given; not printed)")


def _watch(space: FakeSpace, call: FakeCall | None, stopping: threading.Event) -> None:
    """Until stopped: the incoming call's streams as they start, and its end."""
    shown = 0
    while not stopping.wait(0.2):
        if call is None:
            continue
        streams = call.streams
        for stream in streams[shown:]:
            name = space.stream_settings(stream.sid)["name"]
            print(record("call-stream", call=stream.parent_sid, stream=stream.sid, name=name))
        shown = len(streams)
        if call.status in ("completed", "failed"):
            ended = {"status": call.status, "verbs": ",".join(call.verbs) or "-", "streams": len(streams)}
            print(record("call-ended", call=call.sid, **ended, **({"error": call.error} if call.error else {})))
            call = None
        sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m signalwire_compat.testing``: a FakeSpace in the foreground until Ctrl-C or SIGTERM."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if any(argument.split("=", 1)[0] in _SECRET_FLAGS for argument in arguments):
        print(
            f"{PROG}: error: secrets are read only from the environment ({ENV_API_TOKEN}, {ENV_SIGNING_KEY}): "
            "command lines are visible in process lists",
            file=sys.stderr,
        )
        return EXIT_USAGE
    args = _parser().parse_args(arguments)
    try:
        given = _settings(args)
        if args.incoming_call is not None:  # refused before the space starts and prints its settings
            options = {"from_": args.from_, "to": args.to, "method": "POST", "audio": None}
            check_incoming_call(args.incoming_call, **options, route=None)
    except ValueError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        with FakeSpace(
            port=args.port,
            speed=args.speed,
            project_id=given.project_id,
            api_token=given.api_token,
            signing_key=given.signing_key,
        ) as space:
            _print_settings(space, given)
            for _ in range(args.call_streams):
                stream = space.add_call_stream(name="stream")
                print(record("call-stream", call=stream.parent_sid, stream=stream.sid, name="stream"))
            for _ in range(args.conference_streams):
                stream = space.add_conference_stream(name="stream")
                print(record("conference-stream", conference=stream.parent_sid, stream=stream.sid, name="stream"))
            call = None
            if args.incoming_call:
                call = space.incoming_call(args.incoming_call, from_=args.from_, to=args.to)
                print(record("incoming-call", call=call.sid, url=args.incoming_call))
            print("# serving until Ctrl-C or SIGTERM", flush=True)
            _watch(space, call, stopping)
    except KeyboardInterrupt:
        pass
    except ValueError as exc:  # e.g. an incoming-call URL that is not loopback
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # e.g. the port is taken
        print(f"{PROG}: error: cannot serve on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    print("FakeSpace stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
