"""The controller's view of the site's wall nodes, and the commands it sends them.

Everything here comes from retained topics, so a controller that starts late (or a
second controller on another desk) knows at once what every node shows and which
command it last received. A node whose will fired is "lost" since that moment.
Sequence numbers per node continue from the highest one seen on the broker, so two
controllers never reuse one and a node never takes an older command for a newer one.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from console.nodes.messages import (
    MAX_THUMBNAIL,
    Content,
    Desired,
    Health,
    Message,
    Presence,
    Showing,
    decode,
)
from console.nodes.topics import NODE_TOPICS, Topics

log = logging.getLogger(__name__)
JPEG_MAGIC = b"\xff\xd8\xff"
MODELS: dict[str, type[Message]] = {
    "presence": Presence,
    "showing": Showing,
    "health": Health,
    "desired": Desired,
}


@dataclass
class NodeView:
    name: str
    presence: Presence | None = None
    showing: Showing | None = None
    health: Health | None = None
    desired: Desired | None = None
    thumbnail: bytes = b""
    lost_at: float | None = field(default=None)

    @property
    def online(self) -> bool:
        return self.presence is not None and self.presence.online

    @property
    def last_seq(self) -> int:
        return max(
            self.desired.seq if self.desired else 0,
            self.showing.applied_seq if self.showing else 0,
        )


class NodeRoster(QObject):
    """Nodes by name, fed by `on_message`; `changed(name)` after each update."""

    changed = Signal(str)

    def __init__(self, topics: Topics, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.topics = topics
        self.nodes: dict[str, NodeView] = {}
        self._sent: dict[str, int] = {}  # the last seq this controller handed out, per node
        self._mine: dict[str, Desired] = {}  # the newest command sent from here, per node

    def subscriptions(self) -> list[str]:
        return [self.topics.every_node(what) for what in NODE_TOPICS]

    def on_message(self, topic: str, payload: bytes, _retained: bool) -> None:
        parsed = self.topics.parse_node(topic)
        if parsed is None:
            return
        name, what = parsed
        if what == "thumbnail":
            if len(payload) > MAX_THUMBNAIL or not payload.startswith(JPEG_MAGIC):
                log.warning("dropped %s: not a JPEG of at most %d bytes", topic, MAX_THUMBNAIL)
                return
            self._view(name).thumbnail = payload
            self.changed.emit(name)
            return
        message = decode(MODELS[what], payload, topic)
        if message is None:
            return
        if getattr(message, "node", name) != name:
            log.warning("dropped %s: it speaks of node %r", topic, getattr(message, "node", ""))
            return
        view = self._view(name)
        if isinstance(message, Presence):
            was_online = view.online
            view.presence = message
            view.lost_at = None if message.online else (time.time() if was_online else None)
        elif isinstance(message, Desired):
            if view.desired is None or message.seq >= view.desired.seq:
                view.desired = message
        elif isinstance(message, Showing):
            view.showing = message
        elif isinstance(message, Health):
            view.health = message
        self.changed.emit(name)

    def _view(self, name: str) -> NodeView:
        if name not in self.nodes:
            self.nodes[name] = NodeView(name)
        return self.nodes[name]

    # -- commands ----------------------------------------------------------------------
    def command(
        self,
        node: str,
        by: str,
        role: str,
        *,
        preset: str | None = None,
        cells: dict[str, Content] | None = None,
        keep: bool = True,
    ) -> Desired:
        """The node's next desired state: a preset (its cells start afresh), cells sent
        onto what it is told to show now (`keep`; a command sent from here that the broker
        has not handed back yet counts, or two quick sends would lose the first one's
        cells), or neither: take it back (its own preset)."""
        view = self._view(node)
        current = self.unechoed(node) or view.desired  # what the node is told to show
        seq = max(view.last_seq, self._sent.get(node, 0)) + 1
        self._sent[node] = seq
        if preset is None and cells and keep and current is not None:
            preset, cells = current.preset, {**current.cells, **cells}
        return Desired(
            node=node,
            seq=seq,
            by=by,
            role=role,
            issued_at=time.time(),
            preset=preset,
            cells=cells or {},
        )

    def mark_sent(self, desired: Desired) -> None:
        """`desired` went to the link (it may wait there while the broker is away)."""
        mine = self._mine.get(desired.node)
        if mine is None or desired.seq > mine.seq:
            self._mine[desired.node] = desired

    def unechoed(self, node: str) -> Desired | None:
        """The newest command sent from here that the broker has not handed back yet
        (the roster follows the desired topics too): it waits in the link's queue."""
        mine = self._mine.get(node)
        view = self.nodes.get(node)
        heard = view.desired.seq if view is not None and view.desired is not None else 0
        return mine if mine is not None and mine.seq > heard else None
