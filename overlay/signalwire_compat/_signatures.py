"""Signatures that name what ``**options: Unpack[SomeTypedDict]`` accepts, for ``help()`` and ``inspect``.

Type checkers read ``Unpack`` themselves; ``help()`` would show only ``**options``. ``keywords_of``
gives such a function a ``__signature__`` with the ``TypedDict``'s keys as keyword-only arguments.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["keywords_of"]

F = TypeVar("F", bound=Callable[..., Any])


def keywords_of(options: type) -> Callable[[F], F]:
    """Decorator: the function's ``**options`` shown as ``options``' keys (a ``TypedDict`` whose keys are
    all optional), each a keyword-only argument defaulting to None, typed as the ``TypedDict`` says."""
    hints = typing.get_type_hints(options)

    def decorate(function: F) -> F:
        signature = inspect.signature(function)
        kept = [parameter for parameter in signature.parameters.values() if parameter.kind is not parameter.VAR_KEYWORD]
        taken = {parameter.name for parameter in kept}
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=hint)
            for name, hint in hints.items()
            if name not in taken
        ]
        function.__dict__["__signature__"] = signature.replace(parameters=[*kept, *added])
        return function

    return decorate
