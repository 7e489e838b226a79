"""What a node shows for a desired state: a preset, with some cells sent to it.

Pure: (preset, desired state) → layout. A cell the preset lacks or content its panel
kind refuses is left as the preset has it and named in `problems`, so a command meant
for a bigger wall still does what it can on a smaller one.
"""

from __future__ import annotations

from typing import Any

from console.layout.edit import EditError, PanelRef, show_at
from console.layout.model import Layout
from console.nodes.messages import CameraContent, CellShown, Content, Desired, MapContent


def panel_of(content: Content) -> tuple[str, dict[str, Any]]:
    """The panel kind and settings that show `content`."""
    if isinstance(content, CameraContent):
        return "camera", {"camera": content.camera}
    if isinstance(content, MapContent):
        return "map", {"center": [content.lat, content.lon], "zoom": min(content.zoom, 19)}
    return "kpi-chart", {"kpis": list(content.indicators)}


def ref_of(cell: str) -> PanelRef:
    """'2/3' (screen 2, panel 3, counted from 1 as the operator sees them) → (1, 2)."""
    screen, panel = cell.split("/")
    return int(screen) - 1, int(panel) - 1


def compose(base: Layout, desired: Desired) -> tuple[Layout, list[str]]:
    """`base` with the desired cells in place, and what could not be placed."""
    layout, problems = base, []
    for cell, content in sorted(desired.cells.items()):
        kind, config = panel_of(content)
        try:
            layout = show_at(layout, ref_of(cell), kind, config)
        except EditError as error:
            problems.append(f"cell {cell}: {error}")
    return layout, problems


def cells_of(layout: Layout) -> list[CellShown]:
    """Every panel of `layout` as a controller addresses it, with what it shows."""
    shown = []
    for s, screen in enumerate(layout.screens):
        for p, panel in enumerate(screen.panels()):
            title = panel.title or str(panel.config.get("camera") or "")
            shown.append(CellShown(cell=f"{s + 1}/{p + 1}", kind=panel.kind, title=title[:200]))
    return shown


def describe(desired: Desired) -> str:
    """A command in the audit log's words, the same on the controller and on the node."""
    parts = [f"node={desired.node}"]
    if desired.preset:
        parts.append(f"preset={desired.preset}")
    parts += [f"{cell}={content.kind}" for cell, content in sorted(desired.cells.items())]
    if not desired.preset and not desired.cells:
        parts.append("take back")
    return " ".join(parts)
