"""Every user-visible string has a Vietnamese translation, and the UI uses it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "ioc_console_vi.ts"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    packages = ("ioc_console", "console", "widgets")
    return [str(path) for package in packages for path in sorted((ROOT / package).rglob("*.py"))]


def test_every_source_string_is_translated(tmp_path: Path) -> None:
    fresh = tmp_path / "vi.ts"
    shutil.copy(TS, fresh)
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-no-obsolete", *sources(), "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    untranslated = [
        message.findtext("source")
        for message in ET.parse(fresh).iter("message")
        if message.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
    ]
    assert not untranslated, f"run `make translations` and translate: {untranslated}"


def test_the_committed_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    """The wheel ships resources/translations/*.qm as it is in git (a clean clone has no
    `make` run behind it), so it must be what `pyside6-lrelease` makes of the .ts now."""
    fresh = tmp_path / "vi.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(fresh)], check=True, capture_output=True
    )
    committed = TS.with_suffix(".qm")
    assert committed.is_file(), f"run `make` and commit {committed.relative_to(ROOT)}"
    assert committed.read_bytes() == fresh.read_bytes(), (
        f"{committed.relative_to(ROOT)} is stale: run `make` and commit it"
    )


@pytest.fixture
def vietnamese(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    qm = tmp_path / "vi.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(qm)], check=True, capture_output=True
    )
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_the_wall_speaks_vietnamese(vietnamese: None, qtbot) -> None:  # type: ignore[no-untyped-def]
    from console.layout.loader import LayoutLoader
    from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
    from widgets.kinds import register_builtin_kinds
    from widgets.panel import PanelContext
    from widgets.wall.manager import WallManager

    register_builtin_kinds()
    layout = LayoutLoader(
        "t.yaml",
        "name: t\nscreens:\n  - {name: s, rows: 1, columns: 1,\n"
        "     cells: [{row: 0, column: 0, kind: incidents}]}\n",
    ).load()[0]
    context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    wall = WallManager(context)
    wall.apply(layout)
    window = wall.window_list()[0]
    qtbot.addWidget(window)
    window.set_link_state("live", "")
    assert "Máy chủ: trực tuyến" in window.link_label.text()
    assert window.frames[0].title.text() == "Sự cố và phản ánh của người dân"
    assert context.incidents.headerData(1, Qt.Orientation.Horizontal) == "Mức độ"
