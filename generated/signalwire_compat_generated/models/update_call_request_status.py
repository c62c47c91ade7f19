from enum import StrEnum


class UpdateCallRequestStatus(StrEnum):
    CANCELED = "canceled"
    COMPLETED = "completed"

    def __str__(self) -> str:
        return str(self.value)
