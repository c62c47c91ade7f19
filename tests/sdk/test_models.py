"""Results are read tolerantly: an odd value in a successful answer is kept, typed as Unparsed."""

from __future__ import annotations

from datetime import datetime

import pytest

import signalwire_compat as sw
from tests.helpers import CALL, STREAM, Runner, call_stream_document, conference_stream_document
from tests.servers import Reply, ScriptedServer


def test_unknown_status_non_uuid_sid_bad_date_and_extra_fields_do_not_fail_a_stop(runner: Runner) -> None:
    document = call_stream_document(
        sid="CA-b792e98472st",
        status="paused",
        date_updated="sometime last week",
        name=None,
        new_field=[1, 2],
    )
    with ScriptedServer([Reply.json(200, document)]) as server:
        stream = runner.stop_call(server.url)
    assert stream.sid == "CA-b792e98472st"
    assert isinstance(stream.status, sw.Unparsed) and stream.status == "paused"
    assert isinstance(stream.date_updated, sw.Unparsed)
    assert stream.date_updated == "sometime last week"
    assert stream.date_updated.raw == "sometime last week"
    assert isinstance(stream.name, sw.Unparsed) and stream.name.raw is None  # the spec's call stream name is a string
    assert stream.extra["new_field"] == [1, 2]


def test_wrong_json_types_are_kept_as_unparsed_with_the_raw_value() -> None:
    stream = sw.ConferenceStream.from_json(
        conference_stream_document(sid=123, status=None, date_updated=17, name=["a"], uri={"x": 1})
    )
    assert isinstance(stream.sid, sw.Unparsed) and stream.sid == "123" and stream.sid.raw == 123
    assert isinstance(stream.status, sw.Unparsed) and stream.status.raw is None
    assert isinstance(stream.date_updated, sw.Unparsed) and stream.date_updated.raw == 17
    assert stream.name == '["a"]'
    assert stream.uri == '{"x": 1}'
    assert repr(stream.status) == "Unparsed(None)"


def test_results_are_immutable_hashable_and_comparable() -> None:
    first = sw.CallStream.from_json(call_stream_document())
    second = sw.CallStream.from_json(call_stream_document())
    assert first == second
    assert hash(first) == hash(second)
    assert isinstance(first.date_updated, datetime)
    with pytest.raises(AttributeError):
        first.sid = STREAM  # type: ignore[misc]
    with pytest.raises(TypeError):
        first.extra["x"] = 1  # type: ignore[index]


def test_missing_required_key_is_the_only_shape_error() -> None:
    document = call_stream_document()
    del document["call_sid"]
    with pytest.raises(ValueError, match="lacks call_sid"):
        sw.CallStream.from_json(document)
    assert sw.CallStream.from_json(call_stream_document()).call_sid == CALL
