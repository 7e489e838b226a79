"""Weeks unattended: resolved incidents past the retention window move to a local archive.

Nothing the operator did may be lost by the move (an unsent action keeps its incident
live), the queue views must show the right rows after the store's rows move, a sync
cursor must never go back, and the archive stays searchable without diacritics.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.domain.queue import QueueColumn
from console.domain.records import Incident, IncidentStatus, utcnow
from console.domain.text import fold
from console.site.model import site_for_backend
from console.stores import IncidentTableModel
from console.stores.archive import IncidentArchive
from console.stores.incident_query import IncidentQuery
from console.stores.incident_view import IncidentQueueModel
from console.stores.retention import RetentionPass, describe_span
from tests.conftest import needs_display
from tests.test_stores import T0, incident
from tests.test_wall_integration import run_console, wait_for

BEFORE = T0 + timedelta(minutes=5)  # incidents 1..4 were last updated before it


def of(connection: str, item: Incident) -> Incident:
    return item.model_copy(update={"connection": connection, "id": f"{connection}/{item.id}"})


def ids(view: IncidentQueueModel) -> list[str]:
    return [view.incident_at(row).id for row in range(view.rowCount())]


def filled_store() -> IncidentTableModel:
    """inc-1..4 resolved long ago, inc-6 resolved recently, the rest open."""
    store = IncidentTableModel()
    resolved = {1, 2, 3, 4, 6}
    store.upsert(
        [incident(n, status="resolved" if n in resolved else "received") for n in range(1, 9)]
    )
    return store


def test_retire_moves_only_old_resolved_rows_without_pending_actions(qtbot: QtBot) -> None:
    store = filled_store()
    store.set_pending({"inc-3": ("note",)})  # the operator's note is still in the outbox
    archive = IncidentArchive(None)
    assert store.retire(BEFORE, archive) == 3
    assert sorted(ids(store)) == ["inc-3", "inc-5", "inc-6", "inc-7", "inc-8"]
    assert archive.count() == 3
    assert {i.id for i in archive.search("")} == {"inc-1", "inc-2", "inc-4"}
    assert store.get("inc-2") is None and archive.get("inc-2") == incident(2, status="resolved")
    assert store.pending("inc-3") == ("note",)
    assert store.retire(BEFORE, archive) == 0  # nothing more to move
    store.set_pending({})  # delivered: now it may go
    assert store.retire(BEFORE, archive) == 1 and store.get("inc-3") is None


def test_queue_views_show_the_right_rows_after_the_store_resets(qtbot: QtBot) -> None:
    store = filled_store()
    everything = IncidentQueueModel(store)
    resolved = IncidentQueueModel(store)
    resolved.set_query(IncidentQuery(statuses=frozenset({IncidentStatus.RESOLVED})))
    by_title = IncidentQueueModel(store)
    by_title.sort(QueueColumn.TITLE.position, Qt.SortOrder.AscendingOrder)
    testers = [
        QAbstractItemModelTester(view, QAbstractItemModelTester.FailureReportingMode.Fatal)
        for view in (store, everything, resolved, by_title)
    ]
    with qtbot.waitSignals([everything.modelReset, resolved.modelReset, by_title.modelReset]):
        store.retire(BEFORE, IncidentArchive(None))
    assert ids(everything) == ["inc-8", "inc-7", "inc-6", "inc-5"]
    assert ids(store) == ids(everything)
    assert ids(resolved) == ["inc-6"]
    assert ids(by_title) == ["inc-5", "inc-6", "inc-7", "inc-8"]
    for view in (store, everything, resolved, by_title):
        assert view.rowCount() == view.distinct_ids()
        assert view.row_of("inc-1") == -1
        cells = [
            view.index(row, QueueColumn.TITLE.position).data() for row in range(view.rowCount())
        ]
        assert cells == [view.incident_at(row).title for row in range(view.rowCount())]
    store.upsert([incident(9, status="received")], live=True)  # live updates still land right
    assert ids(everything)[0] == "inc-9" and by_title.row_of("inc-9") == 4
    del testers


def test_sync_cursors_never_go_back(qtbot: QtBot) -> None:
    store = IncidentTableModel()
    store.upsert([of("a", incident(n, revision=n * 10, status="resolved")) for n in range(1, 4)])
    store.upsert([of("b", incident(n, revision=n)) for n in range(1, 3)])
    store.upsert([of("b", incident(3, revision=7, status="resolved"))])
    before = (store.cursor, store.cursor_of("a"), store.cursor_of("b"))
    assert before == (30, 30, 7)
    assert store.retire(BEFORE, IncidentArchive(None)) == 4  # all of a, b's inc-3
    assert (store.cursor, store.cursor_of("a"), store.cursor_of("b")) == before
    assert len(store.columns) == 2 and store.columns.capacity >= 2


def test_a_search_without_diacritics_finds_an_archived_incident(qtbot: QtBot) -> None:
    archive = IncidentArchive(None)
    archive.put([incident(n, status="resolved") for n in range(1, 4)])
    assert [i.id for i in archive.search("dong xoai")] == [
        "inc-3",
        "inc-2",
        "inc-1",
    ]  # newest first
    assert [i.id for i in archive.search("SU CO 2")] == ["inc-2"]
    assert [i.id for i in archive.search("dong xoai", limit=1)] == ["inc-3"]
    assert archive.search("ngap") == [] and archive.get("inc-9") is None


def test_a_reopened_incident_comes_back_live(qtbot: QtBot) -> None:
    store = filled_store()
    view = IncidentQueueModel(store)
    archive = IncidentArchive(None)
    store.retire(BEFORE, archive)
    store.upsert([incident(1, revision=50, status="acknowledged")], live=True)
    back = store.get("inc-1")
    assert back is not None and back.revision == 50 and view.row_of("inc-1") >= 0
    assert view.rowCount() == view.distinct_ids() == 5
    assert archive.get("inc-1") is not None  # the archived copy stays, as history
    store.upsert([incident(1, revision=60, status="resolved")])
    assert store.retire(BEFORE + timedelta(days=1), archive) >= 1
    archived = archive.get("inc-1")
    assert archived is not None and archived.revision == 60  # the higher revision wins
    archive.put([incident(1, revision=2, status="received")])  # a late copy changes nothing
    assert archive.get("inc-1") == archived


def test_an_unreadable_archive_row_is_skipped_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "archive.sqlite"
    archive = IncidentArchive(path)
    archive.put([incident(n, status="resolved") for n in range(1, 4)])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE incidents SET body = '{\"id\": broken' WHERE id = 'inc-2'")
    with caplog.at_level(logging.WARNING):
        assert [i.id for i in archive.search("su co")] == ["inc-3", "inc-1"]
        assert archive.get("inc-2") is None
    assert "inc-2" in caplog.text
    archive.close()


def test_the_archive_file_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "data" / "archive.sqlite"
    store = filled_store()
    archive = IncidentArchive(path)
    assert store.retire(BEFORE, archive) == 4
    archive.close()
    again = IncidentArchive(path)
    assert again.count() == 4
    assert again.get("inc-4") == incident(4, status="resolved")
    assert [i.id for i in again.search("dong xoai")] == ["inc-4", "inc-3", "inc-2", "inc-1"]
    again.close()


def test_a_file_that_is_no_database_is_set_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "archive.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with caplog.at_level(logging.ERROR):
        archive = IncidentArchive(path)
    archive.put([incident(1, status="resolved")])
    assert archive.count() == 1
    assert [p.name for p in tmp_path.glob("archive.sqlite.unreadable-*")]
    archive.close()


def test_an_archive_that_fails_keeps_the_incidents_live(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    store = filled_store()
    archive = IncidentArchive(None)
    archive.close()  # any write now raises sqlite3.ProgrammingError
    with caplog.at_level(logging.ERROR), qtbot.assertNotEmitted(store.modelReset):
        assert store.retire(BEFORE, archive) == 0
    assert len(store.columns) == 8 and "kept live" in caplog.text


def test_the_retention_pass_archives_and_says_so(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    store = filled_store()
    now = BEFORE + timedelta(days=7)
    retention = RetentionPass(
        store, IncidentArchive(None), timedelta(days=7), first_pass_ms=0, clock=lambda: now
    )
    with caplog.at_level(logging.INFO), qtbot.waitSignal(retention.passed) as passed:
        retention.start()
    assert passed.args == [4]
    assert "archived 4 resolved incidents older than 7 days (live 4, archive 4)" in caplog.text
    assert retention.run() == 0
    retention.close()


def test_a_retention_pass_over_an_archive_file(qtbot: QtBot, tmp_path: Path) -> None:
    store = filled_store()
    archive = IncidentArchive(tmp_path / "archive.sqlite")  # as the console opens it
    retention = RetentionPass(store, archive, timedelta(hours=36))
    assert (tmp_path / "archive.sqlite").exists() and retention.retention == timedelta(hours=36)
    retention.close()


def test_describe_span() -> None:
    assert describe_span(timedelta(days=7)) == "7 days"
    assert describe_span(timedelta(days=1)) == "1 day"
    assert describe_span(timedelta(hours=36)) == "36 hours"
    assert describe_span(timedelta(minutes=90)) == "90 minutes"


def test_an_incidents_panel_follows_a_retention_pass(qtbot: QtBot) -> None:
    from console.layout.panel_kinds import IncidentsConfig
    from console.stores import CameraStore, KpiStore, LayerStore
    from widgets.incidents.panel import IncidentsPanel
    from widgets.panel import PanelContext

    context = PanelContext(CameraStore(), filled_store(), KpiStore(), LayerStore())
    panel = IncidentsPanel(context, IncidentsConfig(detail=True))
    qtbot.addWidget(panel)
    assert panel.select("inc-2")  # the operator is reading an incident about to be archived
    assert context.incidents.retire(BEFORE, IncidentArchive(None)) == 4
    assert panel.queue.rowCount() == 4 and panel.selected_incident_id() is None
    assert panel.report()["distinct_ids"] == 4
    assert panel.select("inc-6")


def test_an_archive_folder_that_cannot_be_written_falls_back_to_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    with caplog.at_level(logging.ERROR):
        archive = IncidentArchive(blocker / "archive.sqlite")
    archive.put([incident(1, status="resolved")])
    assert archive.count() == 1 and "kept in memory only" in caplog.text
    archive.close()


def test_a_backlog_goes_in_batches_soon_after_each_other(qtbot: QtBot) -> None:
    store = filled_store()
    archive = IncidentArchive(None)
    now = BEFORE + timedelta(days=7)
    retention = RetentionPass(
        store, archive, first_pass_ms=0, batch=3, catch_up_ms=0, clock=lambda: now
    )
    moved: list[int] = []
    retention.passed.connect(moved.append)
    retention.start()
    qtbot.waitUntil(lambda: len(moved) >= 2)
    assert moved[:2] == [3, 1] and archive.count() == 4  # then hourly again
    retention.close()


@needs_display()
def test_the_queue_search_finds_archived_incidents_and_keeps_the_selection(
    qapp: QApplication, demo_url: str
) -> None:
    """Against the real demo: retention moves the resolved ones out of the live queue; the
    same search box finds them in the archive, and the operator's selection stays put."""
    from ioc_console.app import Console
    from widgets.incidents.archive_search import ArchiveDialog

    async def scenario(console: Console) -> None:
        panel = next(p for p in console.panels() if p.KIND == "incidents")
        store = console.context.incidents
        await wait_for(lambda: len(store.columns) > 20, lambda: len(store.columns))
        resolved = [i for i in store.incidents() if i.status is IncidentStatus.RESOLVED]
        kept = next(i for i in store.incidents() if i.status is not IncidentStatus.RESOLVED)
        assert resolved and panel.select(kept.id)
        assert console.retention.retention == timedelta(days=3)  # the site's, not the default
        assert console.retention.run() == 0  # nothing is 3 days old yet
        moved = store.retire(utcnow() + timedelta(days=1), console.context.archive)
        assert moved >= len(resolved)  # resolved since the load count too
        assert panel.selected_incident_id() == kept.id  # the operator's row stays selected
        target = resolved[0]
        assert store.get(target.id) is None  # gone from the live queue...
        words = fold(target.title).split()[:3]
        panel.filters.search.setText(" ".join(words))
        finder = panel.archive_finder
        assert finder is not None
        await wait_for(finder.isVisible, finder.button.text)  # ...found in the archive
        assert "in the archive" in finder.button.text()
        assert any(i.id == target.id for i in finder.found)
        finder.button.click()
        dialog = finder.dialog
        assert isinstance(dialog, ArchiveDialog) and dialog.list.count() == len(finder.found)
        row = next(n for n, i in enumerate(finder.found) if i.id == target.id)
        dialog.list.setCurrentRow(row)
        assert dialog.detail.heading.text() == target.title
        dialog.close()
        panel.filters.search.setText("")
        await wait_for(lambda: not finder.isVisible(), finder.button.text)

    site = site_for_backend(demo_url).model_copy(update={"archive_after_days": 3})
    run_console(qapp, site, scenario)
