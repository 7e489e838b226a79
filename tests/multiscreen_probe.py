"""Shows a layout's first preset on Qt's offscreen multi-screen platform and reports
where each wall window landed, as JSON. Run by tests/test_multiscreen.py in a fresh
process, because the screen set is fixed when the QApplication starts.

    QT_QPA_PLATFORM=offscreen:configfile=screens.json python -m tests.multiscreen_probe LAYOUT
"""

from __future__ import annotations

import json
import sys

from widgets.qt_setup import configure_qt


def main(layout_path: str) -> None:
    configure_qt()
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication(["probe"])
    app.setQuitOnLastWindowClosed(False)
    from console.layout.loader import LayoutLoader
    from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
    from widgets.kinds import register_builtin_kinds
    from widgets.panel import PanelContext
    from widgets.wall.manager import WallManager

    register_builtin_kinds()
    context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    wall = WallManager(context, fullscreen=True)
    wall.apply(LayoutLoader(layout_path).load()[0])
    app.processEvents()
    report = [
        {
            "screen": window.screen().name(),
            "geometry": window.geometry().getRect(),
            "pages": [page.spec.name for page in window.pages],
            "tabs_visible": window.tabs.isVisibleTo(window),
            "banner": window.banner.text() if window.banner.isVisibleTo(window) else "",
            "font_pt": [page.font().pointSizeF() for page in window.pages],
            "panels": [panel.KIND for panel in window.panels()],
        }
        for window in wall.windows.values()
    ]
    print(json.dumps(sorted(report, key=lambda w: w["screen"])), flush=True)
    wall.close()
    # Delete pages (web views) now, before their profile goes at interpreter exit.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1])
