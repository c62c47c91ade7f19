"""The SDK's logger (``signalwire_compat``): ``SIGNALWIRE_LOG=debug|info`` sends it to stderr, and the DEBUG
line a blocking client writes when it is used inside a running event loop."""

from __future__ import annotations

import logging
import os
import sys

from ._exceptions import ConfigurationError
from ._redaction import secrets_filter

__all__ = ["ENV_LOG", "log_from_environment", "logger", "warn_if_in_event_loop"]

logger = logging.getLogger("signalwire_compat")
ENV_LOG = "SIGNALWIRE_LOG"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_configured = False


def log_from_environment() -> None:
    """On the first client's construction: if ``SIGNALWIRE_LOG`` names a level, log the SDK's records at it to stderr.

    The handler carries the filter the httpx and httpcore loggers have, so a record holding a live
    client's secret (none should) is redacted too.
    """
    global _configured  # once per process, like logging.basicConfig
    if _configured:
        return
    value = os.environ.get(ENV_LOG, "").strip()
    if value:
        level = _LEVELS.get(value.lower())
        if level is None:
            raise ConfigurationError(f"{ENV_LOG} must be debug or info (or unset), got {value[:20]!r}")
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(secrets_filter())
        logger.addHandler(handler)
        logger.setLevel(level)
    _configured = True


def warn_if_in_event_loop(client: str) -> None:
    """Log (at DEBUG) that the blocking ``client`` is used inside a running event loop, if it is."""
    asyncio = sys.modules.get("asyncio")  # not imported: no loop can be running
    if asyncio is not None and logger.isEnabledFor(logging.DEBUG):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        logger.debug(f"{client} is used inside a running event loop, which it blocks: use AsyncClient")
