"""What goes on the wire, corrected in one place for every generated operation.

The seed specs declare JSON request bodies; the real Compatibility API takes
``application/x-www-form-urlencoded`` everywhere (SignalWire's full published spec says so for
every operation). The generated ``_get_kwargs()`` puts a body under ``json`` (spec says JSON) or
``data`` (spec says form); both are form-encoded here, once, so an operation from a future spec
is sent correctly whichever way its spec declares it, and a form spec is not encoded twice.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import urlencode

__all__ = ["FORM_CONTENT_TYPE", "WireRequest", "form_encode", "numbered_parameters", "to_wire"]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


class WireRequest(NamedTuple):
    method: str
    path: str
    headers: Mapping[str, str]
    content: bytes | None
    params: Any = None
    files: Any = None

    def __repr__(self) -> str:
        # The body may carry a secret (a stream's AuthorizationBearerToken): show its size only.
        size = "no body" if self.content is None else f"{len(self.content)}-byte body"
        return f"WireRequest({self.method} {self.path}, {size})"


def numbered_parameters(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """``[("FirstName", "Jane")]`` -> ``{"Parameter1.Name": "FirstName", "Parameter1.Value": "Jane"}``.

    The API takes custom stream parameters as ``Parameter1.Name`` … ``Parameter99.Value`` form
    fields; the published spec (and so the generated model) declares only the first two.
    """
    fields: dict[str, str] = {}
    for number, (name, value) in enumerate(pairs, 1):
        fields[f"Parameter{number}.Name"] = name
        fields[f"Parameter{number}.Value"] = value
    return fields


def _form_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _form_value(key, value.value)
    if isinstance(value, str | int | float):
        return str(value)
    raise ValueError(f"body field {key!r} is a {type(value).__name__}, which a form body cannot carry")


def form_encode(fields: Mapping[str, Any]) -> bytes:
    """``{"Status": "stopped"}`` -> ``b"Status=stopped"``; lists repeat the key, None is omitted."""
    pairs: list[tuple[str, str]] = []
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            pairs.extend((key, _form_value(key, item)) for item in value if item is not None)
        else:
            pairs.append((key, _form_value(key, value)))
    return urlencode(pairs).encode("ascii")


def _check_path(path: str) -> None:
    # Quoting leaves "." and ".." as they are and httpx would resolve them away: refuse, whatever
    # the operation. (The built-in operations also require UUID sids; this covers the escape hatch.)
    if path.startswith("/") and "//" not in path and "/." not in path and not path.endswith("/"):
        return  # no empty, "." or ".." segment can be in it
    segments = path.split("/")[1:]
    if not path.startswith("/") or any(segment in ("", ".", "..") for segment in segments):
        raise ValueError(f"refusing to send to {path!r}: a path parameter is empty, '.' or '..'")


def to_wire(kwargs: Mapping[str, Any]) -> WireRequest:
    """Turn a generated ``_get_kwargs()`` result into the request SignalWire expects."""
    path = kwargs["url"]
    _check_path(path)
    headers = {k: str(v) for k, v in (kwargs.get("headers") or {}).items() if k.lower() != "content-type"}
    content: bytes | None = None
    body = kwargs["json"] if "json" in kwargs else kwargs.get("data")
    if body is not None:
        if not isinstance(body, Mapping):
            raise ValueError(f"a {type(body).__name__} request body cannot be form-encoded; expected an object")
        content = form_encode(body)
        headers["Content-Type"] = FORM_CONTENT_TYPE
    return WireRequest(
        method=str(kwargs["method"]).upper(),
        path=path,
        headers=headers,
        content=content,
        params=kwargs.get("params"),
        files=kwargs.get("files"),
    )
