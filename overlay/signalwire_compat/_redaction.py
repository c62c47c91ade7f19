"""Removing the SDK's secrets from text, bytes and the ``httpx``/``httpcore`` log records, in every form a
server may echo them: literal, percent-encoded (as a form body carries them; either hex case, or encoded
twice), JSON-escaped (``\\/``, ``\\u00XX``), as XML/HTML character references, and base64 (Basic auth);
each character in any of these forms, so a mix of them is caught too.

A server may quote a secret back in an error (its reason phrase, body or headers) and a library may
cut that quote short (aiohttp's error excerpts): a base64 credential is redacted from the point its
text starts to carry token bits, however much of it follows.

A secret shorter than ``MIN_SECRET_CHARS`` cannot be told apart from ordinary text (a one-letter token
is in every word that holds that letter): it is redacted only where it stands alone, never inside a
word. The clients refuse an API token that short (``_config``); an operation's own secrets (a
stream's bearer token) are the caller's to choose.
"""

from __future__ import annotations

import functools
import logging
import re
import weakref
from collections.abc import Iterable
from typing import NamedTuple, TypeVar

__all__ = [
    "MIN_SECRET_CHARS",
    "REDACTED",
    "Redactor",
    "credentials_redactor",
    "secrets_filter",
    "unwatch_logs",
    "watch_logs",
]

