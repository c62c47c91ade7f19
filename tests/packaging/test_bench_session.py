"""`make bench`'s media-session group works: an app process of sessions (or the hand-written loop) against
FakeSpace, every stream connected, its frames timed, CPU and receive -> ``async for`` delays measured."""

from __future__ import annotations

import pytest

from scripts.bench.session import resampling_cost, run


@pytest.mark.slow  # starts the app process and paces streams in real time
@pytest.mark.parametrize("mode", ["session", "loop"])
def test_the_session_group_measures_both_the_session_and_the_hand_written_loop(mode: str) -> None:
    measured = run(mode, sessions=2, seconds=0.5)
    assert measured["connected"] == 2
    assert measured["frames_in"] >= 2 * 20  # 20 ms frames for about half a second, each stream
    assert measured["jitter"]["frames"] >= 2 * 20  # what FakeSpace received back
    assert measured["cpu_us_per_stream_second"] > 0
    if mode == "session":
        delays = measured["receive_to_async_for_ms"]
        assert 0 <= delays["p50"] <= delays["p99"] <= delays["max"]


def test_resampling_cost_is_reported_per_20_ms_frame_for_each_conversion() -> None:
    costs = resampling_cost(rounds=20)
    assert set(costs) == {"24k->8k", "16k->8k", "8k->16k", "8k->24k"} and all(cost > 0 for cost in costs.values())
