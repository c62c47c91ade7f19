from enum import StrEnum


class CreateConferenceStreamRequestTrack(StrEnum):
    BOTH_TRACKS = "both_tracks"
    INBOUND_TRACK = "inbound_track"
    OUTBOUND_TRACK = "outbound_track"

    def __str__(self) -> str:
        return str(self.value)
