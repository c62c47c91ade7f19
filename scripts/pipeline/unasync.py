"""Derive the sync client from the async one: ``overlay/signalwire_compat/_async/`` → ``_sync/``.

The async modules are the source; this script rewrites them token by token (``async def`` →
``def``, ``await x`` → ``x``, ``AsyncClient`` → ``Client``, ...) as httpcore's ``unasync.py`` does,
and writes the result with a header saying so. ``--check`` writes nothing and fails when the
committed ``_sync/`` differs from what the source gives (``make drift`` runs it). Either way, a rule
that no longer changes anything in the source fails the run, naming it: a stale rule would
silently rewrite a name the day it comes back with another meaning (httpcore's script does the same).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "overlay" / "signalwire_compat" / "_async"
TARGET = ROOT / "overlay" / "signalwire_compat" / "_sync"

# Whole identifiers (or words in docstrings) and their sync twins. Order does not matter: each
# token is looked up once.
SUBSTITUTIONS = {
    "AsyncClient": "Client",
    "AsyncClientLike": "ClientLike",
    "AsyncClientWithRawResponse": "ClientWithRawResponse",
    "AsyncInvoke": "Invoke",
    "AsyncCallContext": "CallContext",
    "AsyncCalls": "Calls",
    "AsyncCallStreams": "CallStreams",
    "AsyncCallStreamContext": "CallStreamContext",
    "AsyncConferenceContext": "ConferenceContext",
    "AsyncConferenceStreams": "ConferenceStreams",
    "AsyncConferenceStreamContext": "ConferenceStreamContext",
    "_AsyncOwner": "_Owner",
    "_AsyncStreams": "_Streams",
    "_AsyncStreamContext": "_StreamContext",
    "new_async_http_client": "new_sync_http_client",
    "aclose": "close",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "aiter_raw": "iter_raw",
    "asyncio": "time",
    "asynchronous": "synchronous",
}
_IDENTIFIER = re.compile(r"\b(" + "|".join(re.escape(name) for name in SUBSTITUTIONS) + r")\b")
# Keyword rewrites: `async def`/`async with`/`async for` lose `async`, `await x` becomes `x`.
_KEYWORDS = {
    "async def": (re.compile(r"\basync def\b"), "def"),
    "async with": (re.compile(r"\basync with\b"), "with"),
    "async for": (re.compile(r"\basync for\b"), "for"),
    "await": (re.compile(r"\bawait "), ""),
}
# `import time` twice once asyncio becomes time: the sync module sleeps with time.sleep.
_DUPLICATE_IMPORT = re.compile(r"^import time\n(?=import time\n)", re.MULTILINE)
_DUPLICATE_IMPORT_RULE = "import time (twice)"
HEADER = "# Derived from _async/{name} by scripts/pipeline/unasync.py: edit that file and run `make generate`.\n"


def unasync_text(text: str, used: set[str] | None = None) -> str:
    """The sync twin of one async module's source; the rules that changed it are added to ``used``."""
    found: set[str] = set()
    for rule, (pattern, replacement) in _KEYWORDS.items():
        text, count = pattern.subn(replacement, text)
        if count:
            found.add(rule)

    def substitute(match: re.Match[str]) -> str:
        found.add(match.group(1))
        return SUBSTITUTIONS[match.group(1)]

    text = _IDENTIFIER.sub(substitute, text)
    text, count = _DUPLICATE_IMPORT.subn("", text)
    if count:
        found.add(_DUPLICATE_IMPORT_RULE)
    if used is not None:
        used |= found
    return text


def unused_rules() -> list[str]:
    """The rules that change nothing in the async source (stale: remove them here)."""
    used: set[str] = set()
    for source in sorted(SOURCE.glob("*.py")):
        unasync_text(source.read_text(encoding="utf-8"), used)
    rules = [*_KEYWORDS, *SUBSTITUTIONS, _DUPLICATE_IMPORT_RULE]
    return [rule for rule in rules if rule not in used]


def ruff(arguments: list[str], text: str, path: Path) -> str:
    """``text`` through the project's pinned ruff (``ruff ARGUMENTS``, e.g. ``["format"]``) under ``path``'s
    settings; its output, or ``ValueError`` with ruff's message."""
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # the pinned ruff, started directly

    result = subprocess.run(
        [find_ruff_bin(), *arguments, "--quiet", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise ValueError((result.stderr or result.stdout).strip())
    return result.stdout


def formatted(text: str, path: Path) -> str:
    """``text`` as the project's pinned ruff formats it (shorter sync lines may join), under ``path``'s settings."""
    try:
        return ruff(["format"], text, path)
    except ValueError as exc:
        raise SystemExit(f"unasync: ruff could not format {path.name}: {exc}") from None


def derived() -> dict[Path, str]:
    """Every file of ``_sync/`` as the async source gives it."""
    files = {}
    for source in sorted(SOURCE.glob("*.py")):
        target = TARGET / source.name
        body = unasync_text(source.read_text(encoding="utf-8"))
        files[target] = formatted(HEADER.format(name=source.name) + body, target)
    return files


def drift() -> list[str]:
    """The ``_sync/`` files that differ from the source (missing, changed or extra), as relative paths."""
    expected = derived()
    present = set(TARGET.glob("*.py"))
    problems = []
    for path, text in expected.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            problems.append(str(path.relative_to(ROOT)))
    problems.extend(str(path.relative_to(ROOT)) for path in sorted(present - set(expected)))
    return problems


def write() -> None:
    TARGET.mkdir(exist_ok=True)
    expected = derived()
    for path in set(TARGET.glob("*.py")) - set(expected):
        path.unlink()
    for path, text in expected.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed _sync/ differs; write nothing")
    args = parser.parse_args(argv)
    status = 0
    if args.check:
        problems = drift()
        if problems:
            print("unasync: the sync client differs from its async source (run `make generate`):", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            status = 1
    else:
        write()
    stale = unused_rules()
    if stale:
        print(
            "unasync: these rules match nothing in the async source (remove them from scripts/pipeline/unasync.py):",
            file=sys.stderr,
        )
        for rule in stale:
            print(f"  {rule}", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
