"""The briefing entry points of the command line: export minutes headless, or present.

Both run on the live data path the composition root gives them (`ioc_console.live`),
with one slide view, inside the qasync loop the program starts, and close what they use.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from console.layout.deck import Deck, DeckLoader
from console.layout.model import Layout
from console.layout.positions import LayoutInvalid
from console.sources.federation import Federation
from widgets.briefing.annotation import AnnotationStore
from widgets.briefing.data import BriefingData
from widgets.briefing.pdf import export_minutes
from widgets.briefing.slide import SlideView
from widgets.panel import PanelContext

log = logging.getLogger(__name__)
EXPORT_SIZE = (1600, 900)
Live = tuple[PanelContext, Federation]


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
    """`ioc-console present DECK`: audience full screen on one screen, presenter on another."""
    from widgets.briefing.presenter import PresenterSession

    opened = await _open(app, args.deck, live)
    if opened is None:
        return 1
    deck, presets, data = opened
    done = asyncio.Event()
    session = PresenterSession(deck, presets, data, fullscreen=not args.windowed)
    session.finished.connect(done.set)
    data.start()
    session.start()
    if args.exit_after is not None:
        asyncio.get_running_loop().call_later(args.exit_after, done.set)
    try:
        await done.wait()
        await session.wait_exports()
    finally:
        session.close()
        await data.aclose()
    return 0


def parse_briefing_args(command: str, argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"ioc-console {command}")
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
    args: Any = parser.parse_args(argv)
    args.command = command
    args.demo, args.ca_bundle, args.token_url = False, None, None
    return args  # type: ignore[no-any-return]
