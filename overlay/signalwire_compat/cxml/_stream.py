"""``<Stream>`` and its ``<Parameter>``s: the attribute rules for each place a stream can be."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from . import _checks as c
from ._checks import Rule, fail
from ._element import Element

__all__ = ["MAX_PARAMETERS", "Parameter", "Stream", "StreamKind", "new_stream"]

MAX_PARAMETERS = 99
StreamKind = Literal["start", "connect", "stop", "conference"]
_METHOD = c.choice(c.METHODS)
_COMMON_STREAM: dict[str, Rule] = {
    "url": c.websocket_url,
    "name": c.stream_name,
    "track": c.choice(c.TRACKS),
    "codec": c.choice(c.CODECS),
    "realtime": c.boolean,
    "statusCallback": c.callback_url,
    "statusCallbackMethod": _METHOD,
}
_STREAM_RULES: dict[StreamKind, dict[str, Rule]] = {
    "start": {**_COMMON_STREAM, "authBearerToken": c.token},
    # A bidirectional stream carries the caller's audio only.
    "connect": {**_COMMON_STREAM, "track": c.choice(("inbound_track",)), "authBearerToken": c.token},
    "stop": {"name": c.stream_name},
    "conference": {
        **_COMMON_STREAM,
        "bidir": c.boolean,
        "streamSslValidateCertificate": c.boolean,
        "streamStartConferenceOnEnter": c.boolean,
    },
}
_STREAM_REQUIRED: dict[StreamKind, tuple[str, ...]] = {
    "start": ("url",),
    "connect": ("url",),
    "stop": ("name",),
    "conference": ("name", "url"),
}


class Parameter(Element):
    """``<Parameter name="…" value="…"/>``: a custom parameter, in the ``start`` message's ``customParameters``."""

    TAG = "Parameter"
    RULES: ClassVar[Mapping[str, Rule]] = {"name": c.text, "value": c.text}
    REQUIRED = ("name", "value")
    __slots__ = ()

    def _check(self) -> None:
        if not self._attributes["name"].strip():
            raise fail(self.TAG, "name", "must not be empty")


class Stream(Element):
    """``<Stream>``: in ``<Start>`` (one-way), ``<Connect>`` (bidirectional), ``<Stop>`` (by name) or
    ``<Conference>``. Its rules depend on where it is (``kind``)."""

    TAG = "Stream"
    __slots__ = ("_kind",)

    def __init__(self, kind: StreamKind) -> None:
        super().__init__()
        self._kind: StreamKind = kind

    @property
    def kind(self) -> StreamKind:
        return self._kind

    def rules(self) -> Mapping[str, Rule]:
        return _STREAM_RULES[self._kind]

    def required(self) -> tuple[str, ...]:
        return _STREAM_REQUIRED[self._kind]

    @property
    def url(self) -> str | None:
        return self._attributes.get("url")

    @property
    def name(self) -> str | None:
        return self._attributes.get("name")

    @property
    def parameters(self) -> dict[str, str]:
        """The ``<Parameter>`` children as name -> value, in document order."""
        return {p.attributes["name"]: p.attributes["value"] for p in self._children if isinstance(p, Parameter)}

    def _check(self) -> None:
        if (
            self._attributes.get("bidir") == "true"
            and self._attributes.get("track", "inbound_track") != "inbound_track"
        ):
            raise fail(self.TAG, "track", "must be inbound_track on a bidirectional (bidir) stream")

    def _add(self, child: Element) -> None:
        if not isinstance(child, Parameter) or self._kind == "stop":
            raise fail(self.TAG, None, f"cannot hold <{child.tag}> here (only <Parameter>, and not in <Stop>)")
        if len(self._children) >= MAX_PARAMETERS:
            raise fail(self.TAG, None, f"holds at most {MAX_PARAMETERS} <Parameter> elements")
        name = child.attributes["name"]
        if any(p.attributes["name"] == name for p in self._children):
            raise fail("Parameter", "name", f"{name[:60]!r} is already a parameter of this <Stream>")
        super()._add(child)

    def parameter(self, name: str, value: str) -> Stream:
        """Add ``<Parameter name value>``; returns this stream, so calls chain."""
        child = Parameter()
        child._set({"name": name, "value": value})
        self._add(child)
        return self


def new_stream(kind: StreamKind, values: Mapping[str, object]) -> Stream:
    """A checked ``<Stream>`` of this kind (None values: attributes left out)."""
    stream = Stream(kind)
    stream._set(values)
    return stream
