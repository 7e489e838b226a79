"""The composition root: the running console's stores, backend link, presets and wall.

Qt, the widgets and the sources are imported when a Console is built, not when this
module is, so the command line's headless subcommands never pay for them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.assets import layouts_dir as shipped_layouts
from console.assets import saved_layouts_dir

if TYPE_CHECKING:
    from console.site.model import Site
    from widgets.panel import PanelContext

log = logging.getLogger("ioc_console")


def screenshot_paths(target: Path, count: int) -> list[Path]:
    """One file per wall window: `wall.png`, or `wall-1.png`, `wall-2.png`, …"""
    if count == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{n}{target.suffix}") for n in range(1, count + 1)]


class Console:
    """The running console: stores, backend link, preset library and wall, wired once.

    Presets come from `layouts_dir` (default: the shipped layouts) and, when the editor
    saves elsewhere (an installed program: the user's config folder), from there too."""

    def __init__(
        self,
        site: Site | str,
        layout_path: Path | None = None,
        *,
        preset: str | None = None,
        fullscreen: bool = False,
        kiosk: bool = False,
        layouts_dir: Path | None = None,
        ca_bundle: str | None = None,
        token_url: str | None = None,
        node: str | None = None,
        broker_url: str | None = None,
    ) -> None:
        from PySide6.QtCore import QSettings

        from console.layout.library import LayoutLibrary, layout_files
        from ioc_console.live import as_site, connect
        from widgets.kinds import register_builtin_kinds
        from widgets.wall.controls import WallControls
        from widgets.wall.links import WallLinks
        from widgets.wall.manager import WallManager

        register_builtin_kinds()
        site = as_site(site, ca_bundle)  # a backend's URL is a site of one connection
        layouts_dir = layouts_dir or shipped_layouts()
        saved_dir = saved_layouts_dir(layouts_dir)
        self.done = asyncio.Event()
        self.settings = QSettings()
        files = layout_files(layouts_dir)
        if saved_dir != layouts_dir:
            files += layout_files(saved_dir)
        self.library = LayoutLibrary(files + ([layout_path] if layout_path else []))
        self.live = connect(
            site, ca_bundle=ca_bundle, token_url=token_url, archive=_archive_path(site)
        )
        self.context, self.federation = self.live
        from console.stores.retention import RetentionPass

        assert self.context.archive is not None
        # Resolved incidents leave the live queue (7 days unless the site says), into the
        # searchable archive.
        self.retention = RetentionPass(
            self.context.incidents,
            self.context.archive,
            timedelta(days=site.archive_after_days),
        )
        self.senders = [
            _sender_for(link, self.context)
            for link in self.federation.links.values()
            if link.sink.wants("incidents")
        ]
        self.wall = WallManager(self.context, fullscreen=fullscreen or kiosk)
        self.controls = WallControls(self.library, self.wall, self.done.set, kiosk=kiosk)
        self.wall.on_new_window(self.controls.install)
        self.links = WallLinks(self.wall, self.context.cameras)
        from widgets.editor.editor import LayoutEditor

        self.editor = LayoutEditor(self.controls, saved_dir)  # no menu, no keys in kiosk
        from widgets.briefing.menu import BriefingMenu

        self.briefing = BriefingMenu(self.controls, layouts_dir, self.live)
        from widgets.incidents.handover import Shift, shift_action

        self.shift = Shift(self.context)  # End shift: the handover report and its acceptance
        self.controls.add_menu(self.shift.menu_title(), [shift_action(self.shift, None)])
        from ioc_console.heap import StartupHeap

        self.heap = StartupHeap(self.context.connections)  # 1,000 events/s beside a 100k-row
        # queue: worst GUI lateness 263 -> 66 ms once the start-up heap is frozen
        self.library.errorsChanged.connect(self._show_layout_errors)
        self.library.presetsChanged.connect(self._presets_changed)
        self.wall.presetApplied.connect(lambda name: self.settings.setValue("wall/preset", name))
        from console.sources.layers import sources_of

        self.wall.presetApplied.connect(
            lambda _name: self.federation.layer_sources.configure(sources_of(self.wall.current))
        )
        self.wall.apply(self._start_preset(layout_path, preset))
        self._show_layout_errors(self.library.errors())
        self._tasks: list[asyncio.Task[None]] = []
        self.node, self.broker_link = self._join_wall(site, node, broker_url, kiosk)

    def _join_wall(self, site: Site, node: str | None, broker_url: str | None, kiosk: bool) -> Any:
        """With a broker: this console is wall node `node`, or else a wall controller."""
        from console.nodes.site import broker_for, topics_for

        broker = broker_for(site, broker_url)
        if broker is None:
            if node:
                raise SystemExit(
                    "--node needs a broker: name one in the site file (broker:) or --broker URL"
                )
            return None, None
        topics = topics_for(site, broker)
        if node:
            from widgets.nodes.node import join_as_node

            log.info("wall node %s on %s (%s)", node, broker.url, topics.prefix)
            return join_as_node(node, broker, topics, self.wall, self.library, kiosk)
        from widgets.nodes.controller import join_as_controller

        return None, join_as_controller(broker, topics, self.context, self.controls)

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
        return list(self.wall.window_list())

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self.federation.run())]
        self.retention.start()
        self._tasks += [asyncio.create_task(_deliver_forever(sender)) for sender, _ in self.senders]
        if self.broker_link is not None:
            self._tasks.append(asyncio.create_task(self.broker_link.run()))
        from console.actions.bookmarks import queue_for

        for connection, api in self.context.recorders.items():
            queue_for(api, connection)  # bookmarks queued before a restart go out now

    def panels(self) -> list[Any]:
        return list(self.wall.panels())

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
        if self.node is not None and self.broker_link is not None:
            self.node.goodbye()  # "offline" now, not when the broker's keep-alive runs out
            await self.broker_link.drain(1.0)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        from console.actions.bookmarks import close_queues

        # Only this console's: what is still queued stays on disk for the next start.
        await close_queues(self.context.recorders.values())
        for _sender, outbox in self.senders:
            outbox.close()
        self.retention.close()
        if self.controls.guard is not None:
            self.controls.guard.allowed = True
        self.wall.close()
        await self.federation.aclose()
        self.heap.close()  # CPython's GC thresholds back (a test's next console)


