"""The base of every cXML element: attributes checked by rule, children, text, equality, safe repr."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any, ClassVar

from . import _checks
from ._checks import Rule, fail

__all__ = ["SECRET_ATTRIBUTES", "Element", "Other"]

SECRET_ATTRIBUTES = frozenset({"authBearerToken"})
_HIDDEN = "[hidden]"


class Element:
    """A cXML element: ``tag``, ``attributes`` (document names and text), ``children``, ``text``.

    Elements compare equal when their tags, attributes (in any order), text and children are. Their
    ``repr`` never shows a secret attribute (``authBearerToken``); only the document holds it.
    """

    TAG: ClassVar[str] = ""
    RULES: ClassVar[Mapping[str, Rule]] = {}  # attribute -> rule, in the order they are written
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    OPEN: ClassVar[bool] = False  # a parsed document's other attributes are kept unchecked
    HAS_TEXT: ClassVar[bool] = False
    __slots__ = ("_attributes", "_children", "_text")
    __hash__ = None  # type: ignore[assignment]  # mutable: built up by its methods

    def __init__(self) -> None:
        self._attributes: dict[str, str] = {}
        self._children: list[Element] = []
        self._text: str | None = None

    @property
    def tag(self) -> str:
        return self.TAG

    @property
    def attributes(self) -> dict[str, str]:
        """The attributes as written in the document (a copy)."""
        return dict(self._attributes)

    @property
    def children(self) -> tuple[Element, ...]:
        return tuple(self._children)

    @property
    def text(self) -> str | None:
        return self._text

    def rules(self) -> Mapping[str, Rule]:
        return self.RULES

    def required(self) -> tuple[str, ...]:
        return self.REQUIRED

    def _name(self) -> str:
        return self.tag

    def _repr_head(self) -> list[str]:
        return []

    def _set(self, values: Mapping[str, object], *, unchecked: Mapping[str, str] | None = None) -> None:
        """Check and store ``values`` (document names; None: absent), then the element's own checks."""
        rules = self.rules()
        for attribute, value in values.items():
            if value is None:
                continue
            rule = rules.get(attribute)
            if rule is None:
                if not self.OPEN:
                    known = ", ".join(rules) or "none"
                    raise fail(self._name(), attribute, f"is not an attribute of this element (it takes: {known})")
                self._attributes[attribute] = _checks.text(self._name(), attribute, value)
            else:
                self._attributes[attribute] = rule(self._name(), attribute, value)
        for attribute in self.required():
            if attribute not in self._attributes:
                raise fail(self._name(), attribute, "is required")
        self._check()

    def _check(self) -> None:
        """Rules between attributes, and between an element and its children (overridden)."""

    def _add(self, child: Element) -> None:
        self._children.append(child)

    def _ordered(self) -> list[tuple[str, str]]:
        order = {name: index for index, name in enumerate(self.rules())}
        return sorted(self._attributes.items(), key=lambda item: order.get(item[0], len(order)))

    def _etree(self, parent: ET.Element | None) -> ET.Element:
        attributes = dict(self._ordered())
        node = ET.Element(self.tag, attributes) if parent is None else ET.SubElement(parent, self.tag, attributes)
        if self._text is not None:
            node.text = self._text
        for child in self._children:
            child._etree(node)
        return node

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Element):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.tag == other.tag
            and self._attributes == other._attributes
            and (self._text or "").strip() == (other._text or "").strip()  # as parse reads it
            and self._children == other._children
        )

    def __repr__(self) -> str:
        parts = [f"{name}={_HIDDEN if name in SECRET_ATTRIBUTES else repr(value)}" for name, value in self._ordered()]
        if self._text is not None:
            parts.insert(0, repr(self._text))
        parts[:0] = self._repr_head()
        if self._children:
            parts.append(f"children={self._children!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __reduce__(self) -> Any:
        # Pickles and copies carry the document's secret: refuse rather than leak it by accident.
        raise TypeError(f"{type(self).__name__} cannot be pickled; keep str(response) instead")


class Other(Element):
    """An element this package does not model (``<Play>``, ``<Gather>``, ...), kept as read, unchecked."""

    OPEN = True
    HAS_TEXT = True
    __slots__ = ("_tag",)

    def __init__(self, tag: str) -> None:
        super().__init__()
        self._tag = tag

    @property
    def tag(self) -> str:  # the tag of the element it stands for
        return self._tag

    def _repr_head(self) -> list[str]:
        return [repr(self._tag)]
