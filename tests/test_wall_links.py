"""Panels follow each other across the wall: alarms, selection, map clicks."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from console.domain.records import Camera
from console.layout.loader import LayoutLoader
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from tests.test_stores import incident
from widgets.kinds import register_builtin_kinds
from widgets.panel import PanelContext
from widgets.wall.links import WallLinks
from widgets.wall.manager import WallManager

WALL = """\
name: spot
screens:
  - name: s
    rows: 2
    columns: 2
    cells:
      - {row: 0, column: 0, kind: incidents}
      - {row: 0, column: 1, kind: map}
      - {row: 1, column: 0, kind: camera, config: {camera: far, spot: true}}
      - {row: 1, column: 1, kind: camera, config: {camera: far}}
"""


def camera(ident: str, lat: float, lon: float) -> Camera:
    stream = {
        "url": f"http://127.0.0.1:9/{ident}.mjpg",
        "width": 640,
        "height": 360,
        "codec": "mjpeg",
    }
    return Camera.model_validate(
        {
            "id": ident,
            "name": ident,
            "district": "Đồng Xoài",
            "lat": lat,
            "lon": lon,
            "status": "online",
            "streams": {"main": stream, "sub": stream},
        }
    )


def test_alarms_selection_and_map_clicks_reach_the_right_panels(qtbot: QtBot) -> None:
    register_builtin_kinds()
    context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    context.cameras.replace(
        [camera("near", 11.5, 106.9), camera("far", 12.1, 107.4), camera("mid", 11.7, 107.0)]
    )
    context.incidents.upsert([incident(1), incident(2)])  # both at 11.5, 106.9
    wall = WallManager(context)
    wall.apply(LayoutLoader("spot.yaml", WALL).load()[0])
    qtbot.addWidget(wall.window_list()[0])
    links = WallLinks(wall, context.cameras)
    kinds = {panel.KIND: panel for panel in wall.panels() if panel.KIND != "camera"}
    spot, plain = [panel for panel in wall.panels() if panel.KIND == "camera"]
    queue, map_panel = kinds["incidents"], kinds["map"]

    queue.alarmRaised.emit("inc-2", 11.5, 106.9)
    assert spot.camera_id == "near", "the nearest camera plays on the spot tile"
    assert plain.camera_id == "far", "other tiles keep their camera"
    assert map_panel._selected == ("inc-2", True), "the map centres on the incident"

    queue.select("inc-1")
    assert map_panel._selected == ("inc-1", True)
    map_panel.incidentClicked.emit("inc-2")
    assert queue.selected_incident_id() == "inc-2"
    map_panel.cameraClicked.emit("mid")
    assert spot.camera_id == "mid"
    map_panel.nearestCameras.emit(["far", "near"])
    assert spot.camera_id == "far" and plain.camera_id == "far"

    wall.apply(LayoutLoader("spot.yaml", WALL.replace("spot", "spot2", 1)).load()[0])
    assert links.spot_tiles(), "links are made again after a preset switch"
