"""PTZ against the real demo backend: the picture moves, holds, roles, presets, and the tile.

The demo's PTZ cameras draw each frame from where they look at its time, and the same view
of the same clip frame gives the same JPEG bytes, so "the picture moved" is "the bytes of
this frame index differ from the unmoved ones", and the direction is the shift between them.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from console.demo.access import Access
from console.demo.ptz import PRESETS_MAX, PTZ_CAMERAS
from console.demo.server import DemoServer
from console.layout.panel_kinds import CameraConfig
from console.sources.ioc.api import IocApi
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.policy import Timing
from tests.conftest import needs_display
from tests.test_wall_integration import wait_for as until
from widgets.panel import PanelContext
from widgets.video.camera_panel import CameraPanel

FPS, LOOP = 10.0, 20  # the demo clips: 2 s at 10 fps
CAM, TILE_CAM = PTZ_CAMERAS
TOKENS = {"op-an": "operator", "op-binh": "operator", "view": "viewer", "lead": "leader"}
SHIFT_PER_PAN = (1280 - 768) / 2 * 640 / 768  # sub-profile pixels per pan unit at zoom 1


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(seed=5, access=Access(tokens=dict(TOKENS))) as demo:
        with httpx.Client(base_url=demo.url) as http:
            for camera in PTZ_CAMERAS:  # the simulation must not take them offline
                http.post(f"/api/v1/demo/cameras/{camera}/status", json={"status": "online"})
        yield demo


def client(server: DemoServer, token: str = "op-an", operator: str = "an") -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}", "X-Operator": operator}
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def snapshot(http: httpx.Client, camera: str = CAM) -> tuple[int, bytes]:
    """(frame index, JPEG) of the camera's sub profile now."""
    response = http.get(f"/video/{camera}/snapshot.jpg", params={"profile": "sub"})
    assert response.status_code == 200, response.text
    tick = round(datetime.fromisoformat(response.headers["X-Frame-Time"]).timestamp() * FPS)
    return tick % LOOP, response.content


def unmoved(http: httpx.Client) -> dict[int, bytes]:
    """Every frame of the loop at home, in about one loop's time."""
    assert http.post(f"/api/v1/cameras/{CAM}/ptz/presets/home/goto").status_code == 200
    frames: dict[int, bytes] = {}
    deadline = time.monotonic() + 60  # the first call waits for the clip to be made
    while len(frames) < LOOP and time.monotonic() < deadline:
        index, jpeg = snapshot(http)
        frames[index] = jpeg
    assert len(frames) == LOOP
    return frames


def grey(jpeg: bytes) -> np.ndarray[Any, np.dtype[np.float32]]:
    image = QImage.fromData(jpeg).convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width()].astype(np.float32)


def shift(before: bytes, after: bytes) -> int:
    """How far the picture's content moved left (the camera turned right), in pixels."""
    a, b = grey(before), grey(after)
    width = a.shape[1]

    def cost(s: int) -> float:
        if s >= 0:
            return float(np.mean(np.abs(b[:, : width - s] - a[:, s:])))
        return float(np.mean(np.abs(b[:, -s:] - a[:, : width + s])))

    return min(range(-200, 201), key=cost)


def move_until_moved(
    http: httpx.Client, frames: dict[int, bytes], speeds: dict[str, float]
) -> float:
    """Seconds from sending a move to the first snapshot that differs from the unmoved one."""
    sent = time.perf_counter()
    assert http.post(f"/api/v1/cameras/{CAM}/ptz/move", json=speeds).status_code == 200
    while True:
        index, jpeg = snapshot(http)
        if jpeg != frames[index]:
            return time.perf_counter() - sent
        assert time.perf_counter() - sent < 2.0, "the picture did not move"


def test_a_move_turns_the_picture_within_300_ms_and_stop_stops(server: DemoServer) -> None:
    with client(server) as http:
        frames = unmoved(http)
        latencies = []
        for i in range(20):
            speed = 1.0 if i % 2 == 0 else -1.0
            latencies.append(move_until_moved(http, frames, {"pan_speed": speed}))
            http.post(f"/api/v1/cameras/{CAM}/ptz/stop")
            http.post(f"/api/v1/cameras/{CAM}/ptz/presets/home/goto")
        p95 = statistics.quantiles(latencies, n=20)[18]
        p50 = statistics.median(latencies)
        print(
            f"native PTZ command -> picture moving: p50 {p50 * 1e3:.0f} ms, p95 {p95 * 1e3:.0f} ms"
        )
        assert max(latencies) < 2.0  # moving at all; the figure is tests/bench/playback.py's

        move_until_moved(http, frames, {"pan_speed": 1.0})
        while http.get(f"/api/v1/cameras/{CAM}/ptz").json()["position"]["pan"] < 0.3:
            pass  # the camera turns at 1 pan unit per second
        stopped = http.post(f"/api/v1/cameras/{CAM}/ptz/stop").json()
        assert not stopped["moving"]
        pan = stopped["position"]["pan"]
        assert http.get(f"/api/v1/cameras/{CAM}/ptz").json()["position"]["pan"] == pan
        index, jpeg = snapshot(http)
        moved = shift(frames[index], jpeg)
        assert moved > 0 and abs(moved - pan * SHIFT_PER_PAN) <= 4  # turned right: content left


