"""The queue model: filters (diacritics ignored), sorting, counts, deadlines, selection."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.records import Category, IncidentStatus, Priority, Source, utcnow
from console.domain.text import fold
from console.stores.incident_query import IncidentQuery
from console.stores.incident_view import IncidentQueueModel, OverdueRole, PendingRole
from console.stores.incidents import IncidentTableModel
from tests.test_stores import incident


def make(n: int, **changes: object):  # type: ignore[no-untyped-def]
    return incident(n).model_copy(update=changes)


def titles(model: IncidentQueueModel) -> list[str]:
    return [model.index(row, 3).data() for row in range(model.rowCount())]


def test_folding_ignores_vietnamese_diacritics_including_d_with_stroke() -> None:
    assert fold("Đồng Xoài") == "dong xoai"
    assert fold("  PHƯỚC   Long ") == "phuoc long"


def test_search_without_accents_finds_accented_rows_and_all_words_must_match(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    store.upsert(
        [
            make(1, title="Ngập nước đường Phú Riềng Đỏ", district="Đồng Xoài"),
            make(2, title="Kẹt xe QL14", district="Bình Long"),
            make(3, title="Đèn đường hỏng", district="Đồng Xoài", id="INC-77"),
        ]
    )
    queue = IncidentQueueModel(store)
    queue.set_query(IncidentQuery(text="dong xoai"))
    assert titles(queue) == ["Đèn đường hỏng", "Ngập nước đường Phú Riềng Đỏ"]
    queue.set_query(IncidentQuery(text="ngap DONG"))
    assert titles(queue) == ["Ngập nước đường Phú Riềng Đỏ"]
    queue.set_query(IncidentQuery(text="inc-77"))
    assert titles(queue) == ["Đèn đường hỏng"]


def test_filters_combine_and_counts_follow_status(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    store.upsert(
        [
            make(1, priority=Priority.LOW, category=Category.LIGHTING),
            make(2, priority=Priority.CRITICAL, category=Category.SECURITY, source=Source.CAMERA),
            make(3, priority=Priority.HIGH, category=Category.SECURITY, district="Bình Long"),
            make(4, status=IncidentStatus.RESOLVED),
        ]
    )
    queue = IncidentQueueModel(store)
    queue.set_query(
        IncidentQuery(
            priorities=frozenset({Priority.HIGH, Priority.CRITICAL}),
            categories=frozenset({Category.SECURITY}),
        )
    )
    assert titles(queue) == ["Sự cố 3", "Sự cố 2"]
    queue.set_query(IncidentQuery(sources=frozenset({Source.CAMERA})))
    assert titles(queue) == ["Sự cố 2"]
    queue.set_query(IncidentQuery(districts=frozenset({"binh long"})))
    assert titles(queue) == ["Sự cố 3"]
    counts = store.status_counts()
    assert counts[IncidentStatus.RECEIVED] == 3 and counts[IncidentStatus.RESOLVED] == 1


def test_sort_by_any_column_and_live_rows_land_in_order(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    store.upsert(
        [
            make(1, priority=Priority.MEDIUM, title="Bưu điện"),
            make(2, priority=Priority.CRITICAL, title="Ấp 3"),
            make(3, priority=Priority.LOW, title="Cầu Sài Gòn"),
        ]
    )
    queue = IncidentQueueModel(store)
    queue.sort(1, Qt.SortOrder.DescendingOrder)  # priority, most urgent first
    assert titles(queue) == ["Ấp 3", "Bưu điện", "Cầu Sài Gòn"]
    store.upsert([make(4, priority=Priority.HIGH, title="Đường 741")])
    assert titles(queue) == ["Ấp 3", "Đường 741", "Bưu điện", "Cầu Sài Gòn"]
    queue.sort(3, Qt.SortOrder.AscendingOrder)  # title, accents ignored: A B C D
    assert titles(queue) == ["Ấp 3", "Bưu điện", "Cầu Sài Gòn", "Đường 741"]


def test_a_row_leaving_the_filter_disappears_and_the_selection_stays_on_its_incident(
    qtbot: QtBot,
) -> None:
    from PySide6.QtWidgets import QTableView

    store = IncidentTableModel()
    store.upsert([make(n) for n in range(1, 6)])
    queue = IncidentQueueModel(store)
    queue.set_query(IncidentQuery(statuses=frozenset({IncidentStatus.RECEIVED})))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(queue)
    view.selectRow(queue.row_of("inc-2"))
    store.upsert([make(4, status=IncidentStatus.ACKNOWLEDGED, revision=50)])  # leaves
    store.upsert([make(9)])  # a newer one arrives on top
    assert "Sự cố 4" not in titles(queue) and titles(queue)[0] == "Sự cố 9"
    selected = view.selectionModel().selectedRows()
    assert [queue.incident_at(index.row()).id for index in selected] == ["inc-2"]


def test_deadline_countdown_and_overdue_marking(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    now = utcnow()
    store.upsert(
        [
            make(1, category=Category.TRAFFIC, created_at=now - timedelta(hours=3)),  # 2 h SLA
            make(  # 72 h SLA; half a minute off a whole minute, so no rounding race
                2,
                category=Category.PUBLIC_SERVICES,
                created_at=now - timedelta(hours=1, seconds=30),
            ),
            make(
                3,
                category=Category.TRAFFIC,
                created_at=now - timedelta(hours=5),
                status=IncidentStatus.RESOLVED,
            ),
        ]
    )
    queue = IncidentQueueModel(store)
    queue.sort(0, Qt.SortOrder.AscendingOrder)
    row = {queue.incident_at(r).id: r for r in range(3)}
    assert queue.index(row["inc-1"], 7).data().startswith("overdue 1 h 0")
    assert queue.index(row["inc-1"], 0).data(OverdueRole) is True
    assert queue.index(row["inc-2"], 7).data().startswith("70 h 5")
    assert queue.index(row["inc-3"], 0).data(OverdueRole) is False  # resolved: never overdue
    queue.set_query(IncidentQuery(overdue_only=True))
    assert [queue.incident_at(r).id for r in range(queue.rowCount())] == ["inc-1"]


def test_pending_actions_show_in_the_status_cell(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    store.upsert([make(1)])
    queue = IncidentQueueModel(store)
    with qtbot.waitSignal(queue.dataChanged):
        store.set_pending({"inc-1": ("acknowledge",)})
    assert queue.index(0, 5).data() == "received · sending acknowledge…"
    assert queue.index(0, 5).data(PendingRole) == ("acknowledge",)
    store.set_pending({})
    assert queue.index(0, 5).data() == "received"
