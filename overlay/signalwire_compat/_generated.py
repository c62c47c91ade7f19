"""The seam: the only module of the overlay that imports the generated client.

Everything the overlay takes from ``signalwire_compat_generated`` is named here, so a regeneration
that renames or removes something breaks this one file (and tests/sdk/test_seam.py) rather than the
overlay at large. Vendoring rewrites the package name in this file only (scripts/vendor.py).

``models`` is the generated models package, for the types of ``client.invoke``'s overloads
(``_invoke_types.py``, derived by scripts/pipeline/derive_overlay.py).

From each generated endpoint module the overlay uses two functions: ``_get_kwargs`` (method, URL
with quoted path parameters, body) and ``_parse_response`` (2xx parsing, for the escape hatch).
They are underscore-named in openapi-python-client's template but are its stable request-building
core; the overlay supplies the transport, auth, encoding, retries and error mapping around them.

Endpoint modules are found by operation name (the snake_case operationId), not by the tag folder
the generator files them under: SignalWire's full spec tags them ``Streams`` where the seed pages
say ``subpackage_streams``, and the overlay works with either.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType
from typing import Any, Protocol, cast

import signalwire_compat_generated as generated_package
from signalwire_compat_generated import _provenance as provenance
from signalwire_compat_generated import models
from signalwire_compat_generated.client import Client as GeneratedClient
from signalwire_compat_generated.models import (
    CreateCallRequest,
    CreateCallRequestAsyncAmdStatusCallbackMethod,
    CreateCallRequestFallbackMethod,
    CreateCallRequestMachineDetection,
    CreateCallRequestMethod,
    CreateCallRequestRecordingChannels,
    CreateCallRequestRecordingStatusCallbackMethod,
    CreateCallRequestRecordingTrack,
    CreateCallRequestStatusCallbackMethod,
    CreateCallRequestTrim,
    CreateCallStreamRequest,
    CreateCallStreamRequestStatusCallbackMethod,
    CreateCallStreamRequestTrack,
    CreateConferenceStreamRequest,
    CreateConferenceStreamRequestStatusCallbackMethod,
    CreateConferenceStreamRequestStreamCodec,
    CreateConferenceStreamRequestTrack,
    UpdateCallRequest,
    UpdateCallRequestFallbackMethod,
    UpdateCallRequestMethod,
    UpdateCallRequestStatus,
    UpdateCallRequestStatusCallbackMethod,
    UpdateCallStreamRequest,
    UpdateCallStreamRequestStatus,
    UpdateConferenceStreamRequest,
    UpdateConferenceStreamRequestStatus,
)
from signalwire_compat_generated.types import UNSET, Unset

__all__ = [
    "UNSET",
    "CreateCallRequest",
    "CreateCallRequestAsyncAmdStatusCallbackMethod",
    "CreateCallRequestFallbackMethod",
    "CreateCallRequestMachineDetection",
    "CreateCallRequestMethod",
    "CreateCallRequestRecordingChannels",
    "CreateCallRequestRecordingStatusCallbackMethod",
    "CreateCallRequestRecordingTrack",
    "CreateCallRequestStatusCallbackMethod",
    "CreateCallRequestTrim",
    "CreateCallStreamRequest",
    "CreateCallStreamRequestStatusCallbackMethod",
    "CreateCallStreamRequestTrack",
    "CreateConferenceStreamRequest",
    "CreateConferenceStreamRequestStatusCallbackMethod",
    "CreateConferenceStreamRequestStreamCodec",
    "CreateConferenceStreamRequestTrack",
    "EndpointModule",
    "GeneratedClient",
    "Unset",
    "UpdateCallRequest",
    "UpdateCallRequestFallbackMethod",
    "UpdateCallRequestMethod",
    "UpdateCallRequestStatus",
    "UpdateCallRequestStatusCallbackMethod",
    "UpdateCallStreamRequest",
    "UpdateCallStreamRequestStatus",
    "UpdateConferenceStreamRequest",
    "UpdateConferenceStreamRequestStatus",
    "create_a_call",
    "create_conference_stream",
    "create_stream",
    "find_operation",
    "generated_package",
    "models",
    "operation_names",
    "provenance",
    "retrieve_a_call",
    "update_a_call",
    "update_conference_stream",
    "update_stream",
]


class EndpointModule(Protocol):
    """What the overlay needs from a generated endpoint module."""

    def _get_kwargs(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...

    def _parse_response(self, *, client: Any, response: Any) -> Any: ...


@cache
def _endpoint_modules() -> dict[str, str]:
    """Operation name (the module name, i.e. the snake_case operationId) -> dotted module path."""
    api = importlib.import_module(".api", generated_package.__name__)
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(api.__path__, prefix=api.__name__ + "."):
        if not info.ispkg:
            found[info.name.rsplit(".", 1)[1]] = info.name
    return found


def operation_names() -> list[str]:
    """Every operation the generated client has, by name (e.g. ``update_stream``)."""
    return sorted(_endpoint_modules())


def find_operation(name: str) -> ModuleType:
    """The generated endpoint module for an operation name such as ``update_stream``."""
    modules = _endpoint_modules()
    if name not in modules:
        raise ValueError(f"no generated operation named {name!r}; known operations: {', '.join(sorted(modules))}")
    return importlib.import_module(modules[name])


create_stream = cast(EndpointModule, find_operation("create_stream"))
create_conference_stream = cast(EndpointModule, find_operation("create_conference_stream"))
update_stream = cast(EndpointModule, find_operation("update_stream"))
update_conference_stream = cast(EndpointModule, find_operation("update_conference_stream"))
create_a_call = cast(EndpointModule, find_operation("create_a_call"))
retrieve_a_call = cast(EndpointModule, find_operation("retrieve_a_call"))
update_a_call = cast(EndpointModule, find_operation("update_a_call"))
