"""Send…: put a camera, an incident's cameras, a map view or a KPI chart on a node's cell.

Cells are named as the operator sees them on the node ("Screen 1 · panel 2 — camera
CAM-03"), from what the node last said it shows. An incident's nearest cameras fill the
chosen cell and the cells after it, nearest first; the incident is the one selected in
this console's queue unless another id is typed. Nothing is published until Send, and
what would be sent is checked against the message rules first, so a bad id is said
here, in words, not dropped by the node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.domain.records import Incident
from console.nodes.messages import CameraContent, Content, KpiContent, MapContent, Showing
from widgets.text import PlainLabel

if TYPE_CHECKING:
    from widgets.nodes.controller import WallController

MAX_KPIS = 8  # what one KPI chart of a node takes (KpiContent)


class SendDialog(QDialog):
    """Pick a cell of the node and what to send there; `answered(reason or None)`."""

    answered = Signal(object)  # None: sent; else why not (a plain reason)

    def __init__(
        self, controller: WallController, showing: Showing, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller, self.showing = controller, showing
        self.setWindowTitle(self.tr("Send to {node}").format(node=showing.node))
        self.setMinimumWidth(640)
        self.cell = QComboBox()
        for shown in showing.cells:
            screen, panel = shown.cell.split("/")
            words = self.tr("Screen {screen} · panel {panel} — {kind} {title}").format(
                screen=screen, panel=panel, kind=shown.kind, title=shown.title
            )
            self.cell.addItem(words.strip(), shown.cell)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._camera_page(), self.tr("Camera"))
        self.tabs.addTab(self._incident_page(), self.tr("Incident's cameras"))
        self.tabs.addTab(self._map_page(), self.tr("Map view"))
        self.tabs.addTab(self._kpi_page(), self.tr("KPI chart"))
        self.problem = PlainLabel()
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = self.buttons.addButton(
            self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Cell"), self.cell)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.incident_id.textChanged.connect(self._preview)
        self.count.valueChanged.connect(self._preview)
        self.cell.currentIndexChanged.connect(self._preview)
        self._preview()

    # -- the pages -----------------------------------------------------------------------
    def _camera_page(self) -> QWidget:
        self.camera = QComboBox()
        cameras = sorted(self.controller.context.cameras.cameras(), key=lambda c: c.local_id)
        for camera in cameras:
            words = f"{camera.local_id} · {camera.name} ({camera.district})"
            self.camera.addItem(words, camera.local_id)
        page = QWidget()
        QFormLayout(page).addRow(self.tr("Camera"), self.camera)
        return page

    def _incident_page(self) -> QWidget:
        selected = self.controller.incident(self.controller.selected_incident or "")
        self.incident_id = QLineEdit(selected.local_id if selected else "")
        self.incident_id.setPlaceholderText(self.tr("The incident's id"))
        self.count = QSpinBox()
        self.count.setRange(1, max(1, len(self.showing.cells)))
        self.count.setValue(min(4, self.count.maximum()))
        self.nearest = PlainLabel()
        self.nearest.setWordWrap(True)
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.tr("Incident"), self.incident_id)
        form.addRow(self.tr("Cameras"), self.count)
        form.addRow(self.nearest)
        return page

    def _map_page(self) -> QWidget:
        self.lat, self.lon = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, limit in ((self.lat, 90.0), (self.lon, 180.0)):
            spin.setRange(-limit, limit)
            spin.setDecimals(5)
        self.zoom = QSpinBox()
        self.zoom.setRange(1, 20)
        self.zoom.setValue(15)
        self.place_button = QPushButton(self.tr("The incident's place"))
        self.place_button.clicked.connect(self._use_incident_place)
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.place_button)
        form.addRow(self.tr("Latitude"), self.lat)
        form.addRow(self.tr("Longitude"), self.lon)
        form.addRow(self.tr("Zoom"), self.zoom)
        self._use_incident_place()
        return page

    def _kpi_page(self) -> QWidget:
        self.kpis = QListWidget()
        for kpi in sorted(self.controller.context.kpis.kpis(), key=lambda k: k.name):
            item = QListWidgetItem(f"{kpi.name} ({kpi.local_id})")
            item.setData(Qt.ItemDataRole.UserRole, kpi.local_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.kpis.addItem(item)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(PlainLabel(self.tr("Indicators (up to {n})").format(n=MAX_KPIS)))
        layout.addWidget(self.kpis, 1)
        return page

    # -- what is sent ----------------------------------------------------------------------
    def _incident(self) -> Incident | None:
        return self.controller.incident(self.incident_id.text())

    def _following_cells(self) -> list[str]:
        """The chosen cell and those after it, as the node lists them."""
        start = max(0, self.cell.currentIndex())
        return [shown.cell for shown in self.showing.cells[start:]]

    def _preview(self) -> None:
        incident = self._incident()
        if incident is None:
            words = self.tr("Select an incident in the queue, or type its id.")
        else:
            cameras = self.controller.nearest(incident, self.count.value())
            pairs = zip(cameras, self._following_cells(), strict=False)
            placed = ", ".join(f"{camera} → {cell}" for camera, cell in pairs)
            words = placed or self.tr("No online camera near this incident.")
        self.nearest.setText(words)

    def _use_incident_place(self) -> None:
        incident = self._incident()
        if incident is not None and (incident.lat, incident.lon) != (0.0, 0.0):
            self.lat.setValue(incident.lat)
            self.lon.setValue(incident.lon)

    def contents(self) -> dict[str, Content]:
        """What Send would send, cell by cell; ValueError (in words) when nothing fits."""
        cell = self.cell.currentData()
        if not cell:
            raise ValueError(self.tr("The node shows no cell to send to."))
        page = self.tabs.currentIndex()
        if page == 0:
            if not self.camera.currentData():
                raise ValueError(self.tr("Pick a camera."))
            return {cell: CameraContent(camera=self.camera.currentData())}
        if page == 1:
            incident = self._incident()
            if incident is None:
                raise ValueError(self.tr("No incident with this id."))
            cameras = self.controller.nearest(incident, self.count.value())
            if not cameras:
                raise ValueError(self.tr("No online camera near this incident."))
            pairs = zip(self._following_cells(), cameras, strict=False)
            return {target: CameraContent(camera=camera) for target, camera in pairs}
        if page == 2:
            place = MapContent(lat=self.lat.value(), lon=self.lon.value(), zoom=self.zoom.value())
            return {cell: place}
        ticked = [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.kpis.item(row) for row in range(self.kpis.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]
        if not ticked or len(ticked) > MAX_KPIS:
            raise ValueError(self.tr("Tick one to {n} indicators.").format(n=MAX_KPIS))
        return {cell: KpiContent(indicators=ticked)}

    def send(self) -> None:
        try:
            cells = self.contents()
        except ValidationError as error:
            self.problem.setText(self.tr("Cannot send: {why}").format(why=error.errors()[0]["msg"]))
            return
        except ValueError as error:
            self.problem.setText(str(error))
            return
        why = self.controller.send_cells(self.showing.node, cells)
        self.answered.emit(why)
        if why is not None:
            self.problem.setText(why)
            return
        self.accept()
