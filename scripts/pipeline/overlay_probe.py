"""Run the overlay against a generated client and hold what it does to the merged spec (``overlay_fit``'s child).

    python -m scripts.pipeline.overlay_probe --overlay DIR --generated DIR --spec MERGED.yaml

``--overlay`` holds the ``signalwire_compat`` package, ``--generated`` the ``signalwire_compat_generated``
one: both go first on ``sys.path`` before anything is imported, so the trees under check are run,
not an installed (or editable) copy. Prints one JSON document: ``problems`` (each naming the
overlay line to change), ``coverage`` and ``uses``. Nothing leaves the process: no socket is opened.

What it runs, with no per-operation list (more operations and results need nothing here):

1. **The typed calls.** From an ``AsyncClient``, every public method that returns a resource
   (``calls(sid)``), and from each resource every property and method, is followed; every
   ``async`` method (``stop``, ``update``, ``create``) is called: once with its required arguments,
   once with every optional one too, and once more per further value of each ``Literal`` or
   ``bool`` argument. Values come from the annotations: sids are UUIDs, ``Literal`` types their
   values, a ``str`` named like a URL a ``wss://`` or ``https://`` URL (whichever the overlay
   accepts), other strings a name. The client's ``_execute`` is replaced (the documented point
   between the resources and the client): each request the overlay built is held to the spec
   (``spec_contract``: its path and query parameters, required fields, types and enum values),
   and the overlay reads every answer ``spec_samples`` makes from the operation's 2xx schema
   (every field; only the required ones; each enum value), every attribute and property of the
   result read, and each field of the schema an attribute of it. Anything raised names the
   overlay lines it went through, the one to change first.
2. **invoke.** Every generated operation through ``client.invoke(name, ...)``, its arguments built
   from the generated ``_get_kwargs`` annotations (bodies from the spec's request schema), held
   to the spec the same way, and its answers parsed by the generated client.
3. **FakeSpace.** The typed calls of step 1 again, against an in-process ``FakeSpace`` (a stream
   created first is the one stopped); every answer it gives, and its answers to the same
   requests without credentials and without a body, must be what the spec documents for that
   operation and status. A problem names the FakeSpace function that built the answer.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import collections.abc
import contextlib
import enum
import functools
import inspect
import io
import json
import re
import sys
import tokenize
import traceback
import types
import typing
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from scripts.pipeline.merge_specs import load_yaml
from scripts.pipeline.spec_contract import Contract, Exchange, Matched, family
from scripts.pipeline.spec_diff import _first_schema, _ref_name, _Spec, enum_use
from scripts.pipeline.spec_samples import SAMPLE_UUID, documents

PER_CALL_OPTIONS = frozenset({"timeout"})  # the clients' own options, not the API's
_SID = re.compile(r"(.*_)?sid|stream", re.IGNORECASE)
UNIQUE = "probe-name"  # a name: each call gets its own (a space refuses two running streams of one name)


class Problem(NamedTuple):
    where: str  # "signalwire_compat/_builders.py:72 (update_call_stream)", or "" when no overlay line is known
    what: str
    via: tuple[str, ...]
    calls: list[str]  # what was being done each time it happened (a typed call, an answer read, ...)


class Probe:
    """What one run found."""

    def __init__(self, overlay: Path, document: Mapping[str, Any], names: Mapping[str, Any]) -> None:
        self.overlay = overlay.resolve()
        self.document = document
        self.names = names  # spec_names(document), made by the parent (the generator's naming is slow to import)
        self.spec = _Spec(document)
        self.contract = Contract(document, undeclared_fields=True)
        EXAMPLES.clear()
        EXAMPLES.update(request_examples(document))
        self.problems: dict[tuple[str, str], Problem] = {}
        self.sent: dict[str, set[str]] = {}  # operation -> wire names its typed calls sent
        self.typed: dict[str, list[str]] = {}  # operation -> the typed calls that send it
        self.uses: dict[str, set[str]] = {}
        self.read: set[tuple[Any, ...]] = set()  # (operation, reader) pairs whose answers were read already
        self.calling: str | None = None  # the typed call under way (None: invoke)

    # -- where in the overlay -------------------------------------------------------------------------

    def _overlay_path(self, filename: str) -> str | None:
        try:
            return Path(filename).resolve().relative_to(self.overlay).as_posix()
        except ValueError:
            return None

    def frames(self, summary: Iterable[traceback.FrameSummary]) -> list[tuple[str, str]]:
        """(``path:line (function)``, source line) of the overlay's frames in ``summary``, outermost first."""
        found = []
        for frame in summary:
            path = self._overlay_path(frame.filename)
            if path is not None:
                found.append((f"{path}:{frame.lineno} ({frame.name})", frame.line or ""))
        return found

    def failure(self, exc: BaseException, doing: str, reading: str = "") -> None:
        """A problem for ``exc``, raised while ``doing``: led by the overlay line holding a literal the error
        names (``self._update("stopped")`` for "... got 'stopped'"), else by the innermost overlay line."""
        frames = self.frames(traceback.extract_tb(exc.__traceback__))
        what = f"{reading}{type(exc).__name__}: {exc}"
        lead = next(
            (place for place, line in frames if _names_a_literal(line, str(exc))), frames[-1][0] if frames else ""
        )
        self.problem(lead, what, doing, tuple(place for place, _ in frames if place != lead))

    def problem(self, where: str, what: str, doing: str = "", via: tuple[str, ...] = ()) -> None:
        """One problem; the same one found again (another call, another answer) adds only what was being done."""
        found = self.problems.setdefault((where, what), Problem(where, what, via, []))
        if doing and doing not in found.calls:
            found.calls.append(doing)

    def use(self, key: str, places: list[str]) -> None:
        self.uses.setdefault(key, set()).update(places)

    def operation_name(self, route: str, method: str) -> str:
        return str(self.names["operations"][f"{method.lower()} {route}"])


