"""A typed cXML (LaML) builder and reader for the documents that start, connect and stop media streams.

    from signalwire_compat import cxml

    response = cxml.VoiceResponse()
    response.start().stream(url="wss://example.com/audio", name="agent").parameter("Lang", "en")
    str(response)  # '<?xml version="1.0" encoding="UTF-8"?><Response><Start><Stream ...'

Every argument is checked when given (``CXMLError``, a ``ValueError``); ``parse`` reads a document
back with the same checks.
"""

from .._exceptions import CXMLError
from ._build import Conference, Connect, Dial, Hangup, Pause, Redirect, Say, Start, Stop, VoiceResponse
from ._checks import CODECS, METHODS, TRACKS, Codec, Method, Track
from ._element import Element, Other
from ._parse import parse
from ._stream import MAX_PARAMETERS, Parameter, Stream, StreamKind

__all__ = [
    "CODECS",
    "MAX_PARAMETERS",
    "METHODS",
    "TRACKS",
    "CXMLError",
    "Codec",
    "Conference",
    "Connect",
    "Dial",
    "Element",
    "Hangup",
    "Method",
    "Other",
    "Parameter",
    "Pause",
    "Redirect",
    "Say",
    "Start",
    "Stop",
    "Stream",
    "StreamKind",
    "Track",
    "VoiceResponse",
    "parse",
]
