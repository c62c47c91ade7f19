"""Documents made from a spec's schemas: the answers ``make check`` feeds the overlay's result classes.

For one schema, ``documents`` gives every shape a server may answer that the overlay must read:
every property present; only the required ones (nullable ones null); and one more per value of
each enum beyond the first. Values are what the schema allows: an enum's values, a UUID for
``format: uuid``, an RFC 2822 date for the fields the overlay reads as dates (scripts/derive_overlay.py's
rule), a number, a boolean, an array of one item, a nested object, "text" for any other string.
Pure functions: a spec in, JSON values out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from derive_overlay import DATE_NAME
from spec_diff import _Spec

__all__ = ["SAMPLE_DATE", "SAMPLE_UUID", "documents", "sample"]

SAMPLE_UUID = "5d1c7e2a-0000-4000-8000-0000000000a1"
SAMPLE_DATE = "Tue, 10 Aug 2021 21:39:46 +0000"
_DEPTH = 6  # nested objects deeper than this are left empty (a recursive schema must end)


def _options(spec: _Spec, schema: Any) -> tuple[list[Any], bool]:
    """A schema's alternatives (``anyOf``/``oneOf`` or a type list) without null, and whether null is allowed."""
    schema = spec.target(schema)
    if not isinstance(schema, Mapping):
        return [{}], False
    for combinator in ("anyOf", "oneOf"):
        if isinstance(schema.get(combinator), list):
            options = [spec.target(option) for option in schema[combinator]]
            kept = [option for option in options if not (isinstance(option, Mapping) and option.get("type") == "null")]
            return kept or [{}], len(kept) < len(options)
    types = schema.get("type")
    if isinstance(types, list):
        kept_types = [kind for kind in types if kind != "null"]
        return [{**schema, "type": kind} for kind in kept_types] or [{}], len(kept_types) < len(types)
    return [schema], False


def sample(spec: _Spec, schema: Any, name: str = "", depth: int = 0) -> Any:
    """One value ``schema`` allows (its first enum value, a non-null alternative), for a field called ``name``."""
    options, _nullable = _options(spec, schema)
    option = options[0]
    values = spec.enum_values(option)
    if values:
        return values[0]
    if "const" in option:
        return option["const"]
    kind = option.get("type") or ("object" if "properties" in option else None)
    if kind == "string":
        return _text(option, name)
    if kind in ("integer", "number"):
        low, high = option.get("minimum", option.get("exclusiveMinimum")), option.get("maximum")
        value = 1 if low is None else low + (1 if "exclusiveMinimum" in option else 0)
        value = value if high is None else min(value, high)
        return int(value) if kind == "integer" else float(value) + 0.5 * (high is None)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if kind == "array":
        return [] if depth >= _DEPTH else [sample(spec, option.get("items"), name, depth + 1)]
    if kind == "object":
        return {} if depth >= _DEPTH else _object(spec, option, everything=True, depth=depth + 1)
    return "text"


def _text(option: Mapping[str, Any], name: str) -> str:
    form = option.get("format")
    if form == "uuid":
        return SAMPLE_UUID
    if form == "date-time":
        return "2021-08-10T21:39:46Z"
    if DATE_NAME.fullmatch(name):
        return SAMPLE_DATE
    if "pattern" in option:  # the spec's own example, which a pattern's author wrote to match it
        examples = option.get("examples") or ([option["example"]] if "example" in option else [])
        if examples and isinstance(examples[0], str):
            return examples[0]
    text = "https://example.com/sample" if form == "uri" else "text"
    text = text.ljust(int(option.get("minLength", 0)), "x")
    return text[: int(option["maxLength"])] if "maxLength" in option else text


def _object(spec: _Spec, schema: Mapping[str, Any], *, everything: bool, depth: int) -> dict[str, Any]:
    required = set(schema.get("required") or [])
    document: dict[str, Any] = {}
    for name, field in (schema.get("properties") or {}).items():
        if everything or name in required:
            nullable = _options(spec, field)[1]
            document[name] = None if nullable and not everything else sample(spec, field, str(name), depth)
    return document


def documents(document: Mapping[str, Any], schema: Any) -> list[Any]:
    """The answers to feed a reader of ``schema`` (a schema of the merged spec ``document``), as described above."""
    spec = _Spec(document)
    target = spec.target(schema)
    if not isinstance(target, Mapping) or not isinstance(target.get("properties"), Mapping):
        return [sample(spec, schema)]
    full = _object(spec, target, everything=True, depth=0)
    found = [full, _object(spec, target, everything=False, depth=0)]
    for name, field in target["properties"].items():
        for value in (spec.enum_values(_options(spec, field)[0][0]) or [])[1:]:
            found.append({**full, name: value})
    return found
