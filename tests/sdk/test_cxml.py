"""The cXML builder and reader: SignalWire's documented <Stream> examples built and read back to the
same tree, escaping, every documented check refusing bad input (built or parsed, with the line),
defusedxml's refusals, the secret token kept out of every repr, and lint-cxml's exit codes."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import pytest

import signalwire_compat as sw
from signalwire_compat import cxml

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
WSS = "wss://your-application.com/audiostream"
TOKEN = "BEARER-s3cret-0123456789"

# -- SignalWire's documented examples (cXML reference -> Voice -> Stream, and Connect), verbatim ---------

DOCS_START = f"""{DECLARATION}
<Response>
  <Start>
     <Stream url="wss://your-application.com/audiostream" />
  </Start>
</Response>"""
DOCS_CONFERENCE = f"""{DECLARATION}
<Response>
<Dial trim="do-not-trim">
  <Conference beep="false" startConferenceOnEnter="true" trim="do-not-trim" streamUrl="wss://206.189.19.130:8765/">test
    <Stream name="my_conference_stream"
            url="wss://206.189.19.130:8765/"
            streamStartConferenceOnEnter="true"
            bidir="true">
      <Parameter name="foo1" value="bar1"/>
      <Parameter name="foo2" value="bar2"/>
    </Stream>
  </Conference>
</Dial>
</Response>"""
DOCS_BIDIRECTIONAL = """<Connect>
    <Stream url="wss://mystream.ngrok.io/audiostream" />
</Connect>"""
DOCS_START_NAMED = """<Start>
    <Stream name="mystream" url="wss://mystream.ngrok.io/audiostream" />
</Start>"""
DOCS_STOP_NAMED = """<Stop>
   <Stream name="mystream" />
</Stop>"""
DOCS_CUSTOM_PARAMETERS = f"""{DECLARATION}
<Response>
   <Start>
     <Stream url="wss://your-application.com/audiostream" >
        <Parameter name="Cookie" value ="948f9938-299a-d43e-0df4-af3a7eccb0ac"/>
        <Parameter name="Type" value ="SIP" />
      </Stream>
    </Start>
</Response>"""
DOCS_CONNECT_PAGE = f"""{DECLARATION}
<Response>
  <Connect>
    <Stream url="wss://your-application.com/audiostream" />
  </Connect>
