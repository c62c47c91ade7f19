"""What the sync and async clients share: configuration, ``with_options``, being open or closed.

Each client adds its send/read/sleep loop (``_async/_client.py``, and ``_sync/_client.py`` derived
from it), which a ``_call.Call`` drives: what a call sends, how its answers are judged and retried.
"""

from __future__ import annotations

import weakref
from typing import ClassVar, Generic, Self, TypeVar
from uuid import UUID

import httpx

from ._call import CallSetup
from ._config import ClientOptions, Settings, resolve_options, resolve_settings
from ._exceptions import ClientClosedError, ConfigurationError
from ._logging import log_from_environment, warn_if_in_event_loop
from ._redaction import credentials_redactor, watch_logs
from ._version import __version__

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "DEFAULT_TIMEOUT", "DEFAULT_TOTAL_TIMEOUT", "BaseClient"]

H = TypeVar("H", httpx.Client, httpx.AsyncClient)

# The package the clients are exported from, as users import it (a vendored copy's name differs).
_PACKAGE = __name__.rpartition(".")[0]

DEFAULT_TIMEOUT = 30.0
DEFAULT_TOTAL_TIMEOUT = 60.0
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
USER_AGENT = f"signalwire-compat/{__version__} python-httpx/{httpx.__version__}"


class BaseClient(Generic[H]):
    """Configuration, and what every call of this client shares (``_setup``)."""

    _http_class: ClassVar[type[httpx.Client | httpx.AsyncClient]]  # the httpx client class a subclass drives

    def __init__(
        self,
        project_id: str | None = None,
        api_token: str | None = None,
        space_url: str | None = None,
        *,
        account_sid: str | UUID | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        max_retries: int = 2,
        backoff_factor: float = 0.5,
        max_retry_wait: float = 30.0,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        http_client: H | None = None,
    ) -> None:
        http_class = self._http_class
        log_from_environment()
        self._settings: Settings = resolve_settings(project_id, api_token, space_url, account_sid)
        options = resolve_options(
            timeout=timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            backoff_factor=backoff_factor,
            max_retry_wait=max_retry_wait,
            max_response_bytes=max_response_bytes,
        )
        if http_client is not None and not isinstance(http_client, http_class):
            raise ConfigurationError(
                f"http_client must be an httpx.{http_class.__name__}, not {type(http_client).__name__}"
            )
        self._base_url = self._settings.base_url
        token, basic = self._settings.token_fragments
        redactor = credentials_redactor(self._settings.project_id, token, basic)
        watch_logs(redactor)
        headers = {
            "Authorization": self._settings.secret.header,
            "Accept": "application/json",
            # Answers are small JSON: no compression to inflate (see _body.py for servers that do anyway).
            "Accept-Encoding": "identity",
            "User-Agent": USER_AGENT,
        }
        self._closed = False
        # A blocking client warns once (at DEBUG) when it is used inside a running event loop.
        self._loop_checked = http_class is not httpx.Client
        self._owns_http = http_client is None
        # with_options: the client whose pool a derived one shares, and (on that one) the derived ones to close with it.
        self._root: BaseClient[H] | None = None
        self._derived: weakref.WeakSet[BaseClient[H]] | None = None
        if http_client is None:
            # The SDK's own client carries these headers itself: httpx merges a client's headers
            # into each request more cheaply than it normalises per-request ones (docs/performance.md).
            self._http: H = self._open_http(self._base_url, headers)
            headers = {}
        else:
            self._http = http_client  # used as given: ours go with every request
        self._setup = CallSetup.create(base_url=self._base_url, headers=headers, options=options, redactor=redactor)

    def with_options(
        self, *, timeout: float | None = None, total_timeout: float | None = None, max_retries: int | None = None
    ) -> Self:
        """A client like this one with these options changed (None keeps this one's), sharing its
        connection pool and settings: cheap to make, e.g. per request. Closing it leaves this client
        open; closing this client closes it too."""
        setup = self._setup_with(timeout=timeout, total_timeout=total_timeout, max_retries=max_retries)
        derived = object.__new__(type(self))
        derived.__dict__.update(self.__dict__)
        derived._setup = setup
        derived._owns_http = False
        root = self._root or self
        derived._root, derived._derived = root, None
        if root._derived is None:
            root._derived = weakref.WeakSet()
        root._derived.add(derived)
        return derived

    def _setup_with(
        self, *, timeout: float | None = None, total_timeout: float | None = None, max_retries: int | None = None
    ) -> CallSetup:
        """This client's call setup with these options changed (checked as the constructor checks them)."""
        setup = self._setup
        if timeout is None and total_timeout is None and max_retries is None:
            return setup
        options, retry = setup.options, setup.options.retry
        checked: ClientOptions = resolve_options(
            timeout=options.timeout if timeout is None else timeout,
            total_timeout=retry.total_timeout if total_timeout is None else total_timeout,
            max_retries=retry.max_retries if max_retries is None else max_retries,
            backoff_factor=retry.backoff_factor,
            max_retry_wait=retry.max_retry_wait,
            max_response_bytes=options.max_response_bytes,
        )
        return setup.with_options(checked)

    def _mark_closed(self) -> None:
        self._closed = True
        for derived in self._derived or ():
            derived._closed = True

    def _open_http(self, base_url: str, headers: dict[str, str]) -> H:
        """The httpx client the SDK builds for itself (with an engine of its own) when none was injected."""
        raise NotImplementedError

    @property
    def account_sid(self) -> str:
        """The ``{AccountSid}`` in every path (the project id unless ``account_sid`` was given)."""
        return self._settings.account_sid

    @property
    def project_id(self) -> str:
        """The project id: the HTTP Basic user name."""
        return self._settings.project_id

    @property
    def base_url(self) -> str:
        """The API root every path is appended to, e.g. ``https://example.signalwire.com/api/laml/2010-04-01``."""
        return self._base_url

    def __repr__(self) -> str:
        name = f"{_PACKAGE}.{type(self).__name__}"
        settings = getattr(self, "_settings", None)  # a constructor that failed leaves none
        if settings is None:
            return f"<{name} (not configured)>"
        return f"<{name} base_url={settings.base_url!r} project_id={settings.project_id!r}>"

    def _check_open(self) -> None:
        if self._closed or self._http.is_closed:
            owner = "the client it was made from with with_options, " if self._root is not None else ""
            raise ClientClosedError(
                f"this {type(self).__name__} (or {owner}or the http_client it was given) is closed: create a new one"
            )
        if not self._loop_checked:
            self._loop_checked = True
            warn_if_in_event_loop(f"{_PACKAGE}.{type(self).__name__}")

    def _check_still_open(self) -> None:
        if self._closed or self._http.is_closed:
            raise self._closed_meanwhile()

    def _closed_meanwhile(self) -> ClientClosedError:
        return ClientClosedError(f"this {type(self).__name__} was closed while the call was in progress")
