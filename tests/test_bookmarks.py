"""Bookmarks against the real demo backend: the API, the durable queue, the tile, the pane."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMenu, QSpinBox

from console.actions.audit import AuditLog
from console.actions.bookmarks import BookmarkQueue, close_queues
from console.demo.access import Access
from console.demo.server import DemoServer
from console.domain.bookmarks import BookmarkDraft
from console.layout.panel_kinds import CameraConfig
from console.sources.ioc.api import IocApi
from console.sources.ioc.bookmarks import camera_bookmarks, incident_bookmarks
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.policy import Timing
from tests.conftest import needs_display, run_on_qt_loop
from tests.test_wall_integration import wait_for
from widgets.incidents.detail import IncidentDetail
from widgets.panel import PanelContext
from widgets.video.camera_panel import CameraPanel
from widgets.video.evidence_dialog import EvidenceDialog

OPERATOR, VIEWER = {"Authorization": "Bearer op"}, {"Authorization": "Bearer view"}
CAMERA = "CAM-01"


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    access = Access(tokens={"op": "operator", "view": "viewer"})
    with DemoServer(seed=17, incident_interval_s=1.0, access=access) as demo:
        yield demo


@pytest.fixture
def http(server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers=OPERATOR, timeout=10.0) as client:
        yield client


def an_incident(http: httpx.Client) -> str:
    return str(http.get("/api/v1/incidents").json()["items"][0]["id"])


def post(http: httpx.Client, body: dict[str, object], key: str, **kw: object) -> httpx.Response:
    return http.post(
        f"/api/v1/cameras/{kw.get('camera', CAMERA)}/bookmarks",
        json=body,
        headers={"Idempotency-Key": key, **dict(kw.get("headers", {}))},  # type: ignore[call-overload]
    )


def ago(seconds: float) -> str:
    return (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat()


def test_create_and_list_by_camera_and_by_incident(http: httpx.Client) -> None:
    incident = an_incident(http)
    span = {"start": ago(60), "end": ago(30), "note": "xe tải chở quá tải", "incident_id": incident}
    created = post(http, span, "k-span")
    assert created.status_code == 201, created.text
    moment = post(http, {"start": ago(10), "note": "a moment"}, "k-moment")
    assert moment.status_code == 201
    body = created.json()
    assert body["camera"] == CAMERA and body["note"] == span["note"] and body["end"]
    window = {"start": ago(45), "end": ago(0)}
    listed = http.get(f"/api/v1/cameras/{CAMERA}/bookmarks", params=window).json()["items"]
    ids = {item["id"] for item in listed}
    assert {body["id"], moment.json()["id"]} <= ids
    early = http.get(f"/api/v1/cameras/{CAMERA}/bookmarks", params={"end": ago(50)}).json()
    assert moment.json()["id"] not in {item["id"] for item in early["items"]}
    linked = http.get(f"/api/v1/incidents/{incident}/bookmarks").json()["items"]
    assert [item["id"] for item in linked] == [body["id"]]


def test_replay_refusals_and_bad_times(http: httpx.Client) -> None:
    body = {"start": ago(5), "note": "once"}
    first, again = post(http, body, "k-once"), post(http, body, "k-once")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert post(http, {**body, "note": "other"}, "k-once").status_code == 422
    assert post(http, body, "k-viewer", headers=VIEWER).status_code == 403
    assert post(http, body, "k-cam", camera="CAM-999").status_code == 404
    assert post(http, {**body, "incident_id": "INC-99999"}, "k-inc").status_code == 404
    assert post(http, body, "").status_code == 400
    for bad in (
        {"start": ago(5), "end": ago(10), "note": "backwards"},
        {"start": ago(-3600), "note": "future"},
        {"start": "yesterday", "note": "words"},
        {"start": "9999-12-31T23:59:59+00:00", "note": "far"},
    ):
        assert post(http, bad, f"k-bad-{bad['note']}").status_code == 422, bad
    wrong = http.get(f"/api/v1/cameras/{CAMERA}/bookmarks", params={"start": "soon"})
    assert wrong.status_code == 422
    texts = [b["note"] for b in http.get(f"/api/v1/cameras/{CAMERA}/bookmarks").json()["items"]]
    assert texts.count("once") == 1


HOSTILE = st.one_of(
    st.text(max_size=600),
    st.sampled_from(
        ["مرحبا بالعالم", "שלום \u202eevil", "a\x00b", "x" * 10_000, " \n\t ", "\ud800", "<b>x</b>"]
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=HOSTILE)
def test_hostile_notes_are_refused_or_kept_as_plain_text(http: httpx.Client, note: str) -> None:
    key = f"k-hostile-{time.monotonic_ns()}"
    try:
        response = post(http, {"start": ago(1), "note": note}, key)
    except UnicodeEncodeError:  # a lone surrogate cannot even be sent as UTF-8 JSON
        return
    assert response.status_code in (201, 422), response.text
    if response.status_code == 201:
        stored = response.json()
        assert stored["note"] == BookmarkDraft(start=datetime.now(UTC), note=note).note
        assert 1 <= len(stored["note"]) <= 500


def dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


until = partial(wait_for, timeout=15.0)


def test_a_bookmark_made_while_the_backend_is_away_is_delivered_once(
    qapp, server: DemoServer, http: httpx.Client, tmp_path: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    draft = BookmarkDraft(start=datetime.now(UTC) - timedelta(seconds=3), note="while away")

    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{dead_port()}") as away:
            queue = BookmarkQueue(tmp_path / "q.sqlite", away, audit, retry_min_s=0.01)
            key = queue.submit(CAMERA, draft)
            queue.start()
            await until(lambda: "cannot reach" in detail(queue, key), "a failed attempt")
            assert queue.states() == {"pending": 1}
            assert queue.task is not None
            queue.task.cancel()
            queue.close()
        # The backend is back (and the first try's answer was lost: it has the bookmark).
        assert post(http, draft.model_dump(mode="json", exclude_none=True), key).status_code == 201
        async with httpx.AsyncClient(base_url=server.url, headers=OPERATOR) as back:
            queue = BookmarkQueue(tmp_path / "q.sqlite", back, audit, retry_min_s=0.01)
            heard: list[str] = []
            queue.listeners.append(lambda bookmark: heard.append(bookmark.note))
            queue.start()
            await until(lambda: queue.states() == {"delivered": 1}, "the delivery")
            assert heard == ["while away"]
            assert queue.task is not None
            queue.task.cancel()
            queue.close()

    run_on_qt_loop(qapp, scenario())
    notes = [b["note"] for b in http.get(f"/api/v1/cameras/{CAMERA}/bookmarks").json()["items"]]
    assert notes.count("while away") == 1
    results = [entry["result"] for entry in audit.entries()]
    assert results == ["queued", "replayed"]
    assert audit.entries()[0]["action"] == f"bookmark {CAMERA}"


def detail(queue: BookmarkQueue, key: str) -> str:
    row = queue._db.execute("SELECT detail FROM bookmarks WHERE key = ?", (key,)).fetchone()
    return str(row[0])


def test_a_viewer_cannot_queue_a_bookmark(qapp, server: DemoServer, tmp_path: Path) -> None:
    from console.actions.delivery import Refused

    audit = AuditLog(tmp_path / "audit.jsonl")
    queue = BookmarkQueue(
        tmp_path / "v.sqlite", httpx.AsyncClient(), audit, forbidden=lambda: "a viewer"
    )
    with pytest.raises(Refused):
        queue.submit(CAMERA, BookmarkDraft(start=datetime.now(UTC), note="no"))
    assert queue.states() == {} and audit.entries()[0]["result"] == "refused: a viewer"


@needs_display()
def test_the_tile_bookmarks_a_moment_and_marks_it(qtbot, loop, server: DemoServer) -> None:
    api = IocApi(server.url, httpx.AsyncClient(base_url=server.url, headers=OPERATOR))
    cameras, incidents = CameraStore(), IncidentTableModel()
    context = PanelContext(cameras, incidents, KpiStore(), LayerStore(), recorders={"": api})

    async def scenario() -> None:
        cameras.replace(await api.cameras())
        config = CameraConfig(camera=CAMERA, profile="sub")
        panel = CameraPanel(context, config, timing=Timing(connect_timeout_s=20.0))
        qtbot.addWidget(panel)
        panel.resize(QSize(800, 600))
        panel.show()
        panel.playback.instant_replay()
        await until(lambda: panel.playback.active, "playback to start")
        position = panel.playback.position
        assert position is not None
        at = position.at(time.monotonic())
        dialog = panel.playback.bookmarks.ask(cameras.get(CAMERA), at)
        note = dialog.findChild(QLineEdit, "BookmarkNote")
        buttons = dialog.findChild(QDialogButtonBox)
        assert note is not None and buttons is not None
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.click()  # an empty note: refused in words, the dialog stays
        assert dialog.isVisible()
        note.setText("bookmarked on the tile")
        ok.click()
        assert not dialog.isVisible()
        view = lambda: panel.playback.timeline.strip.view  # noqa: E731
        await until(
            lambda: any("bookmarked on the tile" in title for _, title in view().marks),
            "the queued mark",
        )
        await until(
            lambda: any(b.note == "bookmarked on the tile" for b in panel.playback.bookmarks.items),
            "the delivered bookmark",
        )
        assert not panel.playback.bookmarks.queued
        found = await camera_bookmarks(api, CAMERA, at - timedelta(seconds=1), at)
        assert [b.note for b in found].count("bookmarked on the tile") == 1

        # A span, and the evidence of the bookmark the picture is at: its own span.
        span = panel.playback.bookmarks.ask(cameras.get(CAMERA), at)
        span.findChild(QLineEdit, "BookmarkNote").setText("a span")
        span.findChild(QSpinBox, "BookmarkSpan").setValue(20)
        span.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        await until(
            lambda: any(b.note == "a span" for b in panel.playback.bookmarks.items), "the span"
        )
        stored = next(b for b in panel.playback.bookmarks.items if b.note == "a span")
        assert stored.end is not None and stored.end - stored.start == timedelta(seconds=20)
        menu = QMenu()
        panel.playback.bookmarks.add_action(menu, cameras.get(CAMERA), at)
        export = [a for a in menu.actions() if "“a span”" in a.text()]
        assert export, [a.text() for a in menu.actions()]
        export[0].trigger()
        evidence = panel.findChild(EvidenceDialog)
        assert evidence is not None
        assert evidence.start.dateTime().secsTo(evidence.end.dateTime()) == 20  # its own span
        evidence.close()
        panel.playback.back_to_live()
        panel.shutdown()

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 90))
    finally:
        loop.run_until_complete(close_queues())
        loop.run_until_complete(api.aclose())


def test_the_incident_detail_lists_its_bookmarks(
    qtbot, loop, server: DemoServer, http: httpx.Client
) -> None:
    incident_id = an_incident(http)
    body = {"start": ago(20), "note": "seen on camera", "incident_id": incident_id}
    assert post(http, body, "k-detail").status_code == 201
    api = IocApi(server.url, httpx.AsyncClient(base_url=server.url, headers=OPERATOR))

    async def scenario() -> None:
        incident = next(i for i in await api.incidents() if i.id == incident_id)
        assert "seen on camera" in [b.note for b in await incident_bookmarks(api, incident_id)]
        pane = IncidentDetail()
        qtbot.addWidget(pane)
        pane.recorders = {"": api}
        pane.show_incident(incident, (), 0)
        await until(lambda: "seen on camera" in pane.bookmarks.text(), "the bookmark listed")
        assert pane.bookmarks.text().startswith("Bookmarks\n")
        assert CAMERA in pane.bookmarks.text()

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 30))
    finally:
        loop.run_until_complete(close_queues())
        loop.run_until_complete(api.aclose())
