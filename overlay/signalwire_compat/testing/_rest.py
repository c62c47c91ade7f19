"""FakeSpace's REST API: what it answers to a request, whichever way it came (socket or in-process transport).

Injected faults and canned answers first (``_canned``), then the API's own rules (``_rules``): create a
stream on a call or conference, or stop one by sid or name, through the space's ``Streams``; the Calls
operations through ``_call_rest``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from ._call_rest import CallsAPI
from ._call_store import CallStore
from ._canned import Overrides
from ._records import FakeStream, Kind, Parent, StreamState
from ._rules import (
    KEPT_APART,
    PARAMETER,
    Answer,
    CallRequest,
    create_problem,
    error_body,
    fault_answer,
    invalid,
    read_request,
    stream_document,
)
from ._streams import Streams

__all__ = ["RestAPI", "basic_auth"]


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class RestAPI:
    """The answers of one space: its account, the credentials it expects, its overrides and its streams."""

    def __init__(
        self, streams: Streams, overrides: Overrides, calls: CallStore, *, account: str, api_token: str
    ) -> None:
        self._streams = streams
        self._calls = CallsAPI(calls)
        self._overrides = overrides
        self._account = account
        self._expected_auth = basic_auth(account, api_token)

    def answer(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """``headers`` with lower-cased names; the answer is the API's, or an injected one."""
        fault = self._overrides.take_fault()
        if fault is not None:
            return fault_answer(fault)
        canned = self._overrides.take_canned(method, path)
        if canned is not None:
            if headers.get("authorization") != self._expected_auth:
                return Answer(401, error_body(401, "Authentication Error - invalid username or password"))
            return Answer(canned.status, canned.body, {"Content-Type": "application/json"})
        request = read_request(method, path, headers, body, auth=self._expected_auth, account=self._account)
        if isinstance(request, Answer):
            return request
        if isinstance(request, CallRequest):
            return self._calls.answer(request, path)
        parent = Parent(request.kind, request.account, request.parent)
        if request.stream is None:
            return self._create(parent, request.pairs)
        return self._update(parent, request.stream, request.pairs, path)

    def _update(self, parent: Parent, stream: str, pairs: list[tuple[str, str]], path: str) -> Answer:
        found = self._streams.store.find(parent, stream)
        if found is None:
            return Answer(404, error_body(404, f"The requested resource {path} was not found"))
        status = [value for name, value in pairs if name == "Status"]
        if status != ["stopped"]:
            problem = "Status is required" if not status else f"Status must be 'stopped', not {status[0]!r}"
            return invalid(parent.kind, problem)
        # The WebSocket's `stop` goes first: on SignalWire it can reach the app before this answer does.
        stopped = self._streams.stop(found.sid, stop_first=True)
        assert stopped is not None  # a stream is never removed
        stored, _ = stopped
        return Answer(200, json.dumps(stream_document(stored.stream, stored.state)).encode())

    def _create(self, parent: Parent, pairs: list[tuple[str, str]]) -> Answer:
        fields: dict[str, str] = {}
        numbered: dict[int, dict[str, str]] = {}
        for field, value in pairs:
            parameter = PARAMETER.fullmatch(field)
            if parameter:
                numbered.setdefault(int(parameter[1]), {})[parameter[2]] = value
            else:
                fields[field] = value
        kind: Kind = parent.kind
        problem = create_problem(kind, fields, numbered)
        if problem is not None:
            return invalid(kind, problem)
        name = fields.get("Name")
        stream = FakeStream(kind, parent.account_sid, parent.sid, str(uuid.uuid4()))
        state = StreamState(
            # The spec's CallStreamResponse requires a string name: an unnamed call stream
            # is named after its sid here. Conference streams may have none (null).
            name=name if name is not None else (stream.sid if kind == "call" else None),
            status="in-progress",
            date_updated=datetime.now(UTC),
            url=fields["Url"],
            status_callback=fields.get("StatusCallback"),
            status_callback_method=fields.get("StatusCallbackMethod", "POST"),
            parameters=tuple((numbered[n]["Name"], numbered[n].get("Value", "")) for n in sorted(numbered)),
            settings={k: v for k, v in fields.items() if k not in KEPT_APART},
        )
        token, codec = fields.get("AuthorizationBearerToken"), fields.get("StreamCodec")
        stored = self._streams.start(stream, state, name_taken="refuse", token=token, codec=codec)
        if stored is None:
            return invalid(kind, f"A stream named {name!r} is already running on this {kind}")
        return Answer(200, json.dumps(stream_document(stored.stream, stored.state)).encode())
