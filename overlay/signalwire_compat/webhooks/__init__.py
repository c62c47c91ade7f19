"""Check that a webhook request came from SignalWire, and sign requests the way SignalWire does.

    import signalwire_compat as sw

    if not sw.webhooks.validate(signing_key, signature, url, raw_body):
        ...  # answer 403

SignalWire signs every webhook with the project's **Signing Key** (Dashboard → API Credentials; it
is not the API token) and sends the signature in ``X-SignalWire-Signature`` (compatibility
callbacks also carry it as ``X-Twilio-Signature``). Two schemes are in use, and a check tries both:

- **Scheme A** (JSON callbacks: RELAY, SWML): lower-case hex of HMAC-SHA1(key, url + raw body).
- **Scheme B** (Compatibility / cXML form callbacks, as Twilio signs them): base64 of
  HMAC-SHA1(key, url + the form parameters sorted by name, each written as name then value; a
  repeated name keeps its values in the order they were sent). Values are the decoded ones
  (``%2B`` is ``+``). A body that is not a form (empty, or JSON posted to a compatibility URL) is
  signed over the URL alone.

The URL must be exactly the one SignalWire requested: scheme, host, path and query (behind a proxy,
rebuild it from the forwarded headers, or pass ``url=`` to the request helpers). It is tried as
given and with the scheme's default port (``:443`` / ``:80``) added or removed, because the port
may or may not have been part of what was signed. If its query holds ``bodySHA256=<hex>``, the
SHA-256 of the raw body must match it too, and scheme B is computed over the URL alone (the hash
in the URL covers the body), as Twilio does.

Every comparison is constant-time (``hmac.compare_digest``). A missing or empty signature is "not
valid"; a missing signing key is a programming error (``sw.ConfigurationError``). Nothing a request
controls (URL, body, signature) makes these functions raise: a bad request is just not valid.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeAlias

from ._exceptions import ConfigurationError, InvalidSignatureError

__all__ = [
    "SIGNATURE_HEADER",
    "SIGNATURE_HEADERS",
    "TWILIO_SIGNATURE_HEADER",
    "FormParams",
    "HeadersLike",
    "WebhookBody",
    "sign_form",
    "sign_json",
    "signature_from_headers",
    "validate",
    "validate_request",
    "verify",
    "verify_request",
]

SIGNATURE_HEADER = "X-SignalWire-Signature"
"""The header SignalWire puts the signature in."""
TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"
"""The alias compatibility callbacks also carry (and Twilio-era code reads)."""
SIGNATURE_HEADERS = (SIGNATURE_HEADER, TWILIO_SIGNATURE_HEADER)
"""Both header names, in order of preference."""

FormParams: TypeAlias = Mapping[str, str | Sequence[str]]
"""Parsed form parameters: a value, or every value of a repeated name in the order sent.

