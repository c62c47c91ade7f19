"""Write the overlay modules that follow the generated client, or check that they do.

    python -m scripts.pipeline.derive_overlay            # make generate: write them
    python -m scripts.pipeline.derive_overlay --check    # make drift: fail naming each module that differs

From ``generated/openapi.merged.yaml`` and ``generated/signalwire_compat_generated``:

- ``_literals.py``: the spec's enums as ``Literal`` types (scripts/pipeline/literals.py);
- ``_results.py``: one result base class per schema a 2xx answer returns, one field per property,
  each read tolerantly by a reader of ``_readers.py`` chosen from its schema (below), and one
  ``StrEnum`` per enum those fields use. ``_models.py`` names the public results after them
  (``class CallStream(CallStreamResponse)``), so a new response field is an attribute of the
  typed result as soon as the client is regenerated;
- ``_invoke_types.py``: ``client.invoke``'s overloads, one per generated operation: its name as a
  ``Literal``, its keyword arguments as the generated ``_get_kwargs`` takes them (UUIDs also as
  ``str``, enums also as their values, ``account_sid`` optional), and ``OperationResult`` of the
  model its 2xx answer parses to. mypy then refuses ``invoke("update_stream", sidd=...)``.

How a response field is read (its attribute is the generated model's, so ``from`` is ``from_``):
an enum is its ``StrEnum`` (or ``Unparsed``); a string named ``date_*`` or ``*_time``, or of
format ``date-time``, is an RFC 2822 date (``datetime | Unparsed``); any other string is a ``str``
(ids included: the API's are not always UUIDs); integers, numbers and booleans are themselves or
``Unparsed``; objects are read-only mappings and arrays tuples; anything else is the JSON value.
A field the schema does not require, or allows to be null, may be ``None``.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from scripts.pipeline import literals
from scripts.pipeline.merge_specs import class_name, load_yaml
from scripts.pipeline.spec_diff import PRIMITIVES, _ref_name, _Spec
from scripts.pipeline.unasync import ruff

ROOT = Path(__file__).resolve().parents[2]
OVERLAY = ROOT / "overlay" / "signalwire_compat"
GENERATED = ROOT / "generated"
PACKAGE = "signalwire_compat_generated"
MERGED_SPEC = "openapi.merged.yaml"
HEADER = "# Written by make generate (scripts/pipeline/derive_overlay.py) from {source}: never edit.\n"
DATE_NAME = re.compile(r"date_\w+|\w+_time")
# Results read with only these fields required, whatever the schema's ``required`` says; the others may be
# None. A call's answer must not fail a hang-up because it lacks one of the 36 fields the spec marks
# required (the call ended all the same): only its identity is needed, and the call operations fill even
# that from the request when an answer leaves it out.
REQUIRED_ONLY: Mapping[str, frozenset[str]] = {"CallResponse": frozenset({"sid", "account_sid"})}


class DeriveError(Exception):
    pass


# -- the generated client, read with ast (nothing is imported) ---------------------------------------


def _wire_names(to_dict: ast.FunctionDef) -> dict[str, str]:
    """Wire name -> attribute, from ``field_dict.update({"Wire": attr})`` and ``field_dict["Wire"] = attr``."""
    found: dict[str, str] = {}
    for node in ast.walk(to_dict):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and node.args
            and isinstance(node.args[0], ast.Dict)
        ):
            for key, value in zip(node.args[0].keys, node.args[0].values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.Name):
                    found[key.value] = value.id
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Name)
                and target.value.id == "field_dict"
                and isinstance(target.slice, ast.Constant)
                and isinstance(target.slice.value, str)
                and isinstance(node.value, ast.Name)
            ):
                found[target.slice.value] = node.value.id
    return found


def _classes(package_dir: Path) -> Iterator[ast.ClassDef]:
    for path in sorted((package_dir / "models").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8"), filename=str(path)).body:
            if isinstance(node, ast.ClassDef):
                yield node


def model_attributes(package_dir: Path) -> dict[str, dict[str, str]]:
    """Generated model class -> {wire name: attribute}."""
    found: dict[str, dict[str, str]] = {}
    for node in _classes(package_dir):
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name == "to_dict":
                found[node.name] = _wire_names(item)
    return found


def enum_classes(package_dir: Path) -> dict[str, list[Any]]:
    """Generated enum class -> its values, in order."""
    found: dict[str, list[Any]] = {}
    for node in _classes(package_dir):
        if any(isinstance(base, ast.Name) and base.id.endswith("Enum") for base in node.bases):
            found[node.name] = [
                item.value.value
                for item in node.body
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Constant)
            ]
    return found


class Argument(NamedTuple):
    name: str
    annotation: ast.expr
    optional: bool


class Endpoint(NamedTuple):
    name: str  # the module's name: the operation's name for invoke
    arguments: list[Argument]
    success: list[str]  # the 2xx answers' types as written in _parse_response: model names, "None" or "Any"


def _function(tree: ast.Module, name: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise DeriveError(f"no {name}() in a generated endpoint module")


def _success_types(parse_response: ast.FunctionDef) -> list[str]:
    """What each 2xx branch of ``_parse_response`` returns: ``X.from_dict(...)`` is X, ``cast(Any, None)`` None."""
    found: list[str] = []
    for node in parse_response.body:
        test = node.test if isinstance(node, ast.If) else None
        if not (
            isinstance(test, ast.Compare)
            and isinstance(test.comparators[0], ast.Constant)
            and isinstance(test.comparators[0].value, int)
            and 200 <= test.comparators[0].value <= 299
        ):
            continue
        assert isinstance(node, ast.If)
        first = node.body[0]
        value = first.value if isinstance(first, ast.Assign) else None
        kind = "Any"
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "from_dict":
            if isinstance(value.func.value, ast.Name):
                kind = value.func.value.id
        elif isinstance(value, ast.Call) and ast.unparse(value) == "cast(Any, None)":
            kind = "None"
        if kind not in found:
            found.append(kind)
    return found


def endpoints(package_dir: Path) -> list[Endpoint]:
    found = []
    for path in sorted((package_dir / "api").glob("*/*.py"), key=lambda p: p.stem):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        signature = _function(tree, "_get_kwargs").args
        defaults: list[ast.expr | None] = [None] * (len(signature.args) - len(signature.defaults))
        pairs = [*zip(signature.args, defaults + list(signature.defaults), strict=True)]
        pairs += zip(signature.kwonlyargs, signature.kw_defaults, strict=True)
        arguments = [
            Argument(argument.arg, argument.annotation or ast.Name("Any"), default is not None)
            for argument, default in pairs
        ]
        found.append(Endpoint(path.stem, arguments, _success_types(_function(tree, "_parse_response"))))
    return found


# -- _results.py ----------------------------------------------------------------------------------------


class ResultField(NamedTuple):
    wire: str
    attribute: str
    annotation: str
    reader: str
    required: bool
    nullable: bool
    hashable: bool


class _Results:
    """The result classes and enums of one merged spec and its generated client."""

    def __init__(self, spec: Mapping[str, Any], package_dir: Path) -> None:
        self.spec = _Spec(spec)
        self.attributes = model_attributes(package_dir)
        self.enums: dict[str, list[Any]] = {}

    def response_schemas(self) -> list[str]:
        """Component schemas some operation's 2xx answer returns, in name order."""
        names = set()
        for operation in self.spec.operations.values():
            for status, schema in self.spec.responses(operation).items():
                name = _ref_name(schema)
                if status.startswith("2") and name is not None and self._is_object(name):
                    names.add(name)
        return sorted(names)

    def _is_object(self, name: str) -> bool:
        schema = self.spec.schemas.get(name)
        return isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping)

    def _kinds(self, schema: Any) -> tuple[set[str], bool]:
        """A field schema's JSON types (``{"string"}``, ``{"object"}``, ...) and whether null is allowed."""
        schema = self.spec.target(schema)
        if not isinstance(schema, Mapping):
            return set(), False
        for combinator in ("anyOf", "oneOf"):
            if isinstance(schema.get(combinator), list):
                kinds: set[str] = set()
                nullable = False
                for option in schema[combinator]:
                    option_kinds, option_null = self._kinds(option)
                    kinds |= option_kinds
                    nullable = nullable or option_null
                return kinds - {"null"}, nullable or "null" in kinds
        types = schema.get("type")
        kinds = set(types) if isinstance(types, list) else {types} if isinstance(types, str) else set()
        if not kinds and "properties" in schema:
            kinds = {"object"}
        return kinds - {"null"}, "null" in kinds

    def field(self, owner: str, wire: str, schema: Any, required: bool) -> ResultField:
        attribute = self.attributes.get(owner, {}).get(wire)
        if attribute is None:
            raise DeriveError(f"generated model {owner} has no field {wire!r}: regenerate the client first")
        kinds, nullable = self._kinds(schema)
        values = self.spec.enum_values(schema)
        target = self.spec.target(schema)
        annotation, reader, hashable = "Any", "read_json", False
        if values is not None and kinds == {"string"}:
            enum = self.spec.enum_class(schema) or class_name(owner + class_name(wire))
            self.enums[enum] = values
            annotation, reader, hashable = f"{enum} | Unparsed", f"read_enum({enum})", True
        elif kinds == {"string"}:
            date = target.get("format") == "date-time" or DATE_NAME.fullmatch(wire) is not None
            annotation, reader, hashable = (
                ("datetime | Unparsed", "read_date", True) if date else ("str", "read_text", True)
            )
        elif len(kinds) == 1 and kinds <= PRIMITIVES:
            (kind,) = kinds
            python = {"integer": "int", "number": "float", "boolean": "bool"}[kind]
            annotation, reader, hashable = f"{python} | Unparsed", f"read_{kind}", True
        elif kinds == {"object"}:
            annotation, reader = "Mapping[str, Any] | Unparsed", "read_object"
        elif kinds == {"array"}:
            annotation, reader = "tuple[Any, ...] | Unparsed", "read_array"
        if (nullable or not required) and annotation != "Any":
            annotation += " | None"
        return ResultField(wire, attribute, annotation, reader, required, nullable, hashable)

    def fields(self, name: str) -> list[ResultField]:
        schema = self.spec.schemas[name]
        required = set(schema.get("required") or [])
        if name in REQUIRED_ONLY:
            required &= REQUIRED_ONLY[name]
        owner = self.spec.class_of(name)
        return [
            self.field(owner, str(wire), field_schema, wire in required)
            for wire, field_schema in schema["properties"].items()
        ]


