"""The layout editor on a real wall window: edits keep unchanged panels alive."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMenu
from pytestqt.qtbot import QtBot

from console.layout.library import LayoutLibrary
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from ioc_console.cli import validate
from widgets.editor.editor import LayoutEditor
from widgets.editor.tools import FrameTools
from widgets.kinds import register_builtin_kinds
from widgets.panel import Panel, PanelContext
from widgets.wall.controls import WallControls
from widgets.wall.frame import PanelFrame
from widgets.wall.manager import WallManager
from widgets.wall.window import WallWindow

DESK = """\
name: desk
title: Desk
screens:
  - name: desk
    rows: 2
    columns: 2
    cells:
      - {row: 0, column: 0, kind: camera, config: {camera: CAM-01}}
      - {row: 0, column: 1, kind: kpi-tile, config: {kpi: on-time-rate}}
      - {row: 1, column: 0, column_span: 2, kind: incidents}
"""


class EditableWall:
    def __init__(self, folder: Path, kiosk: bool = False) -> None:
        register_builtin_kinds()
        self.library = LayoutLibrary([folder / "desk.yaml"])
        self.manager = WallManager(
            PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
        )
        self.controls = WallControls(self.library, self.manager, lambda: None, kiosk=kiosk)
        self.manager.on_new_window(self.controls.install)
        self.editor = LayoutEditor(self.controls, folder)
        self.library.presetsChanged.connect(self.refresh)
        self.manager.apply(self.library.presets()[0])

    def refresh(self) -> None:
        """As the console does: a changed file re-applies the preset on the wall."""
        current = self.manager.current
        fresh = self.library.find(current.name) if current else None
        if fresh is not None and fresh != current:
            self.manager.apply(fresh)

    @property
    def window(self) -> WallWindow:
        return self.manager.window_list()[0]

    def panels(self) -> list[Panel]:
        return [frame.panel for frame in self.window.frames if frame.panel is not None]

    def frame(self, kind: str) -> PanelFrame:
        return next(f for f in self.window.frames if f.spec.kind == kind)

    def close(self) -> None:
        self.controls.quit()
        self.manager.close()


@pytest.fixture
def wall(tmp_path: Path, qtbot: QtBot) -> Iterator[EditableWall]:
    (tmp_path / "desk.yaml").write_text(DESK)
    made = EditableWall(tmp_path)
    qtbot.waitExposed(made.window)
    made.editor.edit_action.trigger()
    yield made
    made.close()


def tools(frame: PanelFrame) -> FrameTools:
    found = frame.title.findChild(FrameTools)
    assert found is not None and found.isVisible(), "edit mode shows tools on every title bar"
    return found


def test_split_then_undo_restores_the_same_panels(wall: EditableWall, qtbot: QtBot) -> None:
    before, layout = wall.panels(), wall.manager.current
    camera = wall.frame("camera").panel
    strip = tools(wall.frame("kpi-tile"))
    QTest.mouseClick(strip.buttons["split-down"], Qt.MouseButton.LeftButton)
    assert [f.spec.kind for f in wall.window.frames] == ["camera", "kpi-tile", "empty", "incidents"]
    assert camera in wall.panels(), "the camera kept playing through the edit"
    tools(wall.frame("empty"))  # the new panel is editable at once
    assert (
        "Empty cell"
        in wall.frame("empty")
        .findChild(Panel)
        .findChildren(  # type: ignore[union-attr]
            type(wall.window.link_label)
        )[0]
        .text()
    )
    wall.editor.undo_action.trigger()
    assert wall.manager.current == layout
    assert wall.panels() == before, "undo brings back the very same panels"
    wall.editor.redo_action.trigger()
    assert len(wall.panels()) == 4


def test_drag_a_title_bar_onto_another_panel_swaps_them(wall: EditableWall, qtbot: QtBot) -> None:
    camera, tile = wall.frame("camera"), wall.frame("kpi-tile")
    camera_panel, tile_panel = camera.panel, tile.panel
    source = camera.title
    target = source.mapFromGlobal(tile.mapToGlobal(tile.rect().center()))
    QTest.mousePress(source, Qt.MouseButton.LeftButton, pos=QPoint(10, 5))
    QTest.mouseMove(source, QPoint(40, 5))
    QTest.mouseMove(source, target)
    QTest.mouseRelease(source, Qt.MouseButton.LeftButton, pos=target)
    assert [f.spec.kind for f in wall.window.frames] == ["kpi-tile", "camera", "incidents"]
    assert [f.panel for f in wall.window.frames][:2] == [tile_panel, camera_panel], (
        "the panels moved, they were not rebuilt"
    )
    assert wall.editor.history.can_undo()


def test_change_kind_and_settings_with_live_validation(wall: EditableWall, qtbot: QtBot) -> None:
    strip = tools(wall.frame("kpi-tile"))
    gauge = next(a for a in strip.kind_menu.actions() if a.text() == "kpi-gauge")
    gauge.trigger()
    assert wall.frame("kpi-gauge").spec.config == {}
    dialog = wall.editor.open_settings(wall.frame("kpi-gauge"))
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.editor.setPlainText("kpi: satisfaction\nperiod: fortnight\n")
    assert dialog.error.isVisible() and not ok.isEnabled()
    assert dialog.error.text().startswith("line 2: period: Input should be 'live'")
    dialog.editor.setPlainText("kpi: satisfaction\nperiod: week\n")
    assert ok.isEnabled() and not dialog.error.isVisible()
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert wall.frame("kpi-gauge").spec.config == {"kpi": "satisfaction", "period": "week"}


def test_an_impossible_edit_is_explained_and_changes_nothing(
    wall: EditableWall, qtbot: QtBot
) -> None:
    before = wall.manager.current
    with qtbot.waitSignal(wall.editor.failed) as failed:
        wall.editor.merge(wall.frame("camera"), "down")
    assert "do not line up" in failed.args[0]
    assert "do not line up" in wall.window.statusBar().currentMessage()
    assert wall.manager.current is before and not wall.editor.history.can_undo()


def test_save_as_new_preset_writes_tidy_yaml_that_becomes_a_preset(
    wall: EditableWall, qtbot: QtBot, tmp_path: Path
) -> None:
    wall.editor.split(wall.frame("kpi-tile"), "right")
    panels = wall.panels()
    dialog = wall.editor.ask_save_name()
    assert isinstance(dialog, QInputDialog) and dialog.isVisible(), "asked without exec()"
    dialog.setTextValue("Ca đêm")
    with qtbot.waitSignal(wall.editor.saved) as saved:
        dialog.accept()
    path = tmp_path / "ca-dem.yaml"
    assert saved.args == [path]
    assert validate([str(path)]) == 0
    assert "kind: empty" in path.read_text() and "title: Ca đêm" in path.read_text()
    menu = next(
        cast(QMenu, a.menu()) for a in wall.window.menuBar().actions() if a.text() == "&Presets"
    )
    qtbot.waitUntil(lambda: any(a.text() == "Ca đêm" for a in menu.actions()), timeout=10000)
    action = next(a for a in menu.actions() if a.text() == "Ca đêm")
    assert action.isChecked(), "the wall now shows the new preset"
    assert wall.panels() == panels, "saving rebuilt nothing"
    with qtbot.waitSignal(wall.editor.failed) as failed:
        assert wall.editor.save_as("ca dem") is None
    assert "exists already" in failed.args[0]


def test_a_file_change_while_editing_is_shown_and_the_edit_is_one_undo_away(
    wall: EditableWall, qtbot: QtBot, tmp_path: Path
) -> None:
    wall.editor.split(wall.frame("camera"), "right")
    edited = wall.manager.current
    (tmp_path / "desk.yaml").write_text(DESK.replace("kpi: on-time-rate", "kpi: satisfaction"))
    qtbot.waitUntil(lambda: wall.frame("kpi-tile").spec.config == {"kpi": "satisfaction"})
    assert "empty" not in [f.spec.kind for f in wall.window.frames], "the file wins"
    wall.editor.undo_action.trigger()
    assert wall.manager.current == edited


def test_edit_mode_off_removes_the_tools_and_kiosk_has_no_editor(
    wall: EditableWall, qtbot: QtBot, tmp_path: Path
) -> None:
    assert wall.editor.edit_action.shortcut().toString() == "Ctrl+E"
    wall.editor.edit_action.trigger()
    assert not wall.editor.editing
    assert all(f.title.findChild(FrameTools) is None for f in wall.window.frames)
    assert not wall.editor.undo_action.isEnabled()
    kiosk = EditableWall(tmp_path, kiosk=True)
    try:
        window = kiosk.window
        assert not kiosk.editor.available
        kiosk.editor.set_editing(True)
        assert not kiosk.editor.editing
        assert kiosk.editor.edit_action not in window.actions(), "Ctrl+E does nothing there"
        assert all(f.title.findChild(FrameTools) is None for f in window.frames)
    finally:
        kiosk.close()
