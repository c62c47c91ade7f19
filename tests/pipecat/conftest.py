"""The pipecat integration's tests. Those that need pipecat run only where it is installed: ``make test-pipecat``
builds that environment (``.venv-pipecat``, from ``constraints-pipecat.txt``); ``make test`` and ``make quick``
run only the pipecat-free ones (the backlog estimate, ``read_start``)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

NEEDS_PIPECAT = ["agent.py", "test_docs.py", "test_extra.py", "test_pipeline.py", "test_serializer.py"]

if importlib.util.find_spec("pipecat") is None:
    collect_ignore = NEEDS_PIPECAT
else:
    from loguru import logger

    # pipecat logs through loguru at DEBUG by default: keep its warnings and errors, in pytest's captured stderr.
    logger.remove()
    logger.add(lambda message: sys.stderr.write(message), level="WARNING")


def pytest_configure(config: pytest.Config) -> None:
    # pipecat imports audioop (its own choice; the serializer uses the SDK's μ-law tables instead).
    config.addinivalue_line("filterwarnings", "ignore:'audioop' is deprecated:DeprecationWarning")
