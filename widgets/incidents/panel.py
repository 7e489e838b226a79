"""The incident queue: filter bar, sortable table, detail pane with the procedure's
checklist, action bar, alarms (banner, sound, escalation) and the archive's search.

The table shows this panel's own `IncidentQueueModel` (numpy filter and order over the
shared store), painted in `painting` so the store stays QtGui-free.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
)

from console.domain.alarms import Alarm, AlarmRouter
from console.domain.records import ActionKind, Incident, IncidentAction, IncidentStatus
from console.layout.panel_kinds import IncidentsConfig
from console.stores.incident_query import IncidentQuery
from console.stores.incidents import IncidentTableModel, value_name
from widgets.incidents.actions import IncidentActionBar
from widgets.incidents.alarm_banner import IncidentAlarmBanner
from widgets.incidents.alarm_sound import AlarmVoice
from widgets.incidents.archive_search import ArchiveFinder
from widgets.incidents.checklist import ProcedureChecklist
from widgets.incidents.columns import ColumnFitter
from widgets.incidents.detail import IncidentDetail
from widgets.incidents.filters import IncidentFilterBar
from widgets.incidents.painting import TICK_MS, PaintedQueue, scrolling_checklist, scrolling_row
from widgets.panel import (
    FOLLOWS_INCIDENT,
    RAISES_ALARMS,
    REQUESTS_REVIEW,
    SELECTS_INCIDENT,
    Panel,
    PanelContext,
)
from widgets.text import PlainLabel


class IncidentsPanel(Panel):
    KIND = "incidents"
    FEEDS = frozenset({"incidents"})
    OUTPUTS = (RAISES_ALARMS, SELECTS_INCIDENT, REQUESTS_REVIEW)
    INPUTS = (FOLLOWS_INCIDENT,)
    # A new incident matched an alarm rule: (id, lat, lon); (0, 0) is an unknown place.
    # The composition root can centre the map and play the nearest cameras on it.
    alarmRaised = Signal(str, float, float)
    incidentSelected = Signal(str)  # a row was selected (the map follows)
    reviewRequested = Signal(str, float, float, object)  # its cameras at its time (datetime)

    def __init__(self, context: PanelContext, config: IncidentsConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.store: IncidentTableModel = context.incidents
        self.limit = frozenset(config.connections)  # the layout limits it to these systems
        self.model = self.store  # the shared store (the map and tests read it)
        self.queue = PaintedQueue(self.store, context.procedures)
        self.queue.sort_field = config.sort
        self.queue.descending = config.descending
        self.filters = IncidentFilterBar(config.statuses)
        self.counts = PlainLabel()
        self.counts.setObjectName("QueueCounts")
        self.filters.row.insertWidget(0, self.counts)
        self.table = QTableView()
        self.table.setModel(self.queue)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(
            config.sort.position,
            Qt.SortOrder.DescendingOrder if config.descending else Qt.SortOrder.AscendingOrder,
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._columns = ColumnFitter(self.table, self._connections_shown)
        self.detail = IncidentDetail()
        self.detail.recorders = context.recorders  # its bookmarks come from these backends
        self.detail.evidenceRequested.connect(self._export_evidence)
        self.checklist = ProcedureChecklist(context.procedures)
        self.checklist.actionRequested.connect(self.store.request_action)
        self.checklist.camerasRequested.connect(self._show_cameras)
        self.action_bar = IncidentActionBar(config.units, self, board=context.connections)
        self.action_bar.actionRequested.connect(self.store.request_action)
        self.action_bar.open_mandatory = self._open_mandatory
        self.review_button = QPushButton(self.tr("Cameras at its time (V)"))
        self.review_button.setShortcut("V")
        self.review_button.clicked.connect(self.review_selected)
        bar_layout = self.action_bar.layout()
        assert bar_layout is not None
        bar_layout.addWidget(self.review_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.alarms = AlarmRouter(config.alarms, config.alarm_interval_s)
        self.alarm = IncidentAlarmBanner(self)
        self.voice = AlarmVoice(
            config.alarm_sound, config.alarm_repeat_s, config.escalate_after_s, self
        )
        self.notice = PlainLabel()
        self.notice.setObjectName("QueueNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(scrolling_row(self.filters))
        layout.addWidget(self.alarm)
        if config.detail:
            splitter = QSplitter(Qt.Orientation.Horizontal)
            splitter.addWidget(self.table)
            side = QSplitter(Qt.Orientation.Vertical)  # the facts above, the procedure below
            side.addWidget(self.detail)
            side.addWidget(scrolling_checklist(self.checklist))
            side.setStretchFactor(0, 1)
            side.setStretchFactor(1, 1)
            splitter.addWidget(side)
            splitter.setStretchFactor(0, 3)
            splitter.setStretchFactor(1, 1)
            layout.addWidget(splitter, 1)
            layout.addWidget(self.action_bar)
        else:
            layout.addWidget(self.table, 1)
            self.detail.hide()
            self.checklist.hide()
            self.action_bar.hide()
        self.archive_finder = ArchiveFinder(context.archive) if context.archive else None
        if self.archive_finder is not None:
            layout.addWidget(self.archive_finder)
        layout.addWidget(self.notice)
        self._detail_shown = config.detail
        context.session.roleChanged.connect(self._follow_role)
        self._follow_role()
        self.filters.queryChanged.connect(self.set_query)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        for signal in (self.store.rowsApplied, self.store.rowsTouched):
            signal.connect(self._on_store)
        self.store.modelReset.connect(self._on_store)
        # Retention moves rows out of the store: the operator's selection stays on its incident.
        self._kept: str | None = None
        self.store.modelAboutToBeReset.connect(self._keep_selection)
        self.store.modelReset.connect(self._restore_selection)
        self.store.rowsApplied.connect(self._on_new_rows)
        self.store.actionRefused.connect(self._on_refused)
        self.store.actionRequested.connect(self._on_action)
        self.alarm.pinRequested.connect(lambda pinned: self._show_alarm(self.alarms.pin(pinned)))
        self.alarm.dismissRequested.connect(lambda: self._show_alarm(self.alarms.dismiss()))
        self.alarm.openRequested.connect(self.select)
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self.set_query(self.filters.query())
        self._on_store()

    def report(self) -> dict[str, Any]:
        return {
            **super().report(),
            "rows": self.queue.rowCount(),
            "distinct_ids": self.queue.distinct_ids(),  # equal to rows: one row per incident
            "header": self.counts.text(),
        }

    def title(self) -> str:
        return self.tr("Incidents and citizen feedback")

    def _follow_role(self, _role: str = "") -> None:
        """A viewer sees the queue but no action buttons, and its keys do nothing."""
        may_act = self.context.session.may_act
        self.action_bar.setEnabled(may_act)
        self.action_bar.setVisible(may_act and self._detail_shown)
        self.checklist.set_may_act(may_act)

    def set_query(self, query: IncidentQuery) -> None:
        """The filter bar's query, within the connections the layout limits this queue to."""
        limit = self.limit
        self.queue.set_query(replace(query, connections=limit) if limit else query)
        self._update_counts()
        if self.archive_finder is not None:
            self.archive_finder.search(query.text)

    def _connections_shown(self) -> list[str]:
        held = self.store.columns.connections
        return [name for name in held if name in self.limit] if self.limit else list(held)

    def selected_incident_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return str(self.queue.incident_at(rows[0].row()).id)

    def select(self, incident_id: str) -> bool:
        """Select an incident's row (e.g. from a map click); False if filtered out."""
        row = self.queue.row_of(incident_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.queue.index(row, 0))
        return True

    def _keep_selection(self) -> None:
        self._kept = self.selected_incident_id()

    def _restore_selection(self) -> None:
        if self._kept is not None:
            self.select(self._kept)
        self._kept = None

    def follow_incident(self, incident_id: str) -> None:
        """Picked elsewhere on the wall (a map click): select its row if it is shown."""
        self.select(incident_id)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail()
        selected = self.selected_incident_id()
        if selected is not None:
            self.incidentSelected.emit(selected)

    def _export_evidence(self) -> None:
        """The nearest cameras' recordings around the incident shown, with a manifest."""
        from widgets.video.evidence_dialog import from_incident

        if self.detail.incident is not None:
            from_incident(self, self.context, self.detail.incident)

    def review_selected(self) -> None:
        """The nearest cameras play back, together, from the selected incident's time."""
        incident_id = self.selected_incident_id()
        incident = None if incident_id is None else self.store.get(incident_id)
        if incident is not None:
            self.reviewRequested.emit(incident.id, incident.lat, incident.lon, incident.created_at)

    def _show_detail(self) -> None:
        incident_id = self.selected_incident_id()
        incident = None if incident_id is None else self.store.get(incident_id)
        pending = self.store.pending(incident_id) if incident_id else ()
        due = 0
        if incident_id is not None:
            due = int(self.store.columns.due[self.store.columns.row_of[incident_id]])
        self.detail.show_incident(incident, pending, due)
        self.action_bar.set_incident(incident)
        if self._detail_shown:
            self.checklist.show_incident(incident)

    def _open_mandatory(self, incident: Incident) -> list[int]:
        found = self.context.procedures.progress(incident)
        return [] if found is None else found.open_mandatory()

    def _show_cameras(self, incident_id: str) -> None:
        """A procedure step asks for the scene: the wall centres and plays the nearest."""
        incident = self.store.get(incident_id)
        if incident is not None:
            self.alarmRaised.emit(incident.id, incident.lat, incident.lon)

    def _on_store(self, *_args: object) -> None:
        self.filters.set_districts(self.store.columns.districts)
        self._columns.connections_changed()
        self._update_counts()
        if self.selected_incident_id() is not None:
            self._show_detail()

    def _on_new_rows(self, new: np.ndarray, changed: np.ndarray) -> None:
        """Only incidents that arrived live can raise an alarm, not a first load; one
        acknowledged anywhere (its status moved on) falls silent."""
        records = self.store.columns.records
        if self.alarms.rules and len(changed):
            moved_on = (records[int(row)] for row in changed)
            self.voice.silence(i.id for i in moved_on if i.status is not IncidentStatus.RECEIVED)
        live = [
            int(row)
            for row in new
            if self.store.columns.arrived[int(row)] > 0
            and (not self.limit or records[int(row)].connection in self.limit)
        ]
        if live and self.alarms.rules:
            incidents = [records[row] for row in live]
            self.voice.track(
                [i for i in incidents if self._waits_for_ack(i.id) and self.alarms.matches(i)]
            )
            self._show_alarm(self.alarms.offer(incidents))

    def _on_action(self, incident_id: str, action: IncidentAction) -> None:
        self.notice.hide()
        if action.action is ActionKind.ACKNOWLEDGE:  # silent at once, not when it is back
            self.voice.silence([incident_id])

    def _waits_for_ack(self, incident_id: str) -> bool:
        """Still unacknowledged, and no acknowledgement on its way."""
        incident = self.store.get(incident_id)
        return (
            incident is not None
            and incident.status is IncidentStatus.RECEIVED
            and ActionKind.ACKNOWLEDGE not in self.store.pending(incident_id)
        )

    def _escalate(self, incident_id: str) -> str:
        """Tell the leader: a note on the incident, which every console and the log see."""
        incident = self.store.get(incident_id)
        minutes = round(self.voice.sounder.watch.escalate_after_s / 60)
        said = self.tr("Escalated to the duty leader: not acknowledged after {n} min").format(
            n=minutes
        )
        if incident is not None and self.context.session.may_act:
            note = IncidentAction(action=ActionKind.NOTE, text=said)
            self.store.request_action(incident_id, note)
        title = incident.title if incident is not None else incident_id
        return f"{said}: {title}"

    def _show_alarm(self, raised: Alarm | None) -> None:
        self.alarm.show_alarm(self.alarms.current, self.alarms.waiting, self.alarms.pinned)
        current = self.alarms.current
        self.alarm.set_escalated(current is not None and self.voice.escalated(current.headline.id))
        if raised is not None:
            top = raised.headline
            self.voice.announce(top, self.alarm.text.text())
            self.alarmRaised.emit(top.id, top.lat, top.lon)

    def _on_refused(self, incident_id: str, action: str, reason: str) -> None:
        """The backend said no to an action: say so in plain words (its reason is text)."""
        self.notice.setText(
            self.tr("Could not {action} incident {id}: {reason}").format(
                action=value_name(action), id=incident_id, reason=reason
            )
        )
        self.notice.show()

    def _update_counts(self) -> None:
        columns = self.store.columns
        rows = columns.of_connections(self.limit) if self.limit else None
        counts = columns.status_counts(rows)
        self.filters.set_counts(counts, int(columns.overdue(rows).sum()))
        open_count = sum(n for status, n in counts.items() if status is not IncidentStatus.RESOLVED)
        self.counts.setText(
            self.tr("{open} open · {shown} shown").format(
                open=open_count, shown=self.queue.rowCount()
            )
        )

    def _on_tick(self) -> None:
        """Countdowns move, overdue rows turn red, fresh rows blink."""
        self.queue.flash_on = not self.queue.flash_on
        if self.alarms.rules:  # what waited is raised, repeats sound, the banner follows
            self.voice.tick(self._waits_for_ack, self._escalate)
            self._show_alarm(self.alarms.tick())
        rows = self.queue.rowCount()
        if rows:
            top = self.table.rowAt(0)
            bottom = self.table.rowAt(self.table.viewport().height() - 1)
            top = max(top, 0)
            bottom = rows - 1 if bottom < 0 else bottom
            last = self.queue.columnCount() - 1
            self.queue.dataChanged.emit(self.queue.index(top, 0), self.queue.index(bottom, last))
        self._update_counts()
