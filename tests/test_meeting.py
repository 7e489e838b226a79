"""Meetings: a presenter on the real demo backend, a seat following over a real mosquitto.

The seat shows the presenter's slide and ink, blanks and freezes with it, pages privately
until Home, rides out a broker kill, and nothing stale, foreign, malformed or oversized
that reaches its topics changes what it shows.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, Qt

from console.demo.broker import LocalBroker, mosquitto_path
from console.layout.deck import DeckLoader, library_presets
from console.nodes.link import BrokerLink, Outgoing
from console.nodes.meeting import (
    MAX_DECK_BYTES,
    MAX_INK_POINTS,
    DeckTooLarge,
    MeetingDeck,
    MeetingState,
    deck_message,
    decode_meeting,
    fit_ink,
)
from console.nodes.messages import MAX_PAYLOAD, encode
from console.nodes.topics import Topics
from console.site.broker import Broker
from ioc_console.cli import add_broker_options
from ioc_console.live import connect
from tests.conftest import run_on_qt_loop
from tests.test_wall_integration import wait_for
from widgets.briefing.annotation import Stroke
from widgets.briefing.data import BriefingData
from widgets.briefing.follower import MeetingFollower
from widgets.briefing.meeting import MeetingPublisher, stop_tasks
from widgets.briefing.presenter import PresenterSession
from widgets.briefing.slide import BLANK, FROZEN
from widgets.kinds import register_builtin_kinds

ROOT = Path(__file__).resolve().parents[1]
DECK = ROOT / "layouts" / "weekly-briefing.deck.yaml"
TOPICS = Topics("ioc/test")
needs_broker = pytest.mark.skipif(mosquitto_path() is None, reason="mosquitto not installed")


# -- the messages, without a broker ------------------------------------------------------
def test_the_largest_ink_fits_one_message_and_keeps_every_stroke_end() -> None:
    scribble = [(i / 996 + 1e-9, 1 - i / 996 - 1e-9) for i in range(997)]  # a bit out
    ink = fit_ink([(scribble, "#ff3b30", 0.004, 1.0)] * 150)
    state = MeetingState(
        meeting="m", seq=2**53, presenter="a" * 32, deck="0" * 16, title="t" * 200,
        slide=199, slides=200, frozen=True, blank=True, ink=ink,
    )  # fmt: skip
    assert len(encode(state)) < MAX_PAYLOAD
    assert len(ink) == 100 and sum(len(s.points) for s in ink) <= MAX_INK_POINTS
    assert ink[0].points[0] == (0.0, 1.0) and ink[0].points[-1] == (1.0, 0.0)


def test_a_deck_too_large_to_share_is_refused_in_words() -> None:
    assert deck_message("m", DECK.read_text()).text == DECK.read_text()
    with pytest.raises(DeckTooLarge, match="at most 61,440 bytes"):
        deck_message("m", "x" * (MAX_DECK_BYTES + 1))
    with pytest.raises(DeckTooLarge, match="escaped"):
        deck_message("m", "\x01" * MAX_DECK_BYTES)  # each becomes \u0001 in JSON


def test_foreign_inconsistent_and_non_finite_messages_are_dropped() -> None:
    good = MeetingState(
        meeting="m", seq=5, presenter="ab12cd34", deck="0" * 16, title="t", slide=1, slides=6
    )
    data = json.loads(encode(good))
    assert decode_meeting(MeetingState, encode(good), "t", "m") == good
    assert decode_meeting(MeetingState, encode(good), "t", "other") is None
    for change in ({"slide": 6}, {"ink": [{"points": [[float("nan"), 0]], "colour": "#fff000",
                   "width": 0.01}]}, {"extra": 1}, {"v": 2}, {"seq": 0}):  # fmt: skip
        assert (
            decode_meeting(MeetingState, json.dumps({**data, **change}).encode(), "t", "m") is None
        )
    deck = json.loads(encode(deck_message("m", "title: x\n")))
    assert decode_meeting(MeetingDeck, json.dumps({**deck, "text": "y"}).encode(), "t", "m") is None


# -- a presenter and a seat --------------------------------------------------------------
@pytest.fixture
def broker(tmp_path: Path) -> Iterator[LocalBroker]:
    with LocalBroker(tmp_path / "broker") as running:
        yield running


until = partial(wait_for, timeout=15.0)


@dataclass
class Room:
    session: PresenterSession
    publisher: MeetingPublisher
    follower: MeetingFollower
    data: BriefingData  # the presenter's
    tasks: list[asyncio.Task[None]]  # the publisher's link, the seat's link


@asynccontextmanager
async def meeting(broker: LocalBroker, demo_url: str, name: str = "weekly") -> AsyncIterator[Room]:
    register_builtin_kinds()
    loader = DeckLoader(DECK)
    deck = loader.load_deck()
    deck = deck.model_copy(
        update={"slides": [s.model_copy(update={"dwell_s": None}) for s in deck.slides]}
    )
    data = BriefingData(connect(demo_url), owned=True)
    session = PresenterSession(deck, loader.presets, data, fullscreen=False)
    shared = deck_message(name, DECK.read_text(encoding="utf-8"))
    publisher = MeetingPublisher(session, name, Broker(url=broker.url), TOPICS, shared)
    seat_data = BriefingData(connect(demo_url), owned=True)
    presets = library_presets(ROOT / "layouts")
    follower = MeetingFollower(
        name, Broker(url=broker.url), TOPICS, seat_data, presets, fullscreen=False
    )
    tasks = [asyncio.create_task(publisher.run())]
    data.start()
    seat_data.start()
    session.start()
    follower.start()
    tasks.append(asyncio.create_task(follower.run()))
    try:
        await until(lambda: follower.applied_seq == publisher.seq and follower.view.index == 0)
        yield Room(session, publisher, follower, data, tasks)
    finally:
        await stop_tasks(tasks)
        follower.close()
        session.close()
        await asyncio.gather(data.aclose(), seat_data.aclose())


def red_in_middle_column(follower: MeetingFollower) -> int:
    image = follower.view.ink.grab().toImage()
    x = image.width() // 2
    return sum(
        1
        for y in range(image.height())
        if any(
            (c := image.pixelColor(x + dx, y)).red() > 200 and c.green() < 120 for dx in (-1, 0, 1)
        )
    )


@needs_broker
def test_a_seat_follows_slides_ink_blank_and_freeze_and_pages_privately(
    qapp: Any, demo_url: str, broker: LocalBroker, qtbot: Any
) -> None:
    async def scenario() -> None:
        async with meeting(broker, demo_url) as room:
            session, follower, view = room.session, room.follower, room.follower.view
            assert view.title.text() == "Overview wall"
            session.next()
            await until(lambda: view.index == 1)
            assert view.title.text() == "Incidents by district"
            session.annotations.add(1, Stroke("pen", [(0.5, 0.05), (0.5, 0.95)]))
            await until(lambda: view.ink.strokes)
            assert view.ink.strokes[0].colour == "#ff3b30"
            assert red_in_middle_column(follower) > 0.5 * view.ink.height()

            session.set_blank(True)
            await until(lambda: view.stack.currentIndex() == BLANK)
            assert not view.ink.isVisible()
            session.set_blank(False)
            await until(lambda: view.stack.currentIndex() != BLANK)
            assert view.ink.isVisible()

            session.next()
            await until(lambda: view.index == 2)
            assert not view.ink.strokes, "ink belongs to its slide"
            await room.data.wait_ready(session.audience.panels(), 10)
            session.toggle_freeze()
            await until(lambda: view.stack.currentIndex() == FROZEN)
            assert "frozen, data as of" in view.title.text()
            still = view.still.pixmap().toImage()
            await asyncio.sleep(0.5)  # live data keeps arriving meanwhile
            assert view.still.pixmap().toImage() == still, "a frozen slide stays still"
            session.toggle_freeze()
            await until(lambda: view.frozen_at is None)

            banner = follower.window.banner
            qtbot.keyClick(follower.window, Qt.Key.Key_Left)
            assert view.index == 1 and banner.isVisible()
            assert banner.text() == "Private view — slide 2 of 6 · Home: return to presenter"
            assert view.ink.strokes, "the presenter's ink on a slide seen before"
            qtbot.keyClick(follower.window, Qt.Key.Key_PageUp)
            qtbot.keyClick(follower.window, Qt.Key.Key_PageUp)  # stays on the first
            assert view.index == 0 and "slide 1 of 6" in banner.text()
            session.next()
            await until(lambda: follower.latest is not None and follower.latest.slide == 3)
            assert view.index == 0, "private paging is not overridden"
            qtbot.keyClick(follower.window, Qt.Key.Key_Home)
            assert view.index == 3 and not banner.isVisible()
            session.next()
            await until(lambda: view.index == 4)

    run_on_qt_loop(qapp, scenario())


HOSTILE = [
    b"",
    b"\xff\xfe\x00garbage",
    b"[]",
    b"null",
    b'{"v": 1}',
    b"{" + b" " * MAX_PAYLOAD + b"}",
    b'{"v":1,"meeting":"weekly","seq":' + b"9" * 5000 + b"}",
    b"[" * 100_000,
]


@needs_broker
def test_stale_foreign_and_hostile_messages_never_change_the_seat(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    async def scenario() -> None:
        async with meeting(broker, demo_url) as room:
            session, follower, view = room.session, room.follower, room.follower.view
            session.go(2)
            await until(lambda: view.index == 2)
            shown: list[int] = []
            follower.applied.connect(lambda _seq: shown.append(view.index))
            current = room.publisher.last
            assert current is not None
            valid = json.loads(encode(current))
            state_topic = TOPICS.meeting("weekly", "state")

            keys = st.sampled_from(sorted(set(valid) - {"seq"}))
            leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
            documents = st.recursive(
                leaves,
                lambda inner: (
                    st.lists(inner, max_size=5)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=5)
                ),
            )
            mutated = st.builds(lambda k, v: json.dumps({**valid, k: v}).encode(), keys, documents)
            payloads = (
                st.binary(max_size=300) | documents.map(lambda d: json.dumps(d).encode()) | mutated
            )

            @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
            @given(payloads, st.sampled_from([state_topic, TOPICS.meeting("weekly", "deck")]))
            def never_moves(payload: bytes, topic: str) -> None:
                follower.handle(topic, payload)
                assert view.index == 2 and follower.applied_seq == current.seq

            never_moves()

            # Through the broker: stale, foreign and hostile, then one good state after them.
            stale = current.model_copy(update={"seq": current.seq - 1, "slide": 5})
            foreign = current.model_copy(
                update={"meeting": "other", "seq": current.seq + 9, "slide": 5}
            )
            bad_deck = deck_message("weekly", "title: not a deck\n")
            intruder = BrokerLink(Broker(url=broker.url), [], lambda *_: None, name="intruder")
            task = asyncio.create_task(intruder.run())
            for payload in [encode(stale), encode(foreign), *HOSTILE]:
                intruder.publish(Outgoing(state_topic, payload, retain=False))
            intruder.publish(
                Outgoing(TOPICS.meeting("weekly", "deck"), encode(bad_deck), retain=False)
            )
            good = current.model_copy(update={"seq": current.seq + 1, "slide": 4})
            intruder.publish(Outgoing(state_topic, encode(good), retain=False))
            await until(lambda: follower.applied_seq == good.seq)
            assert shown == [4] and view.index == 4 and follower.deck is not None
            assert follower.deck.title == "Weekly IOC briefing"
            await stop_tasks([task])

    run_on_qt_loop(qapp, scenario())


@needs_broker
def test_a_broker_killed_mid_meeting_is_said_and_the_seat_recovers_by_itself(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    async def scenario() -> None:
        async with meeting(broker, demo_url) as room:
            session, follower, view = room.session, room.follower, room.follower.view
            session.next()
            await until(lambda: view.index == 1)
            broker.kill()
            banner = follower.window.banner
            await until(lambda: "Meeting connection lost — showing the last slide" in banner.text())
            assert view.index == 1 and view.stack.currentIndex() != BLANK
            session.next()  # kept, and sent when the broker is back
            broker.start()
            await until(lambda: view.index == 2)
            await until(lambda: not banner.isVisible())

    run_on_qt_loop(qapp, scenario())


@needs_broker
def test_a_presenter_starting_again_continues_above_the_retained_seq(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    async def scenario() -> None:
        async with meeting(broker, demo_url) as room:
            room.session.go(3)
            await until(lambda: room.follower.view.index == 3)
            first = room.publisher.last
            assert first is not None
            await stop_tasks(room.tasks[:1])  # the presenter's laptop goes away
            # It had run an hour ahead: what it left retained is far above the new clock.
            ahead = first.model_copy(update={"seq": first.seq + 3_600_000})
            earlier = BrokerLink(Broker(url=broker.url), [], lambda *_: None, name="earlier")
            tasks = [asyncio.create_task(earlier.run())]
            earlier.publish(Outgoing(TOPICS.meeting("weekly", "state"), encode(ahead)))
            await until(lambda: room.follower.applied_seq == ahead.seq)
            shared = deck_message("weekly", DECK.read_text(encoding="utf-8"))
            again = MeetingPublisher(room.session, "weekly", Broker(url=broker.url), TOPICS, shared)
            assert again.seq < ahead.seq
            tasks.append(asyncio.create_task(again.run()))
            await until(lambda: again.seq > ahead.seq)
            room.session.next()
            await until(lambda: room.follower.view.index == 4)
            assert room.follower.applied_seq == again.seq
            await stop_tasks(tasks)

    run_on_qt_loop(qapp, scenario())


class PaintClock(QObject):
    """When the watched widget was last painted."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.append(time.perf_counter())
        return False


