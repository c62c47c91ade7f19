"""Read a cXML document back into the builder's classes, with the same checks and the line of each error.

defusedxml refuses DTDs, entity declarations and external references; it is imported here only.
"""

from __future__ import annotations

from typing import Any

from .._exceptions import CXMLError
from . import _build as b
from ._element import Element, Other
from ._stream import Parameter, Stream, StreamKind

__all__ = ["MAX_BYTES", "MAX_DEPTH", "parse"]

# The verbs SignalWire documents (cXML reference -> Voice); the ones not modelled are kept as Other.
_VERBS: dict[str, type[Element] | None] = {
    "Start": b.Start,
    "Connect": b.Connect,
    "Stop": b.Stop,
    "Dial": b.Dial,
    "Say": b.Say,
    "Pause": b.Pause,
    "Hangup": b.Hangup,
    "Redirect": b.Redirect,
    **dict.fromkeys(
        ("Denoise", "Echo", "Enqueue", "Gather", "Leave", "Pay", "Play", "Record", "Refer", "Reject", "Sms"), None
    ),
}
_STREAM_KIND: dict[type[Element], StreamKind] = {
    b.Start: "start",
    b.Connect: "connect",
    b.Stop: "stop",
    b.Conference: "conference",
}
MAX_BYTES = 1024 * 1024  # the largest document read (lint-cxml and FakeSpace read no more than this and one byte)
# cXML nests a few levels (<Response><Dial><Conference><Stream><Parameter>); the tree's readers, its
# comparison and its repr recurse, so a deeper document is refused while it is read.
MAX_DEPTH = 64


class _Node:
    __slots__ = ("attributes", "children", "line", "tag", "text")

    def __init__(self, tag: str, attributes: dict[str, str], line: int) -> None:
        self.tag, self.attributes, self.line = tag, attributes, line
        self.children: list[_Node] = []
        self.text: list[str] = []


class _Target:
    """An ElementTree parser target that keeps each element's line (for the error messages)."""

    def __init__(self) -> None:
        self.parser: Any = None
        self.stack: list[_Node] = []
        self.root: _Node | None = None

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        line = self.parser.parser.CurrentLineNumber
        if len(self.stack) >= MAX_DEPTH:
            raise CXMLError(f"line {line}: elements are nested more than {MAX_DEPTH} deep", line=line)
        node = _Node(tag, dict(attributes), line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].text.append(text)

    def close(self) -> _Node | None:
        return self.root


def _error(node: _Node, error: CXMLError) -> CXMLError:
    return CXMLError(f"line {node.line}: {error}", element=error.element, attribute=error.attribute, line=node.line)


def _element(node: _Node, parent: Element) -> Element:
    if isinstance(parent, Other):
        element: Element = Other(node.tag)
    elif isinstance(parent, b.VoiceResponse):
        if node.tag not in _VERBS:
            raise CXMLError(f"<{node.tag}> is not a cXML voice verb", element=node.tag)
        verb = _VERBS[node.tag]
        element = Other(node.tag) if verb is None else verb()
    elif node.tag == "Stream" and type(parent) in _STREAM_KIND:
        element = Stream(_STREAM_KIND[type(parent)])
    elif node.tag == "Parameter" and isinstance(parent, Stream):
        element = Parameter()
    elif node.tag == "Conference" and isinstance(parent, b.Dial):
        element = b.Conference()
    elif isinstance(parent, b.Connect | b.Dial):
        element = Other(node.tag)  # <Room>, <VirtualAgent>; <Number>, <Sip>, <Queue>, ...
    else:
        raise CXMLError(f"<{parent.tag}> cannot hold <{node.tag}>", element=parent.tag)
    text = "".join(node.text)
    if element.HAS_TEXT:
        element._text = text if isinstance(element, Other) else (text.strip() or None)
    elif text.strip():
        raise CXMLError(f"<{node.tag}> holds text ({text.strip()[:40]!r}); it takes none", element=node.tag)
    element._set(node.attributes)
    return element


def _build(node: _Node, parent: Element) -> None:
    try:
        element = _element(node, parent)
        parent._add(element)
    except CXMLError as error:
        raise error if error.line is not None else _error(node, error) from None
    for child in node.children:
        _build(child, element)


def _size(document: str | bytes) -> int:
    """Bytes as given; a ``str`` as UTF-8 (encoded only when it could be over the limit)."""
    if isinstance(document, bytes) or len(document) * 4 <= MAX_BYTES:
        return len(document)
    return len(document.encode("utf-8", "surrogatepass"))


def parse(document: str | bytes) -> b.VoiceResponse:
    """A cXML voice document -> ``VoiceResponse``, checked as the builder checks; ``CXMLError`` names the line.

    ``bytes`` are read as XML reads them: in the encoding the declaration names, or the byte order
    mark shows (UTF-8 when neither). At most ``MAX_BYTES`` (1 MiB) and ``MAX_DEPTH`` (64) elements
    deep. DTDs, entity declarations and external references are refused (defusedxml). Elements this
    package does not model are kept, unchecked, as ``Other``.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    if not isinstance(document, str | bytes):
        raise TypeError(f"document must be str or bytes, not {type(document).__name__}")
    if _size(document) > MAX_BYTES:
        raise CXMLError(f"the document is larger than {MAX_BYTES} bytes")
    target = _Target()
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    target.parser = parser
    try:
        parser.feed(document)
        parser.close()
    except ParseError as error:
        line = error.position[0]
        raise CXMLError(f"line {line}: not well-formed XML ({error.msg})", line=line) from None
    except DefusedXmlException as error:
        line = parser.parser.CurrentLineNumber
        raise CXMLError(
            f"line {line}: refused: {type(error).__name__} (DTDs and entities are not allowed)", line=line
        ) from None
    root = target.root
    if root is None:
        raise CXMLError("the document holds no element")
    if root.tag != "Response":
        raise CXMLError(f"line {root.line}: the root element must be <Response>, not <{root.tag}>", line=root.line)
    response = b.VoiceResponse()
    try:
        response._set(root.attributes)
    except CXMLError as error:
        raise _error(root, error) from None
    if "".join(root.text).strip():
        raise CXMLError(f"line {root.line}: <Response> holds text; it takes only verbs", line=root.line)
    for child in root.children:
        _build(child, response)
    return response
