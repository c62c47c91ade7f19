"""Contract checks against the rebuilt specs (generated/openapi.merged.yaml, i.e. openapi/*.yaml merged).

Requests the SDK sends are checked against the operation's path parameters and request schema,
reading the form body in place of JSON (the correction the overlay documents in _wire.py).
Responses FakeSpace sends are checked against the response schema documented for their status;
an undocumented status is accepted only for an injected fault or a path no operation matches.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any
from urllib.parse import parse_qs, unquote

import attrs
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from merge_specs import load_yaml
from signalwire_compat._validation import stream_name_problem
from tests.helpers import ROOT

BASE_PATH = "/api/laml/2010-04-01"
SDK_USER_AGENT = "signalwire-compat/"


@attrs.frozen
class Exchange:
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    status: int | None = None  # None: the response is not the fake's (scripted servers)
    response_body: bytes = b""
    fault: str | None = None

    @property
    def sent_by_sdk(self) -> bool:
        return self.headers.get("user-agent", "").startswith(SDK_USER_AGENT)


@attrs.frozen
class _Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: Mapping[str, Any]


class Contract:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.registry: Registry[Any] = Registry().with_resource("urn:spec", DRAFT202012.create_resource(dict(document)))
        self.operations: list[_Operation] = []
        for template, item in document["paths"].items():
            regex = re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]*)", re.escape(BASE_PATH + template))
            for method, operation in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    self.operations.append(_Operation(method.upper(), template, re.compile(regex), operation))

    def _validator(self, schema: Mapping[str, Any]) -> Draft202012Validator:
        # Refs in the spec are '#/components/...'; resolve them against the whole document.
        rebased = json.loads(json.dumps(schema).replace('"#/components/', '"urn:spec#/components/'))
        return Draft202012Validator(rebased, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def _schema_problems(self, schema: Mapping[str, Any], instance: Any, what: str) -> list[str]:
        return [f"{what}: {error.message}" for error in self._validator(schema).iter_errors(instance)]

    def _match(self, exchange: Exchange) -> tuple[_Operation, dict[str, str]] | None:
        path = exchange.path.split("?", 1)[0]
        if path.startswith(("http://", "https://")):  # absolute-form, as a proxy is asked
            path = "/" + path.split("/", 3)[3]
        for operation in self.operations:
            found = operation.pattern.fullmatch(path)
            if found and operation.method == exchange.method:
                return operation, found.groupdict()
        return None

    @staticmethod
    def _stream_name_allowed(operation: _Operation, parameter: str, value: str) -> bool:
        # The one documented deviation: the spec types a stream's {Sid} as a UUID, and the SDK also
        # sends a stream's name there (the spec's Name field: "used to stop a Stream by name").
        stops = ("update_stream", "update-stream", "update_conference_stream", "update-conference-stream")
        return (
            operation.spec.get("operationId") in stops
            and parameter == "Sid"
            and stream_name_problem(unquote(value)) is None
        )

    def request_problems(self, exchange: Exchange) -> list[str]:
        matched = self._match(exchange)
        if matched is None:
            return [f"{exchange.method} {exchange.path}: no operation in the spec matches"]
        operation, values = matched
        problems = []
        for parameter in operation.spec.get("parameters", []):
            if parameter["in"] == "path":
                if self._stream_name_allowed(operation, parameter["name"], values[parameter["name"]]):
                    continue
                problems += self._schema_problems(
                    parameter["schema"], values[parameter["name"]], f"path parameter {parameter['name']}"
                )
        body = operation.spec.get("requestBody")
        if body is not None:
            (schema,) = [content["schema"] for content in body["content"].values()]
            if exchange.headers.get("content-type") != "application/x-www-form-urlencoded":
                problems.append(f"request content-type is {exchange.headers.get('content-type')!r}, not a form")
            form = parse_qs(exchange.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
            fields = {name: values[0] if len(values) == 1 else values for name, values in form.items()}
            problems += self._schema_problems(schema, self._typed_form(schema, fields), "form body")
        if not exchange.headers.get("authorization", "").startswith("Basic "):
            problems.append("no HTTP Basic Authorization header")
        return [f"{exchange.method} {exchange.path}: {p}" for p in problems]

    def _resolve(self, schema: Any) -> Any:
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            target: Any = self.document
            for part in schema["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            schema = target
        return schema

    def _typed_form(self, schema: Mapping[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        """A form carries text only: read ``true``/``false`` and numbers as the schema's field types say."""
        properties = self._resolve(schema).get("properties") or {}
        typed = dict(fields)
        for name, value in fields.items():
            kind = self._resolve(properties.get(name, {})).get("type")
            if kind == "boolean" and value in ("true", "false"):
                typed[name] = value == "true"
            elif kind == "integer" and isinstance(value, str) and value.lstrip("-").isdigit():
                typed[name] = int(value)
            elif kind == "number" and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    typed[name] = float(value)
        return typed

    def response_problems(self, exchange: Exchange) -> list[str]:
        if exchange.status in (None, 0):
            return []
        where = f"{exchange.method} {exchange.path} -> {exchange.status}"
        matched = self._match(exchange)
        responses = matched[0].spec["responses"] if matched else {}
        documented = responses.get(str(exchange.status))
        if documented is None:
            if exchange.fault is not None:
                return []
            if matched is None and exchange.status in (404, 405):
                return self._schema_problems(
                    {"$ref": "#/components/schemas/CompatibilityErrorResponse"},
                    json.loads(exchange.response_body),
                    where,
                )
            return [f"{where}: status not documented for this operation"]
        if exchange.fault == "non_json":
            return []
        (content_type, content), *_ = documented["content"].items()
        try:
            document = json.loads(exchange.response_body)
        except ValueError:
            return [f"{where}: body is not the documented {content_type}"]
        return self._schema_problems(content["schema"], document, where)

    def problems(self, exchanges: Iterable[Exchange]) -> list[str]:
        found = []
        for exchange in exchanges:
            if exchange.sent_by_sdk:
                found += self.request_problems(exchange)
            found += self.response_problems(exchange)
        return found


