"""Config schema of each panel kind, as data.

The layout validator checks cells against these without importing any widget, so
`main.py validate` stays fast and headless; widgets/ registers a view per kind.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from console.domain.alarms import AlarmRule
from console.domain.queue import QueueColumn
from console.domain.records import Source


class PanelConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FromConnections(PanelConfig):
    """A panel that can be limited to some of the site's connections."""

    connections: tuple[str, ...] = Field(
        (), description="Only records of these connections of the site; empty: all of them"
    )

    def shows(self, connection: str) -> bool:
        """Whether a record of `connection` belongs on this panel."""
        return not self.connections or connection in self.connections


class CameraConfig(PanelConfig):
    camera: str | None = Field(None, description="Camera id; empty shows the first camera")
    profile: Literal["auto", "main", "sub"] = "auto"
    network_caching_ms: int = Field(300, ge=0, le=10_000)
    engine: Literal["auto", "vlc", "qt"] = Field(
        "auto", description="auto: libVLC, or Qt Multimedia for what libVLC cannot open (rtsp://)"
    )
    tour: tuple[str, ...] = Field((), description="Camera ids the tile cycles through")
    dwell_s: float = Field(15.0, ge=2, le=3600, description="Seconds on each camera of the tour")
    spot: bool = Field(
        False, description="A spot tile: alarms and map clicks show their nearest camera here"
    )


class CameraListConfig(FromConnections):
    search: str = Field("", description="Initial search text (name or district)")


class BaseLayer(PanelConfig):
    """A map background from a tile server the control room runs (XYZ template or WMS)."""

    name: str = Field(min_length=1, description="Shown in the layer switcher")
    kind: Literal["xyz", "wms"] = "xyz"
    url: str = Field(
        pattern=r"^https?://[^/]+", description="http(s) URL; XYZ: template with {z} {x} {y}"
    )
    layers: str = Field("", description="WMS layer names, comma-separated")
    format: str = Field("image/png", description="WMS image format")
    transparent: bool = False
    attribution: str = ""
    max_zoom: int = Field(19, ge=1, le=22)


class LayerSource(PanelConfig):
    """A map layer read from a standard API by the console (never by the page)."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,40}$", description="Layer id on the map")
    kind: Literal["ogc", "ngsi-ld"] = Field(description="OGC API Features, or NGSI-LD entities")
    url: str = Field(
        "",
        pattern=r"^(https?://[^/]+.*)?$",
        description="Server root (OGC landing page); empty: the console's own backend",
    )
    collection: str = Field("", description="ogc: the collection id")
    type: Literal["Streetlight", "Camera", "Device"] = Field(
        "Streetlight", description="ngsi-ld: the entity type"
    )
    name: str = Field("", description="Shown in the layer switcher; empty: the id")
    refresh_min: float = Field(5.0, ge=0.1, le=24 * 60, description="Minutes between reloads")

    @model_validator(mode="after")
    def _collection_for_ogc(self) -> LayerSource:
        if self.kind == "ogc" and not self.collection:
            raise ValueError("an ogc source needs a collection")
        return self


class MapConfig(FromConnections):
    center: tuple[float, float] | None = Field(None, description="[lat, lon]; empty fits data")
    zoom: int = Field(10, ge=1, le=19)
    layers: tuple[str, ...] = ("districts", "cameras", "incidents")
    base_layers: tuple[BaseLayer, ...] = Field(
        (), description="Backgrounds, the first shown; empty: district boundaries only"
    )
    choropleth: str | None = Field(
        None, description="KPI id: districts coloured by '<id>.<district id>' (or name)"
    )
    cluster_below_zoom: int = Field(14, ge=1, le=20, description="Incidents group below this")
    nearest_cameras: int = Field(3, ge=0, le=12, description="Cameras highlighted near a point")
    sources: tuple[LayerSource, ...] = Field(
        (), description="Layers from OGC API Features or NGSI-LD; each is shown on this map"
    )

    @model_validator(mode="after")
    def _show_sources(self) -> MapConfig:
        """A source's layer is drawn without also listing its id in `layers`."""
        missing = tuple(s.id for s in self.sources if s.id not in self.layers)
        if missing:
            object.__setattr__(self, "layers", (*self.layers, *missing))
        return self


KpiPeriod = Literal["live", "day", "week", "month", "quarter", "year"]
REFRESH_FIELD = Field(
    60.0, gt=0, description="Seconds; older data is shown with an 'as of HH:MM' stamp"
)


