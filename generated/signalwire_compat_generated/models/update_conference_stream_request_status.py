from enum import StrEnum


class UpdateConferenceStreamRequestStatus(StrEnum):
    STOPPED = "stopped"

    def __str__(self) -> str:
        return str(self.value)
