"""Merge N OpenAPI 3.1 documents into one, by meaning, refusing anything ambiguous.

Usage: python scripts/merge_specs.py --output merged.yaml spec1.yaml spec2.yaml ...

Files are read in sorted order (by file name); where two files differ only in documentation, the
first one's text is kept and one warning per difference names the item, the keyword and both files.

Rules:
- paths are unioned; the same path + method in two files is an error naming both files, even when
  the two copies agree (one file per operation: which copy is meant is not the merge's to guess);
  path-level keys (``parameters``, ``summary``, ...) shared by two files are merged by meaning;
- components (schemas, securitySchemes, ...) with the same name are kept once when they mean the
  same thing, and are an error naming both files when they do not;
- ``openapi``, ``info``, ``servers``, ``security`` and any other top-level key must mean the same;
- tags are unioned by name, duplicates merged by meaning;
- header parameters named Authorization, Accept or Content-Type are dropped, because OAS 3.1
  (4.8.12.1, "Parameter Locations") says they SHALL be ignored and the generator does not.

"Means the same" compares the two definitions with their documentation removed:
- documentation is ``description``, ``summary``, ``title``, ``example``, ``examples``,
  ``externalDocs``, ``$comment`` and every ``x-`` extension except those the pinned generator reads
  (``BEHAVIOURAL_EXTENSIONS``), wherever they are keywords of an object: a property, a
  status code or a media type *named* ``description`` is a name, and ``enum``/``const``/``default``
  values are data, not documentation; whitespace lives inside these texts, so a re-wrapped
  paragraph is a documentation difference too;
- a schema ``title`` names the generated class (openapi-python-client uses it instead of the
  component name), so two titles merge only when the generator derives the same class name from
  both (``Stream status`` and ``StreamStatus``); otherwise the difference is a conflict;
- in ``info`` only ``version`` is compared: two files describing different versions of the API
  cannot be merged; ``title``, ``description``, ``contact``, ``license`` and the rest are
  documentation (the generator puts ``info.title`` in a docstring only);
- everything else is meaning: types, formats, properties, ``required``, enums, defaults,
  nullability, parameters, content types, status codes, ``operationId``, tags, servers' URLs;
- a ``required`` or ``enum`` list is a set: the same names or values in another order mean the
  same (one warning says "order only", and the first file's order is kept).
A component under ``components/examples`` is documentation as a whole.

Nothing else is corrected here: what the specs get wrong about the wire format belongs to the
overlay (overlay/signalwire_compat/_wire.py), where it is fixed for every operation at once.

Output order is stable and independent of the order of the input files: paths and component
names are sorted, while everything inside one definition keeps the order its file gives it
(so generated models keep the spec's field order).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORED_HEADER_PARAMETERS = frozenset({"authorization", "accept", "content-type"})
# Top-level keys merged by name rather than compared whole.
MERGED_KEYS = frozenset({"paths", "components", "tags"})

# Keywords that only document: two definitions differing only in these are merged (first file wins).
DOCUMENTATION_KEYWORDS = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "$comment"}
)
# x- extensions the pinned generator reads (openapi-python-client 0.29.1 names enum members after
# x-enum-varnames); every other x- extension is documentation. tests/pipeline/test_merge.py greps the
# installed generator for the extensions it reads, so an upgrade that reads a new one is caught.
BEHAVIOURAL_EXTENSIONS = frozenset({"x-enum-varnames"})
# Keys whose value maps *names* (property names, status codes, media types, ...) to definitions:
# inside them, "description" or "title" is a name, not a keyword.
NAME_MAPS = frozenset(
    {
        "paths",
        "webhooks",
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "dependentRequired",
        "responses",
        "content",
        "headers",
        "encoding",
        "links",
        "callbacks",
        "variables",
        "mapping",
        "scopes",
        "schemas",
        "parameters",
        "requestBodies",
        "securitySchemes",
        "pathItems",
    }
)
# Keywords whose value is data, compared as it is: an enum value or a default is never documentation.
DATA_KEYWORDS = frozenset({"enum", "const", "default", "required"})
# Data keywords whose lists are sets: which names are required, which values an enum allows.
UNORDERED_KEYWORDS = frozenset({"enum", "required"})
# In info, only the version is meaning (see the module docstring).
INFO_MEANING = ("version",)
_MISSING = object()


class MergeError(Exception):
    """Two spec files cannot be merged; the message names the item and both files."""


class MergeResult(NamedTuple):
    document: dict[str, Any]
    dropped_headers: int
    # One line per documentation difference merged (first file's text kept), in a stable order.
    warnings: list[str]


def is_documentation(key: object) -> bool:
    """Whether ``key``, as a keyword of an OpenAPI or JSON Schema object, only documents."""
    if not isinstance(key, str):
        return False
    return key in DOCUMENTATION_KEYWORDS or (key.startswith("x-") and key not in BEHAVIOURAL_EXTENSIONS)


def class_name(title: str) -> str:
    """The class name openapi-python-client derives from a schema title (its own function)."""
    from openapi_python_client.strings import ClassName

    return str(ClassName(title, prefix=""))


def _as_set(values: list[Any]) -> list[Any]:
    """A ``required``/``enum`` list in a canonical order, so two orders of the same items compare equal."""
    return sorted(values, key=lambda item: json.dumps(item, sort_keys=True, default=str))


def same_items_in_another_order(a: Any, b: Any) -> bool:
    return isinstance(a, list) and isinstance(b, list) and a != b and _as_set(a) == _as_set(b)


def meaning(value: Any, *, names: bool = False, ordered: bool = False) -> Any:
    """``value`` without its documentation: what a client sends or reads.

    ``names`` says that ``value`` is a map from names to definitions (see ``NAME_MAPS``), whose keys
    are kept whatever they are called. A schema title is replaced by the class name it produces;
    ``required`` and ``enum`` lists are put in one canonical order (they are sets), unless ``ordered``.
    """
    if isinstance(value, Mapping):
        if names:
            return {key: meaning(item, ordered=ordered) for key, item in value.items()}
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key == "title" and isinstance(item, str):
                result[key] = class_name(item)
            elif is_documentation(key):
                continue
            elif key in UNORDERED_KEYWORDS and isinstance(item, list) and not ordered:
                result[key] = _as_set(item)
            elif key in DATA_KEYWORDS or str(key).startswith("x-"):
                result[key] = item
            elif key == "security" and isinstance(item, list):
                result[key] = [meaning(requirement, names=True, ordered=ordered) for requirement in item]
            else:
                nested = key in NAME_MAPS and isinstance(item, Mapping)
                result[key] = meaning(item, names=nested, ordered=ordered)
        return result
    if isinstance(value, list):
        return [meaning(item, ordered=ordered) for item in value]
    return value


def documentation_differences(a: Any, b: Any, *, names: bool = False) -> list[tuple[str, ...]]:
    """Where two definitions that mean the same differ in documentation, as key paths
    (``("properties", "sid", "description")``), in the first definition's order."""
    found: list[tuple[str, ...]] = []
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        for key in list(a) + [k for k in b if k not in a]:
            first, second = a.get(key, _MISSING), b.get(key, _MISSING)
            if first == second:
                continue
            if not names and (
                is_documentation(key) or (key in UNORDERED_KEYWORDS and same_items_in_another_order(first, second))
            ):
                found.append((str(key),))
            elif first is not _MISSING and second is not _MISSING and (names or key not in DATA_KEYWORDS):
                nested = not names and key in NAME_MAPS and isinstance(first, Mapping)
                found += [(str(key), *rest) for rest in documentation_differences(first, second, names=nested)]
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found += [(str(index), *rest) for rest in documentation_differences(x, y)]
    return found


