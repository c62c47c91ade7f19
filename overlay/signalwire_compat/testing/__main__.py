"""``python -m signalwire_compat.testing``: ``signalwire-compat fake`` by its older name (same options)."""

from __future__ import annotations

from collections.abc import Sequence

from .._cli._fake import _watch, record
from .._cli._fake import main as _main

__all__ = ["PROG", "_watch", "main", "record"]

PROG = "python -m signalwire_compat.testing"


def main(argv: Sequence[str] | None = None) -> int:
    return _main(argv, prog=PROG)


if __name__ == "__main__":
    raise SystemExit(main())
