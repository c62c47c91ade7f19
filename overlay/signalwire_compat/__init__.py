"""Typed SDK for SignalWire's Compatibility (LaML) REST API."""

from ._version import __version__

__all__ = ["__version__"]
