"""Type-checked by tests/sdk/test_public_api.py: each line marked 'error' must be rejected by mypy."""

from __future__ import annotations

import signalwire_compat as sw
from signalwire_compat import cxml, media


def misuse(client: sw.Client, async_client: sw.AsyncClient) -> None:
    client.calls(123).streams("s").stop()  # error: int is not a sid
    client.calls("c").streams("s").stop(status="stopped")  # error: stop() takes no status
    stream = client.calls("c").streams("s").stop()
    stream.date_updated.isoformat()  # error: may be Unparsed
    stream.sid = "other"  # error: frozen
    client.calls("c").streams("s").update()  # error: status is required
    sw.Client("p", "t", "s", 30.0)  # error: timeout is keyword-only
    x: sw.CallStream = async_client.calls("c").streams("s").stop()  # error: a coroutine, not a result
    client.calls("c").streams.create(url="wss://a.example/s", nmae="x")  # error: no such option
    client.calls("c").streams.create(url="wss://a.example/s", stream_codec="PCMU")  # error: conference only
    client.conferences("c").streams.create(url="wss://a.example/s", stream_real_time="yes")  # error: a bool
    client.calls("c").streams.create(name="x")  # error: url is required
    client.calls("c").streams.create(url="wss://a.example/s", track="both")  # error: not one of the spec's tracks
    client.calls("c").streams.create(url="wss://a.example/s", status_callback_method="PUT")  # error: GET or POST
    client.conferences("c").streams.create(url="wss://a.example/s", stream_codec="MP3")  # error: not a codec
    client.calls("c").streams("s").update(status="started")  # error: only "stopped"
    parsed: sw.CallStream = client.with_raw_response.calls("c").streams("s").stop()  # error: a RawResponse
    client.with_raw_response.calls("c").streams("s").stop().sid  # error: the stream is parse()'s
    rc: sw.RawResponse[sw.CallStream] = client.with_raw_response.conferences("c").streams("s").stop()  # error: conf
    client.calls("c").streams("s").stop(5.0)  # error: timeout is keyword-only
    client.calls("c").streams.create(url="wss://a.example/s", timeout="5")  # error: seconds, not a str
    client.with_options(timeout=1.0, backoff_factor=2.0)  # error: not a per-call option
    client.with_options(1.0)  # error: keyword-only
    client.with_raw_response.invoke("update_stream")  # error: invoke already returns the response
    client.invoke("update_stream", call_sid="c", sidd="s")  # error: no such argument of update_stream
    client.invoke("update_stream", sid="s")  # error: call_sid is required
    client.invoke("delete_everything")  # error: no such generated operation
    client.calls.create(to="a", from_="b")  # error: url is required (None only with an application_sid)
    client.calls.create(to="a", from_="b", url="https://a.example/v", twiml="<Response/>")  # error: the spec has none
    client.calls.create(to="a", from_="b", url="https://a.example/v", machine_detection="on")  # error: not an enum
    client.calls.create(to="a", from_="b", url="https://a.example/v", status_callback_event=["hung-up"])  # error: event
    client.calls.create(to="a", from_="b", url="https://a.example/v", ring_timeout="30")  # error: seconds, an int
    client.calls("c").update(status="busy")  # error: canceled or completed only
    client.calls("c").update("completed")  # error: keyword-only
    client.calls("c").redirect()  # error: url is required
    ended: sw.Call = client.calls("c").hang_up()  # error: None when the call had ended already
    client.calls("c").retrieve().to.startswith("+")  # error: a field may be missing from an answer


def cxml_misuse(response: cxml.VoiceResponse) -> None:
    response.start().stream(url="wss://a", track="both")  # error: not a documented track
    response.connect().stream(url="wss://a", track="both_tracks")  # error: a bidirectional stream is inbound only
    response.start().stream(url="wss://a", codec="PCMU")  # error: REST's stream_codec value, not cXML's
    response.start().stream("wss://a")  # error: keyword-only
    media.l16_to_pcm16(b"", byteorder="network")  # error: little or big