Framework multi-dicts (Werkzeug/Flask ``request.form``, Django ``QueryDict``, Starlette
``FormData``, ``multidict``) are read with their ``getlist``/``getall``, so repeated names keep
every value.
"""
WebhookBody: TypeAlias = bytes | str | FormParams
"""The request body: raw bytes (best: both schemes and ``bodySHA256`` can be checked), the raw text,
or form parameters a framework already parsed (scheme B only)."""


class HeadersLike(Protocol):
    """Anything with ``items()`` yielding ``(name, value)``: a dict, Werkzeug/Django/Starlette headers."""

    def items(self) -> Iterable[tuple[str, str]]: ...


_HEX_LENGTH = 40  # SHA-1 digest in hex
_BASE64_LENGTH = 28  # SHA-1 digest in base64
_DEFAULT_PORTS = {"https": "443", "http": "80"}
_NO_BODY_HASH_HINT = "pass the raw body (bytes) so its SHA-256 can be checked"


# -- signing ---------------------------------------------------------------------------------------


def sign_form(signing_key: str, url: str, params: FormParams | Iterable[tuple[str, str]]) -> str:
    """Scheme B: the base64 signature SignalWire sends with a form (compatibility) callback.

    ``params`` is a mapping (a value, or a sequence of values for a repeated name) or ``(name,
    value)`` pairs in the order they are sent. The URL is signed exactly as given (add the port
    yourself to sign the other variant). For tests: sign a request, then check your handler accepts it.
    """
    key = _key_bytes(signing_key)
    pairs = _pairs_from_mapping(params) if isinstance(params, Mapping) else _pairs_from_iterable(params)
    return _scheme_b(key, url, pairs)


def sign_json(signing_key: str, url: str, body: bytes | str) -> str:
    """Scheme A: the lower-case hex signature SignalWire sends with a JSON callback (url + raw body)."""
    key = _key_bytes(signing_key)
    if not isinstance(body, bytes | bytearray | str):
        raise TypeError(f"body must be the raw body as bytes or str, not {type(body).__name__}")
    return _scheme_a(key, url, _raw_bytes(body))


# -- checking --------------------------------------------------------------------------------------


def validate(signing_key: str, signature: str | None, url: str, body: WebhookBody) -> bool:
    """Whether ``signature`` is SignalWire's signature of this request (either scheme).

    ``signature`` is the ``X-SignalWire-Signature`` (or ``X-Twilio-Signature``) header value;
    ``None`` or empty is not valid. ``url`` is the full URL SignalWire requested, query included.
    ``body`` is best given raw (``bytes``): both schemes can then be checked, and a ``bodySHA256``
    in the URL too. Parsed form parameters check scheme B only, and never pass a URL that carries
    ``bodySHA256`` (the hash needs the raw body).

    Raises ``sw.ConfigurationError`` (a ``ValueError``) if ``signing_key`` is missing or empty, and
    ``TypeError`` for arguments of the wrong type; never for anything the request itself holds.
    """
    return _check(signing_key, signature, url, body, explain=False)[0]


def verify(signing_key: str, signature: str | None, url: str, body: WebhookBody) -> None:
    """Like :func:`validate`, but raise ``sw.InvalidSignatureError`` when the signature is not valid.

    The error's message and ``reasons`` say which checks failed (scheme A, scheme B, the URL
    variants tried, ``bodySHA256``) and what to look at; they never hold the signing key or a
    signature computed from it.
    """
    valid, reasons = _check(signing_key, signature, url, body, explain=True)
    if not valid:
        raise InvalidSignatureError("webhook signature is not valid: " + "; ".join(reasons), reasons=tuple(reasons))


def signature_from_headers(headers: Mapping[str, str] | HeadersLike) -> str | None:
    """The signature from request headers: ``X-SignalWire-Signature``, else ``X-Twilio-Signature``.

    Names match case-insensitively; an empty header counts as absent. ``None`` when neither is set.
    """
    found: dict[str, str] = {}
    wanted = {name.lower(): name for name in SIGNATURE_HEADERS}
    for name, value in headers.items():
        lowered = name.lower() if isinstance(name, str) else ""
        if lowered in wanted and lowered not in found and isinstance(value, str) and value.strip():
            found[lowered] = value.strip()
    for name in wanted:
        if name in found:
            return found[name]
    return None


def validate_request(
    signing_key: str, request: object, *, url: str | None = None, body: bytes | str | None = None
) -> bool:
    """:func:`validate` for a web framework's request object, read by duck typing (no framework import).

    - signature: ``request.headers`` (see :func:`signature_from_headers`);
    - URL: ``url=`` if given (do this behind a proxy: the URL SignalWire requested), else Django's
      ``request.build_absolute_uri()``, else ``request.url`` (Flask/Werkzeug, Starlette);
    - body: ``body=`` if given, else ``request.get_data()`` (Flask/Werkzeug; falls back to
      ``request.form`` if the form was parsed first, which leaves no raw data), else ``request.body``
      (Django). Starlette/FastAPI read bodies asynchronously: pass ``body=await request.body()``.

    Raises ``TypeError`` if the object lacks what is needed (and ``url=``/``body=`` were not given).
    """
    signature, full_url, raw = _from_request(request, url, body)
    return validate(signing_key, signature, full_url, raw)


def verify_request(
    signing_key: str, request: object, *, url: str | None = None, body: bytes | str | None = None
) -> None:
    """:func:`verify` for a framework request object; reads it like :func:`validate_request`."""
    signature, full_url, raw = _from_request(request, url, body)
    verify(signing_key, signature, full_url, raw)


# -- internals -------------------------------------------------------------------------------------


def _key_bytes(signing_key: object) -> bytes:
    if signing_key is None or signing_key == "":
        raise ConfigurationError(
            "signing_key is missing: pass the project's Signing Key (Dashboard → API Credentials; not the API token)"
        )
    if not isinstance(signing_key, str):
        raise TypeError(f"signing_key must be a str, not {type(signing_key).__name__}")
    if not signing_key.strip():
        raise ConfigurationError("signing_key is blank: pass the project's Signing Key")
    return _utf8(signing_key)


def _utf8(text: str) -> bytes:
    # surrogatepass: a str holding lone surrogates signs to something that matches nothing, never raises.
    return text.encode("utf-8", "surrogatepass")


def _raw_bytes(body: bytes | bytearray | str) -> bytes:
    return _utf8(body) if isinstance(body, str) else bytes(body)


def _scheme_a(key: bytes, url: str, raw: bytes) -> str:
    return hmac.new(key, _utf8(url) + raw, hashlib.sha1).hexdigest()


def _scheme_b(key: bytes, url: str, pairs: Sequence[tuple[str, str]]) -> str:
    # A stable sort by name keeps a repeated name's values in the order they were sent.
    data = url + "".join(name + value for name, value in sorted(pairs, key=lambda pair: pair[0]))
    return base64.b64encode(hmac.new(key, _utf8(data), hashlib.sha1).digest()).decode("ascii")


def _pairs_from_iterable(params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs = []
    for item in params:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise TypeError("params must be a mapping or (name, value) pairs")
        pairs.append(_str_pair(item[0], item[1]))
    return pairs


def _pairs_from_mapping(params: Mapping[str, object]) -> list[tuple[str, str]]:
    # Multi-dicts: Werkzeug/Django/Starlette have getlist(), multidict has getall(); their plain
    # item access returns one value only, which would drop repeated names.
    getlist = getattr(params, "getlist", None) or getattr(params, "getall", None)
    pairs: list[tuple[str, str]] = []
    for name in dict.fromkeys(params):  # multidict.keys() repeats a repeated name
        value: object = getlist(name) if callable(getlist) else params[name]
        if isinstance(value, str | bytes | bytearray) or not isinstance(value, Sequence):
            pairs.append(_str_pair(name, value))
        else:
            pairs.extend(_str_pair(name, item) for item in value)
    return pairs


def _str_pair(name: object, value: object) -> tuple[str, str]:
    if not isinstance(name, str) or not isinstance(value, str):
        raise TypeError(
            "form parameters must be str names and str values (or sequences of str); "
            f"got {type(name).__name__} -> {type(value).__name__}. For a JSON body, pass the raw bytes."
        )
    return name, value


def _parse_form(raw: bytes) -> list[tuple[str, str]] | None:
    """The body's form parameters in the order sent, decoded; None if it is not a form."""
    from urllib.parse import parse_qsl  # already imported by httpx; kept local to the one use

    stripped = raw.lstrip()
    if not stripped or stripped[:1] in (b"{", b"["):  # empty, or JSON posted to a compatibility URL
        return None
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None


