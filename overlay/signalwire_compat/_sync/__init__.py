# Derived from _async/__init__.py by scripts/pipeline/unasync.py: edit that file and run `make generate`.
"""The synchronous client, written once; ``_sync/`` is derived from it by ``scripts/pipeline/unasync.py``."""
