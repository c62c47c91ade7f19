"""FakeSpace's one background event loop thread: WebSocket sessions and incoming calls run on it.

It starts on first use (so a space that never streams starts no thread and never imports aiohttp)
and ``close()`` cancels what still runs, closes its HTTP session and joins the thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import aiohttp

__all__ = ["CONNECT_TIMEOUT", "LoopThread"]

T = TypeVar("T")
CONNECT_TIMEOUT = 5.0  # seconds (wall time) to open a WebSocket or get a webhook's answer


class LoopThread:
    """An event loop on its own thread; coroutines are submitted to it from any thread."""

    def __init__(self, name: str = "FakeSpace-media") -> None:
        self._name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._http: aiohttp.ClientSession | None = None
        self._closed = False

    def _ensure(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._closed:
                raise RuntimeError("this FakeSpace has stopped")
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()
                thread = threading.Thread(target=self._run, args=(loop, ready), name=self._name, daemon=True)
                thread.start()
                ready.wait(5)
                self._loop, self._thread = loop, thread
            return self._loop

    @staticmethod
    def _run(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        loop.run_forever()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run ``coroutine`` as a task on the loop; its future can be waited on from any thread."""
        try:
            loop = self._ensure()
        except RuntimeError:
            coroutine.close()
            raise
        return asyncio.run_coroutine_threadsafe(coroutine, loop)

    def call_soon(self, function: Any, *args: Any) -> None:
        """Run ``function(*args)`` on the loop thread (nothing if the loop never started or stopped)."""
        with self._lock:
            loop = None if self._closed else self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # closed meanwhile
                loop.call_soon_threadsafe(function, *args)

    def on_loop_thread(self) -> bool:
        """True in the loop's own thread (where waiting on the loop would wait forever)."""
        return self._thread is threading.current_thread()

    @property
    def started(self) -> bool:
        return self._loop is not None

    async def http(self) -> aiohttp.ClientSession:
        """The loop's aiohttp session (created on first use, on the loop): loopback only (``_loopback``)."""
        if self._http is None:
            from ._loopback import loopback_session

            self._http = loopback_session(CONNECT_TIMEOUT)
        return self._http

    def close(self, timeout: float = 5.0) -> None:
        """Cancel every task still running, close the HTTP session, stop the loop and join its thread."""
        with self._lock:
            self._closed = True
            loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if not thread.is_alive():
            loop.close()

    async def _shutdown(self) -> None:
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
            self._http = None
        # Threads an in-process webhook ran in (asyncio.to_thread) are joined, not left to end later.
        await asyncio.get_running_loop().shutdown_default_executor()
