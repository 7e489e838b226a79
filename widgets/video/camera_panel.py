"""A live camera tile: video under a status bar, reconnecting on its own, within the wall's budget.

The panel is a small state machine driven from the GUI thread only: a 250 ms tick reads the
decoded-frame counter (progress → live, none for a while → stalled → reconnect), the engines'
end/error events arrive through a queued signal, and the camera store says online/offline.
Streams that cannot be reached are "offline" (retried forever with backoff and jitter);
"error" is kept for what retrying cannot fix (an unknown camera). Hidden tiles decode nothing,
and the wall-wide `DecodeBudget` picks each tile's tier (main → sub → lower fps → still).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QHideEvent,
    QMouseEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStackedLayout, QVBoxLayout, QWidget

from console.domain import formatting
from console.domain.records import (
    Camera,
    CameraStatus,
    Incident,
    IncidentStatus,
    Priority,
    Source,
)
from console.layout.panel_kinds import CameraConfig
from widgets.panel import Panel, PanelContext
from widgets.video.actions import CAMERA_MIME, Enlarged, save_snapshot, snapshot_dir
from widgets.video.budget import DecodeBudget, Tier, shared_budget
from widgets.video.engine import VideoHost, note_vlc_rtsp_failure
from widgets.video.status_bar import CameraBar
from widgets.video.tour import CameraTour

log = logging.getLogger(__name__)

State = Literal["connecting", "live", "stalled", "offline", "error"]
Profile = Literal["main", "sub"]
_RUNNING = ("connecting", "live", "stalled")  # states in which a player may be playing
_ALARM_PRIORITIES = (Priority.HIGH, Priority.CRITICAL)


@dataclass(frozen=True)
class Timing:
    """Reconnect and stall timings; tests shorten them, operators never need to."""

    stall_after_s: float = 4.0  # no new frame for this long while live → stalled
    connect_timeout_s: float = 12.0  # no first frame for this long → offline, retry
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 30.0
    tick_ms: int = 250
    still_refresh_s: float = 5.0  # the budget's last tier: one picture this often


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


def budget_tiers(camera: Camera, wanted: Profile, still_refresh_s: float) -> list[Tier]:
    """The tiers a tile can step down through, best first, with their decode cost."""

    def cost(name: Profile, fps_share: float = 1.0) -> float:
        stream = camera.streams[name]
        return stream.width * stream.height * stream.fps * fps_share

    smallest = min(camera.streams, key=lambda n: camera.streams[n].width * camera.streams[n].height)
    tiers = [Tier(wanted, cost=cost(wanted))]
    if smallest != wanted:
        tiers.append(Tier(smallest, cost=cost(smallest)))
    fps = camera.streams[smallest].fps or 25.0
    tiers.append(Tier(smallest, low_fps=True, cost=cost(smallest, 0.5)))
    tiers.append(Tier(smallest, still=True, cost=cost(smallest, 1 / (fps * still_refresh_s))))
    return tiers


class CameraPanel(Panel):
    """Plays one camera of the store; see the module docstring for the state machine."""

    KIND = "camera"
    SHOWS_OWN_STATE = True  # its stream, not the backend API, says how fresh it is
    stateChanged = Signal(str)
    snapshotSaved = Signal(str)  # path of the PNG

    def __init__(
        self,
        context: PanelContext,
        config: CameraConfig,
        parent: QWidget | None = None,
        timing: Timing | None = None,
        budget: DecodeBudget | None = None,
    ) -> None:
        super().__init__(context, config, parent)
        self.config: CameraConfig = config
        self.timing = timing or Timing()
        self.budget = budget or shared_budget()
        self.snapshot_folder: Path = snapshot_dir()
        self._rng = random.Random()
        self._state: State = "connecting"
        self._camera: Camera | None = None
        self._camera_id = config.tour[0] if config.tour else config.camera
        self._tier: Tier | None = None
        self._level = 0
        self._reason = ""
        self.current_url: str | None = None
        self._playing = False
        self._attempt, self._frames, self._progress_at = 0, 0, 0.0
        self._shown = self._on_screen = self._closed = False
        self._enlarged: Enlarged | None = None
        self._build_ui()
        self.destroyed.connect(self._video.release)  # even if nobody called close()
        self.destroyed.connect(lambda: self.budget.leave(self))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._tick = self._timer(self.timing.tick_ms, self._on_tick, single=False)
        self._retry = self._timer(0, self._start)
        self._reprofile = self._timer(500, self.budget.request)  # debounces resizes
        self.tour: CameraTour | None = None
        if len(config.tour) > 1:
            self.tour = CameraTour(config.tour, config.dwell_s, self)
            self.tour.cameraChanged.connect(self.set_camera)
            context.incidents.incidentsUpserted.connect(self._check_alarm)
        context.cameras.camerasReset.connect(self._on_cameras_reset)
        context.cameras.statusChanged.connect(self._on_status_changed)
        self.setAcceptDrops(True)
        self._resolve_camera()
        self._start()
        self._tick.start()
        self._on_tick()
        if self.tour is not None:
            self.tour.start()

    # --- public API -------------------------------------------------------------------------
    @property
    def state(self) -> State:
        return self._state

    @property
    def camera_id(self) -> str | None:
        return self._camera.id if self._camera else self._camera_id

    @property
    def tier(self) -> Tier | None:
        """What the tile decodes now (None while stopped)."""
        return self._tier

    @property
    def engine(self) -> str | None:
        return self._video.engine

    def frames_decoded(self) -> int:
        """Frames decoded from the current stream (restarts at 0 on each reconnect)."""
        return self._video.frames_decoded()

    def badge(self) -> str:
        return self._bar.badge.text() if self._bar.badge.isVisible() else ""

    def title(self) -> str:
        return self._camera.name if self._camera else self.tr("Camera")

    def set_camera(self, camera_id: str) -> None:
        """Show another camera in this tile (drag and drop, tours)."""
        if camera_id == self.camera_id and self._camera is not None:
            return
        self._camera_id = camera_id
        self._attempt = 0
        self._resolve_camera()
        self._check_alarm()
        self._start()

    def toggle_enlarged(self) -> None:
        """Double-click: this camera over the whole window, and back."""
        if self._on_close_enlarged is not None:
            self._on_close_enlarged()
            return
        window = self.window()
        if not isinstance(window, QMainWindow) or self.camera_id is None:
            return
        config = self.config.model_copy(update={"camera": self.camera_id, "tour": ()})
        view = CameraPanel(self.context, config, timing=self.timing, budget=self.budget)
        enlarged = Enlarged(window, view)
        view._on_close_enlarged = enlarged.close

    _on_close_enlarged: Callable[[], None] | None = None

    def save_snapshot(self) -> Path | None:
        """The picture on screen now, as a PNG with the camera name and time burned in."""
        image = self._video.snapshot() if self._playing else None
        if image is None and self._still.pixmap() is not None and not self._still.pixmap().isNull():
            image = self._still.pixmap().toImage()
        if image is None or self._camera is None:
            self._flash(self.tr("No picture to save yet."))
            return None
        when = formatting.now()
        caption = f"{self._camera.name} · {self._camera.district} · {when:%Y-%m-%d %H:%M:%S}"
        try:
            path = save_snapshot(image, self._camera.id, caption, when, self.snapshot_folder)
        except OSError as error:
            log.error("snapshot of %s failed: %s", self._camera.id, error)
            self._flash(self.tr("The snapshot could not be saved: %s") % error)
            return None
        log.info("snapshot of %s saved to %s", self._camera.id, path)
        self._flash(self.tr("Snapshot saved: %s") % path.name)
        self.snapshotSaved.emit(str(path))
        return path

    def _timer(self, ms: int, slot: Callable[[], None], single: bool = True) -> QTimer:
        timer = QTimer(self, interval=ms, singleShot=single)
        timer.timeout.connect(slot)
        return timer

    # --- UI ---------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setStyleSheet("CameraPanel, QLabel { background: black; color: #e8e8e8; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._bar = CameraBar()
        self._video = VideoHost()
        self._video.streamEvent.connect(self._on_player_event)
        self._message = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._still = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self._still.setMinimumSize(1, 1)
        self._stack = QStackedLayout()
        for page in (self._video, self._message, self._still):
            self._stack.addWidget(page)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._bar)  # above the video: a native window would paint over an overlay
        root.addLayout(self._stack, 1)
        self._flash_timer = self._timer(3000, self._update_badge)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        """Scale text with the tile so a wall tile reads from across the room."""
        px = max(12, min(28, self.height() // 18))
        self._bar.set_font_px(px)
        font = self._message.font()
        font.setPixelSize(px + 4)
        self._message.setFont(font)

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
        if reason:
            self._stack.setCurrentWidget(self._message)
        elif self._stack.currentWidget() is self._message:
            self._stack.setCurrentWidget(self._video)
        self._message.setText(reason)
        if state == self._state and self._bar.state.text():
            return
        self._state = state
        self._bar.set_state(self._state_text(), state)
        log.info("camera %s: %s %s", self._bar.name.text(), state, reason)
        self.stateChanged.emit(state)

    def _flash(self, text: str) -> None:
        """A short notice in the badge slot (snapshot saved, ...)."""
        self._bar.set_badge(text)
        self._flash_timer.start()

    def _update_badge(self) -> None:
        if self._flash_timer.isActive():
            return
        tier, tiers = self._tier, self._tiers()
        text, tip = "", ""
        if tier is not None and tiers and tier != tiers[0]:
            text = {False: self.tr("SUB"), True: self.tr("LOW FPS")}[tier.low_fps]
            text = self.tr("STILL") if tier.still else text
            tip = self.tr("Reduced to stay within the wall's video decoding budget.")
        if self.tour is not None and self.tour.paused_by_alarm:
            text, tip = self.tr("ALARM · TOUR PAUSED"), ""
        elif self.tour is not None and self.tour.paused:
            text, tip = (text + " · " if text else "") + self.tr("TOUR PAUSED"), tip
        self._bar.set_badge(text, tip)

    # --- playback ---------------------------------------------------------------------------
    def _resolve_camera(self) -> None:
        store = self.context.cameras
        cameras = store.cameras()
        wanted = self._camera_id
        self._camera = store.get(wanted) if wanted else (cameras[0] if cameras else None)
        self._bar.name.setText(self._camera.name if self._camera else (wanted or ""))
        self._bar.district.setText(self._camera.district if self._camera else "")
        self.titleChanged.emit(self.title())

    def _tiers(self) -> list[Tier]:
        camera = self._camera
        if camera is None or camera.status == CameraStatus.OFFLINE or not camera.streams:
            return []
        wanted = choose_profile(camera, self.config.profile, self._tile_size())
        return budget_tiers(camera, wanted, self.timing.still_refresh_s)

    def _stop(self) -> None:
        self._video.stop()
        self._playing = False
        self._tier = None
        self.current_url = None

    def _start(self) -> None:
        """(Re)connect to the camera's stream at the budget's tier, or show why we cannot."""
        self._retry.stop()
        if self._closed:
            return
        camera = self._camera
        if camera is None:
            self._stop()  # no retry: the next camerasReset tries again
            if self._camera_id and self.context.cameras.cameras():
                reason = self.tr("Camera “%s” is not in the camera list.") % self._camera_id
                self._set_state("error", reason)
            else:
                self._set_state("connecting", self.tr("Waiting for the camera list…"))
            return
        if camera.status == CameraStatus.OFFLINE:
            self._stop()
            self._set_state("offline", self.tr("The camera is offline."))
            self.budget.request()
            return
        if not self._on_screen:
            self._stop()  # hidden tiles decode nothing; showEvent starts again
            self._set_state("connecting")
            self.budget.request()
            return
        tiers = self._tiers()
        self._level = self.budget.level_for(self)
        tier = tiers[min(self._level, len(tiers) - 1)]
        self._set_state("connecting")
        self._tier = tier
        self.current_url = camera.streams[tier.profile].url  # type: ignore[index]
        self._frames = 0
        self._progress_at = time.monotonic()
        self._playing = True
        self._video.play(
            self.current_url, self.config.network_caching_ms, self.config.engine, tier.low_fps
        )
        self._update_badge()
        self.budget.request()

    def _fail(self, reason: str) -> None:
        self._video.stop()
        self._playing = False
        self._set_state("offline", reason)
        self._schedule_retry()

    def _schedule_retry(self) -> None:
        delay = backoff_delay(self._attempt, self.timing, self._rng)
        self._attempt += 1
        self._retry.start(int(delay * 1000))

    def _tile_size(self) -> QSize:
        """Video area in device pixels (a hidden page keeps a stale size, so use the stack)."""
        page = self._stack.currentWidget() or self._video
        return page.size() * self.devicePixelRatio()

    # --- decode budget (BudgetClient) -------------------------------------------------------
    def budget_tiers(self) -> list[Tier]:
        return [] if self._closed or not self._on_screen else self._tiers()

    def budget_area(self) -> int:
        size = self._tile_size()
        return size.width() * size.height()

    def apply_tier(self, index: int) -> None:
        tiers = self.budget_tiers()
        self._level = index
        if not tiers or self._state not in _RUNNING or self._tier is None:
            return
        if tiers[min(index, len(tiers) - 1)] != self._tier:
            self._start()

    # --- events -----------------------------------------------------------------------------
    def _on_tick(self) -> None:
        self._bar.tick()
        if self._state == "offline" and self._retry.isActive():
            seconds = (self._retry.remainingTime() + 999) // 1000
            self._message.setText(self._reason + "\n" + self.tr("Retrying in %n s…", "", seconds))
        if self._state not in _RUNNING or not self._playing:
            return
        now, timing = time.monotonic(), self.timing
        frames = self._video.frames_decoded()
        if frames > self._frames:
            self._frames, self._progress_at, self._attempt = frames, now, 0
            self._retry.stop()
            self._set_state("live")
            if self._tier is not None and self._tier.still:
                self._take_still()
        elif self._state == "live" and now - self._progress_at > timing.stall_after_s:
            self._set_state("stalled")
            self._schedule_retry()  # frames coming back before it fires cancel it
        elif self._state == "connecting" and now - self._progress_at > timing.connect_timeout_s:
            self._fail(self.tr("No video arrived from the camera."))

    def _take_still(self) -> None:
        """Still tier: keep the first picture, stop decoding, fetch another one later."""
        image = self._video.snapshot()
        if image is not None:
            pixmap = QPixmap.fromImage(image).scaled(
                self._still.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._still.setPixmap(pixmap)
            self._stack.setCurrentWidget(self._still)
        self._video.stop()
        self._playing = False
        self._retry.start(int(self.timing.still_refresh_s * 1000))

    def _on_player_event(self, generation: int, ended: bool) -> None:
        if generation != self._video.generation or not self._playing or self._closed:
            return  # a late event of a stream we already stopped or replaced
        url = self.current_url or ""
        if not ended and url.startswith("rtsp") and self._video.engine == "vlc":
            if self.config.engine == "auto":
                note_vlc_rtsp_failure()  # this libVLC cannot do RTSP: Qt Multimedia can
                self._start()
                return
            self._fail(self.tr("The stream could not be opened. This player may not support RTSP."))
        elif ended:
            self._fail(self.tr("The stream ended."))
        else:
            self._fail(self.tr("The camera's stream could not be opened."))

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

    def _check_alarm(self, _incidents: object = None) -> None:
        """Tours hold while an unacknowledged camera alarm is open in this camera's district."""
        if self.tour is None:
            return
        district = self._camera.district if self._camera else None
        alarm = any(_is_alarm(i, district) for i in self.context.incidents.incidents())
        if alarm != self.tour.paused_by_alarm:
            self.tour.set_alarm(alarm)
            self._update_badge()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._shown = True
        if not self._on_screen:
            self._on_screen = True
            self.budget.join(self)
            self._retry.start(0)  # after the layout has given the video area its size

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self._on_screen:
            self._on_screen = False
            self._retry.start(0)  # stops the player and frees the budget

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()
        if self._shown:
            self._reprofile.start()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.toggle_enlarged()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        enlarged = self._on_close_enlarged is not None
        menu.addAction(
            self.tr("Back to the wall") if enlarged else self.tr("Enlarge"), self.toggle_enlarged
        )
        menu.addAction(self.tr("Save snapshot"), self.save_snapshot)
        if self.tour is not None:
            paused = self.tour.paused_by_operator
            label = self.tr("Resume tour") if paused else self.tr("Pause tour")
            menu.addAction(label, lambda: self.set_tour_paused(not paused))
        menu.popup(event.globalPos())

    def set_tour_paused(self, paused: bool) -> None:
        if self.tour is not None:
            self.tour.set_paused(paused)
            self._update_badge()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        camera_id = bytes(event.mimeData().data(CAMERA_MIME).data()).decode()
        if camera_id:
            event.acceptProposedAction()
            if self.tour is not None:
                self.set_tour_paused(True)  # the operator chose what to watch
            self.set_camera(camera_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers, leave the budget and free the players now; the panel stays inert."""
        if self._closed:
            return
        self._closed = True
        for timer in (self._tick, self._retry, self._reprofile):
            timer.stop()
        if self.tour is not None:
            self.tour.stop()
        self.budget.leave(self)
        self._video.release()
        self._playing = False


def _is_alarm(incident: Incident, district: str | None) -> bool:
    return (
        incident.source == Source.CAMERA
        and incident.status == IncidentStatus.RECEIVED
        and incident.priority in _ALARM_PRIORITIES
        and incident.district == district
    )
