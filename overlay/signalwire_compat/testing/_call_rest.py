"""FakeSpace's answers to the Calls operations, once ``_rules.read_request`` has read the request: create a call,
retrieve one, update one (end it, redirect it, point its status callbacks elsewhere), through the ``CallStore``.

As SignalWire does: a call that has ended is still found (its document says how it ended), and an update of
it is refused with a "not in progress" answer (``_call_rules.not_in_progress``); only a sid the space never
had is a 404. ``Status=canceled`` ends a call not yet answered, and is refused for one in progress;
``Status=completed`` ends a call in any state; its streams are stopped before the update is answered.
"""

from __future__ import annotations

import json

from ._call_life import StatusCallback
from ._call_rules import ENDED, CallView, call_document, create_problem, not_in_progress, update_problem
from ._call_store import CallStore
from ._rules import Answer, CallRequest, error_body

__all__ = ["CallsAPI"]


def _document(call: CallView) -> Answer:
    return Answer(200, json.dumps(call_document(call)).encode())


def _invalid(problem: tuple[int, str]) -> Answer:
    code, message = problem
    return Answer(422, error_body(422, message, code=code))


class CallsAPI:
    """The Calls answers of one space."""

    def __init__(self, calls: CallStore) -> None:
        self._calls = calls

    def answer(self, request: CallRequest, path: str) -> Answer:
        if request.call is None:
            return self._create(request)
        call = self._calls.get(request.call)
        if call is None:
            return Answer(404, error_body(404, f"The requested resource {path} was not found"))
        if request.method == "GET":
            return _document(call.view())
        fields = request.fields()
        problem = update_problem(fields)
        if problem is not None:
            return _invalid(problem)
        status, url = fields.get("Status"), fields.get("Url")
        if call.status in ENDED:
            if status is None and url is not None:
                return not_in_progress(21220, "The call cannot be redirected if it is not in-progress")
            return not_in_progress(10000, f"An attempt was made to update a {call.status} call")
        if status == "canceled" and call.status == "in-progress":
            return not_in_progress(10000, "An attempt was made to cancel an in-progress call")
        if status is None and url is not None and call.status != "in-progress":
            return not_in_progress(21220, "The call cannot be redirected if it is not in-progress")
        if "StatusCallback" in fields:
            call.point_callbacks(fields["StatusCallback"], fields.get("StatusCallbackMethod"))
        if status is not None:
            call.end("canceled" if status == "canceled" else "completed")
        elif url is not None:
            call.redirect(url, fields.get("Method", "POST"))
        return _document(call.view())

    def _create(self, request: CallRequest) -> Answer:
        fields, events = request.fields(), request.values("StatusCallbackEvent")
        problem = create_problem(fields, events)
        if problem is not None:
            return _invalid(problem)
        callback = StatusCallback.of(fields.get("StatusCallback"), fields.get("StatusCallbackMethod"), events)
        _call, created = self._calls.place_outgoing(
            fields["Url"], from_=fields["From"], to=fields["To"], method=fields.get("Method", "POST"), callback=callback
        )
        return _document(created)
