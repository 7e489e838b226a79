"""The queue's filter bar: text search, status chips with counts, and value filters."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from console.domain.records import Category, IncidentStatus, Priority, Source
from console.stores.incident_query import IncidentQuery
from console.stores.incidents import value_name

_STATUS_LABELS = {
    IncidentStatus.RECEIVED: "New",
    IncidentStatus.ACKNOWLEDGED: "Acknowledged",
    IncidentStatus.ASSIGNED: "Assigned",
    IncidentStatus.RESOLVED: "Resolved",
}


class IncidentFilterBar(QWidget):
    """Emits `queryChanged` when the operator changes a filter (text after a short pause)."""

    queryChanged = Signal(object)  # IncidentQuery

    def __init__(self, statuses: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search: words, district, id (accents optional)"))
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.chips: dict[IncidentStatus, QToolButton] = {}
        layout = self.row = QHBoxLayout(self)  # the queue puts its counts at the front
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.search, 3)
        for status in IncidentStatus:
            chip = QToolButton()
            chip.setCheckable(True)
            chip.setChecked(status.value in statuses)
            chip.toggled.connect(self._emit)
            self.chips[status] = chip
            layout.addWidget(chip)
        self.overdue = QToolButton()
        self.overdue.setCheckable(True)
        self.overdue.setObjectName("OverdueChip")
        self.overdue.toggled.connect(self._emit)
        layout.addWidget(self.overdue)
        self.priority = self._combo(
            [(self.tr("Any priority"), ())]
            + [
                (self.tr("≥ {priority}").format(priority=value_name(p.value)), tuple(Priority)[i:])
                for i, p in enumerate(Priority)
                if i > 0
            ]
        )
        self.category = self._combo(
            [(self.tr("Any category"), ())] + [(value_name(c.value), (c,)) for c in Category]
        )
        self.source = self._combo(
            [(self.tr("Any source"), ())] + [(value_name(s.value), (s,)) for s in Source]
        )
        self.district = self._combo([(self.tr("Any district"), ())])
        for combo in (self.priority, self.category, self.source, self.district):
            layout.addWidget(combo, 1)
        self.set_counts({status: 0 for status in IncidentStatus}, 0)

    def _combo(self, items: list[tuple[str, tuple[object, ...]]]) -> QComboBox:
        combo = QComboBox()
        for text, values in items:
            combo.addItem(text, values)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def set_districts(self, names: list[str]) -> None:
        """Offer the districts seen so far, keeping the current choice."""
        known = {self.district.itemText(i) for i in range(1, self.district.count())}
        for name in sorted(set(names) - known):
            self.district.addItem(name, (name,))

    def set_counts(self, counts: dict[IncidentStatus, int], overdue: int) -> None:
        for status, chip in self.chips.items():
            label = QCoreApplication.translate("IncidentFilterBar", _STATUS_LABELS[status])
            chip.setText(f"{label} {counts.get(status, 0)}")
        self.overdue.setText(self.tr("Overdue {count}").format(count=overdue))

    def query(self) -> IncidentQuery:
        return IncidentQuery(
            statuses=frozenset(s for s, chip in self.chips.items() if chip.isChecked()),
            priorities=frozenset(self.priority.currentData() or ()),
            categories=frozenset(self.category.currentData() or ()),
            sources=frozenset(self.source.currentData() or ()),
            districts=frozenset(self.district.currentData() or ()),
            text=self.search.text(),
            overdue_only=self.overdue.isChecked(),
        )

    def _emit(self, *_args: object) -> None:
        self.queryChanged.emit(self.query())


# Chip labels, declared for the translation tools.
_ = (
    QCoreApplication.translate("IncidentFilterBar", "New"),
    QCoreApplication.translate("IncidentFilterBar", "Acknowledged"),
    QCoreApplication.translate("IncidentFilterBar", "Assigned"),
    QCoreApplication.translate("IncidentFilterBar", "Resolved"),
)
