"""Start-up: process settings, Qt, the translator, the qasync loop, the backend, the wall."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Coroutine
from contextlib import ExitStack
from typing import Any

from console.assets import translations_dir

log = logging.getLogger("ioc_console")
M_ARENA_MAX = -8  # mallopt parameter, glibc malloc.h

Body = Callable[[Any, argparse.Namespace, Any], Coroutine[Any, Any, int]]


def limit_malloc_arenas(count: int = 2) -> None:
    """glibc gives each thread that contends for malloc an arena of its own, up to eight
    per core; with libVLC, FFmpeg, Chromium and httpx threads the wall's RSS then crept
    up for half an hour (soak: 705 → 916 MB over 5–30 min; with two arenas 655 → 663 MB
    over 7–15 min). Set before those threads exist; MALLOC_ARENA_MAX still wins."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, count)
    except (OSError, AttributeError):
        log.debug("not glibc: malloc arenas left as they are")


def install_translator(app: Any, lang: str | None) -> None:
    from PySide6.QtCore import QLocale, QTranslator

    from console.domain.formatting import set_language

    language = lang or ("vi" if QLocale.system().name().startswith("vi") else "en")
    set_language(language)  # numbers and dates: 1.234,5 in Vietnamese, 1,234.5 in English
    if language == "en":
        return
    folder = translations_dir()
    translator = QTranslator(app)
    if translator.load(str(folder / f"ioc_console_{language}.qm")):
        app.installTranslator(translator)
    else:
        log.warning("no %s translation found in %s", language, folder)


def run_console(args: argparse.Namespace, body: Body | None = None) -> int:
    """Choose the site (the demo if none), start Qt and the qasync loop, then run `body`."""
    from console.layout.positions import LayoutInvalid
    from ioc_console.sites import chosen_site, demo_site

    try:
        site = None if args.demo else chosen_site(args.site, args.backend, args.ca_bundle)
    except LayoutInvalid as invalid:  # a broken site file: its errors, no window, no traceback
        for error in invalid.errors:
            print(error, file=sys.stderr)
        return 2
    limit_malloc_arenas()
    from PySide6.QtWidgets import QApplication

    from ioc_console import event_loop
    from widgets.qt_setup import collect_garbage_on_gui_thread, configure_qt, report_rendering

    configure_qt(getattr(args, "render", None), getattr(args, "decoder", None))
    app: Any = QApplication.instance() or QApplication(sys.argv[:1])
    report_rendering()
    app.setApplicationName("IOC Console")
    app.setOrganizationName("ioc-console")
    app.setQuitOnLastWindowClosed(False)  # run_wall decides when to stop, after cleanup
    collector = collect_garbage_on_gui_thread()  # noqa: F841  (alive while the app runs)
    install_translator(app, args.lang)
    with ExitStack() as stack:
        if site is None:
            from console.demo.server import DemoServer

            url = stack.enter_context(DemoServer()).url
            log.info("demo backend on %s", url)
            site = demo_site(url)
        return event_loop.run((body or run_wall)(app, args, site), app)


async def run_wall(app: Any, args: argparse.Namespace, site: Any) -> int:
    """The wall until it is closed, or for --exit-after seconds (then --screenshot)."""
    from PySide6.QtCore import QTimer

    from ioc_console.app import Console
    from widgets.theme import apply_theme
    from widgets.wall import crash_guard

    crash_guard.install()
    asyncio.get_running_loop().set_exception_handler(crash_guard.asyncio_exception)
    apply_theme(app)
    console = Console(
        site,
        args.layout,
        preset=args.preset,
        fullscreen=args.fullscreen,
        kiosk=args.kiosk,
        ca_bundle=args.ca_bundle,
        token_url=args.token_url,
        node=args.node,
        broker_url=args.broker,
    )
    done = console.done
    app.lastWindowClosed.connect(done.set)
    console.controls.health_action.setChecked(args.wall_health)
    if args.exit_after is not None:

        async def finish() -> None:
            if args.screenshot:
                from ioc_console.report import write_report

                console.screenshot(args.screenshot)  # the picture first: the moment asked for
                await write_report(console, args.screenshot)
            done.set()

        QTimer.singleShot(int(args.exit_after * 1000), lambda: asyncio.ensure_future(finish()))
    console.start()
    try:
        await done.wait()
    finally:
        await console.aclose()
    return 0
