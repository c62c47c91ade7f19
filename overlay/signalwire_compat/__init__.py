"""Typed SDK for SignalWire's Compatibility (LaML) REST API.

import signalwire_compat as sw

client = sw.Client(project_id="...", api_token="...", space_url="example.signalwire.com")
stream = client.calls(call_sid).streams(stream_sid).stop()
call = client.calls.create(to="+15551230002", from_="+15551230001", url="https://example.com/voice")
client.calls(call.sid).hang_up()
"""

from typing import TYPE_CHECKING, Any

from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    CXMLError,
    InternalServerError,
    InvalidSignatureError,
    MediaProtocolError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    SignalWireError,
    UnprocessableEntityError,
)
from ._sync._client import Client
from ._version import __version__

if TYPE_CHECKING:
    from . import cxml, media, webhooks
    from ._async._client import AsyncClient
    from ._dates import InvalidDateError, parse_rfc2822_datetime
    from ._models import (
        Call,
        CallDirection,
        CallStatus,
        CallStream,
        ConferenceStream,
        ConferenceStreamStatus,
        StreamStatus,
        Unparsed,
    )
    from ._operation_types import OperationResult
    from ._provenance import PROVENANCE, Provenance
    from ._raw import RawResponse
    from ._stream_status import StreamError, StreamEvent, StreamStatusCallback

# Names loaded on first use: what only requests (or async code, or webhooks) need. `import
# signalwire_compat` then costs little more than `import httpx` (docs/performance.md).
_LAZY = {
    "AsyncClient": "._async._client",  # asyncio and aiohttp
    "Call": "._models",  # attrs
    "CallDirection": "._models",
    "CallStatus": "._models",
    "CallStream": "._models",
    "ConferenceStream": "._models",
    "ConferenceStreamStatus": "._models",
    "StreamStatus": "._models",
    "Unparsed": "._models",
    "InvalidDateError": "._dates",
    "parse_rfc2822_datetime": "._dates",
    "OperationResult": "._operation_types",
    "RawResponse": "._raw",
    "PROVENANCE": "._provenance",
    "Provenance": "._provenance",
    "webhooks": ".webhooks",  # hmac, hashlib
    "StreamStatusCallback": "._stream_status",
    "StreamEvent": "._stream_status",
    "StreamError": "._stream_status",
    "cxml": ".cxml",  # xml.etree; defusedxml when a document is parsed
    "media": ".media",
}

__all__ = [
    "PROVENANCE",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "CXMLError",
    "Call",
    "CallDirection",
    "CallStatus",
    "CallStream",
    "Client",
    "ClientClosedError",
    "ConferenceStream",
    "ConferenceStreamStatus",
    "ConfigurationError",
    "InternalServerError",
    "InvalidDateError",
    "InvalidSignatureError",
    "MediaProtocolError",
    "NotFoundError",
    "OperationResult",
    "PermissionDeniedError",
    "Provenance",
    "RateLimitError",
    "RawResponse",
    "ServiceUnavailableError",
    "SignalWireError",
    "StreamError",
    "StreamEvent",
    "StreamStatus",
    "StreamStatusCallback",
    "Unparsed",
    "UnprocessableEntityError",
    "__version__",
    "cxml",
    "media",
    "parse_rfc2822_datetime",
    "webhooks",
]


def __getattr__(name: str) -> Any:
    import importlib

    source = _LAZY.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # (`from . import webhooks` here would recurse: the import system looks the name up on this module.)
    module = importlib.import_module(source, __name__)
    value = module if source == f".{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # The lazily loaded names too, before their first use (the REPL's completion and dir() read this).
    return sorted({*globals(), *__all__})
