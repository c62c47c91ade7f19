"""FakeSpace's playback of a bidirectional stream, sans-IO: what plays when, which marks are echoed when, what a
clear or the stream's end drops, and the record of what the caller heard."""

from __future__ import annotations

import pytest

from signalwire_compat import media
from signalwire_compat.testing import Heard
from signalwire_compat.testing._heard import HeardClear, HeardEnd, HeardMark, HeardSpan, joined
from signalwire_compat.testing._playback import Playback

RATE = 8000


def _playback() -> Playback:
    return Playback(rate=RATE, width=1, decode=media.ulaw_to_pcm16)


def _ulaw(seconds: float, level: int = 1000) -> bytes:
    """μ-law audio whose every sample is ``level`` (so the heard PCM says which audio it came from)."""
    return media.pcm16_to_ulaw(level.to_bytes(2, "little", signed=True) * round(RATE * seconds))


def test_audio_plays_from_when_it_comes_and_its_mark_is_echoed_once_it_has_played() -> None:
    playback = _playback()
    assert playback.audio(1.0, _ulaw(0.5)) == []
    assert playback.mark(1.0, "end") == []
    assert playback.next_due() == 1.5
    assert playback.advance(1.499) == []
    assert playback.advance(1.5) == ["end"]
    heard = playback.heard(2.0)
    assert heard.timeline == (HeardSpan(1.0, 1.5, 0, 8000, 500), HeardMark("end", 1.5))
    assert heard.pcm == media.ulaw_to_pcm16(_ulaw(0.5)) and heard.rate == RATE


def test_audio_that_comes_while_earlier_audio_plays_follows_it_and_after_a_gap_starts_a_new_span() -> None:
    playback = _playback()
    playback.audio(0.0, _ulaw(0.2, 100))
    playback.audio(0.1, _ulaw(0.2, 200))  # queued behind: plays from 0.2 to 0.4
    playback.mark(0.1, "second")
    assert playback.advance(0.39) == []
    assert playback.advance(0.4) == ["second"]
    playback.audio(1.0, _ulaw(0.1, 300))  # the queue ran dry at 0.4: a new span from 1.0
    assert playback.mark(1.0, "third") == []
    assert playback.advance(1.2) == ["third"]
    heard = playback.heard(1.2)
    spans = [event for event in heard.timeline if isinstance(event, HeardSpan)]
    assert [(s.start, s.end, s.offset, s.ms) for s in spans] == [(0.0, 0.4, 0, 400), (1.0, 1.1, 6400, 100)]
    pcm = media.ulaw_to_pcm16(_ulaw(0.2, 100) + _ulaw(0.2, 200) + _ulaw(0.1, 300))
    assert heard.pcm == pcm


def test_a_mark_with_nothing_queued_is_echoed_at_once() -> None:
    playback = _playback()
    assert playback.mark(0.0, "idle") == ["idle"]
    playback.audio(0.0, _ulaw(0.1))
    assert playback.mark(0.2, "after") == ["after"]  # the audio had played by then
    assert playback.heard(0.2).timeline[-1] == HeardMark("after", 0.2)


def test_a_clear_drops_what_is_queued_and_echoes_its_pending_marks_at_once() -> None:
    playback = _playback()
    playback.audio(0.0, _ulaw(3.0, 100))
    playback.mark(0.0, "greeting")
    playback.audio(0.0, _ulaw(1.0, 200))
    playback.mark(0.0, "more")
    assert playback.clear(1.2) == ["greeting", "more"]
    assert playback.next_due() is None
    heard = playback.heard(5.0)
    assert heard.pcm == media.ulaw_to_pcm16(_ulaw(1.2, 100))
    assert heard.timeline == (
        HeardSpan(0.0, 1.2, 0, 2 * 9600, 1200),
        HeardClear(1.2, 2 * 22400, 2800, ("greeting", "more")),
        HeardMark("greeting", 1.2),
        HeardMark("more", 1.2),
    )


def test_the_end_of_the_stream_cuts_what_is_queued_and_echoes_nothing_more() -> None:
    playback = _playback()
    playback.audio(0.0, _ulaw(1.0))
    playback.mark(0.0, "never")
    playback.mark(0.0, "never either")
    assert playback.end(0.25) == []
    assert playback.audio(0.3, _ulaw(1.0)) == [] and playback.mark(0.3, "late") == []
    heard = playback.heard(9.0)
    assert heard.timeline == (HeardSpan(0.0, 0.25, 0, 4000, 250), HeardEnd(0.25, 2 * 6000, 750))
    assert heard.seconds == 0.25


def test_the_record_while_audio_plays_holds_what_was_heard_by_then_and_time_never_goes_back() -> None:
    playback = _playback()
    playback.audio(0.0, _ulaw(1.0))
    assert playback.heard(0.5).seconds == 0.5
    assert playback.heard(0.5).timeline == (HeardSpan(0.0, 0.5, 0, 8000, 500),)
    playback.advance(0.6)
    assert playback.advance(0.3) == [] and playback.heard(0.3).seconds == 0.6  # an earlier tick changes nothing


def test_ticks_that_add_up_in_floats_still_play_what_is_due_at_them() -> None:
    playback = _playback()
    playback.audio(0.0, _ulaw(1.0))
    playback.mark(0.0, "one second")
    now, echoed = 0.0, []
    for _ in range(50):
        now += 0.02  # 0.9999999999999999 after fifty
        echoed += playback.advance(now)
    assert echoed == ["one second"]


def test_l16_is_heard_in_the_streams_byte_order() -> None:
    pcm = b"".join(n.to_bytes(2, "little", signed=True) for n in range(-800, 800))
    playback = Playback(rate=16000, width=2, decode=lambda data: media.l16_to_pcm16(data, byteorder="big"))
    playback.audio(0.0, media.pcm16_to_l16(pcm, byteorder="big"))
    assert playback.heard(1.0).pcm == pcm and playback.heard(1.0).rate == 16000


def test_the_timelines_events_are_reached_from_heard() -> None:
    assert (Heard.Span, Heard.Mark, Heard.Clear, Heard.End) == (HeardSpan, HeardMark, HeardClear, HeardEnd)


def test_records_of_streams_played_one_after_another_join_in_order() -> None:
    first = Heard(b"\x01\x00" * 8, 8000, (HeardSpan(0.0, 0.001, 0, 16, 1),))
    second = Heard(b"\x02\x00" * 8, 8000, (HeardSpan(5.0, 5.001, 0, 16, 1), HeardEnd(5.001, 0, 0)))
    both = joined([first, second])
    assert both.pcm == first.pcm + second.pcm
    assert both.timeline == (HeardSpan(0.0, 0.001, 0, 16, 1), HeardSpan(5.0, 5.001, 16, 16, 1), HeardEnd(5.001, 0, 0))
    assert joined([]) == Heard(b"", 8000) and joined([first]) is first
    with pytest.raises(ValueError, match="different rates"):
        joined([first, Heard(b"", 16000)])