def _body_hashes(url: str) -> list[str]:
    """Every ``bodySHA256`` value in the URL's query (none: no hash to check)."""
    from urllib.parse import parse_qsl

    query = url.partition("#")[0].partition("?")[2]
    return [value for name, value in parse_qsl(query, keep_blank_values=True) if name == "bodySHA256"]


def _url_variants(url: str) -> list[tuple[str, str]]:
    """``(label, url)``: the URL as given, and with the scheme's default port added or removed.

    Only the netloc changes; the rest of the text is kept byte for byte (no re-quoting, no
    normalisation), because the signature covers the exact text. A non-default port is kept as is.
    """
    from urllib.parse import urlsplit

    variants = [("as given", url)]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a bad port or bracket: nothing to vary
        return variants
    default = _DEFAULT_PORTS.get(parts.scheme)
    netloc = parts.netloc
    start = url.find("//") + 2
    if default is None or not netloc or start < 2 or url[start : start + len(netloc)] != netloc:
        return variants
    head, rest = url[:start], url[start + len(netloc) :]
    if port is None and not netloc.endswith(":"):
        variants.append((f"with :{default}", f"{head}{netloc}:{default}{rest}"))
    elif port is not None and netloc.endswith(f":{default}"):
        variants.append((f"without :{default}", head + netloc[: -len(default) - 1] + rest))
    return variants


def _matches(signature: bytes, expected: str) -> bool:
    return hmac.compare_digest(signature, expected.encode("ascii"))


def _check(
    signing_key: str, signature: str | None, url: str, body: WebhookBody, *, explain: bool
) -> tuple[bool, list[str]]:
    """Whether the request is validly signed, and (with ``explain``) which checks failed, in words."""
    key = _key_bytes(signing_key)
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, not {type(url).__name__}")
    if signature is not None and not isinstance(signature, str):
        raise TypeError(f"signature must be a str or None, not {type(signature).__name__}")
    raw: bytes | None
    if isinstance(body, bytes | bytearray | str):
        raw = _raw_bytes(body)
        form = _parse_form(raw)
    elif isinstance(body, Mapping):
        raw, form = None, _pairs_from_mapping(body)
    else:
        raise TypeError(f"body must be bytes, str or a mapping of form parameters, not {type(body).__name__}")

    given = (signature or "").strip()
    if not given:
        return False, [f"no signature: the {SIGNATURE_HEADER} / {TWILIO_SIGNATURE_HEADER} header is missing or empty"]
    sig = _utf8(given)

    hashes = _body_hashes(url)
    if not hashes:
        body_ok = True
    elif raw is None:
        body_ok = False
    else:
        digest = hashlib.sha256(raw).hexdigest()
        body_ok = all(hmac.compare_digest(digest.encode(), _utf8(value.strip().lower())) for value in hashes)
    # Scheme B: with bodySHA256 the URL alone is signed (the hash covers the body); otherwise the
    # form parameters, or the URL alone when the body is not a form.
    pairs: list[tuple[str, str]] = [] if hashes or form is None else form

    variants = _url_variants(url)
    matched = False
    for _label, candidate in variants:
        if raw is not None and _matches(sig, _scheme_a(key, candidate, raw)):
            matched = True
        if _matches(sig, _scheme_b(key, candidate, pairs)):
            matched = True
        if matched:
            break
    if matched and body_ok:
        return True, []
    if not explain:
        return False, []
    return False, _explain(signing_key, given, url, raw, pairs, hashes, matched, body_ok, variants)


