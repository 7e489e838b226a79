"""KPI time series: several series, target line, threshold bands, crosshair, periods.

Live samples are appended to the store's columns; a long live series reaches the curve
as its min/max envelope (one bucket per pixel, kept up to date incrementally, see
kpi_envelope), so a new sample costs a few hundred points, not the whole column.
At most ten repaints a second. Width-1 pens: wider pens cost ~60× more.
"""

from __future__ import annotations

import html
import itertools
import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from console.domain import formatting
from console.domain.periods import Period, bucket_edges
from console.domain.records import Kpi
from console.domain.standing import Standing, default_edges
from console.layout.panel_kinds import KpiChartConfig
from console.stores.kpi_envelope import PeakEnvelope, bucket_width
from widgets.kpi.axes import LocaleAxis, LocaleDateAxis, TickGrid
from widgets.kpi.common import (
    BACKGROUND,
    STANDING_COLOURS,
    TARGET,
    KpiPanel,
    colour_for,
    iso,
)
from widgets.panel import PanelContext
from widgets.text import MarkupLabel

SERIES_COLOURS = ("#58a6ff", "#3fb950", "#f5d547", "#ff9f43", "#d2a8ff")
BAND_ORDER = (Standing.VERY_BAD, Standing.BAD, Standing.FAIR, Standing.GOOD, Standing.VERY_GOOD)