def results_text(spec: Mapping[str, Any], package_dir: Path) -> str:
    """The source of ``_results.py`` for ``spec`` and the client generated from it."""
    results = _Results(spec, package_dir)
    classes: list[str] = []
    readers = {"NO_EXTRA", "Field", "Unparsed", "read_document"}
    for name in results.response_schemas():
        owner = results.spec.class_of(name)
        fields = results.fields(name)
        lines = [
            "",
            "",
            "@attrs.frozen(slots=True, kw_only=True)",
            f"class {owner}:",
            f'    """The spec\'s ``{name}``, read tolerantly (``_readers``)."""',
            "",
        ]
        for field in fields:
            readers.add(field.reader.split("(")[0])
            if field.hashable:
                default = "" if field.required else " = None"
            else:  # a mapping or a list cannot be hashed; the result's hash leaves it out
                default = " = attrs.field(hash=False)" if field.required else " = attrs.field(default=None, hash=False)"
            lines.append(f"    {field.attribute}: {field.annotation}{default}")
        lines.append("    extra: Mapping[str, Any] = attrs.field(default=NO_EXTRA, repr=False, hash=False)")
        lines.append("")
        lines.append("    FIELDS: ClassVar[tuple[Field, ...]] = (")
        for field in fields:
            flags = ("" if field.required else ", required=False") + (", nullable=True" if field.nullable else "")
            lines.append(f"        Field({field.wire!r}, {field.attribute!r}, {field.reader}{flags}),")
        lines.append("    )")
        lines.append("")
        lines.append("    @classmethod")
        lines.append("    def from_json(cls, document: Mapping[str, Any]) -> Self:")
        lines.append(f"        return cls(**read_document(cls.FIELDS, document, {owner!r}))")
        classes.append("\n".join(lines))
    enums = []
    for enum_name, values in sorted(results.enums.items()):
        members = [f"    {_member(value)} = {json.dumps(value)}" for value in values]
        enums.append(
            f'\n\nclass {enum_name}(enum.StrEnum):\n    """The spec\'s {enum_name}."""\n\n' + "\n".join(members)
        )
    exported = sorted([*results.enums, *(results.spec.class_of(name) for name in results.response_schemas())])
    body = [
        HEADER.format(source=f"generated/{MERGED_SPEC}"),
        '"""The API\'s 2xx answers as typed, tolerant result classes and the enums they use (``_models.py``',
        'names the public ones). A new field of the spec is an attribute here once the client is regenerated."""',
        "",
        "from __future__ import annotations",
        "",
        "import enum",
        "from collections.abc import Mapping",
        "from datetime import datetime",
        "from typing import Any, ClassVar, Self",
        "",
        "import attrs",
        "",
        f"from ._readers import {', '.join(sorted(readers))}",
        "",
        f"__all__ = {json.dumps(exported)}",
        *enums,
        *classes,
        "",
    ]
    return "\n".join(body)


