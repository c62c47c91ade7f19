"""The caller's side of one stream: each track's 20 ms ``media`` frames, due every ``TICKS_PER_FRAME`` of the
pacer's ticks from the first it was paced on, and the speech ``say`` queues on the inbound track in place of
the call's audio."""

from __future__ import annotations

from ._audio import FRAME_SECONDS, AudioSource, Codec, FrameSource, pcm16
from ._pacer import TICKS_PER_FRAME

__all__ = ["CallerAudio"]

_TRACKS = {"inbound_track": ("inbound",), "outbound_track": ("outbound",), "both_tracks": ("inbound", "outbound")}


class CallerAudio:
    """The tracks a stream carries (``track`` as created: ``inbound_track``, ``outbound_track`` or
    ``both_tracks``): the caller's audio on the inbound one, silence (the other party) on the outbound one."""

    def __init__(self, track: str, audio: AudioSource, codec: Codec) -> None:
        self.tracks = _TRACKS.get(track, ("inbound",))
        self._sources = [(name, FrameSource(audio if name == "inbound" else b"", codec)) for name in self.tracks]
        self.first_tick: int | None = None  # the pacer's tick of the first frame (None: the first one paced)
        self._chunks = 0  # frames sent on each track

    def frames(self, tick: int, sequence: int, out: list[str]) -> int:
        """Append the ``media`` messages due up to ``tick`` (the first call's ``tick``: the first frame's) to
        ``out``, numbered on from ``sequence``, each track's in turn; returns the last sequence number used."""
        if self.first_tick is None:
            self.first_tick = tick
        while self.first_tick + self._chunks * TICKS_PER_FRAME <= tick:
            self._chunks += 1
            chunk, timestamp = self._chunks, (self._chunks - 1) * 20
            for track, source in self._sources:
                sequence += 1
                # media.signalwire_media's text, built here: the fake's hottest path (tests/fake check it's the same)
                out.append(
                    f'{{"event":"media","sequenceNumber":"{sequence}","media":{{"track":"{track}",'
                    f'"chunk":"{chunk}","timestamp":"{timestamp}","payload":"{source.next_payload()}"}}}}'
                )
        return sequence

    def say(self, pcm: object) -> float:
        """Queue speech on the inbound track (any thread); its length in seconds. ``ValueError`` if the
        stream carries no inbound track; ``TypeError``/``ValueError`` for audio that is not 16-bit PCM."""
        audio = pcm16(pcm)
        inbound = dict(self._sources).get("inbound")
        if inbound is None:
            raise ValueError(f"the stream carries no inbound track (only {', '.join(self.tracks)}): nothing to say on")
        return inbound.say(audio) * FRAME_SECONDS
