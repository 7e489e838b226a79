"""Presets, hot reload and kiosk mode on a real wall window (no backend needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from console.layout.library import LayoutLibrary
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from widgets.kinds import register_builtin_kinds
from widgets.panel import PanelContext
from widgets.wall import controls as wall_controls
from widgets.wall.controls import WallControls
from widgets.wall.manager import WallManager

TWO_PRESETS = """\
presets:
  - name: day
    title: Day shift
    screens:
      - name: desk
        rows: 1
        columns: 2
        cells:
          - {row: 0, column: 0, kind: incidents}
          - {row: 0, column: 1, kind: kpi-chart, config: {kpis: [on-time-rate]}}
  - name: night
    screens:
      - name: desk
        rows: 2
        columns: 1
        cells:
          - {row: 0, column: 0, kind: kpi-chart, config: {kpis: [satisfaction]}}
          - {row: 1, column: 0, kind: incidents}
"""


class Wall:
    def __init__(self, path: Path, kiosk: bool = False) -> None:
        register_builtin_kinds()
        self.quits = 0
        self.library = LayoutLibrary([path])
        self.manager = WallManager(
            PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
        )
        self.library.errorsChanged.connect(
            lambda errors: self.manager.show_error(str(errors[0]) if errors else "")
        )
        self.library.presetsChanged.connect(self.refresh)
        self.controls = WallControls(self.library, self.manager, self.quit, kiosk=kiosk)
        self.manager.on_new_window(self.controls.install)
        self.manager.apply(self.library.presets()[0])

    def quit(self) -> None:
        self.quits += 1

    def refresh(self) -> None:
        fresh = self.library.find(self.manager.current.name)  # type: ignore[union-attr]
        if fresh is not None:
            self.manager.apply(fresh)

    @property
    def window(self):  # type: ignore[no-untyped-def]
        return self.manager.window_list()[0]

    def kinds(self) -> list[str]:
        return [panel.KIND for panel in self.manager.panels()]


@pytest.fixture
def wall(tmp_path: Path, qtbot: QtBot) -> Iterator[Wall]:
    path = tmp_path / "shift.yaml"
    path.write_text(TWO_PRESETS)
    made = Wall(path)
    yield made
    made.controls.quit()
    made.manager.close()


def test_switching_presets_keeps_unchanged_panels_alive(wall: Wall) -> None:
    queue = next(p for p in wall.manager.panels() if p.KIND == "incidents")
    chart = next(p for p in wall.manager.panels() if p.KIND == "kpi-chart")
    night = next(a for a in wall.controls.preset_actions if a.data() == "night")
    assert night.shortcut() == QKeySequence("Ctrl+2")
    night.trigger()
    assert wall.manager.current.name == "night"  # type: ignore[union-attr]
    after = wall.manager.panels()
    assert queue in after, "the incident queue (same kind and config) is the same widget"
    assert chart not in after, "a chart with another KPI is a new panel"
    assert night.isChecked()
    assert wall.window.windowTitle() == "IOC Console — night"


def test_editing_the_file_reapplies_it_and_a_broken_edit_keeps_the_wall(
    wall: Wall, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "shift.yaml"
    queue = next(p for p in wall.manager.panels() if p.KIND == "incidents")
    path.write_text(TWO_PRESETS.replace("kpis: [on-time-rate]", "kpis: [satisfaction]"))
    qtbot.waitUntil(
        lambda: any(
            p.KIND == "kpi-chart" and p.chart_config.kpis == ("satisfaction",)
            for p in wall.manager.panels()
        ),
        timeout=10000,
    )
    assert queue in wall.manager.panels()
    before = wall.manager.panels()
    path.write_text(TWO_PRESETS.replace("rows: 1\n", "rows: one\n", 1))
    qtbot.waitUntil(lambda: wall.window.banner.isVisible(), timeout=10000)
    assert "shift.yaml:6:15: rows:" in wall.window.banner.text()
    assert wall.manager.panels() == before, "the last good layout stays on the wall"
    path.write_text(TWO_PRESETS)
    qtbot.waitUntil(lambda: not wall.window.banner.isVisible(), timeout=10000)


def test_kiosk_has_no_menus_hides_the_cursor_and_ignores_close(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wall_controls, "CURSOR_IDLE_MS", 50)
    path = tmp_path / "kiosk.yaml"
    path.write_text(TWO_PRESETS)
    kiosk = Wall(path, kiosk=True)
    try:
        window = kiosk.window
        qtbot.waitExposed(window)
        assert not window.menuBar().isVisible()
        qtbot.waitUntil(lambda: QGuiApplication.overrideCursor() is not None, timeout=10000)
        assert QGuiApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
        QTest.mouseMove(window, QPoint(20, 20))
        qtbot.waitUntil(lambda: QGuiApplication.overrideCursor() is None, timeout=10000)
        assert not window.close(), "Alt+F4 / the window manager cannot close a kiosk"
        assert window.isVisible()
        assert kiosk.controls.quit_action.shortcut() == QKeySequence("Ctrl+Alt+Shift+Q")
        kiosk.controls.quit_action.trigger()
        assert kiosk.quits == 1
        assert window.close()
    finally:
        kiosk.controls.quit()
        kiosk.manager.close()


def test_console_restores_the_last_preset(tmp_path: Path, qtbot: QtBot) -> None:
    from ioc_console.app import Console

    (tmp_path / "shift.yaml").write_text(TWO_PRESETS)
    first = Console("http://127.0.0.1:9", layouts_dir=tmp_path)
    assert first.wall.current.name == "day"  # type: ignore[union-attr]
    first.controls.switch("night")
    first.wall.close()
    second = Console("http://127.0.0.1:9", layouts_dir=tmp_path)
    assert second.wall.current.name == "night"  # type: ignore[union-attr]
    second.wall.close()
    third = Console("http://127.0.0.1:9", layouts_dir=tmp_path, preset="day")
    assert third.wall.current.name == "day"  # type: ignore[union-attr]
    third.wall.close()


SPLIT_SIZES = """\
name: briefing
screens:
  - name: desk
    split:
      orientation: vertical
      sizes: [1, 3]
      children:
        - {kind: kpi-tile, config: {kpi: on-time-rate}}
        - {kind: incidents}
"""


def test_split_sizes_are_the_proportions_on_screen(tmp_path: Path, qtbot: QtBot) -> None:
    """A tile row of size 1 over a queue of size 3 gets a quarter of the height, whatever
    the panels' own size hints (stretch factors alone left the tiles cut in half)."""
    path = tmp_path / "briefing.yaml"
    path.write_text(SPLIT_SIZES)
    wall = Wall(path)
    try:
        wall.window.resize(1200, 900)
        wall.window.show()
        qtbot.waitExposed(wall.window)
        tile, queue = (p.parentWidget() for p in wall.manager.panels())
        qtbot.waitUntil(lambda: queue.height() > 0)
        assert queue.height() / tile.height() == pytest.approx(3, rel=0.1)
    finally:
        wall.controls.quit()
        wall.manager.close()
