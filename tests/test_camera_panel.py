"""CameraPanel against a real MJPEG-over-HTTP camera served from this process.

The server streams JPEG frames made by Debian's ffmpeg and can pause mid-play, the way a
camera behind a failing uplink goes silent, so stall detection and reconnects run for real.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget

from console.domain.records import Camera, CameraStatus, StreamProfile
from console.layout.panel_kinds import CameraConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.video.budget import DecodeBudget
from console.video.policy import Timing, backoff_delay, choose_profile
from tests.conftest import needs_display
from widgets.panel import PanelContext
from widgets.video.camera_panel import CameraPanel

FAST = Timing(stall_after_s=1.0, connect_timeout_s=5.0, backoff_base_s=0.2, backoff_cap_s=1.0)
LIVE_MS = 10_000  # generous for 2 busy cores; first frame takes ~0.5 s here
TILE = QSize(640, 400)


class MjpegServer:
    """Endless multipart/x-mixed-replace streams at /main and /sub; `pause()` goes silent."""

    def __init__(self, frames: dict[str, list[bytes]], fps: float = 15.0) -> None:
        self.frames, self.fps = frames, fps
        self.sending, self.closing = threading.Event(), threading.Event()
        self.sending.set()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"

    def pause(self) -> None:
        """Open streams stop sending (no close); new requests get 503."""
        self.sending.clear()

    def resume(self) -> None:
        self.sending.set()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                frames = server.frames.get(self.path.strip("/"))
                if frames is None or not server.sending.is_set():
                    self.send_error(404 if frames is None else 503)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
                self.end_headers()
                index = 0
                try:
                    while not server.closing.is_set():
                        if not server.sending.wait(0.1):
                            continue
                        jpeg = frames[index % len(frames)]
                        index += 1
                        head = f"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}"
                        self.wfile.write(head.encode() + b"\r\n\r\n" + jpeg + b"\r\n")
                        server.closing.wait(1 / server.fps)  # pacing, not synchronisation
                except OSError:
                    pass  # the player hung up

        return Handler

    def __enter__(self) -> MjpegServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _make_frames(folder: Path, size: str) -> list[bytes]:
    folder.mkdir()
    source = f"testsrc2=size={size}:rate=15"
    command = ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", source, "-t", "2"]
    subprocess.run([*command, "-q:v", "6", str(folder / "f%03d.jpg")], check=True)
    return [path.read_bytes() for path in sorted(folder.glob("*.jpg"))]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MjpegServer]:
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs Debian's ffmpeg to make test clips")
    root = tmp_path_factory.mktemp("clips")
    frames = {
        "sub": _make_frames(root / "sub", "640x360"),
        "main": _make_frames(root / "main", "1280x720"),
    }
    with MjpegServer(frames) as running:
        yield running


def _camera(server: MjpegServer, camera_id: str = "bp-001", status: str = "online") -> Camera:
    def profile(name: str, width: int, height: int) -> StreamProfile:
        return StreamProfile(
            url=server.url(name), width=width, height=height, codec="mjpeg", fps=15
        )

    return Camera(
        id=camera_id,
        name="Ngã tư Phú Riềng Đỏ",
        district="Đồng Xoài",
        lat=11.53,
        lon=106.89,
        status=CameraStatus(status),
        streams={"main": profile("main", 1280, 720), "sub": profile("sub", 640, 360)},
    )


@pytest.fixture
def store() -> CameraStore:
    return CameraStore()


@pytest.fixture
def make_panel(qtbot, store: CameraStore) -> Iterator[Callable[..., CameraPanel]]:
    context = PanelContext(store, IncidentTableModel(), KpiStore(), LayerStore())
    windows: list[QWidget] = []  # qtbot holds only weak references
    budget = DecodeBudget(None)  # unlimited: these tests are about one tile

    def make(size: QSize = TILE, track: bool = True, **config: object) -> CameraPanel:
        """A panel in a bare window, as in a wall window (and offscreen Qt stays quiet)."""
        window = QWidget()
        windows.append(window)
        panel = CameraPanel(
            context, CameraConfig(**config), parent=window, timing=FAST, budget=budget
        )
        if track:  # pytest-qt closes and deletes tracked windows at teardown
            qtbot.addWidget(window)
        _resize(panel, size)
        window.show()
        return panel

    yield make


def _resize(panel: CameraPanel, size: QSize) -> None:
    panel.window().resize(size)
    panel.resize(size)


def _labels(panel: CameraPanel) -> dict[str, QLabel]:
    return {label.text(): label for label in panel.findChildren(QLabel)}


def _thread_count() -> int:
    return threading.active_count() + len(os.listdir("/proc/self/task"))


def test_auto_profile_picks_the_smallest_stream_that_covers_the_tile() -> None:
    streams = {
        name: StreamProfile(url=f"http://x/{name}", width=w, height=h, codec="h264")
        for name, w, h in (("main", 1920, 1080), ("sub", 640, 360))
    }
    camera = Camera(id="c", name="n", district="d", lat=0, lon=0, status="online", streams=streams)
    assert choose_profile(camera, "auto", QSize(480, 270)) == "sub"
    assert choose_profile(camera, "auto", QSize(700, 400)) == "sub"  # small upscale is fine
    assert choose_profile(camera, "auto", QSize(960, 540)) == "main"
    assert choose_profile(camera, "auto", QSize(3840, 2160)) == "main"
    assert choose_profile(camera, "sub", QSize(3840, 2160)) == "sub"
    only_main = camera.model_copy(update={"streams": {"main": streams["main"]}})
    assert choose_profile(only_main, "sub", QSize(100, 100)) == "main"


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    timing, rng = Timing(backoff_base_s=1.0, backoff_cap_s=30.0), random.Random(1)
    for attempt, ceiling in enumerate([1, 2, 4, 8, 16, 30, 30, 30]):
        delays = {backoff_delay(attempt, timing, rng) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered, so a wall of tiles does not reconnect in lockstep


def test_tile_goes_live_decodes_frames_and_shows_the_camera(qtbot, server, store, make_panel):
    store.replace([_camera(server)])
    panel = make_panel()
    states: list[str] = []
    panel.stateChanged.connect(states.append)
    assert panel.state == "connecting"
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    decoded = panel.frames_decoded()
    qtbot.waitUntil(lambda: panel.frames_decoded() > decoded + 10, timeout=5000)
    assert states == ["live"]
    assert panel.current_url == server.url("sub")  # 640x~360 tile: the substream covers it
    labels = _labels(panel)
    assert {"Ngã tư Phú Riềng Đỏ", "Đồng Xoài", "LIVE"} <= labels.keys()
    assert "#2ecc71" in labels["LIVE"].styleSheet()
    assert panel.title() == "Ngã tư Phú Riềng Đỏ"
    clock = next(label for text, label in labels.items() if re.fullmatch(r"\d\d:\d\d:\d\d", text))
    first = clock.text()
    qtbot.waitUntil(lambda: clock.text() != first, timeout=2500)


def _bar_colours(image: QImage) -> set[tuple[bool, bool, bool]]:
    """Which saturated colours (testsrc2's bars) appear in a sample of the image's pixels."""
    data = image.convertToFormat(QImage.Format.Format_RGB32).constBits().tobytes()
    pixels = (data[i : i + 3] for i in range(0, len(data) - 3, 4 * 37))  # B, G, R
    return {
        (r > 180, g > 180, b > 180)
        for b, g, r in pixels
        if all(c > 180 or c < 70 for c in (r, g, b))
    }


@needs_display()
def test_video_is_drawn_into_the_native_child_window(qtbot, server, store, make_panel):
    """The point of embedding: the frames land in our window (checked on screen, not in Qt)."""
    store.replace([_camera(server)])
    panel = make_panel()
    # Away from the screen's corner, where libVLC would open its own window if not embedded.
    panel.window().move(panel.screen().geometry().bottomRight() - QPoint(660, 420))
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    bar = max(label.height() for label in panel.findChildren(QLabel) if label.isVisible())

    def drawn() -> bool:
        shot = panel.screen().grabWindow(panel.window().winId()).toImage()
        video = shot.copy(0, bar + 10, shot.width(), shot.height() - bar - 10)
        return len(_bar_colours(video) - {(False, False, False), (True, True, True)}) >= 4

    qtbot.waitUntil(drawn, timeout=5000)
    # A tour or a drop moves the tile to a camera that does not answer yet: while it connects,
    # the window must not keep the previous camera's last picture under the new name.
    with socket.create_server(("127.0.0.1", 0)) as hung:  # accepts, never answers
        url = f"http://127.0.0.1:{hung.getsockname()[1]}/sub"
        silent = _camera(server, "bp-hung").model_copy(
            update={
                "streams": {"sub": StreamProfile(url=url, width=640, height=360, codec="mjpeg")}
            }
        )
        store.replace([_camera(server), silent])
        panel.set_camera("bp-hung")
        assert panel.state == "connecting"
        qtbot.waitUntil(lambda: not drawn(), timeout=4000)
        assert panel.state == "connecting"


def test_silent_stream_stalls_then_reconnects_when_the_camera_returns(
    qtbot, server, store, make_panel
):
    store.replace([_camera(server)])
    panel = make_panel()
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    states: list[str] = []
    panel.stateChanged.connect(states.append)
    server.pause()
    try:
        qtbot.waitUntil(lambda: panel.state == "stalled", timeout=5000)
        assert "#f5a623" in _labels(panel)["STALLED"].styleSheet()
        # The retries meet a 503 and back off; the reason is shown in plain words.
        # (the next retry's "connecting" clears the reason, so it is part of the wait)
        qtbot.waitUntil(
            lambda: (
                states.count("offline") >= 2
                and any("could not be opened" in text for text in _labels(panel))
            ),
            timeout=8000,
        )
    finally:
        server.resume()
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    qtbot.waitUntil(lambda: panel.frames_decoded() > 10, timeout=5000)
    assert states[:2] == ["stalled", "connecting"]


def test_offline_camera_stops_and_resumes_when_back_online(qtbot, server, store, make_panel):
    camera = _camera(server)
    store.replace([camera])
    panel = make_panel(camera=camera.id)
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    store.set_status(camera.id, CameraStatus.OFFLINE)
    assert panel.state == "offline"
    assert panel.frames_decoded() == 0  # stopped, not just hidden
    assert "#e74c3c" in _labels(panel)["OFFLINE"].styleSheet()
    store.set_status(camera.id, CameraStatus.ONLINE)
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)


def test_auto_profile_follows_the_tile_size(qtbot, server, store, make_panel):
    store.replace([_camera(server)])
    panel = make_panel(QSize(480, 300))
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    assert panel.current_url == server.url("sub")
    _resize(panel, QSize(1280, 780))
    qtbot.waitUntil(lambda: panel.current_url == server.url("main"), timeout=3000)
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    store.set_status("bp-001", CameraStatus.OFFLINE)  # shrunk while offline: the size still counts
    _resize(panel, QSize(480, 300))
    store.set_status("bp-001", CameraStatus.ONLINE)
    assert panel.current_url == server.url("sub")
    forced = make_panel(QSize(1280, 780), profile="sub")
    qtbot.waitUntil(lambda: forced.current_url == server.url("sub"), timeout=3000)


def test_waits_for_the_camera_list_and_names_unknown_cameras(qtbot, server, store, make_panel):
    panel = make_panel()
    assert panel.state == "connecting" and "Waiting for the camera list…" in _labels(panel)
    unknown = make_panel(camera="no-such-camera")
    store.replace([_camera(server)])
    qtbot.waitUntil(lambda: panel.state == "live", timeout=LIVE_MS)
    assert unknown.state == "error"
    assert any("no-such-camera" in text for text in _labels(unknown))


def test_closing_panels_releases_players_and_threads(qtbot, server, store, make_panel):
    store.replace([_camera(server)])
    warm = make_panel(QSize(320, 200))  # the shared libVLC instance and Qt's own threads
    qtbot.waitUntil(lambda: warm.state == "live", timeout=LIVE_MS)
    warm.close()
    baseline = _thread_count()
    for batch in range(4):
        deleted = batch % 2 == 1  # never closed: `destroyed` must still free the player
        panels = [make_panel(QSize(320, 200), track=not deleted) for _ in range(5)]
        qtbot.waitUntil(lambda: all(p.state == "live" for p in panels), timeout=LIVE_MS)  # noqa: B023
        for panel in panels:
            if deleted:
                panel.window().deleteLater()  # the panel goes with its window
            else:
                panel.close()
    qtbot.waitUntil(lambda: _thread_count() <= baseline + 2, timeout=5000)
