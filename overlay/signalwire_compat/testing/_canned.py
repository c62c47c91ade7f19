"""What FakeSpace answers before the API's own rules: injected faults, and answers on request for any
generated operation (``FakeSpace.respond``), checked by the generated model."""

from __future__ import annotations

import inspect
import json
import re
import threading
from types import ModuleType
from typing import Any

import attrs

from ._records import Fault
from ._rules import API_PATH

__all__ = ["Canned", "Overrides", "canned", "status_fault"]

_METHOD = re.compile(r'"method":\s*"([a-z]+)"')
_URL = re.compile(r'"url":\s*f?"([^"]+)"')
_PLACEHOLDER = re.compile(r"\\\{[A-Za-z0-9_]+\\\}")


@attrs.define
class Canned:
    """What to answer to requests of one operation: ``remaining`` None answers every one."""

    operation: str
    method: str
    route: re.Pattern[str]
    status: int
    body: bytes
    remaining: int | None

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and self.route.fullmatch(path.split("?", 1)[0]) is not None


def _route(module: ModuleType) -> tuple[str, re.Pattern[str]]:
    """The method and path pattern of a generated endpoint, read from its ``_get_kwargs``."""
    source = inspect.getsource(module._get_kwargs)
    method, url = _METHOD.search(source), _URL.search(source)
    if method is None or url is None:
        raise TypeError(f"{module.__name__} does not look like a generated endpoint module")
    pattern = _PLACEHOLDER.sub("[^/]+", re.escape(API_PATH + url.group(1)))
    return method.group(1).upper(), re.compile(pattern)


def _check_status(status: object) -> None:
    """A status the space can answer with (an int from 200 to 599), else ``ValueError``: the server could not
    write another one, and the test would see a dropped connection instead of its mistake."""
    if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
        raise ValueError(f"status must be an HTTP status code (200-599), not {status!r}")


def canned(operation: str | ModuleType, status: int, document: Any, times: int | None) -> Canned:
    """A checked ``Canned`` answer: ``document`` must be what the operation's generated parser reads for
    ``status`` (its model's ``from_dict``), or ``ValueError`` says why it is not."""
    import httpx

    from .. import _generated as gen

    module = gen.find_operation(operation) if isinstance(operation, str) else operation
    name = module.__name__.rsplit(".", 1)[-1]
    _check_status(status)
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        raise ValueError(f"times must be None (every request) or an int >= 1, got {times!r}")
    try:
        body = json.dumps(document).encode()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: json= must be JSON-serialisable: {exc}") from None
    method, route = _route(module)
    client = gen.GeneratedClient(base_url="http://127.0.0.1", raise_on_unexpected_status=False)
    response = httpx.Response(status, content=body, headers={"Content-Type": "application/json"})
    try:
        module._parse_response(client=client, response=response)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ValueError(
            f"{name}: json= is not what the generated client reads for a {status} answer ({type(exc).__name__}: {exc})"
        ) from None
    return Canned(name, method, route, status, body, times)


def status_fault(status: int, *, times: int, retry_after: str | float | None, body: bytes | str | None) -> Fault:
    """The fault ``FakeSpace.fail`` queues: ``status`` (an error document unless ``body``; a ``str`` UTF-8)."""
    if isinstance(body, str):
        body = body.encode()
    elif body is not None and not isinstance(body, bytes):
        raise TypeError(f"body must be bytes, str or None, not {type(body).__name__}")
    return Fault("status", times, status, None if retry_after is None else str(retry_after), body)


class Overrides:
    """The queue of faults (served in order, each ``remaining`` times) and the canned answers (newest first)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._canned: list[Canned] = []

    def add_fault(self, fault: Fault) -> None:
        times = fault.remaining
        if not isinstance(times, int) or isinstance(times, bool) or times < 1:
            raise ValueError(f"times must be an int >= 1, got {times!r}")
        _check_status(fault.status)
        with self._lock:
            self._faults.append(fault)

    def add_canned(self, answer: Canned) -> None:
        with self._lock:
            self._canned.insert(0, answer)

    def take_fault(self) -> Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            fault.remaining -= 1
            if fault.remaining == 0:
                self._faults.pop(0)
            return fault

    def take_canned(self, method: str, path: str) -> Canned | None:
        with self._lock:
            for answer in self._canned:
                if answer.matches(method, path):
                    if answer.remaining is not None:
                        answer.remaining -= 1
                        if answer.remaining == 0:
                            self._canned.remove(answer)
                    return answer
        return None
