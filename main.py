"""IOC Console composition root: builds the app, loop, clients, stores and wall.

main.py [--demo | --backend URL] [--layout FILE] [--screenshot FILE.png --exit-after S]
main.py validate FILE...
main.py export-briefing DECK --pdf OUT.pdf [--backend URL]
main.py present DECK [--backend URL]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from console.layout.loader import validate_file

ROOT = Path(__file__).resolve().parent
LAYOUTS = ROOT / "layouts"
DEFAULT_LAYOUT = LAYOUTS / "operator.yaml"
TRANSLATIONS = ROOT / "resources" / "translations"
log = logging.getLogger("ioc_console")
M_ARENA_MAX = -8  # mallopt parameter, glibc malloc.h


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ioc-console", description="IOC operator console")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", action="store_true", help="run on the built-in demo backend")
    source.add_argument("--backend", metavar="URL", help="IOC backend base URL")
    parser.add_argument(
        "--layout", type=Path, help="layout file to start with (default: last used)"
    )
    parser.add_argument("--preset", help="preset name to start with")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", help="grab the wall")
    parser.add_argument("--exit-after", type=float, metavar="SECONDS", help="quit after this")
    parser.add_argument("--fullscreen", action="store_true", help="full-screen wall windows")
    parser.add_argument(
        "--kiosk", action="store_true", help="full screen, no menus, Ctrl+Alt+Shift+Q quits"
    )
    parser.add_argument("--lang", choices=("vi", "en"), help="UI language (default: system)")
    parser.add_argument(
        "--ca-bundle", metavar="PEM", help="trust this CA bundle for the backend's TLS certificate"
    )
    parser.add_argument(
        "--token-url", metavar="URL", help="OAuth2 token endpoint (default: BACKEND/oauth/token)"
    )
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
    from console.layout.deck import is_deck, validate_deck

    errors = [
        error
        for path in paths
        for error in (validate_deck(path) if is_deck(path) else validate_file(path))
    ]
    for error in errors:
        print(error)
    return 1 if errors else 0


def print_schema() -> int:
    """`main.py schema`: the JSON Schema of layout files, for editors."""
    from console.layout.schema import layout_schema

    print(json.dumps(layout_schema(), indent=2, ensure_ascii=False))
    return 0


def screenshot_paths(target: Path, count: int) -> list[Path]:
    if count == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{n}{target.suffix}") for n in range(1, count + 1)]


def install_translator(app: Any, lang: str | None) -> None:
    from PySide6.QtCore import QLocale, QTranslator

    from console.domain.formatting import set_language

    language = lang or ("vi" if QLocale.system().name().startswith("vi") else "en")
    set_language(language)  # numbers and dates: 1.234,5 in Vietnamese, 1,234.5 in English
    if language == "en":
        return
    translator = QTranslator(app)
    if translator.load(str(TRANSLATIONS / f"ioc_console_{language}.qm")):
        app.installTranslator(translator)
    else:
        log.warning("no %s translation found in %s", language, TRANSLATIONS)


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


def run_console(args: argparse.Namespace, body: Any = None) -> int:
    """Start Qt, the qasync loop and the backend (the demo if none), then run `body`."""
    limit_malloc_arenas()
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
        return qasync.run((body or run_wall)(app, args, backend))  # type: ignore[no-any-return]


class Console:
    """The running console: stores, backend link, preset library and wall, wired once."""

    def __init__(
        self,
        backend: str,
        layout_path: Path | None = None,
        *,
        preset: str | None = None,
        fullscreen: bool = False,
        kiosk: bool = False,
        layouts_dir: Path = LAYOUTS,
        ca_bundle: str | None = None,
        token_url: str | None = None,
    ) -> None:
        from PySide6.QtCore import QSettings

        from console.layout.library import LayoutLibrary, layout_files
        from console.sources.auth import BackendAuth, Credentials
        from console.sources.ioc.api import IocApi
        from console.sources.ioc.live import LiveSync
        from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
        from widgets.kinds import register_builtin_kinds
        from widgets.panel import PanelContext
        from widgets.wall.controls import WallControls
        from widgets.wall.links import WallLinks
        from widgets.wall.manager import WallManager

        register_builtin_kinds()
        self.done = asyncio.Event()
        self.settings = QSettings()
        files = layout_files(layouts_dir) + ([layout_path] if layout_path else [])
        self.library = LayoutLibrary(files)
        self.context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
        credentials = Credentials.discover(backend)
        auth = BackendAuth(backend, credentials, token_url) if credentials else None
        self.api = IocApi(backend, auth=auth, ca_bundle=ca_bundle)
        self.sync = LiveSync(
            self.api,
            self.context.cameras,
            self.context.incidents,
            self.context.kpis,
            self.context.layers,
        )
        self.outbox, self.sender = _outbox_for(backend, self.api, self.context.incidents)
        self.sender.forbidden = self.context.session.forbidden
        self.sync.roleChanged.connect(self.context.session.set_role)
        self.wall = WallManager(self.context, fullscreen=fullscreen or kiosk)
        self.controls = WallControls(self.library, self.wall, self.done.set, kiosk=kiosk)
        self.wall.on_new_window(self.controls.install)
        self.links = WallLinks(self.wall, self.context.cameras)
        from widgets.editor.editor import LayoutEditor

        self.editor = LayoutEditor(self.controls, layouts_dir)  # no menu, no keys in kiosk
        from widgets.briefing.menu import BriefingMenu

        self.briefing = BriefingMenu(
            self.controls, layouts_dir, (self.context, self.api, self.sync)
        )
        self.sync.stateChanged.connect(self.wall.set_link_state)
        self.sync.stateChanged.connect(self._freeze_startup_heap)
        self._heap_frozen = False
        self.library.errorsChanged.connect(self._show_layout_errors)
        self.library.presetsChanged.connect(self._presets_changed)
        self.wall.presetApplied.connect(lambda name: self.settings.setValue("wall/preset", name))
        from console.sources.layers import sources_of

        self.wall.presetApplied.connect(
            lambda _name: self.sync.sources.configure(sources_of(self.wall.current))
        )
        self.wall.apply(self._start_preset(layout_path, preset))
        self._show_layout_errors(self.library.errors())
        self._task: asyncio.Task[None] | None = None

    def _freeze_startup_heap(self, state: str, _detail: str) -> None:
        """Once the first load is in, move what is alive out of the cyclic GC's reach, so
        its full collections walk only what came later (1,000 events/s beside a 100k-row
        queue: worst GUI lateness 263 → 66 ms). A cycle among these objects that dies
        later is never collected; that is bounded by the start-up heap."""
        if self._heap_frozen or state not in ("live", "polling"):
            return
        self._heap_frozen = True
        gc.collect()
        gc.freeze()
        log.debug("start-up heap frozen: %d objects", gc.get_freeze_count())

    def _start_preset(self, layout_path: Path | None, name: str | None) -> Any:
        """--preset, else the first preset of --layout, else the last used, else operator."""
        candidates = [
            self.library.find(name) if name else None,
            next(iter(self.library.presets_of(layout_path)), None) if layout_path else None,
            self.library.find(str(self.settings.value("wall/preset", ""))),
            self.library.find("operator"),
            next(iter(self.library.presets()), None),
        ]
        chosen = next((preset for preset in candidates if preset is not None), None)
        if chosen is None:
            raise SystemExit("no valid layout found: see the errors above")
        return chosen

    def _show_layout_errors(self, errors: list[Any]) -> None:
        if not errors:
            self.wall.show_error("")
            return
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        self.wall.show_error(f"Layout error, keeping the last good layout: {errors[0]}{more}")

    def _presets_changed(self) -> None:
        """A layout file changed on disk: show the new version of the current preset."""
        current = self.wall.current
        fresh = self.library.find(current.name) if current else None
        if fresh is not None and fresh != current:
            self.wall.apply(fresh)

    @property
    def windows(self) -> list[Any]:
        return self.wall.window_list()

    def start(self) -> None:
        self._task = asyncio.create_task(self.sync.run())
        self._sender_task = asyncio.create_task(self.sender.run())

    def panels(self) -> list[Any]:
        return self.wall.panels()

    def screenshot(self, target: Path) -> list[Path]:
        written = []
        windows = self.windows
        for window, path in zip(windows, screenshot_paths(target, len(windows)), strict=True):
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
        if getattr(self, "_sender_task", None) is not None:
            self._sender_task.cancel()
            await asyncio.gather(self._sender_task, return_exceptions=True)
        self.outbox.close()
        if self.controls.guard is not None:
            self.controls.guard.allowed = True
        self.wall.close()
        await self.api.aclose()


def _outbox_for(backend: str, api: Any, incidents: Any) -> tuple[Any, Any]:
    """Operator actions go through a durable outbox (one per backend) and the audit log."""
    import hashlib

    from console.actions.audit import AuditLog
    from console.actions.outbox import Outbox, OutboxSender, data_dir

    name = hashlib.sha1(backend.encode()).hexdigest()[:12]
    outbox = Outbox(data_dir() / f"outbox-{name}.sqlite")
    sender = OutboxSender(outbox, api.client, incidents, AuditLog(data_dir() / "audit.jsonl"))
    return outbox, sender


async def run_wall(app: Any, args: argparse.Namespace, backend: str) -> int:
    from PySide6.QtCore import QTimer

    from widgets.theme import apply_theme
    from widgets.wall import crash_guard

    crash_guard.install()
    asyncio.get_running_loop().set_exception_handler(crash_guard.asyncio_exception)
    apply_theme(app)
    console = Console(
        backend,
        args.layout,
        preset=args.preset,
        fullscreen=args.fullscreen,
        kiosk=args.kiosk,
        ca_bundle=args.ca_bundle,
        token_url=args.token_url,
    )
    done = console.done
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
    if argv and argv[0] == "schema":
        return print_schema()
    if argv and argv[0] in ("export-briefing", "present"):
        return run_briefing(argv[0], argv[1:])
    args = parse_args(argv)
    from console.logs import configure_logging

    log.info("logging to %s", configure_logging(args.log_level))
    return run_console(args)


def run_briefing(command: str, argv: list[str]) -> int:
    """`export-briefing` (minutes PDF) and `present` (audience + presenter views)."""
    from console.logs import configure_logging
    from widgets.briefing.app import export_briefing, parse_briefing_args, present

    args = parse_briefing_args(command, argv)
    log.info("logging to %s", configure_logging(args.log_level))
    return run_console(args, export_briefing if command == "export-briefing" else present)


if __name__ == "__main__":
    sys.exit(run())
