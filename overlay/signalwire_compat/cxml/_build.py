"""The cXML elements a media-stream flow needs, as builder classes: ``VoiceResponse`` and its verbs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import ClassVar, Literal, TypedDict, Unpack

from .._signatures import keywords_of
from . import _checks as c
from ._checks import Codec, Method, Rule, Track, fail
from ._element import Element
from ._stream import Stream, StreamKind, new_stream

__all__ = [
    "CallStreamOptions",
    "Conference",
    "ConferenceStreamOptions",
    "Connect",
    "Dial",
    "Hangup",
    "Pause",
    "Redirect",
    "Say",
    "Start",
    "Stop",
    "VoiceResponse",
]

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_METHOD = c.choice(c.METHODS)


def camel(name: str) -> str:
    """The cXML attribute a keyword argument sets: ``status_callback`` → ``statusCallback``."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


class _StreamOptions(TypedDict, total=False):
    """What every ``<Stream>`` builder takes beside its own arguments (documented defaults when left out)."""

    codec: Codec | None
    realtime: bool | None
    status_callback: str | None
    status_callback_method: Method | None


class CallStreamOptions(_StreamOptions, total=False):
    """The optional ``<Stream>`` arguments of ``<Start>`` and ``<Connect>``; the token is never shown."""

    name: str | None
    auth_bearer_token: str | None


class ConferenceStreamOptions(_StreamOptions, total=False):
    """The optional arguments of a conference's ``<Stream>``."""

    bidir: bool | None
    track: Track | None
    stream_ssl_validate_certificate: bool | None
    stream_start_conference_on_enter: bool | None


class _StreamHolder(Element):
    """A verb that holds ``<Stream>`` elements only."""

    __slots__ = ()

    def _add(self, child: Element) -> None:
        if not isinstance(child, Stream):
            raise fail(self.TAG, None, f"cannot hold <{child.tag}> (only <Stream>)")
        super()._add(child)

    def _new_stream(self, kind: StreamKind, arguments: Mapping[str, object]) -> Stream:
        stream = new_stream(kind, {camel(name): value for name, value in arguments.items()})
        self._add(stream)
        return stream


class Start(_StreamHolder):
    """``<Start>``: starts a one-way stream; the document goes on at once."""

    TAG = "Start"
    __slots__ = ()

    @keywords_of(CallStreamOptions)
    def stream(self, *, url: str, track: Track | None = None, **options: Unpack[CallStreamOptions]) -> Stream:
        """Add ``<Stream>`` (``track`` defaults to ``inbound_track`` in cXML); returns it."""
        return self._new_stream("start", {"url": url, "track": track, **options})


class Connect(_StreamHolder):
    """``<Connect>``: a bidirectional stream (the call waits on it)."""

    TAG = "Connect"
    __slots__ = ()

    def _add(self, child: Element) -> None:
        if isinstance(child, Stream) and any(isinstance(other, Stream) for other in self._children):
            raise fail(self.TAG, None, "holds one <Stream> (one stream per WebSocket)")
        if not isinstance(child, Stream) and child.tag not in ("Room", "VirtualAgent"):
            raise fail(self.TAG, None, f"cannot hold <{child.tag}> (only <Stream>, <Room>, <VirtualAgent>)")
        Element._add(self, child)  # not _StreamHolder's: <Connect> may also hold <Room> or <VirtualAgent>

    @keywords_of(CallStreamOptions)
    def stream(
        self, *, url: str, track: Literal["inbound_track"] | None = None, **options: Unpack[CallStreamOptions]
    ) -> Stream:
        """Add a bidirectional ``<Stream>`` (only ``inbound_track``); returns it."""
        return self._new_stream("connect", {"url": url, "track": track, **options})


class Stop(_StreamHolder):
    """``<Stop>``: stops streams by name."""

    TAG = "Stop"
    __slots__ = ()

    def stream(self, *, name: str) -> Stream:
        """Add ``<Stream name>``, the stream to stop; returns it."""
        return self._new_stream("stop", {"name": name})


class Conference(_StreamHolder):
    """``<Conference>room</Conference>`` inside ``<Dial>``; may hold a conference ``<Stream>``."""

    TAG = "Conference"
    OPEN = True
    HAS_TEXT = True
    RULES: ClassVar[Mapping[str, Rule]] = {
        "beep": c.choice(("true", "false", "onEnter", "onExit")),
        "startConferenceOnEnter": c.boolean,
        "endConferenceOnExit": c.boolean,
        "muted": c.boolean,
        "maxParticipants": c.integer(1),
        "statusCallback": c.callback_url,
        "statusCallbackMethod": _METHOD,
        "trim": c.choice(("trim-silence", "do-not-trim")),
        "waitUrl": c.callback_url,
        "streamUrl": c.websocket_url,  # in the docs' conference stream example, not in the attribute list
    }
    __slots__ = ()

    def _check(self) -> None:
        if not (self._text or "").strip():
            raise fail(self.TAG, None, "needs the room's name as its text")

    @keywords_of(ConferenceStreamOptions)
    def stream(self, *, name: str, url: str, **options: Unpack[ConferenceStreamOptions]) -> Stream:
        """Add the conference's ``<Stream>`` (``name`` is required here); returns it."""
        return self._new_stream("conference", {"name": name, "url": url, **options})


