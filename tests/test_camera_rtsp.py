"""Camera tiles against a real RTSP server (GStreamer, run with Debian's python3-gi).

Debian's libVLC cannot open rtsp:// (no live555): the tile must notice and play it with Qt
Multimedia on its own, and go stalled → offline → live when the server dies and returns.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QWidget

from console.domain.records import Camera, CameraStatus, StreamProfile
from console.layout.panel_kinds import CameraConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.budget import DecodeBudget
from console.video.policy import Timing
from widgets.panel import PanelContext
from widgets.video.camera_panel import CameraPanel

SERVER = Path(__file__).with_name("rtsp_server.py")
SYSTEM_PYTHON = "/usr/bin/python3"
FAST = Timing(stall_after_s=1.5, connect_timeout_s=8.0, backoff_base_s=0.3, backoff_cap_s=1.0)
LIVE_MS = 15_000  # RTSP: DESCRIBE, SETUP, then FFmpeg probes the stream


class RtspServer:
    """gst-rtsp-server in a child process; `stop()` kills it, `start()` brings it back."""

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen[str] | None = None
        self.mounts = {"live": "test:640x360@25"}

    def start(self) -> None:
        command = [SYSTEM_PYTHON, str(SERVER), "--port", str(self.port)]
        for name, source in self.mounts.items():
            command += ["--mount", f"{name}={source}"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # blocks until the server listens
        if not line.startswith("READY"):
            pytest.fail(f"RTSP server did not start: {line!r}")
        self.port = int(line.split()[1])

    def url(self, mount: str = "live") -> str:
        return f"rtsp://127.0.0.1:{self.port}/{mount}"

    def freeze(self) -> None:
        """The server goes silent but keeps its connections open, like a hung camera."""
        if self.process is not None:
            self.process.send_signal(signal.SIGSTOP)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def _has_gst_rtsp() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = "import gi; gi.require_version('GstRtspServer', '1.0')"
    return subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True).returncode == 0


@pytest.fixture
def rtsp() -> Iterator[RtspServer]:
    if not _has_gst_rtsp():
        pytest.skip("needs gstreamer1.0-rtsp, gir1.2-gst-rtsp-server-1.0 and python3-gi")
    server = RtspServer()
    server.start()
    yield server
    server.stop()


def _camera(url: str) -> Camera:
    stream = StreamProfile(url=url, width=640, height=360, codec="h264", fps=25)
    return Camera(
        id="bp-rtsp",
        name="Cầu Sông Bé",
        district="Phước Long",
        lat=11.8,
        lon=106.9,
        status=CameraStatus.ONLINE,
        streams={"sub": stream},
    )


@pytest.fixture
def make_panel(qtbot) -> Iterator[Callable[..., CameraPanel]]:
    store = CameraStore()
    context = PanelContext(store, IncidentTableModel(), KpiStore(), LayerStore())
    windows: list[QWidget] = []

    def make(url: str, timing: Timing = FAST, **config: object) -> CameraPanel:
        store.replace([_camera(url)])
        window = QWidget()
        windows.append(window)
        panel = CameraPanel(
            context, CameraConfig(**config), window, timing=timing, budget=DecodeBudget(None)
        )
        qtbot.addWidget(window)
        window.resize(QSize(640, 400))
        panel.resize(QSize(640, 400))
        window.show()
        return panel

    yield make


def _texts(panel: CameraPanel) -> list[str]:
    return [label.text() for label in panel.findChildren(QLabel)]


def test_rtsp_plays_with_qt_multimedia_when_libvlc_cannot(qtbot, rtsp, make_panel):
    panel = make_panel(rtsp.url())
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    assert panel.engine == "qt"
    decoded = panel.frames_decoded()
    qtbot.waitUntil(lambda: panel.frames_decoded() > decoded + 20, timeout=5000)
    assert "LIVE" in _texts(panel)


def test_a_layout_can_force_libvlc_and_is_told_why_rtsp_fails(qtbot, rtsp, make_panel):
    panel = make_panel(rtsp.url(), engine="vlc")
    qtbot.waitUntil(lambda: panel.state == "offline", timeout=LIVE_MS)
    assert panel.engine == "vlc"
    assert any("RTSP" in text for text in _texts(panel))


def test_rtsp_stream_that_dies_goes_stalled_offline_then_live_again(qtbot, rtsp, make_panel):
    panel = make_panel(rtsp.url())
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    states: list[str] = []
    panel.stateChanged.connect(states.append)
    rtsp.freeze()
    qtbot.waitUntil(lambda: panel.state == "stalled", timeout=5000)
    rtsp.stop()  # and then it is gone: every reconnect is refused
    qtbot.waitUntil(lambda: "offline" in states, timeout=LIVE_MS)
    assert states[0] == "stalled", states
    qtbot.waitUntil(lambda: any("Retrying in" in text for text in _texts(panel)), timeout=10000)
    rtsp.start()  # same port: the camera is back
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    decoded = panel.frames_decoded()
    qtbot.waitUntil(lambda: panel.frames_decoded() > decoded + 10, timeout=5000)


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


@pytest.mark.qt_log_ignore("Could not open media")  # Qt's words for each refused attempt
def test_200_rtsp_reconnect_cycles_keep_threads_and_memory_bounded(qtbot, rtsp, make_panel):
    """Each attempt makes a fresh QMediaPlayer (FFmpeg's threads): none may pile up."""
    quick = Timing(
        stall_after_s=1.0, connect_timeout_s=5.0, backoff_base_s=0.005, backoff_cap_s=0.01
    )
    panel = make_panel(rtsp.url(), timing=quick)
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    failures: list[str] = []
    panel.stateChanged.connect(lambda s: failures.append(s) if s == "offline" else None)
    rtsp.stop()  # every reconnect is refused and backs off
    qtbot.waitUntil(lambda: len(failures) >= 20, timeout=30_000)
    threads, rss = _threads(), _rss_mb()
    qtbot.waitUntil(lambda: len(failures) >= 220, timeout=120_000)
    assert _threads() <= threads + 3
    assert _rss_mb() < rss + 40
    rtsp.start()
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
