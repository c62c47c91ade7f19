"""The pipecat integration's tests run only where pipecat is installed: ``make test-pipecat`` builds that
environment (``.venv-pipecat``, from ``constraints-pipecat.txt``). ``make test`` and ``make quick`` do not
collect them."""

from __future__ import annotations

import importlib.util
import sys

import pytest

if importlib.util.find_spec("pipecat") is None:
    collect_ignore_glob = ["*.py"]
else:
    from loguru import logger

    # pipecat logs through loguru at DEBUG by default: keep its warnings and errors, in pytest's captured stderr.
    logger.remove()
    logger.add(lambda message: sys.stderr.write(message), level="WARNING")


def pytest_configure(config: pytest.Config) -> None:
    # pipecat imports audioop (its own choice; the serializer uses the SDK's μ-law tables instead).
    config.addinivalue_line("filterwarnings", "ignore:'audioop' is deprecated:DeprecationWarning")
