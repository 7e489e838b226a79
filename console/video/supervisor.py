"""A camera tile's stream supervision, without a screen: connect, watch frames, back off, retry.

The view (widgets/video/camera_panel.py) draws; this object decides, on the GUI thread only.
A tick reads the decoded-frame counter (progress → live, none for a while → stalled →
reconnect), the decoder's end/error events come in through `on_player_event`, and the camera
store says online/offline. Streams that cannot be reached are "offline" (retried forever with
backoff and jitter); "error" is kept for what retrying cannot fix (an unknown camera). Hidden
tiles decode nothing, and the wall-wide `DecodeBudget` picks the tier (main → sub → lower
fps → still).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QObject, QSize, QTimer, Signal

from console.domain.records import Camera, CameraStatus
from console.layout.panel_kinds import CameraConfig
from console.stores import CameraStore
from console.video.budget import DecodeBudget, Tier, shared_budget
from console.video.engines import note_vlc_rtsp_failure
from console.video.policy import Profile, Timing, backoff_delay, budget_tiers, choose_profile
from console.video.stream import RUNNING, Decoder, Reason, State


class StreamSupervisor(QObject):
    """One tile's stream: the state machine of the module docstring, and its `BudgetClient`."""

    stateChanged = Signal(str)  # State, once per change (and once at the start)
    reasonChanged = Signal(str)  # Reason, on every report: it can change while the state stays
    cameraChanged = Signal()  # the camera was looked up again (name and district may differ)
    tierChanged = Signal()  # a (re)connect started at `tier`
    stillWanted = Signal()  # still tier: keep the picture now, decoding stops right after

    def __init__(
        self,
        config: CameraConfig,
        cameras: CameraStore,
        decoder: Decoder,
        tile_size: Callable[[], QSize],
        *,
        timing: Timing | None = None,
        budget: DecodeBudget | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.config, self.timing = config, timing or Timing()
        self.budget = budget or shared_budget()
        self._cameras, self._decoder = cameras, decoder
        self._tile_size, self._clock = tile_size, clock
        self._rng = random.Random()
        self._state: State = "connecting"
        self._reason, self._announced = Reason.NONE, False
        self._camera: Camera | None = None
        self._camera_id = config.tour[0] if config.tour else config.camera
        self._tier: Tier | None = None
        self._level = 0
        self.current_url: str | None = None
        self.retry_delay_s: float | None = None  # the last backoff scheduled
        self._playing = self._on_screen = self._closed = False
        self._attempt, self._frames, self._progress_at = 0, 0, 0.0
        self._tick = self._timer(self.timing.tick_ms, self.tick, single=False)
        self._retry = self._timer(0, self.start)
        self._reprofile = self._timer(500, self.budget.request)  # debounces resizes
        self.destroyed.connect(lambda: self.budget.leave(self))  # even without shutdown()
        cameras.camerasReset.connect(self._on_cameras_reset)
        cameras.statusChanged.connect(self._on_status_changed)

    def _timer(self, ms: int, slot: Callable[[], None], single: bool = True) -> QTimer:
        timer = QTimer(self, interval=ms, singleShot=single)
        timer.timeout.connect(slot)
        return timer

    # --- what the view reads ----------------------------------------------------------------
    @property
    def state(self) -> State:
        return self._state

    @property
    def reason(self) -> Reason:
        return self._reason

    @property
    def camera(self) -> Camera | None:
        return self._camera

    @property
    def camera_id(self) -> str | None:
        return self._camera.id if self._camera else self._camera_id

    @property
    def tier(self) -> Tier | None:
        """What the tile decodes now (None while stopped)."""
        return self._tier

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def closed(self) -> bool:
        return self._closed

    def retry_remaining_ms(self) -> int:
        """Time left before the next reconnect, -1 when none is scheduled."""
        return self._retry.remainingTime() if self._retry.isActive() else -1

    def tiers(self) -> list[Tier]:
        """Every tier this camera offers at the tile's size, best first (none when offline)."""
        camera = self._camera
        if camera is None or camera.status == CameraStatus.OFFLINE or not camera.streams:
            return []
        wanted = choose_profile(camera, self.config.profile, self._tile_size())
        return budget_tiers(camera, wanted, self.timing.still_refresh_s)

    # --- what the view calls ----------------------------------------------------------------
    def begin(self) -> None:
        """Look the camera up and start; the view calls it once its signals are connected."""
        self._resolve_camera()
        self.start()
        self._tick.start()
        self.tick()

    def set_camera(self, camera_id: str) -> bool:
        """Play another camera (drag and drop, tours, spot tiles); False if it already plays."""
        if camera_id == self.camera_id and self._camera is not None:
            return False
        self._camera_id = camera_id
        self._attempt = 0
        self._resolve_camera()
        self.start()
        return True

    def set_on_screen(self, on_screen: bool) -> None:
        """Shown: join the budget and connect; hidden: stop decoding and free the budget."""
        if on_screen == self._on_screen:
            return
        self._on_screen = on_screen
        if on_screen:
            self.budget.join(self)
        self._retry.start(0)  # after the layout has given the video area its size

    def tile_resized(self) -> None:
        """The tile's size decides the profile: ask the budget again once resizing settles."""
        self._reprofile.start()

    def shutdown(self) -> None:
        """Stop timers and leave the budget; the supervisor stays inert afterwards."""
        if self._closed:
            return
        self._closed = True
        for timer in (self._tick, self._retry, self._reprofile):
            timer.stop()
        self.budget.leave(self)
        self._playing = False

    # --- the state machine ------------------------------------------------------------------
    def _set_state(self, state: State, reason: Reason = Reason.NONE) -> None:
        self._reason = reason
        self.reasonChanged.emit(reason)
        if state == self._state and self._announced:
            return
        self._state, self._announced = state, True
        self.stateChanged.emit(state)

    def _resolve_camera(self) -> None:
        wanted = self._camera_id
        cameras = self._cameras.cameras()
        self._camera = self._cameras.get(wanted) if wanted else (cameras[0] if cameras else None)
        self.cameraChanged.emit()

    def _stop(self) -> None:
        self._decoder.stop()
        self._playing, self._tier, self.current_url = False, None, None

    def start(self) -> None:
        """(Re)connect to the camera's stream at the budget's tier, or report why it cannot."""
        self._retry.stop()
        if self._closed:
            return
        camera = self._camera
        if camera is None:
            self._stop()  # no retry: the next camerasReset tries again
            if self._camera_id and self._cameras.cameras():
                self._set_state("error", Reason.UNKNOWN_CAMERA)
            else:
                self._set_state("connecting", Reason.WAITING_FOR_LIST)
            return
        if camera.status == CameraStatus.OFFLINE:
            self._stop()
            self._set_state("offline", Reason.CAMERA_OFFLINE)
            self.budget.request()
            return
        if not camera.streams:
            self._stop()  # retrying cannot help; a new camera list tries again
            self._set_state("error", Reason.NO_STREAM)
            return
        if not self._on_screen:
            self._stop()  # hidden tiles decode nothing; set_on_screen(True) starts again
            self._set_state("connecting")
            self.budget.request()
            return
        tiers = self.tiers()
        self._level = self.budget.level_for(self)
        tier = tiers[min(self._level, len(tiers) - 1)]
        self._set_state("connecting")
        self._tier = tier
        self.current_url = camera.streams[cast(Profile, tier.profile)].url
        self._frames = 0
        self._progress_at = self._clock()
        self._playing = True
        config = self.config
        self._decoder.play(self.current_url, config.network_caching_ms, config.engine, tier.low_fps)
        self.tierChanged.emit()
        self.budget.request()

    def _fail(self, reason: Reason) -> None:
        self._decoder.stop()
        self._playing = False
        self._set_state("offline", reason)
        self._schedule_retry()

    def _schedule_retry(self) -> None:
        self.retry_delay_s = backoff_delay(self._attempt, self.timing, self._rng)
        self._attempt += 1
        self._retry.start(int(self.retry_delay_s * 1000))

    def tick(self) -> None:
        """Read the frame counter: progress → live, silence → stalled or offline."""
        if self._state not in RUNNING or not self._playing:
            return
        now, timing = self._clock(), self.timing
        frames = self._decoder.frames_decoded()
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
            self._fail(Reason.NO_VIDEO)

    def _take_still(self) -> None:
        """Still tier: the view keeps the first picture, decoding stops, another comes later."""
        self.stillWanted.emit()
        self._decoder.stop()
        self._playing = False
        self._retry.start(int(self.timing.still_refresh_s * 1000))

    def on_player_event(self, generation: int, ended: bool) -> None:
        """The decoder's stream ended or failed (queued from its thread)."""
        if generation != self._decoder.generation or not self._playing or self._closed:
            return  # a late event of a stream we already stopped or replaced
        url = self.current_url or ""
        if not ended and url.startswith("rtsp") and self._decoder.engine == "vlc":
            if self.config.engine == "auto":
                note_vlc_rtsp_failure()  # this libVLC cannot do RTSP: Qt Multimedia can
                self.start()
                return
            self._fail(Reason.RTSP_UNSUPPORTED)
        elif ended:
            self._fail(Reason.ENDED)
        else:
            self._fail(Reason.OPEN_FAILED)

    def _on_status_changed(self, camera_id: str, _status: str) -> None:
        if self._camera is None or camera_id != self._camera.id:
            return
        self._camera = self._cameras.get(camera_id)
        self._attempt = 0
        self.start()

    def _on_cameras_reset(self) -> None:
        before = self._camera
        self._resolve_camera()
        if self._camera is None or self._camera != before:
            self._attempt = 0
            self.start()

    # --- decode budget (BudgetClient) -------------------------------------------------------
    def budget_tiers(self) -> list[Tier]:
        return [] if self._closed or not self._on_screen else self.tiers()

    def budget_area(self) -> int:
        size = self._tile_size()
        return size.width() * size.height()

    def apply_tier(self, index: int) -> None:
        tiers = self.budget_tiers()
        self._level = index
        if not tiers or self._state not in RUNNING or self._tier is None:
            return
        if tiers[min(index, len(tiers) - 1)] != self._tier:
            self.start()
