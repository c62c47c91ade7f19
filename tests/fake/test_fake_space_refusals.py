"""FakeSpace refuses a bad create as the API does, to any client: the SDK checks its input before sending,
so these requests come from plain httpx (as an app in another language, or the command-line fake's user,
would send them). Each answer is a 422 in the operation's own shape naming the field; nothing starts."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest

from signalwire_compat.testing import FakeSpace

CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
GOOD_URL = "wss://media.example.com/audio"

CASES = [
    ("call", {"Name": "no-url"}, "Url is required"),
    ("call", {"Url": "https://media.example.com/audio"}, "Url must be an absolute wss:// URL"),
    ("call", {"Url": "ws://media.example.com/audio"}, "Url must be an absolute wss:// URL"),
    ("call", {"Url": GOOD_URL, "Name": "a/b"}, "Name 'a/b' is not a valid stream name"),
    ("call", {"Url": GOOD_URL, "Track": "both"}, "Track must be one of"),
    ("call", {"Url": GOOD_URL, "StatusCallbackMethod": "PUT"}, "StatusCallbackMethod must be GET or POST"),
    ("call", {"Url": GOOD_URL, "StatusCallback": "ftp://example.com/cb"}, "StatusCallback must be an absolute http(s)"),
    ("call", {"Url": GOOD_URL, "Parameter1.Value": "no name"}, "Parameter1.Name is required"),
    ("conference", {"Url": GOOD_URL, "StreamCodec": "OPUS"}, "StreamCodec must be one of"),
    ("conference", {"Url": GOOD_URL, "StreamRealTime": "yes"}, "StreamRealTime must be true or false"),
]


def post(space: FakeSpace, kind: str, content: bytes, content_type: str) -> httpx.Response:
    collection = "Calls" if kind == "call" else "Conferences"
    url = f"{space.url}/api/laml/2010-04-01/Accounts/{space.project_id}/{collection}/{CALL}/Streams"
    with httpx.Client(transport=space.transport(), auth=(space.project_id, space.api_token)) as http:
        return http.post(url, content=content, headers={"Content-Type": content_type})


@pytest.mark.parametrize(("kind", "fields", "message"), CASES, ids=[case[2] for case in CASES])
def test_a_bad_create_field_is_a_422_naming_it_and_starts_nothing(
    kind: str, fields: dict[str, str], message: str
) -> None:
    with FakeSpace(listen=False) as space:
        answer = post(space, kind, urlencode(fields).encode(), "application/x-www-form-urlencoded")
        assert answer.status_code == 422
        document = answer.json()
        # The conference operations answer {"errors": [...]}, the call operations the error object.
        text = document["errors"][0] if kind == "conference" else document["message"]
        assert message in text
        assert space.streams() == []


def test_a_body_that_is_not_a_form_is_a_400_and_starts_nothing() -> None:
    with FakeSpace(listen=False) as space:
        answer = post(space, "call", b"Url=\xff\xfe", "application/x-www-form-urlencoded")
        assert answer.status_code == 400
        assert answer.json()["message"] == "Request body is not a valid form"
        assert space.streams() == []


@pytest.mark.parametrize("name", ["a/b", "agent.json", "", "x" * 65])
@pytest.mark.parametrize("kind", ["call", "conference"])
def test_a_test_cannot_add_a_stream_under_a_name_the_sdk_refuses_to_send(kind: str, name: str) -> None:
    space = FakeSpace()
    add = space.add_call_stream if kind == "call" else space.add_conference_stream
    with pytest.raises(ValueError, match="name must be 1 to 64 characters"):
        add(name=name)
    assert space.streams() == []


@pytest.mark.parametrize("token", ["Qz", "Qz9Qz9Q"])
def test_a_space_refuses_an_api_token_the_sdks_clients_refuse(token: str) -> None:
    from signalwire_compat import ConfigurationError

    with pytest.raises(ConfigurationError, match=f"api_token is {len(token)} characters? long") as refused:
        FakeSpace(api_token=token)
    assert token not in str(refused.value)  # its length only, as the clients say it
