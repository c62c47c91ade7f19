"""``client.invoke``'s argument checks, from the generated types: enums (a plain ``str`` accepted), URLs, secrets.

The typed wrappers check what they send field by field; ``invoke`` reaches operations no wrapper
knows, so it reads the generated function's and models' annotations instead: an enum-typed value
given as a ``str`` becomes the member (or a ``ValueError`` listing the values), a ``…url`` or
``…callback`` field must be an absolute ``https``/``http``/``wss`` URL (``ws://`` is refused, as the
API does), and the values of secret-shaped fields (``…token``, ``…secret``, ``…password``, …)
become the operation's secrets, which the clients redact from every error.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from typing import Any

import attrs

from ._validation import validate_choice, validate_url

__all__ = ["body_problem", "checked_value", "type_hints"]

_SECRET = re.compile(r"token|secret|password|passwd|credential|api_?key|signing_?key", re.IGNORECASE)
_URL = re.compile(r"(?:^|_)(?:url|callback)$", re.IGNORECASE)
_URL_SCHEMES = ("https", "http", "wss")


def type_hints(owner: Any) -> dict[str, Any]:
    """The resolved annotations of a generated function or model class (empty if they cannot be resolved)."""
    try:
        return typing.get_type_hints(owner)
    except (NameError, TypeError, AttributeError):
        return {}


def _options(hint: Any) -> tuple[Any, ...]:
    """What a hint allows: each member of a union (``X | Unset``), or the hint itself."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return typing.get_args(hint)
    return (hint,)


def _enum_in(hint: Any) -> type[enum.Enum] | None:
    """The enum class a hint such as ``XStatus | Unset`` allows, if exactly one."""
    found = [option for option in _options(hint) if isinstance(option, type) and issubclass(option, enum.Enum)]
    return found[0] if len(found) == 1 else None


def body_problem(operation: str, value: object, hint: Any) -> str | None:
    """Why ``value`` cannot be the ``body`` of ``operation`` (annotated ``hint``), or None.

    The generated code calls ``body.to_dict()`` on whatever it is given: None, a ``str`` or a ``list``
    would fail inside it, and another operation's model would be sent as this one's.
    """
    options = [option for option in _options(hint) if isinstance(option, type)]
    models = [option for option in options if hasattr(option, "from_dict")]
    if not models:  # annotations that cannot be resolved: a dict is still no model
        return f"{operation}: body must be the generated request model, not a dict" if isinstance(value, dict) else None
    if isinstance(value, tuple(options)):
        return None
    model, package = models[0].__name__, models[0].__module__.rpartition(".")[0]
    given = {type(None): "None", dict: "a dict", str: "a str", bytes: "bytes", list: "a list"}.get(type(value))
    optional = len(options) > len(models)  # X | Unset: the body may be left out
    return (
        f"{operation}: body must be a {model}, not {given or type(value).__name__}: pass body={model}(...) "
        f"or {model}.from_dict({{...}}) (from {package} import {model}){', or leave body out' if optional else ''}"
    )


def _is_model(value: object) -> bool:
    return attrs.has(type(value)) and hasattr(value, "to_dict") and hasattr(value, "additional_properties")


def _checked_model(model: Any, secrets: list[str]) -> Any:
    hints = type_hints(type(model))
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(model)):
        if field.init:
            value = getattr(model, field.name)
            checked = checked_value(field.name, value, hints.get(field.name), secrets)
            if checked is not value:
                changes[field.name] = checked
    for name, value in model.additional_properties.items():
        if isinstance(value, str) and value and _SECRET.search(name):
            secrets.append(value)
    if not changes:
        return model
    copy = attrs.evolve(model, **changes)  # the caller's model is left as given
    copy.additional_properties = dict(model.additional_properties)
    return copy


def checked_value(name: str, value: Any, hint: Any, secrets: list[str]) -> Any:
    """``value`` of the argument or field ``name`` (annotated ``hint``), checked; secret values appended to
    ``secrets``. A generated model is checked field by field (a copy is returned if anything changes)."""
    if _is_model(value):
        return _checked_model(value, secrets)
    choices = _enum_in(hint)
    if choices is not None and isinstance(value, str) and not isinstance(value, choices):
        return validate_choice(value, name, choices)
    if isinstance(value, str):
        if _URL.search(name):
            validate_url(value, name, _URL_SCHEMES)
        if value and _SECRET.search(name):
            secrets.append(value)
    return value
