"""Starts a briefing on Qt's offscreen multi-screen platform and reports where the
audience and presenter windows landed, as JSON (run by tests/test_presenter_screens.py).

    QT_QPA_PLATFORM=offscreen:configfile=screens.json python -m tests.presenter_probe DECK
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from widgets.qt_setup import configure_qt


async def probe(deck_path: Path, url: str) -> dict[str, object]:
    from ioc_console.live import connect
    from widgets.briefing.app import read_deck
    from widgets.briefing.data import BriefingData
    from widgets.briefing.presenter import PresenterSession

    deck, presets = read_deck(deck_path)
    data = BriefingData(connect(url), owned=True)
    session = PresenterSession(deck, presets, data, fullscreen=True)
    data.start()
    session.start()
    try:
        await asyncio.sleep(0.5)  # a probe's settle time for window placement, not a test wait
        return {
            "audience": session.audience.screen().name(),
            "audience_geometry": session.audience.geometry().getRect(),
            "audience_fullscreen": session.audience.isFullScreen(),
            "presenter": session.presenter.screen().name(),
        }
    finally:
        session.close()
        await data.aclose()


def main(deck_path: str) -> None:
    configure_qt()
    import qasync
    from PySide6.QtWidgets import QApplication

    from console.demo.server import DemoServer

    app = QApplication(["presenter-probe"])
    app.setQuitOnLastWindowClosed(False)
    with DemoServer(seed=2) as server:
        report = qasync.run(probe(Path(deck_path), server.url))
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
