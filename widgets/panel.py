"""What every panel gets and declares, and the registry of panel kinds.

A panel is a QWidget built from (context, config). It reads the stores in the
context and subscribes to their signals; it never fetches data itself.

What a panel sends to and takes from other panels on the wall it declares, as Orange3
widgets declare `Outputs` and `Inputs`: `OUTPUTS` and `INPUTS` list ports, each with
the Protocol a declaring class must offer (checked when the class is made). The wall
links panels by these declarations alone (widgets/wall/links.py), never by kind name
or by probing for attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, cast

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from console.layout.panel_kinds import PANEL_CONFIGS, FromConnections, PanelConfig
from console.site.procedures import ProcedureBook
from console.sources.ioc.api import IocApi
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.stores.archive import IncidentArchive
from console.stores.connections import ConnectionBoard
from console.stores.session import Session

if TYPE_CHECKING:
    from widgets.video.playback_mode import PlaybackMode


@dataclass(frozen=True)
class PanelContext:
    cameras: CameraStore
    incidents: IncidentTableModel
    kpis: KpiStore
    layers: LayerStore
    session: Session = field(default_factory=Session)
    connections: ConnectionBoard = field(default_factory=ConnectionBoard)
    procedures: ProcedureBook = field(default_factory=ProcedureBook)
    archive: IncidentArchive | None = None  # resolved incidents past the retention window
    # Which native API answers for a camera's recordings and playback, by its connection:
    # the one thing a panel asks a source directly (as the operator scrubs).
    recorders: dict[str, IocApi] = field(default_factory=dict)


P = TypeVar("P")


@dataclass(frozen=True, eq=False)
class Port(Generic[P]):
    """One role a panel class can declare; declaring it promises `protocol` (P)."""

    name: str  # what it means on the wall, for logs and people
    protocol: type  # P itself (mypy takes no Protocol class where type[P] is asked)

    def members(self) -> frozenset[str]:
        """The names the protocol asks for (methods, properties, attributes)."""
        names = {*vars(self.protocol), *vars(self.protocol).get("__annotations__", {})}
        return frozenset(name for name in names if not name.startswith("_"))

    def of(self, panel: Panel) -> P | None:
        """`panel` as this port's protocol if its class declares the port, else None."""
        declared = type(panel).OUTPUTS + type(panel).INPUTS
        # The class was checked against the protocol when it declared the port.
        return cast(P, panel) if self in declared else None

    def among(self, panels: Iterable[Panel]) -> list[P]:
        """Those of `panels` whose class declares this port, in order."""
        return [found for panel in panels if (found := self.of(panel)) is not None]


class Output(Port[P]):
    """Something a panel emits for the rest of the wall: the protocol names its signal."""


class Input(Port[P]):
    """Something a panel accepts from the rest of the wall: the protocol names its method."""


class RaisesAlarms(Protocol):
    """`alarmRaised(incident_id, lat, lon)`: a new incident matched an alarm rule
    ((0, 0) when its place is unknown)."""

    @property
    def alarmRaised(self) -> SignalInstance: ...


class SelectsIncident(Protocol):
    """`incidentSelected(incident_id)`: the operator picked an incident here."""

    @property
    def incidentSelected(self) -> SignalInstance: ...


class SelectsCamera(Protocol):
    """`cameraClicked(camera_id)`: the operator picked a camera here."""

    @property
    def cameraClicked(self) -> SignalInstance: ...


class SelectsPlace(Protocol):
    """`nearestCameras([camera_id, ...])`: the cameras nearest a place picked here,
    nearest first."""

    @property
    def nearestCameras(self) -> SignalInstance: ...


class RequestsReview(Protocol):
    """`reviewRequested(incident_id, lat, lon, when)`: look at an incident's place as it
    was at `when` (a datetime), on the cameras nearest it, together."""

    @property
    def reviewRequested(self) -> SignalInstance: ...


class FollowsIncident(Protocol):
    """Shows an incident picked elsewhere on the wall (selects it, brings it into view)."""

    def follow_incident(self, incident_id: str, /) -> None: ...


class SpotConfig(Protocol):
    """`spot: true` in the layout: this tile is one the wall may steer."""

    @property
    def spot(self) -> bool: ...


