"""Merge N OpenAPI 3.1 documents into one, refusing anything ambiguous.

Usage: python scripts/merge_specs.py --output merged.yaml spec1.yaml spec2.yaml ...

Rules:
- paths are unioned; the same path + method in two files is an error naming both files;
- components (schemas, securitySchemes, ...) with the same name are kept once when identical
  and are an error naming both files when they differ;
- ``openapi``, ``info``, ``servers``, ``security`` and any other top-level key must agree;
- tags are unioned by name, identical duplicates kept once;
- header parameters named Authorization, Accept or Content-Type are dropped, because OAS 3.1
  (4.8.12.1, "Parameter Locations") says they SHALL be ignored and the generator does not.

Nothing else is corrected here: what the specs get wrong about the wire format belongs to the
overlay (overlay/signalwire_compat/_wire.py), where it is fixed for every operation at once.

Output order is stable and independent of the order of the input files: paths and component
names are sorted, while everything inside one definition keeps the order its file gives it
(so generated models keep the spec's field order).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORED_HEADER_PARAMETERS = frozenset({"authorization", "accept", "content-type"})
# Top-level keys merged by name rather than compared whole.
MERGED_KEYS = frozenset({"paths", "components", "tags"})


class MergeError(Exception):
    """Two spec files cannot be merged; the message names the item and both files."""


def load_spec(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
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


class _Merger:
    def __init__(self) -> None:
        self.top: dict[str, tuple[Any, Path]] = {}
        self.paths: dict[str, dict[str, tuple[Any, Path]]] = {}
        self.components: dict[str, dict[str, tuple[Any, Path]]] = {}
        self.tags: dict[str, tuple[Any, Path]] = {}
        self.dropped_headers = 0

    def add(self, path: Path, document: dict[str, Any]) -> None:
        components = document.get("components") or {}
        for key, value in document.items():
            if key in MERGED_KEYS:
                continue
            if key in self.top and self.top[key][0] != value:
                other = self.top[key][1]
                hint = ""
                if key in ("info", "servers"):
                    hint = " (every spec file must declare the same API; edit one to match the other)"
                raise MergeError(
                    f"top-level '{key}' differs between {other} and {path}: "
                    f"{_describe_difference(self.top[key][0], value)}{hint}"
                )
            self.top.setdefault(key, (value, path))

        for route, path_item in (document.get("paths") or {}).items():
            self.dropped_headers += _drop_ignored_headers(path_item, components)
            seen = self.paths.setdefault(route, {})
            for key, value in path_item.items():
                if key in seen:
                    other = seen[key][1]
                    if key in HTTP_METHODS:
                        raise MergeError(f"operation {key.upper()} {route} is defined twice: in {other} and in {path}")
                    if seen[key][0] != value:
                        raise MergeError(
                            f"path {route}: '{key}' differs between {other} and {path}: "
                            f"{_describe_difference(seen[key][0], value)}"
                        )
                seen.setdefault(key, (value, path))

        for section, entries in components.items():
            seen = self.components.setdefault(section, {})
            for name, definition in (entries or {}).items():
                if name in seen and seen[name][0] != definition:
                    raise MergeError(
                        f"component {section}/{name} is defined differently in {seen[name][1]} and {path}: "
                        f"{_describe_difference(seen[name][0], definition)}"
                    )
                seen.setdefault(name, (definition, path))

        for tag in document.get("tags") or []:
            name = tag.get("name") if isinstance(tag, Mapping) else None
            if not isinstance(name, str):
                raise MergeError(f"{path}: a tag without a name: {tag!r}")
            if name in self.tags and self.tags[name][0] != tag:
                raise MergeError(f"tag '{name}' is defined differently in {self.tags[name][1]} and {path}")
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


def merge_specs(paths: Iterable[Path]) -> tuple[dict[str, Any], int]:
    """Merge the given spec files; returns the merged document and how many header params were dropped."""
    files = sorted({Path(p) for p in paths}, key=lambda p: (p.name, str(p)))
    if not files:
        raise MergeError("no spec files given")
    merger = _Merger()
    for path in files:
        merger.add(path, load_spec(path))
    return merger.result(), merger.dropped_headers


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
        merged, dropped = merge_specs(args.specs)
        validate_spec(merged, origin=str(args.output))
    except MergeError as exc:
        print(f"merge_specs: error: {exc}", file=sys.stderr)
        return 1
    args.output.write_text(dump_spec(merged), encoding="utf-8")
    operations = sum(1 for item in merged["paths"].values() for key in item if key in HTTP_METHODS)
    print(
        f"merged {len(set(args.specs))} spec files into {args.output}: {len(merged['paths'])} paths, "
        f"{operations} operations; dropped {dropped} ignored header parameters (OAS 3.1)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
