from enum import StrEnum


class ConferenceStreamStatus(StrEnum):
    IN_PROGRESS = "in-progress"
    QUEUED = "queued"
    STOPPED = "stopped"

    def __str__(self) -> str:
        return str(self.value)
