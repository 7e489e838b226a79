"""A live camera tile: the view of a `StreamSupervisor`, and the operator's actions on it.

The supervisor (console/video/supervisor.py) decides what plays, when it is stalled and when
to reconnect; this widget shows it: a status bar above the picture, plain words in place of
the video while it is stopped (with a retry countdown), fonts that scale with the tile, and
what an operator does with a tile: menu, drag and drop, snapshot, enlarge, tours that hold
while a camera alarm is open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QHideEvent,
    QMouseEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QMainWindow, QMenu, QVBoxLayout, QWidget

from console.domain import formatting
from console.layout.panel_kinds import CameraConfig
from console.video.budget import DecodeBudget, Tier, shared_budget
from console.video.health import TileFacts
from console.video.policy import Timing
from console.video.stream import State
from console.video.supervisor import StreamSupervisor
from console.video.tour import CameraTour
from widgets.panel import PLAYS_CAMERAS, REVIEWS_CAMERAS, Panel, PanelContext
from widgets.text import PlainLabel, plain_tooltip
from widgets.video.actions import CAMERA_MIME, Enlarged, save_snapshot, snapshot_dir
from widgets.video.playback_mode import PlaybackMode
from widgets.video.ptz_control import PtzControl
from widgets.video.status_bar import CameraBar
from widgets.video.tile_display import StreamDisplay
from widgets.video.tile_pages import TilePages
from widgets.video.wall_health import wall_health

log = logging.getLogger(__name__)


class CameraPanel(Panel):
    """Plays one camera of the store; see console/video/supervisor.py for the state machine."""

    KIND = "camera"
    INPUTS = (PLAYS_CAMERAS, REVIEWS_CAMERAS)  # a spot tile plays what the wall names
    SHOWS_OWN_STATE = True  # its stream, not the backend API, says how fresh it is
    playback: PlaybackMode  # its recorded past (REVIEWS_CAMERAS)
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
        self._shown = False
        self._bar, self._pages = CameraBar(), TilePages()
        self._video = self._pages.video
        self._stream = StreamSupervisor(
            config,
            context.cameras,
            self._video,
            self._pages.tile_size,
            parent=self,
            timing=self.timing,
            budget=self.budget,
        )
        self._display = StreamDisplay(
            self._stream, self._bar, self._pages, self._retrying_text, parent=self
        )
        self._stream.stateChanged.connect(self._on_state)  # after the display: the bar is drawn
        self._stream.cameraChanged.connect(self._on_camera)
        self._build_ui()
        self.playback = PlaybackMode(self, self._stream, self._pages, self._bar, context)
        self.ptz = PtzControl(self, self._stream, self._video, context.recorders, self.playback)
        self.destroyed.connect(self._video.release)  # even if nobody called close()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.tour: CameraTour | None = None
        if len(config.tour) > 1:
            self.tour = CameraTour(config.tour, config.dwell_s, self)
            self.tour.cameraChanged.connect(self.set_camera)
            self.tour.pausedChanged.connect(self._display.update_badge)
            self.tour.follow_alarms(context.incidents, self._district)
            self._display.tour = self.tour
        self.setAcceptDrops(True)
        self._stream.begin()
        self._display.start()
        wall_health().register(self)
        if self.tour is not None:
            self.tour.start()

    # --- public API -------------------------------------------------------------------------
    def is_ready(self) -> bool:
        """For a briefing's grab: playing, or plainly showing why not."""
        return self.state in ("live", "offline", "error")

    @property
    def state(self) -> State:
        return self._stream.state

    @property
    def camera_id(self) -> str | None:
        return self._stream.camera_id

    @property
    def tier(self) -> Tier | None:
        """What the tile decodes now (None while stopped)."""
        return self._stream.tier

    @property
    def current_url(self) -> str | None:
        return self._stream.current_url

    @property
    def engine(self) -> str | None:
        return self._video.engine

    def frames_decoded(self) -> int:
        """Frames decoded from the current stream (restarts at 0 on each reconnect)."""
        return self._video.frames_decoded()

    def has_picture(self) -> bool:
        """The current stream's first picture is on screen."""
        return self._video.has_picture()

    def badge(self) -> str:
        return self._bar.badge.text() if self._bar.badge.isVisible() else ""

    def report(self) -> dict[str, Any]:
        return {**super().report(), "camera": self.camera_id, "state": self.state}

    def title(self) -> str:
        camera = self._stream.camera
        return camera.name if camera else self.tr("Camera")

    def set_camera(self, camera_id: str) -> None:
        """Show another camera in this tile (drag and drop, tours, spot tiles)."""
        if self._stream.set_camera(camera_id) and self.tour is not None:
            self.tour.check_alarm()

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
        image = self._video.snapshot() if self._stream.playing else None
        image = image if image is not None else self._pages.still_image()
        camera = self._stream.camera
        if image is None or camera is None:
            self._display.flash(self.tr("No picture to save yet."))
            return None
        when = formatting.now()
        caption = f"{camera.name} · {camera.district} · {when:%Y-%m-%d %H:%M:%S}"
        try:
            path = save_snapshot(image, camera.id, caption, when, self.snapshot_folder)
        except OSError as error:
            log.error("snapshot of %s failed: %s", camera.id, error)
            self._display.flash(self.tr("The snapshot could not be saved: %s") % error)
            return None
        log.info("snapshot of %s saved to %s", camera.id, path)
        self._display.flash(self.tr("Snapshot saved: %s") % path.name)
        self.snapshotSaved.emit(str(path))
        return path

    def health_facts(self) -> TileFacts:
        """For the wall-health overlay and log: sampled, never per frame."""
        tier = self._stream.tier
        profile = str(tier.profile) + (" · 5 fps" if tier.low_fps else "") if tier else ""
        return TileFacts(
            self._bar.name.text() or (self.camera_id or ""),
            self.state,
            profile,
            self._video.decoder(),
            self._video.stats(),
        )

    def show_health(self, words: str | None) -> None:
        """The overlay's line under the status bar; None hides it."""
        self._health.setText(words or "")
        self._health.setVisible(words is not None)

    def set_tour_paused(self, paused: bool) -> None:
        if self.tour is not None:
            self.tour.set_paused(paused)  # pausedChanged updates the badge

    def shutdown(self) -> None:
        """Stop timers, leave the budget and free the players now; the panel stays inert."""
        if self._stream.closed:
            return
        self._display.stop()
        if self.tour is not None:
            self.tour.stop()
        self._stream.shutdown()
        self._video.release()

    # --- decode budget: the supervisor is the client; these stay for callers of the tile ----
    def budget_tiers(self) -> list[Tier]:
        return self._stream.budget_tiers()

    def budget_area(self) -> int:
        return self._stream.budget_area()

    def apply_tier(self, index: int) -> None:
        self._stream.apply_tier(index)

    # --- the tile itself ----------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setStyleSheet("CameraPanel, QLabel { background: black; color: #e8e8e8; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._bar)  # above the video: a native window would paint over an overlay
        self._health = PlainLabel()
        self._health.setStyleSheet("background: #1c2833; color: #f7dc6f; padding: 2px 8px;")
        self._health.hide()
        root.addWidget(self._health)
        root.addLayout(self._pages.stack, 1)
        self._display.apply_fonts(self.height())

    def _retrying_text(self, seconds: int) -> str:
        return self.tr("Retrying in %n s…", "", seconds)

    def _on_camera(self) -> None:
        self.titleChanged.emit(self.title())

    def _on_state(self, state: str) -> None:
        log.info("camera %s: %s %s", self._bar.name.text(), state, self._display.reason)
        facts = self.health_facts()
        lines = [facts.name, self.tr("Engine: %s") % (self.engine or "—")]
        lines.append(self.tr("Decoder: %s") % (facts.decoder or "—"))
        lines.append(self.tr("Stream: %s") % (facts.profile or "—"))
        self.setToolTip(plain_tooltip("\n".join(lines)))
        self.stateChanged.emit(state)

    def _district(self) -> str | None:
        """Tours hold while a camera alarm is open in the district of the camera shown."""
        camera = self._stream.camera
        return camera.district if camera else None

    # --- Qt events --------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._shown = True
        self._stream.set_on_screen(not self.playback.active)  # playback parks the live stream

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._stream.set_on_screen(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._display.apply_fonts(self.height())
        if self._shown:
            self._stream.tile_resized()

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
        self.playback.add_actions(menu)
        self.ptz.add_actions(menu)
        menu.popup(event.globalPos())

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
