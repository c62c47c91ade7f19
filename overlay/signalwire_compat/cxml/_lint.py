"""``signalwire-compat lint-cxml FILE|-``: check a cXML document; exit 0 valid, 1 invalid, 2 usage or unreadable."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO

__all__ = ["main"]

PROG = "signalwire-compat lint-cxml"
USAGE = f"usage: {PROG} FILE   (or - for stdin)"
HELP = f"""{USAGE}

Check a cXML voice document the way signalwire_compat.cxml builds one: well-formed XML without a
DTD or entities, <Response> at the root, and the documented rules of <Start>/<Connect>/<Stop>
<Stream>, <Parameter>, <Dial><Conference>, <Say>, <Pause>, <Hangup>, <Redirect> (other verbs are
accepted unchecked). Prints 'valid' or the first problem with its line.

exit codes:
  0  valid    1  invalid    2  usage error or unreadable file
"""


def main(
    argv: Sequence[str],
    *,
    stdin: IO[str] | IO[bytes] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    from .._exceptions import CXMLError
    from ._parse import parse

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
            document: str | bytes = (stdin or sys.stdin.buffer).read()
        else:
            with open(path, "rb") as file:
                document = file.read()
    except OSError as error:
        err.write(f"{PROG}: cannot read {path}: {error.strerror or error}\n")
        return 2
    try:
        parse(document)
    except CXMLError as error:
        out.write(f"{path}: invalid: {error}\n")
        return 1
    out.write(f"{path}: valid\n")
    return 0
