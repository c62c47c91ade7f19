"""The deadline of the current attempt, which the SDK's own transports clamp every socket wait to.

A leaf module: the clients set the deadline around each attempt, the transports read it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["attempt_deadline", "remaining"]

# The monotonic time the current attempt must end by; an injected client's transport does not read it.
_ATTEMPT_DEADLINE: ContextVar[float | None] = ContextVar("signalwire_compat_attempt_deadline", default=None)


@contextmanager
def attempt_deadline(deadline: float) -> Iterator[None]:
    """Within the block, the SDK's transports end every wait by ``deadline`` (``time.monotonic()`` based)."""
    token = _ATTEMPT_DEADLINE.set(deadline)
    try:
        yield
    finally:
        _ATTEMPT_DEADLINE.reset(token)


def remaining(timeout: float | None) -> float | None:
    """``timeout`` shortened to what is left of the current attempt; 0.0 once it is over."""
    deadline = _ATTEMPT_DEADLINE.get()
    if deadline is None:
        return timeout
    left = max(0.0, deadline - time.monotonic())
    return left if timeout is None else min(timeout, left)
