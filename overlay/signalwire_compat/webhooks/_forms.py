"""Reading a webhook body: form or not (by Content-Type, else by whether it is JSON), and its form parameters."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple
from urllib.parse import parse_qsl

from ._schemes import raw_bytes

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
MULTIPART_MEDIA_TYPE = "multipart/form-data"


class Body(NamedTuple):
    """A body as the checks see it."""

    raw: bytes | None
    """The raw body (scheme A and ``bodySHA256`` need it); None when given parsed."""
    pairs: list[tuple[str, str]] | None
    """Form parameters in the order sent; ``[]`` for a body that carries none (scheme B then covers
    the URL alone); None when they cannot be read here (a raw multipart body)."""
    read_as: str
    """How the body was read, in words, for ``verify``'s reasons."""
    form: bool
    """Read as form parameters (``pairs`` is then all of the body an application reads), or not."""


def read_body(body: object, content_type: str | None) -> Body:
    """Decide form or not by ``content_type`` when known; without one, a body is JSON only if it
    parses as JSON, and form data otherwise (as every framework reads it)."""
    if content_type is not None and not isinstance(content_type, str):
        raise TypeError(f"content_type must be a str or None, not {type(content_type).__name__}")
    if isinstance(body, Mapping):
        return Body(None, pairs_from_mapping(body), "parsed form parameters", form=True)
    if not isinstance(body, bytes | bytearray | str):
        raise TypeError(f"body must be bytes, str or a mapping of form parameters, not {type(body).__name__}")
    raw = raw_bytes(body)
    media = (content_type or "").partition(";")[0].strip().lower()
    if media == FORM_MEDIA_TYPE:
        return Body(raw, parse_form(raw), f"a form (Content-Type {media})", form=True)
    if media == MULTIPART_MEDIA_TYPE:
        return Body(raw, [] if not raw else None, f"a multipart form (Content-Type {media})", form=False)
    if media:
        return Body(raw, [], f"not a form (Content-Type {media})", form=False)
    if _is_json(raw):
        return Body(raw, [], "JSON (no Content-Type given)", form=False)
    return Body(raw, parse_form(raw), "a form (no Content-Type given, and not JSON)", form=True)


def parse_form(raw: bytes) -> list[tuple[str, str]]:
    """The form parameters in the order sent, decoded as frameworks decode them: a bad ``%``-escape
    or a byte that is not UTF-8 becomes U+FFFD, never a refusal to read the body."""
    return parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True, encoding="utf-8", errors="replace")


def _is_json(raw: bytes) -> bool:
    try:
        json.loads(raw.decode("utf-8"), parse_constant=_not_json)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return False
    return True


def _not_json(constant: str) -> object:
    raise ValueError(f"{constant} is not JSON")  # Python's json reads NaN and Infinity; JSON has neither


def pairs_from_iterable(params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs = []
    for item in params:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise TypeError("params must be a mapping or (name, value) pairs")
        pairs.append(_str_pair(item[0], item[1]))
    return pairs


def pairs_from_mapping(params: Mapping[str, object]) -> list[tuple[str, str]]:
    # Multi-dicts: Werkzeug/Django/Starlette have getlist(), multidict has getall(); their plain
    # item access returns one value only, which would drop repeated names.
    getlist = getattr(params, "getlist", None) or getattr(params, "getall", None)
    pairs: list[tuple[str, str]] = []
    for name in dict.fromkeys(params):  # multidict.keys() repeats a repeated name
        value: object = getlist(name) if callable(getlist) else params[name]
        if isinstance(value, str | bytes | bytearray) or not isinstance(value, Sequence):
            pairs.append(_str_pair(name, value))
        else:
            pairs.extend(_str_pair(name, item) for item in value)
    return pairs


def _str_pair(name: object, value: object) -> tuple[str, str]:
    if not isinstance(name, str) or not isinstance(value, str):
        raise TypeError(
            "form parameters must be str names and str values (or sequences of str); "
            f"got {type(name).__name__} -> {type(value).__name__}. For a JSON body, pass the raw bytes."
        )
    return name, value
