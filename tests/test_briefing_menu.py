"""Console → Briefing: a deck beside the layouts starts on the wall's own live data."""

from __future__ import annotations

from pytestqt.qtbot import QtBot


def test_present_from_the_menu_shares_the_consoles_data(qtbot: QtBot) -> None:
    from ioc_console.app import Console

    console = Console("http://127.0.0.1:9")
    try:
        actions = [a for a in console.briefing.findChildren(type(console.controls.quit_action))]
        assert [a.text() for a in actions] == ["Present “weekly-briefing”"]
        menus = [action.text() for action in console.windows[0].menuBar().actions()]
        assert "&Briefing" in menus
        actions[0].trigger()
        session = console.briefing.session
        assert session is not None
        qtbot.waitUntil(lambda: session.audience.isVisible() and session.presenter.isVisible())
        assert session.data.context is console.context, "no second connection, same stores"
        session.close()
    finally:
        console.wall.close()
