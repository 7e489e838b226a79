"""Contain errors to the panel that raised them; route every error to the log.

PySide6 hands exceptions raised in slots and event handlers to `sys.excepthook`.
Ours logs the traceback and looks in it for the panel whose code raised: that
panel's frame shows the error with a Reload button, and the rest of the wall goes on.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QWidget

from widgets.wall.frame import PanelFrame

log = logging.getLogger("ioc_console.errors")
qt_log = logging.getLogger("qt")
QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def frame_in_traceback(tb: TracebackType | None) -> PanelFrame | None:
    """The innermost panel frame that owns an object whose method is in the traceback."""
    found: PanelFrame | None = None
    while tb is not None:
        owner = tb.tb_frame.f_locals.get("self")
        if isinstance(owner, QWidget):
            widget: QWidget | None = owner
            while widget is not None and not isinstance(widget, PanelFrame):
                widget = widget.parentWidget()
            if widget is not None:
                found = widget
        tb = tb.tb_next
    return found


def handle_exception(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    frame = frame_in_traceback(tb)
    where = f"panel {frame.spec.kind}" if frame is not None else "the console"
    log.error("unexpected error in %s: %s", where, error, exc_info=(kind, error, tb))
    if frame is not None:
        frame.show_failure(error)


# Said by Qt on the software render path, where GL is off on purpose: not a fault.
EXPECTED = ("No RHI backend. Using CPU conversion", "neither GLX nor EGL are enabled")


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = QT_LEVELS.get(kind, logging.WARNING)
    qt_log.log(logging.DEBUG if any(text in message for text in EXPECTED) else level, "%s", message)


def asyncio_exception(loop: Any, context: dict[str, Any]) -> None:
    error = context.get("exception")
    if isinstance(error, BaseException):
        handle_exception(type(error), error, error.__traceback__)
    else:
        log.error("asyncio: %s", context.get("message"))


def install() -> None:
    """For the running console (tests keep pytest-qt's own handlers)."""
    sys.excepthook = handle_exception
    qInstallMessageHandler(_qt_message)
