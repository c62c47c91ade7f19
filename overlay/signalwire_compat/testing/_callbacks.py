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
import http.client
import queue
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import IO
from urllib.parse import urlencode, urlsplit

import attrs

from .. import webhooks
from .._validation import is_loopback_url
from ._apps import AppRoute
from ._clock import wait_until
from ._waiting import Changes, await_until

__all__ = ["CallbackSender", "Delivery", "Signed"]

_TIMEOUT = 5.0
_CLOSE_GRACE = 0.5  # wall seconds the callbacks still queued or in flight get when the space stops
CUT = "no answer: the FakeSpace stopped while the receiver kept it waiting"
NOT_SENT = "not sent: the FakeSpace stopped first"


@attrs.frozen
class Delivery:
    """One status callback: where it went, what it carried, and what came of it."""

    url: str  # as requested (for a GET, with the parameters in its query)
    method: str
    params: tuple[tuple[str, str], ...]
    signature: str
    status: int  # the HTTP status the receiver answered; 0 if none
    error: str | None  # why there was no answer (refused, timed out, not a loopback URL, the space stopped)

    @property
    def form(self) -> dict[str, str]:
        return dict(self.params)

    @property
    def ok(self) -> bool:
        return 200 <= self.status <= 299


@attrs.frozen
class Signed:
    """A request as SignalWire signs it: a form ``POST``, or a ``GET`` with the parameters in its query."""

    url: str  # as requested
    signature: str
    body: bytes | None
    headers: Mapping[str, str]  # both signature headers, and the form's Content-Type

    @classmethod
    def request(cls, signing_key: str, url: str, method: str, params: Sequence[tuple[str, str]]) -> Signed:
        body = None
        if method == "GET":
            url = f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(params)}"
            signature = webhooks.sign_form(signing_key, url=url, params={})
        else:
            signature = webhooks.sign_form(signing_key, url=url, params=params)
            body = urlencode(params).encode()
        headers = {webhooks.SIGNATURE_HEADER: signature, webhooks.TWILIO_SIGNATURE_HEADER: signature}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return cls(url, signature, body, headers)


class _Line:
    """The socket of the callback in flight, so that stopping can cut a receiver that never answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self.cut = False

    def opened(self, connection: socket.socket) -> None:
        with self._lock:
            if self.cut:  # cut while it connected: the receiver never gets the request
                connection.close()
                raise ConnectionAbortedError(NOT_SENT)
            self._socket = connection

    def done(self) -> None:
        with self._lock:
            self._socket = None

    def cut_now(self) -> None:
        with self._lock:
            self.cut = True
            if self._socket is not None:
                with contextlib.suppress(OSError):
                    self._socket.shutdown(socket.SHUT_RDWR)


class _Handler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """urllib's http and https handlers, on connections that tell the line their socket once open."""

    def __init__(self, line: _Line) -> None:
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self)

        class Connection(http.client.HTTPConnection):
            def connect(self) -> None:
                super().connect()
                line.opened(self.sock)

        class TLSConnection(http.client.HTTPSConnection):
            def connect(self) -> None:
                super().connect()
                line.opened(self.sock)

        self._classes = Connection, TLSConnection

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._classes[0], req)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._classes[1], req)


class _Refused(urllib.error.HTTPError):
    """A redirect off loopback: answered, and not followed."""


class _LoopbackRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed on loopback only (``0.0.0.0`` would reach this host's listeners)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_loopback_url(newurl):
            problem = f"redirected to {newurl}, which is not a loopback address: not followed"
            raise _Refused(req.full_url, code, problem, headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class CallbackSender:
    """Sends callbacks in order on one background thread (started on first use).

    ``close()`` gives what is queued or in flight ``_CLOSE_GRACE`` seconds, then cuts the one in flight
    and records the rest as not sent: a receiver that never answers does not hold the space up.
    """

    def __init__(self, signing_key: str, app: AppRoute | None = None) -> None:
        self._signing_key = signing_key
        self._app = app
        self._queue: queue.Queue[tuple[str, str, tuple[tuple[str, str], ...]] | None] = queue.Queue()
        self._lock = threading.Lock()  # the thread, the queue's end and closing
        self._thread: threading.Thread | None = None
        self._closed = False
        self._done = Changes()
        self._deliveries: list[Delivery] = []
        self._line = _Line()
        # No proxies: callbacks go to loopback addresses only.
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), _Handler(self._line), _LoopbackRedirects()
        )

    def send(self, url: str, method: str, params: Sequence[tuple[str, str]]) -> None:
        item = (url, method, tuple(params))
        with self._lock:
            if not self._closed:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="FakeSpace-callbacks", daemon=True)
                    self._thread.start()
                self._queue.put(item)
                return
        self._record(self._not_sent(*item))

    @property
    def deliveries(self) -> list[Delivery]:
        with self._done:
            return list(self._deliveries)

    def wait(self, count: int, timeout: float) -> list[Delivery]:
        """The first ``count`` deliveries, waiting up to ``timeout`` seconds for them to be made."""
        wait_until(self._done, lambda: len(self._deliveries) >= count, timeout, self._late(count, timeout))
        with self._done:
            return list(self._deliveries[:count])

    async def await_(self, count: int, timeout: float) -> list[Delivery]:
        """``wait``, awaited on the running loop without blocking it."""
        await await_until(self._done, lambda: len(self._deliveries) >= count, timeout, self._late(count, timeout))
        with self._done:
            return list(self._deliveries[:count])

    def _late(self, count: int, timeout: float) -> Callable[[], str]:
        return lambda: f"{len(self._deliveries)} of {count} status callbacks were made within {timeout:g} s"

    def close(self) -> None:
        """Send what is queued within the grace, then cut what is left, and stop the thread."""
        with self._lock:
            self._closed = True
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self._queue.put(None)
        thread.join(_CLOSE_GRACE)
        if thread.is_alive():
            self._line.cut_now()
            thread.join(_TIMEOUT)  # at once, unless an in-process app is still answering

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            self._record(self._not_sent(*item) if self._line.cut else self._deliver(*item))

    def _record(self, delivery: Delivery) -> None:
        with self._done:
            self._deliveries.append(delivery)
            self._done.notify_all()

    def _not_sent(self, url: str, method: str, params: tuple[tuple[str, str], ...]) -> Delivery:
        signed = Signed.request(self._signing_key, url, method, params)
        return Delivery(signed.url, method, params, signed.signature, 0, NOT_SENT)

    def _deliver(self, url: str, method: str, params: tuple[tuple[str, str], ...]) -> Delivery:
        signed = Signed.request(self._signing_key, url, method, params)
        url, body, headers = signed.url, signed.body, dict(signed.headers)

        def record(status: int, error: str | None) -> Delivery:
            return Delivery(url, method, params, signed.signature, status, error)

        if self._app is not None and self._app.matches(url):
            answer = self._app.call(method, url, headers, body or b"", max_bytes=64 * 1024)
            return record(answer.status, answer.error)
        if not is_loopback_url(url):
            return record(0, "not sent: a FakeSpace sends status callbacks to loopback addresses only")
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310 - to loopback
        try:
            with contextlib.closing(self._opener.open(request, timeout=_TIMEOUT)) as response:
                return record(response.status, None)
        except _Refused as refused:
            refused.close()
            return record(refused.code, str(refused.reason))
        except urllib.error.HTTPError as answer:
            answer.close()
            return record(answer.code, None)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            return record(0, CUT if self._line.cut else f"{type(exc).__name__}: {exc}")
        finally:
            self._line.done()
