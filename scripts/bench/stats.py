"""Numbers from runs: spreads across rounds, percentiles, paired ratios, and the project's performance targets."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from scripts.bench.rounds import RunRecord


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def show(self, digits: int = 0, scale: float = 1.0) -> str:
        return f"{self.median * scale:.{digits}f} [{self.low * scale:.{digits}f}-{self.high * scale:.{digits}f}]"


METRICS = ("cpu_us_per_call", "wall_us_per_call", "calls_per_s", "p99_us")


def summarize(records: list[RunRecord]) -> dict[str, dict[str, Spread]]:
    summary: dict[str, dict[str, Spread]] = {}
    for name in dict.fromkeys(r.client for r in records):
        mine = [r for r in records if r.client == name]
        summary[name] = {metric: Spread.of([r.worker[metric] for r in mine]) for metric in METRICS}
        summary[name]["server_cpu_us_per_request"] = Spread.of([r.server_cpu_us_per_request for r in mine])
        summary[name]["connections"] = Spread.of([r.connections for r in mine])
        # The server's CPU per request over the client's wall time per call: how busy the server was.
        summary[name]["server_busy"] = Spread.of(
            [r.server_cpu_us_per_request / r.worker["wall_us_per_call"] for r in mine]
        )
    return summary


def per_round_ratios(records: list[RunRecord], metric: str, baseline: str) -> dict[str, Spread]:
    """Each client's metric over the baseline's in the same round; spread across rounds."""
    by_round = {(r.client, r.round): r.worker[metric] for r in records}
    ratios: dict[str, Spread] = {}
    for name in dict.fromkeys(r.client for r in records):
        values = [
            v / by_round[(baseline, rnd)]
            for (c, rnd), v in by_round.items()
            if c == name and (baseline, rnd) in by_round
        ]
        if values:
            ratios[name] = Spread.of(values)
    return ratios


@dataclass(frozen=True)
class Target:
    description: str
    verdict: str  # PASS, FAIL or N/A
    detail: str


def ratio_target(description: str, ratio: Spread | None, limit: float) -> Target:
    if ratio is None:
        return Target(description, "N/A", "not measured in this run")
    verdict = "PASS" if ratio.median <= limit else "FAIL"
    return Target(description, verdict, f"{ratio.median:.2f}x [{ratio.low:.2f}-{ratio.high:.2f}] (limit {limit:.2f}x)")


def evaluate_targets(
    cpu_ratios: dict[str, Spread],
    summary: dict[str, dict[str, Spread]],
    import_ratio: Spread | None,
    rss_ratio: Spread | None,
    instruction_ratio: float | None = None,
) -> list[Target]:
    targets = [ratio_target("sync signalwire_compat CPU/call <= 1.10x raw httpx sync", cpu_ratios.get("sw_sync"), 1.10)]
    if instruction_ratio is not None:
        verdict = "PASS" if instruction_ratio <= 1.10 else "FAIL"
        targets.append(
            Target(
                "sync signalwire_compat instructions/call <= 1.10x raw httpx sync",
                verdict,
                f"{instruction_ratio:.3f}x (callgrind, limit 1.10x)",
            )
        )
    if "sw_sync" in summary and "twilio" in summary:
        ours, theirs = summary["sw_sync"]["cpu_us_per_call"].median, summary["twilio"]["cpu_us_per_call"].median
        verdict = "PASS" if ours < theirs else "FAIL"
        targets.append(
            Target("sync signalwire_compat CPU/call below twilio", verdict, f"{ours:.0f} vs {theirs:.0f} µs")
        )
    else:
        targets.append(Target("sync signalwire_compat CPU/call below twilio", "N/A", "not measured in this run"))
    targets.append(
        ratio_target(
            "async signalwire_compat (50 in flight) CPU/call <= 1.5x raw httpx SYNC", cpu_ratios.get("sw_async"), 1.5
        )
    )
    targets.append(ratio_target("import signalwire_compat <= 1.25x import httpx", import_ratio, 1.25))
    targets.append(ratio_target("peak RSS, import + one call <= 1.15x raw httpx process", rss_ratio, 1.15))
    return targets


def paired_ratio(values: dict[str, list[float]], name: str, baseline: str) -> Spread | None:
    if name not in values or baseline not in values:
        return None
    return Spread.of([a / b for a, b in zip(values[name], values[baseline], strict=True)])
