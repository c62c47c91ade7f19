"""Raw responses: ``RawResponse[T]`` (status, headers, HTTP version, elapsed time and the parsed result on
demand), and the two mode markers that make ``client.with_raw_response``'s resource tree return them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Generic, TypeVar, final

import httpx

from ._call import read_answer
from ._operation_types import Answer, Operation

__all__ = ["Parsed", "Raw", "RawResponse", "raw_operation"]

T = TypeVar("T")


@final
class Parsed:
    """Mode marker: the resource tree's calls return the parsed result (``client.calls(...)``)."""


@final
class Raw:
    """Mode marker: the resource tree's calls return a ``RawResponse`` (``client.with_raw_response.calls(...)``)."""


_NOT_PARSED = object()


@final
class RawResponse(Generic[T]):
    """A successful answer as received: ``status_code``, ``headers``, ``http_version``, ``elapsed``, and
    ``parse()``, the typed result a plain call returns (parsed on first use, then kept).

    The headers are the SDK's detached copy: no request headers, and any credential a server echoed
    back replaced by ``[redacted]``. A body the SDK cannot read makes ``parse()`` raise
    ``APIResponseValidationError``, as the plain call would.
    """

    __slots__ = ("_parse", "_parsed", "_response")

    def __init__(self, response: httpx.Response, parse: Callable[[], T]) -> None:
        self._response = response
        self._parse: Callable[[], T] | None = parse
        self._parsed: object = _NOT_PARSED

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The answer's headers (redacted; framing headers dropped, as the body is already decoded)."""
        return self._response.headers

    @property
    def http_version(self) -> str:
        """``"HTTP/1.1"`` (the version the server answered with)."""
        return self._response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        """Time from sending the request of the attempt that succeeded until its answer was read."""
        try:
            return self._response.elapsed
        except RuntimeError:  # an answer that never went through httpx's timing (not expected)
            return datetime.timedelta(0)

    def parse(self) -> T:
        """The typed result (the same a call without ``with_raw_response`` returns); parsed once."""
        parse = self._parse
        if parse is not None:
            self._parsed = parse()
            self._parse = None  # the parser holds the answer's body: let it go once it has served
        return self._parsed  # type: ignore[return-value]  # set above, or on an earlier call

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self.http_version}>"

    def __reduce__(self) -> str:
        raise TypeError("a RawResponse cannot be pickled: pickle the result of parse() instead")


def raw_operation(operation: Operation[T]) -> Operation[RawResponse[T]]:
    """``operation`` answering with a ``RawResponse``, whose ``parse()`` reads the body when asked."""

    def read(answer: Answer) -> RawResponse[T]:
        return RawResponse(answer.detached(), partial(read_answer, operation, answer))

    return Operation(operation.name, operation.wire, read, operation.idempotent, operation.secrets)
