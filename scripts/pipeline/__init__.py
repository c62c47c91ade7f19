"""From the OpenAPI specs to ``generated/`` and the overlay's derived modules, and the checks of both.

Each module the Makefile runs is a command of its own (``python -m scripts.pipeline.generate --check``);
``docs/spec-changes.md`` says which target runs what.
"""