@needs_broker
def test_a_seat_repaints_within_a_blink_of_the_presenter(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    """30 slide changes: the presenter's key, the publish, the seat receiving it, its repaint.

    Presenter and seat share one GUI thread here, each rendering every slide (maps, four
    cameras): the seat hears a state only once the presenter's own slide is drawn, so
    the figures are an upper bound of two machines'."""

    async def scenario() -> dict[str, list[float]]:
        async with meeting(broker, demo_url) as room:
            session, follower = room.session, room.follower
            clock = PaintClock()
            follower.view.title.installEventFilter(clock)
            received: list[float] = []
            handle = follower.link.on_message

            def heard(topic: str, payload: bytes, retained: bool) -> None:
                received.append(time.perf_counter())
                handle(topic, payload, retained)

            follower.link.on_message = heard
            times: dict[str, list[float]] = {"key": [], "publish": [], "seat": []}
            for change in range(30):
                target = (change + 1) % len(session.deck.slides)
                started = time.perf_counter()
                session.go(target)
                sent = room.publisher.published_at
                await until(lambda t=target: follower.view.index == t)  # type: ignore[misc]
                await until(lambda s=sent: clock.painted and clock.painted[-1] > s)  # type: ignore[misc]
                painted = next(p for p in clock.painted if p > sent)
                times["key"].append(painted - started)
                times["publish"].append(painted - sent)
                times["seat"].append(painted - next(r for r in received if r > sent))
            follower.view.title.removeEventFilter(clock)
            return times

    times = run_on_qt_loop(qapp, scenario())

    def ms(what: str, q: int) -> float:
        return statistics.quantiles(times[what], n=100)[q - 1] * 1000

    print(
        f"\nslide change → seat, {len(times['key'])} changes (p50 / p95): "
        f"key → repaint {ms('key', 50):.0f} / {ms('key', 95):.0f} ms; "
        f"publish → repaint {ms('publish', 50):.0f} / {ms('publish', 95):.0f} ms; "
        f"the seat's own work, received → repaint {ms('seat', 50):.0f} / {ms('seat', 95):.0f} ms"
    )
    assert ms("publish", 50) < 500 and ms("publish", 95) < 2500


# -- the command line --------------------------------------------------------------------
def briefing_args(command: str, *argv: str) -> Any:
    from widgets.briefing.app import parse_briefing_args

    return parse_briefing_args(command, list(argv), add_broker_options)


def test_a_meeting_needs_a_broker_and_a_deck_that_fits(
    qapp: Any, demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from widgets.briefing.app import join, present

    shutil.copy(ROOT / "layouts" / "operator.yaml", tmp_path)  # the deck's preset
    big = tmp_path / "big.deck.yaml"
    big.write_text(DECK.read_text() + "# " + "x" * MAX_DECK_BYTES + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        briefing_args("join", "not/a/name")
    args = briefing_args("join", "weekly", "--windowed")
    assert run_on_qt_loop(qapp, join(qapp, args, connect(demo_url))) == 2
    assert (
        "no broker: name one in the site file (broker:) or with --broker URL"
        in capsys.readouterr().err
    )
    args = briefing_args(
        "present", str(big), "--meeting", "weekly", "--broker", "mqtt://127.0.0.1:9"
    )
    assert run_on_qt_loop(qapp, present(qapp, args, connect(demo_url))) == 1
    assert "a meeting shares decks of at most 61,440 bytes" in capsys.readouterr().err


@needs_broker
def test_ioc_console_join_follows_the_retained_meeting(
    qapp: Any, demo_url: str, broker: LocalBroker
) -> None:
    shared = deck_message("weekly", DECK.read_text(encoding="utf-8"))
    state = MeetingState(
        meeting="weekly", seq=7, presenter="ab12cd34", deck=shared.digest,
        title="Weekly IOC briefing", slide=2, slides=6,
    )  # fmt: skip

    async def publish() -> None:
        link = BrokerLink(Broker(url=broker.url), [], lambda *_: None, name="presenter")
        task = asyncio.create_task(link.run())
        link.publish(Outgoing(TOPICS.meeting("weekly", "deck"), encode(shared)))
        link.publish(Outgoing(TOPICS.meeting("weekly", "state"), encode(state)))
        await until(lambda: link.connected and not link._pending)
        await stop_tasks([task])

    run_on_qt_loop(qapp, publish())
    site = broker.folder / "meeting.site.yaml"
    site.write_text(
        "version: 1\nname: test\ntimezone: Asia/Ho_Chi_Minh\n"
        f"broker:\n  url: {broker.url}\n  topic_prefix: ioc/test\nconnections:\n"
        f"  - name: ioc\n    kind: ioc\n    url: {demo_url}\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "ioc_console", "join", "weekly", "--site", str(site)]
    result = subprocess.run(
        [*command, "--windowed", "--exit-after", "15", "--node", "seat-1"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "meeting weekly: state 7, presenter on slide 3" in result.stdout
