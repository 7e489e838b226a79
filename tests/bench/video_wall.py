"""Video wall benchmark: RTSP tiles on Qt Multimedia, against bare players and the old path.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m tests.bench.video_wall --json

Live x264 test patterns (`test:WxH@25/moving`) from a real GStreamer RTSP server
(tests/rtsp_server.py, Debian's python3-gi); no clip, no ffmpeg. In a 1920×1080 window:
baseline (16 bare QtVideoPlayers, 640×360), console (16 CameraPanels, auto, unlimited budget),
main (the same on 1280×720), python_path (every frame through a Python slot, the old way),
36 tiles under the real decode budget (it degrades them, with a badge), and 5 fresh walls
timed from show() to all live. CPU is this process's user+system time (decoder threads too)
over one wall-clock window from 2 s after every tile is ready; the GUI stall is how late a
5 ms timer fires. On xcb the whole run is repeated on the offscreen platform in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import select
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer, QUrl
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtMultimedia import QMediaPlayer, QPlaybackOptions, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QApplication, QGridLayout, QSizePolicy, QWidget

from console.domain.records import Camera, CameraStatus, StreamProfile
from console.layout.panel_kinds import CameraConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.budget import DecodeBudget, budget_from_env
from console.video.policy import Timing
from widgets.panel import PanelContext
from widgets.qt_setup import configure_qt, decoder_plan, render_choice
from widgets.video.camera_panel import CameraPanel
from widgets.video.qt_player import QtVideoPlayer, VideoView

ROOT = Path(__file__).resolve().parents[2]
TILES, BIG_WALL, START_RUNS, FPS = 16, 36, 5, 25
SOURCES = {"sub": (640, 360), "main": (1280, 720)}
LIVE_TIMEOUT_S = 30.0
# gst-rtsp-server seeks a shared live stream back to 0 at every client's PLAY (FFmpeg asks for
# "Range: npt=0-"), which freezes every other client while tiles join; a camera does not. With
# the console's 4 s stall timeout the tiles would keep reconnecting, each reconnect freezing the
# others again. A patient timeout lets the wall settle; `Progress` checks that pictures move.
PATIENT = Timing(stall_after_s=30.0, connect_timeout_s=60.0)
STARTED = time.monotonic()

# One client per mount, started first and kept: the stream already flows when tiles join, as
# a camera's does (a first burst of joiners once made gst-rtsp-server 1.22 assert and die).
KEEP_ALIVE = """
import sys, gi
gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst
Gst.init(None)
waiting, pipes = set(sys.argv[1:]), []
def first_buffer(pad, info, url):
    waiting.discard(url)
    if not waiting:
        print("READY", flush=True)
    return Gst.PadProbeReturn.REMOVE
for url in sys.argv[1:]:
    pipes.append(Gst.parse_launch(f"rtspsrc location={url} ! fakesink name=sink"))
    pad = pipes[-1].get_by_name("sink").get_static_pad("sink")
    pad.add_probe(Gst.PadProbeType.BUFFER, first_buffer, url)
    pipes[-1].set_state(Gst.State.PLAYING)
GLib.MainLoop().run()
"""


def start(command: list[str], what: str) -> tuple[subprocess.Popen[str], str]:
    """Start `command` and wait (20 s at most) for its first line, which must say READY."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline() if select.select([process.stdout], [], [], 20)[0] else ""
    if not line.startswith("READY"):
        process.kill()
        raise SystemExit(f"{what} did not start: {line!r}")
    return process, line


def start_server() -> tuple[list[subprocess.Popen[str]], dict[str, str]]:
    """The RTSP server, and a client keeping each of its mounts streaming."""
    command = ["/usr/bin/python3", str(ROOT / "tests" / "rtsp_server.py"), "--port", "0"]
    for name, (width, height) in SOURCES.items():
        command += ["--mount", f"{name}=test:{width}x{height}@{FPS}/moving"]
    server, line = start(command, "RTSP server")
    urls = {name: f"rtsp://127.0.0.1:{line.split()[1]}/{name}" for name in SOURCES}
    try:
        client, _ = start(["/usr/bin/python3", "-c", KEEP_ALIVE, *urls.values()], "RTSP client")
    except SystemExit:
        server.kill()
        raise
    return [client, server], urls


