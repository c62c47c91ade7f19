"""The asynchronous client, written once; ``_sync/`` is derived from it by ``scripts/pipeline/unasync.py``."""