</Response>"""


def in_response(fragment: str) -> str:
    return f"<Response>{fragment}</Response>"


def built_start() -> cxml.VoiceResponse:
    response = cxml.VoiceResponse()
    response.start().stream(url=WSS)
    return response


def built_js_example() -> cxml.VoiceResponse:  # the page's Node.js example
    response = cxml.VoiceResponse()
    response.start().stream(name="Example Audio Stream", url=WSS)
    return response


def built_python_example() -> cxml.VoiceResponse:  # the page's Python and Ruby examples
    response = cxml.VoiceResponse()
    response.start().stream(url=WSS).parameter("FirstName", "Jane").parameter("LastName", "Doe")
    return response


def built_conference() -> cxml.VoiceResponse:
    response = cxml.VoiceResponse()
    conference = response.dial(trim="do-not-trim").conference(
        "test", beep=False, start_conference_on_enter=True, trim="do-not-trim", stream_url="wss://206.189.19.130:8765/"
    )
    conference.stream(
        name="my_conference_stream",
        url="wss://206.189.19.130:8765/",
        stream_start_conference_on_enter=True,
        bidir=True,
    ).parameter("foo1", "bar1").parameter("foo2", "bar2")
    return response


def built_bidirectional() -> cxml.VoiceResponse:
    response = cxml.VoiceResponse()
    response.connect().stream(url="wss://mystream.ngrok.io/audiostream")
    return response


def built_start_and_stop_named() -> cxml.VoiceResponse:
    response = cxml.VoiceResponse()
    response.start().stream(name="mystream", url="wss://mystream.ngrok.io/audiostream")
    response.stop().stream(name="mystream")
    return response


def built_custom_parameters() -> cxml.VoiceResponse:
    response = cxml.VoiceResponse()
    stream = response.start().stream(url=WSS)
    stream.parameter("Cookie", "948f9938-299a-d43e-0df4-af3a7eccb0ac").parameter("Type", "SIP")
    return response


def built_connect_page() -> cxml.VoiceResponse:
    response = cxml.VoiceResponse()
    response.connect().stream(url=WSS)
    return response


DOCUMENTED = [
    ("start", DOCS_START, built_start),
    ("conference", DOCS_CONFERENCE, built_conference),
    ("bidirectional", in_response(DOCS_BIDIRECTIONAL), built_bidirectional),
    ("start-and-stop-by-name", in_response(DOCS_START_NAMED + DOCS_STOP_NAMED), built_start_and_stop_named),
    ("custom-parameters", DOCS_CUSTOM_PARAMETERS, built_custom_parameters),
    ("connect-page", DOCS_CONNECT_PAGE, built_connect_page),
]


@pytest.mark.parametrize(("document", "build"), [d[1:] for d in DOCUMENTED], ids=[d[0] for d in DOCUMENTED])
def test_each_documented_example_is_built_and_read_back_to_the_same_tree(document: str, build: Any) -> None:
    built = build()
    assert cxml.parse(document) == built
    assert cxml.parse(str(built)) == built
    assert str(cxml.parse(document)) == str(built)


def test_the_code_examples_build_their_documents() -> None:
    assert str(built_js_example()) == (
        f'{DECLARATION}<Response><Start><Stream url="{WSS}" name="Example Audio Stream" /></Start></Response>'
    )
    assert str(built_python_example()) == (
        f'{DECLARATION}<Response><Start><Stream url="{WSS}"><Parameter name="FirstName" value="Jane" />'
        '<Parameter name="LastName" value="Doe" /></Stream></Start></Response>'
    )


def test_a_different_tree_is_not_equal() -> None:
    assert cxml.parse(DOCS_START) != built_js_example()
    assert built_python_example() != built_custom_parameters()


# -- the document ---------------------------------------------------------------------------------------


def test_every_attribute_and_text_is_escaped_and_round_trips() -> None:
    tricky = "Doe & <Jane> \"quoted\" 'single' ü 音 😀\n\tend"
    response = cxml.VoiceResponse().say(tricky)
    response.start().stream(url=WSS, name="a & <b> \"c\" 'd' é").parameter("Q&A", tricky)
    document = str(response)
    assert "&amp;" in document and "&lt;" in document and "&quot;" in document and "&#10;" in document
    again = cxml.parse(document)
    assert again == response
    stream = again.children[1].children[0]
    assert isinstance(stream, cxml.Stream) and stream.parameters == {"Q&A": tricky}
    assert stream.name == "a & <b> \"c\" 'd' é"
    assert response.encode() == document.encode("utf-8")


def test_attributes_are_written_in_a_fixed_order_whatever_the_argument_order() -> None:
    one, two = cxml.VoiceResponse(), cxml.VoiceResponse()
    one.start().stream(url=WSS, name="n", track="both_tracks", status_callback="https://e.com/cb", realtime=True)
    two.start().stream(realtime=True, status_callback="https://e.com/cb", track="both_tracks", name="n", url=WSS)
    assert str(one) == str(two)
    assert str(one).startswith(
        f'{DECLARATION}<Response><Start><Stream url="{WSS}" name="n" track="both_tracks" realtime="true" '
        'statusCallback="https://e.com/cb" />'
    )


def test_the_verbs_around_a_stream_chain() -> None:
    response = cxml.VoiceResponse().say("Connecting", voice="woman", language="en-US").pause(length=2)
    response.start().stream(url=WSS, codec="L16@16000h", status_callback_method="GET")
    response.redirect("https://example.com/next", method="POST").hangup()
    assert str(response) == (
        f'{DECLARATION}<Response><Say voice="woman" language="en-US">Connecting</Say><Pause length="2" />'
        f'<Start><Stream url="{WSS}" codec="L16@16000h" statusCallbackMethod="GET" /></Start>'
        '<Redirect method="POST">https://example.com/next</Redirect><Hangup /></Response>'
    )
    assert cxml.parse(str(response)) == response


def test_a_loopback_ws_url_is_allowed_for_local_tests() -> None:
    for url in ("ws://127.0.0.1:8765/audio", "ws://localhost:1/a", "ws://[::1]:9/"):
        cxml.VoiceResponse().connect().stream(url=url)


# -- the checks, built ------------------------------------------------------------------------------------


def start_stream(**arguments: Any) -> cxml.Stream:
    return cxml.VoiceResponse().start().stream(**arguments)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"url": "https://example.com/a"}, "<Stream> url must be an absolute wss:// URL"),
        ({"url": "/audiostream"}, "<Stream> url must be an absolute wss:// URL"),
        ({"url": "ws://example.com/a"}, "url must use wss:// \\(ws:// only to a loopback host\\)"),
        ({"url": "wss://example.com/a?x=1"}, "url must have no query string or fragment"),
        ({"url": "wss://example.com/a?"}, "url must have no query string or fragment"),
        ({"url": "wss://example.com/a#f"}, "url must have no query string or fragment"),
        ({"url": "wss://example.com/a b"}, "url must be a URL without spaces"),
        ({"url": "wss://example.com:x/"}, "url is not a valid URL"),
        ({"url": WSS, "track": "both"}, "<Stream> track must be one of inbound_track, outbound_track, both_tracks"),
        ({"url": WSS, "codec": "PCMU"}, "<Stream> codec must be one of PCMU@8000h, L16@16000h, L16@24000h"),
        ({"url": WSS, "status_callback_method": "PUT"}, "statusCallbackMethod must be one of GET, POST"),
        ({"url": WSS, "status_callback": "ftp://e.com/cb"}, "statusCallback must be an absolute http\\(s\\)://"),
        ({"url": WSS, "realtime": "yes"}, "<Stream> realtime must be true or false"),
        ({"url": WSS, "name": "a/b"}, "<Stream> name must be 1 to 64 characters.*holds '/'"),
        ({"url": WSS, "name": "x" * 65}, "name must be 1 to 64 characters.*is 65 characters long"),
        ({"url": WSS, "name": ""}, "is 0 characters long"),
        ({"url": WSS, "name": ".."}, "is '.' or '..'"),
        ({"url": WSS, "name": "tab\there"}, "holds the character U\\+0009"),
        ({"url": WSS, "name": 5}, "<Stream> name must be a str, not int"),
    ],
)
def test_a_bad_stream_attribute_is_refused_naming_element_and_attribute(arguments: Any, expected: str) -> None:
    with pytest.raises(cxml.CXMLError, match=expected) as caught:
        start_stream(**arguments)
    assert caught.value.element == "Stream" and isinstance(caught.value, ValueError)
    assert isinstance(caught.value, sw.SignalWireError)


def test_the_docs_name_with_spaces_passes_the_one_name_rule() -> None:
    assert start_stream(url=WSS, name="Example Audio Stream").name == "Example Audio Stream"
    assert start_stream(url=WSS, name="x" * 64).name == "x" * 64


def test_a_bidirectional_stream_takes_only_the_inbound_track() -> None:
    with pytest.raises(cxml.CXMLError, match="track must be one of inbound_track, got 'both_tracks'"):
        cxml.VoiceResponse().connect().stream(url=WSS, track="both_tracks")  # type: ignore[arg-type]
    conference = cxml.VoiceResponse().dial().conference("room")
    with pytest.raises(cxml.CXMLError, match="must be inbound_track on a bidirectional"):
        conference.stream(name="s", url=WSS, bidir=True, track="outbound_track")


def test_connect_holds_one_stream() -> None:
    connect = cxml.VoiceResponse().connect()
    connect.stream(url=WSS)
    with pytest.raises(cxml.CXMLError, match="holds one <Stream>"):
        connect.stream(url=WSS)


def test_a_stream_takes_at_most_99_distinct_parameters() -> None:
    stream = start_stream(url=WSS)
    for number in range(99):
        stream.parameter(f"p{number}", "v")
    with pytest.raises(cxml.CXMLError, match="at most 99 <Parameter>"):
        stream.parameter("p99", "v")
    with pytest.raises(cxml.CXMLError, match="'p0' is already a parameter"):
        start_stream(url=WSS).parameter("p0", "1").parameter("p0", "2")
    with pytest.raises(cxml.CXMLError, match="<Parameter> name must not be empty"):
        start_stream(url=WSS).parameter(" ", "v")


def test_text_xml_cannot_carry_is_refused() -> None:
    with pytest.raises(cxml.CXMLError, match="<Say> text holds U\\+0001"):
        cxml.VoiceResponse().say("bell\x01")
    with pytest.raises(cxml.CXMLError, match="<Parameter> value holds U\\+FFFF"):
        start_stream(url=WSS).parameter("a", "\uffff")
    with pytest.raises(cxml.CXMLError, match="<Conference> needs the room's name"):
        cxml.VoiceResponse().dial().conference("  ")
    with pytest.raises(cxml.CXMLError, match="<Pause> length must be an integer >= 1"):
        cxml.VoiceResponse().pause(length=0)


# -- the secret token -------------------------------------------------------------------------------------


def test_the_bearer_token_is_in_the_document_and_in_no_repr_or_message() -> None:
    response = cxml.VoiceResponse()
    stream = response.connect().stream(url=WSS, auth_bearer_token=TOKEN)
    assert f'authBearerToken="{TOKEN}"' in str(response)
    for text in (repr(response), repr(stream), str(stream), repr(cxml.parse(str(response)))):
        assert TOKEN not in text and "authBearerToken=[hidden]" in text
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(response)
    with pytest.raises(cxml.CXMLError) as caught:
        response.start().stream(url=WSS, auth_bearer_token=TOKEN + "\n")
    assert TOKEN not in str(caught.value) and "value not shown" in str(caught.value)


# -- reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("<Response>\n<Start>\n<Stream url='wss://a/b' track='both' /></Start></Response>", "line 3: <Stream> track"),
        ("<Response>\n\n<Stop><Stream/></Stop></Response>", "line 3: <Stream> name is required"),
        ("<Response><Stop><Stream name='a' url='wss://a/b'/></Stop></Response>", "<Stream> url is not an attribute"),
        ("<Response><Start><Stream url='wss://a/b' Track='x'/></Start></Response>", "Track is not an attribute"),
        ("<Response><Dial><Conference><Stream url='wss://a'/></Conference></Dial></Response>", "needs the room's name"),
        ("<Response><Dial><Conference>r<Stream url='wss://a'/></Conference></Dial></Response>", "name is required"),
        (
            "<Response><Start><Stream url='wss://a'><Parameter name='a'/></Stream></Start></Response>",
            "value is required",
        ),
        ("<Response><Start><Say>hi</Say></Start></Response>", "<Start> cannot hold <Say>"),
        ("<Response><Stop><Stream name='a'><Parameter name='a' value='b'/></Stream></Stop></Response>", "cannot hold"),
        ("<Response><Strat/></Response>", "<Strat> is not a cXML voice verb"),
        ("<Response>hello</Response>", "<Response> holds text"),
        ("<Response><Start>x<Stream url='wss://a'/></Start></Response>", "<Start> holds text"),
        ("<Start/>", "the root element must be <Response>, not <Start>"),
        ("<Response><Pause length='" + "9" * 5000 + "'/></Response>", "length must be an integer >= 1"),
        ("<Response><Start>", "line 1: not well-formed XML"),
        ("", "not well-formed XML"),
    ],
)
def test_a_bad_document_is_refused_with_its_line(document: str, expected: str) -> None:
    with pytest.raises(cxml.CXMLError, match=expected) as caught:
        cxml.parse(document)
    assert caught.value.line is not None and caught.value.__cause__ is None


@pytest.mark.parametrize(
    "document",
    [
        '<!DOCTYPE Response [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Response><Say>&b;</Say></Response>',
        '<!DOCTYPE Response [<!ENTITY x SYSTEM "file:///etc/passwd">]><Response><Say>&x;</Say></Response>',
        '<!DOCTYPE Response SYSTEM "http://127.0.0.1:9/evil.dtd"><Response/>',
        "<!DOCTYPE Response><Response/>",
    ],
    ids=["entity-expansion", "external-entity", "external-dtd", "plain-dtd"],
)
def test_dtds_and_entities_are_refused(document: str) -> None:
    with pytest.raises(cxml.CXMLError, match="line 1: refused: DTDForbidden"):
        cxml.parse(document)


def test_unmodelled_verbs_are_kept_unchecked_and_modelled_ones_checked() -> None:
    document = (
        '<Response><Play loop="2">https://e.com/a.mp3</Play><Gather input="speech"><Say>Hi</Say></Gather>'
        "<Connect><Room>my-room</Room></Connect><Dial><Number>+15551234567</Number></Dial></Response>"
    )
    response = cxml.parse(document)
    play = response.children[0]
    assert isinstance(play, cxml.Other) and play.tag == "Play" and play.attributes == {"loop": "2"}
    assert play.text == "https://e.com/a.mp3"
    assert cxml.parse(str(response)) == response
    assert isinstance(cxml.parse(b"<Response><Say>caf\xc3\xa9</Say></Response>").children[0], cxml.Say)


def test_booleans_are_read_in_any_case_and_written_lower_case() -> None:
    response = cxml.parse("<Response><Start><Stream url='wss://a/b' realtime='True'/></Start></Response>")
    assert 'realtime="true"' in str(response)


# -- lint-cxml ------------------------------------------------------------------------------------------


def lint(arguments: list[str], stdin: str = "") -> tuple[int, str, str]:
    from signalwire_compat.cxml import _lint

    out, err = io.StringIO(), io.StringIO()
    code = _lint.main(arguments, stdin=io.BytesIO(stdin.encode()), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_lint_cxml_exits_0_valid_1_invalid_2_unreadable(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(str(built_conference()), encoding="utf-8")
    bad.write_text("<Response>\n<Start><Stream url='wss://a/b?x=1'/></Start></Response>", encoding="utf-8")
    assert lint([str(good)]) == (0, f"{good}: valid\n", "")
    code, out, _ = lint([str(bad)])
    assert code == 1 and "invalid: line 2: <Stream> url must have no query string" in out
    assert lint(["-"], DOCS_START) == (0, "-: valid\n", "")
    assert lint([str(tmp_path / "missing.xml")])[0] == 2
    assert lint([])[0] == 2 and lint(["a", "b"])[0] == 2 and lint(["--bogus"])[0] == 2
    assert lint(["--help"])[0] == 0


def test_lint_cxml_is_a_command_of_the_cli(tmp_path: Path) -> None:
    from signalwire_compat import _cli

    path = tmp_path / "doc.xml"
    path.write_text("<Response><Connect><Stream url='wss://a' track='both_tracks'/></Connect></Response>")
    assert _cli.main(["lint-cxml", str(path)]) == 1
    assert _cli.main(["lint-cxml", "-"], stdin=io.StringIO(DOCS_CONNECT_PAGE)) == 0
