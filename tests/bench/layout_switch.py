"""GUI-thread time to switch between two 16-panel presets, against one 60 Hz frame.

    python -m tests.bench.layout_switch --json      (under xvfb-run, or offscreen)

Two presets of 16 panels (KPI charts and queues fed by the same stores), switched back
and forth `--switches` times after a warm-up, in two ways:
`cold`: no panel is kept between presets (pool size 0), so every switch builds 16
panels; `warm` (the console's default): recently shown panels stay alive, hidden, so a
switch only re-lays them out. Each reports the whole switch up to the first repaint
(`switch_ms_*`) and our own work before that repaint (`apply_ms_*`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import timedelta

from widgets.qt_setup import configure_qt

FRAME_MS = 1000 / 60


def presets(shared: bool) -> tuple[object, object]:
    from console.layout.model import Layout

    def wall(name: str, kpis: list[str], reverse: bool) -> Layout:
        cells = []
        for i in range(16):
            kind = "incidents" if i % 4 == 3 else "kpi-chart"
            config = {"statuses": [["received", "acknowledged", "assigned"][i % 3]]}
            if kind == "kpi-chart":
                config = {"kpis": [kpis[i % len(kpis)]], "window_hours": 1 + i}
            position = 15 - i if reverse else i
            cells.append(
                {"row": position // 4, "column": position % 4, "kind": kind, "config": config}
            )
        screen = {"name": "wall", "rows": 4, "columns": 4, "cells": cells}
        return Layout.model_validate({"name": name, "screens": [screen]})

    if shared:
        return wall("a", ["k0", "k1"], False), wall("b", ["k0", "k1"], True)
    return wall("a", ["k0", "k1"], False), wall("b", ["k2", "k3"], False)


def measure(switches: int, warm: bool) -> tuple[list[float], list[float]]:
    from PySide6.QtWidgets import QApplication

    from console.domain.records import Kpi, KpiSample, utcnow
    from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
    from widgets.kinds import register_builtin_kinds
    from widgets.panel import PanelContext
    from widgets.wall.manager import WallManager

    register_builtin_kinds()
    context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    now = utcnow()
    context.kpis.replace(
        Kpi(id=f"k{i}", name=f"KPI {i}", unit="%", value=90.0, target=95.0, updated_at=now)
        for i in range(4)
    )
    for i in range(4):
        context.kpis.set_series(
            f"k{i}",
            (KpiSample(t=now - timedelta(minutes=m), value=90 + m % 7) for m in range(1440)),
        )
    wall = WallManager(context)
    if not warm:
        wall.pool.keep = 0
    first, second = presets(shared=False)
    switch, apply = [], []
    for n in range(switches + 4):
        target = first if n % 2 else second
        start = time.perf_counter()
        wall.apply(target)  # type: ignore[arg-type]
        applied = time.perf_counter()
        QApplication.processEvents()  # layout, polish and first paint of the new page
        done = time.perf_counter()
        if n >= 4:  # warm-up: first construction of every kind
            switch.append((done - start) * 1000)
            apply.append((applied - start) * 1000)
    wall.close()
    return switch, apply


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--switches", type=int, default=50)
    args = parser.parse_args()
    configure_qt()
    from PySide6.QtWidgets import QApplication

    from widgets.theme import apply_theme

    app = QApplication(["layout-switch-bench"])
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)  # the real theme: style sheets change what a switch costs
    result: dict[str, object] = {
        "panels": 16,
        "switches": args.switches,
        "frame_ms": round(FRAME_MS, 1),
    }
    for warm in (True, False):
        switch, apply = measure(args.switches, warm)
        prefix = "" if warm else "cold_"
        result[f"{prefix}switch_ms_p95"] = round(p95(switch), 1)
        result[f"{prefix}switch_ms_max"] = round(max(switch), 1)
        result[f"{prefix}switch_ms_median"] = round(statistics.median(switch), 1)
        result[f"{prefix}apply_ms_p95"] = round(p95(apply), 1)
        result[f"{prefix}frames_p95"] = round(p95(switch) / FRAME_MS, 2)
    print(json.dumps(result) if args.json else result)


if __name__ == "__main__":
    main()
