"""The media session's sans-IO parts: pacing by SignalWire's clock and marks (Playout), resampled plays
counted to the right play (Outbound), streaming resampling, and PCM levels."""

from __future__ import annotations

import itertools
import math
import struct
import sys

import pytest

from signalwire_compat import media
from signalwire_compat.media._outbound import Outbound
from signalwire_compat.media._playout import Playout

FRAME = 160  # 20 ms of PCMU at 8 kHz
MS = 8  # PCMU bytes per ms


def frames_and_marks(items: list[bytes | str]) -> tuple[list[int], list[str]]:
    return [len(i) for i in items if isinstance(i, bytes)], [i for i in items if isinstance(i, str)]


def sine(seconds: float, rate: int, frequency: float = 440.0, level: float = 0.5) -> bytes:
    count = round(seconds * rate)
    peak = level * 32767
    return struct.pack(
        f"<{count}h", *(round(peak * math.sin(2 * math.pi * frequency * n / rate)) for n in range(count))
    )


def test_a_play_goes_out_in_20_ms_frames_keeping_the_lead_by_signalwires_clock() -> None:
    playout: Playout[str] = Playout(frame_bytes=FRAME)
    playout.clock(0)
    playout.add("greeting", bytes(1000 * MS))
    sizes, marks = frames_and_marks(playout.take())
    assert sizes == [FRAME] * (media.LEAD_MS // 20)  # the lead, at once
    assert marks == ["0:800", "0:1600"]  # one every 100 ms of audio
    assert playout.take() == []  # nothing more until SignalWire's clock moves
    playout.clock(20)
    assert frames_and_marks(playout.take())[0] == [FRAME]
    playout.clock(100)
    assert frames_and_marks(playout.take())[0] == [FRAME] * 4
    assert playout.position("greeting") == 100


def test_audio_sent_before_the_clock_started_counts_as_queued_at_signalwire() -> None:
    playout: Playout[str] = Playout(frame_bytes=FRAME)
    playout.add("greeting", bytes(1000 * MS))
    assert len(frames_and_marks(playout.take())[0]) == 10  # no clock yet: the lead, by bytes
    playout.clock(0)  # the first inbound timestamp: those 200 ms are still queued there
    assert playout.take() == []
    playout.clock(20)
    assert frames_and_marks(playout.take())[0] == [FRAME]
    assert playout.position("greeting") == 20


def test_without_inbound_audio_mark_echoes_pace_the_play() -> None:
    playout: Playout[str] = Playout(frame_bytes=FRAME)
    playout.add("greeting", bytes(1000 * MS))
    _, marks = frames_and_marks(playout.take())
    assert playout.echoed(marks[0]) == [] and playout.position("greeting") == 100
    assert frames_and_marks(playout.take())[0] == [FRAME] * 5  # 100 ms played: 100 ms more may go


def test_a_plays_end_mark_resolves_it_and_the_ones_before_it_in_order() -> None:
    playout: Playout[str] = Playout(frame_bytes=FRAME)
    playout.clock(0)
    playout.add("one", bytes(30 * MS))
    playout.add("empty", b"")
    playout.add("two", bytes(30 * MS))
    sizes, marks = frames_and_marks(playout.take())
    assert sizes == [FRAME, FRAME, FRAME]  # 60 ms: the middle frame spans both plays, no gap between them
    assert marks == ["0:320", "0:480"]  # after the frames holding each play's end
    assert playout.echoed("0:320") == ["one", "empty"]
    assert playout.echoed("0:480") == ["two"] and playout.idle


def test_clear_reports_what_was_heard_and_ignores_the_marks_it_flushes() -> None:
    playout: Playout[str] = Playout(frame_bytes=FRAME)
    playout.clock(0)
    playout.add("greeting", bytes(1000 * MS))
    playout.add("after", bytes(100 * MS))
    _, marks = frames_and_marks(playout.take())
    playout.clock(140)
    assert playout.current() == "greeting"
    assert playout.clear() == [("greeting", 140), ("after", 0)]
    assert playout.echoed(marks[-1]) == []  # echoed by SignalWire's flush: says nothing now
    assert playout.take() == [] and playout.idle
    playout.add("next", bytes(20 * MS))
    assert frames_and_marks(playout.take())[1] == [f"1:{(200 + 20) * MS}"]


def test_resampled_plays_are_counted_to_the_play_whose_samples_they_are() -> None:
    playout: Playout[str] = Playout(frame_bytes=FRAME)
    outbound = Outbound(playout, rate=8000, encode=media.pcm16_to_ulaw)
    playout.clock(0)
    outbound.add("one", sine(0.1, 24000), 24000)  # streamed in chunks, as a model's deltas come
    outbound.add("two", sine(0.1, 24000), 24000)
    sent = b"".join(i for i in playout.take() if isinstance(i, bytes))
    outbound.flush_if_due()
    assert outbound.holding  # SignalWire has plenty queued: another chunk may still come
    playout.clock(160)
    outbound.flush_if_due()  # SignalWire runs dry soon: the filter's tail goes into "two"
    assert not outbound.holding
    sent += b"".join(i for i in playout.take() if isinstance(i, bytes))
    assert len(sent) == 200 * MS  # exactly 0.2 s at 8 kHz: nothing lost, nothing added
    assert playout.echoed(f"0:{100 * MS}") == ["one"]
    assert playout.echoed(f"0:{200 * MS}") == ["two"]


def test_streaming_resampling_equals_resampling_the_whole_and_has_no_click_at_frame_edges() -> None:
    pcm = sine(1.0, 8000)
    whole = media.resample(pcm, from_rate=8000, to_rate=16000)
    resampler = media.Resampler(8000, 16000)
    chunks = b"".join(resampler.resample(pcm[i : i + 320]) for i in range(0, len(pcm), 320)) + resampler.flush()
    assert len(chunks) == len(whole) == 2 * 16000
    samples = struct.unpack(f"<{len(chunks) // 2}h", chunks)
    reference = struct.unpack(f"<{len(whole) // 2}h", whole)
    assert max(abs(a - b) for a, b in zip(samples, reference, strict=True)) <= 4  # rounding, not a seam
    steps = [abs(b - a) for a, b in itertools.pairwise(samples[100:-100])]
    assert max(steps) < 0.5 * 32767 * 2 * math.pi * 440 / 16000 * 1.05  # a sine's steepest step, no jump


@pytest.mark.parametrize(("source", "target"), [(8000, 16000), (8000, 24000), (16000, 8000), (24000, 8000)])
def test_each_telephony_rate_converts_to_each_other_with_the_right_length(source: int, target: int) -> None:
    assert len(media.resample(sine(0.5, source), from_rate=source, to_rate=target)) == target  # 0.5 s, 2 bytes


def test_equal_rates_pass_through_and_bad_input_is_refused() -> None:
    assert media.Resampler(8000, 8000).resample(b"\x01\x02") == b"\x01\x02"
    with pytest.raises(ValueError, match="from_rate must be an int"):
        media.Resampler(0, 8000)
    with pytest.raises(ValueError, match="even number of bytes"):
        media.Resampler(8000, 16000).resample(b"\x01")


def test_a_missing_audio_extra_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "soxr", None)  # import soxr now fails as if not installed
    with pytest.raises(media.AudioExtraMissingError, match=r"pip install 'signalwire-compat\[audio\]'"):
        media.Resampler(8000, 16000)
    assert media.Resampler(8000, 8000).resample(b"") == b""  # equal rates never need it


def test_rms_and_dbfs_give_what_audioop_and_the_definition_give() -> None:
    full_square = struct.pack("<4h", 32767, -32767, 32767, -32767)
    assert media.rms(full_square) == 32767
    assert media.rms(struct.pack("<2h", 3, 4)) == 3  # sqrt(12.5), truncated as audioop.rms did
    assert media.rms(b"") == 0 and media.dbfs(bytes(320)) == -math.inf
    assert media.dbfs(sine(0.1, 8000, level=1.0)) == pytest.approx(-3.01, abs=0.02)
    assert media.dbfs(sine(0.1, 8000, level=0.1)) == pytest.approx(-23.01, abs=0.05)
    with pytest.raises(media.MediaProtocolError, match="even number of bytes"):
        media.rms(b"\x00")
