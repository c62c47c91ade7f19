"""The retry decision (sans-IO): what may be repeated, how long to wait, when to stop."""

from __future__ import annotations

import pytest

from signalwire_compat._retry import AttemptFacts, RetryPolicy, parse_retry_after

POLICY = RetryPolicy(max_retries=2, backoff_factor=0.5, max_backoff=8.0, max_retry_wait=30.0, total_timeout=60.0)


def delay(facts: AttemptFacts, *, idempotent: bool = True, retries_done: int = 0, elapsed: float = 0.0) -> float | None:
    return POLICY.next_delay(facts, idempotent=idempotent, retries_done=retries_done, elapsed=elapsed)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_of_an_idempotent_call(status: int) -> None:
    assert delay(AttemptFacts(status, request_sent=True)) is not None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 499, 501, 505])
def test_other_statuses_are_final(status: int) -> None:
    assert delay(AttemptFacts(status, request_sent=True)) is None


@pytest.mark.parametrize(("status", "retried"), [(408, True), (429, True), (503, True), (500, False), (502, False)])
def test_a_call_that_is_not_idempotent_is_repeated_only_when_the_server_did_not_act(status: int, retried: bool) -> None:
    assert (delay(AttemptFacts(status, request_sent=True), idempotent=False) is not None) is retried


@pytest.mark.parametrize(
    ("sent", "idempotent", "retried"), [(False, False, True), (True, False, False), (True, True, True)]
)
def test_no_answer_is_repeated_when_nothing_was_sent_or_the_call_is_idempotent(
    sent: bool, idempotent: bool, retried: bool
) -> None:
    assert (delay(AttemptFacts(None, request_sent=sent), idempotent=idempotent) is not None) is retried


def test_backoff_doubles_with_jitter_and_stops_after_max_retries() -> None:
    facts = AttemptFacts(503, request_sent=True)
    for retries_done, ceiling in [(0, 0.5), (1, 1.0)]:
        waits = [delay(facts, retries_done=retries_done) for _ in range(200)]
        assert all(w is not None and ceiling / 2 <= w <= ceiling for w in waits)
    assert delay(facts, retries_done=2) is None


def test_retry_after_is_honoured_up_to_max_retry_wait_and_ends_the_retries_beyond() -> None:
    assert delay(AttemptFacts(429, True, retry_after=12.0)) == 12.0
    assert delay(AttemptFacts(429, True, retry_after=30.0)) == 30.0
    assert delay(AttemptFacts(429, True, retry_after=30.5)) is None
    assert delay(AttemptFacts(429, True, retry_after=86400.0)) is None


def test_no_retry_starts_past_the_total_timeout() -> None:
    facts = AttemptFacts(503, True, retry_after=5.0)
    assert delay(facts, elapsed=54.9) == 5.0
    assert delay(facts, elapsed=55.0) is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3", 3.0), (" 1.5 ", 1.5), ("-4", 0.0), ("0", 0.0), (None, None), ("soon", None), ("9" * 70, None)],
)
def test_parse_retry_after_seconds(text: str | None, seconds: float | None) -> None:
    assert parse_retry_after(text) == seconds


def test_parse_retry_after_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412500.0) == 0.0