def _member(value: Any) -> str:
    name = re.sub(r"\W+", "_", str(value)).strip("_").upper() or "EMPTY"
    return f"VALUE_{name}" if name[0].isdigit() else name


# -- _invoke_types.py ------------------------------------------------------------------------------------

_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "None", "Any"})


def _python_type(node: ast.expr, enums: Mapping[str, list[Any]]) -> str:
    """A generated annotation as invoke takes it: UUIDs also as ``str``, enums also as their values, models
    and enums through the seam (``models.X``), ``datetime.datetime`` as ``datetime``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return f"{_python_type(node.left, enums)} | {_python_type(node.right, enums)}"
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "datetime":
        return node.attr  # datetime.datetime, datetime.date
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "list":
        return f"list[{_python_type(node.slice, enums)}]"
    if isinstance(node, ast.Name):
        if node.id in _BUILTINS:
            return node.id
        if node.id == "UUID":
            return "str | UUID"
        if node.id == "Unset":
            return "Unset"
        if node.id in enums:
            values = ", ".join(json.dumps(value) for value in enums[node.id])
            return f"models.{node.id} | Literal[{values}]"
        if node.id == "File":
            return "Any"
        return f"models.{node.id}"
    return "Any"


def invoke_types_text(package_dir: Path) -> str:
    """The source of ``_invoke_types.py`` for the client in ``package_dir``."""
    enums = enum_classes(package_dir)
    found = endpoints(package_dir)
    variants = {"Invoke": "def", "AsyncInvoke": "async def"}
    classes = []
    for protocol, define in variants.items():
        lines = [
            "",
            "",
            f"class {protocol}(Protocol):",
            f'    """``{"AsyncClient" if define == "async def" else "Client"}.invoke``: one overload per generated '
            'operation, then a generated module or one of its functions."""',
        ]
        for endpoint in found:
            arguments = [
                f"{argument.name}: {_python_type(argument.annotation, enums)}"
                + (" = ..." if argument.optional or argument.name == "account_sid" else "")
                for argument in endpoint.arguments
            ]
            required = [a for a in arguments if " = ..." not in a]
            optional = [a for a in arguments if " = ..." in a]
            success = " | ".join(f"models.{kind}" if kind not in ("None", "Any") else kind for kind in endpoint.success)
            parameters = ", ".join(
                [
                    "self",
                    f"operation: Literal[{endpoint.name!r}]",
                    "/",
                    "*",
                    *required,
                    *optional,
                    "idempotent: bool = ...",
                    "timeout: float | None = ...",
                ]
            )
            lines += [
                "",
                "    @overload",
                f"    {define} __call__({parameters}) -> OperationResult[{success or 'None'}]: ...",
            ]
        common = "/, *, idempotent: bool = ..., timeout: float | None = ..., **arguments: Any"
        lines += [
            "",
            "    @overload",
            f"    {define} __call__(self, operation: Callable[..., R], {common}) -> OperationResult[R]: ...",
            "",
            "    @overload",
            f"    {define} __call__(self, operation: ModuleType, {common}) -> OperationResult[Any]: ...",
        ]
        classes.append("\n".join(lines))
    body = [
        HEADER.format(source=f"generated/{PACKAGE}"),
        "# ruff: noqa: ASYNC109 - the async overloads take invoke's own timeout=, as AsyncClient.invoke does",
        '"""``client.invoke`` typed per generated operation: its keyword arguments and its 2xx model (mypy refuses',
        'a misspelt or missing argument); a generated module or function is taken as before."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Callable",
        "from datetime import date, datetime",
        "from types import ModuleType",
        "from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, overload",
        "from uuid import UUID",
        "",
        "if TYPE_CHECKING:",
        "    from ._generated import Unset, models",
        "    from ._operation_types import OperationResult",
        "",
        '__all__ = ["AsyncInvoke", "Invoke"]',
        "",
        'R = TypeVar("R")',
        *classes,
        "",
    ]
    return "\n".join(body)


