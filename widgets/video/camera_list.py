"""The camera list: search by name or district, drag a camera onto any camera tile.

Search ignores case and Vietnamese diacritics ("dong xoai" finds "Đồng Xoài"), because
operators type fast on keyboards without a Vietnamese input method.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QVBoxLayout, QWidget

from console.domain.records import CameraStatus
from console.layout.panel_kinds import CameraListConfig
from widgets.panel import Panel, PanelContext
from widgets.text import plain_tooltip
from widgets.video.actions import CAMERA_MIME

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
ModelIndex = QModelIndex | QPersistentModelIndex


def fold(text: str) -> str:
    """Lower case without diacritics; đ/Đ become d (they are letters, not accents)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _CameraModel(QStandardItemModel):
    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        if indexes:
            camera_id = str(indexes[0].data(ID_ROLE))
            data.setData(CAMERA_MIME, camera_id.encode())
            data.setText(camera_id)
        return data


class _Search(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self.words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: ModelIndex) -> bool:
        key = str(self.sourceModel().index(row, 0, parent).data(KEY_ROLE))
        return all(word in key for word in self.words)


class CameraListPanel(Panel):
    KIND = "camera-list"
    FEEDS = frozenset({"cameras"})

    def __init__(
        self, context: PanelContext, config: CameraListConfig, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, config, parent)
        self._limit = config  # which of the site's connections it lists
        self.search = QLineEdit(config.search)
        self.search.setPlaceholderText(self.tr("Search cameras by name or district…"))
        self.search.setClearButtonEnabled(True)
        self.model = _CameraModel(self)
        self.proxy = _Search()
        self.proxy.setSourceModel(self.model)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        self.search.textChanged.connect(self.proxy.set_query)
        context.cameras.camerasReset.connect(self._reload)
        context.cameras.statusChanged.connect(lambda *_: self._reload())
        self._reload()
        self.proxy.set_query(config.search)

    def title(self) -> str:
        return self.tr("Cameras")

    def visible_ids(self) -> list[str]:
        return [str(self.proxy.index(row, 0).data(ID_ROLE)) for row in range(self.proxy.rowCount())]

    def _reload(self) -> None:
        self.model.clear()
        cameras = [c for c in self.context.cameras.cameras() if self._limit.shows(c.connection)]
        for camera in sorted(cameras, key=lambda c: c.name):
            offline = camera.status == CameraStatus.OFFLINE
            # Plain text items: names from the backend are never read as markup.
            item = QStandardItem(f"{'○' if offline else '●'} {camera.name} — {camera.district}")
            item.setData(camera.id, ID_ROLE)
            item.setData(fold(f"{camera.name} {camera.district} {camera.id}"), KEY_ROLE)
            item.setToolTip(plain_tooltip(self.tr("Offline") if offline else self.tr("Online")))
            item.setForeground(Qt.GlobalColor.gray if offline else Qt.GlobalColor.white)
            item.setDragEnabled(True)
            self.model.appendRow(item)
        self.proxy.invalidate()
