"""What a change of the merged spec does to the SDK's API surface, line by line, breaking or compatible.

    python scripts/spec_diff.py OLD.yaml NEW.yaml      # print the report (exit 0 whatever it says)

``scripts/generate.py`` runs it on every ``make generate`` (the ``generated/openapi.merged.yaml`` being
replaced against the new one) and on ``make check`` when ``generated/`` is stale, prints the report
and writes it to ``build/spec-changes.txt``. The functions here are pure: documents in, lines out.

*Breaking* means code written against the SDK generated from the old spec may stop working (a
``TypeError``, ``AttributeError``, a failing ``mypy``, or a value it does not expect); *compatible*
means such code keeps working. SDK users are those of ``signalwire_compat`` (whose ``invoke`` takes
the generated functions' keyword arguments and returns the generated models) and of the generated
package itself. The rules, and why:

Operations
- added: compatible (nothing existing changes). Removed: breaking (``invoke("name")`` and the
  generated module are gone). ``operationId`` changed: breaking (the module and ``invoke`` name change).
  An operation whose route changed only in its path parameters' names (``{Sid}`` -> ``{StreamSid}``)
  is the same operation: the parameter is reported renamed, not the operation removed and added.
- a success status (2xx) added, removed or answered with another schema: breaking (what a call
  returns changes type). An error status added or removed: compatible (the overlay raises errors by
  HTTP status, ``NotFoundError`` for any 404, whatever the spec lists).
- request body added: breaking if required (calls without ``body=`` fail), else compatible; removed:
  breaking (``body=`` is refused); another schema: breaking (another model class to build).
  Request content type changed (JSON/form): compatible (the overlay form-encodes either, and the
  function signature does not change).

Parameters (keyword arguments of the generated functions)
- added: breaking if required, compatible if optional. Removed: breaking (``TypeError``). A removal
  and an addition with the same location and schema are reported once, as a rename: breaking.
- optional -> required: breaking; required -> optional: compatible.
- retyped: breaking; made nullable: compatible (more is accepted); no longer nullable: breaking.
- enum value added: compatible; removed: breaking (code passing it is refused by the API, and the
  generated enum loses the member).

Fields of schemas (models), judged by where the schema is used: in requests (users build it), in
responses (users read it), or both (then the stricter rule wins). A schema no operation uses is
judged as both.
- added to a request model: breaking if required (constructors need it), compatible if optional.
  Added to a response model: compatible (the generated model, and the overlay's typed result derived
  from it, gain an attribute).
- removed: breaking (a constructor argument or an attribute disappears). A field removed while
  another of the same type is added in the same model is also marked "possibly renamed" on both lines.
- retyped: breaking. Made nullable: compatible in a request, breaking in a response (readers now get
  ``None``). No longer nullable: breaking in a request, compatible in a response.
- optional -> required: breaking in a request, compatible in a response (the attribute loses
  ``Unset``). Required -> optional: compatible in a request, breaking in a response (readers may
  now get ``Unset``).
- enum value added: compatible in a request (more is accepted) and in a response too: the overlay
  keeps a value it does not know as ``sw.Unparsed`` instead of failing, and the regenerated enum
  knows the new member. Removed: breaking in a request (the API refuses it) and in a response (the
  generated enum loses the member, so code comparing with it fails).
- a model added: compatible; removed: breaking (importing it fails); its generated class renamed
  (a schema ``title``): breaking.

Types are compared as the generated code sees them: a ``$ref`` to a plain string/number component
(the published spec's ``uuid``) is that type; formats that do not change the Python type (``int32``,
``uri``, ...) are ignored, while ``date-time``, ``date``, ``uuid`` and ``binary`` count; an enum is
its generated class, so ``$ref: UpdateCallStreamRequestStatus`` and an inline enum the generator names
``UpdateCallStreamRequestStatus`` are the same type; operations are named by their Python name
(``update-stream`` and ``update_stream`` are both ``update_stream``). Parameters show their Python
argument (``'EndTime<' (end_time_before)``, see ``parameter_names``).

A change to a field, a parameter or an enum value names the overlay lines that use it (``[overlay: ...]``,
``report(uses=...)``; scripts/overlay_fit.py finds them), so a maintainer sees which handwritten code to
look at.

Documentation (descriptions, summaries, examples, ...) is not API surface, and ``required`` and ``enum``
lists are sets: a spec that differs only in wording or in such an order reports no change, and says
which.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from merge_specs import HTTP_METHODS, UNORDERED_KEYWORDS, class_name, load_yaml, meaning
from parameter_names import generator_name, python_name

BREAKING = "breaking"
COMPATIBLE = "compatible"
REQUEST, RESPONSE, BOTH = "request", "response", "both"
_SCHEMA_REF = "#/components/schemas/"
# String formats that give a generated field another Python type (datetime, date, UUID, File);
# any other format (int32, uri, email, ...) leaves it a str/int/float.
TYPED_FORMATS = frozenset({"date-time", "date", "uuid", "binary"})
PRIMITIVES = frozenset({"string", "integer", "number", "boolean"})


class Change(NamedTuple):
    breaking: bool
    where: str  # an operation ("POST /Accounts/... (create_stream)") or a model ("model CallStreamResponse")
    what: str
    # What the overlay may use that changed: a field's or parameter's wire name, or an enum value as
    # "<generated enum class>=<value>" (``enum_use``); the key of ``report(uses=...)``.
    wire: str = ""
    # The operations (route, method) the change touches: its own, or every one that uses the model.
    operations: frozenset[tuple[str, str]] = frozenset()

    def line(self, uses: Mapping[str, Sequence[str]] | None = None) -> str:
        text = f"  {BREAKING if self.breaking else COMPATIBLE:<11} {self.where}: {self.what}"
        files = (uses or {}).get(self.wire) if self.wire else None
        return f"{text} [overlay: {', '.join(files)}]" if files else text


def _stricter(side: str, *, request: bool, response: bool) -> bool:
    """Whether a change is breaking for a schema used on ``side``, given its verdict on each side."""
    return {REQUEST: request, RESPONSE: response, BOTH: request or response}[side]


def _ref_name(schema: Any) -> str | None:
    """The component a schema stands for: a ``$ref``, or an ``allOf`` of one ``$ref`` (the published style)."""
    if not isinstance(schema, Mapping):
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
        return ref[len(_SCHEMA_REF) :]
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1:
        return _ref_name(all_of[0])
    return None


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith(_SCHEMA_REF):
                yield item[len(_SCHEMA_REF) :]
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


class _Spec:
    """One merged spec, read the way the generated code sees it."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        components = document.get("components") or {}
        self.schemas: Mapping[str, Any] = components.get("schemas") or {}
        self.operations: dict[tuple[str, str], Mapping[str, Any]] = {}
        for route, item in (document.get("paths") or {}).items():
            if isinstance(item, Mapping):
                for method in HTTP_METHODS:
                    if isinstance(item.get(method), Mapping):
                        self.operations[(route, method)] = item[method]

    # -- schemas --

    def target(self, schema: Any) -> Any:
        """A schema with its ``$ref`` followed (once per level, cycles stop at the second visit)."""
        seen: set[str] = set()
        while (name := _ref_name(schema)) is not None and name not in seen and name in self.schemas:
            seen.add(name)
            schema = self.schemas[name]
        return schema

    def is_primitive(self, name: str) -> bool:
        """A component the generator does not make a class of: a plain string/number/... (e.g. ``uuid``)."""
        schema = self.schemas.get(name)
        return (
            isinstance(schema, Mapping)
            and "enum" not in schema
            and "properties" not in schema
            and _ref_name(schema) is None
            and schema.get("type") in PRIMITIVES
        )

    def class_of(self, name: str) -> str:
        schema = self.schemas.get(name)
        title = schema.get("title") if isinstance(schema, Mapping) else None
        return class_name(title if isinstance(title, str) and title else name)

    def type_parts(self, schema: Any, inline_enum_class: str | None = None) -> frozenset[str]:
        """A schema's type as the generated code sees it, as a set of alternatives (``{"UUID", "None"}``).

        A component is its class name (a plain one such as ``uuid`` is its type); an inline enum is
        the class the generator names it (``inline_enum_class``), so ``$ref: XStatus`` and an inline
        enum the generator calls ``XStatus`` are one type.
        """
        if not isinstance(schema, Mapping):
            return frozenset({"Any"})
        name = _ref_name(schema)
        if name is not None:
            if self.is_primitive(name):
                return self.type_parts(self.schemas[name])
            return frozenset({self.class_of(name)})
        for combinator in ("anyOf", "oneOf"):
            if isinstance(schema.get(combinator), list):
                return frozenset().union(*(self.type_parts(s, inline_enum_class) for s in schema[combinator]))
        if "const" in schema:
            return frozenset({f"Literal[{schema['const']!r}]"})
        types = schema.get("type")
        kinds = types if isinstance(types, list) else [types] if isinstance(types, str) else []
        parts: set[str] = set()
        for kind in kinds:
            if kind == "null":
                parts.add("None")
            elif "enum" in schema and kind in PRIMITIVES:
                parts.add(inline_enum_class or f"enum[{kind}]")
            elif kind == "array":
                parts.add(f"list[{self.signature(schema.get('items'))}]")
            elif kind == "string" and schema.get("format") in TYPED_FORMATS:
                parts.add(f"string({schema['format']})")
            else:
                parts.add(str(kind))
        if not parts:
            parts.add("object" if "properties" in schema else "Any")
        return frozenset(parts)

    def signature(self, schema: Any, inline_enum_class: str | None = None) -> str:
        return " | ".join(sorted(self.type_parts(schema, inline_enum_class)))

    def enum_values(self, schema: Any) -> list[Any] | None:
        schema = self.target(schema)
        if isinstance(schema, Mapping):
            if isinstance(schema.get("enum"), list):
                return list(schema["enum"])
            for combinator in ("anyOf", "oneOf"):  # a nullable enum: anyOf [enum, null]
                for option in schema.get(combinator) or []:
                    values = self.enum_values(option)
                    if values is not None:
                        return values
        return None

    def enum_class(self, schema: Any) -> str | None:
        """The generated class of an enum that is a component (``$ref``), or None for an inline one."""
        name = _ref_name(schema)
        return self.class_of(name) if name is not None and self.enum_values(schema) is not None else None

    def users(self, name: str) -> frozenset[tuple[str, str]]:
        """The operations (route, method) whose parameters, body or responses use component ``name``."""
        found = set()
        for (route, method), operation in self.operations.items():
            pending = list(_refs([operation, self.document["paths"][route].get("parameters")]))
            seen: set[str] = set()
            while pending:
                ref = pending.pop()
                if ref == name:
                    found.add((route, method))
                    break
                if ref not in seen:
                    seen.add(ref)
                    pending.extend(_refs(self.schemas.get(ref)))
        return frozenset(found)

    def inline_enum_classes(self) -> set[str]:
        """Classes the generator makes of inline enums in component schemas' fields (``XRequestStatus``)."""
        found: set[str] = set()
        for name, schema in self.schemas.items():
            fields = schema.get("properties") if isinstance(schema, Mapping) else None
            for field, field_schema in (fields or {}).items():
                if _ref_name(field_schema) is None and self.enum_values(field_schema) is not None:
                    found.add(class_name(self.class_of(name) + class_name(str(field))))
        return found

    # -- operations --

    def resolve(self, value: Any) -> Any:
        """Follow a ``$ref`` to anything under ``#/components/`` (parameters, request bodies, ...)."""
        if isinstance(value, Mapping) and isinstance(value.get("$ref"), str) and value["$ref"].startswith("#/"):
            target: Any = self.document
            for part in value["$ref"][2:].split("/"):
                target = target.get(part) if isinstance(target, Mapping) else None
            return target if target is not None else value
        return value

    def parameters(self, route: str, operation: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
        found: dict[tuple[str, str], Mapping[str, Any]] = {}
        for holder in (self.document["paths"][route], operation):
            for parameter in holder.get("parameters") or []:
                resolved = self.resolve(parameter)
                if isinstance(resolved, Mapping) and isinstance(resolved.get("name"), str):
                    found[(str(resolved.get("in")), resolved["name"])] = resolved
        return found

    def body(self, operation: Mapping[str, Any]) -> Mapping[str, Any] | None:
        body = self.resolve(operation.get("requestBody"))
        return body if isinstance(body, Mapping) else None

    def responses(self, operation: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for status, response in (operation.get("responses") or {}).items():
            resolved = self.resolve(response)
            content = resolved.get("content") if isinstance(resolved, Mapping) else None
            found[str(status)] = _first_schema(content)[1]
        return found

    def usage(self) -> dict[str, str]:
        """Component schema -> ``request``, ``response`` or ``both``, following ``$ref`` transitively."""
        seen: dict[str, set[str]] = {}

        def mark(names: Iterator[str], side: str) -> None:
            pending = list(names)
            while pending:
                name = pending.pop()
                sides = seen.setdefault(name, set())
                if side not in sides:
                    sides.add(side)
                    pending.extend(_refs(self.schemas.get(name)))

        for (route, _method), operation in self.operations.items():
            mark(_refs(self.body(operation)), REQUEST)
            mark(_refs(list(self.parameters(route, operation).values())), REQUEST)
            mark(_refs([self.resolve(r) for r in (operation.get("responses") or {}).values()]), RESPONSE)
        return {name: (BOTH if len(sides) > 1 else next(iter(sides))) for name, sides in seen.items()}


def _first_schema(content: Any) -> tuple[str | None, Any]:
    """(media type, schema) of the first media type of a ``content`` map."""
    if isinstance(content, Mapping):
        for media_type, entry in content.items():
            return str(media_type), entry.get("schema") if isinstance(entry, Mapping) else None
    return None, None


class _Diff:
    """The rules of the module docstring, applied to two specs."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = _Spec(old), _Spec(new)

    def type_change(
        self, before: Any, after: Any, side: str, label: str, enum_class: str | None = None
    ) -> list[Change]:
        old_parts = self.old.type_parts(before, enum_class)
        new_parts = self.new.type_parts(after, enum_class)
        if old_parts == new_parts:
            return []
        if new_parts == old_parts | {"None"}:
            return [Change(_stricter(side, request=False, response=True), "", f"{label} is now nullable")]
        if old_parts == new_parts | {"None"}:
            return [Change(_stricter(side, request=True, response=False), "", f"{label} is no longer nullable")]
        old_signature = self.old.signature(before, enum_class)
        new_signature = self.new.signature(after, enum_class)
        return [Change(True, "", f"{label} retyped: {old_signature} -> {new_signature}")]

    def enum_changes(self, before: Any, after: Any, label: str, enum_class: str) -> list[Change]:
        """Values added (compatible on either side) and removed (breaking on either side); see the rules.
        ``enum_class`` is the generated enum's class, for an inline enum the one the generator names it."""
        old_values, new_values = self.old.enum_values(before), self.new.enum_values(after)
        if old_values is None or new_values is None:
            return []
        old_class = self.old.enum_class(before) or enum_class
        new_class = self.new.enum_class(after) or enum_class
        prefix = f"{label}: " if label else ""
        changes = [
            Change(False, "", f"{prefix}enum value {v!r} added", enum_use(new_class, v))
            for v in new_values
            if v not in old_values
        ]
        changes += [
            Change(True, "", f"{prefix}enum value {v!r} removed", enum_use(old_class, v))
            for v in old_values
            if v not in new_values
        ]
        return changes

    def field_changes(self, before: Any, after: Any, side: str, owner: str, prefix: str = "") -> list[Change]:
        """Fields added, removed, retyped, made (non-)nullable or (non-)required in an object schema
        whose generated class is ``owner``; inline objects and arrays of them are followed."""
        before, after = self.old.target(before), self.new.target(after)
        if not isinstance(before, Mapping) or not isinstance(after, Mapping):
            return []
        old_fields: Mapping[str, Any] = before["properties"] if isinstance(before.get("properties"), Mapping) else {}
        new_fields: Mapping[str, Any] = after["properties"] if isinstance(after.get("properties"), Mapping) else {}
        old_required, new_required = set(before.get("required") or []), set(after.get("required") or [])
        noun = {REQUEST: "request field", RESPONSE: "response field", BOTH: "field"}[side]
        changes: list[Change] = []
        added = {
            name: self.new.signature(schema, class_name(owner + class_name(str(name))))
            for name, schema in new_fields.items()
            if name not in old_fields
        }
        removed = {
            name: self.old.signature(schema, class_name(owner + class_name(str(name))))
            for name, schema in old_fields.items()
            if name not in new_fields
        }
        # A field removed while another of the same type is added may be one field renamed: say so on both lines.
        renamed_to = {old: next((new for new, t in added.items() if t == removed[old]), None) for old in removed}
        renamed_from = {new: old for old, new in renamed_to.items() if new is not None}
        for name, signature in added.items():
            required = name in new_required
            breaking = _stricter(side, request=required, response=False)
            kind = "required" if required else "optional"
            what = f"{kind} {noun} '{prefix}{name}' added ({signature})"
            if name in renamed_from:
                what += f", possibly renamed from '{prefix}{renamed_from[name]}'"
            changes.append(Change(breaking, "", what, str(name)))
        for name in removed:
            what = f"{noun} '{prefix}{name}' removed"
            if renamed_to[name] is not None:
                what += f", possibly renamed to '{prefix}{renamed_to[name]}'"
            changes.append(Change(True, "", what, str(name)))
        for name, new_schema in new_fields.items():
            if name not in old_fields:
                continue
            old_schema, field = old_fields[name], f"{noun} '{prefix}{name}'"
            enum_class = class_name(owner + class_name(str(name)))
            inside = self.type_change(old_schema, new_schema, side, field, enum_class)
            was, now = name in old_required, name in new_required
            if now and not was:
                inside.append(Change(_stricter(side, request=True, response=False), "", f"{field} is now required"))
            elif was and not now:
                inside.append(Change(_stricter(side, request=False, response=True), "", f"{field} is now optional"))
            if _ref_name(old_schema) is None or _ref_name(new_schema) is None:  # both refs: the model reports it
                inside += self.enum_changes(old_schema, new_schema, field, enum_class)
            changes += [change if change.wire else change._replace(wire=str(name)) for change in inside]
            if _ref_name(old_schema) is None and _ref_name(new_schema) is None:
                if "properties" in old_schema and "properties" in new_schema:
                    changes += self.field_changes(old_schema, new_schema, side, enum_class, f"{prefix}{name}.")
                elif isinstance(old_schema.get("items"), Mapping) and isinstance(new_schema.get("items"), Mapping):
                    items_before, items_after = old_schema["items"], new_schema["items"]
                    if _ref_name(items_before) is None and _ref_name(items_after) is None:
                        changes += self.enum_changes(items_before, items_after, f"{field} items", enum_class + "Item")
                        changes += self.field_changes(
                            items_before, items_after, side, enum_class + "Item", f"{prefix}{name}[]."
                        )
        return changes

    def parameter_changes(self, operation: str, old: Mapping[Any, Any], new: Mapping[Any, Any]) -> list[Change]:
        changes: list[Change] = []
        added = [key for key in new if key not in old]
        removed = [key for key in old if key not in new]
        for key in list(removed):
            # One parameter disappears while another with the same location and meaning appears: a rename.
            twin = next(
                (
                    k
                    for k in added
                    if k[0] == key[0] and meaning(dict(new[k])) == {**meaning(dict(old[key])), "name": k[1]}
                ),
                None,
            )
            if twin is not None:
                added.remove(twin)
                removed.remove(key)
                changes.append(Change(True, "", f"{_parameter(*key)} renamed to {_parameter(*twin)}", key[1]))
        for key in added:
            required = bool(new[key].get("required"))
            what = f"{'required' if required else 'optional'} {_parameter(*key)} added"
            changes.append(Change(required, "", what, key[1]))
        changes += [Change(True, "", f"{_parameter(*key)} removed", key[1]) for key in removed]
        for key, parameter in new.items():
            if key not in old:
                continue
            label = _parameter(*key)
            inside: list[Change] = []
            was, now = bool(old[key].get("required")), bool(parameter.get("required"))
            if now and not was:
                inside.append(Change(True, "", f"{label} is now required"))
            elif was and not now:
                inside.append(Change(False, "", f"{label} is now optional"))
            enum_class = class_name(operation + class_name(key[1]))
            before, after = old[key].get("schema"), parameter.get("schema")
            inside += self.type_change(before, after, REQUEST, label, enum_class)
            if _ref_name(before) is None or _ref_name(after) is None:
                inside += self.enum_changes(before, after, label, enum_class)
            changes += [change if change.wire else change._replace(wire=key[1]) for change in inside]
        return changes

    def operation_changes(self, old_key: tuple[str, str], new_key: tuple[str, str]) -> list[Change]:
        """What changed in one operation; the keys differ when only its path parameters were renamed."""
        (old_route, method), (route, _) = old_key, new_key
        old, new = self.old.operations[old_key], self.new.operations[new_key]
        changes: list[Change] = []
        old_name, new_name = _operation_name(old_route, method, old), _operation_name(route, method, new)
        if old_name != new_name:
            changes.append(Change(True, "", f"renamed from {old_name} (operationId {old.get('operationId')!r})"))
        owner = class_name(new_name)
        changes += self.parameter_changes(owner, self.old.parameters(old_route, old), self.new.parameters(route, new))

        old_body, new_body = self.old.body(old), self.new.body(new)
        if old_body is None and new_body is not None:
            required = bool(new_body.get("required"))
            changes.append(Change(required, "", f"{'required' if required else 'optional'} request body added"))
        elif old_body is not None and new_body is None:
            changes.append(Change(True, "", "request body removed"))
        elif old_body is not None and new_body is not None:
            old_type, old_schema = _first_schema(old_body.get("content"))
            new_type, new_schema = _first_schema(new_body.get("content"))
            if old_type != new_type:
                changes.append(Change(False, "", f"request content type {old_type} -> {new_type}"))
            if new_body.get("required") and not old_body.get("required"):
                changes.append(Change(True, "", "request body is now required"))
            elif old_body.get("required") and not new_body.get("required"):
                changes.append(Change(False, "", "request body is now optional"))
            body_class = owner + "Body"
            changes += self.type_change(old_schema, new_schema, REQUEST, "request body", body_class)
            if _ref_name(old_schema) is None and _ref_name(new_schema) is None:  # inline: this operation's fields
                changes += self.enum_changes(old_schema, new_schema, "request body", body_class)
                changes += self.field_changes(old_schema, new_schema, REQUEST, body_class)

        old_responses, new_responses = self.old.responses(old), self.new.responses(new)
        for status in new_responses:
            if status not in old_responses:
                changes.append(Change(status.startswith("2"), "", f"response status {status} added"))
        for status in old_responses:
            if status not in new_responses:
                changes.append(Change(status.startswith("2"), "", f"response status {status} removed"))
        for status, after in new_responses.items():
            if status not in old_responses:
                continue
            before, success = old_responses[status], status.startswith("2")
            response_class = f"{owner}Response{status}"
            for change in self.type_change(before, after, RESPONSE, f"response {status}", response_class):
                changes.append(change._replace(breaking=success and change.breaking))
            if _ref_name(before) is None and _ref_name(after) is None:
                changes += self.enum_changes(before, after, f"response {status}", response_class)
                changes += self.field_changes(before, after, RESPONSE, response_class, f"({status}) ")
        return changes

    def renamed_routes(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Operations whose route only had path parameters renamed (``{Sid}`` -> ``{StreamSid}``): old key -> new
        key, paired when exactly one removed and one added operation have the method and path shape."""
        removed = [key for key in self.old.operations if key not in self.new.operations]
        added = [key for key in self.new.operations if key not in self.old.operations]
        pairs: dict[tuple[str, str], tuple[str, str]] = {}
        for old_key in removed:
            alike = [key for key in removed if key[1] == old_key[1] and _shape(key[0]) == _shape(old_key[0])]
            twins = [key for key in added if key[1] == old_key[1] and _shape(key[0]) == _shape(old_key[0])]
            if len(alike) == 1 and len(twins) == 1:
                pairs[old_key] = twins[0]
        return pairs

    def changes(self) -> list[Change]:
        changes: list[Change] = []
        old_ops, new_ops = self.old.operations, self.new.operations
        renamed = self.renamed_routes()
        renamed_to = set(renamed.values())
        for key in sorted(old_ops.keys() | new_ops.keys()):
            route, method = key
            operation = new_ops.get(key) or old_ops[key]
            where = f"{method.upper()} {route} ({_operation_name(route, method, operation)})"
            touched = frozenset({key})
            if key in renamed_to:
                continue  # reported under its old key, below
            if key in renamed:
                new_key = renamed[key]
                where = f"{method.upper()} {new_key[0]} ({_operation_name(new_key[0], method, new_ops[new_key])})"
                renamed_changes = self.operation_changes(key, new_key)
                changes += [change._replace(where=where, operations=touched | {new_key}) for change in renamed_changes]
            elif key not in old_ops:
                changes.append(Change(False, where, "operation added", operations=touched))
            elif key not in new_ops:
                changes.append(Change(True, where, "operation removed", operations=touched))
            else:
                changes += [
                    change._replace(where=where, operations=touched) for change in self.operation_changes(key, key)
                ]

        old_usage, new_usage = self.old.usage(), self.new.usage()
        # A model that is a component in one spec and an inline enum in the other is still generated.
        old_inline, new_inline = self.old.inline_enum_classes(), self.new.inline_enum_classes()
        for name in sorted(self.old.schemas.keys() | self.new.schemas.keys()):
            label = f"model {name}"
            if name not in self.old.schemas:
                if not self.new.is_primitive(name) and self.new.class_of(name) not in old_inline:
                    changes.append(Change(False, label, "added", operations=self.new.users(name)))
                continue
            if name not in self.new.schemas:
                if not self.old.is_primitive(name) and self.old.class_of(name) not in new_inline:
                    changes.append(Change(True, label, "removed", operations=self.old.users(name)))
                continue
            before, after = self.old.schemas[name], self.new.schemas[name]
            sides = {old_usage.get(name, BOTH), new_usage.get(name, BOTH)}
            side = sides.pop() if len(sides) == 1 else BOTH
            inside: list[Change] = []
            if self.old.class_of(name) != self.new.class_of(name):
                inside.append(
                    Change(True, "", f"generated class renamed {self.old.class_of(name)} -> {self.new.class_of(name)}")
                )
            if not self.old.is_primitive(name) or not self.new.is_primitive(name):
                old_parts = self.old.type_parts({**before, "title": None}) if isinstance(before, Mapping) else None
                new_parts = self.new.type_parts({**after, "title": None}) if isinstance(after, Mapping) else None
                if old_parts != new_parts:
                    inside += self.type_change(before, after, side, "type", name)
            inside += self.enum_changes(before, after, "", self.new.class_of(name))
            inside += self.field_changes(before, after, side, self.new.class_of(name))
            if inside:
                touched = self.old.users(name) | self.new.users(name)
                changes += [change._replace(where=label, operations=touched) for change in inside]
        return changes


def _shape(route: str) -> str:
    """A route with its parameter names left out: ``/Calls/{CallSid}`` and ``/Calls/{Sid}`` have one shape."""
    return re.sub(r"\{[^}]*\}", "{}", route)


def enum_use(enum_class: str, value: Any) -> str:
    """The ``uses`` key of one enum value: ``UpdateCallStreamRequestStatus=stopped``."""
    return f"{enum_class}={value}"


def _operation_name(route: str, method: str, operation: Mapping[str, Any]) -> str:
    """The generated module and ``invoke`` name of an operation (``update-stream`` -> ``update_stream``)."""
    from parameter_names import module_name

    return module_name(route, method, operation)


def _parameter(location: str, name: str) -> str:
    renamed = generator_name(name) if location == "query" else None
    return f"{location} parameter '{name}' ({python_name(renamed or name)})"


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every API surface change from merged spec ``old`` to merged spec ``new``, in a stable order."""
    return _Diff(old, new).changes()


def _unseen(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """The report of two merged specs with no API change between them: how they differ, if they do."""
    if old == new:
        return "none (the merged spec is unchanged)"
    if meaning(dict(old)) != meaning(dict(new)):
        return "none that SDK users can see"
    reordered = meaning(dict(old), ordered=True) != meaning(dict(new), ordered=True)
    reworded = _documentation(old) != _documentation(new)
    if reordered and reworded:
        return "none (the merged spec changed only in wording and in the order of required names or enum values)"
    if reordered:
        return "none (the merged spec changed only in the order of required names or enum values)"
    return "none (the merged spec changed only in wording)"


def _documentation(value: Any) -> Any:
    """``value`` with every ``required``/``enum`` list in one order: two of these differ only in documentation
    once their meanings are equal."""
    if isinstance(value, Mapping):
        return {
            key: sorted(map(str, item))
            if key in UNORDERED_KEYWORDS and isinstance(item, list)
            else _documentation(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_documentation(item) for item in value]
    return value


def report(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    *,
    old_label: str,
    new_label: str,
    uses: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """The report's lines: a heading, then one line per change, breaking ones first.

    ``uses`` maps a wire name (or an enum value, ``enum_use``) to the overlay lines that use it
    (``overlay_fit.Fit.uses``): a change to it names them, so the maintainer knows what to look at.
    """
    heading = f"API changes from {old_label} to {new_label}"
    if old is None:
        return [f"{heading}: no previous spec to compare with"]
    changes = diff(old, new)
    if not changes:
        return [f"{heading}: {_unseen(old, new)}"]
    breaking = sum(change.breaking for change in changes)
    lines = [f"{heading}: {breaking} breaking, {len(changes) - breaking} compatible"]
    lines += [change.line(uses) for change in changes if change.breaking]
    lines += [change.line(uses) for change in changes if not change.breaking]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="the merged spec before (e.g. generated/openapi.merged.yaml)")
    parser.add_argument("new", type=Path, help="the merged spec after")
    args = parser.parse_args(argv)
    old, new = (load_yaml(path.read_text(encoding="utf-8")) for path in (args.old, args.new))
    print("\n".join(report(old, new, old_label=str(args.old), new_label=str(args.new))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