REDACTED = "[redacted]"
_REDACTED_BYTES = REDACTED.encode("ascii")
AnyStr = TypeVar("AnyStr", str, bytes)
MIN_SECRET_CHARS = 8
# A truncated base64 credential is redacted once it carries this many characters of the token (18 bits).
_TOKEN_CHARS_THAT_MATTER = 3
_MIN_LITERAL_PREFIX = 12
_WORD = "0-9A-Za-z"
_JSON_SHORT = {'"': '"', "\\": "\\", "/": "/", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t"}
_XML_NAMED = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos"}


class Redactor:
    """Replaces each secret (each rule: the full text and how much of its start already counts) by ``[redacted]``."""

    __slots__ = ("__weakref__", "_compiled", "_parent", "_rules")

    def __init__(self, rules: Iterable[tuple[str, int]]) -> None:
        unique = {full: max(1, shortest) for full, shortest in rules if full}
        # Longest first: a secret may contain another one.
        self._rules = tuple(sorted(unique.items(), key=lambda rule: -len(rule[0])))
        self._compiled: tuple[_Rule, ...] | None = None
        self._parent: Redactor | None = None

    def plus(self, secrets: Iterable[str]) -> Redactor:
        """This redactor and ``secrets`` (an operation's, e.g. a stream's bearer token)."""
        extra = [(secret, len(secret)) for secret in secrets if secret]
        if not extra:
            return self
        derived = Redactor((*self._rules, *extra))
        derived._parent = self  # its rules are compiled once, in the client's redactor, not per call
        return derived

    def text(self, text: str) -> str:
        for rule in self._patterns():
            text = _replace(text, rule.text_head, rule.text_rest, REDACTED)
        return text

    def data(self, data: bytes) -> bytes:
        for rule in self._patterns():
            data = _replace(data, rule.data_head, rule.data_rest, _REDACTED_BYTES)
        return data

    def _patterns(self) -> tuple[_Rule, ...]:
        # Compiled on first use: most redactors (one per call with a secret) never redact anything.
        if self._compiled is None:
            known = dict(zip(self._parent._rules, self._parent._patterns(), strict=True)) if self._parent else {}
            self._compiled = tuple(known.get(rule) or _Rule.of(*rule) for rule in self._rules)
        return self._compiled


def credentials_redactor(project_id: str, api_token: str, basic: str) -> Redactor:
    """The client's redactor: its API token (and truncations of it) and ``basic``, the base64 of ``project:token``."""
    rules = [(api_token, min(len(api_token), max(_MIN_LITERAL_PREFIX, len(api_token) // 2)))]
    # Characters before this index encode only "project_id:", which is no secret.
    public = len(f"{project_id}:".encode()) * 8 // 6
    rules.append((basic, min(len(basic), public + _TOKEN_CHARS_THAT_MATTER)))
    return Redactor(rules)


class _Rule(NamedTuple):
    """One secret as patterns over text and over bytes: its first characters (each in any form), then each
    of the rest, matched one by one for as long as the secret continues."""

    text_head: re.Pattern[str]
    text_rest: tuple[re.Pattern[str], ...]
    data_head: re.Pattern[bytes]
    data_rest: tuple[re.Pattern[bytes], ...]

    @classmethod
    def of(cls, full: str, shortest: int) -> _Rule:
        chars = [_char_pattern(char) for char in full]
        head = "".join(chars[:shortest])
        if len(full) < MIN_SECRET_CHARS:  # too short to tell from text: only where it is not part of a word
            head = f"(?<![{_WORD}]){head}(?![{_WORD}])"
        rest = chars[shortest:]
        return cls(
            re.compile(head),
            tuple(re.compile(char) for char in rest),
            re.compile(_utf8(head)),
            tuple(re.compile(_utf8(char)) for char in rest),
        )


def _utf8(pattern: str) -> bytes:
    # The escaped forms are ASCII and the literals UTF-8 sequences outside any character class, so the
    # same pattern matches the bytes a UTF-8 text would be.
    return pattern.encode("utf-8", "surrogatepass")


@functools.lru_cache(maxsize=256)  # one character is no secret; a client's tokens repeat a few dozen
def _char_pattern(char: str) -> str:
    """``char`` literally or in any way a server may escape it: percent-encoding, JSON, XML/HTML references."""
    code = ord(char)
    forms = ["".join("%(?:25)?" + _hex(byte, 2) for byte in _utf8(char))]  # "%252F": encoded twice
    if char == " ":
        forms.append(re.escape("+"))
    if code > 0xFFFF:  # JSON writes it as a surrogate pair
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        forms.append(rf"\\u{_hex(high, 4)}\\u{_hex(low, 4)}")
    else:
        forms.append(rf"\\u{_hex(code, 4)}")
    if char in _JSON_SHORT:
        forms.append(re.escape("\\" + _JSON_SHORT[char]))
    forms += [rf"&#0*{code};", rf"&#[xX]0*{_hex(code, 1)};"]
    if char in _XML_NAMED:
        forms.append(f"&{_XML_NAMED[char]};")
    # The literal last: "&amp;" must be read as one escaped "&", not as "&" and then "amp;".
    forms.append(re.escape(char))
    return f"(?:{'|'.join(forms)})"


def _hex(number: int, digits: int) -> str:
    """``number`` in hex, at least ``digits`` long, as a pattern matching either letter case."""
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in f"{number:0{digits}x}")


def _replace(text: AnyStr, head: re.Pattern[AnyStr], rest: tuple[re.Pattern[AnyStr], ...], mark: AnyStr) -> AnyStr:
    """``text`` with every run that starts as the secret does (``head``) and continues as it does
    (each of ``rest`` in turn, as far as they match) replaced by ``mark``."""
    pieces: list[AnyStr] = []
    position = 0
    while (found := head.search(text, position)) is not None:
        end = found.end()
        for char in rest:
            following = char.match(text, end)
            if following is None:
                break
            end = following.end()
        pieces += [text[position : found.start()], mark]
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return text[:0].join(pieces)


# -- the httpx and httpcore loggers ---------------------------------------------------------------------

# Every live client's redactor, and each running call's with secrets of its own: what the filter removes.
_LIVE: weakref.WeakSet[Redactor] = weakref.WeakSet()
# httpx logs each request at INFO; httpcore traces at DEBUG under these names. A filter on a logger
# sees only that logger's own records, so each one gets it.
_LOGGERS = ("httpx", "httpcore", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy")


class _SecretsFilter(logging.Filter):
    """Removes live clients' secrets from a record's message; leaves every other record as it was.

    Loggers call filters only for records they emit: with these loggers off, this costs nothing.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        redactors = list(_LIVE)
        if not redactors:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot format is left to logging to report
            return True
        cleaned = message
        for redactor in redactors:
            cleaned = redactor.text(cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = _SecretsFilter()


def secrets_filter() -> logging.Filter:
    """The filter that removes live clients' secrets from records (e.g. for a handler of the SDK's own logger)."""
    return _FILTER


def watch_logs(redactor: Redactor) -> None:
    """Keep ``redactor``'s secrets out of httpx's and httpcore's log records until it is collected or unwatched."""
    if not _LIVE:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
    _LIVE.add(redactor)


def unwatch_logs(redactor: Redactor) -> None:
    """Stop removing ``redactor``'s secrets (a call's, when it ends); a client's go when it is collected."""
    _LIVE.discard(redactor)
