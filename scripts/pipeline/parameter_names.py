"""Distinct Python names for query parameters the generator cannot tell apart; wire names kept.

openapi-python-client (0.29.1) derives a parameter's Python name from its wire name alone: the
snake_case of the characters that can be part of an identifier. It has no per-parameter name
override (no ``x-`` extension, no config option), and it skips an operation, with a warning, when
two parameters end up with one name. SignalWire's list operations filter on ``EndTime``,
``EndTime<`` and ``EndTime>``, which all become ``end_time``: 7 of the published spec's 79
operations would not be generated.

The pipeline resolves this with one documented, deterministic transformation, in two steps that
only ``scripts/pipeline/generate.py`` runs (nothing under ``generated/`` is edited by hand):

1. **Before generation**, in the document handed to the generator (``generated/openapi.merged.yaml``
   keeps the real names), a query parameter named ``X<`` is renamed ``XBefore`` and ``X>`` is
   renamed ``XAfter``. Their Python arguments become ``x_before`` / ``x_after``: ``end_time_before``,
   ``date_created_after``, the names twilio-python gives the same filters. (Every such parameter in
   the published spec compares dates or times.) A rule for names, not for collisions: ``X<``
   becomes ``x_before`` even in an operation that has no plain ``X``.
2. **After generation**, the one statement that puts each renamed parameter on the wire,
   ``params["EndTimeBefore"] = ...`` in the operation's own module, gets its wire name back:
   ``params["EndTime<"] = ...`` (httpx sends it as ``EndTime%3C=...``). Each renamed parameter must
   be found exactly once in its operation's module, or generation fails. (Only that module is
   touched: the fax list's genuine ``DateCreatedAfter`` parameter stays what it is.)

The functions here are pure (documents and source text in, documents and text out);
``scripts/pipeline/generate.py`` does the file work.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Trailing comparison operator -> the word that replaces it in the name given to the generator.
COMPARISON_SUFFIXES = {"<": "Before", ">": "After"}
_PARAMETER_PREFIX = "#/components/parameters/"


class ParameterNameError(Exception):
    """The transformation cannot be applied without ambiguity; the message says where."""


class Rename(NamedTuple):
    method: str
    route: str
    module: str  # the operation's generated module, e.g. "list_all_calls"
    wire_name: str  # what the API takes, e.g. "EndTime<"
    generator_name: str  # what the generator is given, e.g. "EndTimeBefore"
    python_name: str  # the argument the generator derives from it, e.g. "end_time_before"


def generator_name(wire_name: str) -> str | None:
    """``EndTime<`` -> ``EndTimeBefore``, ``EndTime>`` -> ``EndTimeAfter``; None when not renamed."""
    suffix = COMPARISON_SUFFIXES.get(wire_name[-1:])
    stem = wire_name[:-1]
    if suffix is None or not stem or stem[-1:] in COMPARISON_SUFFIXES:
        return None
    return stem + suffix


def python_name(name: str) -> str:
    """The Python argument openapi-python-client derives from a parameter name (its own function)."""
    from openapi_python_client.strings import PythonIdentifier

    return str(PythonIdentifier(name, prefix="field_"))


def module_name(route: str, method: str, operation: Mapping[str, Any]) -> str:
    """The module openapi-python-client writes an operation to (its own naming functions)."""
    from openapi_python_client.parser.openapi import generate_operation_id
    from openapi_python_client.schema import UntrustedString

    operation_id = operation.get("operationId")
    if isinstance(operation_id, str):
        return python_name(python_name(operation_id))
    return python_name(str(generate_operation_id(path=UntrustedString(route), method=method, prefix="field_")))


def wire_literal(name: str) -> str:
    """How the generator writes a parameter name inside a double-quoted literal (its own function)."""
    from openapi_python_client.strings import in_double_quote_literal

    return in_double_quote_literal(name)


def _resolve(parameter: Any, document: Mapping[str, Any]) -> Any:
    if isinstance(parameter, Mapping) and isinstance(parameter.get("$ref"), str):
        ref = parameter["$ref"]
        if ref.startswith(_PARAMETER_PREFIX):
            return document.get("components", {}).get("parameters", {}).get(ref[len(_PARAMETER_PREFIX) :], parameter)
    return parameter


def _operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    for route, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield route, method, item, item[method]


def _effective_query_names(
    item: Mapping[str, Any], operation: Mapping[str, Any], document: Mapping[str, Any]
) -> list[str]:
    """Query parameter names of one operation: path-level ones, overridden by the operation's own."""
    found: dict[tuple[str, str], None] = {}
    for holder in (item, operation):
        for parameter in holder.get("parameters") or []:
            resolved = _resolve(parameter, document)
            if (
                isinstance(resolved, Mapping)
                and resolved.get("in") == "query"
                and isinstance(resolved.get("name"), str)
            ):
                found[("query", resolved["name"])] = None
    return [name for _, name in found]


def plan(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[Rename]]:
    """The document to hand to the generator, and every parameter renamed in it (in document order).

    ``document`` itself is not changed. A renamed parameter given by ``$ref`` is replaced by a renamed
    copy in the operations that use it.
    """
    result = copy.deepcopy(dict(document))
    renames: list[Rename] = []
    for route, method, original_item, original in _operations(document):
        names = _effective_query_names(original_item, original, document)
        item = result["paths"][route]
        operation = item[method]
        for wire in names:
            new = generator_name(wire)
            if new is None:
                continue
            if new in names:
                raise ParameterNameError(
                    f"{method.upper()} {route}: cannot give query parameter {wire!r} the name {new!r}: "
                    "the operation has a query parameter of that name"
                )
            module = module_name(route, method, original)
            renames.append(Rename(method, route, module, wire, new, python_name(new)))
        for holder in (item, operation):
            parameters = holder.get("parameters")
            if not isinstance(parameters, list):
                continue
            for index, parameter in enumerate(parameters):
                resolved = _resolve(parameter, document)
                if not isinstance(resolved, Mapping) or resolved.get("in") != "query":
                    continue
                name = resolved.get("name")
                renamed = generator_name(name) if isinstance(name, str) else None
                if renamed is not None:
                    parameters[index] = {**copy.deepcopy(dict(resolved)), "name": renamed}
    return result, renames


_ASSIGNMENT = 'params["{}"]'


def restore(source: str, renames: list[Rename]) -> str:
    """Put the wire names back into one operation's generated module (``renames`` are that operation's).

    Each renamed parameter's assignment must occur exactly once; otherwise ``ParameterNameError``.
    """
    for rename in renames:
        needle = _ASSIGNMENT.format(wire_literal(rename.generator_name))
        found = source.count(needle)
        if found != 1:
            raise ParameterNameError(
                f"{rename.module}: expected {needle} once in the generated code, found it {found} times; "
                "has the generator's endpoint template changed?"
            )
        source = source.replace(needle, _ASSIGNMENT.format(wire_literal(rename.wire_name)))
    return source


def summary(renames: list[Rename]) -> str:
    """One line for generate.py's output: how many parameters were renamed, with examples."""
    examples = sorted({(r.wire_name, r.python_name) for r in renames})
    shown = ", ".join(f"{wire} -> {name}" for wire, name in examples[:4])
    more = ", ..." if len(examples) > 4 else ""
    operations = len({(r.method, r.route) for r in renames})
    return (
        f"{len(renames)} comparison query parameters in {operations} operations get distinct Python names "
        f"({shown}{more}); wire names kept"
    )
