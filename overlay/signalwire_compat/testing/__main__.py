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
    args = parser.parse_args(argv)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        with FakeSpace(port=args.port) as space:
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
            print("# serving until Ctrl-C or SIGTERM", flush=True)
            while not stopping.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # e.g. the port is taken
        print(f"error: cannot serve on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 1
    print("FakeSpace stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
