"""What a camera tile's stream looks like: its supervisor drawn on the status bar and pages.

One binder between the headless `StreamSupervisor` and the tile's widgets: the state pill,
the reason in place of the video (with a retry countdown), the still picture of the last
budget tier, the clock, the badge (reduced tier, paused tour, a short notice) and fonts that
scale with the tile. The panel keeps the operator's actions.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from console.video.supervisor import StreamSupervisor
from console.video.tour import CameraTour
from widgets.video.status_bar import CameraBar
from widgets.video.tile_pages import TilePages
from widgets.video.tile_words import badge_text, reason_text, state_text


class StreamDisplay(QObject):
    """Follows `stream`'s signals; the clock also drives the retry countdown.

    `retrying(seconds)` words the countdown ("Retrying in 3 s…"), a plural the panel translates.
    """

    def __init__(
        self,
        stream: StreamSupervisor,
        bar: CameraBar,
        pages: TilePages,
        retrying: Callable[[int], str],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._stream, self._bar, self._pages = stream, bar, pages
        self._retrying = retrying
        self.reason = ""  # the words shown for the stream's current reason
        self.tour: CameraTour | None = None  # its pauses show in the badge
        self._clock = QTimer(self, interval=stream.timing.tick_ms)
        self._clock.timeout.connect(self.tick)
        self._notice = QTimer(self, interval=3000, singleShot=True)
        self._notice.timeout.connect(self.update_badge)
        pages.video.streamEvent.connect(stream.on_player_event)
        stream.reasonChanged.connect(self._show_reason)
        stream.stateChanged.connect(self._show_state)
        stream.cameraChanged.connect(self._show_camera)
        stream.tierChanged.connect(self.update_badge)
        stream.stillWanted.connect(self._keep_still)

    def start(self) -> None:
        self._clock.start()
        self.tick()

    def stop(self) -> None:
        self._clock.stop()

    def apply_fonts(self, tile_height: int) -> None:
        """Scale text with the tile so a wall tile reads from across the room."""
        px = max(12, min(28, tile_height // 18))
        self._bar.set_font_px(px)
        self._pages.set_font_px(px + 4)

    def flash(self, text: str) -> None:
        """A short notice in the badge slot (snapshot saved, ...)."""
        self._bar.set_badge(text)
        self._notice.start()

    def update_badge(self) -> None:
        if self._notice.isActive():
            return
        stream = self._stream
        self._bar.set_badge(*badge_text(stream.tier, stream.tiers(), self.tour))

    def tick(self) -> None:
        self._bar.tick()
        remaining = self._stream.retry_remaining_ms()
        if self._stream.state == "offline" and remaining >= 0:
            seconds = (remaining + 999) // 1000
            self._pages.message.setText(self.reason + "\n" + self._retrying(seconds))

    def _show_camera(self) -> None:
        camera = self._stream.camera
        self._bar.name.setText(camera.name if camera else (self._stream.camera_id or ""))
        self._bar.district.setText(camera.district if camera else "")

    def _show_reason(self, reason: str) -> None:
        """Plain words for why no video shows; they replace the video while it is stopped."""
        self.reason = reason_text(reason, self._stream.camera_id)
        self._pages.show_reason(self.reason)

    def _show_state(self, state: str) -> None:
        self._bar.set_state(state_text(state), state)

    def _keep_still(self) -> None:
        """Still tier: keep the picture now; the supervisor stops decoding right after."""
        image = self._pages.video.snapshot()
        if image is not None:
            self._pages.show_still(image)
