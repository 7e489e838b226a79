"""Benchmark: a wall of KPI charts fed live samples.

24 charts of 100,000 points each receive one new sample per chart at 10 Hz. Measured
on the GUI thread: frame time (the top-level window's paint pass, p95), the longest
event-loop stall (gap of a 10 ms heartbeat timer beyond its interval) and process CPU
per update (one new sample in every chart, with its repaints), all after the first
paint of the wall (reported apart as first_paint_ms). The baseline, in the
same run, is plain pyqtgraph: `setData` of the same arrays on every update.

    python -m tests.bench.kpi --json [--seconds 60] [--charts 24] [--points 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from console.domain.records import Kpi, KpiSampleEvent
from console.layout.panel_kinds import KpiChartConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from widgets.kpi.chart import KpiChartPanel
from widgets.panel import PanelContext
from widgets.qt_setup import configure_qt

TICK_MS = 100
HEARTBEAT_MS = 10


class Wall(QWidget):
    """A top-level window that times each paint pass of everything in it."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[float] = []
        self.grid = QGridLayout(self)
        self.grid.setSpacing(2)
        self.resize(1920, 1080)

    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.UpdateRequest:
            return super().event(event)
        start = time.perf_counter()
        handled = super().event(event)
        self.frames.append((time.perf_counter() - start) * 1000)
        return handled


def history(points: int, now: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    times = now - np.arange(points, 0, -1, dtype=np.float64)  # one a second, ending now
    values = 97 + np.cumsum(rng.normal(0, 0.02, points)).clip(-5, 2)
    return times, values


def run_phase(
    app: QApplication, wall: Wall, seconds: float, tick: Callable[[int], None]
) -> dict[str, float]:
    wall.frames.clear()
    gaps: list[float] = []
    last = [time.perf_counter()]
    ticks = [0]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000 - HEARTBEAT_MS)
        last[0] = now

    def feed() -> None:
        ticks[0] += 1
        tick(ticks[0])

    shown = time.perf_counter()
    while not wall.frames:  # the first paint of the wall is load, not live updating
        app.processEvents()
    first_paint = (time.perf_counter() - shown) * 1000
    wall.frames.clear()
    heartbeat = QTimer(interval=HEARTBEAT_MS)
    heartbeat.timeout.connect(beat)
    feeder = QTimer(interval=TICK_MS)
    feeder.timeout.connect(feed)
    cpu0 = time.process_time()
    heartbeat.start()
    feeder.start()
    last[0] = time.perf_counter()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    heartbeat.stop()
    feeder.stop()
    cpu = (time.process_time() - cpu0) * 1000
    frames = wall.frames or [0.0]
    return {
        "frame_ms_p95": float(np.percentile(frames, 95)),
        "frames": len(frames),
        "first_paint_ms": first_paint,
        "stall_ms_max": max(gaps[1:] or [0.0]),
        "stall_ms_p99": float(np.percentile(gaps[1:] or [0.0], 99)),
        "stalls_over_50ms": sum(1 for gap in gaps[1:] if gap > 50),
        "cpu_ms_per_update": cpu / max(1, ticks[0]),
        "updates": ticks[0],
    }


def console_phase(app: QApplication, charts: int, points: int, seconds: float) -> dict[str, float]:
    store = KpiStore()
    now = time.time()
    at = datetime.fromtimestamp(now, UTC)
    store.replace(
        Kpi(id=f"k{i}", name=f"KPI {i}", unit="%", value=97.0, target=97.0, updated_at=at)
        for i in range(charts)
    )
    for i in range(charts):
        times, values = history(points, now, i)
        store.series(f"k{i}").extend(times, values)
    wall = Wall()
    context = PanelContext(CameraStore(), IncidentTableModel(), store, LayerStore())
    window_hours = points / 3600 * 1.02  # every point in view: the hard case
    for i in range(charts):
        panel = KpiChartPanel(context, KpiChartConfig(kpis=(f"k{i}",), window_hours=window_hours))
        wall.grid.addWidget(panel, i // 6, i % 6)
    wall.show()
    rng = np.random.default_rng(0)

    def tick(n: int) -> None:
        t = datetime.now(UTC) + timedelta(microseconds=n)
        store.add_samples(
            KpiSampleEvent(kpi_id=f"k{i}", t=t, value=97 + float(rng.normal(0, 0.3)))
            for i in range(charts)
        )

    result = run_phase(app, wall, seconds, tick)
    wall.close()
    wall.deleteLater()
    return result


def baseline_phase(app: QApplication, charts: int, points: int, seconds: float) -> dict[str, float]:
    """Plain pyqtgraph: the same data, `setData` on every update, default curve settings."""
    now = time.time()
    wall = Wall()
    columns = []
    for i in range(charts):
        plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        times, values = history(points, now, i)
        curve = plot.plot(pen=pg.mkPen("#58a6ff", width=1))
        curve.setData(times, values)
        columns.append([curve, times, values])
        wall.grid.addWidget(plot, i // 6, i % 6)
    wall.show()
    rng = np.random.default_rng(0)

    def tick(n: int) -> None:
        t = time.time()
        for column in columns:
            curve, times, values = column
            column[1] = np.append(times, t)
            column[2] = np.append(values, 97 + float(rng.normal(0, 0.3)))
            curve.setData(column[1], column[2])

    result = run_phase(app, wall, seconds, tick)
    wall.close()
    wall.deleteLater()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--seconds", type=float, default=60.0, help="per phase")
    parser.add_argument("--charts", type=int, default=24)
    parser.add_argument("--points", type=int, default=100_000)
    args = parser.parse_args()
    configure_qt()  # as the console does
    app = QApplication.instance() or QApplication(["kpi-bench"])
    console = console_phase(app, args.charts, args.points, args.seconds)
    baseline = baseline_phase(app, args.charts, args.points, args.seconds)
    figures = {
        "charts": args.charts,
        "points": args.points,
        "seconds": args.seconds,
        "rate_hz": 1000 / TICK_MS,
        "frame_ms_p95": round(console["frame_ms_p95"], 2),
        "stall_ms_max": round(console["stall_ms_max"], 2),
        "stall_ms_p99": round(console["stall_ms_p99"], 2),
        "stalls_over_50ms": console["stalls_over_50ms"],
        "cpu_ms_per_update": round(console["cpu_ms_per_update"], 2),
        "frames": console["frames"],
        "first_paint_ms": round(console["first_paint_ms"], 1),
        "updates": console["updates"],
        "baseline_frame_ms_p95": round(baseline["frame_ms_p95"], 2),
        "baseline_stall_ms_max": round(baseline["stall_ms_max"], 2),
        "baseline_cpu_ms_per_update": round(baseline["cpu_ms_per_update"], 2),
        "baseline_updates": baseline["updates"],
        "ratio": round(console["cpu_ms_per_update"] / max(1e-9, baseline["cpu_ms_per_update"]), 3),
        "platform": QApplication.platformName(),
    }
    print(json.dumps(figures) if args.json else json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
