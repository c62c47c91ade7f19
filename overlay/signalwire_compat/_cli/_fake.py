"""``signalwire-compat fake`` (also ``python -m signalwire_compat.testing``): a FakeSpace in the foreground, its
settings printed as ``export`` lines, and optionally an incoming call to an app with a scripted caller.

Secrets are read only from the environment; a value given is never printed back. Records are
``# label key=value`` lines with percent-encoded values; errors are one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from .._validation import validate_sid
from ..testing import FakeCall, FakeSpace
from ..testing._wav import read_wav
from ..testing._webhook import check_incoming_call
from ._fake_options import ENV_API_TOKEN, ENV_PROJECT_ID, ENV_SIGNING_KEY, fake_parser
from ._parser import _SECRET_FLAGS, EXIT_USAGE

if TYPE_CHECKING:
    from ..testing import FakeStream

__all__ = ["PROG", "main", "record"]

PROG = "signalwire-compat fake"
_SCRIPT_OPTIONS = ("dtmf", "audio", "hang_up_after", "heard", "wait_for_app")


def record(label: str, **fields: object) -> str:
    """A ``# label key=value …`` line; values percent-encoded, so none can hold a space, a field or a line."""
    return " ".join(["#", label, *(f"{key}={quote(str(value), safe='/:,')}" for key, value in fields.items())])


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


def _check_script(args: argparse.Namespace) -> None:
    """The caller's options: only with a call; the audio readable, the heard file's folder there."""
    given = [name for name in _SCRIPT_OPTIONS if getattr(args, name) not in (None, [], 0.0)]
    if args.incoming_call is None and given:
        raise ValueError(f"--{given[0].replace('_', '-')} needs --incoming-call")
    if args.audio is not None:
        try:
            read_wav(args.audio)
        except OSError as error:
            raise ValueError(f"--audio {args.audio}: {error.strerror or error}") from None
        except ValueError as error:
            raise ValueError(f"--audio: {error}") from None
    if args.heard is not None and not Path(args.heard).resolve().parent.is_dir():
        raise ValueError(f"--heard {args.heard}: its folder does not exist")


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


def _stream_record(space: FakeSpace, stream: FakeStream) -> str:
    name = space.stream_settings(stream.sid)["name"]
    return record("call-stream", call=stream.parent_sid, stream=stream.sid, name=name)


def _watch(
    space: FakeSpace, call: FakeCall | None, stopping: threading.Event, *, heard: str | None = None
) -> int | None:
    """Until stopped: the incoming call's streams as they start, and its end. With ``heard``, the call's end
    writes what the caller heard there and ends the watch (its exit code); a caller's error ends it too (2)."""
    shown = 0
    while not stopping.wait(0.2):
        if call is None:
            continue
        streams = call.streams
        for stream in streams[shown:]:
            print(_stream_record(space, stream))
        shown = len(streams)
        if call.caller_errors:
            print(f"{PROG}: error: {call.caller_errors[0]}", file=sys.stderr)
            return EXIT_USAGE
        if call.status in ("completed", "failed"):
            ended = {"status": call.status, "verbs": ",".join(call.verbs) or "-", "streams": len(streams)}
            print(record("call-ended", call=call.sid, **ended, **({"error": call.error} if call.error else {})))
            if heard is not None:
                try:
                    call.heard.write_wav(heard)
                except OSError as error:
                    print(f"{PROG}: error: --heard {heard}: {error.strerror or error}", file=sys.stderr)
                    return 1
                print(record("heard", call=call.sid, file=heard), flush=True)
                return 0 if call.status == "completed" else 1
            call = None
        sys.stdout.flush()
    return None


def _place_call(space: FakeSpace, args: argparse.Namespace) -> FakeCall:
    call = space.incoming_call(
        args.incoming_call,
        from_=args.from_,
        to=args.to,
        audio=None if args.audio is None else b"",  # silent but for what it says
        wait_for_app=args.wait_for_app,
    )
    print(record("incoming-call", call=call.sid, url=args.incoming_call))
    for press in args.dtmf:
        call.press(press.digits, at=press.at)
    if args.audio is not None:
        call.speak(Path(args.audio), at=0)
    if args.hang_up_after is not None:
        call.hang_up(at=args.hang_up_after)
    return call


def main(argv: Sequence[str] | None = None, *, prog: str = PROG) -> int:
    """A FakeSpace in the foreground until Ctrl-C or SIGTERM (with ``--heard``: until the call ends)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if any(argument.split("=", 1)[0] in _SECRET_FLAGS for argument in arguments):
        print(
            f"{prog}: error: secrets are read only from the environment ({ENV_API_TOKEN}, {ENV_SIGNING_KEY}): "
            "command lines are visible in process lists",
            file=sys.stderr,
        )
        return EXIT_USAGE
    args = fake_parser(prog).parse_args(arguments)
    try:
        given = _settings(args)
        _check_script(args)
        if args.incoming_call is not None:  # refused before the space starts and prints its settings
            options = {"from_": args.from_, "to": args.to, "method": "POST", "audio": None}
            check_incoming_call(args.incoming_call, **options, route=None, wait_for_app=args.wait_for_app)
    except ValueError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    code: int | None = None
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
                print(_stream_record(space, stream))
            for _ in range(args.conference_streams):
                stream = space.add_conference_stream(name="stream")
                print(record("conference-stream", conference=stream.parent_sid, stream=stream.sid, name="stream"))
            call = _place_call(space, args) if args.incoming_call else None
            print("# serving until Ctrl-C or SIGTERM" + (" or the call's end" if args.heard else ""), flush=True)
            code = _watch(space, call, stopping, heard=args.heard)
    except KeyboardInterrupt:
        pass
    except ValueError as exc:  # e.g. an incoming-call URL that is not loopback, an API token too short
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # e.g. the port is taken
        print(f"{prog}: error: cannot serve on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    print("FakeSpace stopped", file=sys.stderr)
    return 0 if code is None else code
