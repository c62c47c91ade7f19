"""Client configuration: arguments, then environment variables, checked before anything is sent.

Error messages name the argument or variable to fix and never echo a token (nor the user-info part
of a URL, which is where a pasted token would be).
"""

from __future__ import annotations

import base64
import math
import os
import re
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import urlsplit
from uuid import UUID

from ._exceptions import ConfigurationError
from ._redaction import MIN_SECRET_CHARS
from ._retry import RetryPolicy
from ._validation import is_loopback, validate_sid

__all__ = ["API_PATH", "ClientOptions", "Settings", "check_api_token", "resolve_options", "resolve_settings"]

API_PATH = "/api/laml/2010-04-01"
LAML_ROOT = "/api/laml"
SPACE_DOMAIN = "signalwire.com"
ENV_PROJECT_ID = "SIGNALWIRE_PROJECT_ID"
ENV_API_TOKEN = "SIGNALWIRE_API_TOKEN"  # noqa: S105 - the variable's name, not a token
ENV_SPACE_URLS = ("SIGNALWIRE_SPACE_URL", "SIGNALWIRE_SPACE")  # the second is what SignalWire's newer SDK reads
_HOST = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")
_SPACE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_SCHEME_WITHOUT_SLASHES = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?!//)(?!\d+(?:/|$))")
# "https//host", "http//127.0.0.1:8080", "https///host": a URL with its ':' lost, not a host named "https".
_SCHEME_MISSING_COLON = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*//")
_USERINFO = re.compile(r"[^/@]*@")
_ACCEPTED_FORMS = (
    "use your space's host (example.signalwire.com), its name (example), or a URL such as "
    "https://example.signalwire.com or https://example.signalwire.com/api/laml"
)


class _Secret:
    """Holds the Authorization header value; never shows it."""

    __slots__ = ("header",)

    def __init__(self, header: str) -> None:
        self.header = header

    def __repr__(self) -> str:
        return "<redacted>"


class Settings(NamedTuple):
    project_id: str
    account_sid: str
    base_url: str
    secret: _Secret
    token_fragments: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Settings(project_id={self.project_id!r}, base_url={self.base_url!r}, api_token=<redacted>)"


# Each setting: its argument name and the environment variables that give it, in order of preference.
_SOURCES = (("project_id", (ENV_PROJECT_ID,)), ("api_token", (ENV_API_TOKEN,)), ("space_url", ENV_SPACE_URLS))


def _check_none_missing(given: Mapping[str, object], env: Mapping[str, str]) -> None:
    """Refuse at once every setting given neither as an argument nor in the environment, naming all of them."""
    missing = [(argument, variables) for argument, variables in _SOURCES if given[argument] is None]
    missing = [(argument, variables) for argument, variables in missing if not any(v in env for v in variables)]
    if not missing:
        return
    arguments = [argument for argument, _ in missing]
    variables = [" or ".join(names) for _, names in missing]
    raise ConfigurationError(
        f"no {_listed(arguments)}: pass {', '.join(f'{a}=...' for a in arguments)} "
        f"or set the environment variable{'s' if len(missing) > 1 else ''} {_listed(variables, 'and')}",
        missing=arguments[0],
        missing_settings=tuple(arguments),
    )


def _listed(items: list[str], last: str = "or") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _from_env(value: str | None, argument: str, variables: tuple[str, ...], env: Mapping[str, str]) -> str:
    if value is not None:
        return value
    for variable in variables:
        if variable in env:
            found = env[variable]
            if not found.strip():
                raise ConfigurationError(f"{variable} is set but empty: set it to your {argument.replace('_', ' ')}")
            return found
    names = " or ".join(variables)
    raise ConfigurationError(
        f"no {argument}: pass {argument}=... or set the environment variable {names}", missing=argument
    )


