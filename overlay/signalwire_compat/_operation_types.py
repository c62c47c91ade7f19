"""What an operation is, as the clients see it: the request to send, and how to read its answer.

The operations themselves (built by the generated code) are in ``_builders.py``; this module
holds only the types, so the clients can use them without loading the generated client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import httpx

from ._wire import WireRequest

__all__ = ["Answer", "Operation", "OperationResult"]

T = TypeVar("T")
if TYPE_CHECKING:  # a default (PEP 696) for type checkers; typing_extensions is not needed at run time
    from typing_extensions import TypeVar as _TypeVarWithDefault

    P = _TypeVarWithDefault("P", default=Any)
else:
    P = TypeVar("P")


class Answer(NamedTuple):
    """A 2xx answer: its status and decoded body; ``detached()`` builds a read, closed
    ``httpx.Response`` without the request's credentials, for readers that want one."""

    status_code: int
    content: bytes
    detached: Callable[[], httpx.Response]


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
