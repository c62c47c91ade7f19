"""``signalwire-compat lint-cxml FILE|-``: check a cXML document; exit 0 valid, 1 invalid, 2 usage or unreadable."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, Any

__all__ = ["main"]

PROG = "signalwire-compat lint-cxml"
USAGE = f"usage: {PROG} FILE   (or - for stdin)"
HELP = f"""{USAGE}

Check a cXML voice document the way signalwire_compat.cxml builds one: well-formed XML without a
DTD or entities, <Response> at the root, and the documented rules of <Start>/<Connect>/<Stop>
<Stream>, <Parameter>, <Dial><Conference>, <Say>, <Pause>, <Hangup>, <Redirect> (other verbs are
accepted unchecked). Prints 'valid' or the first problem with its line. Reads at most 1 MiB (and
one byte more, to tell a larger document, which is invalid) in the encoding the document declares.

exit codes:
  0  valid    1  invalid    2  usage error or unreadable file
"""


def _read_at_most(source: IO[Any], limit: int) -> str | bytes:
    """Up to ``limit`` bytes (characters, from a text stream): one byte more than parse takes says "too
    large" without reading the rest, which may never end (a pipe, a device)."""
    parts = [source.read(limit)]
    size = len(parts[0])
    while parts[-1] and size < limit:  # a raw stream may return less than asked before its end
        parts.append(source.read(limit - size))
        size += len(parts[-1])
    document: str | bytes = parts[0][:0].join(parts)
    return document


def main(
    argv: Sequence[str],
    *,
    stdin: IO[str] | IO[bytes] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    from .._exceptions import CXMLError
    from ._parse import MAX_BYTES, parse

    out, err = stdout or sys.stdout, stderr or sys.stderr
    if list(argv) in (["-h"], ["--help"]):
        out.write(HELP)
        return 0
    if len(argv) != 1 or (argv[0].startswith("-") and argv[0] != "-"):
        err.write(f"{USAGE}\n")
        return 2
    path = argv[0]
    try:
        if path == "-":
            document = _read_at_most(stdin or sys.stdin.buffer, MAX_BYTES + 1)
        else:
            with open(path, "rb") as file:
                document = _read_at_most(file, MAX_BYTES + 1)
    except OSError as error:
        err.write(f"{PROG}: cannot read {path}: {error.strerror or error}\n")
        return 2
    except UnicodeDecodeError as error:  # a text stream given by a caller
        err.write(f"{PROG}: cannot read {path}: not text in its encoding ({error.reason})\n")
        return 2
    try:
        parse(document)
    except CXMLError as error:
        out.write(f"{path}: invalid: {error}\n")
        return 1
    out.write(f"{path}: valid\n")
    return 0