class Dial(Element):
    """``<Dial>``: here, to put the call into a ``<Conference>``."""

    TAG = "Dial"
    OPEN = True
    HAS_TEXT = True
    RULES: ClassVar[Mapping[str, Rule]] = {
        "action": c.callback_url,
        "method": _METHOD,
        "timeout": c.integer(1),
        "timeLimit": c.integer(1),
        "callerId": c.text,
        "hangupOnStar": c.boolean,
        "trim": c.choice(("trim-silence", "do-not-trim")),
    }
    __slots__ = ()

    def conference(
        self,
        room: str,
        *,
        beep: bool | Literal["onEnter", "onExit"] | None = None,
        start_conference_on_enter: bool | None = None,
        end_conference_on_exit: bool | None = None,
        muted: bool | None = None,
        max_participants: int | None = None,
        status_callback: str | None = None,
        status_callback_method: Method | None = None,
        trim: Literal["trim-silence", "do-not-trim"] | None = None,
        wait_url: str | None = None,
        stream_url: str | None = None,
    ) -> Conference:
        """Add ``<Conference>room</Conference>``; returns it (add its stream with ``.stream(...)``)."""
        conference = Conference()
        conference._text = c.text("Conference", "room", room)
        conference._set(
            {
                "beep": c.boolean("Conference", "beep", beep) if isinstance(beep, bool) else beep,
                "startConferenceOnEnter": start_conference_on_enter,
                "endConferenceOnExit": end_conference_on_exit,
                "muted": muted,
                "maxParticipants": max_participants,
                "statusCallback": status_callback,
                "statusCallbackMethod": status_callback_method,
                "trim": trim,
                "waitUrl": wait_url,
                "streamUrl": stream_url,
            }
        )
        self._add(conference)
        return conference


class Say(Element):
    TAG = "Say"
    OPEN = True
    HAS_TEXT = True
    RULES: ClassVar[Mapping[str, Rule]] = {"voice": c.text, "language": c.text, "loop": c.integer(0)}
    __slots__ = ()


class Pause(Element):
    TAG = "Pause"
    RULES: ClassVar[Mapping[str, Rule]] = {"length": c.integer(1)}
    __slots__ = ()


class Hangup(Element):
    TAG = "Hangup"
    __slots__ = ()


class Redirect(Element):
    TAG = "Redirect"
    HAS_TEXT = True
    RULES: ClassVar[Mapping[str, Rule]] = {"method": _METHOD}
    __slots__ = ()

    def _check(self) -> None:
        self._text = c.callback_url(self.TAG, "URL", self._text or "")


class VoiceResponse(Element):
    """A cXML voice document. ``str(response)`` is the document, with its XML declaration.

    Each verb method checks its arguments at once (``CXMLError``, a ``ValueError``, naming the
    element and attribute). ``start()``, ``connect()``, ``stop()`` and ``dial()`` return the new
    verb (to add its ``<Stream>`` or ``<Conference>``); ``say()``, ``pause()``, ``hangup()`` and
    ``redirect()`` return the response, so they chain.
    """

    TAG = "Response"
    __slots__ = ()

    def _verb(self, verb: Element, values: Mapping[str, object] | None = None) -> Element:
        verb._set(values or {})
        self._add(verb)
        return verb

    def start(self) -> Start:
        return self._verb(Start())  # type: ignore[return-value]

    def connect(self) -> Connect:
        return self._verb(Connect())  # type: ignore[return-value]

    def stop(self) -> Stop:
        return self._verb(Stop())  # type: ignore[return-value]

    def dial(
        self,
        *,
        action: str | None = None,
        method: Method | None = None,
        timeout: int | None = None,
        time_limit: int | None = None,
        caller_id: str | None = None,
        hangup_on_star: bool | None = None,
        trim: Literal["trim-silence", "do-not-trim"] | None = None,
    ) -> Dial:
        values = {
            "action": action,
            "method": method,
            "timeout": timeout,
            "timeLimit": time_limit,
            "callerId": caller_id,
            "hangupOnStar": hangup_on_star,
            "trim": trim,
        }
        return self._verb(Dial(), values)  # type: ignore[return-value]

    def say(
        self, text: str, *, voice: str | None = None, language: str | None = None, loop: int | None = None
    ) -> VoiceResponse:
        say = Say()
        say._text = c.text("Say", "text", text)
        self._verb(say, {"voice": voice, "language": language, "loop": loop})
        return self

    def pause(self, *, length: int | None = None) -> VoiceResponse:
        self._verb(Pause(), {"length": length})
        return self

    def hangup(self) -> VoiceResponse:
        self._verb(Hangup())
        return self

    def redirect(self, url: str, *, method: Method | None = None) -> VoiceResponse:
        redirect = Redirect()
        redirect._text = url
        self._verb(redirect, {"method": method})
        return self

    def to_xml(self) -> str:
        """The document: XML declaration, then the elements (attributes in a fixed order per element)."""
        return _DECLARATION + ET.tostring(self._etree(None), encoding="unicode")

    def encode(self) -> bytes:
        """The document as UTF-8 bytes, for an HTTP answer (``Content-Type: text/xml``)."""
        return self.to_xml().encode("utf-8")

    def __str__(self) -> str:
        return self.to_xml()
