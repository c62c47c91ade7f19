from enum import StrEnum


class UpdateCallStreamRequestStatus(StrEnum):
    STOPPED = "stopped"

    def __str__(self) -> str:
        return str(self.value)
