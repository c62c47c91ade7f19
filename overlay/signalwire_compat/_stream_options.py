"""The optional keyword arguments of ``streams.create``, as ``TypedDict``s typed from the spec's enums.

Apart from the builders (``_builders.py``, which load the generated client) so that the resource
tree can read them when it is defined: ``help()`` shows them (``_signatures.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from . import _literals as lit

__all__ = ["ConferenceStreamOptions", "StreamOptions"]


class _StreamOptions(TypedDict, total=False):
    """The optional arguments every ``streams.create`` takes whose values no enum lists."""

    name: str | None
    status_callback: str | None
    parameters: Mapping[str, str] | None
    authorization_bearer_token: str | None


class StreamOptions(_StreamOptions, total=False):
    """The optional arguments of ``calls(...).streams.create`` (see its docstring); values from the spec's enums."""

    track: lit.CreateCallStreamRequestTrack | None
    status_callback_method: lit.CreateCallStreamRequestStatusCallbackMethod | None


class ConferenceStreamOptions(_StreamOptions, total=False):
    """The optional arguments of ``conferences(...).streams.create``: the call's, and the codec and pacing."""

    track: lit.CreateConferenceStreamRequestTrack | None
    status_callback_method: lit.CreateConferenceStreamRequestStatusCallbackMethod | None
    stream_codec: lit.CreateConferenceStreamRequestStreamCodec | None
    stream_real_time: bool | None
