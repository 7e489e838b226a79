"""Cameras of every connection and their live status, merged in one store."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from console.domain.naming import Names, replaced
from console.domain.records import Camera, CameraStatus


class CameraStore(QObject):
    """Holds the camera list; panels look cameras up by reference and follow status changes.

    Each connection replaces only its own cameras, so one site's reload never drops
    another's; a reference from a layout (`cam-01`) resolves as in console.domain.naming."""

    camerasReset = Signal()
    statusChanged = Signal(str, str)  # camera id, CameraStatus value

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cameras: dict[str, Camera] = {}
        self._names = Names()

    def replace(self, cameras: Iterable[Camera], connection: str | None = None) -> None:
        """The cameras of `connection` (all of them when None) are now exactly these."""
        self._cameras = replaced(self._cameras, cameras, connection)
        self._names.reset(self._cameras.values())
        self.camerasReset.emit()

    def set_status(self, camera_id: str, status: CameraStatus) -> None:
        camera = self._cameras.get(camera_id)
        if camera is None or camera.status == status:
            return
        self._cameras[camera_id] = camera.model_copy(update={"status": status})
        self.statusChanged.emit(camera_id, status.value)

    def get(self, ref: str) -> Camera | None:
        """The camera `ref` names: its id, or its local id when only one connection has it."""
        key = self._names.resolve(ref)
        return None if key is None else self._cameras.get(key)

    def cameras(self) -> list[Camera]:
        return list(self._cameras.values())

    def merge(self, cameras: Iterable[Camera], connection: str | None = None) -> None:
        """Apply a fresh camera list: statuses in place, a reset only if the set changed."""
        fresh = list(cameras)
        held = {
            key
            for key, camera in self._cameras.items()
            if connection is None or camera.connection == connection
        }
        if {camera.id for camera in fresh} != held:
            self.replace(fresh, connection)
            return
        for camera in fresh:
            self.set_status(camera.id, camera.status)
