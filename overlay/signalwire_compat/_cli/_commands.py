"""The single-shot commands of ``signalwire-compat``: start-stream, stop-stream, verify-webhook."""

from __future__ import annotations

import argparse
import json
import os
from typing import IO, Any

from .._exceptions import (
    ConfigurationError,
    SignalWireError,
)
from .._models import CallStream, ConferenceStream
from ._common import (
    _client_options,
    _one_line,
    read_bytes,
    read_text,
    result_json,
)
from ._parser import (
    ENV_BEARER_TOKEN,
    ENV_SIGNING_KEY,
    EXIT_API_ERROR,
    EXIT_OK,
    PROG,
)


def _start_one(args: argparse.Namespace, stdout: IO[str]) -> int:
    from .._sync._client import Client

    parameters: dict[str, str] = {}
    for item in args.param:
        name, separator, value = item.partition("=")
        if not separator or not name:
            raise ValueError(f"--param must be NAME=VALUE, got {item!r}")
        parameters[name] = value
    options: dict[str, Any] = {
        "url": args.url,
        "name": args.name,
        "track": args.track,
        "status_callback": args.status_callback,
        "status_callback_method": args.status_callback_method,
        "parameters": parameters or None,
        "authorization_bearer_token": os.environ.get(ENV_BEARER_TOKEN) or None,
    }
    if args.call is not None and (args.stream_codec is not None or args.stream_real_time is not None):
        raise ValueError("--stream-codec and --stream-real-time apply to --conference streams only")
    with Client(**_client_options(args)) as client:
        if args.call is not None:
            stream: CallStream | ConferenceStream = client.calls(args.call).streams.create(**options)
        else:
            stream = client.conferences(args.conference).streams.create(
                **options, stream_codec=args.stream_codec, stream_real_time=args.stream_real_time
            )
    stdout.write(json.dumps(result_json(stream)) + "\n")
    return EXIT_OK


def _stop_one(args: argparse.Namespace, stdout: IO[str]) -> int:
    from .._sync._client import Client

    with Client(**_client_options(args)) as client:
        if args.call is not None:
            stream: CallStream | ConferenceStream = client.calls(args.call).streams(args.stream).stop()
        else:
            stream = client.conferences(args.conference).streams(args.stream).stop()
    stdout.write(json.dumps(result_json(stream)) + "\n")
    return EXIT_OK


class _SavedRequest:
    """A saved webhook request, shaped like a framework's request so ``verify_request`` reads it as it
    reads the application's (signature and Content-Type from the headers, the raw body)."""

    def __init__(self, url: str, headers: dict[str, str], body: bytes) -> None:
        self.url, self.headers, self.body = url, headers, body


def _saved_request(saved: object) -> _SavedRequest:
    """The request a ``--request`` file holds, every field checked: a wrong type is a usage error."""
    import base64
    import binascii

    from ..webhooks import SIGNATURE_HEADERS

    if not isinstance(saved, dict) or not isinstance(saved.get("url"), str):
        raise ValueError("--request: expected a JSON object with url, signature (or headers) and body")
    headers = saved.get("headers", {})
    if headers is None:
        headers = {}
    if not isinstance(headers, dict) or not all(isinstance(value, str) for value in headers.values()):
        raise ValueError('--request: headers must be an object of strings, e.g. {"Content-Type": "..."}')
    for name in ("signature", "body", "body_base64"):
        if saved.get(name) is not None and not isinstance(saved[name], str):
            raise ValueError(f"--request: {name} must be a string, not {_json_type(saved[name])}")
    if saved.get("body") is not None and saved.get("body_base64") is not None:
        raise ValueError("--request: give body or body_base64, not both")
    if saved.get("signature") is not None:  # it stands for the signature headers
        wanted = {name.lower() for name in SIGNATURE_HEADERS}
        headers = {SIGNATURE_HEADERS[0]: saved["signature"]} | {
            name: value for name, value in headers.items() if name.lower() not in wanted
        }
    if saved.get("body_base64") is not None:
        try:
            body = base64.b64decode(saved["body_base64"], validate=True)
        except binascii.Error:
            raise ValueError("--request: body_base64 is not valid base64") from None
    else:
        body = (saved.get("body") or "").encode("utf-8", "surrogatepass")
    return _SavedRequest(saved["url"], headers, body)


def _json_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _verify_webhook(args: argparse.Namespace, stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> int:
    from .. import webhooks

    key = os.environ.get(ENV_SIGNING_KEY)
    if not key:
        raise ConfigurationError(f"no signing key: set {ENV_SIGNING_KEY} to the project's Signing Key")
    if args.request is not None:
        if args.url is not None or args.signature is not None or args.body_file is not None:
            raise ValueError("give --request FILE, or --url, --signature and --body-file, not both")
        text = read_text(stdin) if args.request == "-" else _read_text(args.request)
        try:
            saved = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"--request: not JSON ({exc})") from None
        request = _saved_request(saved)
    else:
        if args.url is None:
            raise ValueError("give --request FILE, or --url (with --signature and --body-file)")
        given = {"X-SignalWire-Signature": args.signature, "Content-Type": args.content_type}
        headers = {name: value for name, value in given.items() if value is not None}
        body = b"" if args.body_file is None else _read_bytes(args.body_file, stdin)
        request = _SavedRequest(args.url, headers, body)
    try:
        verified = webhooks.verify_request(key, request=request)
    except SignalWireError as error:
        reasons = list(getattr(error, "reasons", ())) or [_one_line(error)]
        stdout.write(json.dumps({"valid": False, "reasons": reasons}) + "\n")
        return EXIT_API_ERROR
    stdout.write(json.dumps({"valid": True}) + "\n")
    if not verified.body_covered:
        stderr.write(f"{PROG}: note: the signature covers {verified.covers}: do not trust what the body holds\n")
    return EXIT_OK


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None


def _read_bytes(path: str, stdin: IO[str]) -> bytes:
    if path == "-":
        return read_bytes(stdin)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None


# -- bulk -------------------------------------------------------------------------------------------
