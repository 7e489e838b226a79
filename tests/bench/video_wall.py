"""Video wall benchmark: CPU of 16 console tiles vs 16 bare players, adaptive vs all-main.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m tests.bench.video_wall --json

H.264 clips (testsrc2, libx264) are made with ffmpeg into a temp dir at run time and served
by a real GStreamer RTSP server (tests/rtsp_server.py, Debian's python3-gi). Both sides use
the same engine (Qt Multimedia: Debian's libVLC cannot open rtsp://). CPU is this process's
user+system time over the same wall-clock window; the GUI stall is how late a 5 ms timer fires.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from console.domain.records import Camera, CameraStatus, StreamProfile
from console.layout.panel_kinds import CameraConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.budget import DecodeBudget
from widgets.panel import PanelContext
from widgets.qt_setup import configure_qt
from widgets.video.camera_panel import CameraPanel
from widgets.video.qt_player import FrameSurface, QtVideoPlayer

ROOT = Path(__file__).resolve().parents[2]
TILES = 16
FPS = 25


def make_clip(folder: Path, name: str, size: str, seconds: int) -> Path:
    path = folder / f"{name}.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={FPS}",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", str(FPS),
         "-bf", "0", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip
    return path


def start_server(mounts: dict[str, Path]) -> tuple[subprocess.Popen[str], int]:
    command = ["/usr/bin/python3", str(ROOT / "tests" / "rtsp_server.py"), "--port", "0"]
    for name, path in mounts.items():
        command += ["--mount", f"{name}=file:{path}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("READY"):
        raise SystemExit(f"RTSP server did not start: {line!r}")
    return process, int(line.split()[1])


def spin(seconds: float, until: Callable[[], bool] | None = None) -> None:
    """Run the Qt event loop for `seconds`, or until `until()` holds."""
    loop, deadline = QEventLoop(), time.monotonic() + seconds
    poll = QTimer(interval=100)
    poll.timeout.connect(
        lambda: loop.quit() if time.monotonic() > deadline or (until and until()) else None
    )
    poll.start()
    loop.exec()
    poll.stop()


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(
    window: QWidget, ready: Callable[[], bool], seconds: float
) -> tuple[float, list[float]]:
    """Cores used over `seconds` once `ready()`, and the event-loop stalls (ms) meanwhile."""
    window.show()
    spin(30, ready)
    spin(2)  # past the start-up burst
    stalls: list[float] = []
    last = [time.perf_counter()]
    probe = QTimer(interval=5)

    def tick() -> None:
        now = time.perf_counter()
        stalls.append(max(0.0, (now - last[0]) * 1000 - 5))
        last[0] = now

    probe.timeout.connect(tick)
    start_cpu, start = cpu_s(), time.monotonic()
    probe.start()
    spin(seconds)
    probe.stop()
    used = (cpu_s() - start_cpu) / (time.monotonic() - start)
    window.close()
    window.deleteLater()
    spin(1.5)  # let players stop and threads join before the next phase
    return used, stalls


def grid(widgets: list[QWidget]) -> QWidget:
    window = QWidget()
    layout = QGridLayout(window)
    layout.setSpacing(4)
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, index // 4, index % 4)
    window.resize(1920, 1080)
    return window


def console_wall(context: PanelContext, profile: str) -> tuple[QWidget, Callable[[], bool]]:
    budget = DecodeBudget(None)  # the budget would step main down: measure the choice alone
    panels = [
        CameraPanel(context, CameraConfig(camera=f"cam-{i:02d}", profile=profile), budget=budget)
        for i in range(TILES)
    ]
    return grid(list(panels)), lambda: all(p.frames_decoded() > 10 for p in panels)


def bare_wall(url: str) -> tuple[QWidget, Callable[[], bool]]:
    surfaces = [FrameSurface() for _ in range(TILES)]
    players = [QtVideoPlayer(surface) for surface in surfaces]
    window = grid(list(surfaces))
    window.destroyed.connect(lambda: [p.release() for p in players])
    for player in players:
        player.play(url, 300)
    return window, lambda: all(p.frames_decoded() > 10 for p in players)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    configure_qt()  # as the console does (no GL without a GPU, web engine flags)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="ioc-bench-") as tmp:
        long = int(args.seconds * 4 + 40)
        clips = {
            "sub": make_clip(Path(tmp), "sub", "640x360", long),
            "main": make_clip(Path(tmp), "main", "1280x720", long),
        }
        server, port = start_server(clips)
        try:
            urls = {name: f"rtsp://127.0.0.1:{port}/{name}" for name in clips}
            store = CameraStore()
            store.replace(
                Camera(
                    id=f"cam-{i:02d}", name=f"Camera {i + 1}", district="Đồng Xoài", lat=11.5,
                    lon=106.9, status=CameraStatus.ONLINE,
                    streams={
                        "main": StreamProfile(url=urls["main"], width=1280, height=720,
                                              codec="h264", fps=FPS),
                        "sub": StreamProfile(url=urls["sub"], width=640, height=360,
                                             codec="h264", fps=FPS),
                    },
                )
                for i in range(TILES)
            )  # fmt: skip
            context = PanelContext(store, IncidentTableModel(), KpiStore(), LayerStore())
            baseline, _ = measure(*bare_wall(urls["sub"]), args.seconds)
            console, stalls = measure(*console_wall(context, "auto"), args.seconds)
            all_main, _ = measure(*console_wall(context, "main"), args.seconds)
        finally:
            server.terminate()
            server.wait(10)
    quantiles = (
        statistics.quantiles(stalls, n=100, method="inclusive") if len(stalls) > 1 else [0.0] * 99
    )
    result = {
        "tiles": TILES,
        "engine": "qt",
        "stream": f"rtsp h264 640x360@{FPS}",
        "console_cpu": round(console, 3),
        "baseline_cpu": round(baseline, 3),
        "ratio": round(console / baseline, 3) if baseline else None,
        "main_cpu": round(all_main, 3),
        "adaptive_ratio": round(console / all_main, 3) if all_main else None,
        "stall_ms_p50": round(quantiles[49], 2),
        "stall_ms_p99": round(quantiles[98], 2),
        "stall_ms_max": round(max(stalls, default=0.0), 2),
        "cores": os.cpu_count(),
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    app.quit()


if __name__ == "__main__":
    main()
