"""signalwire-compat's pytest plugin: ``fake_space``, ``async_fake_space`` and ``serve_app``.

Active wherever the package is installed (its ``pytest11`` entry point); ``pytest -p no:signalwire_compat``
turns it off. It imports only pytest until a test uses one of its fixtures: the SDK loads then.

    @pytest.mark.fake_space(clock=ManualClock(), callback_app=app)   # FakeSpace(...)'s options, if any
    def test_the_agent(fake_space, serve_app): ...
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from signalwire_compat.testing import FakeSpace

__all__ = ["async_fake_space", "fake_space", "serve_app"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fake_space(**options): FakeSpace(...)'s options for the fake_space and async_fake_space fixtures"
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("fake_space")
    if marker is not None and marker.args:
        raise TypeError("@pytest.mark.fake_space takes FakeSpace's keyword options only")
    return {} if marker is None else dict(marker.kwargs)


@pytest.fixture
def fake_space(request: pytest.FixtureRequest) -> Iterator[FakeSpace]:
    """A running ``FakeSpace`` (``@pytest.mark.fake_space(...)``: its options), stopped after the test."""
    from signalwire_compat.testing import FakeSpace

    with FakeSpace(**_options(request)) as space:
        yield space


async def _async_fake_space(request: pytest.FixtureRequest) -> AsyncIterator[FakeSpace]:
    """``fake_space`` for ``async def`` tests (pytest-asyncio or anyio): it stops off the test's event loop, so
    an app served on that loop answers until its calls have ended."""
    from signalwire_compat.testing import FakeSpace

    async with FakeSpace(**_options(request)) as space:
        yield space


# pytest-asyncio's strict mode runs only the async fixtures it was given; anyio (and auto mode) run any.
_async_fixture: Any = (
    importlib.import_module("pytest_asyncio").fixture
    if importlib.util.find_spec("pytest_asyncio") is not None
    else pytest.fixture
)
async_fake_space = _async_fixture(_async_fake_space, name="async_fake_space")


@pytest.fixture
def serve_app() -> Iterator[Callable[[Any], str]]:
    """``serve_app(app)``: the app on 127.0.0.1, its ``http://127.0.0.1:PORT``, stopped after the test. An aiohttp
    ``web.Application``, or an ASGI app (FastAPI, Starlette) on uvicorn, which must then be installed."""
    from signalwire_compat.testing._serve import AppServers

    servers = AppServers()
    try:
        yield servers.serve
    finally:
        servers.close()
