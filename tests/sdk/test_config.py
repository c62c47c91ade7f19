"""Client configuration: arguments, environment variables, space URLs, refused before sending."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import signalwire_compat as sw
from tests.helpers import BASIC, CALL, CALL_PATH, PROJECT, SECRETS, STREAM, TOKEN, call_stream_document
from tests.servers import Reply, ScriptedServer

ENV_NAMES = ["SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "SIGNALWIRE_SPACE_URL", "SIGNALWIRE_SPACE"]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("space_url", "base_url"),
    [
        ("example.signalwire.com", "https://example.signalwire.com/api/laml/2010-04-01"),
        ("example.signalwire.com/", "https://example.signalwire.com/api/laml/2010-04-01"),
        ("https://example.signalwire.com", "https://example.signalwire.com/api/laml/2010-04-01"),
        ("https://Example.SignalWire.com/", "https://example.signalwire.com/api/laml/2010-04-01"),
        ("https://example.signalwire.com:8443", "https://example.signalwire.com:8443/api/laml/2010-04-01"),
        ("https://proxy.example/api/laml/2010-04-01/", "https://proxy.example/api/laml/2010-04-01"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/api/laml/2010-04-01"),
        ("http://127.9.9.9:1/", "http://127.9.9.9:1/api/laml/2010-04-01"),
        ("http://localhost:9", "http://localhost:9/api/laml/2010-04-01"),
        ("http://[::1]:8080", "http://[::1]:8080/api/laml/2010-04-01"),
        # The space name alone, as SIGNALWIRE_SPACE often holds it.
        ("example", "https://example.signalwire.com/api/laml/2010-04-01"),
        ("my-space", "https://my-space.signalwire.com/api/laml/2010-04-01"),
        # The LaML root twilio and signalwire users already have: the SDK adds the API version.
        ("https://example.signalwire.com/api/laml", "https://example.signalwire.com/api/laml/2010-04-01"),
        ("example.signalwire.com/api/laml/", "https://example.signalwire.com/api/laml/2010-04-01"),
        ("localhost:8080", "https://localhost:8080/api/laml/2010-04-01"),
    ],
)
def test_space_url_forms(space_url: str, base_url: str) -> None:
    with sw.Client(PROJECT, TOKEN, space_url) as client:
        assert client.base_url == base_url


@pytest.mark.parametrize(
    ("space_url", "message"),
    [
        ("http://example.signalwire.com", "plain http:// to a remote host"),
        ("http://10.0.0.1:8080", "plain http:// to a remote host"),
        ("http://[2001:db8::1]", "plain http:// to a remote host"),
        ("http://localhost.evil.example", "plain http:// to a remote host"),
        ("ftp://example.signalwire.com", "must use https://"),
        ("ws://127.0.0.1", "must use https://"),
        ("file:///etc/passwd", "must use https://"),
        ("https://user:pass@example.signalwire.com", "must not contain credentials"),
        ("https://user@example.signalwire.com", "must not contain credentials"),
        ("https://example.signalwire.com/?a=1", "query"),
        ("https://example.signalwire.com?", "query"),
        ("https://example.signalwire.com/#top", "fragment"),
        ("https://example.signalwire.com:99999", "not a valid URL"),
        ("https://", "no valid host"),
        ("https://exa mple.com", "whitespace"),
        (" example.signalwire.com", "whitespace"),
        ("", "empty"),
        ("https://ex_ample.com", "no valid host"),
        ("https://example.com/api/../admin", "'..'"),
        ("http:/127.0.0.1:8080", "needs '://'"),
        ("https:/example.signalwire.com", "needs '://'"),
        ("https:example.signalwire.com", "needs '://'"),
        ("https://example.signalwire.com/api/x\x00y", "control"),
        ("https://example.signalwire.com/\x7f", "control"),
        ("https://example.signalwire.com/api/laml/2010-04-01/Accounts/" + PROJECT, "/Accounts/ path"),
        ("example.signalwire.com/api/laml/2010-04-01/Accounts", "/Accounts/ path"),
        ("ex_ample", "no valid host"),
        ("https://[v1.x]", "no valid host"),  # brackets hold an IP address (an IPvFuture one is not one)
        ("https://[zz::1]", "not a valid URL"),
    ],
)
def test_bad_space_urls_are_refused_at_construction(space_url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        sw.Client(PROJECT, TOKEN, space_url)
    assert isinstance(caught.value, sw.ConfigurationError)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "space_url",
    [
        f"https://{PROJECT}:{TOKEN}@example.signalwire.com:99999",  # credentials in a URL that does not parse
        f"https://{PROJECT}:{TOKEN}@exa mple.com",
        f"http:/{PROJECT}:{TOKEN}@example.signalwire.com",
        f"{PROJECT}:{TOKEN}@ex_ample.com",
    ],
)
def test_a_space_url_carrying_credentials_is_never_echoed(space_url: str) -> None:
    with pytest.raises(sw.ConfigurationError) as caught:
        sw.Client(PROJECT, TOKEN, space_url)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)


@pytest.mark.parametrize("space_url", ["https//host", "http//127.0.0.1:8080", "https///host", "HTTPS//example.com"])
def test_a_url_missing_the_colon_after_its_scheme_is_refused_not_read_as_a_host(space_url: str) -> None:
    for client_class in (sw.Client, sw.AsyncClient):
        with pytest.raises(sw.ConfigurationError, match="a scheme needs ':' before '//'"):
            client_class(PROJECT, TOKEN, space_url)


def test_repr_works_on_a_client_whose_constructor_failed() -> None:
    for client_class in (sw.Client, sw.AsyncClient):
        half_built = client_class.__new__(client_class)
        assert "not configured" in repr(half_built)


def test_missing_values_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with ScriptedServer([Reply.json(200, call_stream_document())]) as server:
        monkeypatch.setenv("SIGNALWIRE_PROJECT_ID", PROJECT)
        monkeypatch.setenv("SIGNALWIRE_API_TOKEN", TOKEN)
        monkeypatch.setenv("SIGNALWIRE_SPACE_URL", server.url)
        with sw.Client() as client:
            client.calls(CALL).streams(STREAM).stop()
    assert server.received[0].headers["authorization"] == BASIC
    assert server.received[0].path == CALL_PATH


def test_signalwire_space_is_accepted_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALWIRE_SPACE", "example.signalwire.com")
    with sw.Client(PROJECT, TOKEN) as client:
        assert client.base_url == "https://example.signalwire.com/api/laml/2010-04-01"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALWIRE_SPACE_URL", "env.signalwire.com")
    with sw.Client(PROJECT, TOKEN, "arg.signalwire.com") as client:
        assert client.base_url.startswith("https://arg.signalwire.com/")


@pytest.mark.parametrize(
    ("missing", "variable"),
    [
        ("project_id", "SIGNALWIRE_PROJECT_ID"),
        ("api_token", "SIGNALWIRE_API_TOKEN"),
        ("space_url", "SIGNALWIRE_SPACE_URL or SIGNALWIRE_SPACE"),
    ],
)
def test_missing_configuration_names_the_variable(missing: str, variable: str) -> None:
    arguments: dict[str, Any] = {"project_id": PROJECT, "api_token": TOKEN, "space_url": "example.signalwire.com"}
    del arguments[missing]
    with pytest.raises(sw.ConfigurationError, match=variable) as caught:
        sw.Client(**arguments)
    assert missing in str(caught.value)


def test_every_missing_setting_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "SIGNALWIRE_SPACE_URL", "SIGNALWIRE_SPACE"):
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(sw.ConfigurationError) as caught:
        sw.Client(api_token=TOKEN)
    assert caught.value.missing_settings == ("project_id", "space_url")
    assert caught.value.missing == "project_id"
    assert str(caught.value) == (
        "no project_id or space_url: pass project_id=..., space_url=... or set the environment variables "
        "SIGNALWIRE_PROJECT_ID and SIGNALWIRE_SPACE_URL or SIGNALWIRE_SPACE"
    )
    with pytest.raises(sw.ConfigurationError) as caught:
        sw.AsyncClient()
    assert caught.value.missing_settings == ("project_id", "api_token", "space_url")


def test_empty_environment_variable_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALWIRE_API_TOKEN", "  ")
    with pytest.raises(sw.ConfigurationError, match="SIGNALWIRE_API_TOKEN is set but empty"):
        sw.Client(PROJECT, space_url="example.signalwire.com")


@pytest.mark.parametrize(
    ("project_id", "api_token", "message"),
    [
        ("", TOKEN, "project_id is empty"),
        ("   ", TOKEN, "project_id is empty"),
        (PROJECT, "", "api_token is empty"),
        (PROJECT, "\t", "api_token is empty"),
        (PROJECT, f" {TOKEN}", "api_token has leading or trailing whitespace"),
        (PROJECT, f"{TOKEN}\n", "api_token has leading or trailing whitespace"),
        (PROJECT, f"{TOKEN[:5]}\r\nX-Injected: 1{TOKEN[5:]}", "control"),
        (PROJECT, f"{TOKEN[:5]} {TOKEN[5:]}", "spaces"),
        (PROJECT, f"{TOKEN}\N{EN DASH}", "non-ASCII"),
        (f"{PROJECT}:x", TOKEN, "must not contain ':'"),
        ("not-a-uuid", TOKEN, "pass account_sid"),
        (123, TOKEN, "project_id must be a str"),
        (PROJECT, 123, "api_token must be a str"),
    ],
)
def test_unusable_credentials_are_refused(project_id: Any, api_token: Any, message: str) -> None:
    with pytest.raises(sw.ConfigurationError, match=message) as caught:
        sw.Client(project_id, api_token, "example.signalwire.com")
    for secret in SECRETS:
        assert secret not in str(caught.value)
    assert TOKEN[5:] not in str(caught.value)


def test_non_uuid_project_id_works_with_an_explicit_account_sid() -> None:
    with sw.Client("my-project", TOKEN, "example.signalwire.com", account_sid=PROJECT) as client:
        assert client.account_sid == PROJECT
    with pytest.raises(sw.ConfigurationError, match=r"account_sid must be a UUID like .*, got 'my-account'"):
        sw.Client("my-project", TOKEN, "example.signalwire.com", account_sid="my-account")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0),
        ("timeout", -1),
        ("timeout", float("inf")),
        ("timeout", None),
        ("max_retries", -1),
        ("max_retries", 11),
        ("max_retries", 1.5),
        ("backoff_factor", -0.1),
        ("max_retry_wait", float("nan")),
        ("max_response_bytes", 0),
        ("http_client", "not a client"),
    ],
)
def test_bad_options_are_refused(option: str, value: Any) -> None:
    with pytest.raises(sw.ConfigurationError, match=option):
        sw.Client(PROJECT, TOKEN, "example.signalwire.com", **{option: value})


def test_async_client_refuses_a_sync_http_client() -> None:
    with httpx.Client() as http, pytest.raises(sw.ConfigurationError, match=r"httpx\.AsyncClient"):
        sw.AsyncClient(PROJECT, TOKEN, "example.signalwire.com", http_client=http)  # type: ignore[arg-type]
