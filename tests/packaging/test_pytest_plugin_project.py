"""The pytest plugin in a project that only installed the package (its wheel and the runtime dependencies, plus
pytest, in a venv of their own): its fixtures work there with no conftest, it loads none of the SDK until a
fixture is used, and ``-p no:signalwire_compat`` turns it off."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from runtime_env import make_runtime_env, runtime_dependencies

pytestmark = pytest.mark.slow  # builds a wheel and a venv, runs pytest in it

TESTS = """
import sys

import pytest
from aiohttp import web

from signalwire_compat import cxml, media


def agent() -> web.Application:
    async def voice(request):
        document = cxml.VoiceResponse()
        document.connect().stream(url=f"ws://{request.host}/media")
        return web.Response(text=str(document), content_type="text/xml")

    async def media_socket(request):
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            if isinstance(media.parse(message.data), media.Dtmf):
                await ws.close()
        return ws

    app = web.Application()
    app.add_routes([web.post("/voice", voice), web.get("/media", media_socket)])
    return app


@pytest.mark.fake_space(speed=50)
def test_a_call_to_a_served_app(fake_space, serve_app):
    call = fake_space.incoming_call(serve_app(agent()) + "/voice")
    call.press("#", at=0.1)
    assert call.wait_until_ended().status == "completed"


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.fake_space(speed=50)
async def test_a_call_awaited_on_the_tests_loop(async_fake_space, serve_app, anyio_backend):
    call = async_fake_space.incoming_call(serve_app(agent()) + "/voice")
    call.press("#", at=0.1)
    assert (await call.await_until_ended()).status == "completed"


def test_an_asgi_app_without_uvicorn_is_refused_naming_it_and_the_in_process_way(serve_app):
    async def app(scope, receive, send):
        raise AssertionError("never called")

    with pytest.raises(RuntimeError, match="needs uvicorn"):
        serve_app(app)
"""

NOTHING_LOADED = (
    "import sys, signalwire_compat_pytest; "
    "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('signalwire_compat', 'httpx', 'aiohttp')); "
    "print(loaded)"
)


def test_the_plugins_fixtures_work_in_a_project_that_only_installed_the_package(
    sdk_wheel: Path, tmp_path: Path
) -> None:
    python, site_packages = make_runtime_env(tmp_path / "env", [*runtime_dependencies(), "pytest"])
    with zipfile.ZipFile(sdk_wheel) as wheel:  # installed as pip would: the packages and the dist-info
        wheel.extractall(site_packages)
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_agent.py").write_text(TESTS, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def pytest_in_project(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
        return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120, env=env, check=False)

    ran = pytest_in_project()
    assert ran.returncode == 0 and "3 passed" in ran.stdout, ran.stdout + ran.stderr
    off = pytest_in_project("-p", "no:signalwire_compat")
    assert off.returncode != 0 and "fixture 'fake_space' not found" in off.stdout, off.stdout
    loaded = subprocess.run([str(python), "-c", NOTHING_LOADED], capture_output=True, text=True, env=env, check=True)
    assert loaded.stdout.strip() == "[]"
