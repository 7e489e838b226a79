"""Stores: newest-first queue, revisions that only go forward, batched KPI samples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from console.domain.records import (
    Camera,
    CameraStatus,
    Incident,
    KpiSampleEvent,
)
from console.stores import CameraStore, IncidentTableModel, KpiStore

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def incident(n: int, revision: int | None = None, status: str = "received") -> Incident:
    return Incident.model_validate(
        {
            "id": f"inc-{n}",
            "title": f"Sự cố {n}",
            "category": "traffic",
            "priority": "high",
            "status": status,
            "source": "citizen",
            "district": "Đồng Xoài",
            "lat": 11.5,
            "lon": 106.9,
            "created_at": T0 + timedelta(minutes=n),
            "updated_at": T0 + timedelta(minutes=n),
            "revision": n if revision is None else revision,
        }
    )


def test_queue_is_newest_first_and_ignores_stale_revisions(qtbot: QtBot) -> None:
    model = IncidentTableModel()
    model.upsert([incident(1), incident(3), incident(2)])
    assert [model.index(row, 3).data() for row in range(3)] == ["Sự cố 3", "Sự cố 2", "Sự cố 1"]
    with qtbot.waitSignal(model.dataChanged):
        model.upsert([incident(2, revision=10, status="acknowledged")])
    assert model.get("inc-2").status.value == "acknowledged"
    with qtbot.assertNotEmitted(model.incidentsUpserted):
        model.upsert([incident(2, revision=5, status="received")])  # a late replay
    assert model.get("inc-2").status.value == "acknowledged"
    assert model.cursor == 10
    assert model.rowCount() == 3


def test_datachanged_emitted_thousands_of_times_does_not_abort(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on CPython 3.11 aborts here (ARCHITECTURE.md); keep upgrades honest."""
    model = IncidentTableModel()
    model.upsert([incident(1)])
    seen = []
    model.dataChanged.connect(lambda *args: seen.append(args))
    for revision in range(2, 5002):
        model.upsert([incident(1, revision=revision)])
    assert len(seen) == 5000
    assert model.get("inc-1").revision == 5001


def test_kpi_samples_append_in_order_and_signal_once_per_batch(qtbot: QtBot) -> None:
    store = KpiStore()
    touched: list[str] = []
    store.seriesChanged.connect(touched.append)
    samples = [KpiSampleEvent(kpi_id="k", t=T0 + timedelta(seconds=i), value=i) for i in range(600)]
    store.add_samples(samples)
    store.add_samples(samples[:10])  # replayed: ignored
    assert len(store.series("k")) == 600
    assert store.series("k").values[-1] == 599
    assert touched == ["k", "k"]


def test_camera_status_changes_are_signalled_once(qtbot: QtBot) -> None:
    store = CameraStore()
    camera = Camera.model_validate(
        {
            "id": "cam-1",
            "name": "Ngã tư Sóc Xiêm",
            "district": "Đồng Xoài",
            "lat": 11.5,
            "lon": 106.9,
            "status": "online",
            "streams": {
                "sub": {"url": "http://x/a", "width": 640, "height": 360, "codec": "mjpeg"}
            },
        }
    )
    store.replace([camera])
    changes: list[tuple[str, str]] = []
    store.statusChanged.connect(lambda *args: changes.append(args))
    store.set_status("cam-1", CameraStatus.OFFLINE)
    store.set_status("cam-1", CameraStatus.OFFLINE)
    store.merge([camera])  # back online via a full refresh, without a reset
    assert changes == [("cam-1", "offline"), ("cam-1", "online")]
