from enum import StrEnum


class AnsweredBy(StrEnum):
    HUMAN = "human"
    MACHINE = "machine"

    def __str__(self) -> str:
        return str(self.value)
