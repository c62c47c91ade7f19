"""The playout estimate the serializer waits on (sans-IO, times given): audio queues behind what is still
playing, an echoed mark says everything up to its chunk was heard, and a clear drops the rest."""

from __future__ import annotations

import pytest

from signalwire_compat.integrations._playout import Playout


def test_audio_sent_faster_than_it_plays_queues_behind_what_is_playing() -> None:
    playout = Playout("a-")
    assert playout.done and playout.done_at is None
    assert [playout.sent(0.5, now=10.0), playout.sent(0.5, now=10.1)] == ["a-1", "a-2"]
    assert playout.done_at == pytest.approx(11.0)
    assert not playout.done and playout.pending_seconds == pytest.approx(1.0)


def test_audio_sent_after_the_queue_ran_dry_plays_from_when_it_was_sent() -> None:
    playout = Playout("a-")
    playout.sent(0.5, now=10.0)
    playout.sent(0.25, now=12.0)
    assert playout.done_at == pytest.approx(12.25)


def test_an_echo_says_everything_up_to_its_chunk_was_heard_and_the_rest_plays_on_from_it() -> None:
    playout = Playout("a-")
    names = [playout.sent(0.5, now=10.0) for _ in range(4)]
    assert playout.echoed(names[1], now=11.3)  # SignalWire was a little behind the estimate
    assert playout.played_seconds == pytest.approx(1.0)
    assert playout.done_at == pytest.approx(11.3 + 1.0)
    assert playout.echoed(names[3], now=12.3)
    assert playout.done and playout.played_seconds == pytest.approx(2.0)


def test_marks_it_did_not_name_and_repeated_echoes_change_nothing() -> None:
    playout = Playout("a-")
    name = playout.sent(0.5, now=10.0)
    for other in ["mine", "a-", "a-x", "a-2", "a-0", "b-1", "a-" + "9" * 40, "a-\u0661"]:  # a non-ASCII digit one
        assert not playout.echoed(other, now=10.1)
    assert playout.played_seconds == 0 and not playout.done
    assert playout.echoed(name, now=10.5)
    assert not playout.echoed(name, now=10.6)
    assert playout.played_seconds == pytest.approx(0.5)


def test_a_clear_drops_the_queue_and_the_marks_it_flushes_count_for_nothing() -> None:
    playout = Playout("a-")
    names = [playout.sent(0.5, now=10.0) for _ in range(4)]
    playout.echoed(names[0], now=10.5)
    playout.cleared(now=10.7)
    assert playout.done and playout.done_at == pytest.approx(10.7)
    for name in names[1:]:  # SignalWire sends the pending marks back at once
        assert not playout.echoed(name, now=10.71)
    assert playout.played_seconds == pytest.approx(0.5)
    late = playout.sent(0.2, now=11.0)  # the next reply plays from when it is sent
    assert playout.done_at == pytest.approx(11.2)
    assert playout.echoed(late, now=11.2) and playout.played_seconds == pytest.approx(0.7)


@pytest.mark.parametrize("prefix", ["", "audio-1"])
def test_a_prefix_that_could_be_confused_with_a_number_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        Playout(prefix)


@pytest.mark.parametrize("seconds", [-0.1, float("nan")])
def test_a_chunk_cannot_last_a_negative_or_undefined_time(seconds: float) -> None:
    with pytest.raises(ValueError, match="seconds"):
        Playout("a-").sent(seconds, now=0.0)
