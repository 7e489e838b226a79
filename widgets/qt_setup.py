"""Process-wide Qt settings that must be made before the QApplication exists."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def configure_qt() -> None:
    """Set once, before QApplication: the console and its tests share these."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to run as root with its sandbox (containers, CI, kiosks).
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --no-sandbox".strip()
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    # Only video surfaces (and their parents) become native windows. A web view in a
    # native sibling is left unpainted by the compositor and can crash QtWebEngine.
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontCreateNativeWidgetSiblings)


def collect_garbage_on_gui_thread() -> object:
    """Python's cyclic GC may run on any thread (the demo backend's, httpx's) and
    destroy QObjects there, which crashes Qt. Collect on a GUI-thread timer instead.

    Keep the returned object alive for the life of the application.
    """
    from pyqtgraph.util.garbage_collector import GarbageCollector

    return GarbageCollector(interval=1.0)
