"""A live camera tile: native libVLC video under a status bar, reconnecting on its own.

The panel is a small state machine driven from the GUI thread only: a 250 ms tick reads the
decoded-frame counter (progress → live, none for a while → stalled → reconnect), libVLC's
end/error events arrive through a queued signal, and the camera store says online/offline.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

from console.domain import Camera, CameraStatus
from console.panel_kinds import CameraConfig
from widgets.panel import Panel, PanelContext
from widgets.video_player import VideoPlayer, VideoSurface

log = logging.getLogger(__name__)

State = Literal["connecting", "live", "stalled", "offline", "error"]
Profile = Literal["main", "sub"]
_RUNNING = ("connecting", "live", "stalled")  # states in which the player is playing
_GREEN, _AMBER, _RED = "#2ecc71", "#f5a623", "#e74c3c"
_COLOURS = {"live": _GREEN, "connecting": _AMBER, "stalled": _AMBER, "offline": _RED, "error": _RED}


@dataclass(frozen=True)
class Timing:
    """Reconnect and stall timings; tests shorten them, operators never need to."""

    stall_after_s: float = 4.0  # no new frame for this long while live → stalled
    connect_timeout_s: float = 12.0  # no first frame for this long → error, retry
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 30.0
    tick_ms: int = 250


def backoff_delay(attempt: int, timing: Timing, rng: random.Random) -> float:
    """Exponential backoff with 'equal jitter': never 0, never above the cap."""
    ceiling = min(timing.backoff_cap_s, timing.backoff_base_s * 2.0**attempt)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def choose_profile(camera: Camera, wanted: str, tile: QSize) -> Profile:
    """`auto`: the smallest stream that covers the tile (20 % upscaling allowed), else the largest.

    Decoding a main stream for a small tile costs 3-6x the CPU for no visible gain (DESIGN §4).
    """
    for name in camera.streams:
        if name == wanted:
            return name
    streams = camera.streams
    by_area = sorted(streams, key=lambda name: streams[name].width * streams[name].height)
    for name in by_area:
        stream = streams[name]
        if stream.width * 1.2 >= tile.width() and stream.height * 1.2 >= tile.height():
            return name
    return by_area[-1]


class _ElidedLabel(QLabel):
    """Shrinks below its text and ends it with "…", so a long name never widens the tile."""

    def __init__(self) -> None:
        super().__init__(textFormat=Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        QPainter(self).drawText(rect, int(self.alignment()), text)


class CameraPanel(Panel):
    """Plays one camera of the store; see the module docstring for the state machine."""

    KIND = "camera"
    stateChanged = Signal(str)

    def __init__(
        self,
        context: PanelContext,
        config: CameraConfig,
        parent: QWidget | None = None,
        timing: Timing | None = None,
    ) -> None:
        super().__init__(context, config, parent)
        self.config: CameraConfig = config
        self.timing = timing or Timing()
        self._rng = random.Random()
        self._state: State = "connecting"
        self._camera: Camera | None = None
        self._profile: Profile | None = None
        self._reason = ""
        self.current_url: str | None = None
        self._attempt, self._frames, self._progress_at = 0, 0, 0.0
        self._shown = self._closed = False
        self._build_ui()
        self._player = VideoPlayer(self._surface)
        self._player.stream_event.connect(self._on_player_event, Qt.ConnectionType.QueuedConnection)
        # Runs while the panel's children still exist, even if nobody called close().
        self.destroyed.connect(self._player.release)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._tick = self._timer(self.timing.tick_ms, self._on_tick, single=False)
        self._retry = self._timer(0, self._start)
        self._reprofile = self._timer(500, self._check_profile)  # debounces resizes
        context.cameras.camerasReset.connect(self._on_cameras_reset)
        context.cameras.statusChanged.connect(self._on_status_changed)
        self._resolve_camera()
        self._start()
        self._tick.start()
        self._on_tick()

    # --- public API -------------------------------------------------------------------------
    @property
    def state(self) -> State:
        return self._state

    def frames_decoded(self) -> int:
        """Frames decoded from the current stream (restarts at 0 on each reconnect)."""
        return self._player.frames_decoded()

    def title(self) -> str:
        return self._camera.name if self._camera else self.tr("Camera")

    def _timer(self, ms: int, slot: Callable[[], None], single: bool = True) -> QTimer:
        timer = QTimer(self, interval=ms, singleShot=single)
        timer.timeout.connect(slot)
        return timer

    # --- UI ---------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setStyleSheet("CameraPanel, QLabel { background: black; color: #e8e8e8; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # Plain text only: names come from a backend and must never be read as HTML.
        labels = [QLabel(textFormat=Qt.TextFormat.PlainText) for _ in range(3)]
        self._state_label, self._clock, self._message = labels
        self._name, self._district = _ElidedLabel(), _ElidedLabel()
        bold = self._name.font()
        bold.setBold(True)
        self._name.setFont(bold)
        self._district.setStyleSheet("color: #a8b0b8;")
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 8, 4)
        bar.setSpacing(14)
        bar.addWidget(self._name)
        bar.addWidget(self._district)
        bar.addStretch(1)
        bar.addWidget(self._state_label)
        bar.addWidget(self._clock)
        self._clock.setText("00:00:00")  # sized now, set by the first tick
        self._surface = VideoSurface()
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._stack = QStackedLayout()
        self._stack.addWidget(self._surface)
        self._stack.addWidget(self._message)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addLayout(bar)  # above the video: a native window would paint over an overlay
        root.addLayout(self._stack, 1)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        """Scale text with the tile so a wall tile reads from across the room."""
        for label in (self._name, self._district, self._clock, self._message):
            font = label.font()  # per label: style sheets stop fonts propagating from the panel
            font.setPixelSize(self._font_px() + (4 if label is self._message else 0))
            label.setFont(font)
        self._paint_state()

    def _font_px(self) -> int:
        return max(12, min(28, self.height() // 18))

    def _paint_state(self) -> None:
        self._state_label.setStyleSheet(
            f"font-size: {self._font_px()}px; font-weight: 700; color: black; padding: 0 6px;"
            f"border-radius: 4px; background: {_COLOURS[self._state]};"
        )

    def _state_text(self) -> str:
        return {
            "connecting": self.tr("CONNECTING"),
            "live": self.tr("LIVE"),
            "stalled": self.tr("STALLED"),
            "offline": self.tr("OFFLINE"),
            "error": self.tr("ERROR"),
        }[self._state]

    def _set_state(self, state: State, reason: str = "") -> None:
        """Show `state`; `reason` (plain words) replaces the video while it is stopped."""
        self._reason = reason
        self._stack.setCurrentWidget(self._message if reason else self._surface)
        self._message.setText(reason)
        if state == self._state and self._state_label.text():
            return
        self._state = state
        self._state_label.setText(self._state_text())
        self._paint_state()
        log.info("camera %s: %s %s", self._name.text(), state, reason)
        self.stateChanged.emit(state)

    # --- playback ---------------------------------------------------------------------------
    def _resolve_camera(self) -> None:
        store = self.context.cameras
        cameras = store.cameras()
        wanted = self.config.camera
        self._camera = store.get(wanted) if wanted else (cameras[0] if cameras else None)
        self._name.setText(self._camera.name if self._camera else (wanted or ""))
        self._district.setText(self._camera.district if self._camera else "")
        self.titleChanged.emit(self.title())

    def _start(self) -> None:
        """(Re)connect to the camera's stream, or show why we cannot."""
        self._retry.stop()
        if self._closed:
            return
        camera = self._camera
        if camera is None:
            self._player.stop()  # no retry: the next camerasReset tries again
            if self.config.camera and self.context.cameras.cameras():
                reason = self.tr("Camera “%s” is not in the camera list.") % self.config.camera
                self._set_state("error", reason)
            else:
                self._set_state("connecting", self.tr("Waiting for the camera list…"))
            return
        if camera.status == CameraStatus.OFFLINE:
            self._player.stop()
            self._set_state("offline", self.tr("The camera is offline."))
            return
        tile = self._tile_size()
        self._set_state("connecting")
        if not self._shown:
            return  # the tile size (and so the profile) is known once shown
        self._profile = choose_profile(camera, self.config.profile, tile)
        self.current_url = camera.streams[self._profile].url
        self._frames = 0
        self._progress_at = time.monotonic()
        self._player.play(self.current_url, self.config.network_caching_ms)

    def _fail(self, reason: str) -> None:
        self._player.stop()
        self._set_state("error", reason)
        self._schedule_retry()

    def _schedule_retry(self) -> None:
        delay = backoff_delay(self._attempt, self.timing, self._rng)
        self._attempt += 1
        self._retry.start(int(delay * 1000))

    def _tile_size(self) -> QSize:
        """Video area in device pixels: the shown page's (a hidden page keeps a stale size)."""
        page = self._stack.currentWidget() or self._surface
        return page.size() * self.devicePixelRatio()

    # --- events -----------------------------------------------------------------------------
    def _on_tick(self) -> None:
        self._clock.setText(QTime.currentTime().toString("HH:mm:ss"))
        if self._state == "error" and self._retry.isActive():
            seconds = (self._retry.remainingTime() + 999) // 1000
            self._message.setText(self._reason + "\n" + self.tr("Retrying in %n s…", "", seconds))
        if self._state not in _RUNNING or not self.current_url:
            return
        now, timing = time.monotonic(), self.timing
        frames = self._player.frames_decoded()
        if frames > self._frames:
            self._frames, self._progress_at, self._attempt = frames, now, 0
            self._retry.stop()
            self._set_state("live")
        elif self._state == "live" and now - self._progress_at > timing.stall_after_s:
            self._set_state("stalled")
            self._schedule_retry()  # frames coming back before it fires cancel it
        elif self._state == "connecting" and now - self._progress_at > timing.connect_timeout_s:
            self._fail(self.tr("No video arrived from the camera."))

    def _on_player_event(self, generation: int, ended: bool) -> None:
        if generation != self._player.generation or self._state not in _RUNNING or self._closed:
            return  # a late event of a stream we already stopped or replaced
        if ended:
            self._fail(self.tr("The stream ended."))
        elif (self.current_url or "").startswith("rtsp:"):
            # Debian's libVLC is built without live555 and fails every rtsp:// (DESIGN §4).
            self._fail(self.tr("The stream could not be opened. This player may not support RTSP."))
        else:
            self._fail(self.tr("The stream could not be opened."))

    def _on_status_changed(self, camera_id: str, status: str) -> None:
        if self._camera is None or camera_id != self._camera.id:
            return
        self._camera = self.context.cameras.get(camera_id)
        self._attempt = 0
        self._start()

    def _on_cameras_reset(self) -> None:
        before = self._camera
        self._resolve_camera()
        if self._camera is None or self._camera != before:
            self._attempt = 0
            self._start()

    def _check_profile(self) -> None:
        if self._camera is None or self._state not in _RUNNING:
            return
        if choose_profile(self._camera, self.config.profile, self._tile_size()) != self._profile:
            self._start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self._retry.start(0)  # after the layout has given the surface its size

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()
        if self._shown:
            self._reprofile.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers and free the libVLC player now; the panel stays an inert widget."""
        self._closed = True
        for timer in (self._tick, self._retry, self._reprofile):
            timer.stop()
        self._player.release()
