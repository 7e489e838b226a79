"""The briefing entry points of the command line: export minutes headless, present (to a
meeting's seats too), or join a meeting as a seat.

All run on the live data path the composition root gives them (`ioc_console.live`),
inside the qasync loop the program starts, and close what they use.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from console.assets import layouts_dir, user_layouts_dir
from console.layout.deck import Deck, DeckLoader, library_presets
from console.layout.model import Layout
from console.layout.positions import LayoutInvalid
from console.nodes.meeting import MEETING_NAME, DeckTooLarge, MeetingDeck, deck_message
from console.nodes.site import broker_for, topics_for
from console.nodes.topics import Topics
from console.site.broker import Broker
from console.sources.federation import Federation
from widgets.briefing.annotation import AnnotationStore
from widgets.briefing.data import BriefingData
from widgets.briefing.pdf import export_minutes
from widgets.briefing.slide import SlideView
from widgets.panel import PanelContext

log = logging.getLogger(__name__)
EXPORT_SIZE = (1600, 900)
Live = tuple[PanelContext, Federation]
NO_BROKER = "no broker: name one in the site file (broker:) or with --broker URL"


def read_deck(path: Path) -> tuple[Deck, dict[str, Layout]]:
    loader = DeckLoader(path)
    return loader.load_deck(), loader.presets


def _prepare(app: QApplication) -> None:
    from widgets.kinds import register_builtin_kinds
    from widgets.theme import apply_theme

    register_builtin_kinds()
    apply_theme(app)


async def _open(
    app: QApplication, path: Path, live: Live
) -> tuple[Deck, dict[str, Layout], BriefingData] | None:
    """The deck, its presets and its live data; None (said in words) if it is invalid."""
    try:
        deck, presets = read_deck(path)
    except LayoutInvalid as invalid:
        log.error("the deck is invalid:\n%s", invalid)
        print(invalid)
        await live[1].aclose()  # the client the command line opened for it
        return None
    _prepare(app)
    return deck, presets, BriefingData(live, owned=True)


async def export_briefing(app: QApplication, args: argparse.Namespace, live: Live) -> int:
    """`ioc-console export-briefing DECK --pdf OUT.pdf`: every slide, live data, one page each."""
    opened = await _open(app, args.deck, live)
    if opened is None:
        return 1
    deck, presets, data = opened
    view = SlideView(data.context, AnnotationStore())
    view.setWindowTitle(deck.title)
    view.resize(*EXPORT_SIZE)
    view.show()
    data.start()
    try:
        pages = await export_minutes(
            deck, presets, data, view, AnnotationStore(), args.pdf, args.page, args.wait
        )
    except OSError as error:
        log.error("could not write %s: %s", args.pdf, error)
        print(f"could not write {args.pdf}: {error}")
        return 1
    finally:
        view.dispose()
        view.close()
        view.deleteLater()
        await data.aclose()
    print(f"{args.pdf}: {pages} page(s)")
    return 0


async def present(app: QApplication, args: argparse.Namespace, live: Live) -> int:
    """`ioc-console present DECK [--meeting NAME]`: audience full screen on one screen,
    presenter on another, and with a meeting every seat that joined it follows."""
    from widgets.briefing.meeting import MeetingPublisher, stop_tasks
    from widgets.briefing.presenter import PresenterSession

    opened = await _open(app, args.deck, live)
    if opened is None:
        return 1
    deck, presets, data = opened
    meeting = _meeting_for(args, live) if args.meeting is not None else None
    if isinstance(meeting, int):
        await data.aclose()
        return meeting
    done = asyncio.Event()
    session = PresenterSession(deck, presets, data, fullscreen=not args.windowed)
    session.finished.connect(done.set)
    tasks = []
    if meeting is not None:
        publisher = MeetingPublisher(session, args.meeting, *meeting)
        tasks.append(asyncio.create_task(publisher.run()))
    data.start()
    session.start()
    if args.exit_after is not None:
        asyncio.get_running_loop().call_later(args.exit_after, done.set)
    try:
        await done.wait()
        await session.wait_exports()
    finally:
        await stop_tasks(tasks)
        session.close()
        await data.aclose()
    return 0


async def join(app: QApplication, args: argparse.Namespace, live: Live) -> int:
    """`ioc-console join NAME`: this screen follows the meeting's presenter, on live data."""
    from widgets.briefing.follower import MeetingFollower
    from widgets.briefing.meeting import stop_tasks

    found = _broker_for(args, live)
    if found is None:
        await live[1].aclose()  # the clients the command line opened for it
        return 2
    _prepare(app)
    data = BriefingData(live, owned=True)
    follower = MeetingFollower(
        args.name,
        *found,
        data,
        seat_presets(),
        node=args.node,
        fullscreen=not args.windowed,
    )
    done = asyncio.Event()
    follower.finished.connect(done.set)
    data.start()
    follower.start()
    tasks = [asyncio.create_task(follower.run())]
    if args.exit_after is not None:
        asyncio.get_running_loop().call_later(args.exit_after, done.set)
    try:
        await done.wait()
    finally:
        await stop_tasks(tasks)
        follower.close()
        await data.aclose()
    print(follower.summary())
    return 0


