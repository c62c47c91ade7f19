"""``signalwire-compat stop-stream --stdin``: many stops from stdin, in flight at once, with progress."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    SignalWireError,
)
from .._models import CallStream, ConferenceStream
from ._common import (
    _client_options,
    _credentials_hint,
    _exit_code,
    _one_line,
    result_json,
)
from ._parser import (
    EXIT_API_ERROR,
    EXIT_BULK_FAILURES,
    EXIT_BULK_STOPPED,
    EXIT_CONNECTION,
    EXIT_INTERRUPTED,
    EXIT_OK,
    PROG,
)

if TYPE_CHECKING:
    from .._async._client import AsyncClient


_BLANKS = " \t"
_FIELD_SEPARATOR = re.compile(f"[{_BLANKS}]+")


def _input_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, line)`` for each line that asks for a stop: blank lines and comments left out.

    Lines end at ``\n`` only (and a ``\r`` before it): ``str.splitlines`` would also cut at U+2028,
    U+0085 and other characters a stream name may hold. Only a line whose first non-blank character
    is ``#`` is a comment; a ``#`` anywhere else is part of the line (``agent#2`` is a name).
    """
    jobs = []
    for number, line in enumerate(text.split("\n"), 1):
        content = line.removesuffix("\r").strip(_BLANKS)
        if content and not content.startswith("#"):
            jobs.append((number, content))
    return jobs


def _parse_line(text: str) -> tuple[str, str, str]:
    """``call|conference SID STREAM``: fields apart by spaces or tabs; STREAM is the rest of the line
    (a name may hold spaces), never a part of it."""
    parts = _FIELD_SEPARATOR.split(text.strip(_BLANKS), maxsplit=2)
    if len(parts) != 3 or parts[0].lower() not in ("call", "conference"):
        raise ValueError(f"expected 'call CALL_SID STREAM' or 'conference CONFERENCE_SID STREAM', got {text!r}")
    return parts[0].lower(), parts[1], parts[2]


