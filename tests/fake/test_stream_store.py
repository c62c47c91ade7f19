"""FakeSpace's stream store on its own: a stream stops once, a running name is taken within its call or
conference only, and a stream is found by sid within its parent or by its newest name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from signalwire_compat.testing._records import FakeStream, Parent, StreamState
from signalwire_compat.testing._store import StreamStore

ACCOUNT = "1c4a6c7e-0000-4a4a-8b8b-999999999999"
CALL = Parent("call", ACCOUNT, "1c4a6c7e-0000-4a4a-8b8b-111111111111")
OTHER_CALL = Parent("call", ACCOUNT, "1c4a6c7e-0000-4a4a-8b8b-222222222222")


def stream(parent: Parent, number: int) -> FakeStream:
    return FakeStream(parent.kind, parent.account_sid, parent.sid, f"5f1c2b4e-8a47-4c55-9a0b-{number:012d}")


def state(name: str | None) -> StreamState:
    return StreamState(name=name, status="in-progress", date_updated=datetime(2026, 1, 1, tzinfo=UTC))


def test_a_stream_stops_once_and_keeps_the_time_of_its_first_stop() -> None:
    store = StreamStore()
    store.add(stream(CALL, 1), state("agent"))
    first = store.stop(stream(CALL, 1).sid)
    again = store.stop(stream(CALL, 1).sid)
    assert first is not None and again is not None
    assert (first[1], again[1]) == (True, False)
    assert first[0].state.status == again[0].state.status == "stopped"
    assert again[0].state.date_updated == first[0].state.date_updated > datetime(2026, 1, 1, tzinfo=UTC)
    assert store.stop("5f1c2b4e-8a47-4c55-9a0b-000000000099") is None


def test_a_running_name_is_taken_on_its_call_only_and_free_again_once_stopped() -> None:
    store = StreamStore()
    store.add(stream(CALL, 1), state("agent"))
    assert store.add(stream(CALL, 2), state("agent"), name_taken="refuse") is None  # the REST API's 422
    assert store.get(stream(CALL, 2).sid) is None
    duplicate = store.add(stream(CALL, 3), state("agent"), name_taken="stop")  # cXML's Duplicated stream name
    assert duplicate is not None and not duplicate.running
    elsewhere = store.add(stream(OTHER_CALL, 4), state("agent"), name_taken="refuse")
    assert elsewhere is not None and elsewhere.running
    store.stop(stream(CALL, 1).sid)
    reused = store.add(stream(CALL, 5), state("agent"), name_taken="refuse")
    assert reused is not None and reused.running


def test_a_stream_is_found_by_sid_in_its_own_parent_or_by_its_newest_name() -> None:
    store = StreamStore()
    store.add(stream(CALL, 1), state("agent"))
    store.stop(stream(CALL, 1).sid)
    store.add(stream(CALL, 2), state("agent"))
    found = store.find(CALL, "agent")
    assert found is not None and found.sid == stream(CALL, 2).sid
    by_sid = store.find(CALL, stream(CALL, 1).sid.upper())
    assert by_sid is not None and by_sid.sid == stream(CALL, 1).sid
    assert store.find(OTHER_CALL, stream(CALL, 1).sid) is None
    assert store.find(OTHER_CALL, "agent") is None


def test_stopping_a_parent_stops_its_running_streams_in_order_and_a_named_stop_only_those() -> None:
    store = StreamStore()
    for number, name in ((1, "a"), (2, None), (3, "b"), (4, "a")):
        store.add(stream(CALL, number), state(name))
    store.add(stream(OTHER_CALL, 5), state("a"))
    store.stop(stream(CALL, 1).sid)
    assert [s.sid for s in store.stop_running(CALL, name="a")] == [stream(CALL, 4).sid]
    assert [s.sid for s in store.stop_running(CALL)] == [stream(CALL, 2).sid, stream(CALL, 3).sid]
    assert store.stop_running(CALL) == []
    other = store.get(stream(OTHER_CALL, 5).sid)
    assert other is not None and other.running


def test_what_the_store_hands_out_is_a_copy_and_a_sid_is_held_once() -> None:
    store = StreamStore()
    added = store.add(stream(CALL, 1), state("agent"))
    assert added is not None
    added.state.status = "stopped"  # a copy: the store's stream is unchanged
    held = store.get(stream(CALL, 1).sid)
    assert held is not None and held.running
    with pytest.raises(ValueError, match="held already"):
        store.add(stream(OTHER_CALL, 1), state("other"))