class KpiChartPanel(KpiPanel):
    KIND = "kpi-chart"

    def __init__(self, context: PanelContext, config: KpiChartConfig, parent: Any = None):
        super().__init__(context, config, parent)
        self.chart_config = config
        self._several = False  # several series: smaller headline values
        self.value_label = MarkupLabel()  # series names in their colours, escaped
        self.value_label.setObjectName("KpiValue")
        self.value_label.setWordWrap(True)
        self.plot = pg.PlotWidget(
            axisItems={
                "bottom": LocaleDateAxis(),
                "left": LocaleAxis("left"),
            },
            background=BACKGROUND,
        )
        self.grid = TickGrid(self.plot.getPlotItem())
        self.plot.setMenuEnabled(False)
        self.plot.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        tick_font = QFont(self.font())
        tick_font.setPointSizeF(max(11.0, self.font().pointSizeF() * 0.85))
        for name in ("bottom", "left"):
            axis = self.plot.getAxis(name)
            axis.setTickFont(tick_font)
            axis.setTextPen("#c9d1d9")
        self.legend = self.plot.addLegend(
            offset=(10, 10), labelTextSize=f"{tick_font.pointSizeF()}pt"
        )
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.envelopes: dict[str, PeakEnvelope] = {}
        self.shown: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # exact points, crosshair
        self.targets: dict[str, pg.InfiniteLine] = {}
        self.bands: list[pg.LinearRegionItem] = []
        self.crosshair = pg.InfiniteLine(angle=90, pen=pg.mkPen("#8b949e", width=1))
        self.crosshair_text = pg.TextItem(color="#e6edf3", fill="#161b22dd", anchor=(0, 1))
        self.crosshair_text.setFont(tick_font)
        for item in (self.crosshair, self.crosshair_text):
            item.setVisible(False)
            self.plot.addItem(item, ignoreBounds=True)
        self._mouse = pg.SignalProxy(
            self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved
        )
        self.body.addWidget(self.value_label)
        self.body.addWidget(self.plot, 1)
        self.rebuild()
        self.apply_font_scales()

    def kpi_ids(self) -> list[str]:
        if self.chart_config.kpis:
            return list(self.chart_config.kpis)
        kpis = self.store.kpis()
        return [kpis[0].id] if kpis else []

    def export_widget(self) -> QWidget:
        return self

    # -- items ---------------------------------------------------------------
    def rebuild(self) -> None:
        for item in (*self.curves.values(), *self.targets.values(), *self.bands):
            self.plot.removeItem(item)
        self.curves.clear()
        self.envelopes.clear()
        self.shown.clear()
        self.targets.clear()
        self.bands.clear()
        aggregated = self.period is not Period.LIVE
        for i, kpi in enumerate(self.kpis()):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            curve = self.plot.plot(
                pen=pg.mkPen(colour, width=1),
                name=html.escape(kpi.name),  # the legend's label is HTML
                skipFiniteCheck=not aggregated,
                connect="finite",
                symbol="o" if aggregated else None,
                symbolSize=7,
                symbolBrush=colour,
                symbolPen=None,
            )
            curve.setDownsampling(auto=False)  # envelope() below does it incrementally
            curve.setClipToView(True)
            self.curves[kpi.id] = curve
            if kpi.target is not None:
                self._add_target(kpi)
        self._add_bands()
        self.legend.setVisible(False)  # the headline names each series in its colour
        super().rebuild()

    def _add_target(self, kpi: Kpi) -> None:
        assert kpi.target is not None
        target = pg.InfiniteLine(
            pos=kpi.target,
            angle=0,
            pen=pg.mkPen(TARGET, width=1, style=Qt.PenStyle.DashLine),
            label=_literal_format(
                self.tr("target {value}").format(value=formatting.quantity(kpi.target, kpi.unit))
            ),
            labelOpts={"position": 0.08, "color": TARGET, "fill": "#0d1117cc"},
        )
        self.plot.addItem(target, ignoreBounds=True)
        self.targets[kpi.id] = target

    def _add_bands(self) -> None:
        """Threshold bands of the first KPI, faint, from very bad to very good."""
        kpis = self.kpis()
        if not kpis:
            return
        kpi = kpis[0]
        edges = tuple(sorted(self.chart_config.thresholds))
        if len(kpis) > 1 and not edges:
            return  # bands of one series would mislabel the others
        if not edges and kpi.target is not None:
            edges = default_edges(kpi.target)[1:3]  # bad below, fair just under target
        if not edges:
            return
        reach = 100 * max(abs(kpi.target or edges[-1]) * 0.1, 1.0)  # far, yet paintable
        bounds = (edges[0] - reach, *edges, edges[-1] + reach)
        order = BAND_ORDER if kpi.higher_is_better else BAND_ORDER[::-1]
        picks = [order[round(i * 4 / (len(bounds) - 2))] for i in range(len(bounds) - 1)]
        for (low, high), rank in zip(itertools.pairwise(bounds), picks, strict=True):
            if rank in (Standing.GOOD, Standing.VERY_GOOD):
                continue  # calm: only the zones to worry about are shaded
            brush = pg.mkColor(STANDING_COLOURS[rank])
            brush.setAlpha(28)
            band = pg.LinearRegionItem(
                (low, high),
                orientation="horizontal",
                movable=False,
                brush=brush,
                pen=pg.mkPen(0, 0, 0, 0),
            )
            band.setZValue(-20)
            self.plot.addItem(band, ignoreBounds=True)
            self.bands.append(band)

    # -- drawing -------------------------------------------------------------
    def redraw(self) -> None:
        now = time.time()
        if self.period is Period.LIVE:
            low, high = now - self.chart_config.window_hours * 3600, now
        else:
            edges = bucket_edges(self.period, formatting.local(now))
            low, high = float(edges[0]), float(edges[-1])
        # Range first, and only when it moved by a pixel or so: each change re-clips.
        shown = self.plot.getPlotItem().vb.viewRange()[0]
        pad = 0.02 * (high - low)
        if abs(shown[1] - high - pad) + abs(shown[0] - low + pad) > (high - low) / 400 + 1e-9:
            self.plot.setXRange(low, high, padding=0.02)
        for kpi_id, curve in self.curves.items():
            times, values = self.store.period_series(kpi_id, self.period)
            if self.period is not Period.LIVE:
                times = np.minimum(times + _bucket_mid(times), now)
                curve.setData(times, values)
            else:
                curve.setData(*self._envelope(kpi_id, times, values, low, high))
            self.shown[kpi_id] = (times, values)
        self._show_latest()

    def _envelope(
        self, kpi_id: str, times: np.ndarray, values: np.ndarray, low: float, high: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """The samples in view, or their per-pixel min/max when there are more of them
        than pixels (peak downsampling, but only the newest bucket is recomputed)."""
        pixels = max(1, int(self.plot.getPlotItem().vb.width()))
        first = int(np.searchsorted(times, low, side="left"))
        if len(times) - first <= 2 * pixels:
            self.envelopes.pop(kpi_id, None)
            return times[max(0, first - 1) :], values[max(0, first - 1) :]
        width = bucket_width(high - low, pixels)
        envelope = self.envelopes.get(kpi_id)
        if envelope is None or envelope.width != width:
            envelope = self.envelopes[kpi_id] = PeakEnvelope(width)
        envelope.update(times, values)
        return envelope.window(low, high)

    def _show_latest(self) -> None:
        parts: list[str] = []
        for kpi_id in self.curves:
            kpi = self.store.get(kpi_id)
            if kpi is None:
                continue
            live = self.period is Period.LIVE
            value = kpi.value if live else self.store.period_values(kpi_id, self.period)[0]
            text = _headline(kpi, value)
            if len(self.curves) > 1:
                colour = SERIES_COLOURS[len(parts) % len(SERIES_COLOURS)]
                name = html.escape(kpi.name)
                text = f'<span style="color:{colour}">■</span> <small>{name}</small> {text}'
            parts.append(text)
        self.value_label.setText("&nbsp;&nbsp;&nbsp;".join(parts))
        if (len(parts) > 1) != self._several:
            self._several = len(parts) > 1
            self.apply_font_scales()

    def font_scales(self) -> dict[QWidget | None, float]:
        big = 1.15 if getattr(self, "_several", False) else 1.6
        return {**super().font_scales(), getattr(self, "value_label", None): big}

    def point_count(self) -> int:
        return sum(0 if c.xData is None else len(c.xData) for c in self.curves.values())

    def _mouse_moved(self, event: tuple[Any, ...]) -> None:
        pos = event[0]
        box = self.plot.getPlotItem().vb
        if not self.plot.sceneBoundingRect().contains(pos) or not self.curves:
            self.crosshair.setVisible(False)
            self.crosshair_text.setVisible(False)
            return
        x = box.mapSceneToView(pos).x()
        self.show_crosshair(x)

    def show_crosshair(self, x: float) -> str:
        """Put the crosshair at time `x` and list each series' value there."""
        lines = [formatting.date_time(x)]
        for kpi_id in self.curves:
            kpi = self.store.get(kpi_id)
            times, values = self.shown.get(kpi_id, (np.empty(0), np.empty(0)))
            if len(times) < 2 or kpi is None:
                continue
            i = int(np.clip(np.searchsorted(times, x), 1, len(times) - 1))
            if abs(times[i - 1] - x) < abs(times[i] - x):
                i -= 1
            value = float(values[i])
            lines.append(f"{kpi.name[:32]}: {formatting.quantity(value, kpi.unit)}")
        text = "\n".join(lines)
        self.crosshair.setPos(x)
        self.crosshair_text.setText(text)
        y_range = self.plot.getPlotItem().vb.viewRange()[1]
        self.crosshair_text.setPos(x, y_range[1])
        self.crosshair.setVisible(True)
        self.crosshair_text.setVisible(True)
        return text

    def csv_rows(self) -> list[list[str]]:
        rows = [["time", "indicator", "value", "unit"]]
        for kpi_id, curve in self.curves.items():
            kpi = self.store.get(kpi_id)
            if kpi is None or curve.xData is None:
                continue
            times, values = self.store.period_series(kpi_id, self.period)
            rows.extend(
                [iso(float(t)), kpi.name, f"{v:.6g}", kpi.unit]
                for t, v in zip(times, values, strict=True)
                if np.isfinite(v)
            )
        return rows


def _bucket_mid(starts: Any) -> Any:
    """Half a bucket, so a bucket's mean sits in its middle on the time axis."""
    if len(starts) < 2:
        return 0.0
    return np.diff(starts, append=starts[-1] + (starts[-1] - starts[-2])) / 2


def _literal_format(text: str) -> str:
    """A line label is a format string (pyqtgraph fills in `{value}`): braces in a unit
    from a backend must stay text, not raise KeyError and leave the panel unbuilt."""
    return text.replace("{", "{{").replace("}", "}}")


def _headline(kpi: Kpi, value: float) -> str:
    text = html.escape(formatting.quantity(value, kpi.unit))
    if kpi.target is None:
        return text
    return f'<span style="color:{colour_for(kpi, value)}">{text}</span>'