# -- writing and checking ---------------------------------------------------------------------------------


def tidy(text: str, path: Path) -> str:
    """``text`` as the project's pinned ruff leaves it under ``path``'s settings: imports sorted, unused ones
    dropped, formatted (the derived modules pass ``make lint`` like the handwritten ones)."""
    try:
        return ruff(["format"], ruff(["check", "--fix", "--exit-zero"], text, path), path)
    except ValueError as exc:
        raise DeriveError(f"ruff could not tidy {path.name}: {exc}") from None


def expected(generated: Path = GENERATED, overlay: Path = OVERLAY) -> dict[Path, str]:
    """Every derived module, as the generated client in ``generated`` gives it."""
    spec = load_yaml((generated / MERGED_SPEC).read_text(encoding="utf-8"))
    if not isinstance(spec, dict):
        raise DeriveError(f"{generated / MERGED_SPEC} is not a YAML mapping")
    package = generated / PACKAGE
    return {
        overlay / "_literals.py": literals.module_text(spec),
        # Tidied under the checkout's own paths, so a copy elsewhere gets the same text (ruff's settings).
        overlay / "_results.py": tidy(results_text(spec, package), OVERLAY / "_results.py"),
        overlay / "_invoke_types.py": tidy(invoke_types_text(package), OVERLAY / "_invoke_types.py"),
    }


def stale(generated: Path = GENERATED, overlay: Path = OVERLAY) -> list[Path]:
    return [path for path, text in expected(generated, overlay).items() if _read(path) != text]


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def write(generated: Path = GENERATED, overlay: Path = OVERLAY) -> None:
    for path, text in expected(generated, overlay).items():
        if _read(path) != text:
            path.write_text(text, encoding="utf-8")


def shown_path(path: Path) -> str:
    """``path`` as a message shows it: relative to the checkout where it is inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a derived module differs; write nothing")
    args = parser.parse_args(argv)
    try:
        if args.check:
            differing = stale()
            if differing:
                print("derive_overlay: these differ from the generated client (run `make generate`):", file=sys.stderr)
                print("\n".join(f"  {shown_path(path)}" for path in differing), file=sys.stderr)
                return 1
            return 0
        write()
    except DeriveError as exc:
        print(f"derive_overlay: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