class PlaysCameras(Protocol):
    """Plays a camera the wall picks for it, when its layout makes it a spot tile."""

    @property
    def config(self) -> SpotConfig: ...

    def set_camera(self, camera_id: str, /) -> None: ...


class ReviewsCameras(PlaysCameras, Protocol):
    """A spot tile that can also play a camera's past (its playback mode)."""

    @property
    def playback(self) -> PlaybackMode: ...


RAISES_ALARMS = Output[RaisesAlarms]("raises alarms", RaisesAlarms)
REQUESTS_REVIEW = Output[RequestsReview]("asks to review the past", RequestsReview)
SELECTS_INCIDENT = Output[SelectsIncident]("selects an incident", SelectsIncident)
SELECTS_CAMERA = Output[SelectsCamera]("selects a camera", SelectsCamera)
SELECTS_PLACE = Output[SelectsPlace]("selects a place", SelectsPlace)
FOLLOWS_INCIDENT = Input[FollowsIncident]("follows a selected incident", FollowsIncident)
SHOWS_ALARMS = Input[FollowsIncident]("shows where an alarm is", FollowsIncident)
PLAYS_CAMERAS = Input[PlaysCameras]("shows alarm and selected cameras", PlaysCameras)
REVIEWS_CAMERAS = Input[ReviewsCameras]("plays a camera's past in a review", ReviewsCameras)


def check_ports(cls: type[Panel]) -> None:
    """Refuse a class that declares a port without offering what its protocol asks."""
    offered = {
        name
        for klass in cls.__mro__
        for name in (*vars(klass), *vars(klass).get("__annotations__", {}))
    }
    for port in cls.OUTPUTS + cls.INPUTS:
        missing = sorted(port.members() - offered)
        if missing:
            raise TypeError(f"{cls.__name__} declares {port.name!r} but lacks {missing}")


class Panel(QWidget):
    """Base of all panels: declares its kind, its ports, and a translated title."""

    KIND: ClassVar[str]
    # True for panels fed by their own connection (a camera stream): they show their
    # own state, so the frame's "stale since" badge for backend data is not theirs.
    SHOWS_OWN_STATE: ClassVar[bool] = False
    # What the panel shows, by the site's feeds: it is stale when a connection feeding
    # one of them is down.
    FEEDS: ClassVar[frozenset[str]] = frozenset({"cameras", "incidents", "kpis", "layers"})
    OUTPUTS: ClassVar[tuple[Output[Any], ...]] = ()
    INPUTS: ClassVar[tuple[Input[Any], ...]] = ()
    titleChanged = Signal(str)  # emit when the title depends on data that just arrived
    context: PanelContext
    config: PanelConfig

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        check_ports(cls)

    def __init__(self, context: PanelContext, config: PanelConfig, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.config = config

    def title(self) -> str:
        return self.KIND

    def connections_shown(self) -> tuple[str, ...]:
        """The site's connections whose records this panel shows (empty: all of them)."""
        config = self.config
        return config.connections if isinstance(config, FromConnections) else ()

    def is_ready(self) -> bool:
        """Shows its data: a briefing grabs a slide for the minutes once all its panels are."""
        return True

    def report(self) -> dict[str, Any]:
        """What the panel shows, in words a program reads (`--screenshot`'s JSON)."""
        return {"kind": self.KIND, "title": self.title()}

    def read_report(self, done: Callable[[dict[str, Any]], None]) -> None:
        """`report()`, for panels that must ask their view first (a map asks its page)."""
        done(self.report())


PanelFactory = Callable[[PanelContext, PanelConfig], Panel]
_FACTORIES: dict[str, Callable[[], type[Panel]]] = {}


def register(kind: str, load: Callable[[], type[Panel]]) -> None:
    """Register a kind lazily: heavy modules (QtWebEngine, vlc) load on first use."""
    if kind not in PANEL_CONFIGS:
        raise KeyError(f"panel kind {kind!r} has no config schema in console.layout.panel_kinds")
    _FACTORIES[kind] = load


def panel_class(kind: str) -> type[Panel]:
    return _FACTORIES[kind]()


def create_panel(kind: str, context: PanelContext, config: PanelConfig) -> Panel:
    return panel_class(kind)(context, config)
