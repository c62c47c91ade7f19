"""`make demo`: the SDK's main job, end to end, on a local fake SignalWire space.

Starts a FakeSpace on 127.0.0.1, then stops call and conference media streams through the sync
client, the async client and the command line, with one injected 503 retried on the way. Needs no
credentials and no network. Exits non-zero if anything does not end up stopped.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from datetime import datetime

import signalwire_compat as sw
from signalwire_compat.testing import FakeSpace


def show(label: str, stream: sw.CallStream | sw.ConferenceStream) -> None:
    parent = f"call {stream.call_sid}" if isinstance(stream, sw.CallStream) else f"conference {stream.conference_sid}"
    updated = stream.date_updated.isoformat() if isinstance(stream.date_updated, datetime) else stream.date_updated
    print(f"  {label:<28} stream {stream.sid} on {parent}")
    print(f"  {'':<28} status={stream.status}  date_updated={updated}  name={stream.name!r}")


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"demo: FAILED: {message}", file=sys.stderr)
        raise SystemExit(1)


def main() -> int:
    retry_log = logging.StreamHandler(sys.stdout)
    retry_log.setFormatter(logging.Formatter("  [log] %(message)s"))
    logging.getLogger("signalwire_compat").addHandler(retry_log)
    logging.getLogger("signalwire_compat").setLevel(logging.INFO)

    with FakeSpace() as space:
        print(f"signalwire_compat {sw.__version__}: fake SignalWire space at {space.url}\n")
        call = space.add_call_stream(name="agent-audio")
        conference = space.add_conference_stream(name=None)
        async_call = space.add_call_stream()
        async_conference = space.add_conference_stream(name="board-room")
        cli_call = space.add_call_stream()
        cli_conference = space.add_conference_stream()

        print("1. Sync client")
        with space.client(backoff_factor=0.05) as client:
            show("call stream stopped", client.calls(call.parent_sid).streams(call.sid).stop())
            space.fail(503, times=1)
            print("  (the fake will answer the next request with 503 Service Unavailable)")
            stream = client.conferences(conference.parent_sid).streams(conference.sid).update(status="stopped")
            show("conference stream stopped", stream)
            again = client.calls(call.parent_sid).streams(call.sid).stop()
            print(f"  stopping it again is harmless: status={again.status}")

        print("\n2. Async client")

        async def stop_both() -> tuple[sw.CallStream, sw.ConferenceStream]:
            async with space.async_client() as client:
                call_task = client.calls(async_call.parent_sid).streams(async_call.sid).stop()
                conference_task = client.conferences(async_conference.parent_sid).streams(async_conference.sid).stop()
                return await asyncio.gather(call_task, conference_task)

        call_result, conference_result = asyncio.run(stop_both())
        show("call stream stopped", call_result)
        show("conference stream stopped", conference_result)

        print("\n3. Command line (credentials from the environment, never from arguments)")
        env = {**os.environ, "SIGNALWIRE_PROJECT_ID": space.project_id, "SIGNALWIRE_API_TOKEN": space.api_token}
        for flag, stream_ref in (("--call", cli_call), ("--conference", cli_conference)):
            command = [sys.executable, "-m", "signalwire_compat", "stop-stream", flag, stream_ref.parent_sid]
            command += [stream_ref.sid, "--space-url", space.url]
            shown = ["signalwire-compat", *command[3:]]
            print(f"  $ {' '.join(shown)}")
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
            print(f"  exit {done.returncode}: {done.stdout.strip() or done.stderr.strip()}")
            check(done.returncode == 0, f"the CLI failed: {done.stderr.strip()}")

        stopped = [space.stream_status(s.sid) for s in (call, conference, async_call, async_conference)]
        stopped += [space.stream_status(s.sid) for s in (cli_call, cli_conference)]
        retried = sum(1 for r in space.requests if r.fault == "status 503")
        check(stopped == ["stopped"] * 6, f"not every stream is stopped: {stopped}")
        check(retried == 1, "the injected 503 was not seen")
        print(
            f"\nAll 6 streams stopped; the fake received {len(space.requests)} requests "
            f"(one 503 retried). No credentials or network were used."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
