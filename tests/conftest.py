"""Shared test set-up: headless Qt, QtWebEngine as root, and the real demo backend."""

from __future__ import annotations

# Before anything reads them: a Console started by a test keeps its outbox and audit log
# in a throw-away folder, never in the user's own data dir. The cache (demo clips) stays.
import os
import tempfile

os.environ["XDG_DATA_HOME"] = os.path.join(tempfile.mkdtemp(prefix="ioc-console-tests-"), "data")
os.environ["XDG_STATE_HOME"] = os.path.join(os.path.dirname(os.environ["XDG_DATA_HOME"]), "state")
# QSettings (last preset, window placement) too: a test never sees what a person ran.
os.environ["XDG_CONFIG_HOME"] = os.path.join(os.path.dirname(os.environ["XDG_DATA_HOME"]), "config")

import asyncio
import atexit
import shutil
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from ioc_console.event_loop import EventLoop
from widgets.qt_setup import collect_garbage_on_gui_thread, configure_qt

configure_qt()
atexit.register(shutil.rmtree, os.path.dirname(os.environ["XDG_DATA_HOME"]), True)

FIXTURES = Path(__file__).resolve().parent / "fixtures"  # real public samples, see README


def run_on_qt_loop(qapp: Any, coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run one async scenario on a qasync loop, as main.py runs the console.

    A whole scenario is one coroutine: tasks must not outlive run_until_complete."""
    from ioc_console import event_loop

    return event_loop.run(coroutine, qapp)


def needs_display() -> pytest.MarkDecorator:
    """Native video and web rendering need a real X server (the Makefile runs Xvfb)."""
    return pytest.mark.skipif(
        os.environ.get("QT_QPA_PLATFORM") != "xcb", reason="needs an X display (run under xvfb-run)"
    )


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["ioc-console-tests"]


@pytest.fixture(scope="session", autouse=True)
def _app_like_main(qapp):  # type: ignore[no-untyped-def]
    """As in main.py: closing the last window must not stop a running event loop, and
    garbage is collected on the GUI thread only (the demo backend runs in a thread)."""
    qapp.setQuitOnLastWindowClosed(False)
    qapp.setOrganizationName("ioc-console-tests")
    qapp.setApplicationName("IOC Console tests")
    collector = collect_garbage_on_gui_thread()
    yield
    del collector


@pytest.fixture(autouse=True)
def _app_look_restored(qapp: Any) -> Iterator[None]:
    """A test that themes the application (as `present` and `join` do) gives the next
    test the look it found: fonts decide which queue columns fit."""
    font, palette, sheet = qapp.font(), qapp.palette(), qapp.styleSheet()
    yield
    if qapp.styleSheet() != sheet:
        qapp.setStyleSheet(sheet)
    if qapp.font() != font:
        qapp.setFont(font)
    if qapp.palette() != palette:
        qapp.setPalette(palette)


@pytest.fixture(scope="session", autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's own console settings."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("settings"))
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, folder)


@pytest.fixture(scope="session")
def demo_url() -> Iterator[str]:
    """A real demo IOC backend on a free loopback port, shared by the session."""
    from console.demo.server import DemoServer

    with DemoServer(seed=7, incident_interval_s=2.0) as server:
        yield server.url


@pytest.fixture
def loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = EventLoop(qapp, already_running=False)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.close()
    asyncio.set_event_loop(None)