def _ranges(numbers: Sequence[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class _Progress:
    """A one-line counter on stderr, only when stderr is a terminal; cleared before each result line."""

    def __init__(self, stream: IO[str], total: int) -> None:
        self._stream = stream
        self._total = total
        self._enabled = stream.isatty()
        self._shown = False
        self._last = 0.0

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._shown = False

    def update(self, done: int, stopped: int) -> None:
        now = time.monotonic()
        if not self._enabled or now - self._last < 0.1:
            return
        self._last = now
        self._stream.write(f"\r{done}/{self._total} done, {stopped} stopped, {done - stopped} failed")
        self._stream.flush()
        self._shown = True


class _BulkRun:
    """``stop-stream --stdin``: every line stopped concurrently, at most ``concurrency`` in flight,
    in order of taking; what happened to each line is known even if the run is cut short."""

    def __init__(
        self,
        jobs: list[tuple[int, str]],
        *,
        client_options: dict[str, Any],
        concurrency: int,
        keep_going: bool,
        stdout: IO[str],
        stderr: IO[str],
    ) -> None:
        self.client_options = client_options
        self.jobs = jobs
        self.concurrency = concurrency
        self.keep_going = keep_going
        self.stdout, self.stderr = stdout, stderr
        self.counts = {"stopped": 0, "api_error": 0, "connection_error": 0, "bad_line": 0}
        self.next_job = 0
        self.in_flight: set[int] = set()
        self.answered = False  # the space has answered at least one line (any HTTP status)
        self.stop_reason: str | None = None
        self.progress = _Progress(stderr, len(self.jobs))

    @property
    def not_sent(self) -> list[int]:
        return [number for number, _ in self.jobs[self.next_job :]]

    async def run(self) -> None:
        from .._async._client import AsyncClient

        async with AsyncClient(**self.client_options) as client:
            workers = min(self.concurrency, max(len(self.jobs), 1))
            await asyncio.gather(*(self._worker(client) for _ in range(workers)))
        self.progress.clear()

    async def _worker(self, client: AsyncClient) -> None:
        while self.stop_reason is None and self.next_job < len(self.jobs):
            number, text = self.jobs[self.next_job]
            self.next_job += 1
            self.in_flight.add(number)
            record: dict[str, Any] = {"line": number, "input": text}
            try:
                kind, parent, stream_ref = _parse_line(text)
                if kind == "call":
                    stream: CallStream | ConferenceStream = await client.calls(parent).streams(stream_ref).stop()
                else:
                    stream = await client.conferences(parent).streams(stream_ref).stop()
            except (SignalWireError, ValueError) as error:
                self._failed(record, error)
            else:
                self.answered = True
                self.counts["stopped"] += 1
                record |= {"ok": True, "result": result_json(stream)}
            self.in_flight.discard(number)
            self._emit(record)

    def _failed(self, record: dict[str, Any], error: BaseException) -> None:
        code = _exit_code(error)
        key = {EXIT_API_ERROR: "api_error", EXIT_CONNECTION: "connection_error"}.get(code, "bad_line")
        self.counts[key] += 1
        record |= {"ok": False, "error": _one_line(error), "error_type": type(error).__name__}
        if isinstance(error, APIStatusError):
            self.answered = True
            record["status_code"] = error.status_code
        if self.keep_going or self.stop_reason is not None:
            return
        if hint := _credentials_hint(error):
            self.stop_reason = f"line {record['line']}: {hint}"
        elif isinstance(error, APIConnectionError) and not error.request_sent and not self.answered:
            self.stop_reason = f"line {record['line']}: the space cannot be reached ({_one_line(error)})"

    def _emit(self, record: dict[str, Any]) -> None:
        self.progress.clear()
        self.stdout.write(json.dumps(record) + "\n")
        self.stdout.flush()
        done = sum(self.counts.values())
        self.progress.update(done, self.counts["stopped"])

    def summary(self) -> str:
        done = sum(self.counts.values())
        failed = done - self.counts["stopped"]
        return (
            f"{PROG}: {self.counts['stopped']} of {len(self.jobs)} streams stopped, {failed} failed "
            f"({_plural(self.counts['api_error'], 'API error')}, "
            f"{_plural(self.counts['connection_error'], 'connection error')}, "
            f"{_plural(self.counts['bad_line'], 'bad line')})"
        )

    def interrupted_summary(self) -> str:
        parts = [f"{PROG}: interrupted"]
        if self.in_flight:
            parts.append(f"lines {_ranges(sorted(self.in_flight))} were in flight (outcome unknown: check them)")
        if self.not_sent:
            parts.append(f"lines {_ranges(self.not_sent)} were not sent")
        return "; ".join(parts)


def _stop_many(args: argparse.Namespace, text: str, stdout: IO[str], stderr: IO[str]) -> int:
    """Stop every line of ``text`` (stdin's whole content)."""
    run = _BulkRun(
        _input_lines(text),
        client_options=_client_options(args),
        concurrency=args.concurrency,
        keep_going=args.keep_going,
        stdout=stdout,
        stderr=stderr,
    )
    try:
        asyncio.run(run.run())
    except KeyboardInterrupt:
        run.progress.clear()
        stderr.write(run.interrupted_summary() + "\n")
        return EXIT_INTERRUPTED
    stderr.write(run.summary() + "\n")
    if run.stop_reason is not None:
        not_sent = run.not_sent
        stderr.write(
            f"{PROG}: stopped sending after {run.stop_reason}; {_plural(len(not_sent), 'line')} not attempted"
            + (f" ({_ranges(not_sent)})" if not_sent else "")
            + "; --keep-going sends every line anyway\n"
        )
        return EXIT_BULK_STOPPED
    failed = sum(run.counts.values()) - run.counts["stopped"]
    return EXIT_OK if failed == 0 else EXIT_BULK_FAILURES


# -- entry point -------------------------------------------------------------------------------------