def _names_a_literal(line: str, message: str) -> bool:
    """Whether a source line holds a plain string literal (3+ characters) that ``message`` names as a word."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    for token in tokens:
        if token.type == tokenize.STRING and token.string[:1] in "\"'":
            value = ast.literal_eval(token.string)
            if (
                isinstance(value, str)
                and len(value) >= 3
                and re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", message)
            ):
                return True
    return False


# -- values from annotations ------------------------------------------------------------------------------


class Choices(NamedTuple):
    values: list[Any]
    exhaustive: bool  # every value is a variant to run (Literal, bool); else alternatives to try in turn


def _type_checking_names(module: ModuleType) -> dict[str, Any]:
    """The module's globals plus what its ``if TYPE_CHECKING:`` blocks import or define (the resources
    annotate with names they import only for type checkers)."""
    names = dict(vars(module))
    source = inspect.getsource(module)
    for node in ast.parse(source).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            exec(compile(ast.Module(body=node.body, type_ignores=[]), module.__file__ or "", "exec"), names)  # noqa: S102
    return names


def hints(function: Callable[..., Any]) -> dict[str, Any]:
    """A function's annotations, resolved; for a method of a generic class, its type variables bound as the
    instance's class binds them (``update(status: U)`` of a call's stream takes its stop's statuses)."""
    module = sys.modules[function.__module__]
    found = typing.get_type_hints(function, globalns=_type_checking_names(module))
    owner = getattr(function, "__self__", None)
    if owner is None:
        return found
    bound = _type_arguments(type(owner))
    return {name: bound.get(hint, hint) if isinstance(hint, typing.TypeVar) else hint for name, hint in found.items()}


def _type_arguments(cls: type) -> dict[Any, Any]:
    """TypeVar -> the type ``cls`` binds it to through its generic bases (``Base["X", M, Literal[...]]``)."""
    bound: dict[Any, Any] = {}
    for klass in reversed(cls.__mro__):
        for base in getattr(klass, "__orig_bases__", ()):
            parameters = getattr(typing.get_origin(base), "__parameters__", ())
            for parameter, argument in zip(parameters, typing.get_args(base), strict=False):
                if isinstance(argument, typing.ForwardRef):
                    try:
                        argument = eval(argument.__forward_arg__, _type_checking_names(sys.modules[klass.__module__]))  # noqa: S307 - an annotation of the overlay's own source
                    except NameError:
                        continue
                bound[parameter] = bound.get(argument, argument) if isinstance(argument, typing.TypeVar) else argument
    return bound


# The spec's examples of each request field, by the snake_case of its wire name (``SendDigits``: ``send_digits``):
# the alternatives tried when a plain value is refused (a pattern, a range). Set by ``Probe``.
EXAMPLES: dict[str, list[Any]] = {}


def request_examples(document: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The ``examples`` of every property of every component schema, by the snake_case of the property's name."""
    found: dict[str, list[Any]] = {}
    for schema in ((document.get("components") or {}).get("schemas") or {}).values():
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        for wire, field in (properties or {}).items():
            examples = field.get("examples") if isinstance(field, Mapping) else None
            if isinstance(examples, list):
                key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(wire)).lower()
                found.setdefault(key, []).extend(e for e in examples if e not in found.get(key, []))
    return found


def _string(name: str) -> list[Any]:
    lowered = name.lower()
    if _SID.fullmatch(lowered):
        return [SAMPLE_UUID]
    urls = ["wss://example.com/media", "https://example.com/status"]
    if "callback" in lowered:
        return urls[::-1]
    if "url" in lowered:
        return urls
    return [UNIQUE, *(e for e in EXAMPLES.get(lowered.rstrip("_"), []) if isinstance(e, str))]


