"""Load: many async stops with 100 in flight against FakeSpace, bounded in time.

`make test` runs 2,000 stops; `make soak` runs 10,000 (SIGNALWIRE_COMPAT_LOAD_STOPS). The client
runs in its own process (tests/sdk/load_client.py) so its memory and file descriptors are its own, not
the fake server's. Zero errors, every stream stopped by exactly one request, and the client's file
descriptors and RSS come back to where they were after warm-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from signalwire_compat.testing import FakeSpace

pytestmark = pytest.mark.slow  # thousands of stops in a child process

STOPS = int(os.environ.get("SIGNALWIRE_COMPAT_LOAD_STOPS", "2000"))
IN_FLIGHT = 100


@pytest.mark.timeout(900)
def test_async_stops_under_load() -> None:
    with FakeSpace() as space:
        streams = [space.add_call_stream() if n % 2 else space.add_conference_stream() for n in range(STOPS)]
        lines = "".join(f"{s.kind} {s.parent_sid} {s.sid}\n" for s in streams)
        environment = {
            **os.environ,
            "SIGNALWIRE_PROJECT_ID": space.project_id,
            "SIGNALWIRE_API_TOKEN": space.api_token,
            "SIGNALWIRE_SPACE_URL": space.url,
            "LOAD_IN_FLIGHT": str(IN_FLIGHT),
        }
        child = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("load_client.py"))],
            input=lines,
            env=environment,
            capture_output=True,
            text=True,
            timeout=840,
            check=False,
        )
        assert child.returncode == 0, child.stderr
        report = json.loads(child.stdout)
        per_stream = Counter(request.path for request in space.requests)
        statuses = {space.stream_status(s.sid) for s in streams}

    seconds = report["seconds"]
    print(
        f"\nload: {STOPS} stops, {IN_FLIGHT} in flight: {report['error_count']} errors; "
        f"{report['measured_stops']} after warm-up in {seconds:.1f} s ({report['measured_stops'] / seconds:.0f}/s, "
        f"client CPU {report['cpu_seconds'] / report['measured_stops'] * 1e6:.0f} us/stop); "
        f"client rss MB start/warm/end {report['start']['rss_mb']:.1f}/{report['warm']['rss_mb']:.1f}/"
        f"{report['end']['rss_mb']:.1f}; fds {report['start']['fds']}/{report['warm']['fds']}/{report['end']['fds']}"
    )
    assert report["error_count"] == 0, report["errors"]
    assert report["stopped"] == STOPS
    assert len(per_stream) == STOPS
    assert set(per_stream.values()) == {1}, "a stream was stopped by more than one request"
    assert statuses == {"stopped"}
    assert report["end"]["fds"] == report["start"]["fds"], "the client leaked file descriptors"
    assert report["end"]["rss_mb"] - report["warm"]["rss_mb"] < 10, "client memory grew with the number of stops"
