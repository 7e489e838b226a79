"""Config schema of each panel kind, as data.

The layout validator checks cells against these without importing any widget, so
`main.py validate` stays fast and headless; widgets/ registers a view per kind.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PanelConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CameraConfig(PanelConfig):
    camera: str | None = Field(None, description="Camera id; empty shows the first camera")
    profile: Literal["auto", "main", "sub"] = "auto"
    network_caching_ms: int = Field(300, ge=0, le=10_000)


class MapConfig(PanelConfig):
    center: tuple[float, float] | None = Field(None, description="[lat, lon]; empty fits data")
    zoom: int = Field(10, ge=1, le=19)
    layers: tuple[str, ...] = ("districts", "cameras", "incidents")


class KpiChartConfig(PanelConfig):
    kpis: tuple[str, ...] = Field((), description="KPI ids; empty shows the first KPI")
    window_hours: float = Field(6.0, gt=0, le=24 * 366)


class IncidentsConfig(PanelConfig):
    statuses: tuple[str, ...] = Field((), description="Statuses to show; empty shows all")


PANEL_CONFIGS: dict[str, type[PanelConfig]] = {
    "camera": CameraConfig,
    "map": MapConfig,
    "kpi-chart": KpiChartConfig,
    "incidents": IncidentsConfig,
}
