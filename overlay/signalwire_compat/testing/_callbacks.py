"""FakeSpace's status callbacks: signed requests to the ``StatusCallback`` URL a stream was created with.

They are sent as SignalWire sends compatibility callbacks: a form ``POST`` (or a ``GET`` with the
parameters in the query), signed with the space's signing key (``webhooks.sign_form``) in both
``X-SignalWire-Signature`` and ``X-Twilio-Signature``. One background thread sends them in order,
so the API answer that caused a callback is never held up by it, and every attempt is recorded
with its outcome. Only loopback URLs are contacted: a fake must not reach the network. A URL the
space's ``callback_app`` takes is delivered to that app in-process instead (``_apps``).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

import attrs

from .. import webhooks
from .._validation import is_loopback_url
from ._apps import AppRoute

__all__ = ["CallbackSender", "Delivery"]

_TIMEOUT = 5.0


@attrs.frozen
class Delivery:
    """One status callback: where it went, what it carried, and what came of it."""

    url: str  # as requested (for a GET, with the parameters in its query)
    method: str
    params: tuple[tuple[str, str], ...]
    signature: str
    status: int  # the HTTP status the receiver answered; 0 if none
    error: str | None  # why there was no answer (refused, timed out, not a loopback URL)

    @property
    def form(self) -> dict[str, str]:
        return dict(self.params)

    @property
    def ok(self) -> bool:
        return 200 <= self.status <= 299


class CallbackSender:
    """Sends callbacks in order on one background thread (started on first use)."""

    def __init__(self, signing_key: str, app: AppRoute | None = None) -> None:
        self._signing_key = signing_key
        self._app = app
        self._queue: queue.Queue[tuple[str, str, tuple[tuple[str, str], ...]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._done = threading.Condition()
        self._deliveries: list[Delivery] = []
        # No proxies: callbacks go to loopback addresses only.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def send(self, url: str, method: str, params: Sequence[tuple[str, str]]) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="FakeSpace-callbacks", daemon=True)
            self._thread.start()
        self._queue.put((url, method, tuple(params)))

    @property
    def deliveries(self) -> list[Delivery]:
        with self._done:
            return list(self._deliveries)

    def wait(self, count: int, timeout: float) -> list[Delivery]:
        """The first ``count`` deliveries, waiting up to ``timeout`` seconds for them to be made."""
        deadline = time.monotonic() + timeout
        with self._done:
            while len(self._deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{len(self._deliveries)} of {count} status callbacks were made within {timeout:g} s"
                    )
                self._done.wait(left)
            return list(self._deliveries[:count])

    def close(self) -> None:
        """Send what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=2 * _TIMEOUT)
            self._thread = None

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            delivery = self._deliver(*item)
            with self._done:
                self._deliveries.append(delivery)
                self._done.notify_all()

    def _deliver(self, url: str, method: str, params: tuple[tuple[str, str], ...]) -> Delivery:
        if method == "GET":
            url = f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(params)}"
            signature, body = webhooks.sign_form(self._signing_key, url=url, params={}), None
        else:
            signature, body = webhooks.sign_form(self._signing_key, url=url, params=params), urlencode(params).encode()

        def record(status: int, error: str | None) -> Delivery:
            return Delivery(url, method, params, signature, status, error)

        headers = {webhooks.SIGNATURE_HEADER: signature, webhooks.TWILIO_SIGNATURE_HEADER: signature}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self._app is not None and self._app.matches(url):
            answer = self._app.call(method, url, headers, body or b"", max_bytes=64 * 1024)
            return record(answer.status, answer.error)
        if not is_loopback_url(url):
            return record(0, "not sent: a FakeSpace sends status callbacks to loopback addresses only")
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310 - to loopback
        try:
            with contextlib.closing(self._opener.open(request, timeout=_TIMEOUT)) as response:
                return record(response.status, None)
        except urllib.error.HTTPError as answer:
            answer.close()
            return record(answer.code, None)
        except (OSError, ValueError) as exc:
            return record(0, f"{type(exc).__name__}: {exc}")
