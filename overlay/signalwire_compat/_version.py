"""The SDK's version (read by the build backend from this file)."""

__version__ = "0.2.0"
