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
    result_json,
)
from ._parser import (
    ENV_BEARER_TOKEN,
    ENV_SIGNING_KEY,
    EXIT_API_ERROR,
    EXIT_OK,
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


def _verify_webhook(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    import base64

    from .. import webhooks

    key = os.environ.get(ENV_SIGNING_KEY)
    if not key:
        raise ConfigurationError(f"no signing key: set {ENV_SIGNING_KEY} to the project's Signing Key")
    if args.request is not None:
        text = stdin.read() if args.request == "-" else _read_text(args.request)
        try:
            saved = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"--request: not JSON ({exc})") from None
        if not isinstance(saved, dict) or not isinstance(saved.get("url"), str):
            raise ValueError("--request: expected a JSON object with url, signature (or headers) and body")
        headers = saved.get("headers")
        signature = saved.get("signature")
        if signature is None and isinstance(headers, dict):
            signature = webhooks.signature_from_headers({str(k): str(v) for k, v in headers.items()})
        body: bytes = (
            base64.b64decode(saved["body_base64"])
            if isinstance(saved.get("body_base64"), str)
            else str(saved.get("body") or "").encode("utf-8")
        )
        url = saved["url"]
    else:
        if args.url is None:
            raise ValueError("give --request FILE, or --url (with --signature and --body-file)")
        url, signature = args.url, args.signature
        body = b"" if args.body_file is None else _read_bytes(args.body_file, stdin)
    try:
        webhooks.verify(key, signature=signature, url=url, body=body)
    except SignalWireError as error:
        reasons = list(getattr(error, "reasons", ())) or [_one_line(error)]
        stdout.write(json.dumps({"valid": False, "reasons": reasons}) + "\n")
        return EXIT_API_ERROR
    stdout.write(json.dumps({"valid": True}) + "\n")
    return EXIT_OK


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None


def _read_bytes(path: str, stdin: IO[str]) -> bytes:
    if path == "-":
        return stdin.read().encode("utf-8")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None


# -- bulk -------------------------------------------------------------------------------------------
