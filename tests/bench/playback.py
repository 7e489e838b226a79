"""Looking back on the demo: live start, instant replay, seek, and a review group's drift.

    xvfb-run -a python -m tests.bench.playback --json [--samples 10] [--drift-s 60]

A real demo backend (recording since it started) and real camera tiles (libVLC playing
the backend's MJPEG) in one window:
- live_start_ms: a tile shown → its first live picture on screen (the run's baseline);
- replay_first_frame_ms: instant replay (30 s back) → the first recorded picture;
- seek_ms: −10 s within the recording → the first picture at the new time;
- replay_running_ms / seek_running_ms: … → recorded time running (libVLC counts frames:
  it shows the first picture at once, then holds it until its network cache is full);
- group_drift_ms_max: four tiles reviewing the same moment (ReviewGroup), the widest gap
  between their recorded times over `--drift-s` seconds, sampled every 0.5 s. The times
  are the tiles' own positions (each anchored at its first frame, advanced by its clock):
  libVLC does not hand the stream's X-Frame-Time to the console.
- ptz_ms_p95_native: a native PTZ move → the first snapshot that differs from the
  unmoved picture of the same frame (20 moves on the demo's CAM-04); ptz_ms_p95_onvif
  the same through the demo's ONVIF device and the onvif-zeep-async client.
- export_s: evidence of 4 cameras × 5 minutes (seeded recordings) through the console's
  export (clips, snapshots, manifest, hashes), beside ffmpeg_copy_s: `ffmpeg -c copy` of
  the same spans fetched straight from the backend's clip endpoint (its ffmpeg remux
  alone, no hashing, snapshots or manifest), and their bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

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
            await until(lambda tile=tile: tile.has_picture())
            live.append((time.monotonic() - shown) * 1000)
            tiles.append(tile)
            if len(tiles) > 4:
                old = tiles.pop(0)
                old.shutdown()
                old.deleteLater()
        await asyncio.sleep(31)  # thirty seconds of recording to look back on
        replay: list[float] = []
        seek: list[float] = []
        running: dict[str, list[float]] = {"replay": [], "seek": []}
        tile = tiles[0]
        for _ in range(samples):
            for kind, samples_of in (("replay", replay), ("seek", seek)):
                tile.playback.running_s = None  # this sample's, not the last one's
                if kind == "replay":
                    tile.playback.instant_replay()
                else:
                    tile.playback.step(-10)
                await until(lambda: tile.playback.running_s is not None)
                samples_of.append(tile.playback.first_frame_s * 1000)
                running[kind].append(tile.playback.running_s * 1000)
            tile.playback.back_to_live()
            await until(lambda: tile.state == "live")
        group = ReviewGroup([t.playback for t in tiles[:4]])
        group.start(datetime.now(UTC) - timedelta(seconds=25))
        await until(lambda: all(t.playback.running_s is not None for t in tiles[:4]))
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
        "replay_running_ms_p95": round(p95(running["replay"]), 1),
        "seek_running_ms_p95": round(p95(running["seek"]), 1),
        "replay_vs_live_p95": round(p95(replay) / p95(live), 2),
        "group_drift_ms_max": round(max(drift), 1),
        "group_seconds": drift_s,
    }


def measure_ptz(moves: int = 20) -> dict[str, Any]:
    from console.demo.access import Access
    from console.demo.server import DemoServer
    from tests.test_ptz import CAM, TOKENS, move_until_moved, unmoved

    with DemoServer(seed=5, access=Access(tokens=dict(TOKENS))) as demo:
        from console.demo.onvif import USER

        # One operator name on both paths (the ONVIF account's): no hold in the way.
        headers = {"Authorization": "Bearer op-an", "X-Operator": USER}
        with httpx.Client(base_url=demo.url, headers=headers, timeout=30) as http:
            http.post(f"/api/v1/demo/cameras/{CAM}/status", json={"status": "online"})
            frames = unmoved(http)
            latencies = []
            for n in range(moves):
                speed = 1.0 if n % 2 == 0 else -1.0
                latencies.append(move_until_moved(http, frames, {"pan_speed": speed}) * 1000)
                http.post(f"/api/v1/cameras/{CAM}/ptz/stop")
                http.post(f"/api/v1/cameras/{CAM}/ptz/presets/home/goto")
            onvif = asyncio.run(onvif_moves(demo.url, http, frames, moves))
    return {"ptz_ms_p95_native": round(p95(latencies), 1), "ptz_ms_p95_onvif": round(p95(onvif), 1)}


async def onvif_moves(
    url: str, http: httpx.Client, frames: dict[int, bytes], moves: int
) -> list[float]:
    """The same moves through ONVIF (the demo's device, the real client library)."""
    from console.demo.onvif import DEFAULT_PASSWORD, USER
    from console.sources.onvif_ptz import OnvifLogin, OnvifPtz
    from tests.test_ptz import CAM, snapshot

    ptz = OnvifPtz(f"{url}/onvif/device_service#{CAM}", OnvifLogin(USER, DEFAULT_PASSWORD))
    latencies = []
    try:
        for n in range(moves):
            sent = time.perf_counter()
            await ptz.move(1.0 if n % 2 == 0 else -1.0, 0.0, 0.0)
            while (found := snapshot(http))[1] == frames[found[0]]:
                pass  # the next snapshot, at once: the figure is this wait
            latencies.append((time.perf_counter() - sent) * 1000)
            await ptz.stop()
            await ptz.goto("home")
    finally:
        await ptz.aclose()
    return latencies


def measure_export(folder: Path, minutes: float = 5.0) -> dict[str, Any]:
    """4 cameras × `minutes` of seeded recording: the console's export vs ffmpeg -c copy."""
    from zoneinfo import ZoneInfo

    from console.demo.server import DemoServer
    from console.sources.ioc.api import IocApi
    from console.video.evidence import EvidenceCamera, export_evidence

    now = float(int(time.time()))
    ids = ("CAM-01", "CAM-02", "CAM-03", "CAM-05")
    seeded = {cam: [(now - 3600, now - 60)] for cam in ids}
    start = datetime.fromtimestamp(now - 1800, UTC)
    end = start + timedelta(minutes=minutes)
    with DemoServer(seed=5, retention_s=7200.0, recorded=seeded) as demo:

        async def export() -> None:
            api = IocApi(demo.url)
            cameras = [EvidenceCamera(cam, cam) for cam in ids]
            try:
                await export_evidence(
                    api, cameras, start, end, folder / "evidence", "bench", "", ZoneInfo("UTC")
                )
            finally:
                await api.aclose()

        began = time.monotonic()
        asyncio.run(export())
        export_s = time.monotonic() - began
        exported = sum(f.stat().st_size for f in (folder / "evidence").iterdir())
        began = time.monotonic()
        with httpx.Client(base_url=demo.url, timeout=120) as http:
            for cam in ids:  # the backend's own ffmpeg -c copy of the span, nothing else
                window = {"start": start.isoformat(), "end": end.isoformat(), "profile": "main"}
                path = f"/api/v1/cameras/{cam}/clip.mkv"
                with (
                    http.stream("GET", path, params=window) as got,
                    (folder / f"{cam}.mkv").open("wb") as out,
                ):
                    for chunk in got.iter_bytes():
                        out.write(chunk)
        ffmpeg_s = time.monotonic() - began
        copied = sum((folder / f"{cam}.mkv").stat().st_size for cam in ids)
    return {
        "export_s": round(export_s, 2),
        "export_mb": round(exported / 2**20, 1),
        "ffmpeg_copy_s": round(ffmpeg_s, 2),
        "ffmpeg_copy_mb": round(copied / 2**20, 1),
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
    result |= measure_ptz()
    with tempfile.TemporaryDirectory(prefix="playback-bench-") as tmp:
        result |= measure_export(Path(tmp))
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
