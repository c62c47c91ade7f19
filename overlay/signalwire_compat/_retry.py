"""When to retry and how long to wait: capped exponential backoff with jitter, or Retry-After.

Sans-IO: the sync and async clients share every decision here and differ only in how they sleep.
"""

from __future__ import annotations

import random
import re
import time
from typing import NamedTuple

__all__ = ["RetryPolicy", "parse_retry_after"]

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
# Statuses that mean "not processed, come back later": safe to retry even a non-idempotent call.
RETRYABLE_STATUS_NOT_IDEMPOTENT = frozenset({429, 503})
_MAX_RETRY_AFTER_TEXT = 64
_SECONDS = re.compile(r"[+-]?\d{1,12}(?:\.\d{1,6})?")


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or unreadable."""
    if value is None or len(value) > _MAX_RETRY_AFTER_TEXT:
        return None
    text = value.strip()
    if _SECONDS.fullmatch(text):
        return max(0.0, float(text))  # a negative value means "now"
    return _until(text, now)


def _until(text: str, now: float | None) -> float | None:
    from email.utils import parsedate_to_datetime  # rare: only for an HTTP-date Retry-After

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryPolicy(NamedTuple):
    """``max_retries`` extra attempts; waits ``backoff_factor * 2**n`` (50-100% jittered), or what
    Retry-After asks, never more than ``max_retry_wait`` seconds at a time."""

    max_retries: int = 2
    backoff_factor: float = 0.5
    max_backoff: float = 8.0
    max_retry_wait: float = 30.0

    def should_retry_status(self, status_code: int, *, idempotent: bool) -> bool:
        return status_code in (RETRYABLE_STATUS if idempotent else RETRYABLE_STATUS_NOT_IDEMPOTENT)

    def delay(self, retry_number: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``retry_number`` (0 for the first retry)."""
        requested = parse_retry_after(retry_after)
        if requested is not None:
            return min(requested, self.max_retry_wait)
        backoff = min(self.max_backoff, self.backoff_factor * (2**retry_number))
        jittered: float = backoff * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not crypto
        return min(jittered, self.max_retry_wait)
