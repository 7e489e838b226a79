"""Looking back on the demo: live start, instant replay, seek, and a review group's drift.

    xvfb-run -a python -m tests.bench.playback --json [--samples 10] [--drift-s 60]

A real demo backend (recording since it started) and real camera tiles (libVLC playing
the backend's MJPEG) in one window:
- live_start_ms: a tile shown → its first live frame (the baseline of this run);
- replay_first_frame_ms: instant replay (30 s back) → the first recorded frame;
- seek_ms: −10 s within the recording → the first frame at the new time;
- group_drift_ms_max: four tiles reviewing the same moment (ReviewGroup), the widest gap
  between their recorded times over `--drift-s` seconds, sampled every 0.5 s. The times
  are the tiles' own positions (each anchored at its first frame, advanced by its clock):
  libVLC does not hand the stream's X-Frame-Time to the console.
PTZ and evidence-export figures are not measured here yet (null).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.bench.wall_sync import p95


async def until(condition: Callable[[], object], timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)  # the benchmark's poll: 10 ms resolution


async def measure(samples: int, drift_s: float) -> dict[str, Any]:
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QGridLayout, QWidget

    from console.demo.server import DemoServer
    from console.layout.panel_kinds import CameraConfig
    from console.sources.ioc.api import IocApi
    from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
    from widgets.panel import PanelContext
    from widgets.video.camera_panel import CameraPanel
    from widgets.video.review_group import ReviewGroup

    with DemoServer(seed=5) as demo:
        api = IocApi(demo.url)
        cameras = CameraStore()
        context = PanelContext(
            cameras, IncidentTableModel(), KpiStore(), LayerStore(), recorders={"": api}
        )
        cameras.replace(await api.cameras())
        ids = [c.id for c in cameras.cameras()][:4]
        window = QWidget()
        grid = QGridLayout(window)
        window.resize(QSize(1280, 720))
        window.show()
        live: list[float] = []
        tiles: list[CameraPanel] = []
        warm = CameraPanel(context, CameraConfig(camera=ids[0], profile="sub"))
        grid.addWidget(warm, 0, 0)  # the demo makes its clips on first use: not a start time
        await until(lambda: warm.state == "live", timeout=180)
        warm.shutdown()
        warm.deleteLater()
        for n in range(max(samples, 4)):
            tile = CameraPanel(context, CameraConfig(camera=ids[n % len(ids)], profile="sub"))
            grid.addWidget(tile, n // 2 % 2, n % 2)
            shown = time.monotonic()
            await until(lambda tile=tile: tile.state == "live" and tile.frames_decoded() > 0)
            live.append((time.monotonic() - shown) * 1000)
            tiles.append(tile)
            if len(tiles) > 4:
                old = tiles.pop(0)
                old.shutdown()
                old.deleteLater()
        await asyncio.sleep(31)  # thirty seconds of recording to look back on
        replay: list[float] = []
        seek: list[float] = []
        tile = tiles[0]
        for _ in range(samples):
            tile.playback.first_frame_s = None  # this sample's, not the last one's
            tile.playback.instant_replay()
            await until(lambda: tile.playback.first_frame_s is not None)
            replay.append(tile.playback.first_frame_s * 1000)
            tile.playback.first_frame_s = None
            tile.playback.step(-10)
            await until(lambda: tile.playback.first_frame_s is not None)
            seek.append(tile.playback.first_frame_s * 1000)
            tile.playback.back_to_live()
            await until(lambda: tile.state == "live")
        group = ReviewGroup([t.playback for t in tiles[:4]])
        group.start(datetime.now(UTC) - timedelta(seconds=25))
        await until(lambda: all(t.playback.first_frame_s is not None for t in tiles[:4]))
        drift: list[float] = []
        end = time.monotonic() + drift_s
        while time.monotonic() < end:
            drift.append(group.drift().total_seconds() * 1000)
            await asyncio.sleep(0.5)  # the sampling period
        for t in tiles:
            t.shutdown()
        window.close()
        await api.aclose()
    return {
        "samples": samples,
        "live_start_ms_p95": round(p95(live), 1),
        "live_start_ms_p50": round(statistics.median(live), 1),
        "replay_first_frame_ms_p95": round(p95(replay), 1),
        "replay_first_frame_ms_p50": round(statistics.median(replay), 1),
        "seek_ms_p95": round(p95(seek), 1),
        "seek_ms_p50": round(statistics.median(seek), 1),
        "group_drift_ms_max": round(max(drift), 1),
        "group_seconds": drift_s,
        "ptz_ms_p95_native": None,
        "ptz_ms_p95_onvif": None,
        "export_s": None,
        "ffmpeg_copy_s": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--drift-s", type=float, default=60.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from ioc_console import event_loop
    from widgets.qt_setup import configure_qt

    configure_qt()
    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # a tile replaced mid-run is no reason to stop
    result = event_loop.run(measure(args.samples, args.drift_s), app)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
