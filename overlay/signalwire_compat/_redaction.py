"""Removing the SDK's secrets from text, bytes and the ``httpx``/``httpcore`` log records, in every form the
SDK itself sends them: literal, percent-encoded (as a form body carries them) and base64 (Basic auth).

A server may quote a secret back in an error (its reason phrase, body or headers) and a library may
cut that quote short (aiohttp's error excerpts): a base64 credential is redacted from the point its
text starts to carry token bits, however much of it follows.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable
from typing import TypeVar
from urllib.parse import quote, quote_plus

__all__ = ["REDACTED", "Redactor", "credentials_redactor", "secrets_filter", "watch_logs"]

REDACTED = "[redacted]"
_REDACTED_BYTES = REDACTED.encode("ascii")
AnyStr = TypeVar("AnyStr", str, bytes)
# A truncated base64 credential is redacted once it carries this many characters of the token (18 bits).
_TOKEN_CHARS_THAT_MATTER = 3
_MIN_LITERAL_PREFIX = 12


class Redactor:
    """Replaces each secret (each rule: the full text and how much of its start already counts) by ``[redacted]``."""

    __slots__ = ("__weakref__", "_byte_rules", "_rules")

    def __init__(self, rules: Iterable[tuple[str, int]]) -> None:
        unique = {full: shortest for full, shortest in rules if full}
        # Longest first: a secret's encoded form may contain its literal form.
        self._rules = tuple(sorted(unique.items(), key=lambda rule: -len(rule[0])))
        self._byte_rules = tuple((full.encode("utf-8"), shortest) for full, shortest in self._rules)

    def plus(self, secrets: Iterable[str]) -> Redactor:
        """This redactor and ``secrets`` (an operation's, e.g. a stream's bearer token) in each sent form."""
        extra = [(form, len(form)) for secret in secrets for form in sent_forms(secret)]
        return self if not extra else Redactor((*self._rules, *extra))

    def text(self, text: str) -> str:
        for full, shortest in self._rules:
            text = _replace(text, full, shortest, REDACTED)
        return text

    def data(self, data: bytes) -> bytes:
        for full, shortest in self._byte_rules:
            data = _replace(data, full, shortest, _REDACTED_BYTES)
        return data


def sent_forms(secret: str) -> tuple[str, ...]:
    """``secret`` as it is, and as a form body or URL carries it (``_wire`` uses ``urlencode``)."""
    return tuple(dict.fromkeys((secret, quote_plus(secret), quote(secret, safe=""))))


def credentials_redactor(project_id: str, api_token: str, basic: str) -> Redactor:
    """The client's redactor: its API token (and truncations of it) and ``basic``, the base64 of ``project:token``."""
    rules = [(form, len(form)) for form in sent_forms(api_token)]
    rules.append((api_token, min(len(api_token), max(_MIN_LITERAL_PREFIX, len(api_token) // 2))))
    # Characters before this index encode only "project_id:", which is no secret.
    public = len(f"{project_id}:".encode()) * 8 // 6
    rules.append((basic, min(len(basic), public + _TOKEN_CHARS_THAT_MATTER)))
    return Redactor(rules)


def _replace(text: AnyStr, full: AnyStr, shortest: int, mark: AnyStr) -> AnyStr:
    """``text`` with every run that starts with ``full[:shortest]`` and continues as ``full`` does replaced."""
    head = full[:shortest]
    start = text.find(head)
    while start != -1:
        end = start + shortest
        limit = min(len(text), start + len(full))
        while end < limit and text[end] == full[end - start]:
            end += 1
        text = text[:start] + mark + text[end:]
        start = text.find(head, start + len(mark))
    return text


# -- the httpx and httpcore loggers ---------------------------------------------------------------------

# Every live client's redactor (and, while a call runs, its operation's): what the filter removes.
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
    """Keep ``redactor``'s secrets out of httpx's and httpcore's log records for as long as it lives."""
    if not _LIVE:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
    _LIVE.add(redactor)
