"""Wall ▸ Wall nodes…: every node of the site's wall on one page, and its commands.

Non-modal and reused, so an operator keeps it open beside the queue. A card per node,
in name order, each updated only when its own node changed. While the broker is away a
banner says so; commands are still accepted (the link sends them when it is back) and
the card says they are queued. A viewer sees everything and commands nothing.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QScrollArea, QVBoxLayout, QWidget

from widgets.nodes.node_card import NodeCard, scaled_font
from widgets.text import PlainLabel

if TYPE_CHECKING:
    from widgets.nodes.controller import WallController

REFRESH_AGES_MS = 5_000  # "3 s ago" grows while the dialog is open


class WallNodesDialog(QDialog):
    def __init__(self, controller: WallController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setModal(False)
        self.setWindowTitle(self.tr("Wall nodes"))
        self.resize(1180, 820)
        self.cards: dict[str, NodeCard] = {}
        self._dirty: set[str] = set()  # changed while hidden: updated when shown
        self.banner = PlainLabel()
        self.banner.setObjectName("Banner")  # the theme's alarm strip
        self.banner.setWordWrap(True)
        self.banner.setFont(scaled_font(self, 1.2, bold=True))
        self.empty = PlainLabel(self.tr("No wall node has spoken on the broker yet."))
        self.empty.setFont(scaled_font(self, 1.2))
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setSpacing(12)
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        self._ages = QTimer(self, interval=REFRESH_AGES_MS)
        self._ages.timeout.connect(self._refresh_ages)
        controller.roster.changed.connect(self.node_changed)
        controller.sent.connect(self.node_changed)
        controller.brokerChanged.connect(self.show_broker)
        controller.context.session.roleChanged.connect(self.follow_role)
        for name in sorted(controller.roster.nodes):
            self.node_changed(name)
        self.show_broker()

    def node_changed(self, name: str) -> None:
        """One node changed: its card only (made, in name order, the first time)."""
        view = self.controller.roster.nodes.get(name)
        if view is None:
            return
        card = self.cards.get(name)
        if card is None:
            card = NodeCard(name, self.controller)
            index = bisect.bisect(sorted(self.cards), name)
            self.cards[name] = card
            self.list_layout.insertWidget(index + 1, card)  # after the hidden empty note
            self.empty.hide()
        elif not self.isVisible():
            self._dirty.add(name)
            return
        card.show_view(view)

    def show_broker(self) -> None:
        up, detail = self.controller.broker_up, self.controller.broker_detail
        if up is None:
            words = self.tr("Connecting to the wall broker…")
        elif not up:
            reason = detail or self.tr("no answer")
            words = self.tr("Wall broker unreachable: {reason} — retrying").format(reason=reason)
        else:
            words = ""
        self.banner.setText(words)
        self.banner.setVisible(bool(words))
        for name in self.cards:  # "queued" or not
            self.node_changed(name)

    def follow_role(self, _role: str = "") -> None:
        for card in self.cards.values():
            card.follow_role()

    def _refresh_ages(self) -> None:
        for card in self.cards.values():
            card.refresh_times()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        dirty, self._dirty = self._dirty, set()
        for name in sorted(dirty):
            self.node_changed(name)
        self._ages.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._ages.stop()
        super().hideEvent(event)