def _explain(
    signing_key: str,
    given: str,
    url: str,
    raw: bytes | None,
    pairs: list[tuple[str, str]],
    hashes: list[str],
    matched: bool,
    body_ok: bool,
    variants: list[tuple[str, str]],
) -> list[str]:
    reasons = []
    if hashes and raw is None:
        reasons.append(f"the url has a bodySHA256 parameter but the body was given parsed: {_NO_BODY_HASH_HINT}")
    elif not body_ok:
        reasons.append("the SHA-256 of the body does not match the url's bodySHA256 parameter")
    if not matched:
        tried = ", ".join(label for label, _ in variants)
        if raw is None:
            reasons.append("scheme A (hex, url + raw body) not checked: the body was given parsed")
        else:
            reasons.append("scheme A (hex HMAC-SHA1 of url + raw body) does not match")
        signed = "url + form parameters sorted by name" if pairs else "url alone"
        reasons.append(f"scheme B (base64 HMAC-SHA1 of {signed}) does not match")
        reasons.append(f"URL variants tried: {tried}")
        reasons.append(_shape(given))
        if "://" not in url:
            reasons.append("url is not absolute: pass the full URL SignalWire requested (scheme://host/path?query)")
        if signing_key != signing_key.strip():
            reasons.append("signing_key has leading or trailing whitespace")
        reasons.append(
            "check that url is exactly what SignalWire requested (behind a proxy, rebuild it from the "
            "forwarded headers) and that signing_key is the project's Signing Key, not the API token"
        )
    return reasons


def _shape(signature: str) -> str:
    if len(signature) == _HEX_LENGTH and all(c in "0123456789abcdef" for c in signature):
        return "the signature has scheme A's shape (40 lower-case hex digits: a JSON callback)"
    if len(signature) == _BASE64_LENGTH and signature.endswith("="):
        return "the signature has scheme B's shape (28 base64 characters: a form callback)"
    return "the signature has neither scheme's shape (40 hex digits or 28 base64 characters)"


def _from_request(request: object, url: str | None, body: bytes | str | None) -> tuple[str | None, str, WebhookBody]:
    headers = getattr(request, "headers", None)
    if headers is None or not callable(getattr(headers, "items", None)):
        raise TypeError(f"{type(request).__name__} has no .headers mapping: is it a request object?")
    signature = signature_from_headers(headers)
    return signature, _request_url(request) if url is None else url, _request_body(request) if body is None else body


def _request_url(request: object) -> str:
    build_absolute_uri = getattr(request, "build_absolute_uri", None)  # Django
    if callable(build_absolute_uri):
        return str(build_absolute_uri())
    found = getattr(request, "url", None)  # Werkzeug: str; Starlette: a URL object
    if found is None or callable(found):
        raise TypeError(f"cannot find the URL of a {type(request).__name__}: pass url=")
    return str(found)


def _request_body(request: object) -> WebhookBody:
    get_data = getattr(request, "get_data", None)  # Werkzeug / Flask
    if callable(get_data):
        data = get_data()
        if not data:
            # Werkzeug keeps no raw data once it has parsed the form; fall back to the parsed form.
            form = getattr(request, "form", None)
            if isinstance(form, Mapping) and form:
                return form
        return data if isinstance(data, bytes | str) else b""
    found = getattr(request, "body", None)  # Django: bytes; Starlette: an async method
    if isinstance(found, bytes | bytearray | str):
        return bytes(found) if isinstance(found, bytearray) else found
    if callable(found):
        raise TypeError(f"{type(request).__name__} reads its body asynchronously: pass body=await request.body()")
    raise TypeError(f"cannot find the raw body of a {type(request).__name__}: pass body=")
