"""Cameras known to the backend and their live status."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from console.domain.records import Camera, CameraStatus


class CameraStore(QObject):
    """Holds the camera list; panels look cameras up by id and follow status changes."""

    camerasReset = Signal()
    statusChanged = Signal(str, str)  # camera id, CameraStatus value

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cameras: dict[str, Camera] = {}

    def replace(self, cameras: Iterable[Camera]) -> None:
        self._cameras = {camera.id: camera for camera in cameras}
        self.camerasReset.emit()

    def set_status(self, camera_id: str, status: CameraStatus) -> None:
        camera = self._cameras.get(camera_id)
        if camera is None or camera.status == status:
            return
        self._cameras[camera_id] = camera.model_copy(update={"status": status})
        self.statusChanged.emit(camera_id, status.value)

    def get(self, camera_id: str) -> Camera | None:
        return self._cameras.get(camera_id)

    def cameras(self) -> list[Camera]:
        return list(self._cameras.values())

    def merge(self, cameras: Iterable[Camera]) -> None:
        """Apply a fresh camera list: statuses in place, a reset only if the set changed."""
        fresh = list(cameras)
        if {camera.id for camera in fresh} != set(self._cameras):
            self.replace(fresh)
            return
        for camera in fresh:
            self.set_status(camera.id, camera.status)
