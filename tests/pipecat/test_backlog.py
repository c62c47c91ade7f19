"""The backlog estimate the serializer waits on (sans-IO, times given): audio queues behind what is still
playing, an echoed mark says everything up to its chunk was heard, and a clear drops the rest."""

from __future__ import annotations

import pytest

from signalwire_compat.integrations._backlog import Backlog


def test_audio_sent_faster_than_it_plays_queues_behind_what_is_playing() -> None:
    backlog = Backlog("a-")
    assert backlog.done and backlog.done_at is None
    assert [backlog.sent(0.5, now=10.0), backlog.sent(0.5, now=10.1)] == ["a-1", "a-2"]
    assert backlog.done_at == pytest.approx(11.0)
    assert not backlog.done and backlog.pending_seconds == pytest.approx(1.0)


def test_audio_sent_after_the_queue_ran_dry_plays_from_when_it_was_sent() -> None:
    backlog = Backlog("a-")
    backlog.sent(0.5, now=10.0)
    backlog.sent(0.25, now=12.0)
    assert backlog.done_at == pytest.approx(12.25)


def test_an_echo_says_everything_up_to_its_chunk_was_heard_and_the_rest_plays_on_from_it() -> None:
    backlog = Backlog("a-")
    names = [backlog.sent(0.5, now=10.0) for _ in range(4)]
    assert backlog.echoed(names[1], now=11.3)  # SignalWire was a little behind the estimate
    assert backlog.played_seconds == pytest.approx(1.0)
    assert backlog.done_at == pytest.approx(11.3 + 1.0)
    assert backlog.echoed(names[3], now=12.3)
    assert backlog.done and backlog.played_seconds == pytest.approx(2.0)


def test_marks_it_did_not_name_and_repeated_echoes_change_nothing() -> None:
    backlog = Backlog("a-")
    name = backlog.sent(0.5, now=10.0)
    for other in ["mine", "a-", "a-x", "a-2", "a-0", "b-1", "a-" + "9" * 40, "a-\u0661"]:  # a non-ASCII digit one
        assert not backlog.echoed(other, now=10.1)
    assert backlog.played_seconds == 0 and not backlog.done
    assert backlog.echoed(name, now=10.5)
    assert not backlog.echoed(name, now=10.6)
    assert backlog.played_seconds == pytest.approx(0.5)


def test_a_clear_drops_the_queue_and_the_marks_it_flushes_count_for_nothing() -> None:
    backlog = Backlog("a-")
    names = [backlog.sent(0.5, now=10.0) for _ in range(4)]
    backlog.echoed(names[0], now=10.5)
    backlog.cleared(now=10.7)
    assert backlog.done and backlog.done_at == pytest.approx(10.7)
    for name in names[1:]:  # SignalWire sends the pending marks back at once
        assert not backlog.echoed(name, now=10.71)
    assert backlog.played_seconds == pytest.approx(0.5)
    late = backlog.sent(0.2, now=11.0)  # the next reply plays from when it is sent
    assert backlog.done_at == pytest.approx(11.2)
    assert backlog.echoed(late, now=11.2) and backlog.played_seconds == pytest.approx(0.7)


@pytest.mark.parametrize("prefix", ["", "audio-1"])
def test_a_prefix_that_could_be_confused_with_a_number_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        Backlog(prefix)


@pytest.mark.parametrize("seconds", [-0.1, float("nan")])
def test_a_chunk_cannot_last_a_negative_or_undefined_time(seconds: float) -> None:
    with pytest.raises(ValueError, match="seconds"):
        Backlog("a-").sent(seconds, now=0.0)