def note(text: str) -> None:
    print(f"video_wall {time.monotonic() - STARTED:5.1f} s: {text}", file=sys.stderr, flush=True)


def spin(seconds: float, until: Callable[[], bool] | None = None, poll_ms: int = 100) -> None:
    """Run the Qt event loop for `seconds`, or until `until()` holds (asked every `poll_ms`).

    Checked between event batches, not by a timer: a GUI thread busy painting video can starve
    timers for many seconds, and the deadline must hold anyway.
    """
    loop, deadline, ask_at = QEventLoop(), time.monotonic() + seconds, 0.0
    wake = QTimer(interval=poll_ms)  # waiting for events never outlasts the deadline
    wake.start()
    while (now := time.monotonic()) < deadline:
        if until is not None and now >= ask_at:
            if until():
                break
            ask_at = now + poll_ms / 1000
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    wake.stop()


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Wall:
    window: QWidget
    ready: Callable[[], bool]
    stops: list[Callable[[], None]]  # every player's, called before the window goes
    panels: list[CameraPanel] = field(default_factory=list)


@dataclass
class Measured:
    cpu: float  # cores
    stalls: list[float]  # ms late, one per 5 ms tick
    seconds: float  # the window actually measured


def measure(wall: Wall, seconds: float, sample: Callable[[], None] | None = None) -> Measured:
    """Cores used over `seconds` once every tile is ready, and the event-loop stalls (ms).

    `sample` runs at the start, every 500 ms and at the end of the window. Disposes the wall.
    """
    wall.window.show()
    spin(2 * LIVE_TIMEOUT_S, wall.ready)
    ready = wall.ready()
    spin(2)  # past the start-up burst
    stalls: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        stalls.append(max(0.0, (now - last[0]) * 1000 - 5))
        last[0] = now

    probe, sampler = QTimer(interval=5), QTimer(interval=500)
    probe.timeout.connect(tick)
    if sample is not None:
        sampler.timeout.connect(sample)
        sample()
        sampler.start()
    start_cpu, start = cpu_s(), time.monotonic()
    probe.start()
    spin(seconds)
    probe.stop()
    elapsed = time.monotonic() - start
    used = (cpu_s() - start_cpu) / elapsed
    sampler.stop()
    if sample is not None:
        sample()
    states = "".join(panel.state[0] for panel in wall.panels)  # c, l, s, o, e per tile
    note(f"ready {ready} {states}, {used:.2f} cores")
    dispose(wall)
    return Measured(used, stalls, elapsed)


def dispose(wall: Wall) -> None:
    for stop in wall.stops:
        stop()
    wall.window.close()
    wall.window.deleteLater()
    # spin() runs no nested event loop, so deferred deletes must be asked for
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    spin(1.5)  # let players stop and threads join before the next phase


