"""``python -m signalwire_compat.testing``: a FakeSpace in the foreground, its settings printed as ``export`` lines."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from . import FakeSpace

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m signalwire_compat.testing``: a FakeSpace in the foreground until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(
        prog="python -m signalwire_compat.testing",
        description="Run a fake SignalWire space on 127.0.0.1 until Ctrl-C or SIGTERM. It prints its settings "
        "as shell 'export' lines (eval them, or copy them) for the signalwire-compat CLI or any other client.",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
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
    args = parser.parse_args(argv)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        with FakeSpace(port=args.port, speed=args.speed) as space:
            print(f"export SIGNALWIRE_SPACE_URL={space.url}")
            print(f"export SIGNALWIRE_PROJECT_ID={space.project_id}")
            print(f"export SIGNALWIRE_API_TOKEN={space.api_token}")
            print(f"export SIGNALWIRE_SIGNING_KEY={space.signing_key}")
            for _ in range(args.call_streams):
                stream = space.add_call_stream()
                print(f"# call {stream.parent_sid} {stream.sid}")
            for _ in range(args.conference_streams):
                stream = space.add_conference_stream()
                print(f"# conference {stream.parent_sid} {stream.sid}")
            call = None
            if args.incoming_call:
                call = space.incoming_call(args.incoming_call, from_=args.from_, to=args.to)
                print(f"# incoming call {call.sid} to {args.incoming_call}")
            print("# serving until Ctrl-C or SIGTERM", flush=True)
            while not stopping.wait(0.2):
                if call is not None and call.status in ("completed", "failed"):
                    verbs = ", ".join(call.verbs) or "none"
                    print(f"# call {call.sid} {call.status} (verbs: {verbs}; streams: {len(call.streams)})", flush=True)
                    if call.error:
                        print(f"# error: {call.error}", flush=True)
                    call = None
    except KeyboardInterrupt:
        pass
    except ValueError as exc:  # e.g. an incoming-call URL that is not loopback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. the port is taken
        print(f"error: cannot serve on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    print("FakeSpace stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
