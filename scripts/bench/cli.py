"""The bench's command line: options, the run (server, rounds, footprint, callgrind, row groups), exit status."""

from __future__ import annotations

import argparse
import importlib.util
import secrets
import sys
import tempfile
import time
import uuid
from dataclasses import asdict
from pathlib import Path

from scripts.bench.callgrind import measure_instructions
from scripts.bench.config import CLIENTS, FULL, PACKAGES, QUICK, BenchError, Params, WorkerConfig
from scripts.bench.footprint import Footprint, measure_imports, measure_rss
from scripts.bench.groups import EXTRA_GROUPS, measure_groups
from scripts.bench.report import describe_source, report, source_state
from scripts.bench.rounds import bench_server, run_rounds

EPILOG = """\
usage from the repository root, with the project's venv (twilio comes from the `bench` extra):
  .venv/bin/python -m scripts.bench                       # full run (make bench adds --instructions)
  .venv/bin/python -m scripts.bench --quick               # ~30 s smoke run
  .venv/bin/python scripts/bench --json out.json --clients sw_sync,httpx_sync --strict

A raw asyncio server (scripts.bench.server) runs in its own process on 127.0.0.1 and counts what it answers.
Each client runs in a fresh process (python -m scripts.bench.worker NAME), rounds interleaved (A1 B1 ... A2 B2
...): it warms up, then stops the same call stream N times, every result checked and every count
compared with the server's. Import time and peak RSS are measured in a venv holding only the runtime
dependencies. Exit status: 0 when every run was correct, 1 when a run failed or a count did not match,
3 with --strict when a target failed. Everything stays on 127.0.0.1; every child has a timeout.
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench",
        description="Benchmark signalwire_compat against raw httpx, aiohttp, http.client and twilio-python.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a ~30 s smoke run: fewer calls, rounds and probes")
    parser.add_argument("--json", default="bench-results.json", metavar="PATH", help="where to write the results")
    parser.add_argument("--clients", help=f"comma-separated subset of {', '.join(CLIENTS)} (default: all)")
    parser.add_argument(
        "--groups", help=f"comma-separated subset of the extra row groups ({', '.join(EXTRA_GROUPS) or 'none yet'})"
    )
    parser.add_argument("--rounds", type=int, help="rounds per client (full 9, quick 2)")
    parser.add_argument("-n", "--calls", type=int, help="measured calls per sync run (full 1500)")
    parser.add_argument("--async-calls", type=int, help="measured calls per async run (full 1000)")
    parser.add_argument("--concurrency", type=int, help="requests in flight for the async clients (50)")
    parser.add_argument("--warmup", type=int, help="unmeasured calls before each run (full 200)")
    parser.add_argument("--strict", action="store_true", help="exit 3 if a target fails")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions per call of the SDK's clients and raw httpx under callgrind (about 3 min)",
    )
    return parser.parse_args(argv)


def choose_params(args: argparse.Namespace) -> Params:
    base = QUICK if args.quick else FULL
    overrides = {k: getattr(args, k) for k in ("rounds", "calls", "async_calls", "concurrency", "warmup")}
    params = Params(**{**asdict(base), **{k: v for k, v in overrides.items() if v is not None}})
    if min(params.rounds, params.calls, params.async_calls, params.concurrency) < 1 or params.warmup < 0:
        raise SystemExit("bench: --rounds, -n, --async-calls and --concurrency must be >= 1, --warmup >= 0")
    return params


def choose(option: str, given: str | None, known: list[str]) -> list[str]:
    names = list(known) if given is None else [n.strip() for n in given.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"bench: unknown {option} {', '.join(unknown)}; choose from {', '.join(known) or 'none'}")
    return names


def choose_clients(args: argparse.Namespace) -> list[str]:
    names = choose("client(s)", args.clients, list(CLIENTS))
    if "twilio" in names and importlib.util.find_spec("twilio") is None:
        print("bench: twilio is not installed (pip install -e '.[bench]'); skipping it", file=sys.stderr)
        names.remove("twilio")
    return names


def run(args: argparse.Namespace) -> int:
    params, names = choose_params(args), choose_clients(args)
    group_names = choose("row group(s)", args.groups, list(EXTRA_GROUPS))
    packages = [p for p in PACKAGES if p != "twilio" or "twilio" in names]
    project_id, api_token = str(uuid.uuid4()), secrets.token_urlsafe(24)
    started = time.monotonic()
    source = source_state()
    print(describe_source(source), flush=True)
    with bench_server(project_id, api_token, max_seconds=900) as port:
        base = WorkerConfig(port, project_id, api_token, str(uuid.uuid4()), str(uuid.uuid4()))
        print(f"bench server on 127.0.0.1:{port}; {params}", flush=True)
        try:
            records = run_rounds(names, params, base)
            with tempfile.TemporaryDirectory(prefix="bench-footprint-") as folder:
                print("  import times (runtime-only venv) ...", flush=True)
                footprint = Footprint.create(Path(folder), packages)
                imports = measure_imports(packages, params.import_runs, footprint)
                print("  peak RSS ...", flush=True)
                rss = measure_rss(packages, params.rss_runs, base, footprint)
            instructions: dict[str, float] = {}
            if args.instructions:
                print("  instructions per call (callgrind) ...", flush=True)
                instructions = measure_instructions(names, base, params.concurrency)
            if group_names:
                print(f"  row groups: {', '.join(group_names)} ...", flush=True)
            groups = measure_groups(group_names, params)
        except BenchError as exc:
            print(f"bench: FAILED: {exc}", file=sys.stderr)
            return 1
    problems = [f"{r.client} round {r.round}: {p}" for r in records for p in r.problems]
    elapsed = time.monotonic() - started
    return report(args, params, records, imports, rss, instructions, groups, problems, source, elapsed)


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))
