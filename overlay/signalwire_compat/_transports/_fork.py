"""After ``fork()``, the child gets new connection pools: each engine registers here to be told.

A leaf module. The parent's connections stay the parent's in the child: they are kept referenced
and never closed there (closing a TLS connection would write to a socket the parent still uses).
"""

from __future__ import annotations

import os
import weakref
from typing import Any, Protocol

__all__ = ["ForkAware", "abandon", "register"]


class ForkAware(Protocol):
    """An engine that can drop its pool for a new one in a forked child."""

    def _forget_parents_connections(self) -> None: ...


_LIVE: weakref.WeakSet[ForkAware] = weakref.WeakSet()
_ABANDONED: list[Any] = []


def register(engine: ForkAware) -> None:
    """Have ``engine`` told, in a forked child, to stop using its parent's connections."""
    _LIVE.add(engine)


def abandon(connections: Any) -> None:
    """Keep ``connections`` (the parent's) alive and untouched for the rest of the child's life."""
    _ABANDONED.append(connections)


def _after_fork_in_child() -> None:
    for engine in list(_LIVE):
        engine._forget_parents_connections()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork()
    os.register_at_fork(after_in_child=_after_fork_in_child)
