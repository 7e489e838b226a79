"""A wall node: shows what its controller wants, and says what it shows.

`ioc-console --node NAME` joins the site's broker under NAME. It follows the retained
desired state of its topic (a preset, cells sent to it), newest sequence number only,
from an operator or leader (the broker's ACL lets only controller accounts publish
commands; the node checks the role named in the command as well, so a misconfigured
broker still cannot let a viewer drive the wall). Every command, applied or refused, is
a line in the audit log. It publishes its presence (the broker's last will says
"offline" when it dies), what it shows after each change is painted, its health every
few seconds, and a thumbnail of its first screen.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, QTimer, Signal

from console.actions.audit import AuditLog
from console.domain.records import ACTING_ROLES
from console.nodes.desired import cells_of, compose, describe
from console.nodes.link import BrokerLink, Outgoing
from console.nodes.messages import Desired, Health, Presence, Showing, decode, encode
from console.nodes.topics import Topics
from widgets.video.wall_health import wall_health

log = logging.getLogger(__name__)

HEALTH_EVERY_MS = 5_000
THUMBNAIL_EVERY_MS = 10_000
THUMBNAIL_WIDTH = 320


class WallNode(QObject):
    """Glue between the broker and this console's wall (`WallManager`, `LayoutLibrary`)."""

    applied = Signal(object)  # the sequence number (up to 2**53) of a command now on screen
    refused = Signal(str)  # why a command was not followed

    def __init__(
        self,
        name: str,
        topics: Topics,
        wall: Any,
        library: Any,
        audit: AuditLog,
        kiosk: bool = False,
    ) -> None:
        super().__init__()
        self.name, self.topics, self.wall, self.library = name, topics, wall, library
        self.audit, self.kiosk = audit, kiosk
        self.applied_seq = 0
        self.painted_at = 0.0
        self.home = wall.current  # what "take back" returns to: the node's own preset
        self.link: BrokerLink | None = None
        self._thumbnail_hash = b""
        self._following = False  # showing a controller's state, not the node's own choice
        wall.presetApplied.connect(self._preset_applied)
        self._health = QTimer(self, interval=HEALTH_EVERY_MS)
        self._health.timeout.connect(self.publish_health)
        self._thumbnail = QTimer(self, interval=THUMBNAIL_EVERY_MS)
        self._thumbnail.timeout.connect(self.publish_thumbnail)

    # -- the broker side -------------------------------------------------------------
    def attach(self, link: BrokerLink) -> None:
        self.link = link
        self._health.start()
        self._thumbnail.start()

    def will(self) -> Outgoing:
        return Outgoing(self._topic("presence"), encode(Presence(node=self.name, online=False)))

    def births(self) -> list[Outgoing]:
        """Sent on every (re)connection: online, and what is on screen now."""
        online = Presence(node=self.name, online=True, kiosk=self.kiosk)
        return [Outgoing(self._topic("presence"), encode(online)), self._showing()]

    def subscriptions(self) -> list[str]:
        return [self._topic("desired")]

    def on_message(self, topic: str, payload: bytes, _retained: bool) -> None:
        if topic != self._topic("desired"):
            return
        desired = decode(Desired, payload, topic)
        if desired is None:
            return
        if desired.node != self.name:
            log.warning("dropped %s: a command for node %r", topic, desired.node)
            return
        if desired.seq <= self.applied_seq:
            log.info(
                "ignored command %d for %s: %d is on screen",
                desired.seq,
                self.name,
                self.applied_seq,
            )
            return
        self.follow(desired)

    def goodbye(self) -> None:
        """A clean exit says "offline" itself (the will is only for a broken connection)."""
        if self.link is not None:
            self.link.publish(self.will())

    # -- the wall side -----------------------------------------------------------------
    def follow(self, desired: Desired) -> None:
        key = f"{self.name}#{desired.seq}"
        what = describe(desired)
        if desired.role not in ACTING_ROLES:
            why = f"refused: role {desired.role} may not command the wall"
            log.warning("command %s from %s (%s): %s", key, desired.by, what, why)
            self.audit.record(desired.by, "", f"wall-command {what}", why, key, "broker")
            self.applied_seq = desired.seq  # answered: a replay of it is stale too
            self.refused.emit(why)
            return
        base = self.library.find(desired.preset) if desired.preset else self.home
        problems = [] if base is not None else [f"no preset {desired.preset!r} here"]
        layout, placed = compose(base or self.wall.current, desired)
        problems += placed
        self._following = bool(desired.preset or desired.cells)
        self.applied_seq = desired.seq
        self.wall.apply(layout)  # unchanged panels stay alive (the frame pool)
        for window in self.wall.window_list():
            window.repaint()  # painted now: what the controller hears is what is seen
        self.painted_at = time.time()
        result = "applied" + (f" ({'; '.join(problems)})" if problems else "")
        log.info("command %s from %s (%s): %s", key, desired.by, what, result)
        self.audit.record(desired.by, "", f"wall-command {what}", result, key, "broker")
        self._publish(self._showing())
        self.applied.emit(desired.seq)

    def _preset_applied(self, _name: str) -> None:
        if not self._following:
            self.home = self.wall.current  # the node's own choice (Ctrl+1 on its keyboard)
        self._publish(self._showing())

    def _showing(self) -> Outgoing:
        layout = self.wall.current
        windows = self.wall.window_list()
        page = windows[0].tabs.currentIndex() if windows else 0
        showing = Showing(
            node=self.name,
            preset=(layout.name if layout else "")[:200],
            page=max(0, min(page, 100)),
            cells=cells_of(layout)[:200] if layout else [],
            presets=[preset.name[:200] for preset in self.library.presets()][:200],
            applied_seq=self.applied_seq,
            painted_at=self.painted_at,
        )
        return Outgoing(self._topic("showing"), encode(showing), coalesce=True)

    def publish_health(self) -> None:
        tiles, live, fps, cores = wall_health().figures()
        health = Health(
            node=self.name,
            tiles=tiles,
            tiles_live=live,
            fps=round(fps, 1),
            cpu_percent=round(cores * 100, 1),
            rss_mb=round(_rss_mb(), 1),
        )
        self._publish(Outgoing(self._topic("health"), encode(health), coalesce=True))

    def publish_thumbnail(self) -> None:
        """A small JPEG of the first screen, sent only when it changed."""
        windows = self.wall.window_list()
        if not windows:
            return
        image = (
            windows[0]
            .grab()
            .toImage()
            .scaledToWidth(THUMBNAIL_WIDTH, Qt.TransformationMode.SmoothTransformation)
        )
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", 60)
        jpeg = bytes(data.data())
        digest = hashlib.sha1(jpeg).digest()
        if digest != self._thumbnail_hash:
            self._thumbnail_hash = digest
            self._publish(Outgoing(self._topic("thumbnail"), jpeg, coalesce=True))

    def _publish(self, message: Outgoing) -> None:
        if self.link is not None:
            self.link.publish(message)

    def _topic(self, what: Any) -> str:
        return self.topics.node(self.name, what)


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def join_as_node(
    name: str, broker: Any, topics: Topics, wall: Any, library: Any, kiosk: bool
) -> tuple[WallNode, BrokerLink]:
    """This console as node `name` of the site's wall, its link ready to run."""
    from console.actions.outbox import data_dir
    from console.nodes.site import open_link

    node = WallNode(name, topics, wall, library, AuditLog(data_dir() / "audit.jsonl"), kiosk)
    link = open_link(
        broker,
        node.subscriptions(),
        node.on_message,
        will=node.will(),
        births=node.births,
        name=f"node-{name}",
        persistent=True,
    )
    node.attach(link)
    return node, link
