"""This console as a controller of the site's wall nodes (issue #18).

A console with a broker and no `--node` follows every node's retained state (the
`NodeRoster`) and commands them: a preset, content for some cells, or "take back".
A command is the node's retained desired state, so a node that restarts, or the broker
coming back, never loses it; the link queues it while the broker is away. The console's
own role is checked before anything is published (a viewer sees the wall, it does not
drive it; the node checks the role again), and every command sent is a line in this
console's audit log under the same key ("wall-1#12") as the node's "applied" line, so
who put what on the wall is answered from either side.
"""

from __future__ import annotations

import getpass
import logging
import weakref
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from console.actions.audit import AuditLog
from console.domain.alarms import nearest_cameras
from console.domain.records import Incident
from console.nodes.desired import describe  # one wording on both sides' audit lines
from console.nodes.link import BrokerLink, Outgoing
from console.nodes.messages import Content, Desired, encode
from console.nodes.roster import NodeRoster
from console.nodes.topics import Topics
from widgets.panel import SELECTS_INCIDENT, Panel, PanelContext

log = logging.getLogger(__name__)
SHORTCUT = "Ctrl+Shift+W"


class WallController(QObject):
    """The roster, the link and the rules for commanding the wall from this console."""

    sent = Signal(str)  # a command for this node was published (it may still be queued)
    brokerChanged = Signal()  # the broker came or went: see `broker_up`, `broker_detail`

    def __init__(
        self,
        roster: NodeRoster,
        link: BrokerLink,
        context: PanelContext,
        audit: AuditLog,
        *,
        wall: Any = None,
        user: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.roster, self.link, self.context, self.audit = roster, link, context, audit
        self.topics: Topics = roster.topics
        self.user = user or getpass.getuser()
        self.broker_up: bool | None = None  # None: not tried yet
        self.broker_detail = ""
        self.selected_incident: str | None = None  # the queue's selection, for "Send…"
        self.dialog: QWidget | None = None
        self._linked: weakref.WeakSet[Panel] = weakref.WeakSet()
        self.wall = wall
        link.on_state = self._on_broker
        if wall is not None:
            wall.presetApplied.connect(self._relink)
            self._relink()

    # -- rules -------------------------------------------------------------------------
    def forbidden(self) -> str | None:
        """Why this console may not command the wall, or None when it may."""
        session = self.context.session
        if session.may_act:
            return None
        return self.tr("Your role ({role}) may not command the wall").format(role=session.role)

    def send(self, desired: Desired) -> str | None:
        """Publish `desired` (retained, never coalesced: each command counts) and record
        it; or refuse, publishing nothing, and return why."""
        why = self.forbidden()
        key = f"{desired.node}#{desired.seq}"
        if why is not None:
            log.warning("wall command %s not sent: %s", key, why)
            return why
        topic = self.topics.node(desired.node, "desired")
        self.link.publish(Outgoing(topic, encode(desired), retain=True, coalesce=False))
        self.roster.mark_sent(desired)
        action = f"wall-command {describe(desired)}"
        self.audit.record(self.user, "", action, "sent", key, "broker")
        log.info("wall command %s sent by %s: %s", key, self.user, action)
        self.sent.emit(desired.node)
        return None

    def show_preset(self, node: str, preset: str) -> str | None:
        return self._command(node, preset=preset)

    def send_cells(self, node: str, cells: dict[str, Content]) -> str | None:
        """Content for some cells, onto what the node is told to show (its other cells stay)."""
        return self._command(node, cells=cells)

    def take_back(self, node: str) -> str | None:
        """The node shows its own preset again, as if no controller had spoken."""
        return self._command(node)

    def _command(self, node: str, **what: Any) -> str | None:
        why = self.forbidden()  # before a sequence number is spent on it
        if why is not None:
            return why
        role = self.context.session.role
        return self.send(self.roster.command(node, self.user, role, **what))

    def queued(self, node: str) -> int | None:
        """The sequence number of a command sent from here still waiting in the link."""
        mine = self.roster.unechoed(node)
        return mine.seq if mine is not None else None

    # -- what "Send…" offers -----------------------------------------------------------
    def incident(self, ref: str) -> Incident | None:
        return self.context.incidents.get(ref.strip()) if ref.strip() else None

    def nearest(self, incident: Incident, count: int) -> list[str]:
        """The ids of the online cameras nearest the incident, nearest first."""
        found = nearest_cameras(self.context.cameras.cameras(), incident.lat, incident.lon, count)
        return [camera.local_id for camera in found]

    def _relink(self, _preset: str = "") -> None:
        """Panels come and go with presets: follow the selection of every queue."""
        for panel in self.wall.panels():
            selects = SELECTS_INCIDENT.of(panel)
            if selects is not None and panel not in self._linked:
                selects.incidentSelected.connect(self._incident_selected)
                self._linked.add(panel)

    def _incident_selected(self, incident_id: str) -> None:
        self.selected_incident = incident_id or None

    # -- the broker ----------------------------------------------------------------------
    def _on_broker(self, up: bool, detail: str) -> None:
        self.broker_up, self.broker_detail = up, detail
        self.brokerChanged.emit()

    # -- the dialog ----------------------------------------------------------------------
    def open_dialog(self) -> QWidget:
        """The one Wall nodes dialog, non-modal: shown again, not built again."""
        if self.dialog is None:
            from widgets.nodes.nodes_dialog import WallNodesDialog

            parent = QApplication.activeWindow()
            if parent is None and self.wall is not None and self.wall.window_list():
                parent = self.wall.window_list()[0]
            self.dialog = WallNodesDialog(self, parent)
            self.dialog.destroyed.connect(self._dialog_gone)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _dialog_gone(self) -> None:
        self.dialog = None  # its window closed with the wall window it belonged to

    def menu(self) -> tuple[str, list[QAction]]:
        """Wall ▸ Wall nodes… (Ctrl+Shift+W): the menu's title and its action."""
        action = QAction(self.tr("Wall nodes…"), self)
        action.setShortcut(QKeySequence(SHORTCUT))
        action.triggered.connect(self.open_dialog)
        return self.tr("&Wall"), [action]


def controller_of(controls: QObject) -> WallController | None:
    """The controller a console's wall controls carry (None on a node or without broker)."""
    return controls.findChild(WallController)


def join_as_controller(
    broker: Any, topics: Topics, context: PanelContext, controls: Any
) -> BrokerLink:
    """This console as a controller of the site's wall: Wall ▸ Wall nodes… (Ctrl+Shift+W),
    and the link it needs, ready for the console to run."""
    from console.actions.outbox import data_dir
    from console.nodes.site import open_link

    roster = NodeRoster(topics)
    link = open_link(broker, roster.subscriptions(), roster.on_message, name="controller")
    audit = AuditLog(data_dir() / "audit.jsonl")
    controller = WallController(roster, link, context, audit, wall=controls.wall, parent=controls)
    roster.setParent(controller)
    controls.add_menu(*controller.menu())
    log.info("wall controller on %s (%s)", broker.url, topics.prefix)
    return link
