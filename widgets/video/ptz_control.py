"""Pan, tilt and zoom from a live camera tile: drag, arrow keys, wheel, presets, idle home.

The tile asks the camera's native API (its connection's `IocApi`), or its ONVIF device when
it is listed with an ONVIF address and a login, for the PTZ status when a camera comes in;
a 404 means a fixed camera and the tile stays as it was. Commands go one
at a time, the newest wins: a drag that outruns the network sends only its latest speed,
refreshed every KEEPALIVE_MS so the backend's 1 s dead-man stop does not cut in.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from console.domain import formatting
from console.sources.ioc.api import IocApi, describe
from console.sources.ioc.ptz import NativePtz, PtzClient, PtzHeld, PtzRefused
from console.sources.onvif_ptz import OnvifPtz, login_for
from console.video.supervisor import StreamSupervisor
from widgets.video.playback_mode import PlaybackMode

log = logging.getLogger(__name__)
PTZ_IDLE_HOME_S = 120.0  # no command for this long: back to the "home" preset
KEEPALIVE_MS = 400
WHEEL_MS = 250  # a wheel notch zooms this long
KEY_SPEED = 0.6
Speeds = tuple[float, float, float]
ARROWS: dict[int, Speeds] = {
    Qt.Key.Key_Left: (-KEY_SPEED, 0.0, 0.0),
    Qt.Key.Key_Right: (KEY_SPEED, 0.0, 0.0),
    Qt.Key.Key_Up: (0.0, KEY_SPEED, 0.0),
    Qt.Key.Key_Down: (0.0, -KEY_SPEED, 0.0),
}
STOPPED: Speeds = (0.0, 0.0, 0.0)


class PtzControl(QObject):
    """The PTZ behaviour of one tile; `available` once its camera said it can move."""

    idle_home_s = PTZ_IDLE_HOME_S

    def __init__(
        self,
        tile: QWidget,
        stream: StreamSupervisor,
        picture: QWidget,
        recorders: Mapping[str, IocApi],
        playback: PlaybackMode,
    ) -> None:
        super().__init__(tile)
        self._tile, self._stream, self._picture = tile, stream, picture
        self._recorders, self._playback = recorders, playback
        flash = getattr(getattr(tile, "_display", None), "flash", None)
        self._say: Callable[[str], None] = flash or (lambda text: log.info("PTZ: %s", text))
        self.client: PtzClient | None = None
        self.available = False
        self.presets: list[str] = []
        self._drag_from: QPointF | None = None
        self._drag: Speeds = STOPPED
        self._keys: dict[int, Speeds] = {}
        self._wheel: Speeds = STOPPED
        self._sent: Speeds | None = STOPPED  # None: send the wanted speed again
        self._task: asyncio.Task[None] | None = None
        self._keepalive = QTimer(self, interval=KEEPALIVE_MS)
        self._keepalive.timeout.connect(self._refresh)
        self._wheel_end = QTimer(self, singleShot=True, interval=WHEEL_MS)
        self._wheel_end.timeout.connect(self._wheel_done)
        self._idle = QTimer(self, singleShot=True)
        self._idle.timeout.connect(self.home)
        stream.cameraChanged.connect(self._camera_changed)
        picture.installEventFilter(self)
        tile.installEventFilter(self)
        self._camera_changed()

    def _live(self) -> bool:
        """Only live video moves the camera: playback shows the past."""
        return not self._playback.active

    # --- which camera, and can it move ------------------------------------------------------
    def _camera_changed(self) -> None:
        self.stop_now()
        if isinstance(self.client, OnvifPtz):  # its HTTP sessions stay open until closed
            asyncio.get_event_loop().create_task(self.client.aclose())
        self.available, self.client, self.presets = False, None, []
        camera = self._stream.camera
        api = self._recorders.get(camera.connection) if camera is not None else None
        login = login_for(camera.onvif) if camera is not None else None
        client: NativePtz | OnvifPtz
        if camera is not None and camera.onvif and login is not None:
            client = OnvifPtz(camera.onvif, login)  # listed with an ONVIF address: ONVIF PTZ
        elif camera is not None and api is not None:
            client = NativePtz(api, camera.local_id)
        else:
            return
        self.client = client

        async def probe() -> None:
            try:
                status = await client.status()
                presets = await client.presets()
            except Exception as error:  # a fixed camera (404) or no backend: no PTZ here
                log.debug("PTZ of %s: %s", camera.id, describe(error))
                return
            if self.client is client:
                self.available, self.presets = True, presets
                if status.holder and status.holder != client.operator and status.until:
                    self._held(status.holder, status.until.timestamp())

        asyncio.get_event_loop().create_task(probe())

    # --- sending: one command in flight, the newest speed wins -----------------------------
    def wanted(self) -> Speeds:
        parts = [self._drag, self._wheel, *self._keys.values()]
        return (
            max(-1.0, min(1.0, sum(p[0] for p in parts))),
            max(-1.0, min(1.0, sum(p[1] for p in parts))),
            max(-1.0, min(1.0, sum(p[2] for p in parts))),
        )

    def _changed(self) -> None:
        if self.wanted() != STOPPED:
            self._keepalive.start()
        else:
            self._keepalive.stop()
        self._pump()

    def _refresh(self) -> None:
        if self.wanted() != STOPPED:
            self._sent = None
        self._pump()

    def _pump(self) -> None:
        client = self.client
        if client is None or not self.available or (self._task and not self._task.done()):
            return
        speeds = self.wanted()
        if speeds == self._sent:
            return
        self._sent = speeds
        self._idle.start(int(self.idle_home_s * 1000))

        async def send() -> None:
            try:
                if speeds == STOPPED:
                    await client.stop()
                else:
                    await client.move(*speeds)
            except PtzHeld as held:
                self._held(held.operator, held.until.timestamp())
            except Exception as error:  # refused or unreachable: said on the tile
                self._say(self.tr("PTZ: %s") % describe(error))
            if client is self.client and self.wanted() != self._sent:
                asyncio.get_event_loop().call_soon(self._pump)

        self._task = asyncio.get_event_loop().create_task(send())

    def _held(self, operator: str, until: float) -> None:
        when = formatting.clock(datetime.fromtimestamp(until, UTC))
        self._say(self.tr("Held by %s until %s") % (operator, when))

    def stop_now(self) -> None:
        """Drop every input (focus lost, camera changed, playback): the camera stops."""
        moving = self.wanted() != STOPPED
        self._drag_from, self._drag, self._wheel = None, STOPPED, STOPPED
        self._keys.clear()
        if moving:
            self._changed()

    # --- input ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.available or not self._live():
            return False
        kind = event.type()
        if watched is self._picture and isinstance(event, QMouseEvent):
            return self._mouse(kind, event)
        if watched is self._picture and isinstance(event, QWheelEvent):
            step = 1.0 if event.angleDelta().y() > 0 else -1.0
            self._wheel = (0.0, 0.0, step)
            self._wheel_end.start()
            self._changed()
            return True
        if watched is self._tile and isinstance(event, QKeyEvent) and event.key() in ARROWS:
            if event.isAutoRepeat():
                return True
            if kind == QEvent.Type.KeyPress:
                self._keys[event.key()] = ARROWS[event.key()]
            else:
                self._keys.pop(event.key(), None)
            self._changed()
            return True
        if watched is self._tile and kind == QEvent.Type.FocusOut:
            self.stop_now()
        return False

    def _mouse(self, kind: QEvent.Type, event: QMouseEvent) -> bool:
        left = Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseButtonPress and event.button() == left:
            self._drag_from = event.position()
            self._tile.setFocus()
            return True
        if kind == QEvent.Type.MouseMove and self._drag_from is not None:
            half_w = max(1.0, self._picture.width() / 2)
            half_h = max(1.0, self._picture.height() / 2)
            delta = event.position() - self._drag_from
            pan = max(-1.0, min(1.0, delta.x() / half_w))
            tilt = max(-1.0, min(1.0, -delta.y() / half_h))
            self._drag = (round(pan, 2), round(tilt, 2), 0.0)
            self._changed()
            return True
        if kind == QEvent.Type.MouseButtonRelease and event.button() == left:
            if self._drag_from is None:
                return False
            self._drag_from, self._drag = None, STOPPED
            self._changed()
            return True
        return False

    def _wheel_done(self) -> None:
        self._wheel = STOPPED
        self._changed()

    # --- presets and home -------------------------------------------------------------------
    def add_actions(self, menu: QMenu) -> None:
        if not self.available or not self._live():
            return
        presets = menu.addMenu(self.tr("PTZ presets"))
        for name in self.presets:
            presets.addAction(name, functools.partial(self.goto, name))
        presets.addSeparator()
        presets.addAction(self.tr("Save current position as…"), self.ask_save)

    def goto(self, name: str, by_operator: bool = True) -> None:
        self._run(lambda client: client.goto(name), by_operator)

    def home(self) -> None:
        """After `idle_home_s` without commands (not itself a command: no new countdown)."""
        if self.available and self._live() and "home" in self.presets:
            self.goto("home", by_operator=False)

    def save(self, name: str) -> None:
        async def save(client: PtzClient) -> None:
            self.presets = await client.save(name)
            self._say(self.tr("Preset saved: %s") % name)

        self._run(save)

    def ask_save(self) -> None:
        name, ok = QInputDialog.getText(self._tile, self.tr("Save preset"), self.tr("Name:"))
        if ok and name.strip():
            self.save(name.strip())

    def _run(self, command: Callable[[PtzClient], object], by_operator: bool = True) -> None:
        client = self.client
        if client is None:
            return
        if by_operator:
            self._idle.start(int(self.idle_home_s * 1000))

        async def run() -> None:
            try:
                result = command(client)
                if asyncio.iscoroutine(result):
                    await result
            except PtzHeld as held:
                self._held(held.operator, held.until.timestamp())
            except PtzRefused as error:
                self._say(self.tr("PTZ: %s") % error)
            except Exception as error:  # unreachable or malformed: said on the tile
                self._say(self.tr("PTZ: %s") % describe(error))

        asyncio.get_event_loop().create_task(run())
