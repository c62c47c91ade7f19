"""Typed SDK for SignalWire's Compatibility (LaML) REST API.

import signalwire_compat as sw

client = sw.Client(project_id="...", api_token="...", space_url="example.signalwire.com")
stream = client.calls(call_sid).streams(stream_sid).stop()
"""

from typing import TYPE_CHECKING, Any

from ._client import Client
from ._dates import InvalidDateError, parse_rfc2822_datetime
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    InternalServerError,
    InvalidSignatureError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    SignalWireError,
    UnprocessableEntityError,
)
from ._models import CallStream, ConferenceStream, StreamStatus, Unparsed
from ._operations import OperationResult
from ._provenance import PROVENANCE, Provenance
from ._version import __version__

if TYPE_CHECKING:
    from . import webhooks
    from ._async_client import AsyncClient

__all__ = [
    "PROVENANCE",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "CallStream",
    "Client",
    "ClientClosedError",
    "ConferenceStream",
    "ConfigurationError",
    "InternalServerError",
    "InvalidDateError",
    "InvalidSignatureError",
    "NotFoundError",
    "OperationResult",
    "PermissionDeniedError",
    "Provenance",
    "RateLimitError",
    "ServiceUnavailableError",
    "SignalWireError",
    "StreamStatus",
    "Unparsed",
    "UnprocessableEntityError",
    "__version__",
    "parse_rfc2822_datetime",
    "webhooks",
]


def __getattr__(name: str) -> Any:
    # AsyncClient pulls in asyncio (~30 ms); a sync user or a CLI call should not pay for it.
    if name == "AsyncClient":
        from ._async_client import AsyncClient

        return AsyncClient
    if name == "webhooks":
        # sw.webhooks.validate(...) works after `import signalwire_compat` without loading hmac for
        # users who never check a signature. (`from . import webhooks` here would recurse: the
        # import system looks the name up on this module first.)
        import importlib

        return importlib.import_module(f"{__name__}.webhooks")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