@cache
def contract() -> Contract:
    spec = load_yaml((ROOT / "generated" / "openapi.merged.yaml").read_text(encoding="utf-8"))
    return Contract(spec)


# Stream status callbacks as SignalWire documents them (cXML reference -> Voice -> Stream; facts.md).
STREAM_CALLBACK_PARAMETERS = frozenset(
    {
        "AccountSid",
        "CallSid",
        "ConferenceSid",
        "StreamError",
        "StreamEvent",
        "StreamName",
        "StreamSid",
        "StreamTrack",
        "Timestamp",
        "Unique-ID",
    }
)
STREAM_EVENTS = frozenset({"stream-started", "stream-stopped", "stream-error"})
STREAM_ERRORS = frozenset(
    {
        "invalid_url",
        "missing_url",
        "invalid_track",
        "codec_error",
        "connection_refused",
        "connection_refused_timeout_or_ssl_error",
        "general_error",
        "Duplicated stream ID",
        "Duplicated stream name",
    }
)


def stream_callback_problems(params: Iterable[tuple[str, str]]) -> list[str]:
    """What in a stream status callback FakeSpace sent differs from SignalWire's documentation."""
    from datetime import datetime

    form = dict(params)
    problems = [f"callback parameter {name!r} is not documented" for name in form.keys() - STREAM_CALLBACK_PARAMETERS]
    required = {"AccountSid", "StreamSid", "StreamName", "StreamEvent", "StreamTrack", "Timestamp", "Unique-ID"}
    problems += [f"callback parameter {name!r} is missing" for name in sorted(required - form.keys())]
    if len({"CallSid", "ConferenceSid"} & form.keys()) != 1:
        problems.append("a callback carries exactly one of CallSid and ConferenceSid")
    event = form.get("StreamEvent")
    if event not in STREAM_EVENTS:
        problems.append(f"StreamEvent {event!r} is not documented")
    error = form.get("StreamError")
    if (event == "stream-error") != (error is not None) or (error is not None and error not in STREAM_ERRORS):
        problems.append(f"StreamError {error!r} does not fit StreamEvent {event!r}")
    try:
        if datetime.fromisoformat(form.get("Timestamp", "")).tzinfo is None:
            problems.append("Timestamp has no time zone")
    except ValueError:
        problems.append(f"Timestamp {form.get('Timestamp')!r} is not ISO 8601")
    return problems
