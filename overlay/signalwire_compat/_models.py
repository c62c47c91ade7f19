"""The typed results the clients return: frozen, hashable, read tolerantly from the API's JSON.

Their fields are the spec's: each public result extends the class ``_results.py`` derives from the
schema its answer has (``make generate`` rewrites that module), so a field the spec adds is an
attribute here as soon as the client is regenerated, typed as ``_readers`` reads it. What this
module adds is the name users import and the conveniences (``updated_at``). How values are kept
when the SDK cannot interpret them (``Unparsed``, ``extra``) is in ``_readers``.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._readers import MissingFieldsError, Unparsed, as_datetime
from ._results import (
    CallDirection,
    CallResponse,
    CallStatus,
    CallStreamResponse,
    ConferenceStreamResponse,
    ConferenceStreamStatus,
    StreamStatus,
)

__all__ = [
    "Call",
    "CallDirection",
    "CallStatus",
    "CallStream",
    "ConferenceStream",
    "ConferenceStreamStatus",
    "MissingFieldsError",
    "StreamStatus",
    "Unparsed",
]


class _Updated:
    """``updated_at`` for results with an RFC 2822 ``date_updated``."""

    __slots__ = ()
    date_updated: datetime | Unparsed

    @property
    def updated_at(self) -> datetime:
        """``date_updated`` as a datetime; raises ``InvalidDateError`` if the API sent one the SDK cannot read."""
        return as_datetime(self.date_updated, "date_updated")


@attrs.frozen(slots=True, kw_only=True)
class CallStream(CallStreamResponse, _Updated):
    """A call's media stream, as returned by starting or stopping it (fields: the spec's ``CallStreamResponse``)."""


@attrs.frozen(slots=True, kw_only=True)
class ConferenceStream(ConferenceStreamResponse, _Updated):
    """A conference's media stream, as returned by starting or stopping it. ``name`` may be None."""


@attrs.frozen(slots=True, kw_only=True)
class Call(CallResponse):
    """A call, as creating, updating or retrieving it returns it (fields: the spec's ``CallResponse``).

    Read more tolerantly still than the streams: only ``sid`` and ``account_sid`` are needed (the call
    operations fill them from the request when an answer leaves them out), and any other field the answer
    lacks is None, although the spec marks 36 of them required: a hang-up the API carried out is never
    turned into an error by the document it answered with.
    """
