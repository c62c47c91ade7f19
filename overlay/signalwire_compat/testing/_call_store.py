"""FakeSpace's calls, beside its streams: every call it placed, by sid, in order; placing one (an incoming call
to the app, or one the REST API creates), and hanging them all up when the space stops."""

from __future__ import annotations

import threading

from ._audio import AudioSource
from ._call_life import StatusCallback
from ._call_rules import CallView
from ._calls import CallSpace, FakeCall
from ._webhook import check_incoming_call

__all__ = ["CallStore"]


class CallStore:
    """The calls of one account of a space; each runs its cXML on the space's loop."""

    def __init__(self, space: CallSpace, *, account: str) -> None:
        self._space = space
        self._account = account.lower()
        self._lock = threading.Lock()
        self._calls: dict[str, FakeCall] = {}

    def place_incoming(
        self, url: str, *, from_: str, to: str, method: str, audio: AudioSource | None, wait_for_app: float = 0.0
    ) -> FakeCall:
        """A call to the app at ``url`` (checked first), started in the background."""
        route = self._space.webhook.route
        check_incoming_call(url, from_=from_, to=to, method=method, audio=audio, route=route, wait_for_app=wait_for_app)
        call = FakeCall(
            self._space,
            url=url,
            from_=from_,
            to=to,
            method=method,
            account=self._account,
            audio=audio,
            wait_for_app=wait_for_app,
        )
        with self._lock:
            self._calls[call.sid] = call
        call.start()
        return call

    def place_outgoing(
        self, url: str, *, from_: str, to: str, method: str, callback: StatusCallback
    ) -> tuple[FakeCall, CallView]:
        """A call the REST API created (``outbound-api``), and how it was when created (``queued``): answered at
        once, then its document at ``url``, which fails the call as SignalWire's fetch would when the space may
        not reach it (neither loopback nor ``callback_app``'s)."""
        account = self._account
        call = FakeCall(
            self._space,
            url=url,
            from_=from_,
            to=to,
            method=method,
            account=account,
            direction="outbound-api",
            callback=callback,
        )
        created = call.view()
        with self._lock:
            self._calls[call.sid] = call
        call.start()
        return call, created

    def get(self, sid: str) -> FakeCall | None:
        with self._lock:
            return self._calls.get(sid.lower())

    def all(self) -> list[FakeCall]:
        with self._lock:
            return list(self._calls.values())

    def hang_up_all(self, timeout: float) -> None:
        """Hang every call up and wait for each to end (its streams stopped)."""
        calls = self.all()
        for call in calls:
            call.hangup()
        for call in calls:
            try:
                call.wait_until_ended(timeout=timeout)
            except TimeoutError:
                break
