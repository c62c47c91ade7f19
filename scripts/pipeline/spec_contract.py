"""Does an exchange (a request and its answer) keep to a merged spec? The contract ``make check`` and the tests hold.

Requests are checked against the operation their method and path match: path parameters, query
parameters (the required ones present, each a declared one of its schema) and the request schema,
reading the form body in place of JSON (the correction the overlay documents in _wire.py).
Answers are checked against the response schema documented for their status; an undocumented
status is accepted only for an injected fault or a path no operation matches. Schemas are held
with jsonschema (Draft 2020-12, formats checked), references resolved against the whole spec.

Used by ``scripts/pipeline/overlay_probe.py`` (``make check``: the overlay's requests and FakeSpace's
answers) and by ``tests/contract.py`` (every request and answer of the test suite).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import attrs
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs; only scripts and tests use it
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from scripts.pipeline.merge_specs import HTTP_METHODS

__all__ = ["SDK_USER_AGENT", "Contract", "Exchange", "Matched", "family"]

SDK_USER_AGENT = "signalwire-compat/"


@attrs.frozen
class Exchange:
    method: str
    path: str  # with the query string, if any
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    status: int | None = None  # None: the answer is not the one under test (scripted servers)
    response_body: bytes = b""
    fault: str | None = None

    @classmethod
    def recorded(cls, request: Any) -> Exchange:
        """The exchange FakeSpace recorded as ``request`` (a ``RecordedRequest``: the same fields)."""
        fields = (request.body, request.status, request.response_body, request.fault)
        return cls(request.method, request.path, dict(request.headers), *fields)

    @property
    def sent_by_sdk(self) -> bool:
        return self.headers.get("user-agent", "").startswith(SDK_USER_AGENT)


@attrs.frozen
class Matched:
    """The operation an exchange is for: its method, path template, definition and path parameter values."""

    method: str
    template: str
    spec: Mapping[str, Any]
    values: Mapping[str, str]


def family(name: str) -> str:
    """Fields that differ only by their numbers are one family: ``Parameter1.Name`` and ``Parameter7.Name``."""
    return re.sub(r"[0-9]+", "N", name)


class Contract:
    """The contract of one merged spec. ``undeclared_fields``: a request body field the schema does not
    declare (nor one of its numbered family) is a problem too."""

    def __init__(self, document: Mapping[str, Any], *, undeclared_fields: bool = False) -> None:
        self.document = document
        self.undeclared_fields = undeclared_fields
        self.registry: Registry[Any] = Registry().with_resource("urn:spec", DRAFT202012.create_resource(dict(document)))
        servers = document.get("servers") or [{}]
        self.base_path = urlsplit(str(servers[0].get("url", ""))).path.rstrip("/")
        self.operations: list[tuple[str, str, re.Pattern[str], Mapping[str, Any]]] = []
        for template, item in (document.get("paths") or {}).items():
            regex = re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]*)", re.escape(self.base_path + template))
            for method, operation in item.items():
                if method in HTTP_METHODS:
                    self.operations.append((method.upper(), template, re.compile(regex), operation))

    def _validator(self, schema: Mapping[str, Any]) -> Draft202012Validator:
        # Refs in the spec are '#/components/...'; resolve them against the whole document.
        rebased = json.loads(json.dumps(schema).replace('"#/components/', '"urn:spec#/components/'))
        return Draft202012Validator(rebased, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def schema_problems(self, schema: Mapping[str, Any], instance: Any, what: str) -> list[str]:
        return [f"{what}: {error.message}" for error in self._validator(schema).iter_errors(instance)]

    def match(self, method: str, path: str) -> Matched | None:
        """The operation ``method path`` is for; a path with the ``.json`` suffix Twilio-lineage clients append
        (``…/Calls.json``, ``…/Calls/{Sid}.json``) is the same operation, as the API answers both forms."""
        path = path.split("?", 1)[0]
        if path.startswith(("http://", "https://")):  # absolute-form, as a proxy is asked
            path = "/" + path.split("/", 3)[3]
        for candidate in (path.removesuffix(".json"), path) if path.endswith(".json") else (path,):
            for operation_method, template, pattern, spec in self.operations:
                found = pattern.fullmatch(candidate)
                if found and operation_method == method:
                    return Matched(operation_method, template, spec, found.groupdict())
        return None

    @staticmethod
    def _stream_name_allowed(operation: Mapping[str, Any], parameter: str, value: str) -> bool:
        # The one documented deviation: the spec types a stream's {Sid} as a UUID, and the SDK also
        # sends a stream's name there (the spec's Name field: "used to stop a Stream by name").
        from signalwire_compat._validation import stream_name_problem

        stops = ("update_stream", "update-stream", "update_conference_stream", "update-conference-stream")
        named = stream_name_problem(unquote(value)) is None
        return operation.get("operationId") in stops and parameter == "Sid" and named

    def resolve(self, schema: Any) -> Any:
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            target: Any = self.document
            for part in schema["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            schema = target
        return schema

    def _parameters(self, matched: Matched) -> list[Mapping[str, Any]]:
        item = (self.document.get("paths") or {}).get(matched.template) or {}
        found = {}
        for parameter in [*(item.get("parameters") or []), *(matched.spec.get("parameters") or [])]:
            resolved = self.resolve(parameter)
            found[(resolved.get("in"), resolved.get("name"))] = resolved
        return list(found.values())

    def request_problems(self, exchange: Exchange) -> list[str]:
        matched = self.match(exchange.method, exchange.path)
        if matched is None:
            return [f"{exchange.method} {exchange.path}: no operation in the spec matches"]
        problems = []
        query = parse_qs(urlsplit(exchange.path).query, keep_blank_values=True)
        for parameter in self._parameters(matched):
            name, schema = parameter["name"], parameter.get("schema") or {}
            if parameter["in"] == "path":
                if not self._stream_name_allowed(matched.spec, name, matched.values[name]):
                    problems += self.schema_problems(schema, unquote(matched.values[name]), f"path parameter {name}")
            elif parameter["in"] == "query":
                if name not in query:
                    if parameter.get("required"):
                        problems.append(f"required query parameter {name} is missing")
                    continue
                value = self._typed(schema, query.pop(name)[-1])
                problems += self.schema_problems(schema, value, f"query parameter {name}")
        problems += [f"query parameter {name} is not in the spec" for name in query]
        body = self.resolve(matched.spec.get("requestBody"))
        if body is not None and (exchange.body or body.get("required")):
            (schema,) = [content["schema"] for content in self.resolve(body)["content"].values()]
            if exchange.headers.get("content-type") != "application/x-www-form-urlencoded":
                problems.append(f"request content-type is {exchange.headers.get('content-type')!r}, not a form")
            form = parse_qs(exchange.body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(exchange.body))
            fields = {name: values[0] if len(values) == 1 else values for name, values in form.items()}
            problems += self.schema_problems(schema, self._typed_form(schema, fields), "form body")
            if self.undeclared_fields:
                declared = self.resolve(schema).get("properties") or {}
                families = {family(name) for name in declared}
                problems += [
                    f"form body field {name} is not in the spec"
                    for name in fields
                    if name not in declared and family(name) not in families
                ]
        if exchange.sent_by_sdk and not exchange.headers.get("authorization", "").startswith("Basic "):
            problems.append("no HTTP Basic Authorization header")
        return [f"{exchange.method} {exchange.path}: {p}" for p in problems]

    def _typed(self, schema: Any, value: str) -> Any:
        """A form or query value is text: read ``true``/``false`` and numbers as the schema's type says."""
        kind = self.resolve(schema).get("type") if isinstance(self.resolve(schema), Mapping) else None
        if kind == "boolean" and value in ("true", "false"):
            return value == "true"
        if kind == "integer" and value.lstrip("-").isdigit():
            return int(value)
        if kind == "number":
            with contextlib.suppress(ValueError):
                return float(value)
        return value

    def _typed_form(self, schema: Mapping[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        properties = self.resolve(schema).get("properties") or {}
        typed = {}
        for name, value in fields.items():
            field = self.resolve(properties.get(name, {}))
            if isinstance(field, Mapping) and field.get("type") == "array":  # a form repeats the name per item
                items = [value] if isinstance(value, str) else value
                typed[name] = [self._typed(field.get("items") or {}, item) for item in items]
            else:
                typed[name] = self._typed(properties.get(name, {}), value) if isinstance(value, str) else value
        return typed

    def documented(self, exchange: Exchange) -> tuple[str, Mapping[str, Any]] | None:
        """The (media type, schema) the spec documents for the exchange's answer, if any."""
        matched = self.match(exchange.method, exchange.path)
        responses = matched.spec.get("responses") if matched else None
        documented = self.resolve((responses or {}).get(str(exchange.status)))
        if not isinstance(documented, Mapping):
            return None
        content = documented.get("content") or {}
        for media_type, entry in content.items():
            return str(media_type), entry.get("schema") or {}
        return "", {}

    def response_problems(self, exchange: Exchange) -> list[str]:
        if exchange.status in (None, 0):
            return []
        where = f"{exchange.method} {exchange.path} -> {exchange.status}"
        matched = self.match(exchange.method, exchange.path)
        documented = self.documented(exchange)
        if documented is None:
            if exchange.fault is not None:
                return []
            if matched is None and exchange.status in (404, 405):
                return self.schema_problems(
                    {"$ref": "#/components/schemas/CompatibilityErrorResponse"},
                    json.loads(exchange.response_body),
                    where,
                )
            return [f"{where}: status not documented for this operation"]
        if exchange.fault == "non_json":
            return []
        content_type, schema = documented
        if not content_type:
            return [] if not exchange.response_body else [f"{where}: a body where the spec documents none"]
        try:
            document = json.loads(exchange.response_body)
        except ValueError:
            return [f"{where}: body is not the documented {content_type}"]
        return self.schema_problems(schema, document, where)

    def problems(self, exchanges: Iterable[Exchange]) -> list[str]:
        found = []
        for exchange in exchanges:
            if exchange.sent_by_sdk:
                found += self.request_problems(exchange)
            found += self.response_problems(exchange)
        return found