class KpiChartConfig(PanelConfig):
    kpis: tuple[str, ...] = Field((), description="KPI ids; empty shows the first KPI")
    window_hours: float = Field(6.0, gt=0, le=24 * 366)
    period: KpiPeriod = Field("live", description="live samples, or buckets of a period")
    thresholds: tuple[float, ...] = Field(
        (), description="Band edges, shaded from bad to good; empty: a band below the target"
    )
    refresh_s: float = REFRESH_FIELD


class KpiBarsConfig(PanelConfig):
    kpis: tuple[str, ...] = Field((), description="KPI ids side by side")
    group: str | None = Field(None, description="Or every KPI whose id starts with 'group.'")
    period: KpiPeriod = "live"
    sort: Literal["descending", "ascending", "none"] = "descending"
    refresh_s: float = REFRESH_FIELD


class KpiTileConfig(PanelConfig):
    kpi: str | None = Field(None, description="KPI id; empty shows the first KPI")
    period: KpiPeriod = "live"
    sparkline: bool = True
    refresh_s: float = REFRESH_FIELD


class KpiGaugeConfig(PanelConfig):
    kpi: str | None = Field(None, description="KPI id; empty shows the first with a target")
    period: KpiPeriod = "live"
    minimum: float | None = Field(None, description="Scale start; empty: 0")
    maximum: float | None = Field(None, description="Scale end; empty: 100 for %, else 1.25×target")
    refresh_s: float = REFRESH_FIELD


class KpiTableConfig(PanelConfig):
    kpis: tuple[str, ...] = Field((), description="KPI ids as rows; empty: every KPI")
    period: KpiPeriod = Field("week", description="Columns are this period's buckets")
    columns: int = Field(7, ge=1, le=31, description="How many of the latest buckets to show")
    refresh_s: float = REFRESH_FIELD


class IncidentsConfig(FromConnections):
    statuses: tuple[str, ...] = Field((), description="Statuses to show; empty shows all")
    sort: QueueColumn = Field(QueueColumn.CREATED, description="Column the queue is sorted by")
    descending: bool = True
    detail: bool = Field(True, description="Show the detail pane and the action bar")
    units: tuple[str, ...] = Field((), description="Units offered when assigning")
    alarms: tuple[AlarmRule, ...] = Field(
        (), description="Rules sending a new incident to the alarm spot, e.g. priority_at_least"
    )
    alarm_interval_s: float = Field(
        10.0, ge=1, le=3600, description="At most one alarm this often; bursts are coalesced"
    )
    alarm_sound: bool = Field(True, description="Sound alarms here (false: a silent kiosk)")
    alarm_repeat_s: float = Field(
        60.0, ge=5, le=3600, description="Sound an unacknowledged alarm again this often"
    )
    escalate_after_s: float = Field(
        300.0, ge=10, le=86_400, description="Unacknowledged this long: louder, leader told"
    )


FeedbackFigure = Literal[
    "received", "settled", "on_time", "satisfaction", "ack_time", "resolve_time"
]
FEEDBACK_FIGURES: tuple[FeedbackFigure, ...] = (
    "received",
    "settled",
    "on_time",
    "satisfaction",
    "ack_time",
    "resolve_time",
)


class FeedbackStatsConfig(FromConnections):
    period: Literal["day", "week", "month", "quarter", "year"] = Field(
        "month", description="The calendar period so far: today, this week, … this year"
    )
    district: str | None = Field(
        None, description="Only this district (case and accents do not matter); empty: all"
    )
    sources: tuple[Source, ...] = Field(
        (), description="Only incidents from these sources (citizen, camera, sensor); empty: all"
    )
    figures: tuple[FeedbackFigure, ...] = Field(
        FEEDBACK_FIGURES, min_length=1, description="Which tiles to show, in this order"
    )

    @field_validator("figures")
    @classmethod
    def _each_figure_once(cls, figures: tuple[FeedbackFigure, ...]) -> tuple[FeedbackFigure, ...]:
        if len(set(figures)) != len(figures):
            raise ValueError("each figure may be named once")
        return figures


class EmptyConfig(PanelConfig):
    """A placeholder cell, made by the layout editor's split: it has no settings."""


PANEL_CONFIGS: dict[str, type[PanelConfig]] = {
    "camera": CameraConfig,
    "camera-list": CameraListConfig,
    "map": MapConfig,
    "kpi-chart": KpiChartConfig,
    "kpi-bars": KpiBarsConfig,
    "kpi-tile": KpiTileConfig,
    "kpi-gauge": KpiGaugeConfig,
    "kpi-table": KpiTableConfig,
    "incidents": IncidentsConfig,
    "feedback-stats": FeedbackStatsConfig,
    "empty": EmptyConfig,
}