def grid(widgets: Sequence[QWidget], columns: int) -> QWidget:
    window = QWidget()
    layout = QGridLayout(window)
    layout.setSpacing(4)
    for index, widget in enumerate(widgets):
        # As the wall's PanelFrame: the grid decides sizes, not a tile's status bar text
        widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout.addWidget(widget, index // columns, index % columns)
    window.resize(1920, 1080)
    return window


def console_wall(
    context: PanelContext, profile: str, budget: DecodeBudget, tiles: int = TILES
) -> Wall:
    config = [CameraConfig(camera=f"cam-{i:02d}", profile=profile) for i in range(tiles)]
    panels = [CameraPanel(context, c, timing=PATIENT, budget=budget) for c in config]

    def ready() -> bool:  # a still tier stops decoding: its badge says so
        return all(p.state == "live" and (p.frames_decoded() > 10 or p.badge()) for p in panels)

    return Wall(grid(panels, round(tiles**0.5)), ready, [p.shutdown for p in panels], panels)


def bare_wall(url: str) -> Wall:
    views = [VideoView() for _ in range(TILES)]
    players = [QtVideoPlayer(view, decoder_plan()) for view in views]
    for player in players:
        player.play(url, 300)
    ready = lambda: all(p.frames_decoded() > 10 for p in players)  # noqa: E731
    return Wall(grid(views, 4), ready, [p.release for p in players])


class PythonPathTile(QWidget):
    """The old way: each frame reaches a Python slot, is converted and painted scaled."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.frames, self._frame = 0, QVideoFrame()
        self._sink = QVideoSink(self)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self.player = QMediaPlayer(self)
        options = QPlaybackOptions()
        options.setPlaybackIntent(QPlaybackOptions.PlaybackIntent.LowLatencyStreaming)
        self.player.setPlaybackOptions(options)
        self.player.setVideoSink(self._sink)
        self.player.setSource(QUrl(url))
        self.player.play()

    def _on_frame(self, frame: QVideoFrame) -> None:
        self._frame = frame
        self.frames += 1
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self._frame.isValid():
            painter.drawImage(self.rect(), self._frame.toImage())

    def stop(self) -> None:
        self.player.stop()
        self.player.setVideoSink(None)  # type: ignore[arg-type]
        self.player.setSource(QUrl())


def python_path_wall(url: str) -> Wall:
    tiles = [PythonPathTile(url) for _ in range(TILES)]
    ready = lambda: all(t.frames > 10 for t in tiles)  # noqa: E731
    return Wall(grid(tiles, 4), ready, [t.stop for t in tiles])


class Progress:
    """Frames each tile decoded over the window (a reconnect restarts its counter at 0), the
    longest time it went without a new one, and its badge and state at the last sample."""

    def __init__(self, panels: list[CameraPanel]) -> None:
        self.panels, count = panels, len(panels)
        self.frames, self.longest_gap = [0] * count, [0.0] * count
        self.shown = [0] * count  # frames drawn (5 a second on the lower frame rate)
        self._last: list[int | None] = [None] * count
        self._last_shown: list[int | None] = [None] * count
        self._moved_at = [0.0] * count
        self.final: list[tuple[str, str, bool]] = []  # state, badge, still tier

    def sample(self) -> None:
        now = time.monotonic()
        for i, panel in enumerate(self.panels):
            stats = panel.health_facts().stats
            count, last = stats.decoded, self._last[i]
            step = 0 if last is None else count - last if count >= last else count
            self.frames[i] += step
            shown, before = stats.shown, self._last_shown[i]
            self.shown[i] += 0 if before is None else shown - before if shown >= before else shown
            self._last_shown[i] = shown
            if last is None or step > 0:
                self._moved_at[i] = now
            self.longest_gap[i] = max(self.longest_gap[i], now - self._moved_at[i])
            self._last[i] = count
        self.final = [(p.state, p.badge(), bool(p.tier and p.tier.still)) for p in self.panels]


def big_wall(context: PanelContext, seconds: float) -> dict[str, Any]:
    """36 tiles under a fresh budget made like shared_budget(): it degrades, with badges."""
    wall = console_wall(context, "auto", DecodeBudget(budget_from_env()), BIG_WALL)
    progress = Progress(wall.panels)
    measured = measure(wall, seconds, progress.sample)
    fps, received, ok = [], [], 0
    for frames, shown, gap, (state, badge, still) in zip(
        progress.frames, progress.shown, progress.longest_gap, progress.final, strict=True
    ):
        fps.append(0.0 if still else round(shown / measured.seconds, 1))
        received.append(0.0 if still else round(frames / measured.seconds, 1))
        ok += bool(badge) or (state == "live" and frames > 0 and gap < 2.0)
    return {
        "tiles_36_live": ok,
        "stall_ms_p99_36": quantile(measured.stalls, 99),
        "stall_ms_max_36": round(max(measured.stalls, default=0.0), 2),
        "cpu_36": round(measured.cpu, 3),
        "fps_shown_36": fps,
        "fps_received_36": received,
        "badges_36": sum(bool(badge) for _, badge, _ in progress.final),
    }


def time_to_live(context: PanelContext) -> float | None:
    """Ms from show() until every tile of a fresh 16-tile wall is live (None: timed out)."""
    wall = console_wall(context, "auto", DecodeBudget(None))

    def all_live() -> bool:
        return all(panel.state == "live" for panel in wall.panels)

    start = time.perf_counter()
    wall.window.show()
    spin(LIVE_TIMEOUT_S, all_live, poll_ms=20)
    elapsed, live = (time.perf_counter() - start) * 1000, all_live()
    note(f"all live: {live} after {elapsed:.0f} ms")
    dispose(wall)
    return round(elapsed, 1) if live else None


def quantile(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return round(values[0], 2) if values else 0.0
    return round(statistics.quantiles(values, n=100, method="inclusive")[percent - 1], 2)


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def run_offscreen(env: dict[str, str], seconds: float) -> dict[str, Any]:
    """This benchmark again on the offscreen platform, in its own process."""
    command = [sys.executable, "-m", "tests.bench.video_wall", "--json", "--no-offscreen"]
    env = {**env, "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run(
            [*command, "--seconds", str(seconds)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 600 s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-500:]}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring window per phase")
    again = "repeat on the offscreen platform in a subprocess (default: when on xcb)"
    parser.add_argument("--offscreen-too", dest="offscreen", action="store_true", help=again)
    parser.add_argument("--no-offscreen", dest="offscreen", action="store_false")
    args = parser.parse_args(namespace=argparse.Namespace(offscreen=None))
    env = dict(os.environ)  # before configure_qt adds the xcb-only settings
    configure_qt()  # as the console does (software rendering without a GPU, ...)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    platform = app.platformName()
    processes, urls = start_server()
    try:
        streams = {
            name: StreamProfile(url=urls[name], width=w, height=h, codec="h264", fps=FPS)
            for name, (w, h) in SOURCES.items()
        }
        store = CameraStore()
        store.replace(
            Camera(
                id=f"cam-{i:02d}", name=f"Camera {i + 1}", district="Đồng Xoài", lat=11.5,
                lon=106.9, status=CameraStatus.ONLINE, streams=dict(streams),
            )
            for i in range(BIG_WALL)
        )  # fmt: skip
        context = PanelContext(store, IncidentTableModel(), KpiStore(), LayerStore())
        walls: dict[str, Callable[[], Wall]] = {
            "baseline": lambda: bare_wall(urls["sub"]),
            "console": lambda: console_wall(context, "auto", DecodeBudget(None)),
            "main": lambda: console_wall(context, "main", DecodeBudget(None)),
            "python_path": lambda: python_path_wall(urls["sub"]),
        }
        runs = {name: measure(make(), args.seconds) for name, make in walls.items()}
        big = big_wall(context, args.seconds)
        starts = [time_to_live(context) for _ in range(START_RUNS)]
        died = any(process.poll() is not None for process in processes)
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:  # its GLib loop may not see SIGTERM in time
                process.kill()
                process.wait(10)
    start_ms = [LIVE_TIMEOUT_S * 1000 if ms is None else ms for ms in starts]
    console, python_path = runs["console"], runs["python_path"]
    result: dict[str, Any] = {
        "tiles": TILES,
        "platform": platform,
        "render": render_choice().path,
        "stream": f"rtsp h264 640x360@{FPS} (main 1280x720)",
        "baseline_cpu": round(runs["baseline"].cpu, 3),
        "console_cpu": round(console.cpu, 3),
        "ratio": ratio(console.cpu, runs["baseline"].cpu),
        "main_cpu": round(runs["main"].cpu, 3),
        "adaptive_ratio": ratio(console.cpu, runs["main"].cpu),
        "stall_ms_p50": quantile(console.stalls, 50),
        "stall_ms_p99": quantile(console.stalls, 99),
        "stall_ms_max": round(max(console.stalls, default=0.0), 2),
        "python_path_cpu": round(python_path.cpu, 3),
        "python_path_stall_ms_p99": quantile(python_path.stalls, 99),
        "python_path_stall_ms_max": round(max(python_path.stalls, default=0.0), 2),
        **big,
        "start_all_live_ms_p95": quantile(start_ms, 95),
        "start_all_live_ms": start_ms,
        "start_all_live_timeouts": starts.count(None),
        "cores": os.cpu_count(),
    }
    if died:
        result["error"] = "the RTSP server or its keep-alive client died during the run"
    if args.offscreen if args.offscreen is not None else platform == "xcb":
        result["offscreen"] = run_offscreen(env, args.seconds)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    app.quit()


if __name__ == "__main__":
    main()