def seat_presets() -> dict[str, Layout]:
    """The presets a shared deck may name: the shipped library, then the user's own."""
    return {**library_presets(layouts_dir()), **library_presets(user_layouts_dir())}


def _broker_for(args: argparse.Namespace, live: Live) -> tuple[Broker, Topics] | None:
    """The meeting's broker and topics; None (said) when there is none."""
    site = live[1].site
    try:
        broker = broker_for(site, args.broker)
    except ValueError as error:  # a malformed --broker URL
        print(f"--broker: {error}", file=sys.stderr)
        return None
    if broker is None:
        print(NO_BROKER, file=sys.stderr)
        return None
    return broker, topics_for(site, broker)


def _meeting_for(args: argparse.Namespace, live: Live) -> tuple[Broker, Topics, MeetingDeck] | int:
    """Where to present the meeting and the deck to share, else the exit status."""
    found = _broker_for(args, live)
    if found is None:
        return 2
    try:
        shared = deck_message(args.meeting, args.deck.read_text(encoding="utf-8"))
    except (DeckTooLarge, OSError, UnicodeDecodeError) as error:
        print(f"{args.deck}: {error}", file=sys.stderr)
        return 1
    return (*found, shared)


def _meeting_name(text: str) -> str:
    if not MEETING_NAME.match(text):
        raise argparse.ArgumentTypeError(
            f"{text!r}: a meeting name is 1 to 64 letters, digits, '_', '.' or '-'"
        )
    return text


def parse_briefing_args(
    command: str,
    argv: list[str],
    broker_options: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    """`broker_options` adds --node and --broker (the command line's, for present and join)."""
    parser = argparse.ArgumentParser(prog=f"ioc-console {command}")
    if command == "join":
        parser.add_argument("name", type=_meeting_name, help="the meeting to follow")
    else:
        parser.add_argument("deck", type=Path, help="a deck file (*.deck.yaml)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--backend", metavar="URL", help="one IOC backend (default: the demo)")
    source.add_argument("--site", type=Path, metavar="FILE", help="site file (*.site.yaml)")
    parser.add_argument("--lang", choices=("vi", "en"), help="UI language (default: system)")
    parser.add_argument("--log-level", default="INFO")
    from widgets.qt_setup import add_video_options

    add_video_options(parser)
    if command == "export-briefing":
        parser.add_argument("--pdf", type=Path, required=True, metavar="OUT.pdf")
        parser.add_argument("--page", choices=("16:9", "a4"), default="16:9")
        parser.add_argument(
            "--wait", type=float, default=15.0, metavar="S", help="longest wait for a slide's data"
        )
    else:
        parser.add_argument("--windowed", action="store_true", help="no full screen")
        parser.add_argument("--exit-after", type=float, metavar="SECONDS")
        if broker_options is not None:
            broker_options(parser)
    if command == "present":
        parser.add_argument(
            "--meeting",
            type=_meeting_name,
            metavar="NAME",
            help="every seat that joins NAME (ioc-console join NAME) follows this presentation",
        )
    args: Any = parser.parse_args(argv)
    args.command = command
    args.demo, args.ca_bundle, args.token_url = False, None, None
    for option in ("meeting", "broker", "node"):
        setattr(args, option, getattr(args, option, None))
    return args  # type: ignore[no-any-return]