def test_presets_save_and_go_to(server: DemoServer) -> None:
    with client(server) as http:
        base = f"/api/v1/cameras/{CAM}/ptz"
        names = [item["name"] for item in http.get(f"{base}/presets").json()["items"]]
        assert "home" in names
        http.post(f"{base}/move", json={"tilt_speed": 1.0, "zoom_speed": 1.0})
        while http.get(base).json()["position"]["zoom"] < 1.5:
            pass
        spot = http.post(f"{base}/stop").json()["position"]
        saved = http.put(f"{base}/presets/gate")
        assert saved.status_code == 200 and "gate" in [i["name"] for i in saved.json()["items"]]
        assert http.post(f"{base}/presets/home/goto").json()["position"]["zoom"] == 1.0
        assert http.post(f"{base}/presets/gate/goto").json()["position"] == spot
        assert http.post(f"{base}/presets/nowhere/goto").status_code == 404
        held = len(http.get(f"{base}/presets").json()["items"])
        for n in range(PRESETS_MAX - held):  # a camera's preset memory is bounded
            assert http.put(f"{base}/presets/spot {n}").status_code == 200
        full = http.put(f"{base}/presets/one too many")
        assert full.status_code == 409 and f"keeps {PRESETS_MAX} presets" in full.text
        assert http.put(f"{base}/presets/gate").status_code == 200  # replacing one still works


def test_a_camera_held_by_another_operator_is_refused_with_who_and_until(
    server: DemoServer,
) -> None:
    with client(server) as an, client(server, "op-binh", "binh") as binh:
        assert an.post(f"/api/v1/cameras/{CAM}/ptz/stop").status_code == 200
        refused = binh.post(f"/api/v1/cameras/{CAM}/ptz/move", json={"pan_speed": 0.5})
        assert refused.status_code == 409
        holder = refused.json()["holder"]
        assert holder["operator"] == "an" and datetime.fromisoformat(holder["until"])
        assert "held by an" in refused.json()["detail"]
        assert binh.get(f"/api/v1/cameras/{CAM}/ptz").json()["holder"] == holder


def test_viewers_and_fixed_cameras_are_refused_in_words(server: DemoServer) -> None:
    with client(server, "view", "vy") as viewer, client(server, "lead", "lan") as leader:
        assert viewer.get(f"/api/v1/cameras/{TILE_CAM}/ptz").status_code == 200
        for method, path in (("POST", "move"), ("POST", "stop"), ("PUT", "presets/x")):
            answer = viewer.request(method, f"/api/v1/cameras/{TILE_CAM}/ptz/{path}", json={})
            assert answer.status_code == 403 and "viewer" in answer.json()["detail"]
        fixed = leader.post("/api/v1/cameras/CAM-01/ptz/move", json={"pan_speed": 1})
        assert fixed.status_code == 404
        assert fixed.json()["detail"] == "Camera CAM-01 cannot pan, tilt or zoom."
        assert leader.get("/api/v1/cameras/CAM-99/ptz").status_code == 404


def _mouse(kind: QEvent.Type, at: QPointF, buttons: Qt.MouseButton) -> QMouseEvent:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    return QMouseEvent(kind, at, at, button, buttons, Qt.KeyboardModifier.NoModifier)


@needs_display()
def test_dragging_in_the_tile_moves_the_camera_and_release_stops_it(
    qtbot: Any, loop: asyncio.AbstractEventLoop, server: DemoServer
) -> None:
    auth = {"Authorization": "Bearer lead"}
    api = IocApi(server.url, httpx.AsyncClient(base_url=server.url, headers=auth, timeout=10))
    cameras = CameraStore()
    context = PanelContext(
        cameras, IncidentTableModel(), KpiStore(), LayerStore(), recorders={"": api}
    )
    calls: list[str] = []

    async def scenario() -> None:
        cameras.replace(await api.cameras())
        panel = CameraPanel(
            context,
            CameraConfig(camera=TILE_CAM, profile="sub"),
            timing=Timing(connect_timeout_s=20.0),
        )
        qtbot.addWidget(panel)
        panel.resize(QSize(800, 600))
        panel.show()
        await until(lambda: panel.ptz.available, "the PTZ probe")
        real = panel.ptz.client
        assert real is not None and "home" in panel.ptz.presets

        class Spy:
            def __getattr__(self, name: str) -> Any:
                calls.append(name)
                return getattr(real, name)

        panel.ptz.client = Spy()  # type: ignore[assignment]
        picture = panel.ptz._picture
        centre = QPointF(picture.width() / 2, picture.height() / 2)
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        QApplication.sendEvent(picture, _mouse(QEvent.Type.MouseButtonPress, centre, left))
        QApplication.sendEvent(
            picture, _mouse(QEvent.Type.MouseMove, centre + QPointF(200, 0), left)
        )
        # "move" is in calls when the request is made, not when the camera has it
        await until(
            lambda: "move" in calls and panel.ptz._task is not None and panel.ptz._task.done(),
            "a move answered",
        )
        status = await real.status()
        assert status.moving and status.holder == real.operator  # type: ignore[attr-defined]
        QApplication.sendEvent(picture, _mouse(QEvent.Type.MouseButtonRelease, centre, none))
        await until(lambda: "stop" in calls, "a stop request")
        await until(lambda: not (panel.ptz._task and not panel.ptz._task.done()), "the stop")
        assert not (await real.status()).moving
        assert calls.index("move") < calls.index("stop")
        panel.shutdown()

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 90))
    finally:
        loop.run_until_complete(api.aclose())
