"""What an operation is, as the clients see it: the request to send, and how to read its answer.

The operations themselves (built by the generated code) are in ``_builders.py``; this module
holds only the types, so the clients can use them without loading the generated client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import httpx

from ._redaction import Redactor
from ._wire import WireRequest

__all__ = ["Answer", "Operation", "OperationResult", "detach"]

T = TypeVar("T")
if TYPE_CHECKING:  # a default (PEP 696) for type checkers; typing_extensions is not needed at run time
    from typing_extensions import TypeVar as _TypeVarWithDefault

    P = _TypeVarWithDefault("P", default=Any)
else:
    P = TypeVar("P")

_FRAMING_HEADERS_BYTES = frozenset({b"content-encoding", b"content-length", b"transfer-encoding"})


class Answer:
    """A 2xx answer: its status and decoded body, and ``detached()``, a read, closed ``httpx.Response``
    without the request's credentials (built on first use, for readers that want one)."""

    __slots__ = ("_detached", "_response", "content", "redactor", "status_code")

    def __init__(self, response: httpx.Response, content: bytes, redactor: Redactor) -> None:
        self.status_code = response.status_code
        self.content = content
        self.redactor = redactor  # the call's: the credentials and the operation's secrets
        self._response = response
        self._detached: httpx.Response | None = None

    def detached(self) -> httpx.Response:
        if self._detached is None:
            self._detached = detach(self._response, self.content, self.redactor)
        return self._detached

    def __repr__(self) -> str:
        return f"<Answer [{self.status_code}] {len(self.content)} bytes>"


def detach(response: httpx.Response, content: bytes, redactor: Redactor) -> httpx.Response:
    """A read, closed copy of ``response`` with ``content`` for results and errors: no request headers
    (the Authorization value), and any secret a server echoed back replaced by ``[redacted]``."""
    content = redactor.data(content)
    # The content is decoded (and may be cut short): framing headers would describe other bytes.
    # Values are redacted: a misbehaving server may echo the credentials in a header. They stay
    # bytes: a value need not be ASCII (httpx would refuse to encode it again).
    framing = _FRAMING_HEADERS_BYTES
    headers = [(name, redactor.data(value)) for name, value in response.headers.raw if name.lower() not in framing]
    reason = response.extensions.get("reason_phrase")  # the bytes as received
    if not isinstance(reason, bytes):
        reason = response.reason_phrase.encode("ascii", "replace")  # an injected transport's standard phrase
    request = response.request
    detached = httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=httpx.Request(request.method, request.url),
        extensions={
            "http_version": response.extensions.get("http_version", b"HTTP/1.1"),
            "reason_phrase": redactor.data(reason),
        },
    )
    elapsed = getattr(response, "_elapsed", None)  # set by httpx when the response closed
    if elapsed is not None:
        detached.elapsed = elapsed
    return detached


class Operation(NamedTuple, Generic[T]):
    """One API call, ready to send: the wire request and how to read a 2xx answer.

    ``idempotent`` operations (the stream stops) are retried after any retryable failure; others
    only when the server cannot have acted on them (connect errors, 408, 429, 503).
    ``parse`` reads a 2xx ``Answer``.
    """

    name: str
    wire: WireRequest
    parse: Callable[[Answer], T]
    idempotent: bool
    secrets: tuple[str, ...] = ()  # values that must not appear in messages (besides the credentials)

    def __repr__(self) -> str:
        return f"Operation({self.name}, {self.wire!r}, idempotent={self.idempotent})"


class OperationResult(NamedTuple, Generic[P]):
    """What the escape hatch (``client.invoke``) returns: the generated parser's result and the response.

    ``parsed`` is typed when ``invoke`` was given a generated function (``update_stream.sync``), else ``Any``.
    """

    status_code: int
    parsed: P
    response: httpx.Response
