# Derived from _async/_calls.py by scripts/pipeline/unasync.py: edit that file and run `make generate`.
"""``client.calls``: the collection (``create`` places a call) and one call by sid (``update``, ``hang_up``,
``redirect``, ``retrieve``, and its ``streams``).

Generic in the mode, as the stream resources are (``_resources``): ``Parsed`` returns the ``Call``,
``Raw`` (``client.with_raw_response``) a ``RawResponse`` of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack, overload
from uuid import UUID

from .._call_options import CallOptions, CallUpdateOptions
from .._exceptions import APIStatusError
from .._literals import UpdateCallRequestMethod, UpdateCallRequestStatus
from .._signatures import keywords_of
from .._validation import validate_sid
from ._resources import CallStreams, ClientLike, _Owner

if TYPE_CHECKING:
    from .._models import Call
    from .._operation_types import Operation
    from .._raw import Parsed, Raw, RawResponse

# The operations (``.._call_operations``) are imported inside the methods that send: they load the generated
# client and attrs, which only a request needs.

__all__ = ["CallContext", "Calls"]

M = TypeVar("M")  # the mode: Parsed or Raw


class Calls(Generic[M]):
    """``client.calls``: ``calls(call_sid)`` for one call, ``calls.create(...)`` to place one."""

    __slots__ = ("_client",)

    def __init__(self, client: ClientLike) -> None:
        self._client = client

    def __call__(self, call_sid: str | UUID) -> CallContext[M]:
        """The call with this sid (a UUID); ``.streams(...)`` reaches its media streams."""
        return CallContext(self._client, validate_sid(call_sid, "call_sid"))

    @overload
    def create(
        self: Calls[Parsed],
        *,
        to: str,
        from_: str,
        url: str | None,
        status_callback: str | None = None,
        timeout: float | None = None,
        **options: Unpack[CallOptions],
    ) -> Call: ...
    @overload
    def create(
        self: Calls[Raw],
        *,
        to: str,
        from_: str,
        url: str | None,
        status_callback: str | None = None,
        timeout: float | None = None,
        **options: Unpack[CallOptions],
    ) -> RawResponse[Call]: ...
    @keywords_of(CallOptions)
    def create(
        self,
        *,
        to: str,
        from_: str,
        url: str | None,
        status_callback: str | None = None,
        timeout: float | None = None,
        **options: Unpack[CallOptions],
    ) -> Call | RawResponse[Call]:
        """Place a call from ``from_`` to ``to`` that runs the cXML document at ``url`` once answered
        (``url=None`` only with ``application_sid``, a cXML application's); the API answers at once, the
        call ``queued``.

        ``status_callback`` gets the call's status changes (``status_callback_event``: which ones, by
        default ``completed``). The other options are the API's fields, in snake_case (``send_digits``,
        ``machine_detection``, ``record``, ...), checked as the spec says before anything is sent;
        ``ring_timeout`` is its ``Timeout`` (seconds to wait for an answer). ``sip_auth_password`` and the
        password of a URL's user information are never shown. Not idempotent (a second request places
        a second call): retried only when the API cannot have acted on the request (connection refused,
        408, 429, 503). ``timeout`` replaces the client's ``timeout`` (seconds per attempt) for this call.
        """
        from .._call_operations import create_call

        options_given: dict[str, Any] = {**options, "status_callback": status_callback}
        operation = create_call(self._client.account_sid, to=to, from_=from_, url=url, options=options_given)
        return self._client._execute(operation, timeout)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class CallContext(_Owner["CallStreams[M]"], Generic[M]):
    """``client.calls(call_sid)``."""

    __slots__ = ()

    def _streams(self) -> CallStreams[M]:
        return CallStreams(self._client, self.sid)

    @overload
    def update(
        self: CallContext[Parsed],
        *,
        status: UpdateCallRequestStatus | None = None,
        url: str | None = None,
        method: UpdateCallRequestMethod | None = None,
        timeout: float | None = None,
        **options: Unpack[CallUpdateOptions],
    ) -> Call: ...
    @overload
    def update(
        self: CallContext[Raw],
        *,
        status: UpdateCallRequestStatus | None = None,
        url: str | None = None,
        method: UpdateCallRequestMethod | None = None,
        timeout: float | None = None,
        **options: Unpack[CallUpdateOptions],
    ) -> RawResponse[Call]: ...
    @keywords_of(CallUpdateOptions)
    def update(
        self,
        *,
        status: UpdateCallRequestStatus | None = None,
        url: str | None = None,
        method: UpdateCallRequestMethod | None = None,
        timeout: float | None = None,
        **options: Unpack[CallUpdateOptions],
    ) -> Call | RawResponse[Call]:
        """Change the call while it runs: ``status="completed"`` ends it, ``"canceled"`` ends one not yet
        answered; ``url`` runs the cXML document there at once in place of the one running (``method``: how
        it is requested, ``POST`` by default); ``fallback_url``/``fallback_method`` and
        ``status_callback``/``status_callback_method`` as in ``calls.create``. A call that has ended
        answers with an error (``hang_up`` takes that as done).

        Retried like the stream stops (ending a call twice ends it once), except when it gives ``url``: a
        redirect is retried only when the API cannot have acted on it, since a second one would start the
        document again. ``timeout`` replaces the client's ``timeout`` (seconds per attempt) for this call.
        """
        return self._client._execute(self._update({**options, "status": status, "url": url, "method": method}), timeout)

    @overload
    def hang_up(self: CallContext[Parsed], *, timeout: float | None = None) -> Call | None: ...
    @overload
    def hang_up(self: CallContext[Raw], *, timeout: float | None = None) -> RawResponse[Call] | None: ...
    def hang_up(self, *, timeout: float | None = None) -> Call | RawResponse[Call] | None:
        """End the call (``update(status="completed")``); the call as the API answered, or None if it had
        ended already: the API's 404, or its answer that the call is not in progress (codes 10000 and
        21220), count as done, so hanging up twice, or after the caller did, is harmless.
        ``timeout`` replaces the client's ``timeout`` (seconds per attempt) for this call."""
        from .._call_operations import call_already_ended

        try:
            return self._client._execute(self._update({"status": "completed"}), timeout)
        except APIStatusError as error:
            if call_already_ended(error):
                return None
            raise

    @overload
    def redirect(
        self: CallContext[Parsed],
        *,
        url: str,
        method: UpdateCallRequestMethod | None = None,
        timeout: float | None = None,
    ) -> Call: ...
    @overload
    def redirect(
        self: CallContext[Raw],
        *,
        url: str,
        method: UpdateCallRequestMethod | None = None,
        timeout: float | None = None,
    ) -> RawResponse[Call]: ...
    def redirect(
        self, *, url: str, method: UpdateCallRequestMethod | None = None, timeout: float | None = None
    ) -> Call | RawResponse[Call]:
        """Run the cXML document at ``url`` now, in place of the one running (``update(url=..., method=...)``).
        Not retried once the API may have acted on it. ``timeout``: seconds per attempt, for this call."""
        if url is None:
            raise ValueError("url must be the cXML document to run (an absolute http(s):// URL), not None")
        return self._client._execute(self._update({"url": url, "method": method}), timeout)

    @overload
    def retrieve(self: CallContext[Parsed], *, timeout: float | None = None) -> Call: ...
    @overload
    def retrieve(self: CallContext[Raw], *, timeout: float | None = None) -> RawResponse[Call]: ...
    def retrieve(self, *, timeout: float | None = None) -> Call | RawResponse[Call]:
        """The call as the API knows it now (its ``status``, ``duration``, ...); retried as any read is.
        ``timeout`` replaces the client's ``timeout`` (seconds per attempt) for this call."""
        from .._call_operations import retrieve_call

        return self._client._execute(retrieve_call(self._client.account_sid, self.sid), timeout)

    def _update(self, options: dict[str, object]) -> Operation[Call]:
        from .._call_operations import update_call

        return update_call(self._client.account_sid, self.sid, options)