def _lookup(value: Any, where: tuple[str, ...]) -> Any:
    for part in where:
        if isinstance(value, Mapping):
            value = value.get(part, _MISSING)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _how(first: Any, second: Any, where: tuple[str, ...]) -> str:
    """How the documentation at ``where`` differs: whitespace only, wording, or present in one file only."""
    x, y = _lookup(first, where), _lookup(second, where)
    if x is _MISSING or y is _MISSING:
        return "only in " + ("the second" if x is _MISSING else "the first")
    if same_items_in_another_order(x, y):
        return "order only"
    if isinstance(x, str) and isinstance(y, str) and x.split() == y.split():
        return "whitespace only"
    return "wording"


# libyaml's safe loader where PyYAML was built with it: the same documents, ~10x faster on the
# 1.2 MB published spec (the pure-Python loader took most of the spec tests' time).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML text with a safe loader."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python


def load_spec(path: Path) -> dict[str, Any]:
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MergeError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or "openapi" not in document:
        raise MergeError(f"{path}: not an OpenAPI document (no top-level 'openapi' key)")
    if not str(document["openapi"]).startswith("3.1"):
        raise MergeError(f"{path}: OpenAPI {document['openapi']} is not supported, only 3.1.x")
    return document


def _describe_difference(a: Any, b: Any, where: str = "") -> str:
    """Point at the first place two values differ, e.g. ``properties.status.enum``."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a:
                return f"{where}{key} only in the second"
            if key not in b:
                return f"{where}{key} only in the first"
            if a[key] != b[key]:
                return _describe_difference(a[key], b[key], f"{where}{key}.")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _describe_difference(x, y, f"{where}{index}.")
    return f"{where.rstrip('.') or 'value'}: {a!r} != {b!r}"


def _is_ignored_header(parameter: Any, components: Mapping[str, Any]) -> bool:
    if isinstance(parameter, Mapping) and isinstance(parameter.get("$ref"), str):
        prefix = "#/components/parameters/"
        ref = parameter["$ref"]
        if not ref.startswith(prefix):
            return False
        parameter = components.get("parameters", {}).get(ref[len(prefix) :], {})
    return (
        isinstance(parameter, Mapping)
        and parameter.get("in") == "header"
        and str(parameter.get("name", "")).lower() in IGNORED_HEADER_PARAMETERS
    )


def _drop_ignored_headers(path_item: dict[str, Any], components: Mapping[str, Any]) -> int:
    dropped = 0
    holders = [path_item] + [path_item[m] for m in HTTP_METHODS if isinstance(path_item.get(m), dict)]
    for holder in holders:
        parameters = holder.get("parameters")
        if not isinstance(parameters, list):
            continue
        kept = [p for p in parameters if not _is_ignored_header(p, components)]
        dropped += len(parameters) - len(kept)
        if kept:
            holder["parameters"] = kept
        else:
            del holder["parameters"]
    return dropped


def _top_level_meaning(key: str, value: Any) -> Any:
    if key == "info" and isinstance(value, Mapping):
        return {k: value[k] for k in INFO_MEANING if k in value}
    if is_documentation(key):
        return None
    if key == "security" and isinstance(value, list):
        return [meaning(requirement, names=True) for requirement in value]
    return meaning(value, names=key in NAME_MAPS and isinstance(value, Mapping))


def _top_level_documentation(key: str, a: Any, b: Any) -> list[tuple[str, ...]]:
    if key == "info" and isinstance(a, Mapping) and isinstance(b, Mapping):
        keys = list(a) + [k for k in b if k not in a]
        return [(k,) for k in keys if k not in INFO_MEANING and a.get(k, _MISSING) != b.get(k, _MISSING)]
    if is_documentation(key):
        return [()] if a != b else []
    return documentation_differences(a, b, names=key in NAME_MAPS and isinstance(a, Mapping))


def _component_meaning(section: str, name: str, definition: Any) -> Any:
    if section == "examples":
        return None  # an Example object is documentation through and through
    result = meaning(definition)
    # A component schema without a title is named after the component: compare the class names.
    if section == "schemas" and isinstance(result, dict):
        result["title"] = result.get("title") or class_name(name)
    return result


class _Merger:
    def __init__(self) -> None:
        self.top: dict[str, tuple[Any, Path]] = {}
        self.paths: dict[str, dict[str, tuple[Any, Path]]] = {}
        self.components: dict[str, dict[str, tuple[Any, Path]]] = {}
        self.tags: dict[str, tuple[Any, Path]] = {}
        self.dropped_headers = 0
        self.warnings: list[str] = []

    def _warn(self, what: str, kept: tuple[Any, Path], other: tuple[Any, Path], places: list[tuple[str, ...]]) -> None:
        for where in places:
            keyword = ".".join(where)
            self.warnings.append(
                f"{what}{': ' + keyword if keyword else ''} differs between {kept[1]} and {other[1]} "
                f"({_how(kept[0], other[0], where)}); keeping {kept[1]}'s"
            )

    def add(self, path: Path, document: dict[str, Any]) -> None:
        components = document.get("components") or {}
        for key, value in document.items():
            if key in MERGED_KEYS:
                continue
            if key in self.top:
                kept = self.top[key]
                if _top_level_meaning(key, kept[0]) != _top_level_meaning(key, value):
                    hint = ""
                    if key in ("info", "servers"):
                        hint = " (every spec file must declare the same API; edit one to match the other)"
                    difference = _describe_difference(_top_level_meaning(key, kept[0]), _top_level_meaning(key, value))
                    raise MergeError(f"top-level '{key}' differs between {kept[1]} and {path}: {difference}{hint}")
                self._warn(f"top-level '{key}'", kept, (value, path), _top_level_documentation(key, kept[0], value))
            self.top.setdefault(key, (value, path))

        for route, path_item in (document.get("paths") or {}).items():
            self.dropped_headers += _drop_ignored_headers(path_item, components)
            seen = self.paths.setdefault(route, {})
            for key, value in path_item.items():
                if key in seen:
                    kept = seen[key]
                    if key in HTTP_METHODS:
                        first, second = meaning(kept[0]), meaning(value)
                        how = (
                            "the two copies mean the same: remove one file"
                            if first == second
                            else f"they differ: {_describe_difference(first, second)}"
                        )
                        raise MergeError(
                            f"operation {key.upper()} {route} is defined twice: in {kept[1]} and in {path} ({how})"
                        )
                    first = meaning({key: kept[0]})
                    if first != meaning({key: value}):
                        raise MergeError(
                            f"path {route}: '{key}' differs between {kept[1]} and {path}: "
                            f"{_describe_difference(first, meaning({key: value}))}"
                        )
                    places = documentation_differences({key: kept[0]}, {key: value})
                    self._warn(f"path {route}", ({key: kept[0]}, kept[1]), ({key: value}, path), places)
                seen.setdefault(key, (value, path))

        for section, entries in components.items():
            seen = self.components.setdefault(section, {})
            for name, definition in (entries or {}).items():
                if name in seen:
                    kept = seen[name]
                    first = _component_meaning(section, name, kept[0])
                    second = _component_meaning(section, name, definition)
                    if first != second:
                        difference = _describe_difference(first, second)
                        if difference.startswith("title"):
                            difference += " (the generated class names)"
                        raise MergeError(
                            f"component {section}/{name} is defined differently in {kept[1]} and {path}: {difference}"
                        )
                    if section == "examples":
                        places = [()] if kept[0] != definition else []
                    else:
                        places = documentation_differences(kept[0], definition)
                    self._warn(f"component {section}/{name}", kept, (definition, path), places)
                seen.setdefault(name, (definition, path))

        for tag in document.get("tags") or []:
            name = tag.get("name") if isinstance(tag, Mapping) else None
            if not isinstance(name, str):
                raise MergeError(f"{path}: a tag without a name: {tag!r}")
            if name in self.tags:
                kept = self.tags[name]
                if meaning(kept[0]) != meaning(tag):
                    raise MergeError(
                        f"tag '{name}' is defined differently in {kept[1]} and {path}: "
                        f"{_describe_difference(meaning(kept[0]), meaning(tag))}"
                    )
                self._warn(f"tag '{name}'", kept, (tag, path), documentation_differences(kept[0], tag))
            self.tags.setdefault(name, (tag, path))

    def result(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for key in ("openapi", "info", "jsonSchemaDialect", "servers", "security"):
            if key in self.top:
                merged[key] = self.top[key][0]
        for key in sorted(k for k in self.top if k not in merged):
            merged[key] = self.top[key][0]
        if self.tags:
            merged["tags"] = [self.tags[name][0] for name in sorted(self.tags)]
        merged["paths"] = {route: self._path_item(self.paths[route]) for route in sorted(self.paths)}
        if self.components:
            merged["components"] = {
                section: {name: self.components[section][name][0] for name in sorted(self.components[section])}
                for section in sorted(self.components)
            }
        return merged

    @staticmethod
    def _path_item(entries: Mapping[str, tuple[Any, Path]]) -> dict[str, Any]:
        order = {method: index for index, method in enumerate(HTTP_METHODS)}
        # Path-level keys (summary, parameters, servers) first, then methods in HTTP_METHODS order.
        keys = sorted(entries, key=lambda k: (k in order, order.get(k, 0), k))
        return {key: entries[key][0] for key in keys}


def merge_specs(paths: Iterable[Path]) -> MergeResult:
    """Merge the given spec files (read in sorted order: the first file's documentation wins)."""
    files = sorted({Path(p) for p in paths}, key=lambda p: (p.name, str(p)))
    if not files:
        raise MergeError("no spec files given")
    merger = _Merger()
    for path in files:
        merger.add(path, load_spec(path))
    return MergeResult(merger.result(), merger.dropped_headers, merger.warnings)


def dump_spec(document: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def validate_spec(document: Mapping[str, Any], *, origin: str) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(dict(document))
    except OpenAPIValidationError as exc:
        raise MergeError(f"{origin}: the merged spec is not valid OpenAPI 3.1: {exc.message}") from exc


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="+", type=Path, help="OpenAPI 3.1 YAML files")
    parser.add_argument("--output", "-o", type=Path, required=True, help="where to write the merged YAML")
    args = parser.parse_args(argv)
    try:
        merged, dropped, warnings = merge_specs(args.specs)
        validate_spec(merged, origin=str(args.output))
    except MergeError as exc:
        print(f"merge_specs: error: {exc}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"merge_specs: warning: {warning}", file=sys.stderr)
    args.output.write_text(dump_spec(merged), encoding="utf-8")
    operations = sum(1 for item in merged["paths"].values() for key in item if key in HTTP_METHODS)
    print(
        f"merged {len(set(args.specs))} spec files into {args.output}: {len(merged['paths'])} paths, "
        f"{operations} operations; dropped {dropped} ignored header parameters (OAS 3.1); "
        f"{len(warnings)} documentation differences merged"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
