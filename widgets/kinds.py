"""The built-in panel kinds. Each module is imported only when a layout uses it."""

from __future__ import annotations

from widgets.panel import Panel, register


def _camera() -> type[Panel]:
    from widgets.video.camera_panel import CameraPanel

    return CameraPanel


def _camera_list() -> type[Panel]:
    from widgets.video.camera_list import CameraListPanel

    return CameraListPanel


def _map() -> type[Panel]:
    from widgets.map.panel import MapPanel

    return MapPanel


def _kpi_chart() -> type[Panel]:
    from widgets.kpi.chart import KpiChartPanel

    return KpiChartPanel


def _kpi_bars() -> type[Panel]:
    from widgets.kpi.bars import KpiBarsPanel

    return KpiBarsPanel


def _kpi_tile() -> type[Panel]:
    from widgets.kpi.tile import KpiTilePanel

    return KpiTilePanel


def _kpi_gauge() -> type[Panel]:
    from widgets.kpi.gauge import KpiGaugePanel

    return KpiGaugePanel


def _kpi_table() -> type[Panel]:
    from widgets.kpi.table import KpiTablePanel

    return KpiTablePanel


def _feedback_stats() -> type[Panel]:
    from widgets.kpi.feedback import FeedbackStatsPanel

    return FeedbackStatsPanel


def _incidents() -> type[Panel]:
    from widgets.incidents.panel import IncidentsPanel

    return IncidentsPanel


def _empty() -> type[Panel]:
    from widgets.editor.placeholder import PlaceholderPanel

    return PlaceholderPanel


def register_builtin_kinds() -> None:
    register("camera", _camera)
    register("camera-list", _camera_list)
    register("map", _map)
    register("kpi-chart", _kpi_chart)
    register("kpi-bars", _kpi_bars)
    register("kpi-tile", _kpi_tile)
    register("kpi-gauge", _kpi_gauge)
    register("kpi-table", _kpi_table)
    register("incidents", _incidents)
    register("feedback-stats", _feedback_stats)
    register("empty", _empty)