def choices(name: str, hint: Any) -> Choices | None:
    """The values to pass for argument ``name`` annotated ``hint``, or None if none can be made."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [argument for argument in arguments if argument is not type(None)]
        if uuid.UUID in options:
            return Choices([SAMPLE_UUID], False)
        made = [found for option in options if (found := choices(name, option)) is not None]
        if not made:
            return None
        return Choices([value for found in made for value in found.values], any(found.exhaustive for found in made))
    if origin is typing.Literal:
        return Choices(list(arguments), True)
    if hint is str:
        return Choices(_string(name), False)
    if hint is uuid.UUID:
        return Choices([SAMPLE_UUID], False)
    if hint is bool:
        return Choices([True, False], True)
    if hint in (int, float):
        examples = [e for e in EXAMPLES.get(name, []) if isinstance(e, int | float) and not isinstance(e, bool)]
        return Choices([hint(1), *map(hint, examples)], False)
    if origin in (collections.abc.Mapping, dict, typing.Mapping):
        return Choices([{"Name": "probe"}], False)
    if origin in (collections.abc.Sequence, list, tuple) and arguments:
        items = choices(name, arguments[0])  # one list of every item value (a form repeats the field)
        return None if items is None else Choices([list(items.values)], False)
    return None


class Parameter(NamedTuple):
    name: str
    choices: Choices
    required: bool


def parameters(method: Callable[..., Any]) -> tuple[list[Parameter], list[str]]:
    """A method's API arguments with their values, and the names of required ones no value can be made for."""
    signature = inspect.signature(method)
    annotations = hints(method)
    found: list[Parameter] = []
    unmade: list[str] = []
    for name, parameter in signature.parameters.items():
        if name in PER_CALL_OPTIONS:
            continue
        # A signature made for help() (``_signatures.keywords_of``) carries its keyword arguments' types itself.
        hint = annotations.get(name, parameter.annotation)
        hint = Any if hint is inspect.Parameter.empty or isinstance(hint, str) else hint
        if parameter.kind is inspect.Parameter.VAR_KEYWORD and typing.get_origin(hint) is typing.Unpack:
            (options,) = typing.get_args(hint)
            option_hints = typing.get_type_hints(options)
            for key in options.__required_keys__ | options.__optional_keys__:
                made = choices(key, option_hints[key])
                if made is not None:
                    found.append(Parameter(key, made, key in options.__required_keys__))
                elif key in options.__required_keys__:
                    unmade.append(key)
            continue
        if parameter.kind in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL):
            continue
        made = choices(name, hint)
        required = parameter.default is inspect.Parameter.empty
        if made is not None:
            found.append(Parameter(name, made, required))
        elif required:
            unmade.append(name)
    return sorted(found, key=lambda p: p.name), unmade


def variants(found: list[Parameter]) -> list[dict[str, Any]]:
    """The required arguments alone; every argument; and every argument with each further exhaustive value."""
    base = {p.name: p.choices.values[0] for p in found if p.required}
    full = {p.name: p.choices.values[0] for p in found}
    runs = [base] if base == full else [base, full]
    for p in found:
        if p.choices.exhaustive:
            runs += [{**full, p.name: value} for value in p.choices.values[1:]]
    return runs


# -- walking the typed surface ------------------------------------------------------------------------------


def _is_resource(value: object) -> bool:
    module = type(value).__module__
    return module.startswith("signalwire_compat._async.") and module != "signalwire_compat._async._client"


