"""A call's life as the REST API shows it: when it was created, answered and ended, what its document says, and
its voice status callbacks.

A call placed through the REST API (``StatusCallback``, ``StatusCallbackMethod``, ``StatusCallbackEvent``; an
update may point them elsewhere) gets one signed callback per status change it asked for: ``initiated``
(``queued``), ``ringing``, ``answered`` (``in-progress``) and ``completed`` (any end: ``completed``,
``canceled``, ``failed``, ``busy``, ``no-answer``, which ``CallStatus`` names). Only ``completed`` unless
``StatusCallbackEvent`` lists others, as SignalWire documents. Dates are wall-clock time; the duration is
counted on the space's clock, so a ``ManualClock`` moved on 30 s makes a 30 s call.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, datetime

import attrs

from ._call_rules import ENDED, CallView, voice_callback_params
from ._callbacks import CallbackSender
from ._clock import Clock

__all__ = ["CallLife", "StatusCallback"]

_EVENT_OF = {"queued": "initiated", "ringing": "ringing", "in-progress": "answered"}


@attrs.frozen
class StatusCallback:
    """Where a call's status callbacks go, and which changes are sent."""

    url: str | None = None
    method: str = "POST"
    events: frozenset[str] = frozenset({"completed"})

    @classmethod
    def of(cls, url: str | None, method: str | None, events: Iterable[str]) -> StatusCallback:
        return cls(url, method or "POST", frozenset(events) or frozenset({"completed"}))


class CallLife:
    """One call's times and status callbacks; ``changed`` is told each new status (under the call's lock)."""

    def __init__(self, clock: Clock, sender: CallbackSender, callback: StatusCallback) -> None:
        self._clock, self._sender = clock, sender
        self._lock = threading.Lock()
        self.callback = callback
        self._sequence = 0  # the callbacks' SequenceNumber, from 0
        self.created = self.updated = datetime.now(UTC)
        self.started: datetime | None = None
        self.ended: datetime | None = None
        self._answered: float | None = None  # on the space's clock
        self._hung_up: float | None = None

    def point(self, url: str, method: str | None) -> None:
        """Send the callbacks from now on to ``url`` (an update's ``StatusCallback``)."""
        with self._lock:
            self.callback = attrs.evolve(self.callback, url=url, method=method or self.callback.method)

    def view(self, sid: str, account: str, from_: str, to: str, status: str, direction: str) -> CallView:
        with self._lock:
            duration = 0.0
            if self._answered is not None:
                duration = (self._clock.now() if self._hung_up is None else self._hung_up) - self._answered
            times = (self.created, self.updated, self.started, self.ended)
        return CallView(sid, account, from_, to, status, direction, *times, int(duration))

    def changed(self, call: CallView) -> None:
        """The call's status is now ``call.status``: its times, and its callback if one was asked for."""
        now, status = datetime.now(UTC), call.status
        event = "completed" if status in ENDED else _EVENT_OF.get(status)
        with self._lock:
            self.updated = now
            if status == "in-progress":
                self.started, self._answered = now, self._clock.now()
            elif status in ENDED:
                self.ended = now
                if self._answered is not None:
                    self._hung_up = self._clock.now()
            callback = self.callback
            if callback.url is None or event not in callback.events:
                return
            sequence, self._sequence = self._sequence, self._sequence + 1
        call = self.view(call.sid, call.account_sid, call.from_, call.to, status, call.direction)
        reported = "initiated" if status == "queued" else status
        self._sender.send(callback.url, callback.method, voice_callback_params(call, reported, sequence, now))
