"""One incident, one row: whatever order and repetition events arrive in.

The hostile-input test found a new incident and its acknowledgement landing in one batch
shown twice. Every queue view (the store's own and a panel's filtered, sorted one) must
keep `rowCount() == distinct_ids()` and show each incident at its latest revision.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.queue import QueueColumn
from console.stores import IncidentTableModel
from console.stores.incident_query import IncidentQuery
from console.stores.incident_view import IncidentQueueModel
from tests.test_stores import incident

STATUSES = ("received", "acknowledged", "assigned", "resolved")


def assert_one_row_per_incident(*views: IncidentQueueModel) -> None:
    for view in views:
        assert view.rowCount() == view.distinct_ids()


def test_a_new_incident_acknowledged_in_the_same_batch_shows_once(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    panel_view = IncidentQueueModel(store)
    store.upsert([incident(i) for i in range(1, 40)])
    seen: list[str] = []
    store.incidentsUpserted.connect(lambda batch: seen.extend(i.id for i in batch))
    store.upsert(
        [incident(100, revision=100), incident(100, revision=101, status="acknowledged")],
        live=True,
    )
    assert store.rowCount() == 40 and panel_view.rowCount() == 40
    assert_one_row_per_incident(store, panel_view)
    assert seen == ["inc-100"]
    row = store.row_of("inc-100")
    assert store.index(row, QueueColumn.STATUS.position).data() == "acknowledged"


def test_a_catch_up_that_repeats_events_adds_nothing(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    batch = [incident(i) for i in range(1, 20)]
    store.upsert(batch)
    store.upsert(batch + batch, live=True)  # reconnect: the backend replays what we had
    assert store.rowCount() == 19
    assert_one_row_per_incident(store)


events = st.lists(
    st.lists(
        st.tuples(st.integers(0, 15), st.integers(1, 6), st.sampled_from(STATUSES)),
        min_size=1,
        max_size=12,
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(batches=events)
def test_any_sequence_of_batches_keeps_one_row_per_incident(
    qapp: object, batches: list[list[tuple[int, int, str]]]
) -> None:
    store = IncidentTableModel()
    open_only = IncidentQueueModel(store)
    open_only.set_query(IncidentQuery(statuses=frozenset(STATUSES[:3])))  # type: ignore[arg-type]
    by_priority = IncidentQueueModel(store)
    by_priority.sort(QueueColumn.STATUS.position, Qt.SortOrder.AscendingOrder)
    latest: dict[str, tuple[int, str]] = {}
    for batch in batches:
        store.upsert(
            [incident(n, revision=rev, status=status) for n, rev, status in batch], live=True
        )
        for n, rev, status in batch:
            if rev > latest.get(f"inc-{n}", (0, ""))[0]:
                latest[f"inc-{n}"] = (rev, status)
        assert_one_row_per_incident(store, open_only, by_priority)
    assert store.rowCount() == len(latest)
    assert open_only.rowCount() == sum(status != "resolved" for _, status in latest.values())
    for incident_id, (revision, _) in latest.items():
        held = store.get(incident_id)
        assert held is not None and held.revision == revision