class Walker:
    """Follows the resource tree of one client and calls every ``async`` method on it."""

    def __init__(self, probe: Probe, fake: _Fake | None = None) -> None:
        self.probe = probe
        self.fake = fake  # against FakeSpace: navigate to what was just created; its refusals are its own
        self.calls = 0

    async def walk(self, client: Any) -> None:
        for name in sorted(dir(type(client))):
            member = inspect.getattr_static(type(client), name)
            if not name.startswith("_") and isinstance(member, property):  # a collection (client.calls)
                value = getattr(client, name)
                if _is_resource(value):
                    await self.explore(value, f"client.{name}", None)
                continue
            if name.startswith("_") or not inspect.isfunction(member) or inspect.iscoroutinefunction(member):
                continue
            method = getattr(client, name)
            found, unmade = parameters(method)
            if unmade or any(not p.required for p in found):
                continue  # not a resource root (with_options takes only options)
            value = method(**variants(found)[0])
            if _is_resource(value):
                await self.explore(value, f"client.{name}({_shown(found)})", None)

    async def explore(
        self, resource: Any, label: str, last: Any, renew: Callable[[], Awaitable[Any]] | None = None
    ) -> None:
        """Every typed call of ``resource`` and of what it leads to. ``renew`` (against FakeSpace) makes the
        resource again: each typed call after the first acts on one just made, so one that ends it (``stop``,
        ``hang_up``) leaves the next something to act on."""
        members = sorted(name for name in dir(type(resource)) if not name.startswith("_") or name == "__call__")
        terminals: list[str] = []
        properties: list[tuple[str, Any]] = []
        calls: list[Callable[..., Any]] = []
        for name in members:
            static = inspect.getattr_static(resource, name)
            if isinstance(static, property):
                value = getattr(resource, name)
                if _is_resource(value):
                    properties.append((name, value))
            elif inspect.iscoroutinefunction(getattr(resource, name, None)):
                terminals.append(name)
            elif name == "__call__":
                calls.append(getattr(resource, name))
        for index, name in enumerate(terminals):
            if renew is not None and index:
                resource = await renew()
            last = await self.terminal(getattr(resource, name), f"{label}.{name}") or last
        for name, value in properties:
            await self.explore(value, f"{label}.{name}", None)
        for method in calls:
            found, unmade = parameters(method)
            if unmade:
                self.probe.problem("", f"the check cannot make a value for {', '.join(unmade)}", f"{label}(...)")
                continue
            child = self._child(method, variants(found)[0], last)
            again = None
            if self.fake is not None and terminals:
                again = self._renewal(getattr(resource, terminals[0]), f"{label}.{terminals[0]}", method, found)
            if _is_resource(child):
                await self.explore(child, f"{label}({_shown(found)})", None, again)

    def _child(self, method: Callable[..., Any], arguments: dict[str, Any], last: Any) -> Any:
        """``resource(sid)`` for the resource last made (the one FakeSpace made last, against FakeSpace)."""
        sid = getattr(last, "sid", None) if self.fake is None else self.fake.last_sid()
        if isinstance(sid, str):
            arguments = {key: (sid if _SID.fullmatch(key.lower()) else value) for key, value in arguments.items()}
        return method(**arguments)

    def _renewal(
        self, create: Callable[..., Awaitable[Any]], label: str, method: Callable[..., Any], found: list[Parameter]
    ) -> Callable[[], Awaitable[Any]]:
        """Make the child resource again: its parent's first typed call (a create) with its required arguments."""

        async def renew() -> Any:
            made, _ = parameters(create)
            arguments = variants(made)[0]
            await self.call(create, arguments, made, f"{label}({_shown(made, arguments)})")
            return self._child(method, variants(found)[0], None)

        return renew

    async def terminal(self, method: Callable[..., Awaitable[Any]], label: str) -> Any:
        found, unmade = parameters(method)
        if unmade:
            self.probe.problem("", f"the check cannot make a value for {', '.join(unmade)}", f"{label}(...)")
            return None
        first = None
        for arguments in variants(found):
            result = await self.call(method, arguments, found, f"{label}({_shown(found, arguments)})")
            first = first if first is not None else result
        return first

    async def call(
        self, method: Callable[..., Awaitable[Any]], arguments: dict[str, Any], found: list[Parameter], label: str
    ) -> Any:
        """One typed call; a value the overlay refuses before sending is swapped for the next alternative."""
        alternatives = {p.name: list(p.choices.values) for p in found if not p.choices.exhaustive}
        for _attempt in range(1 + sum(len(values) for values in alternatives.values())):  # bounded by the alternatives
            self.probe.calling = label
            self.calls += 1
            unique = {key: f"probe-{self.calls}" if value == UNIQUE else value for key, value in arguments.items()}
            try:
                result = await method(**unique)
            except Exception as exc:  # noqa: BLE001 - whatever the overlay raises is what the check reports
                swap = next(
                    (
                        name
                        for name in arguments
                        if name in alternatives and len(alternatives[name]) > 1 and name in str(exc)
                    ),
                    None,
                )
                if swap is not None and isinstance(exc, ValueError):
                    alternatives[swap].pop(0)
                    arguments = {**arguments, swap: alternatives[swap][0]}
                    continue
                if self.fake is None or not self.fake.refused(exc, label):
                    self.probe.failure(exc, label)
                return None
            return result
        return None


def _shown(found: list[Parameter], arguments: Mapping[str, Any] | None = None) -> str:
    names = [p.name for p in found if arguments is None or p.name in arguments]
    if arguments is None:
        return ", ".join(names)
    return ", ".join(f"{name}={arguments[name]!r}" if not _SID.fullmatch(name.lower()) else name for name in names)


# -- reading what comes back -------------------------------------------------------------------------------


def read_everything(probe: Probe, result: Any, label: str) -> None:
    """Read every attribute and property of a result (one level into an ``OperationResult``'s ``parsed``)."""
    import attrs

    if isinstance(result, tuple) and hasattr(result, "_fields"):
        for name in result._fields:
            value = getattr(result, name)
            if attrs.has(type(value)):
                read_everything(probe, value, f"{label}.{name}")
        return
    if not attrs.has(type(result)):
        return
    names = [field.name for field in attrs.fields(type(result))]
    names += [name for name, _ in inspect.getmembers(type(result), lambda m: isinstance(m, property))]
    for name in names:
        if name.startswith("_"):
            continue
        try:
            getattr(result, name)
        except Exception as exc:  # noqa: BLE001 - a property that raises on an answer the spec allows is the finding
            probe.failure(exc, label, f"reading .{name} of {type(result).__name__}: ")


def check_fields(probe: Probe, result: Any, schema: Any, label: str) -> None:
    """Every field of the answer's schema is an attribute of the typed result (``_results`` derives them)."""
    target = probe.spec.target(schema)
    wires = {field.wire for field in getattr(type(result), "FIELDS", ())}
    missing = [str(name) for name in (target.get("properties") or {}) if name not in wires]
    if missing:
        where = _class_place(probe, type(result))
        probe.problem(
            where,
            f"{type(result).__name__} has no attribute for response field(s) {', '.join(missing)}: extend "
            f"the class scripts/pipeline/derive_overlay.py derives for the schema (run `make generate`)",
            label,
        )


