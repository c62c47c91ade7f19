from enum import StrEnum


class CreateCallRequestTrim(StrEnum):
    DO_NOT_TRIM = "do-not-trim"
    TRIM_SILENCE = "trim-silence"

    def __str__(self) -> str:
        return str(self.value)
