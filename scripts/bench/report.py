"""The bench's output: its tables as row groups, the targets, what was measured, and the JSON document."""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scripts.bench.config import BASELINE, CLIENTS, PACKAGES, ROOT, Params
from scripts.bench.rounds import RunRecord
from scripts.bench.rows import RowGroup
from scripts.bench.stats import Spread, Target, evaluate_targets, paired_ratio, per_round_ratios, summarize


def print_rows(rows: list[list[str]]) -> None:
    """Columns sized to their widest cell; the first left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))]
        print("  ".join(cells))
        if index == 0:
            print("-" * (sum(widths) + 2 * (len(widths) - 1)))


def print_group(group: RowGroup) -> None:
    print(f"\n{group.title}:" if group.title else "")
    print_rows([group.columns, *group.rows])


def client_group(summary: dict[str, dict[str, Spread]], cpu_ratios: dict[str, Spread]) -> RowGroup:
    columns = ["client", "CPU µs/call", "wall µs/call", "calls/s", "p99 ms", "srv µs/req", "srv busy", "conns"]
    rows = []
    for name, row in summary.items():
        ratio = cpu_ratios.get(name)
        rows.append(
            [
                CLIENTS[name],
                row["cpu_us_per_call"].show(),
                row["wall_us_per_call"].show(),
                row["calls_per_s"].show(),
                row["p99_us"].show(2, 1 / 1000),
                f"{row['server_cpu_us_per_request'].median:.1f}",
                f"{row['server_busy'].median:.0%}",
                f"{row['connections'].median:.0f}",
                ratio.show(2) if ratio else "-",
            ]
        )
    return RowGroup("clients", "", [*columns, "CPU vs httpx"], rows)


def footprint_group(imports: dict[str, list[float]], rss: dict[str, list[dict[str, float]]]) -> RowGroup:
    columns = ["fresh process", "import ms", "peak RSS MiB", "RSS over python MiB", "import+1 call ms"]
    base = statistics.median(p["maxrss_kib"] for p in rss["python"]) if "python" in rss else 0.0
    rows = []
    for package in ["python", *imports]:
        kib = [p["maxrss_kib"] for p in rss.get(package, [])]
        call_ms = [p["import_and_call_ms"] for p in rss.get(package, [])]
        rows.append(
            [
                package if package == "python" else f"import {PACKAGES[package]}",
                Spread.of(imports[package]).show(1) if package in imports else "-",
                Spread.of(kib).show(1, 1 / 1024) if kib else "-",
                f"{(statistics.median(kib) - base) / 1024:.1f}" if kib else "-",
                Spread.of(call_ms).show(1) if call_ms and package != "python" else "-",
            ]
        )
    return RowGroup("footprint", "", columns, rows)


def instruction_group(instructions: dict[str, float]) -> RowGroup:
    baseline = instructions.get(BASELINE)
    rows = [
        [CLIENTS[name], f"{count / 1000:,.0f}", f"{count / baseline:.3f}x" if baseline else "-"]
        for name, count in instructions.items()
    ]
    title = "Instructions per call (callgrind, deterministic)"
    return RowGroup("instructions", title, ["client", "k instructions/call", "vs raw httpx sync"], rows)


def print_targets(targets: list[Target]) -> None:
    print("\nTargets:")
    for target in targets:
        print(f"  {target.verdict:<5} {target.description}: {target.detail}")


def spread_json(value: Spread | None) -> dict[str, float] | None:
    return None if value is None else asdict(value)


def source_state() -> dict[str, Any]:
    """Which SDK source was measured: the commit, and whether overlay/ or generated/ had local changes."""
    git = shutil.which("git")
    if git is None:
        return {"commit": None}

    def run_git(*args: str) -> str:
        done = subprocess.run([git, "-C", str(ROOT), *args], capture_output=True, text=True, timeout=30, check=False)
        return done.stdout if done.returncode == 0 else ""

    changes = run_git("status", "--porcelain", "--", "overlay", "generated")
    diff = run_git("diff", "HEAD", "--", "overlay", "generated")
    return {
        "commit": run_git("rev-parse", "HEAD").strip() or None,
        "sdk_locally_changed": bool(changes.strip()),
        "sdk_diff_sha256": hashlib.sha256(diff.encode()).hexdigest() if diff else None,
    }


def describe_source(state: dict[str, Any]) -> str:
    if not state.get("commit"):
        return "SDK source: unknown (no git)"
    dirty = " + local changes in overlay/generated" if state["sdk_locally_changed"] else ""
    return f"SDK source: commit {state['commit'][:10]}{dirty}"


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for dist in ("signalwire-compat", "httpx", "httpcore", "aiohttp", "twilio", "requests", "attrs", "anyio"):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            found[dist] = None
    return found


def report(
    args: argparse.Namespace,
    params: Params,
    records: list[RunRecord],
    imports: dict[str, list[float]],
    rss: dict[str, list[dict[str, float]]],
    instructions: dict[str, float],
    groups: list[RowGroup],
    problems: list[str],
    source: dict[str, Any],
    elapsed: float,
) -> int:
    """Print the tables and targets, write the JSON document; the exit status (see ``cli``)."""
    summary = summarize(records)
    cpu_ratios = per_round_ratios(records, "cpu_us_per_call", BASELINE)
    wall_ratios = per_round_ratios(records, "wall_us_per_call", BASELINE)
    rss_kib = {k: [p["maxrss_kib"] for p in v] for k, v in rss.items()}
    import_ratio = paired_ratio(imports, "signalwire_compat", "httpx")
    rss_ratio = paired_ratio(rss_kib, "signalwire_compat", "httpx")
    instruction_ratio = (
        instructions["sw_sync"] / instructions[BASELINE] if {"sw_sync", BASELINE} <= instructions.keys() else None
    )
    targets = evaluate_targets(cpu_ratios, summary, import_ratio, rss_ratio, instruction_ratio)
    targets += [target for group in groups for target in group.targets]
    total_ok = sum(r.server_ok for r in records)
    server_cpu = sum(r.server_cpu_us_per_request * max(r.server_ok, 1) for r in records) / max(total_ok, 1)

    print(
        f"\nResults: median [min-max] over {params.rounds} rounds; sync runs {params.calls} calls, async runs "
        f"{params.async_calls} calls with {params.concurrency} in flight; ratios are medians of per-round ratios."
    )
    print_group(client_group(summary, cpu_ratios))
    print(f"\nServer: {server_cpu:.1f} µs CPU per request over {total_ok} requests (its own process).")
    for name, row in summary.items():
        if row["server_busy"].median > 0.5:
            print(f"WARNING: the server was busy {row['server_busy'].median:.0%} of {name}'s time: it may limit it")
    print_group(footprint_group(imports, rss))
    import_shown, rss_shown = (ratio.show(2) if ratio else "-" for ratio in (import_ratio, rss_ratio))
    print(f"\nRatios vs raw httpx: import {import_shown}, peak RSS {rss_shown}")
    if instructions:
        print_group(instruction_group(instructions))
    for group in groups:
        print_group(group)
    print_targets(targets)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(
        f"\nCorrectness: {'every result verified and every count matched' if not problems else 'FAILED'}; "
        f"{elapsed:.0f} s in all; JSON in {args.json}"
    )

    document = {
        "meta": {
            "mode": "quick" if args.quick else "full",
            "params": asdict(params),
            "versions": versions(),
            "source": source,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "elapsed_s": elapsed,
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
        "clients": {
            name: {
                "label": CLIENTS[name],
                **{k: asdict(v) for k, v in row.items()},
                "cpu_ratio_vs_httpx_sync": spread_json(cpu_ratios.get(name)),
                "wall_ratio_vs_httpx_sync": spread_json(wall_ratios.get(name)),
            }
            for name, row in summary.items()
        },
        "runs": [asdict(r) for r in records],
        "server_cpu_us_per_request": server_cpu,
        "import_ms": imports,
        "rss_probes": rss,
        "import_ratio_vs_httpx": spread_json(import_ratio),
        "rss_ratio_vs_httpx": spread_json(rss_ratio),
        "instructions_per_call": instructions,
        "instruction_ratio_sw_sync_vs_httpx_sync": instruction_ratio,
        "groups": {group.key: {"title": group.title, "data": group.data} for group in groups},
        "targets": [asdict(t) for t in targets],
        "correct": not problems,
        "problems": problems,
    }
    Path(args.json).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if problems:
        return 1
    return 3 if args.strict and any(t.verdict == "FAIL" for t in targets) else 0