def _class_place(probe: Probe, cls: type) -> str:
    try:
        path = probe._overlay_path(inspect.getfile(cls)) or ""
        return f"{path}:{inspect.getsourcelines(cls)[1]} ({cls.__name__})" if path else ""
    except (OSError, TypeError):
        return ""


# -- the spec pass: requests held to the spec, answers made from it -------------------------------------------


class _Recorder:
    """Who called the generated client's ``_get_kwargs`` (the builder line): while ``recording()``, each generated
    module's ``_get_kwargs`` is wrapped to note it (the overlay looks it up on the module at each call). Not a
    profile hook: that would run on every call the probe makes (a fifth of the probe's CPU time)."""

    def __init__(self, probe: Probe, generated: Path) -> None:
        self.probe, self.generated = probe, str(generated.resolve())
        self.builder: list[str] = []

    def note(self, caller: FrameType | None) -> None:
        while caller is not None and self.probe._overlay_path(caller.f_code.co_filename) is None:
            caller = caller.f_back
        if caller is not None:
            path = self.probe._overlay_path(caller.f_code.co_filename)
            self.builder = [f"{path}:{caller.f_lineno} ({caller.f_code.co_name})"]

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        import importlib
        import pkgutil

        import signalwire_compat_generated.api as api

        for info in pkgutil.walk_packages(api.__path__, f"{api.__name__}."):  # every operation, imported or not
            importlib.import_module(info.name)
        wrapped = []
        for module in list(sys.modules.values()):
            original = getattr(module, "_get_kwargs", None)
            if callable(original) and str(getattr(module, "__file__", "")).startswith(self.generated):
                wrapped.append((module, original))
                vars(module)["_get_kwargs"] = self._wrap(original)
        try:
            yield
        finally:
            for module, original in wrapped:
                vars(module)["_get_kwargs"] = original

    def _wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)  # its signature and annotations: invoke's arguments are made from them
        def _get_kwargs(*args: Any, **kwargs: Any) -> Any:
            self.note(sys._getframe(1))
            return original(*args, **kwargs)

        return _get_kwargs


def probe_client_class(probe: Probe, recorder: _Recorder) -> type:
    """An ``AsyncClient`` whose ``_execute`` holds each operation to the spec instead of sending it."""
    import httpx

    from signalwire_compat._async._client import AsyncClient
    from signalwire_compat._operation_types import Answer
    from signalwire_compat._redaction import Redactor

    class ProbeClient(AsyncClient):
        async def _execute(self, operation: Any, timeout: float | None = None) -> Any:  # noqa: ASYNC109 - the override's
            typed = [place for place, _ in probe.frames(traceback.extract_stack()[:-1])]
            wire = operation.wire
            request = httpx.Request(
                wire.method,
                self.base_url + wire.path,
                params=wire.params,
                content=wire.content,
                headers=dict(wire.headers),
            )
            path = request.url.raw_path.decode("ascii")
            exchange = Exchange(wire.method, path, {k.lower(): v for k, v in request.headers.items()}, request.content)
            matched = probe.contract.match(wire.method, path)
            places = typed + recorder.builder
            lead = (typed or recorder.builder or [""])[0] if probe.calling is not None else ""
            doing = probe.calling or f"client.invoke({operation.name!r})"
            for problem in probe.contract.request_problems(exchange):
                probe.problem(lead, f"the request does not keep to the spec: {problem}", doing)
            if matched is None:
                return None
            name = probe.operation_name(matched.template, matched.method)
            recorder.builder = []
            if probe.calling is not None:  # invoke is every operation's: naming it for each would say nothing
                record_sent(probe, name, matched, exchange, places)
                probe.typed.setdefault(name, []).append(probe.calling)
            status, schema = _success(probe, matched)
            key = (name, getattr(operation.parse, "__qualname__", ""), operation.name)
            answers = documents(probe.document, schema) if schema is not None else [None]
            first = None
            for index, document in enumerate(answers if key not in probe.read else answers[:1]):
                body = b"" if document is None else json.dumps(document).encode()
                response = httpx.Response(
                    status, content=body, headers={"content-type": "application/json"}, request=request
                )
                label = f"{operation.name} answering {status} {_shape(index, document)}"
                try:
                    result = operation.parse(Answer(response, body, Redactor(())))
                except Exception as exc:  # noqa: BLE001 - the overlay failing to read a spec-made answer is the finding
                    probe.failure(exc, label)
                    continue
                read_everything(probe, result, label)
                if schema is not None and hasattr(type(result), "FIELDS"):
                    check_fields(probe, result, schema, label)
                first = first if first is not None else result
            probe.read.add(key)
            return first

    return ProbeClient


def _shape(index: int, document: Any) -> str:
    if document is None:
        return "with no body"
    return ["with every field", "with only the required fields"][index] if index < 2 else "with another enum value"