def _check_credential(value: object, argument: str) -> str:
    if not isinstance(value, str):
        raise ConfigurationError(f"{argument} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ConfigurationError(f"{argument} is empty")
    if value != value.strip():
        raise ConfigurationError(f"{argument} has leading or trailing whitespace: remove it")
    if _PRINTABLE_ASCII.fullmatch(value) is None:
        raise ConfigurationError(f"{argument} contains spaces, control or non-ASCII characters")
    return value


def check_api_token(value: object) -> str:
    """An API token the clients accept: printable ASCII, at least ``MIN_SECRET_CHARS`` long (else
    ``ConfigurationError``, which names its length only: even a short token's characters are not shown)."""
    token = _check_credential(value, "api_token")
    if len(token) < MIN_SECRET_CHARS:
        length = f"{len(token)} character{'' if len(token) == 1 else 's'}"
        raise ConfigurationError(
            f"api_token is {length} long: pass the project's API token (SignalWire's are about 50 characters, "
            f"starting PT). A secret under {MIN_SECRET_CHARS} characters is refused: it cannot be told apart "
            "from ordinary text, so it could not be kept out of error messages"
        )
    return token


def _is_ip_address(host: str) -> bool:
    import ipaddress  # only when a client is configured, not on import

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _shown(space_url: str) -> str:
    """``space_url`` as it may appear in a message: user-info masked, length bounded."""
    text = _USERINFO.sub("***@", space_url)
    return repr(text if len(text) <= 80 else text[:80] + "...")


def normalize_space_url(space_url: object) -> str:
    """A space (``example``, ``example.signalwire.com`` or a URL) -> the API base URL.

    Raises ``ConfigurationError`` saying what to write instead.
    """
    if not isinstance(space_url, str):
        raise ConfigurationError(f"space_url must be a str, not {type(space_url).__name__}")
    if not space_url.strip():
        raise ConfigurationError(f"space_url is empty: {_ACCEPTED_FORMS}")
    if space_url != space_url.strip() or any(c.isspace() for c in space_url):
        raise ConfigurationError("space_url contains whitespace: remove it")
    if any(ord(c) < 0x20 or ord(c) >= 0x7F for c in space_url):
        raise ConfigurationError(f"space_url contains control or non-ASCII characters: {_ACCEPTED_FORMS}")
    if "://" not in space_url and _SCHEME_WITHOUT_SLASHES.match(space_url):
        raise ConfigurationError(
            f"space_url {_shown(space_url)} is not a host or URL (a URL needs '://'): {_ACCEPTED_FORMS}"
        )
    if "://" not in space_url and _SCHEME_MISSING_COLON.match(space_url):
        raise ConfigurationError(
            f"space_url {_shown(space_url)} is not a host or URL (a scheme needs ':' before '//'): {_ACCEPTED_FORMS}"
        )
    if _SPACE_NAME.fullmatch(space_url) and space_url.lower() != "localhost":
        space_url = f"{space_url}.{SPACE_DOMAIN}"  # the space's name alone, as SIGNALWIRE_SPACE often holds
    text = space_url if "://" in space_url else f"https://{space_url}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(
            f"space_url {_shown(space_url)} is not a valid URL ({exc}): {_ACCEPTED_FORMS}"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise ConfigurationError(f"space_url must use https://, not {parts.scheme}://")
    if "@" in parts.netloc:
        raise ConfigurationError("space_url must not contain credentials (user@): pass project_id and api_token")
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ConfigurationError("space_url must not contain a query (?...) or fragment (#...)")
    host = parts.hostname or ""
    bracketed = parts.netloc.startswith("[")
    valid_host = _is_ip_address(host) if bracketed else _HOST.fullmatch(host) is not None
    if not valid_host:
        raise ConfigurationError(f"space_url has no valid host name: {_shown(space_url)}; {_ACCEPTED_FORMS}")
    if scheme == "http" and not is_loopback(host):
        raise ConfigurationError(
            f"space_url {_shown(space_url)} uses plain http:// to a remote host, which would send your API token "
            "unencrypted: use https:// (plain http is allowed only for loopback addresses, e.g. a local fake)"
        )
    netloc = f"[{host}]" if bracketed else host.lower()
    if port is not None:
        netloc += f":{port}"
    return f"{scheme}://{netloc}{_api_path(parts.path, space_url)}"


def _api_path(path: str, space_url: str) -> str:
    path = path.rstrip("/")
    segments = path.split("/")
    if "." in segments or ".." in segments:
        raise ConfigurationError("space_url path must not contain '.' or '..' segments")
    if "accounts" in (segment.lower() for segment in segments):
        raise ConfigurationError(
            f"space_url {_shown(space_url)} includes an /Accounts/ path; the SDK adds the account itself: "
            f"{_ACCEPTED_FORMS}"
        )
    if not path or path == LAML_ROOT:
        return API_PATH  # the LaML root twilio and signalwire users already configure: add the version
    return path  # e.g. /api/laml/2010-04-01, or a gateway's own prefix


def resolve_settings(
    project_id: str | None,
    api_token: str | None,
    space_url: str | None,
    account_sid: str | UUID | None,
    *,
    env: Mapping[str, str] | None = None,
) -> Settings:
    environment = os.environ if env is None else env
    _check_none_missing({"project_id": project_id, "api_token": api_token, "space_url": space_url}, environment)
    project = _check_credential(_from_env(project_id, "project_id", (ENV_PROJECT_ID,), environment), "project_id")
    token = check_api_token(_from_env(api_token, "api_token", (ENV_API_TOKEN,), environment))
    if ":" in project:
        raise ConfigurationError("project_id must not contain ':' (it is the HTTP Basic user name)")
    base_url = normalize_space_url(_from_env(space_url, "space_url", ENV_SPACE_URLS, environment))
    try:
        account = validate_sid(project if account_sid is None else account_sid, "account_sid")
    except ValueError as exc:
        if account_sid is None:
            raise ConfigurationError(
                "project_id is not a UUID, so it cannot be used as the account sid: pass account_sid=..."
            ) from exc
        raise ConfigurationError(str(exc)) from exc
    credentials = base64.b64encode(f"{project}:{token}".encode("ascii")).decode("ascii")
    return Settings(
        project_id=project,
        account_sid=account,
        base_url=base_url,
        secret=_Secret(f"Basic {credentials}"),
        token_fragments=(token, credentials),
    )


class ClientOptions(NamedTuple):
    """The checked behaviour options of a client."""

    timeout: float  # seconds for one attempt, head and body
    retry: RetryPolicy
    max_response_bytes: int


def resolve_options(
    *,
    timeout: object,
    total_timeout: object,
    max_retries: object,
    backoff_factor: object,
    max_retry_wait: object,
    max_response_bytes: object,
) -> ClientOptions:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or not 0 <= max_retries <= 10:
        raise ConfigurationError(f"max_retries must be an int from 0 to 10, got {max_retries!r}")
    if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int) or max_response_bytes < 1:
        raise ConfigurationError(f"max_response_bytes must be a positive int, got {max_response_bytes!r}")
    return ClientOptions(
        timeout=finite_seconds(timeout, "timeout"),
        retry=RetryPolicy(
            max_retries=max_retries,
            backoff_factor=finite_seconds(backoff_factor, "backoff_factor", allow_zero=True),
            max_retry_wait=finite_seconds(max_retry_wait, "max_retry_wait", allow_zero=True),
            total_timeout=finite_seconds(total_timeout, "total_timeout"),
        ),
        max_response_bytes=max_response_bytes,
    )


def finite_seconds(value: object, argument: str, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigurationError(f"{argument} must be a finite number of seconds, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ConfigurationError(f"{argument} must be {'>= 0' if allow_zero else '> 0'}, got {value!r}")
    return float(value)
