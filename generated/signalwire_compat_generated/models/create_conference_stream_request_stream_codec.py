from enum import StrEnum


class CreateConferenceStreamRequestStreamCodec(StrEnum):
    L16 = "L16"
    L1616000H = "L16@16000h"
    L1624000H = "L16@24000h"
    PCMA = "PCMA"
    PCMU = "PCMU"

    def __str__(self) -> str:
        return str(self.value)