def _data_file(kind: str, owner: str) -> Path:
    """`kind-<hash of owner>.sqlite` in the data folder: one file per owner, any name."""
    import hashlib

    from console.actions.outbox import data_dir

    return data_dir() / f"{kind}-{hashlib.sha1(owner.encode()).hexdigest()[:12]}.sqlite"


def _archive_path(site: Site) -> Path:
    """One archive per site (incident ids name the site's connections, not the site)."""
    return _data_file("incident-archive", site.name)


async def _deliver_forever(sender: Any) -> None:
    """A sender never stops for good: should it fail (a bug, a broken outbox row), it
    says so and starts again, so queued actions are not left "sending…" forever."""
    from console.sources.ioc.api import describe

    while True:
        try:
            await sender.run()
        except Exception as error:
            log.error("actions of %s: %s", sender.connection, describe(error), exc_info=error)
        await asyncio.sleep(5.0)


def _sender_for(link: Any, context: PanelContext) -> tuple[Any, Any]:
    """One connection's actions go through its own durable outbox and the audit log.

    The outbox is named by the connection's kind, name and address, so no two share one
    (`--backend URL`'s by its URL alone, as before sites, so actions queued by an older
    version are still delivered). A system with roles refuses by the role it gives; one
    without, by the console's role."""
    from console.actions.audit import AuditLog
    from console.actions.delivery import IocDelivery, NgsiDelivery, NoDelivery
    from console.actions.outbox import Outbox, data_dir
    from console.actions.sender import OutboxSender
    from console.sources.ioc.live import LiveSync
    from console.sources.ngsi.link import NgsiLink, broker_root

    connection = link.connection
    address = f"{connection.kind}:{connection.name}:{connection.url or ''}"
    if connection.kind == "ioc" and connection.name == "backend":
        address = connection.url or ""  # as named before sites: its queued actions still go
    outbox = Outbox(_data_file("outbox", address))
    delivery: Any = NoDelivery(link.read_only_reason)
    if isinstance(link, LiveSync):
        delivery = IocDelivery(link.api.client)
    elif isinstance(link, NgsiLink):
        delivery = NgsiDelivery(link.api.client, broker_root(connection.url or ""))

    def forbidden() -> str | None:
        status = context.connections.get(connection.name)
        if status is not None and status.role is not None:
            return status.role_refusal()
        return context.session.forbidden()

    sender = OutboxSender(
        outbox,
        delivery,
        context.incidents,
        AuditLog(data_dir() / "audit.jsonl"),
        forbidden=forbidden,
        connection=connection.name,
        remote=link.actions,
        local=link.local_actions,
        why_not=link.read_only_reason,
        receive=lambda batch: link.sink.incidents(batch),
    )
    link.sink.overlay = sender.overlay
    sender.delivered.connect(lambda *_: link.wake())
    return sender, outbox
