"""A camera tile's playback: recorded video in the tile, framed amber, with its timeline.

The live stream's supervisor is parked (as for a hidden tile: it decodes nothing and never
reconnects) while the same video host plays the backend's playback MJPEG; "Live" hands the
tile back to it. Every seek, step, speed change or resume reopens the stream at the new
position; the time to its first frame is measured and logged. Pause keeps the last picture.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QWidget

from console.domain import formatting
from console.domain.geo import near_camera
from console.domain.recordings import LOOK_BACK
from console.domain.records import Source
from console.sources.ioc.api import describe
from console.video.playback import PlaybackPosition, Recording, speed_text
from console.video.supervisor import StreamSupervisor
from widgets.video.bookmarks import TileBookmarks
from widgets.video.evidence_dialog import from_playback
from widgets.video.status_bar import AMBER, CameraBar
from widgets.video.tile_pages import TilePages
from widgets.video.tile_words import state_text
from widgets.video.timeline import Timeline, TimelineView, ask_time

if TYPE_CHECKING:
    from widgets.panel import PanelContext

log = logging.getLogger(__name__)
FRAME_PX = 6
MARKS_REFRESH_S = 2.0  # new incidents show on the timeline within this
TICK_MS = 100  # the banner's clock and the strip's cursor
FIRST_FRAME_TICK_MS = 20  # until frames are counted: the first picture is seen within this
Placing = Callable[[Recording, datetime], PlaybackPosition | None]


class PlaybackMode(QObject):
    """Owns the timeline under `tile`; `active` while recorded video plays in it."""

    def __init__(
        self,
        tile: QWidget,
        stream: StreamSupervisor,
        pages: TilePages,
        bar: CameraBar,
        context: PanelContext,
    ) -> None:
        super().__init__(tile)
        self._tile, self._stream, self._pages, self._bar = tile, stream, pages, bar
        self._recorders = context.recorders  # the native API of each connection that records
        self._incidents = context.incidents
        self._incident_marks: list[tuple[datetime, str]] = []
        self._marks_at = -MARKS_REFRESH_S  # time.monotonic() of the last look at the queue
        self.bookmarks = TileBookmarks(tile, context.recorders, context.incidents)
        self._video = pages.video
        self.timeline = Timeline()
        self.timeline.hide()
        layout = tile.layout()
        assert layout is not None
        layout.addWidget(self.timeline)
        self.position: PlaybackPosition | None = None
        self.recording: Recording | None = None
        self.base_url = ""
        self.first_frame_s: float | None = None  # the last open's time to its first picture
        self.running_s: float | None = None  # … and until recorded time ran (frames counted)
        self._note = ""
        self._opened_at = 0.0
        self._task: asyncio.Task[None] | None = None
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self.tick)
        self.timeline.seekRequested.connect(self.seek)
        self.timeline.stepRequested.connect(self.step)
        self.timeline.pauseToggled.connect(self.toggle_pause)
        self.timeline.speedChosen.connect(self.set_speed)
        self.timeline.liveRequested.connect(self.back_to_live)
        stream.stateChanged.connect(self._keep_pill)
        stream.cameraChanged.connect(self._camera_changed)
        tile.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for black in (bar, self._video):  # inside the amber frame, as in live
            black.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        replay = QShortcut(QKeySequence("R"), tile, self.instant_replay)
        replay.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        live = QShortcut(QKeySequence("Esc"), tile, self.back_to_live)
        live.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        tile.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The timeline's text scales with the tile, like its status bar."""
        if watched is self._tile and event.type() == QEvent.Type.Resize:
            self.timeline.set_font_px(max(12, min(28, self._tile.height() // 18)))
        return False

    @property
    def active(self) -> bool:
        """Recorded video is in the tile (the timeline may also show alone, for words)."""
        return self.position is not None

    def add_actions(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.tr("Instant replay (30 s)"), self.instant_replay)
        menu.addAction(self.tr("Play back from…"), self.ask_time)
        if self.timeline.isVisible():
            menu.addAction(self.tr("Back to live"), self.back_to_live)
        if self.position is not None:
            at, camera = self.position.at(time.monotonic()), self._stream.camera
            export = lambda: from_playback(self._tile, camera, self._recorders, at)  # noqa: E731
            menu.addAction(self.tr("Export evidence…"), export)
            self.bookmarks.add_action(menu, camera, at)

    # --- entering playback ----------------------------------------------------------------
    def instant_replay(self) -> None:
        self._load(lambda rec, now: PlaybackPosition.replay(rec, now))

    def play_from(self, when: datetime) -> None:
        """Play back from `when` (an incident's time, a time typed in)."""
        self._load(lambda rec, now: PlaybackPosition.at_time(rec, when, now))

    def ask_time(self) -> None:
        ask_time(self._tile, self.tr("Play back from…"), self.play_from)

    def _load(self, place: Placing) -> None:
        """Ask the camera's backend what it recorded, then start where `place` says."""
        camera = self._stream.camera
        api = self._recorders.get(camera.connection) if camera is not None else None
        self.timeline.show()
        if camera is None or api is None:
            self._say(self.tr("No recordings for this camera"))
            return
        self._say(self.tr("Looking for recordings…"))
        if self._task is not None:
            self._task.cancel()
        self.base_url = api.base_url
        now = datetime.now(UTC)

        async def ask() -> None:
            try:
                recording = await api.recordings(camera.local_id, now - LOOK_BACK, now)
            except Exception as error:  # any fault: said in the timeline, live stays usable
                log.warning("recordings of %s: %s", camera.id, describe(error))
                self._say(self.tr("Recordings unavailable: %s") % describe(error))
                return
            position = place(recording, datetime.now(UTC))
            self.recording = recording
            if position is None:
                self._say(self.tr("No recordings for this camera"))
                return
            self._enter(position)

        self._task = asyncio.get_event_loop().create_task(ask())

    def _say(self, note: str) -> None:
        """Words in the timeline instead of spans; recorded video (if any) stops."""
        if self.active:
            self._leave()
        self._note = note
        self.timeline.show_view(TimelineView(datetime.now(UTC), note=note), "", False, False)

    def _enter(self, position: PlaybackPosition) -> None:
        if not self.active:
            self._stream.set_on_screen(False)  # parked: no decoding, no reconnects
            self._stream.start()  # stops the live stream now, not on the next turn
            layout = self._tile.layout()
            assert layout is not None
            layout.setContentsMargins(*(FRAME_PX,) * 4)
            self._tile.setStyleSheet(
                f"{type(self._tile).__name__} {{ background: {AMBER}; }} "
                "CameraBar, VideoHost, QLabel { background: black; color: #e8e8e8; }"
            )
        self.position, self._note = position, ""
        self._marks_at = -MARKS_REFRESH_S  # this playback's marks at once
        if self._stream.camera is not None:
            self.bookmarks.load(self._stream.camera)  # their marks on the timeline
        self.timeline.set_speed(position.speed)
        self._open()
        self._tick.start()
        self._keep_pill()

    # --- in playback ------------------------------------------------------------------------
    def _open(self) -> None:
        """(Re)open the stream at the position; recorded time moves from its first frame."""
        position = self.position
        camera = self._stream.camera
        if position is None or camera is None:
            return
        if position.paused:
            self.tick()
            return
        self._pages.stack.setCurrentWidget(self._video)
        self._opened_at = time.monotonic()
        self.first_frame_s = self.running_s = None
        self._tick.setInterval(FIRST_FRAME_TICK_MS)
        url = position.url(self.base_url, camera.local_id)
        self._video.play(url, self._stream.config.network_caching_ms, self._stream.config.engine)
        log.info("playback of %s from %s ×%s", camera.id, position.anchor, position.speed)
        self.tick()

    def seek(self, when: datetime) -> None:
        if self.position is not None:
            self.position.seek(when, time.monotonic(), datetime.now(UTC))
            self._open()

    def step(self, seconds: float) -> None:
        if self.position is not None:
            self.position.step(seconds, time.monotonic(), datetime.now(UTC))
            self._open()

    def set_speed(self, speed: float) -> None:
        if self.position is not None:
            self.position.set_speed(speed, time.monotonic())
            self.timeline.set_speed(speed)
            self._open()

    def toggle_pause(self) -> None:
        """Pause keeps the last picture on screen; play reopens from the paused time."""
        position = self.position
        if position is None:
            return
        if position.paused:
            position.resume()
            self._open()
            return
        position.pause(time.monotonic())
        image = self._video.snapshot()
        self._video.stop()
        if image is not None:
            self._pages.show_still(image)
        self.tick()

    def tick(self) -> None:
        """Counted frames start recorded time; the banner and the strip follow it."""
        position = self.position
        if position is None:
            return
        clock = time.monotonic()
        waiting = position.anchor_clock is None and not position.paused
        if waiting and self.first_frame_s is None and self._video.has_picture():
            self.first_frame_s = clock - self._opened_at
            log.info("playback: first picture after %.2f s", self.first_frame_s)
        if waiting and self._video.frames_decoded() > 0:
            position.started(clock)
            self.running_s = clock - self._opened_at
            self.first_frame_s = self.first_frame_s or self.running_s
        caught = position.anchor_clock is not None or position.paused
        if self._tick.interval() != TICK_MS and (caught or clock - self._opened_at > 5.0):
            self._tick.setInterval(TICK_MS)  # frames counted, or none coming soon
        here = position.at(clock)
        view = TimelineView(datetime.now(UTC), position.recording, here, self._marks())
        self.timeline.show_view(view, self.banner(), position.paused, True)

    def banner(self) -> str:
        """ "PLAYBACK 10:31:05 ×2": nobody may take the past for now."""
        if self.position is None:
            return ""
        here = formatting.clock_seconds(self.position.at(time.monotonic()))
        paused = self.tr(" · PAUSED") if self.position.paused else ""
        return self.tr("PLAYBACK %s ×%s") % (here, speed_text(self.position.speed)) + paused

    def _marks(self) -> list[tuple[datetime, str]]:
        """Incidents from this camera, or reported near it (looked up in the
        queue every MARKS_REFRESH_S, not on every tick: the queue may hold 100,000), and
        the camera's bookmarks."""
        camera, clock = self._stream.camera, time.monotonic()
        if camera is None:
            return self.bookmarks.marks()
        if clock - self._marks_at >= MARKS_REFRESH_S:
            self._marks_at = clock
            self._incident_marks = [
                (incident.created_at, incident.title)
                for incident in self._incidents.incidents()
                if near_camera(camera, incident.lat, incident.lon)
                or (incident.source == Source.CAMERA and incident.district == camera.district)
            ]
        return self._incident_marks + self.bookmarks.marks()

    # --- back to live -----------------------------------------------------------------------
    def back_to_live(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._leave()
        self.timeline.hide()

    def _leave(self) -> None:
        if not self.active:
            return
        self.position = None
        self._tick.stop()
        self._video.stop()
        self._pages.stack.setCurrentWidget(self._video)
        layout = self._tile.layout()
        assert layout is not None
        layout.setContentsMargins(0, 0, 0, 0)
        self._tile.setStyleSheet(
            f"{type(self._tile).__name__}, QLabel {{ background: black; color: #e8e8e8; }}"
        )
        self._stream.set_on_screen(self._tile.isVisible())  # the supervisor plays live again
        self._keep_pill()

    def _keep_pill(self, *_state: object) -> None:
        """PLAYBACK in the state pill while recorded video plays; the stream's state after."""
        if self.active:
            self._bar.set_state(self.tr("PLAYBACK"), "connecting")  # amber
        else:
            self._bar.set_state(state_text(self._stream.state), self._stream.state)

    def _camera_changed(self) -> None:
        """Another camera in the tile (a tour, a drop): its past is not this one's."""
        camera = self._stream.camera
        shown = self.recording.camera if self.active and self.recording is not None else None
        if shown is not None and camera is not None and camera.local_id != shown:
            self.back_to_live()