def _success(probe: Probe, matched: Matched) -> tuple[int, Any]:
    """The lowest 2xx status the operation documents and its schema (None: no body)."""
    responses = probe.spec.responses(matched.spec)
    statuses = sorted(status for status in responses if status.startswith("2") and status.isdigit())
    if not statuses:
        return 200, None
    return int(statuses[0]), responses[statuses[0]]


def record_sent(probe: Probe, name: str, matched: Matched, exchange: Exchange, places: list[str]) -> None:
    """What a typed call sent: for the coverage, and for ``uses``."""
    probe.sent.setdefault(name, set()).update(record_uses(probe, name, matched, exchange, places))


def record_uses(probe: Probe, name: str, matched: Matched, exchange: Exchange, places: list[str]) -> set[str]:
    """The wire names (and enum values) a request sent, each used by the overlay lines ``places``; returns the names."""
    sent: set[str] = set()
    query = dict(parse_qsl(urlsplit(exchange.path).query, keep_blank_values=True))
    body = dict(parse_qsl(exchange.body.decode("ascii"), keep_blank_values=True)) if exchange.body else {}
    enums = probe.names["enums"].get(name, {})
    for parameter in probe.spec.parameters(matched.template, matched.spec).values():
        wire, location = str(parameter["name"]), parameter.get("in")
        if location == "path" or wire in query:
            sent.add(wire)
            probe.use(wire, places)
            if wire in query and f"query {wire}" in enums:
                probe.use(enum_use(enums[f"query {wire}"], query[wire]), places)
    for wire, value in body.items():
        sent.add(wire)
        probe.use(wire, places)
        if f"body {wire}" in enums:
            probe.use(enum_use(enums[f"body {wire}"], value), places)
    return sent


def spec_names(document: Mapping[str, Any]) -> dict[str, Any]:
    """What the probe needs of the generator's naming, made once by the parent (which imports the generator):
    each operation's module name, each request model's schema, each request enum's generated class."""
    from scripts.pipeline.merge_specs import class_name
    from scripts.pipeline.parameter_names import module_name

    spec = _Spec(document)
    operations: dict[str, str] = {}
    models = {spec.class_of(component): f"#/components/schemas/{component}" for component in spec.schemas}
    enums: dict[str, dict[str, str]] = {}
    bodies: dict[str, str] = {}
    for (route, method), operation in spec.operations.items():
        name = operations[f"{method} {route}"] = module_name(route, method, operation)
        owner, found = class_name(name), enums.setdefault(name, {})
        for parameter in spec.parameters(route, operation).values():
            wire, schema = str(parameter["name"]), parameter.get("schema")
            if parameter.get("in") == "query" and spec.enum_values(schema) is not None:
                found[f"query {wire}"] = spec.enum_class(schema) or class_name(owner + class_name(wire))
        body = spec.body(operation)
        schema = _first_schema((body or {}).get("content"))[1]
        if body is None or schema is None:
            continue
        ref = _ref_name(schema)
        body_class = bodies[name] = spec.class_of(ref) if ref else owner + "Body"
        models.setdefault(body_class, f"#/paths/{_pointer(route)}/{method}/requestBody")
        for wire, field in (spec.target(schema).get("properties") or {}).items():
            if spec.enum_values(field) is not None:
                found[f"body {wire}"] = spec.enum_class(field) or class_name(body_class + class_name(str(wire)))
    return {"operations": operations, "models": models, "enums": enums, "bodies": bodies}


