"""Bench rows for the media WebSocket: ``media.parse`` vs bare ``json.loads`` + ``base64.b64decode`` on a
20 ms PCMU ``media`` message, and μ-law decode+encode of a 20 ms frame as a multiple of real time.

    python -m scripts.bench.media [--rounds N]    (make bench reports them as the "media" group)
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from collections.abc import Callable

from scripts.bench.config import Params
from scripts.bench.rows import RowGroup, rows_from_dict
from scripts.bench.stats import Target
from signalwire_compat import media

FRAME_SECONDS = 0.020
FRAME = bytes((n * 37) & 0xFF for n in range(160))  # 20 ms of 8 kHz μ-law
BATCH = 200


def _per_call(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    for _ in range(BATCH):
        function()
    return (time.perf_counter() - started) / BATCH


def measure_media(rounds: int) -> dict[str, float]:
    """Medians over ``rounds`` interleaved batches (the SDK and the baseline alternate, so a busy
    moment of a shared machine hits both): µs per call, and the two figures the bench reports."""
    message = media.signalwire_media(sequence_number=42, audio=FRAME, chunk=1, timestamp=20)

    def bare() -> object:
        return base64.b64decode(json.loads(message)["media"]["payload"])

    def sdk() -> object:
        return media.parse(message)

    pcm = media.ulaw_to_pcm16(FRAME)

    def codec() -> object:
        return media.pcm16_to_ulaw(media.ulaw_to_pcm16(FRAME))

    if not isinstance(sdk(), media.Media) or media.pcm16_to_ulaw(pcm) != FRAME:
        raise SystemExit("media.parse or the μ-law codec gave a wrong result")
    ratios, parse_us, bare_us, codec_s = [], [], [], []
    for _ in range(rounds):
        baseline, ours = _per_call(bare), _per_call(sdk)
        ratios.append(ours / baseline)
        parse_us.append(ours * 1e6)
        bare_us.append(baseline * 1e6)
        codec_s.append(_per_call(codec))
    return {
        "media_parse_us": statistics.median(parse_us),
        "bare_json_base64_us": statistics.median(bare_us),
        "media_parse_vs_bare": statistics.median(ratios),  # goal <= 1.5
        "ulaw_roundtrip_20ms_us": statistics.median(codec_s) * 1e6,
        "ulaw_roundtrip_x_real_time": FRAME_SECONDS / statistics.median(codec_s),  # goal >= 1000
    }


def media_group(params: Params) -> RowGroup:
    """The media rows of the report, with their two targets."""
    measured = measure_media(max(params.rounds * 10, 20))
    parse_ratio, real_time = measured["media_parse_vs_bare"], measured["ulaw_roundtrip_x_real_time"]
    targets = [
        Target(
            "media.parse of a 20 ms PCMU message <= 1.5x json.loads + b64decode",
            "PASS" if parse_ratio <= 1.5 else "FAIL",
            f"{parse_ratio:.2f}x ({measured['media_parse_us']:.2f} vs {measured['bare_json_base64_us']:.2f} us)",
        ),
        Target(
            "mu-law decode+encode of a 20 ms frame >= 1000x real time",
            "PASS" if real_time >= 1000 else "FAIL",
            f"{real_time:,.0f}x ({measured['ulaw_roundtrip_20ms_us']:.2f} us a frame)",
        ),
    ]
    rows = {
        "media.parse, 20 ms PCMU": {"us/call": measured["media_parse_us"], "vs baseline": parse_ratio},
        "json.loads + b64decode": {"us/call": measured["bare_json_base64_us"], "vs baseline": 1.0},
        "mu-law decode+encode, 20 ms": {"us/call": measured["ulaw_roundtrip_20ms_us"], "x real time": real_time},
    }
    return rows_from_dict("media", "Media WebSocket (medians)", rows, label="case", digits=2, targets=targets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=50)
    result = measure_media(parser.parse_args().rounds)
    print(
        f"media.parse 20 ms PCMU message: {result['media_parse_us']:.2f} µs vs json.loads+b64decode "
        f"{result['bare_json_base64_us']:.2f} µs = {result['media_parse_vs_bare']:.2f}x (goal <= 1.5x)"
    )
    print(
        f"μ-law decode+encode of a 20 ms frame: {result['ulaw_roundtrip_20ms_us']:.2f} µs = "
        f"{result['ulaw_roundtrip_x_real_time']:.0f}x real time (goal >= 1000x)"
    )


if __name__ == "__main__":
    main()
