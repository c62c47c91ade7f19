"""How one attempt of a call ended (``Attempt``) and the time budget of a call across its attempts (``CallClock``)."""

from __future__ import annotations

import time
from typing import Generic, NamedTuple, TypeVar

from ._config import ClientOptions
from ._exceptions import SignalWireError
from ._retry import AttemptFacts

__all__ = ["Attempt", "CallClock"]

T = TypeVar("T")


class Attempt(NamedTuple, Generic[T]):
    """How one attempt ended: a result, or an error with what the retry decision needs."""

    result: T | None
    error: SignalWireError | None
    facts: AttemptFacts | None  # None with a result
    summary: str  # for the log: "ok", "503", "ConnectError: ...", "timeout"

    def unwrap(self) -> T:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]  # a result-less success is T = None


class CallClock:
    """The time budget of one call across its attempts."""

    __slots__ = ("_timeout", "_total_deadline", "retries", "started")

    def __init__(self, options: ClientOptions) -> None:
        self.started = time.monotonic()
        self._timeout = options.timeout
        self._total_deadline = self.started + options.retry.total_timeout
        self.retries = 0

    def attempt_deadline(self) -> float:
        return min(time.monotonic() + self._timeout, self._total_deadline)

    def elapsed(self) -> float:
        return time.monotonic() - self.started
