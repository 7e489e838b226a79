"""Video that never passes through Python: the render path, decoders, and what is on screen.

The pure choices are checked directly. Under Xvfb, 16 RTSP tiles from a real GStreamer server
must move on the screen itself (QScreen.grabWindow, not QWidget.grab: a window can be black on
screen while grab() still returns its content) beside a map that is not blank.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtMultimedia import QVideoFrame
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from console.domain.records import Camera, CameraStatus, StreamProfile
from console.layout.panel_kinds import CameraConfig, MapConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.budget import DecodeBudget
from console.video.decoders import DecoderPlan, plan_decoders
from console.video.health import Rates, TileFacts
from console.video.policy import Timing
from console.video.render import choose_render_path, is_software_renderer
from console.video.stats import FrameCounter, PlayerStats
from tests.conftest import needs_display
from tests.test_camera_rtsp import LIVE_MS, RtspServer, _has_gst_rtsp
from widgets.panel import PanelContext
from widgets.qt_setup import render_choice
from widgets.video.camera_panel import CameraPanel
from widgets.video.qt_player import QtVideoPlayer, VideoView, draw_video_views
from widgets.video.wall_health import WallHealth

ROOT = Path(__file__).resolve().parents[1]
# 16 RTSP sessions on two cores take seconds to set up: the wall rides through that.
PATIENT = Timing(stall_after_s=8.0, connect_timeout_s=30.0, backoff_base_s=0.3, backoff_cap_s=1.0)


def test_no_gpu_picks_software_rendering_and_settings_override() -> None:
    assert choose_render_path("auto", {}, [], "linux").path == "software"
    assert choose_render_path("auto", {}, ["/dev/dri/renderD128"], "linux").path == "gpu"
    on = {"LIBGL_ALWAYS_SOFTWARE": "1"}
    assert choose_render_path("auto", on, ["/dev/dri/renderD128"], "linux").path == "software"
    assert choose_render_path("gpu", {}, [], "linux").path == "gpu"
    assert choose_render_path("software", {}, ["/dev/dri/card0"], "linux").path == "software"
    assert choose_render_path("auto", {}, [], "win32").path == "gpu"
    assert is_software_renderer("llvmpipe (LLVM 15.0.6, 256 bits)")
    assert not is_software_renderer("Mesa Intel(R) UHD Graphics 620 (KBL GT2)")


def test_this_test_run_uses_the_path_the_machine_calls_for() -> None:
    """CI has no /dev/dri: the suite runs on the software path, with both variables set."""
    if render_choice().path == "software":
        assert os.environ.get("QT_QUICK_BACKEND") == "software"
        assert "--disable-gpu" in os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")


def test_decoder_plan_words_what_each_engine_is_told() -> None:
    vaapi_here = DecoderPlan("auto", ("vaapi", "vdpau"))
    assert vaapi_here.label == "vaapi" and vaapi_here.vlc_option() == ":avcodec-hw=any"
    assert vaapi_here.ffmpeg_types() is None  # Qt's own priority list
    none_here = DecoderPlan("auto", ())
    assert none_here.label == "software"
    forced = DecoderPlan("vaapi", ())
    assert forced.label == "software (vaapi unavailable)"
    assert forced.vlc_option() == ":avcodec-hw=vaapi" and forced.ffmpeg_types() == "vaapi"
    off = DecoderPlan("off", ("vaapi",))
    assert off.vlc_option() == ":avcodec-hw=none" and off.ffmpeg_types() == ","
    with pytest.raises(ValueError, match="unknown decoder"):
        plan_decoders("quantum")


def test_frames_are_counted_from_timestamps_not_one_by_one() -> None:
    counter = FrameCounter()
    assert counter.see(5_000_000, 25.0, "a") == 1  # the first frame sampled
    assert counter.see(6_000_000, 25.0, "b") == 26  # one second later: 25 more
    assert counter.see(6_000_000, 25.0, "b") == 26  # same frame: no progress
    assert counter.see(40_000, 25.0, "c") == 27  # the stream's clock restarted: still onwards
    assert counter.see(-1, 0.0, "d") == 28 and counter.see(-1, 0.0, "d") == 28  # no clock


def _clip(folder: Path, seconds: int = 60) -> Path:
    path = folder / "moving.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0",
         "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip
    return path


@pytest.fixture(scope="module")
def moving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RtspServer, Path]]:
    """A real RTSP server streaming a scrolling picture at 640x360@25, and an MP4 clip."""
    if not _has_gst_rtsp() or shutil.which("ffmpeg") is None:
        pytest.skip("needs gst-rtsp-server (python3-gi) and ffmpeg")
    clip = _clip(tmp_path_factory.mktemp("clip"))
    server = RtspServer()
    server.mounts = {"moving": "test:640x360@25/moving"}
    server.start()
    yield server, clip
    server.stop()


def _cameras(url: str, count: int) -> list[Camera]:
    stream = StreamProfile(url=url, width=640, height=360, codec="h264", fps=25)
    return [
        Camera(id=f"cam-{i:02d}", name=f"Camera {i + 1}", district="Đồng Xoài", lat=11.5 + i / 100,
               lon=106.9, status=CameraStatus.ONLINE, streams={"sub": stream})
        for i in range(count)
    ]  # fmt: skip


def _region(screen: QImage, widget: QWidget) -> QImage:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return screen.copy(QRect(top_left, widget.size()))


def _colours(image: QImage, step: int = 16) -> set[int]:
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


@needs_display()
def test_sixteen_tiles_move_on_screen_beside_a_map_that_renders(qtbot, moving) -> None:
    from widgets.map.panel import MapPanel

    server, _clip_path = moving
    store = CameraStore()
    store.replace(_cameras(server.url("moving"), 16))
    context = PanelContext(store, IncidentTableModel(), KpiStore(), LayerStore())
    window = QWidget()
    qtbot.addWidget(window)
    row = QHBoxLayout(window)
    wall, grid = QWidget(), QGridLayout()
    wall.setLayout(grid)
    budget = DecodeBudget(None)
    tiles = [
        CameraPanel(context, CameraConfig(camera=f"cam-{i:02d}"), timing=PATIENT, budget=budget)
        for i in range(16)
    ]
    for index, tile in enumerate(tiles):
        grid.addWidget(tile, index // 4, index % 4)
    map_panel = MapPanel(context, MapConfig())
    row.addWidget(wall, 3)
    row.addWidget(map_panel, 1)
    window.setGeometry(0, 0, 1900, 900)
    window.show()
    qtbot.waitUntil(lambda: all(t.state == "live" for t in tiles), timeout=LIVE_MS * 2)
    qtbot.waitUntil(map_panel.is_ready, timeout=15_000)
    views = [tile.findChild(VideoView) for tile in tiles]
    assert all(view is not None and view.isVisible() for view in views)
    surfaces = [view or tile for view, tile in zip(views, tiles, strict=True)]
    screen = window.screen()
    before: list[QImage] = []

    def all_painted() -> bool:
        """Live means frames arrive; the screen shows the first a moment later."""
        shot = screen.grabWindow(0).toImage()
        before[:] = [_region(shot, surface) for surface in surfaces]
        return all(len(_colours(image)) > 4 for image in before)

    qtbot.waitUntil(all_painted, timeout=10_000)  # fails: a tile is blank on screen

    def all_moved() -> bool:
        now = screen.grabWindow(0).toImage()
        return all(_region(now, s) != b for s, b in zip(surfaces, before, strict=True))

    qtbot.waitUntil(all_moved, timeout=5_000)
    map_colours = _colours(_region(screen.grabWindow(0).toImage(), map_panel))
    assert len(map_colours) >= 3, "the map beside the video is blank on screen"
    for tile in tiles:
        tile.shutdown()


def _bare_player(qtbot, url: str, low_fps: bool = False) -> QtVideoPlayer:
    """A Qt Multimedia player in its view, no tile around it."""
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(320, 180)
    view.show()
    player = QtVideoPlayer(view, DecoderPlan("auto", ()))
    player.play(url, 300, low_fps)
    return player


@needs_display()
def test_a_bare_player_plays_into_its_view_and_a_snapshot_is_one_frame(qtbot, moving) -> None:
    """No tile around it: frames counted from timestamps, every one shown, one converted."""
    server, _clip_path = moving
    player = _bare_player(qtbot, server.url("moving"))
    qtbot.waitUntil(lambda: player.frames_decoded() > 10, timeout=LIVE_MS)
    image = player.snapshot()
    assert image is not None and (image.width(), image.height()) == (640, 360)
    stats = player.stats()  # one reading: the decoder thread moves on between two
    assert stats.shown == stats.decoded
    player.release()


@needs_display()
def test_libvlc_says_when_its_first_picture_is_there_before_it_counts_frames(qtbot, moving) -> None:
    """Time to the first picture is what an operator waits for: libVLC shows it as soon as
    it is decoded and counts it a quarter second or more later. The player says "picture"
    only with one on screen, and not after it stopped."""
    from PySide6.QtGui import QGuiApplication

    from widgets.video.vlc_player import VideoPlayer, VideoSurface

    def colours() -> int:
        screen = QGuiApplication.primaryScreen().grabWindow(0).toImage()
        return len(_colours(_region(screen, surface)))

    _server, clip = moving
    surface = VideoSurface()
    qtbot.addWidget(surface)
    surface.resize(320, 180)
    surface.show()
    qtbot.waitExposed(surface)
    player = VideoPlayer(surface, DecoderPlan("auto", ()))
    assert not player.has_picture() and colours() <= 2
    player.play(clip.as_uri(), 300)
    try:
        qtbot.waitUntil(player.has_picture, timeout=LIVE_MS)
        qtbot.waitUntil(lambda: colours() > 8, timeout=LIVE_MS)  # the picture it meant
        player.stop()
        assert not player.has_picture()
    finally:
        player.release()


def test_a_forced_hardware_decoder_without_hardware_falls_back_to_software(moving) -> None:
    server, clip = moving
    if plan_decoders("auto").available:
        pytest.skip("this machine has a hardware decoder: nothing falls back")
    probe = subprocess.run(
        [sys.executable, "-m", "tests.decoder_probe", "--decoder", "vaapi",
         server.url("moving"), str(clip)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr[-2000:]
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    assert result["variable"] == "vaapi"  # Qt Multimedia was told to use VA-API only
    for engine in ("qt", "vlc"):
        assert result[engine]["engine"] == engine
        assert result[engine]["frames"] > 10, result  # it still plays, in software
        assert result[engine]["decoder"] == "software (vaapi unavailable)"


def test_health_rates_come_from_samples_of_the_counters() -> None:
    now = [100.0]
    rates = Rates(clock=lambda: now[0])
    facts = TileFacts("Cầu Sông Bé", "live", "sub", "software", PlayerStats(10, 10, 0))
    assert rates.read("a", facts).received_fps == 0.0  # first sample: no rate yet
    now[0] = 102.0
    later = TileFacts("Cầu Sông Bé", "live", "sub", "software", PlayerStats(60, 20, 3))
    reading = rates.read("a", later)
    assert (reading.received_fps, reading.shown_fps, reading.lost) == (25.0, 5.0, 3)
    assert reading.words() == "5.0/25.0 fps · software · sub · 3 lost"


@needs_display()
def test_wall_health_overlay_shows_fps_decoder_and_cpu_and_logs_them(qtbot, moving, caplog) -> None:
    server, _clip_path = moving
    store = CameraStore()
    store.replace(_cameras(server.url("moving"), 1))
    context = PanelContext(store, IncidentTableModel(), KpiStore(), LayerStore())
    holder = QWidget()  # the tile is deleted below; the holder is what qtbot closes
    qtbot.addWidget(holder)
    tile = CameraPanel(context, CameraConfig(camera="cam-00"), holder, timing=PATIENT,
                       budget=DecodeBudget(None))  # fmt: skip
    tile.resize(640, 420)
    holder.resize(640, 420)
    holder.show()
    qtbot.waitUntil(lambda: tile.state == "live", timeout=LIVE_MS)
    assert "Decoder: software" in tile.toolTip() and "Stream: sub" in tile.toolTip()
    health = WallHealth(log_every_s=0.5)
    health.register(tile)
    summaries: list[str] = []
    health.summaryChanged.connect(summaries.append)
    health.set_shown(True)
    label = next(x for x in tile.findChildren(QLabel) if "fps" in x.text() or x.text() == "…")
    qtbot.waitUntil(lambda: label.text().split("/")[0] not in ("0.0", "…"), timeout=5_000)
    assert label.isVisible() and "fps · software · sub" in label.text()
    assert summaries[-1].startswith("1/1 tiles live · CPU ")
    with caplog.at_level(logging.INFO, logger="widgets.video.wall_health"):
        qtbot.waitUntil(lambda: "Camera 1 [live]: " in caplog.text, timeout=5_000)
    assert "wall health: 1/1 tiles live" in caplog.text
    health.set_shown(False)
    assert not label.isVisible() and summaries[-1] == ""
    tile.shutdown()
    shiboken6.delete(tile)  # its Python wrapper lives on in this test: the log must not care
    health.log_now()
    health.set_shown(True)
    assert summaries[-1].startswith("0/0 tiles live")


@needs_display()
def test_lower_frame_rate_shows_five_frames_a_second_and_a_still_is_one_frame(
    qtbot, moving
) -> None:
    """The budget's third and fourth steps on the Qt engine: 5 fps relayed, then a still."""
    server, _clip_path = moving
    player = _bare_player(qtbot, server.url("moving"), low_fps=True)
    qtbot.waitUntil(lambda: player.frames_decoded() > 75, timeout=LIVE_MS)  # 3 s of stream
    stats = player.stats()
    assert 5 <= stats.shown <= stats.decoded / 3, stats  # about 5 of every 25
    still = player.snapshot()
    assert still is not None and not still.isNull()
    player.play(server.url("moving"), 300, True)  # reopened: no picture of the last stream
    assert not player.has_picture() and player.frames_decoded() == 0
    qtbot.waitUntil(player.has_picture, timeout=LIVE_MS)  # the new stream's own
    player.release()
    assert player.frames_decoded() == 0


