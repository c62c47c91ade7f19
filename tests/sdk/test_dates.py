"""The RFC 2822 parser: offsets honoured, lenient forms read, anything else a documented error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from signalwire_compat import InvalidDateError, parse_rfc2822_datetime
from tests.helpers import examples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue, 10 Aug 2021 21:39:46 +0200", datetime(2021, 8, 10, 19, 39, 46, tzinfo=UTC)),
        ("Tue, 10 Aug 2021 21:39:46 -0530", datetime(2021, 8, 11, 3, 9, 46, tzinfo=UTC)),
        ("Tue, 10 Aug 2021 21:39:46 GMT", datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)),
        ("Tue, 10 Aug 2021 21:39:46 UT", datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)),
        ("Tue, 10 Aug 2021 21:39:46 -0000", datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)),
        ("Tue, 10 Aug 2021 21:39:46 EST", datetime(2021, 8, 11, 2, 39, 46, tzinfo=UTC)),
        ("10 Aug 2021 21:39 +0000", datetime(2021, 8, 10, 21, 39, tzinfo=UTC)),
        ("Wed, 26 Sept 2018 23:00:04 +0000", datetime(2018, 9, 26, 23, 0, 4, tzinfo=UTC)),
        ("Tue, 25 Sept 2018 20:00:00 +0000", datetime(2018, 9, 25, 20, 0, 0, tzinfo=UTC)),
        ("Tue, 10 Aug 2021 21:39:46 +0000 (UTC)", datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)),
        ("Tuesday, 10-Aug-2021 21:39:46 GMT", datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)),
        ("2021-08-10T21:39:46+02:00", datetime(2021, 8, 10, 19, 39, 46, tzinfo=UTC)),
        ("2021-08-10T21:39:46Z", datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)),
        # Lenient forms (read by dateutil): RFC 2822's zone names, a military zone as unknown, no zone as GMT.
        ("August 10, 2021 9:39:46 PM PST", datetime(2021, 8, 11, 5, 39, 46, tzinfo=UTC)),
        ("August 10, 2021 21:39:46 Q", datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)),
        ("August 10, 2021 21:39:46", datetime(2021, 8, 10, 21, 39, 46, tzinfo=UTC)),
    ],
)
def test_known_forms(text: str, expected: datetime) -> None:
    parsed = parse_rfc2822_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        *["", "hello", "10", "a 5", "Tue, 32 Aug 2021 21:39:46 +0000", "Tue, 10 Foo 2021 21:39:46 +0000", "x" * 500],
        "Tue, 10 Aug 2021 21:39:46 XYZ",  # a zone the SDK does not know: not guessed, nor this machine's
        "August 10, 2021 21:39:46 XYZT",
        "2021-02-30T10:00:00",  # ISO 8601's shape, no such day
    ],
)
def test_non_dates_raise_the_documented_error(text: str) -> None:
    with pytest.raises(InvalidDateError) as caught:
        parse_rfc2822_datetime(text)
    assert isinstance(caught.value, ValueError)


def test_non_strings_raise_the_documented_error() -> None:
    with pytest.raises(InvalidDateError):
        parse_rfc2822_datetime(12345)  # type: ignore[arg-type]


offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@settings(max_examples=examples(400), deadline=None)
@given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=offsets))
@example(datetime(2021, 8, 10, 21, 39, 46, tzinfo=timezone(timedelta(hours=2))))
def test_any_aware_datetime_formatted_by_email_utils_round_trips(moment: datetime) -> None:
    text = format_datetime(moment)
    parsed = parse_rfc2822_datetime(text)
    assert parsed == moment.replace(microsecond=0)
    assert parsed.tzinfo is UTC


@settings(max_examples=examples(100), deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(UTC)))
def test_gmt_form_round_trips(moment: datetime) -> None:
    assert parse_rfc2822_datetime(format_datetime(moment, usegmt=True)) == moment.replace(microsecond=0)


@settings(max_examples=examples(1500), deadline=None)
@given(st.text(max_size=120))
@example("Mon, 1 Jan 0001 00:00:00 +0100")
@example("Fri, 31 Dec 9999 23:59:59 -2359")
@example("1 Jan 2021 99:99")
def test_arbitrary_text_parses_or_raises_the_documented_error(text: str) -> None:
    try:
        parsed = parse_rfc2822_datetime(text)
    except InvalidDateError:
        return
    assert parsed.tzinfo is UTC


@settings(max_examples=examples(500), deadline=None)
@given(
    st.from_regex(
        r"\A(Mon|Tue|Sun), ([0-9]{1,2}) (Jan|Feb|Sept|Dec|Foo) ([0-9]{4}) ([0-9]{1,2}):([0-9]{2})(:[0-9]{2})? "
        r"([+-][0-9]{4}|GMT|UT|PST|[A-Z])\Z"
    )
)
def test_near_miss_dates_parse_or_raise_the_documented_error(text: str) -> None:
    try:
        parsed = parse_rfc2822_datetime(text)
    except InvalidDateError:
        return
    assert parsed.tzinfo is UTC
