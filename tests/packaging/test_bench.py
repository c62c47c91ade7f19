"""`make bench`'s harness works: a short run measures, checks every result and reports targets; row groups plug in."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.bench import cli, groups
from scripts.bench.config import QUICK, Params
from scripts.bench.groups import RowGroup, measure_groups, rows_from_dict
from scripts.bench.report import report
from scripts.bench.rounds import RunRecord
from scripts.bench.stats import Target
from tests.helpers import ROOT


@pytest.mark.slow  # runs the benchmark in child processes
@pytest.mark.timeout(300)
def test_quick_bench_run_as_a_folder_from_elsewhere_measures_and_checks_results(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    clients = "sw_sync,sw_async,httpx_sync"
    # Run as `python scripts/bench` from another folder, without PYTHONPATH: the server and worker
    # children must still find the package.
    command = [sys.executable, str(ROOT / "scripts" / "bench"), "--quick", "--rounds", "1", "--clients", clients]
    command += ["--calls", "60", "--async-calls", "60", "--warmup", "10"]  # the harness, not the numbers
    command += ["--groups", "media"]  # the FakeSpace group paces streams in real time: its own test below
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [*command, "--json", str(output)],
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Targets:" in result.stdout
    assert "Server:" in result.stdout and "CPU per request" in result.stdout
    document = json.loads(output.read_text())
    assert set(document["clients"]) == set(clients.split(","))
    assert document["correct"] is True
    assert set(document["groups"]) == {"media"}  # the groups asked for
    media_rows = document["groups"]["media"]["data"]
    assert set(media_rows) == {"media.parse, 20 ms PCMU", "json.loads + b64decode", "mu-law decode+encode, 20 ms"}
    assert "Media WebSocket (medians)" in result.stdout
    for run in document["runs"]:
        assert run["server_ok"] == run["worker"]["requests"] == 70


@pytest.mark.slow  # starts the bench's interpreter
def test_python_m_scripts_bench_from_the_repository_root_is_the_make_target_command() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-m", "scripts.bench", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--instructions" in result.stdout and "--groups" in result.stdout
    assert "$(BIN)/python -m scripts.bench --instructions" in (ROOT / "Makefile").read_text()


def test_rows_from_dict_shows_rounds_as_median_and_range_and_a_missing_cell_as_a_dash() -> None:
    group = rows_from_dict(
        "media",
        "Media streams",
        {"frames in": {"CPU µs/frame": [3.0, 1.0, 2.0], "frames/s": 5000}, "frames out": {"note": "echo"}},
        label="direction",
    )
    assert group.columns == ["direction", "CPU µs/frame", "frames/s", "note"]
    assert group.rows == [["frames in", "2.0 [1.0-3.0]", "5,000.0", "-"], ["frames out", "-", "-", "echo"]]
    assert group.data["frames in"]["frames/s"] == 5000


def test_registered_row_groups_run_in_registry_order_and_only_when_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, int]] = []

    def measure(key: str) -> groups.GroupMeasure:
        def run(params: Params) -> RowGroup:
            seen.append((key, params.rounds))
            return rows_from_dict(key, key, {"row": {"value": 1.0}})

        return run

    monkeypatch.setattr(groups, "EXTRA_GROUPS", {"media": measure("media"), "other": measure("other")})
    measured = measure_groups(["other", "media"], QUICK)
    assert [group.key for group in measured] == ["media", "other"]
    assert seen == [("media", QUICK.rounds), ("other", QUICK.rounds)]
    assert measure_groups(["other"], QUICK)[0].key == "other"


def test_an_unknown_row_group_is_refused_before_anything_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "EXTRA_GROUPS", {"media": lambda params: rows_from_dict("media", "", {})})
    monkeypatch.setattr(cli, "bench_server", None)  # reaching the server would raise TypeError, not SystemExit
    with pytest.raises(SystemExit, match=r"unknown row group\(s\) medai; choose from media"):
        cli.run(cli.parse_args(["--groups", "medai", "--clients", "sw_sync"]))


def record(client: str, cpu: float) -> RunRecord:
    worker = {"cpu_us_per_call": cpu, "wall_us_per_call": cpu, "calls_per_s": 1e6 / cpu, "p99_us": 2 * cpu}
    return RunRecord(client, 1, {**worker, "requests": 10}, 10, {}, 50.0, 1)


def test_a_row_group_is_printed_after_the_client_tables_and_written_to_the_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    media = rows_from_dict(
        "media",
        "Media streams",
        {"frames in": {"CPU µs/frame": [4.0, 6.0]}},
        targets=[Target("media CPU per frame <= 10 µs", "FAIL", "5 µs")],
    )
    args = argparse.Namespace(json=str(tmp_path / "out.json"), quick=True, strict=True)
    records = [record("httpx_sync", 400.0), record("sw_sync", 420.0)]
    status = report(args, QUICK, records, {}, {}, {"httpx_sync": 2e6}, [media], [], {"commit": None}, 1.0)
    out = capsys.readouterr().out
    assert status == 3  # --strict, and the group's own target failed
    assert out.index("signalwire_compat sync") < out.index("Instructions per call") < out.index("Media streams:")
    assert "frames in  5.0 [4.0-6.0]" in out
    assert "FAIL  media CPU per frame <= 10 µs: 5 µs" in out
    document = json.loads((tmp_path / "out.json").read_text())
    assert document["groups"] == {
        "media": {"title": "Media streams", "data": {"frames in": {"CPU µs/frame": [4.0, 6.0]}}}
    }
    assert document["clients"]["sw_sync"]["cpu_ratio_vs_httpx_sync"]["median"] == pytest.approx(1.05)


@pytest.mark.slow  # paces streams in real time
def test_the_fakespace_group_measures_paced_frames_of_every_stream() -> None:
    from scripts.bench.fakespace import measure_fakespace

    measured = measure_fakespace(streams=2, seconds=0.4)
    assert measured["streams_connected"] == 2
    assert measured["frames"] >= 2 * 2 * 10  # two tracks of each stream, 20 ms frames for 0.4 s (most of them)
    assert 0 <= measured["schedule_jitter"]["p50_ms"] <= measured["schedule_jitter"]["p99_ms"]