def _pointer(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


# -- invoke: every generated operation ------------------------------------------------------------------------


def invoke_arguments(probe: Probe, module: ModuleType, *, everything: bool) -> dict[str, Any] | str:
    """Arguments for ``client.invoke`` of one generated module, from its ``_get_kwargs`` annotations; or why none."""
    function = module._get_kwargs
    annotations = typing.get_type_hints(function)
    found: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name == "account_sid":
            continue
        required = parameter.default is inspect.Parameter.empty
        if not (required or everything):
            continue
        value = _generated_value(probe, name, annotations.get(name, Any))
        if value is _UNMADE:
            if required:
                return f"no value can be made for its argument {name}"
            continue
        found[name] = value
    return found


_UNMADE = object()


def _generated_value(probe: Probe, name: str, hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            if option is not type(None) and getattr(option, "__name__", "") != "Unset":
                return _generated_value(probe, name, option)
        return _UNMADE
    if hint is uuid.UUID:
        return SAMPLE_UUID
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return next(iter(hint))
    if isinstance(hint, type) and hasattr(hint, "from_dict"):
        schema = _model_schema(probe, hint.__name__)
        return _UNMADE if schema is None else hint.from_dict(documents(probe.document, schema)[0])
    if hint is str:
        return _string(name)[-1] if "url" in name.lower() or "callback" in name.lower() else "text"
    if hint is bool:
        return True
    if hint in (int, float):
        return hint(1)
    if hint.__class__.__name__ == "type" and hint.__name__ in ("datetime", "date"):
        return hint.fromisoformat("2021-08-10")
    return _UNMADE


def _model_schema(probe: Probe, model: str) -> Any:
    """The schema of a generated request model, by its class name: a component, or an operation's inline body."""
    pointer = probe.names["models"].get(model)
    if pointer is None:
        return None
    if pointer.endswith("/requestBody"):
        target: Any = probe.document
        for part in pointer[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return _first_schema(probe.spec.resolve(target).get("content"))[1]
    return {"$ref": pointer}


async def invoke_everything(probe: Probe, client: Any) -> None:
    from signalwire_compat import _generated as gen

    for name in gen.operation_names():
        module = gen.find_operation(name)
        for everything in (False, True):
            arguments = invoke_arguments(probe, module, everything=everything)
            if isinstance(arguments, str):
                probe.problem("", arguments, f"client.invoke({name!r})")
                break
            try:
                await client.invoke(name, **arguments)
            except Exception as exc:  # noqa: BLE001 - whatever invoke raises on a spec-made request is the finding
                probe.failure(exc, f"client.invoke({name!r}, {', '.join(arguments)})")


# -- FakeSpace ------------------------------------------------------------------------------------------------


# FakeSpace's answers that depend on what earlier typed calls did to a resource (a call they ended, a call the
# probe's app has not answered yet), not on its rules: a refusal one of these built is not a rule of its own.
STATE_REFUSALS = ("(not_in_progress)",)
# The document the probe's calls run (their URLs are https://example.com/..., which FakeSpace hands to this app):
# a long pause on a clock that does not move, so a call stays in progress until a typed call ends it.
PROBE_DOCUMENT = b'<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="600"/></Response>'


def probe_app(environ: Mapping[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """A WSGI app answering every webhook and callback with ``PROBE_DOCUMENT``."""
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [PROBE_DOCUMENT]


class _Fake:
    """FakeSpace as the probe sees it: which of its functions built an answer (a profile hook noting what
    its functions return), the sid it last created, and its refusals of the typed calls."""

    def __init__(self, probe: Probe, space: Any, package: Path) -> None:
        self.probe, self.space, self.package = probe, space, str(package.resolve())
        self.returned: list[tuple[str, object]] = []

    def __call__(self, frame: FrameType, event: str, arg: object) -> None:
        if event != "return" or not frame.f_code.co_filename.startswith(self.package):
            return
        body = getattr(arg, "body", arg)
        if isinstance(body, dict | bytes):
            path = self.probe._overlay_path(frame.f_code.co_filename)
            self.returned.append((f"{path}:{frame.f_lineno} ({frame.f_code.co_name})", body))

    def producers(self, body: bytes) -> list[str]:
        """The FakeSpace functions that built or carried ``body``, innermost first."""
        try:
            document = json.loads(body)
        except ValueError:
            document = None
        found = []
        for place, value in self.returned:
            if value in (document, body) and place not in found:
                found.append(place)
        return found

    def problem(self, body: bytes, what: str, doing: str) -> None:
        places = self.producers(body) or [""]
        self.probe.problem(places[0], what, doing, tuple(places[1:]))

    def last_sid(self) -> str | None:
        """The ``sid`` of the last document FakeSpace answered with (what a create made)."""
        for request in reversed(self.space.requests):
            if 200 <= request.status < 300:
                try:
                    sid = json.loads(request.response_body).get("sid")
                except (ValueError, AttributeError):
                    continue
                return sid if isinstance(sid, str) else None
        return None

    def refused(self, exc: Exception, label: str) -> bool:
        """A typed call FakeSpace refused (the spec pass found the request kept to the spec): its rules differ,
        unless the answer is one of ``STATE_REFUSALS``."""
        from signalwire_compat import APIResponseValidationError, APIStatusError

        requests = self.space.requests
        if isinstance(exc, APIStatusError) and requests:
            built_by = self.producers(requests[-1].response_body)
            if any(place.endswith(STATE_REFUSALS) for place in built_by):
                return True
        if isinstance(exc, APIStatusError) and exc.response is not None:
            what = f"FakeSpace refuses a request the spec allows: {exc.status_code} {exc.message}"
        elif isinstance(exc, APIResponseValidationError) and exc.response is not None:
            what = f"FakeSpace answers what the overlay cannot read: {exc}"
        else:
            return False
        requests = self.space.requests  # the answer as FakeSpace sent it (the error's copy has secrets redacted)
        self.problem(requests[-1].response_body if requests else exc.response.content, what, label)
        return True


async def fake_space(probe: Probe, overlay: Path) -> list[str]:
    """The typed calls against an in-process FakeSpace; every answer it gives held to the spec.
    Returns the operations it answered."""
    import httpx

    from signalwire_compat.testing import FakeSpace, ManualClock

    answered: set[str] = set()
    misses: dict[str, Any] = {}
    with FakeSpace(
        listen=False, callback_app=probe_app, callback_app_url="https://example.com/", clock=ManualClock()
    ) as space:
        fake = _Fake(probe, space, overlay / "signalwire_compat" / "testing")
        sys.setprofile(fake)
        try:
            async with space.async_client(in_process=True, max_retries=0) as client:
                await Walker(probe, fake).walk(client)
            recorded = space.requests
            async with httpx.AsyncClient(transport=space.async_transport(), base_url="http://fake") as http:
                for request in _distinct(recorded):
                    headers = {k: v for k, v in request.headers.items() if k not in ("authorization", "content-length")}
                    await http.request(request.method, request.path, headers=headers, content=request.body)
                    if request.body:
                        bare = {k: v for k, v in request.headers.items() if k != "content-length"}
                        await http.request(request.method, request.path, headers=bare, content=b"")
            recorded = space.requests
        finally:
            sys.setprofile(None)
    for request in recorded:
        exchange = Exchange.recorded(request)
        matched = probe.contract.match(request.method, request.path)
        name = probe.operation_name(matched.template, matched.method) if matched else "no operation"
        if matched is not None and request.status not in (404, 405):
            answered.add(name)
        elif matched is not None:
            misses.setdefault(name, request)
        for problem in probe.contract.response_problems(exchange):
            fake.problem(request.response_body, f"FakeSpace answers what the spec does not document: {problem}", name)
    for name, calls in sorted(probe.typed.items()):
        if name not in answered and name in misses:
            what = f"FakeSpace does not answer {name} ({misses[name].status}), which a typed call sends"
            fake.problem(misses[name].response_body, what, calls[0])
    return sorted(answered)


def _distinct(recorded: list[Any]) -> Iterator[Any]:
    seen = set()
    for request in recorded:
        key = (request.method, request.path)
        if key not in seen and 200 <= request.status < 300:
            seen.add(key)
            yield request


# -- the run -----------------------------------------------------------------------------------------------------


async def run(probe: Probe, overlay: Path, generated: Path, *, uses_only: bool = False) -> list[str]:
    """The three passes; ``uses_only``: the typed calls alone (which lines send what), for the change report."""
    import httpx

    recorder = _Recorder(probe, generated)
    client_class = probe_client_class(probe, recorder)
    unused = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(599)))  # never sent to
    client = client_class(
        str(uuid.UUID(int=1)), "PT" + "probe" * 8, "http://127.0.0.1:9", http_client=unused, max_retries=0
    )
    with recorder.recording():
        await Walker(probe).walk(client)
        probe.calling = None
        if not uses_only:
            await invoke_everything(probe, client)
    return [] if uses_only else await fake_space(probe, overlay)


def _wrapped() -> set[str]:
    """The operations the seam holds an endpoint module of (``update_stream = find_operation(...)``)."""
    from signalwire_compat import _generated as gen

    return {value.__name__.rsplit(".", 1)[-1] for value in vars(gen).values() if isinstance(value, ModuleType)}


def coverage(probe: Probe, generated_operations: list[str]) -> list[str]:
    """What no typed call sends: operations neither sent nor held by the seam, and the query parameters and
    request fields of the operations sent that no variant of their typed calls sent."""
    wrapped = _wrapped() if generated_operations else set()
    lines = [f"operation {name}" for name in generated_operations if name not in probe.sent and name not in wrapped]
    for (route, method), operation in sorted(probe.spec.operations.items()):
        name = probe.operation_name(route, method)
        sent = probe.sent.get(name)
        if sent is None:
            continue
        families = {family(wire) for wire in sent}
        for parameter in probe.spec.parameters(route, operation).values():
            wire = str(parameter["name"])
            if parameter.get("in") == "query" and wire not in sent and family(wire) not in families:
                lines.append(f"query parameter '{wire}' of {name}")
        body = probe.spec.body(operation)
        schema = _first_schema((body or {}).get("content"))[1]
        owner = probe.names["bodies"].get(name, "")
        for wire in (probe.spec.target(schema) or {}).get("properties") or {}:
            if wire not in sent and family(str(wire)) not in families:
                lines.append(f"request field '{wire}' of {owner} ({name})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--overlay", type=Path, required=True, help="the folder holding signalwire_compat")
    parser.add_argument("--generated", type=Path, required=True, help="the folder holding signalwire_compat_generated")
    parser.add_argument("--spec", type=Path, required=True, help="the merged spec the client was generated from")
    parser.add_argument("--names", type=Path, help="spec_names() of the spec as JSON (default: made here, slower)")
    parser.add_argument("--uses-only", action="store_true", help="only which overlay lines send what (no checks)")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(args.overlay.resolve()), str(args.generated.resolve())]
    document = load_yaml(args.spec.read_text(encoding="utf-8"))
    names = json.loads(args.names.read_text(encoding="utf-8")) if args.names else spec_names(document)
    probe = Probe(args.overlay, document, names)
    answered: list[str] = []
    operations: list[str] = []
    try:
        from signalwire_compat import _generated as gen

        operations = gen.operation_names()
        answered = asyncio.run(run(probe, args.overlay, args.generated, uses_only=args.uses_only))
    except Exception as exc:  # noqa: BLE001 - an overlay that cannot even be imported or run is the finding
        probe.failure(exc, "running the overlay")
    print(
        json.dumps(
            {
                "problems": [problem._asdict() for problem in probe.problems.values()],
                "coverage": coverage(probe, operations),
                "uses": {key: sorted(places) for key, places in sorted(probe.uses.items())},
                "fake_answers": answered,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
