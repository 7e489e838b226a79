"""Evidence export against the real demo backend: files, manifest hashes, all or nothing."""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from console.demo.playback import iso
from console.demo.server import DemoServer
from console.sources.ioc.api import IocApi
from console.video.evidence import (
    EvidenceCamera,
    ExportCancelled,
    ExportError,
    Progress,
    export_evidence,
    verify,
)

T0 = float(math.floor(time.time()))
SEEDED = {cam: [(T0 - 1200, T0 - 600)] for cam in ("CAM-01", "CAM-02")}
START = datetime.fromtimestamp(T0 - 900, UTC)
END = datetime.fromtimestamp(T0 - 880, UTC)  # 20 s, all recorded
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CAMERAS = [EvidenceCamera("CAM-01", "Cam one"), EvidenceCamera("CAM-02", "Cam two")]


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(seed=5, retention_s=3600.0, recorded=SEEDED) as demo:
        yield demo


def export(server: DemoServer, target: Path, **kwargs: Any) -> str:
    async def run() -> str:
        api = IocApi(server.url)
        try:
            cameras = kwargs.pop("cameras", CAMERAS)
            return await export_evidence(
                api, cameras, START, END, target, "op1", "INC-7", ZONE, **kwargs
            )
        finally:
            await api.aclose()

    return asyncio.run(run())


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_folder_export_lists_every_file_with_its_hash(server: DemoServer, tmp_path: Path) -> None:
    seen: list[Progress] = []
    target = tmp_path / "evidence"
    digest = export(server, target, progress=lambda p: seen.append(Progress(**vars(p))))
    assert leftovers(tmp_path) == ["evidence"]
    data = (target / "manifest.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest
    manifest = json.loads(data)
    names = sorted(f["path"] for f in manifest["files"])
    assert names == ["CAM-01.jpg", "CAM-01.mkv", "CAM-02.jpg", "CAM-02.mkv"]
    assert sorted(leftovers(target)) == sorted([*names, "manifest.json"])
    for entry in manifest["files"]:
        content = (target / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["size"] == len(content) > 0
    assert (target / "CAM-01.mkv").read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # EBML: Matroska
    camera = manifest["cameras"][0]
    assert (camera["id"], camera["name"], camera["clip"]) == ("CAM-01", "Cam one", "CAM-01.mkv")
    span = camera["recorded_spans"][0]
    assert span["start"]["utc"] == iso(T0 - 900) and span["end"]["utc"] == iso(T0 - 880)
    assert span["start"]["local"].endswith("+07:00")
    assert manifest["window"]["start"]["utc"] == iso(T0 - 900)
    assert (manifest["operator"], manifest["incident"]) == ("op1", "INC-7")
    assert manifest["zone"] == "Asia/Ho_Chi_Minh" and manifest["tool"]["version"]
    assert seen[-1].files_done == 4 and seen[-1].done == sum(f["size"] for f in manifest["files"])
    assert verify(target) == []


def test_zip_export_is_stored_and_verifies(server: DemoServer, tmp_path: Path) -> None:
    target = tmp_path / "evidence.zip"
    digest = export(server, target)
    assert leftovers(tmp_path) == ["evidence.zip"]
    with zipfile.ZipFile(target) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        assert set(infos) == {
            "CAM-01.mkv",
            "CAM-01.jpg",
            "CAM-02.mkv",
            "CAM-02.jpg",
            "manifest.json",
        }
        assert all(info.compress_type == zipfile.ZIP_STORED for info in infos.values())
        assert hashlib.sha256(archive.read("manifest.json")).hexdigest() == digest
    assert verify(target) == []


def test_verify_reports_a_changed_missing_or_added_file(server: DemoServer, tmp_path: Path) -> None:
    target = tmp_path / "evidence"
    export(server, target)
    clip = target / "CAM-02.mkv"
    clip.write_bytes(clip.read_bytes()[:-1] + b"\x00")
    (target / "CAM-01.jpg").unlink()
    (target / "extra.txt").write_text("x")
    assert verify(target) == [
        "CAM-01.jpg: missing",
        "CAM-02.mkv: SHA-256 differs from the manifest",
        "extra.txt: not in the manifest",
    ]


@pytest.mark.parametrize("name", ["evidence", "evidence.zip"])
def test_cancel_mid_export_leaves_nothing(server: DemoServer, tmp_path: Path, name: str) -> None:
    state = {"bytes": 0}

    def seen(progress: Progress) -> None:
        state["bytes"] = progress.done

    with pytest.raises(ExportCancelled):
        export(server, tmp_path / name, progress=seen, cancel=lambda: state["bytes"] > 0)
    assert leftovers(tmp_path) == []


def test_a_failing_download_leaves_nothing_and_says_why(server: DemoServer, tmp_path: Path) -> None:
    cameras = [CAMERAS[0], EvidenceCamera("CAM-NOPE", "?")]
    with pytest.raises(ExportError, match=r"clip of CAM-NOPE: the backend answered 404: .*exist"):
        export(server, tmp_path / "evidence.zip", cameras=cameras)
    assert leftovers(tmp_path) == []


def test_an_existing_target_is_never_overwritten(server: DemoServer, tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    with pytest.raises(ExportError, match="already exists"):
        export(server, tmp_path / "evidence")
    assert leftovers(tmp_path) == ["evidence"] and leftovers(tmp_path / "evidence") == []


def export_in_dialog(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    server: DemoServer,
    ids: tuple[str, ...],
    span: tuple[datetime, datetime],
    incident: str,
    audit: Any,
    target: Path,
) -> Any:
    """The evidence dialog of cameras `ids`, its export to `target` run to the end."""
    from widgets.video.evidence_dialog import EvidenceDialog

    api = IocApi(server.url)

    async def scenario() -> EvidenceDialog:
        cameras = [c for c in await api.cameras() if c.local_id in ids]
        dialog = EvidenceDialog({"": api}, cameras, *span, incident, audit)
        qtbot.addWidget(dialog)
        assert len(dialog.chosen()) == len(ids)
        dialog.target.setText(str(target))
        dialog.start_export()
        assert dialog.task is not None and not dialog.export_button.isEnabled()
        await dialog.task
        return dialog

    try:
        return loop.run_until_complete(asyncio.wait_for(scenario(), 60))
    finally:
        loop.run_until_complete(api.aclose())


def test_the_dialog_exports_shows_the_hash_and_audits_it(
    qtbot: Any, loop: asyncio.AbstractEventLoop, server: DemoServer, tmp_path: Path
) -> None:
    from console.actions.audit import AuditLog

    audit = AuditLog(tmp_path / "audit.jsonl")
    target = tmp_path / "out" / "evidence.zip"
    target.parent.mkdir()
    cameras = ("CAM-01", "CAM-02")
    dialog = export_in_dialog(qtbot, loop, server, cameras, (START, END), "INC-7", audit, target)
    with zipfile.ZipFile(target) as archive:
        digest = hashlib.sha256(archive.read("manifest.json")).hexdigest()
    assert dialog.hash.text() == digest and dialog.hash.isReadOnly()
    assert not dialog.hash.isHidden() and dialog.export_button.isEnabled()
    (entry,) = audit.entries()
    assert (entry["action"], entry["incident"]) == ("evidence-export", "INC-7")
    assert entry["result"] == f"sha256={digest} path={target}"
    assert verify(target) == []


def test_the_dialog_says_why_nothing_was_saved(
    qtbot: Any, loop: asyncio.AbstractEventLoop, server: DemoServer, tmp_path: Path
) -> None:
    from console.actions.audit import AuditLog

    audit = AuditLog(tmp_path / "audit.jsonl")
    empty = (START, START)
    target = tmp_path / "evidence"
    dialog = export_in_dialog(qtbot, loop, server, ("CAM-01",), empty, "", audit, target)
    assert "Nothing was saved" in dialog.status.text() and dialog.hash.isHidden()
    assert audit.entries()[0]["result"].startswith("failed:")
    assert leftovers(tmp_path) == ["audit.jsonl"]


def test_from_an_incident_the_nearest_cameras_and_its_span(
    qtbot: Any, loop: asyncio.AbstractEventLoop, server: DemoServer
) -> None:
    from console.domain.records import Incident
    from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
    from widgets.panel import PanelContext
    from widgets.video.evidence_dialog import _read, from_incident

    api = IocApi(server.url)
    try:
        cameras = loop.run_until_complete(api.cameras())
    finally:
        loop.run_until_complete(api.aclose())
    store = CameraStore()
    store.replace(cameras)
    context = PanelContext(store, IncidentTableModel(), KpiStore(), LayerStore(), recorders={})
    near = cameras[0]
    at = START + timedelta(minutes=2)
    incident = Incident.model_validate(
        {
            **dict(id="INC-9", title="Crash", category="traffic", priority="high"),
            **dict(status="received", source="citizen", district=near.district),
            **dict(lat=near.lat, lon=near.lon, created_at=at, updated_at=at, revision=1),
        }
    )
    dialog = from_incident(None, context, incident)
    qtbot.addWidget(dialog)
    assert dialog.chosen()[0].id == near.id and 1 <= len(dialog.chosen()) <= 4
    assert _read(dialog.start) == START and _read(dialog.end) == at + timedelta(minutes=3)
    assert dialog.incident_id == "INC-9"
