"""verify-webhook refuses input it cannot read with exit 2 and one line saying what to give, and reads a
body from stdin with --body-file -."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import signalwire_compat as sw
from signalwire_compat._cli import _parser as cli_parser
from tests.sdk.test_cli import assert_clean_failure, run

KEY = {"SIGNALWIRE_SIGNING_KEY": "PSK_test_only"}
URL = "https://example.com/stream-status"


@pytest.mark.parametrize(
    ("saved", "message"),
    [
        ("{not json", "--request: not JSON"),
        ('["a", "list"]', "--request: expected a JSON object with url, signature (or headers) and body"),
        ('{"signature": "abc", "body": ""}', "--request: expected a JSON object with url"),
    ],
    ids=["not JSON", "not an object", "no url"],
)
def test_a_saved_request_it_cannot_read_is_a_usage_error_saying_what_to_save(
    tmp_path: Path, saved: str, message: str
) -> None:
    request = tmp_path / "request.json"
    request.write_text(saved)
    result = run(None, "verify-webhook", "--request", str(request), **KEY)
    assert_clean_failure(result, cli_parser.EXIT_USAGE, None)
    assert message in result.stderr


def test_neither_a_saved_request_nor_a_url_is_a_usage_error_naming_both() -> None:
    result = run(None, "verify-webhook", **KEY)
    assert_clean_failure(result, cli_parser.EXIT_USAGE, None)
    assert "give --request FILE, or --url (with --signature and --body-file)" in result.stderr


@pytest.mark.parametrize("option", ["--request", "--body-file"])
def test_a_file_that_cannot_be_read_is_a_usage_error_naming_it(tmp_path: Path, option: str) -> None:
    missing = tmp_path / "no-such-file"
    if option == "--request":
        arguments = ["--request", str(missing)]
    else:
        arguments = ["--url", URL, "--body-file", str(missing), "--signature", "abc"]
    result = run(None, "verify-webhook", *arguments, **KEY)
    assert_clean_failure(result, cli_parser.EXIT_USAGE, None)
    assert f"cannot read {missing}: No such file or directory" in result.stderr


def test_a_body_read_from_stdin_is_checked_like_a_body_file() -> None:
    params = {"StreamEvent": "stream-started", "StreamSid": "abc"}
    signature = sw.webhooks.sign_form(KEY["SIGNALWIRE_SIGNING_KEY"], url=URL, params=params)
    body = "StreamEvent=stream-started&StreamSid=abc"
    good = run(None, "verify-webhook", "--url", URL, "--signature", signature, "--body-file", "-", stdin=body, **KEY)
    assert (good.returncode, json.loads(good.stdout)) == (0, {"valid": True})
    tampered = body.replace("abc", "abd")
    bad = run(None, "verify-webhook", "--url", URL, "--signature", signature, "--body-file", "-", stdin=tampered, **KEY)
    assert bad.returncode == 1 and json.loads(bad.stdout)["valid"] is False


def test_a_saved_request_may_give_its_signature_as_a_field_and_null_headers_count_as_none(tmp_path: Path) -> None:
    params = {"StreamEvent": "stream-stopped", "StreamSid": "abc"}
    signature = sw.webhooks.sign_form(KEY["SIGNALWIRE_SIGNING_KEY"], url=URL, params=params)
    saved = {"url": URL, "signature": signature, "headers": None, "body": "StreamEvent=stream-stopped&StreamSid=abc"}
    path = tmp_path / "request.json"
    path.write_text(json.dumps(saved))
    good = run(None, "verify-webhook", "--request", str(path), **KEY)
    assert (good.returncode, json.loads(good.stdout)) == (0, {"valid": True})
    path.write_text(json.dumps({**saved, "body": saved["body"].replace("abc", "abd")}))
    assert run(None, "verify-webhook", "--request", str(path), **KEY).returncode == 1


def test_a_saved_request_and_a_url_together_are_a_usage_error_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"url": URL, "signature": "abc", "body": ""}))
    result = run(None, "verify-webhook", "--request", str(path), "--url", URL, **KEY)
    assert_clean_failure(result, cli_parser.EXIT_USAGE, None)
    assert "give --request FILE, or --url, --signature and --body-file, not both" in result.stderr
