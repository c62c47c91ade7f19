"""A call's voice webhook, as SignalWire makes it: the signed request for a cXML document (a form ``POST``, or
a ``GET`` with the parameters in its query), to the space's ``callback_app`` in-process or over HTTP to a
loopback address (redirects followed on loopback only), and the document read from the answer's bytes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from ._apps import AppRoute
from ._callbacks import Signed
from ._loop import CONNECT_TIMEOUT, LoopThread
from ._media import check_audio

if TYPE_CHECKING:
    import aiohttp

    from ..cxml import VoiceResponse

__all__ = ["Webhook", "check_incoming_call", "read_answer"]

_RETRY_EVERY = 0.1  # wall seconds between tries of a webhook nothing listens at yet (``wait_for_app``)


def check_incoming_call(
    url: object,
    *,
    from_: object,
    to: object,
    method: object,
    audio: object,
    route: AppRoute | None,
    wait_for_app: object = 0.0,
) -> None:
    """Refuse (``ValueError``, ``TypeError``) an incoming call the space would not place: its webhook URL is
    loopback or one ``route`` takes, by GET or POST, from and to someone, with audio a stream can carry."""
    from .._validation import is_loopback_url

    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"url must be an absolute http(s):// URL, got {url!r}")
    if not (route is not None and route.matches(url)) and not is_loopback_url(url):
        raise ValueError(f"a FakeSpace calls loopback addresses (or its callback_app) only, not {url!r}")
    if method not in ("GET", "POST"):
        raise ValueError(f"method must be GET or POST, got {method!r}")
    for name, value in (("from_", from_), ("to", to)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty str")
    if audio is not None:
        check_audio(audio)
    if isinstance(wait_for_app, bool) or not isinstance(wait_for_app, int | float) or not 0 <= wait_for_app <= 3600:
        raise ValueError(f"wait_for_app must be seconds from 0 to 3600, got {wait_for_app!r}")


@attrs.frozen
class Webhook:
    """How a space reaches its app: the key it signs with, the app it hands some URLs to, its loop."""

    signing_key: str
    route: AppRoute | None
    loop: LoopThread

    async def document(
        self, url: str, method: str, params: Sequence[tuple[str, str]], *, wait_for_app: float = 0.0
    ) -> VoiceResponse | str:
        """Request the cXML document; the parsed document, or why there is none (as SignalWire logs it).
        ``wait_for_app``: seconds (wall time) to try again while nothing listens at a loopback ``url``."""
        from .. import cxml
        from ..cxml._parse import MAX_BYTES

        signed = Signed.request(self.signing_key, url, method, params)
        url, body, headers = signed.url, signed.body, signed.headers
        if self.route is not None and self.route.matches(url):
            # Off this loop: a WSGI app blocks, and an ASGI one runs on the route's own loop.
            answer = await self.route.call_async(method, url, headers, body or b"", max_bytes=MAX_BYTES + 1)
            if answer.error is not None:
                return f"the voice webhook failed: {answer.error}"
            status, text = answer.status, answer.body
        else:
            try:
                status, text = await self._over_http(url, method, body, headers, MAX_BYTES + 1, wait_for_app)
            except Exception as error:  # noqa: BLE001 - refused, timed out, aiohttp's errors: recorded on the call
                return f"the voice webhook failed: {type(error).__name__}: {error}"
        if not 200 <= status <= 299:
            return f"the voice webhook answered HTTP {status}"
        if len(text) > MAX_BYTES:
            return f"the cXML document is larger than {MAX_BYTES} bytes"
        try:
            return cxml.parse(text)  # the bytes, read as XML reads them: declared encoding, byte order mark
        except cxml.CXMLError as error:
            return f"the cXML document is invalid: {error}"

    async def _over_http(
        self, url: str, method: str, body: bytes | None, headers: Mapping[str, str], limit: int, wait_for_app: float
    ) -> tuple[int, bytes]:
        import aiohttp

        http = await self.loop.http()
        until = asyncio.get_running_loop().time() + wait_for_app
        while True:
            try:
                async with asyncio.timeout(CONNECT_TIMEOUT):
                    return await read_answer(http, method, url, body=body, headers=headers, limit=limit)
            except aiohttp.ClientConnectorError:  # nothing listens there (yet)
                if asyncio.get_running_loop().time() + _RETRY_EVERY > until:
                    raise
            await asyncio.sleep(_RETRY_EVERY)  # the app is starting: try again, as a person would redial


async def read_answer(
    http: aiohttp.ClientSession, method: str, url: str, *, body: bytes | None, headers: Mapping[str, str], limit: int
) -> tuple[int, bytes]:
    """The status and up to ``limit`` bytes of the answer (redirects followed as aiohttp follows them, on
    loopback only: the loop's session connects nowhere else)."""
    async with http.request(method, url, data=body, headers=headers) as response:
        answer = b""
        while len(answer) < limit and (chunk := await response.content.read(limit - len(answer))):
            answer += chunk
        return response.status, answer
