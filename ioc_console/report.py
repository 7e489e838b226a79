"""What the wall shows, as JSON beside `--screenshot`'s picture.

Support staff reading a bug report, and checks run from outside, can verify the wall
without reading pixels: each window's panels (kind, title and what each kind counts),
the backend link and the status bar, each camera tile's state, the map's markers.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.domain import formatting

if TYPE_CHECKING:
    from ioc_console.app import Console
    from widgets.panel import Panel

log = logging.getLogger(__name__)
REPORT_WAIT_S = 5.0  # a map answers its marker count through its web page


async def panel_report(panel: Panel) -> dict[str, Any]:
    """The panel's report; a map's page that does not answer in time leaves out its markers."""
    answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

    def done(report: dict[str, Any]) -> None:
        if not answer.done():
            answer.set_result(report)

    panel.read_report(done)
    try:
        async with asyncio.timeout(REPORT_WAIT_S):  # not wait_for: see console.waiting
            return await answer
    except TimeoutError:
        return {**panel.report(), "markers": None}


async def wall_report(console: Console) -> dict[str, Any]:
    windows = []
    for window in console.windows:
        panels = [await panel_report(panel) for panel in window.panels()]
        windows.append(
            {
                "screen": window.screen_name(),
                "status_bar": window.link_label.text(),
                "banner": window.banner.text() if window.banner.isVisible() else "",
                "panels": panels,
            }
        )
    current = console.wall.current
    return {
        "taken_at": formatting.now().isoformat(timespec="seconds"),
        "preset": current.name if current is not None else None,
        "connections": [
            {
                "name": status.name,
                "kind": status.kind,
                "url": console.federation.links[status.name].connection.url,
                "state": status.state,
                "detail": status.detail,
            }
            for status in console.context.connections.statuses()
        ],
        "windows": windows,
    }


async def write_report(console: Console, picture: Path) -> Path:
    """`wall.png` → `wall.json` beside it."""
    target = picture.with_suffix(".json")
    report = await wall_report(console)
    target.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    log.info("wall report written to %s", target)
    return target
