"""``signalwire-compat fake``'s arguments: the space, the incoming call, and the caller's script.

``--dtmf '#@1.5,1@3'`` and ``--hang-up-after`` count seconds on the fake's clock from the call's first stream's
connect, as ``FakeCall.press(at=)`` does; ``--audio`` is what the caller says from then on.
"""

from __future__ import annotations

import argparse
import math

import attrs

from ..media import DTMF_DIGITS
from ._parser import _Parser

__all__ = ["ENV_API_TOKEN", "ENV_PROJECT_ID", "ENV_SIGNING_KEY", "Press", "fake_parser", "presses"]

ENV_PROJECT_ID = "SIGNALWIRE_PROJECT_ID"
ENV_API_TOKEN = "SIGNALWIRE_API_TOKEN"  # noqa: S105 - a variable's name
ENV_SIGNING_KEY = "SIGNALWIRE_SIGNING_KEY"

_EPILOG = f"""\
the caller (with --incoming-call; SECONDS on the fake's clock from the first stream's connect):
  --dtmf '#@1.5,12@3'      keys pressed: DIGITS@SECONDS, comma-separated (one dtmf message per digit)
  --audio FILE.wav         what the caller says: 16-bit mono at the stream's rate (another rate needs
                           pip install 'signalwire-compat[audio]' to be resampled)
  --hang-up-after SECONDS  the caller hangs up
  --heard FILE.wav         when the call ends: what the caller heard, as a WAV file; then it exits
  --wait-for-app SECONDS   try the voice webhook again while nothing listens at URL yet (an app starting)

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
  # heard call=CALL_SID file=PATH
Values are percent-encoded (a space is %20, '=' is %3D): split a record at spaces, each field at its
first '=', and percent-decode the value (Python: urllib.parse.unquote), so no value can hold a field.
Errors are one line on stderr, exit 2.
"""


@attrs.frozen
class Press:
    """Keys the caller presses ``at`` seconds after the first stream's connect."""

    digits: str
    at: float


def presses(text: str) -> list[Press]:
    """``'#@1.5,12@3'`` -> the presses (``argparse.ArgumentTypeError`` saying what is wrong)."""
    found = []
    for item in text.split(","):
        digits, at, seconds = item.strip().partition("@")
        if not at or not digits or not set(digits) <= DTMF_DIGITS:
            raise argparse.ArgumentTypeError(f"each press is DIGITS@SECONDS (digits 0-9, *, #, A-D), not {item!r}")
        found.append(Press(digits, _seconds(seconds)))
    return found


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86_400 or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a number of seconds from 0 to 86400, not {text!r}")
    return value


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 (any free port) to 65535, not {text!r}")
    return port


def _speed(text: str) -> float:
    speed = _seconds(text)
    if not 0 < speed <= 10_000:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 10000, not {text!r}")
    return speed


def fake_parser(prog: str) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog,
        description="Run a fake SignalWire space on 127.0.0.1 until Ctrl-C or SIGTERM (or, with --heard, the "
        "call's end). It prints its settings as shell 'export' lines (eval them, or copy them) for the "
        "signalwire-compat CLI or any other client, and can call your app as a scripted caller.",
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
    parser.add_argument("--speed", type=_speed, default=1.0, help="media and <Pause> run this many times real time")
    parser.add_argument("--wait-for-app", type=_seconds, default=0.0, metavar="SECONDS", help="see below")
    parser.add_argument("--dtmf", type=presses, default=[], metavar="DIGITS@SECONDS,...", help="see below")
    parser.add_argument("--audio", metavar="FILE.wav", help="see below")
    parser.add_argument("--hang-up-after", type=_seconds, metavar="SECONDS", help="see below")
    parser.add_argument("--heard", metavar="FILE.wav", help="see below")
    return parser
