"""Write one operation of SignalWire's published spec as a page file in openapi/, in the pages' house style.

    python -m scripts.pipeline.add_operation retrieve_conference  # make add-operation OP=retrieve_conference

Reads ``openapi/upstream/compatibility-openapi.yaml`` and writes ``openapi/<operation-id>.yaml`` the
way ``openapi/create-stream.yaml`` was written by hand:
- one operation, its ``operationId`` with dashes and its tag as ``subpackage_<tag>`` (as the pages);
- parameters inline (``components/parameters`` references followed), plain components such as
  ``uuid`` written in place (``type: string, format: uuid``), plus the pages' ``Authorization``
  header parameter (which the merge drops again);
- the pages' shared ``info`` and ``servers`` (the published spec's server URL has a variable the
  pages do not);
- every schema the operation needs, transitively; a component another page already has is copied
  from that page verbatim (so formats such as ``int32`` and ``unevaluatedProperties`` that the pages
  leave out agree, and the merge accepts the new file), the others as published with a ``title``.
Paths, parameters, request schemas, statuses and response schemas keep the published meaning
(``tests/pipeline/test_specs.py`` compares every such file with the published spec).
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from scripts.pipeline.merge_specs import HTTP_METHODS, load_yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "openapi"
UPSTREAM = SPEC_DIR / "upstream" / "compatibility-openapi.yaml"
_SCHEMAS = "#/components/schemas/"
_PARAMETERS = "#/components/parameters/"
_PRIMITIVES = frozenset({"string", "integer", "number", "boolean"})


class AddOperationError(Exception):
    pass


def _load(path: Path) -> dict[str, Any]:
    document = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise AddOperationError(f"{path} is not a YAML mapping")
    return document


def find_operation(document: Mapping[str, Any], operation_id: str) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
    """(route, method, path item, operation) of ``operation_id`` (dashes and underscores alike)."""
    wanted = operation_id.replace("-", "_")
    for route, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if isinstance(operation, dict) and str(operation.get("operationId", "")).replace("-", "_") == wanted:
                return route, method, item, operation
    raise AddOperationError(f"no operation {operation_id!r} in {UPSTREAM.relative_to(ROOT)}")


def _plain(schemas: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """A component the generator does not make a class of (``uuid``), without its documentation."""
    schema = schemas.get(name)
    if isinstance(schema, Mapping) and schema.get("type") in _PRIMITIVES and not {"enum", "properties"} & set(schema):
        return {key: value for key, value in schema.items() if key not in ("description", "title", "examples")}
    return None


def inline_plain(value: Any, schemas: Mapping[str, Any]) -> Any:
    """``value`` with every reference to a plain component written in place (one-element ``allOf`` too)."""
    if isinstance(value, list):
        return [inline_plain(item, schemas) for item in value]
    if not isinstance(value, Mapping):
        return value
    result = {key: inline_plain(item, schemas) for key, item in value.items()}
    ref = result.get("$ref")
    if isinstance(ref, str) and ref.startswith(_SCHEMAS) and (plain := _plain(schemas, ref[len(_SCHEMAS) :])):
        del result["$ref"]
        return {**plain, **result}
    all_of = result.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping) and "$ref" not in all_of[0]:
        del result["allOf"]
        return {**all_of[0], **result}
    return result


def _schema_refs(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith(_SCHEMAS):
                yield item[len(_SCHEMAS) :]
            else:
                yield from _schema_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _schema_refs(item)


def page_components(pages: Sequence[Mapping[str, Any]], section: str) -> dict[str, Any]:
    """Components of ``section`` the existing pages define (the first page's copy of each)."""
    found: dict[str, Any] = {}
    for page in pages:
        for name, definition in ((page.get("components") or {}).get(section) or {}).items():
            found.setdefault(name, definition)
    return found


def build_page(upstream: Mapping[str, Any], pages: Sequence[Mapping[str, Any]], operation_id: str) -> dict[str, Any]:
    """The page document for ``operation_id``; ``pages`` are the existing openapi/*.yaml documents."""
    if not pages:
        raise AddOperationError("openapi/ holds no page to take info, servers and shared components from")
    route, method, item, published = find_operation(upstream, operation_id)
    schemas: Mapping[str, Any] = (upstream.get("components") or {}).get("schemas") or {}
    parameters: Mapping[str, Any] = (upstream.get("components") or {}).get("parameters") or {}
    operation = copy.deepcopy(published)
    operation["operationId"] = str(operation["operationId"]).replace("_", "-")
    operation["tags"] = ["subpackage_" + str(tag).lower().replace(" ", "_") for tag in operation.get("tags") or []]
    found = []
    for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        ref = parameter.get("$ref") if isinstance(parameter, Mapping) else None
        if isinstance(ref, str) and ref.startswith(_PARAMETERS):
            parameter = parameters[ref[len(_PARAMETERS) :]]
        found.append(inline_plain(copy.deepcopy(parameter), schemas))
    authorization = _authorization_parameter(pages)
    operation["parameters"] = [*found, authorization]
    operation = inline_plain(operation, schemas)
    order = ["operationId", "summary", "description", "tags", "parameters", "responses", "requestBody"]
    operation = {key: operation[key] for key in [*order, *operation] if key in operation}

    shared_schemas = page_components(pages, "schemas")
    needed: dict[str, Any] = {}
    pending = list(_schema_refs(operation))
    while pending:
        name = pending.pop(0)
        if name in needed:
            continue
        if name in shared_schemas:
            needed[name] = copy.deepcopy(shared_schemas[name])
        elif name in schemas:
            schema = inline_plain(copy.deepcopy(schemas[name]), schemas)
            schema.setdefault("title", name)
            needed[name] = schema
        else:
            raise AddOperationError(f"{operation_id} refers to schema {name!r}, which the published spec lacks")
        pending.extend(_schema_refs(needed[name]))
    first = pages[0]
    return {
        "openapi": first["openapi"],
        "info": copy.deepcopy(first["info"]),
        "paths": {route: {method: operation}},
        "servers": copy.deepcopy(first["servers"]),
        "components": {
            "schemas": needed,
            "securitySchemes": copy.deepcopy(page_components(pages, "securitySchemes")),
        },
    }


def _authorization_parameter(pages: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    for page in pages:
        for item in (page.get("paths") or {}).values():
            for method in HTTP_METHODS:
                for parameter in (item.get(method) or {}).get("parameters") or []:
                    if parameter.get("in") == "header" and parameter.get("name") == "Authorization":
                        return dict(copy.deepcopy(parameter))
    raise AddOperationError("no page in openapi/ has the Authorization header parameter to copy")


class _PageDumper(yaml.SafeDumper):
    """Block style like the pages: long and multi-line texts folded, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if "\n" in value or len(value) > 72 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PageDumper.add_representer(str, _text)


def dump_page(document: Mapping[str, Any]) -> str:
    return yaml.dump(document, Dumper=_PageDumper, sort_keys=False, width=80, allow_unicode=True)


def add_operation(operation_id: str, *, spec_dir: Path = SPEC_DIR, upstream_path: Path = UPSTREAM) -> Path:
    """Write ``spec_dir/<operation-id>.yaml``; refuses an operation a page already has."""
    pages_paths = sorted(spec_dir.glob("*.yaml"))
    pages = [_load(path) for path in pages_paths]
    wanted = operation_id.replace("-", "_")
    for path, page in zip(pages_paths, pages, strict=True):
        for item in (page.get("paths") or {}).values():
            for method in HTTP_METHODS:
                existing = (item.get(method) or {}).get("operationId")
                if isinstance(existing, str) and existing.replace("-", "_") == wanted:
                    raise AddOperationError(f"{operation_id} is already in {path.relative_to(spec_dir.parent)}")
    page = build_page(_load(upstream_path), pages, operation_id)
    target = spec_dir / f"{wanted.replace('_', '-')}.yaml"
    if target.exists():
        raise AddOperationError(f"{target} exists already")
    target.write_text(dump_page(page), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("operation_id", help="the published operationId, e.g. retrieve_conference")
    args = parser.parse_args(argv)
    try:
        target = add_operation(args.operation_id)
    except AddOperationError as exc:
        print(f"add-operation: error: {exc}", file=sys.stderr)
        return 1
    print(f"add-operation: wrote {target.relative_to(ROOT)}; next: make generate (make add-operation does it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
