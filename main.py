"""IOC Console composition root: builds the app, loop, clients, stores and wall.

main.py [--demo | --backend URL] [--layout FILE] [--screenshot FILE.png --exit-after S]
main.py validate FILE...
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from console.layout import LayoutInvalid, load_layout, validate_file

ROOT = Path(__file__).resolve().parent
DEFAULT_LAYOUT = ROOT / "layouts" / "operator.yaml"
TRANSLATIONS = ROOT / "resources" / "translations"
log = logging.getLogger("ioc_console")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ioc-console", description="IOC operator console")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", action="store_true", help="run on the built-in demo backend")
    source.add_argument("--backend", metavar="URL", help="IOC backend base URL")
    parser.add_argument("--layout", type=Path, default=DEFAULT_LAYOUT, help="layout file")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", help="grab the wall")
    parser.add_argument("--exit-after", type=float, metavar="SECONDS", help="quit after this")
    parser.add_argument("--fullscreen", action="store_true", help="full-screen wall windows")
    parser.add_argument("--lang", choices=("vi", "en"), help="UI language (default: system)")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR")
    args = parser.parse_args(argv)
    if args.screenshot and args.exit_after is None:
        args.exit_after = 10.0
    return args


def validate(paths: Sequence[str]) -> int:
    """`main.py validate FILE...`: print path:line:col: message per error."""
    if not paths:
        print("usage: main.py validate FILE...", file=sys.stderr)
        return 2
    errors = [error for path in paths for error in validate_file(path)]
    for error in errors:
        print(error)
    return 1 if errors else 0


def screenshot_paths(target: Path, count: int) -> list[Path]:
    if count == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{n}{target.suffix}") for n in range(1, count + 1)]


def install_translator(app: Any, lang: str | None) -> None:
    from PySide6.QtCore import QLocale, QTranslator

    language = lang or ("vi" if QLocale.system().name().startswith("vi") else "en")
    if language == "en":
        return
    translator = QTranslator(app)
    if translator.load(str(TRANSLATIONS / f"ioc_console_{language}.qm")):
        app.installTranslator(translator)
    else:
        log.warning("no %s translation found in %s", language, TRANSLATIONS)


def run_console(args: argparse.Namespace) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    from widgets.qt_setup import collect_garbage_on_gui_thread, configure_qt

    configure_qt()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("IOC Console")
    app.setOrganizationName("ioc-console")
    app.setQuitOnLastWindowClosed(False)  # run_wall decides when to stop, after cleanup
    collector = collect_garbage_on_gui_thread()  # noqa: F841  (alive while the app runs)
    install_translator(app, args.lang)
    with ExitStack() as stack:
        backend = args.backend
        if not backend:
            from console.demo.server import DemoServer

            backend = stack.enter_context(DemoServer()).url
            log.info("demo backend on %s", backend)
        return qasync.run(run_wall(app, args, backend))  # type: ignore[no-any-return]


class Console:
    """The running console: stores, backend link and wall windows, wired once."""

    def __init__(self, backend: str, layout_path: Path, fullscreen: bool = False) -> None:
        from console.api import IocApi
        from console.live import LiveSync
        from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
        from widgets.kinds import register_builtin_kinds
        from widgets.panel import PanelContext
        from widgets.wall import build_wall

        register_builtin_kinds()
        banner = ""
        try:
            layout = load_layout(layout_path)
        except LayoutInvalid as invalid:
            log.error("layout %s is invalid:\n%s", layout_path, invalid)
            banner = f"{layout_path} is invalid, showing the default wall: {invalid.errors[0]}"
            layout = load_layout(DEFAULT_LAYOUT)
        self.context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
        self.api = IocApi(backend)
        self.sync = LiveSync(
            self.api,
            self.context.cameras,
            self.context.incidents,
            self.context.kpis,
            self.context.layers,
        )
        self.windows = build_wall(layout, self.context, fullscreen)
        for window in self.windows:
            self.sync.stateChanged.connect(window.set_link_state)
            window.show_banner(banner)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self.sync.run())

    def panels(self) -> list[Any]:
        return [panel for window in self.windows for panel in window.panels()]

    def screenshot(self, target: Path) -> list[Path]:
        written = []
        for window, path in zip(
            self.windows, screenshot_paths(target, len(self.windows)), strict=True
        ):
            if window.grab_screen().save(str(path)):
                log.info("screenshot written to %s", path)
                written.append(path)
            else:
                log.error("could not write %s", path)
        return written

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for window in self.windows:
            for panel in window.panels():
                panel.close()
            window.close()
            window.deleteLater()
        await self.api.aclose()


async def run_wall(app: Any, args: argparse.Namespace, backend: str) -> int:
    from PySide6.QtCore import QTimer

    from widgets.theme import apply_theme

    apply_theme(app)
    console = Console(backend, args.layout, args.fullscreen)
    done = asyncio.Event()
    app.lastWindowClosed.connect(done.set)
    if args.exit_after is not None:

        def finish() -> None:
            if args.screenshot:
                console.screenshot(args.screenshot)
            done.set()

        QTimer.singleShot(int(args.exit_after * 1000), finish)
    console.start()
    try:
        await done.wait()
    finally:
        await console.aclose()
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "validate":
        return validate(argv[1:])
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return run_console(args)


if __name__ == "__main__":
    sys.exit(run())
