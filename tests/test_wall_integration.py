"""The whole console against the real demo backend, as an operator would see it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.conftest import needs_display, run_on_qt_loop

ROOT = Path(__file__).resolve().parents[1]
pytestmark = needs_display()


def run_console(qapp: QApplication, site, scenario, layout: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    """Run the console as `ioc-console` does (a site, or a backend's URL; the operator
    wall unless `layout`), and `scenario(console)` on the same loop."""
    from console.assets import layouts_dir
    from ioc_console.app import Console

    async def body() -> None:
        console = Console(site, layout or layouts_dir() / "operator.yaml")
        console.start()
        try:
            await scenario(console)
        finally:
            await console.aclose()

    run_on_qt_loop(qapp, body())


async def wait_for(condition, describe="", timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Until `condition()` holds (polled on the running loop: the scenario's tasks go on);
    on timeout say what was seen instead (`describe()`), or what was awaited (a string)."""
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.02)
    except TimeoutError:
        seen = describe() if callable(describe) else describe
        pytest.fail(f"timed out after {timeout} s; saw {seen}")


def test_all_four_panels_show_live_data(qapp: QApplication, demo_url: str) -> None:
    async def scenario(running) -> None:  # type: ignore[no-untyped-def]
        panels = {panel.KIND: panel for panel in running.panels()}
        assert set(panels) == {"camera", "map", "kpi-chart", "incidents"}
        camera = panels["camera"]
        await wait_for(
            lambda: camera.state == "live" and camera.frames_decoded() > 5,
            lambda: (camera.state, camera.frames_decoded(), running.context.connections.statuses()),
        )
        chart = panels["kpi-chart"]
        await wait_for(lambda: chart.point_count() > 10, chart.point_count)
        queue = panels["incidents"].table.model()
        await wait_for(lambda: queue.rowCount() > 10, queue.rowCount)
        counts: dict[str, int] = {}
        panels["map"].read_counts(counts.update)
        await wait_for(
            lambda: counts.get("cameras", 0) > 0 and counts.get("incidents", 0) > 0, counts.copy
        )
        before = queue.rowCount()
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"{demo_url}/api/v1/demo/incidents", json={"title": "Ngập nước"}
            )
        created = response.json()
        # the demo adds incidents of its own: wait for this one, not for any new row
        await wait_for(lambda: queue.row_of(created["id"]) >= 0, queue.rowCount)
        assert queue.rowCount() > before
        top = [queue.index(row, 3).data() for row in range(3)]
        assert "Ngập nước" in top, f"the new incident is at the top (the demo adds more): {top}"
        assert running.context.incidents.get(created["id"]) is not None

    run_console(qapp, demo_url, scenario)


def busy_share_per_cell(path: Path) -> list[float]:
    """Per 2×2 cell, the share of pixels that differ from the cell's dominant colour.

    Measured inside each cell, below its title bar and away from its border: an empty
    or unpainted panel scores about 0 (a black map scored 0.005); live ones 0.1–0.85.
    """
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32).reshape(image.height(), -1)
    height, width = pixels.shape[0], image.width()
    top, bottom = 40, height - 30  # window margin above, status bar below
    cell_h, cell_w = (bottom - top) // 2, width // 2
    shares = []
    for row in range(2):
        for column in range(2):
            cell = pixels[
                top + row * cell_h + 60 : top + (row + 1) * cell_h - 20,
                column * cell_w + 20 : (column + 1) * cell_w - 20,
            ]
            _, counts = np.unique(cell, return_counts=True)
            shares.append(1 - counts.max() / cell.size)
    return shares


def test_screenshot_command_shows_four_live_panels(tmp_path: Path) -> None:
    target = tmp_path / "wall.png"
    command = [sys.executable, "-m", "ioc_console", "--demo", "--screenshot", str(target)]
    result = subprocess.run(
        [*command, "--exit-after", "25"],  # a cold start on 2 busy cores: links, map, video
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    shares = busy_share_per_cell(target)
    names = ("camera", "map", "KPI chart", "incidents")
    assert all(share > 0.05 for share in shares), dict(zip(names, shares, strict=True))
    report = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
    links = {link["name"]: link for link in report["connections"]}
    assert set(links) == {"province", "feedback", "context"}, "the demo site: three standards"
    assert {link["kind"] for link in links.values()} == {"ioc", "open311", "ngsi-ld"}
    states = {name: (link["state"], link["detail"]) for name, link in links.items()}
    assert all(link["state"] in ("live", "polling") for link in links.values()), states
    (window,) = report["windows"]
    assert "province: live" in window["status_bar"] and "feedback: " in window["status_bar"]
    panels = {panel["kind"]: panel for panel in window["panels"]}
    assert set(panels) == {"camera", "map", "kpi-chart", "incidents"}
    queue = panels["incidents"]
    assert queue["rows"] > 10 and queue["rows"] == queue["distinct_ids"]
    assert f"{queue['rows']} shown" in queue["header"]
    assert panels["camera"]["state"] == "live" and panels["camera"]["camera"]
    assert panels["map"]["markers"]["incidents"] > 0 and panels["map"]["markers"]["cameras"] > 0
