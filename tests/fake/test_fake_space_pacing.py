"""FakeSpace paces every stream's frames with one timer on the space's clock: each stream on its own 20 ms grid
from when it connected, exactly the frames due when a manual clock moves, messages as SignalWire's builders
write them."""

from __future__ import annotations

import asyncio

from signalwire_compat import media
from signalwire_compat.testing import FakeSpace, ManualClock
from tests.fake.media_app import MediaApp

CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"


class _CountingClock(ManualClock):
    """A manual clock that counts how many sleeps wait on it at once."""

    def __init__(self) -> None:
        super().__init__()
        self.sleeping = self.most_sleeping = 0

    async def sleep_until(self, when: float) -> None:
        self.sleeping += 1
        self.most_sleeping = max(self.most_sleeping, self.sleeping)
        try:
            await super().sleep_until(when)
        finally:
            self.sleeping -= 1


def _frames(messages: list[media.Message]) -> list[media.Media]:
    return [m for m in messages if isinstance(m, media.Media)]


def test_streams_share_one_timer_and_a_manual_advance_sends_exactly_the_frames_due_on_each_streams_grid() -> None:
    clock = _CountingClock()
    with FakeSpace(clock=clock) as space, MediaApp("") as app, space.client() as client:
        sessions = []
        for n in range(3):  # connected at 0, 5 and 10 ms: each keeps its own 20 ms grid
            stream = client.calls(CALL).streams.create(url=app.ws_url, name=f"s{n}")
            sessions.append(space.media(stream.sid).wait_until_connected().wait_for_frames(2))
            space.advance(0.005)
        space.advance(0.085)  # 0.1 s: frames at 0…100, 5…85 and 10…90 ms are due
        counts = [
            session.wait_for_frames(2 * count).frames_sent for session, count in zip(sessions, (6, 5, 5), strict=True)
        ]
        connections = [app.wait_for_connection(n) for n in range(3)]
        messages = [
            c.wait_for(lambda ms, n=2 * count: len(_frames(ms)) >= n)
            for c, count in zip(connections, (6, 5, 5), strict=True)
        ]
        frames_sent_by_now = [session.frames_sent for session in sessions]
    assert counts == frames_sent_by_now == [12, 10, 10]  # two tracks each, and not one frame more
    assert clock.most_sleeping == 1  # one timer for every stream's frames
    for stream_messages, count in zip(messages, (6, 5, 5), strict=True):
        inbound = [f for f in _frames(stream_messages) if f.track == "inbound"]
        assert [(f.chunk, f.timestamp) for f in inbound[:count]] == [(k + 1, 20 * k) for k in range(count)]
        sequence = [getattr(m, "sequence_number", None) for m in stream_messages[1:]]
        assert sequence == list(range(1, len(sequence) + 1))


def test_every_media_message_is_the_text_signalwires_builder_writes() -> None:
    with FakeSpace(speed=50.0) as space, MediaApp("") as app, space.client() as client:
        stream = client.calls(CALL).streams.create(url=app.ws_url)
        connection = app.wait_for_connection()
        connection.wait_for(lambda ms: len(_frames(ms)) >= 20)
        client.calls(CALL).streams(stream.sid).stop()
        space.media(stream.sid).wait_until_ended()
    pairs = [
        (text, message)
        for text, message in zip(connection.texts, connection.messages, strict=True)
        if isinstance(message, media.Media)
    ]
    assert len(pairs) >= 20
    for text, frame in pairs:
        assert isinstance(frame, media.Media)
        rebuilt = media.signalwire_media(
            sequence_number=frame.sequence_number,
            audio=frame.payload,
            chunk=frame.chunk,
            timestamp=frame.timestamp,
            track=frame.track,
        )
        assert text == rebuilt


def test_the_pacer_runs_only_while_a_stream_is_paced() -> None:
    with FakeSpace(speed=25.0) as space, MediaApp("") as app, space.client() as client:
        created = [client.calls(CALL).streams.create(url=app.ws_url, name=f"s{n}") for n in range(3)]
        for stream in created:
            space.media(stream.sid).wait_until_connected().wait_for_frames(2 * 5)
        pacer, loop = space._media.pacer, space._media.loop._loop
        assert loop is not None and pacer._task is not None and not pacer._task.done()
        for stream in created:
            client.calls(CALL).streams(stream.sid).stop()
            space.media(stream.sid).wait_until_ended()
        task = pacer._task
        asyncio.run_coroutine_threadsafe(asyncio.wait_for(asyncio.shield(task), 5), loop).result(6)
        assert task.done() and not task.cancelled()  # it ended by itself: nothing ticks for nobody
        again = client.calls(CALL).streams.create(url=app.ws_url, name="again")
        space.media(again.sid).wait_until_connected().wait_for_frames(2 * 5)  # and starts again for the next
        assert pacer._task is not task
