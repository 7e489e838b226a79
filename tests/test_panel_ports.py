"""Panels are linked by the ports they declare, never by their kind's name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from console.layout.panel_kinds import CameraConfig, EmptyConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from tests.test_wall_links import camera
from widgets.kinds import register_builtin_kinds
from widgets.panel import (
    FOLLOWS_INCIDENT,
    PLAYS_CAMERAS,
    RAISES_ALARMS,
    REQUESTS_REVIEW,
    REVIEWS_CAMERAS,
    SELECTS_CAMERA,
    SELECTS_INCIDENT,
    SELECTS_PLACE,
    SHOWS_ALARMS,
    Panel,
    PanelContext,
    panel_class,
)
from widgets.wall.links import WallLinks


class Siren(Panel):
    KIND = "kpi-tile"  # any kind: only the declaration counts
    OUTPUTS = (RAISES_ALARMS, SELECTS_INCIDENT)
    alarmRaised = Signal(str, float, float)
    incidentSelected = Signal(str)


class Follower(Panel):
    KIND = "kpi-bars"
    INPUTS = (SHOWS_ALARMS, FOLLOWS_INCIDENT)

    def follow_incident(self, incident_id: str) -> None:
        self.followed = [*getattr(self, "followed", []), incident_id]


class Spot(Panel):
    KIND = "kpi-gauge"
    INPUTS = (PLAYS_CAMERAS,)
    config: CameraConfig

    def set_camera(self, camera_id: str) -> None:
        self.playing = camera_id


class NamedQueue(Panel):
    """Named and shaped like the queue, but declares nothing."""

    KIND = "incidents"
    alarmRaised = Signal(str, float, float)
    incidentSelected = Signal(str)


class NamedMap(Panel):
    KIND = "map"

    def follow_incident(self, incident_id: str) -> None:
        raise AssertionError("an undeclared panel was linked")


class NamedCamera(Panel):
    KIND = "camera"

    def set_camera(self, camera_id: str) -> None:
        raise AssertionError("an undeclared panel was linked")


class FakeWall(QObject):
    presetApplied = Signal(str)

    def __init__(self, panels: list[Panel]) -> None:
        super().__init__()
        self.shown = panels

    def panels(self) -> list[Panel]:
        return list(self.shown)


@pytest.fixture
def context() -> PanelContext:
    cameras = CameraStore()
    cameras.replace([camera("near", 11.5, 106.9), camera("far", 12.1, 107.4)])
    return PanelContext(cameras, IncidentTableModel(), KpiStore(), LayerStore())


def test_an_output_reaches_the_matching_inputs_and_nothing_by_kind(
    qtbot: QtBot, context: PanelContext
) -> None:
    spot_config = CameraConfig(spot=True)
    siren, follower = Siren(context, EmptyConfig()), Follower(context, EmptyConfig())
    spot = Spot(context, spot_config)
    impostors: list[Panel] = [
        NamedQueue(context, EmptyConfig()),
        NamedMap(context, EmptyConfig()),
        NamedCamera(context, spot_config),
    ]
    for panel in (siren, follower, spot, *impostors):
        qtbot.addWidget(panel)
    wall = FakeWall([siren, follower, spot, *impostors])
    links = WallLinks(wall, context.cameras)
    assert links.spot_tiles() == [spot], "a tile named camera is no spot tile"

    siren.alarmRaised.emit("inc-1", 11.5, 106.9)
    assert follower.followed == ["inc-1"], "SHOWS_ALARMS follows RAISES_ALARMS"
    assert spot.playing == "near", "PLAYS_CAMERAS spot tiles play the nearest camera"
    siren.incidentSelected.emit("inc-2")
    assert follower.followed == ["inc-1", "inc-2"], "FOLLOWS_INCIDENT follows SELECTS_INCIDENT"

    impostors[0].alarmRaised.emit("inc-3", 12.1, 107.4)  # type: ignore[attr-defined]
    impostors[0].incidentSelected.emit("inc-3")  # type: ignore[attr-defined]
    assert follower.followed == ["inc-1", "inc-2"] and spot.playing == "near"


def test_a_selection_does_not_come_back_to_the_panel_it_came_from(
    qtbot: QtBot, context: PanelContext
) -> None:
    class Both(Siren, Follower):
        INPUTS = (FOLLOWS_INCIDENT,)

    one, other = Both(context, EmptyConfig()), Both(context, EmptyConfig())
    for panel in (one, other):
        qtbot.addWidget(panel)
    wall = FakeWall([one, other])
    _links = WallLinks(wall, context.cameras)  # kept alive while signals fly
    one.incidentSelected.emit("inc-1")
    assert other.followed == ["inc-1"] and not hasattr(one, "followed")


def test_a_port_declared_without_its_members_is_refused() -> None:
    with pytest.raises(TypeError, match=r"raises alarms.*alarmRaised"):

        class Liar(Panel):
            KIND = "empty"
            OUTPUTS = (RAISES_ALARMS,)


def test_built_in_kinds_declare_what_the_wall_links() -> None:
    register_builtin_kinds()
    queue, map_panel, tile = (panel_class(k) for k in ("incidents", "map", "camera"))
    assert set(queue.OUTPUTS) == {RAISES_ALARMS, SELECTS_INCIDENT, REQUESTS_REVIEW}
    assert set(queue.INPUTS) == {FOLLOWS_INCIDENT}
    assert set(map_panel.OUTPUTS) == {SELECTS_INCIDENT, SELECTS_CAMERA, SELECTS_PLACE}
    assert set(map_panel.INPUTS) == {FOLLOWS_INCIDENT, SHOWS_ALARMS}
    assert set(tile.INPUTS) == {PLAYS_CAMERAS, REVIEWS_CAMERAS}