PROBE_GPU_PATH = """
import logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stdout)
from widgets.qt_setup import configure_qt, report_rendering
configure_qt(render="gpu")
from PySide6.QtWidgets import QApplication
app = QApplication([])
report_rendering()
"""


@needs_display()
def test_a_gpu_path_on_a_software_renderer_is_named_in_the_log() -> None:
    """Someone forces --render gpu on a machine whose OpenGL is llvmpipe: the log says so."""
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    for name in ("QT_QUICK_BACKEND", "QT_XCB_GL_INTEGRATION"):
        env.pop(name, None)  # this test process set them for itself
    probe = subprocess.run(
        [sys.executable, "-c", PROBE_GPU_PATH], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert "rendering: gpu (GPU rendering was asked for)" in probe.stdout
    if render_choice().path == "software":  # this machine has no GPU: its GL is software
        assert "which runs on the CPU: start with --render software" in probe.stdout


def test_a_grab_without_the_screen_still_shows_the_video(qtbot) -> None:
    """Offscreen (a briefing exported on a server): grab() alone leaves the video out."""
    holder = QWidget()
    qtbot.addWidget(holder)
    QHBoxLayout(holder).addWidget(view := VideoView())
    holder.resize(400, 200)
    holder.show()
    picture = QImage(320, 180, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    view.videoSink().setVideoFrame(QVideoFrame(picture))
    qtbot.waitUntil(lambda: view.videoSink().videoFrame().isValid(), timeout=2_000)
    image = holder.grab().toImage()
    centre = view.geometry().center()
    assert QColor(image.pixel(centre)).name() != "#ff0000"  # what grab() alone gives
    draw_video_views(holder, image)
    assert QColor(image.pixel(centre)).name() == "#ff0000"
