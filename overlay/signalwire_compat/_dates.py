"""RFC 2822 dates as SignalWire writes them, into timezone-aware UTC datetimes.

The spec declares ``date_updated`` a plain string "in RFC 2822 GMT format". Real values carry
offsets (``+0200``), and SignalWire's own examples use lenient forms (``26 Sept 2018``) that
``email.utils`` rejects. Unlike twilio-python's parser this keeps the offset (21:39:46 +0200 is
19:39:46 UTC) and never returns None: text it cannot read raises ``InvalidDateError``.

The common shape is read by one regular expression (ISO 8601 by another); anything else goes to python-dateutil,
imported only when first needed, and only for text that has at least a year, a month name and
a time (dateutil alone would turn almost any text into some date).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from ._exceptions import SignalWireError

__all__ = ["InvalidDateError", "parse_rfc2822_datetime"]


class InvalidDateError(SignalWireError, ValueError):
    """Text that is not a date the SDK can read."""


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# RFC 2822 section 4.3 obsolete zone names; "-0000" and military zones mean "unknown", read as UTC.
_ZONES = {"ut": 0, "utc": 0, "gmt": 0, "z": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6}
_ZONES |= {"mst": -7, "pdt": -7, "pst": -8}

_RFC2822 = re.compile(
    r"""\s*
    (?:[A-Za-z]{3,9},?\s+)?                      # optional day name
    (?P<day>\d{1,2})\s+
    (?P<month>[A-Za-z]{3,9})\.?\s+
    (?P<year>\d{4})\s+
    (?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?
    (?:\s*(?:(?P<sign>[+-])(?P<zh>\d{2}):?(?P<zm>\d{2})(?P<zs>\d{2})?|(?P<zone>[A-Za-z]{1,5})))?
    \s*(?:\([^()]*\))?\s*                       # optional comment, e.g. "(UTC)"
    """,
    re.VERBOSE,
)
_ISO_8601 = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?")
_HAS_YEAR = re.compile(r"\d{4}")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_HAS_MONTH = re.compile(r"[A-Za-z]{3,9}")
_MAX_TEXT = 100


def _offset_from_match(match: re.Match[str]) -> timezone | None:
    if match["sign"]:
        seconds = int(match["zh"]) * 3600 + int(match["zm"]) * 60 + int(match["zs"] or 0)
        if int(match["zm"]) > 59 or seconds >= 86400:
            return None
        return timezone(timedelta(seconds=-seconds if match["sign"] == "-" else seconds))
    zone = (match["zone"] or "utc").lower()
    if zone in _ZONES:
        return timezone(timedelta(hours=_ZONES[zone]))
    if len(zone) == 1:  # military single-letter zones: RFC 2822 says treat as unknown, i.e. UTC
        return UTC
    return None


def _parse_fast(text: str) -> datetime | None:
    match = _RFC2822.fullmatch(text)
    if match is None:
        return None
    month = _MONTHS.get(match["month"].lower())
    offset = _offset_from_match(match)
    if month is None or offset is None:
        return None
    try:
        local = datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"] or 0),
            tzinfo=offset,
        )
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _parse_iso_8601(text: str) -> datetime | None:
    # Not what the API sends today, but an obvious way for it to change; cheap to accept.
    if _ISO_8601.fullmatch(text) is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
        return (parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


class _UnknownZoneError(ValueError):
    pass


def _zone_offset(name: str | None, offset: int | None) -> int | None:
    """dateutil's zone lookup, made strict: a zone name the SDK does not know makes the text unreadable
    (dateutil would otherwise warn and guess, or use this machine's local zone for its abbreviation)."""
    if name is None or offset is not None:
        return offset
    if len(name) == 1 and name.isalpha():
        return 0  # military zones: RFC 2822 says to treat them as unknown, i.e. UTC (as the fast path does)
    hours = _ZONES.get(name.lower())
    if hours is None:
        raise _UnknownZoneError(name)
    return hours * 3600


def _parse_lenient(text: str) -> datetime:
    if not (_HAS_YEAR.search(text) and _HAS_TIME.search(text) and _HAS_MONTH.search(text)):
        raise InvalidDateError(f"not an RFC 2822 date: {text!r}")
    from dateutil import parser as dateutil_parser  # only for the rare text the fast path rejects

    try:
        parsed = dateutil_parser.parse(text, tzinfos=_zone_offset)
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            parsed = parsed.replace(tzinfo=UTC)  # the spec says GMT; a missing zone means UTC
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:
        raise InvalidDateError(f"not an RFC 2822 date: {text!r}") from exc


def parse_rfc2822_datetime(text: str) -> datetime:
    """Parse an RFC 2822 date (lenient variants included) into an aware datetime in UTC.

    Raises ``InvalidDateError`` (a ``ValueError``) for anything else.
    """
    if not isinstance(text, str):
        raise InvalidDateError(f"expected a date string, got {type(text).__name__}")
    if len(text) > _MAX_TEXT:
        raise InvalidDateError(f"not an RFC 2822 date: {len(text)} characters is too long")
    return _parse(text)


@lru_cache(maxsize=256)  # answers often repeat a date (the same second); datetimes are immutable
def _parse(text: str) -> datetime:
    parsed = _parse_fast(text) or _parse_iso_8601(text.strip())
    return parsed if parsed is not None else _parse_lenient(text)
