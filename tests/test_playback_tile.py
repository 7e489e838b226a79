"""A camera tile in playback against the real demo backend: instant replay, seek, back to live.

Needs the backend's recordings and playback endpoints (console/demo/playback.py) and an X
display (run under xvfb-run, like the other video tests).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from functools import partial

from PySide6.QtCore import QSize

from console.layout.panel_kinds import CameraConfig
from console.sources.ioc.api import IocApi
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.policy import Timing
from tests.conftest import needs_display
from tests.test_wall_integration import wait_for
from widgets.panel import PanelContext
from widgets.video.camera_panel import CameraPanel

pytestmark = needs_display()
WAIT_S = 15.0  # generous for 2 busy cores; a first frame takes well under a second here


until = partial(wait_for, timeout=WAIT_S)


def test_instant_replay_seek_and_back_to_live(qtbot, loop, demo_url: str) -> None:
    api = IocApi(demo_url)
    cameras = CameraStore()
    context = PanelContext(
        cameras, IncidentTableModel(), KpiStore(), LayerStore(), recorders={"": api}
    )

    async def scenario() -> None:
        cameras.replace(await api.cameras())
        camera = cameras.cameras()[0]
        config = CameraConfig(camera=camera.id, profile="sub")
        panel = CameraPanel(context, config, timing=Timing(connect_timeout_s=20.0))
        qtbot.addWidget(panel)
        panel.resize(QSize(800, 600))
        panel.show()
        await until(lambda: panel.state == "live", "the live stream")
        live_url = panel.current_url

        asked = datetime.now(UTC)
        panel.playback.instant_replay()
        await until(lambda: panel.playback.active, "playback to start")
        position = panel.playback.position
        assert position is not None
        # 30 s ago, or where the ring starts while the demo has recorded less than that
        first = position.recording.spans[0].start
        expected = max(asked - timedelta(seconds=30), first)
        assert abs(position.anchor - expected) < timedelta(seconds=3)
        assert panel.styleSheet().startswith("CameraPanel { background: #f5a623")
        assert panel.playback.banner().startswith("PLAYBACK ")
        assert panel.playback.timeline.isVisible()
        assert panel.playback.timeline.strip.view.recording is not None
        assert panel.playback.timeline.strip.view.recording.spans
        # recorded time starts on the tile's next tick after the first frame, not on the frame
        await until(
            lambda: panel.frames_decoded() > 5 and panel.playback.running_s is not None,
            "recorded frames",
        )
        replay_s, running_s = panel.playback.first_frame_s, panel.playback.running_s
        assert replay_s is not None and panel.current_url is None  # live is parked
        assert running_s is not None and replay_s <= running_s  # a picture, then time runs

        panel.playback.step(-10)
        await until(lambda: (panel.playback.first_frame_s or 0) > 0, "the frame after a seek")
        await until(lambda: panel.frames_decoded() > 5, "frames after a seek")
        seek_s = panel.playback.first_frame_s
        print(f"first frame: instant replay {replay_s:.2f} s, seek {seek_s:.2f} s")

        panel.playback.back_to_live()
        assert not panel.playback.active and not panel.playback.timeline.isVisible()
        await until(lambda: panel.state == "live" and panel.current_url == live_url, "live again")
        assert panel.styleSheet().startswith("CameraPanel, QLabel { background: black")
        panel.shutdown()

    try:
        loop.run_until_complete(asyncio.wait_for(scenario(), 90))
    finally:
        loop.run_until_complete(api.aclose())


def test_a_camera_without_recordings_says_so_and_stays_live(qtbot, loop) -> None:
    from console.domain.records import Camera, CameraStatus

    camera = Camera(
        id="nowhere",
        name="Nowhere",
        district="D",
        lat=0,
        lon=0,
        status=CameraStatus.OFFLINE,
        streams={},
    )
    cameras = CameraStore()
    cameras.replace([camera])
    context = PanelContext(cameras, IncidentTableModel(), KpiStore(), LayerStore())
    panel = CameraPanel(context, CameraConfig(camera="nowhere"))
    qtbot.addWidget(panel)
    panel.show()
    panel.playback.instant_replay()
    assert panel.playback.timeline.isVisible() and not panel.playback.active
    assert panel.playback.timeline.strip.view.note == "No recordings for this camera"
    assert panel.playback.timeline.live.isEnabled()
    panel.playback.timeline.live.click()
    assert not panel.playback.timeline.isVisible()
    panel.shutdown()
