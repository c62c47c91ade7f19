"""The two HMAC-SHA1 signature schemes, the URL variants a signature may cover, and ``bodySHA256``."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlsplit

from .._exceptions import ConfigurationError

_DEFAULT_PORTS = {"https": "443", "http": "80"}


def key_bytes(signing_key: object) -> bytes:
    """The signing key as bytes; a missing key is a programming error, not a bad request."""
    if signing_key is None or signing_key == "":
        raise ConfigurationError(
            "signing_key is missing: pass the project's Signing Key (Dashboard → API Credentials; not the API token)"
        )
    if not isinstance(signing_key, str):
        raise TypeError(f"signing_key must be a str, not {type(signing_key).__name__}")
    if not signing_key.strip():
        raise ConfigurationError("signing_key is blank: pass the project's Signing Key")
    return utf8(signing_key)


def utf8(text: str) -> bytes:
    # surrogatepass: a str holding lone surrogates signs to something that matches nothing, never raises.
    return text.encode("utf-8", "surrogatepass")


def raw_bytes(body: bytes | bytearray | str) -> bytes:
    return utf8(body) if isinstance(body, str) else bytes(body)


def scheme_a(key: bytes, url: str, raw: bytes) -> str:
    """Lower-case hex HMAC-SHA1 of url + raw body (JSON callbacks)."""
    return hmac.new(key, utf8(url) + raw, hashlib.sha1).hexdigest()


def scheme_b(key: bytes, url: str, pairs: Sequence[tuple[str, str]]) -> str:
    """Base64 HMAC-SHA1 of url + each pair as name then value, in the order given (form callbacks)."""
    data = url + "".join(name + value for name, value in pairs)
    return base64.b64encode(hmac.new(key, utf8(data), hashlib.sha1).digest()).decode("ascii")


def sent_order(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Sorted by name; a stable sort keeps a repeated name's values in the order they were sent."""
    return sorted(pairs, key=lambda pair: pair[0])


def signed_orders(pairs: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The orders a form may have been signed in: SignalWire's libraries keep a repeated name's
    values in the order sent, Twilio's servers sort them; both are HMACs over the same data."""
    kept = sent_order(pairs)
    values_sorted = sorted(pairs)
    return [kept] if values_sorted == kept else [kept, values_sorted]


def body_hashes(url: str) -> list[str]:
    """Every ``bodySHA256`` value in the URL's query (none: no hash to check)."""
    query = url.partition("#")[0].partition("?")[2]
    return [value for name, value in parse_qsl(query, keep_blank_values=True) if name == "bodySHA256"]


def body_hash_matches(raw: bytes, hashes: Sequence[str]) -> bool:
    digest = hashlib.sha256(raw).hexdigest().encode()
    return all(hmac.compare_digest(digest, utf8(value.strip().lower())) for value in hashes)


def url_variants(url: str) -> list[tuple[str, str]]:
    """``(label, url)``: the URL as given; without its port (any port: Twilio documents HTTPS
    callbacks as signed without it); or, when it has none, with the scheme's default port.

    Only the netloc changes; the rest of the text is kept byte for byte (no re-quoting, no
    normalisation), because the signature covers the exact text.
    """
    variants = [("as given", url)]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a bad port or bracket: nothing to vary
        return variants
    netloc = parts.netloc
    start = url.find("//") + 2
    if not netloc or start < 2 or url[start : start + len(netloc)] != netloc:
        return variants
    head, rest = url[:start], url[start + len(netloc) :]
    if port is not None:
        host, _, port_text = netloc.rpartition(":")
        variants.append((f"without :{port_text}", head + host + rest))
    elif (default := _DEFAULT_PORTS.get(parts.scheme)) is not None and not netloc.endswith(":"):
        variants.append((f"with :{default}", f"{head}{netloc}:{default}{rest}"))
    return variants


def matches(signature: bytes, expected: str) -> bool:
    return hmac.compare_digest(signature, expected.encode("ascii"))
