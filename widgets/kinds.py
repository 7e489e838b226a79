"""The built-in panel kinds. Each module is imported only when a layout uses it."""

from __future__ import annotations

from widgets.panel import Panel, register


def _camera() -> type[Panel]:
    from widgets.camera_panel import CameraPanel

    return CameraPanel


def _map() -> type[Panel]:
    from widgets.map_panel import MapPanel

    return MapPanel


def _kpi_chart() -> type[Panel]:
    from widgets.kpi_chart import KpiChartPanel

    return KpiChartPanel


def _incidents() -> type[Panel]:
    from widgets.incidents_panel import IncidentsPanel

    return IncidentsPanel


def register_builtin_kinds() -> None:
    register("camera", _camera)
    register("map", _map)
    register("kpi-chart", _kpi_chart)
    register("incidents", _incidents)
