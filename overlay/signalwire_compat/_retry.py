"""Whether to try a call again, and when: the whole decision, in one place.

Sans-IO: the sync and async clients report what one attempt ended with (a status, or no answer
and whether the request may have reached the server) and sleep for whatever this module says,
or raise the attempt's error when it says to stop. Nothing here does I/O or reads a clock.
"""

from __future__ import annotations

import random
import re
import time
from typing import NamedTuple

__all__ = ["AttemptFacts", "RetryPolicy", "parse_retry_after"]

# Answers that mean "try again later". 408 (RFC 9110 15.5.9) and 429/503 also mean the server did
# not act on the request, so even a call that is not idempotent may be repeated after them.
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
NOT_PROCESSED_STATUS = frozenset({408, 429, 503})
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


class AttemptFacts(NamedTuple):
    """What the retry decision needs to know about one failed attempt."""

    status_code: int | None  # None: no answer (refused, reset, timed out, closed early)
    request_sent: bool  # the request may have reached the server (False only for failures to connect)
    retry_after: float | None = None  # what the answer's Retry-After asked for, in seconds


class RetryPolicy(NamedTuple):
    """``max_retries`` extra attempts, waiting ``backoff_factor * 2**n`` seconds (50-100 % jittered,
    at most ``max_backoff``) or what Retry-After asks; a call never runs past ``total_timeout``.

    A Retry-After longer than ``max_retry_wait`` ends the retries: the server asked for more time
    than the caller allows, and retrying early would only be refused again.
    """

    max_retries: int = 2
    backoff_factor: float = 0.5
    max_backoff: float = 8.0
    max_retry_wait: float = 30.0
    total_timeout: float = 60.0

    def retryable(self, facts: AttemptFacts, *, idempotent: bool) -> bool:
        """Whether this failure may be repeated at all, whatever the attempt count or the clock."""
        if facts.status_code is None:
            return idempotent or not facts.request_sent
        return facts.status_code in (RETRYABLE_STATUS if idempotent else NOT_PROCESSED_STATUS)

    def next_delay(self, facts: AttemptFacts, *, idempotent: bool, retries_done: int, elapsed: float) -> float | None:
        """Seconds to wait before the next attempt, or None to give up and raise this attempt's error.

        ``retries_done`` counts the retries already made; ``elapsed`` is the call's time so far.
        """
        if retries_done >= self.max_retries or not self.retryable(facts, idempotent=idempotent):
            return None
        if facts.retry_after is not None:
            if facts.retry_after > self.max_retry_wait:
                return None
            delay = facts.retry_after
        else:
            backoff = min(self.max_backoff, self.backoff_factor * (2**retries_done))
            delay = min(backoff * (0.5 + random.random() / 2), self.max_retry_wait)  # noqa: S311 - jitter
        if elapsed + delay >= self.total_timeout:
            return None  # the next attempt could not even start within the call's time
        return delay
