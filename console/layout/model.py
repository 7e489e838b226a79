"""The layout data model: presets of screens, each a grid of cells or nested splits.

A layout file holds one preset (`name`, `screens`) or several (`presets: [...]`).
Models are frozen: the editor and the wall work on copies, so undo is just keeping
the previous value, and a panel is identified by its kind, title and config.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from console.layout.panel_kinds import PANEL_CONFIGS, PanelConfig
from console.layout.positions import StrictModel as StrictModel


class PanelSpec(StrictModel):
    kind: str
    title: str | None = None
    config: dict[str, Any] = Field(default_factory=dict)

    def panel_config(self) -> PanelConfig:
        return PANEL_CONFIGS[self.kind].model_validate(self.config)

    def identity(self) -> str:
        """Equal for panels that show the same thing: such a panel survives a switch."""
        return json.dumps([self.kind, self.title, self.config], sort_keys=True, default=str)


class Cell(PanelSpec):
    row: int = Field(ge=0)
    column: int = Field(ge=0)
    row_span: int = Field(1, ge=1)
    column_span: int = Field(1, ge=1)


def _node_kind(value: Any) -> str:
    is_split = isinstance(value, dict | Split) and (
        "children" in value if isinstance(value, dict) else True
    )
    return "split" if is_split else "panel"


class Split(StrictModel):
    orientation: Literal["horizontal", "vertical"]
    sizes: list[Annotated[float, Field(gt=0)]] | None = None
    children: list[
        Annotated[
            Annotated[Split, Tag("split")] | Annotated[PanelSpec, Tag("panel")],
            Discriminator(_node_kind),
        ]
    ] = Field(min_length=2, max_length=12)

    @model_validator(mode="after")
    def _sizes_match(self) -> Split:
        if self.sizes is not None and len(self.sizes) != len(self.children):
            raise ValueError(
                f"'sizes' has {len(self.sizes)} values for {len(self.children)} children"
            )
        return self

    def panels(self) -> list[PanelSpec]:
        found: list[PanelSpec] = []
        for child in self.children:
            found += child.panels() if isinstance(child, Split) else [child]
        return found


class Display(StrictModel):
    """Which physical screen shows this layout screen; default: the same index."""

    name: str | None = Field(None, description="Qt screen name, e.g. HDMI-1 or DP-2")
    index: int | None = Field(None, ge=0)
    position: tuple[int, int] | None = Field(None, description="a point on the screen: [x, y]")


class Screen(StrictModel):
    name: str
    display: Display | None = None
    scale: float = Field(1.0, ge=0.5, le=4.0, description="text and overlay scale")
    rows: int | None = Field(None, ge=1, le=12)
    columns: int | None = Field(None, ge=1, le=12)
    cells: list[Cell] = Field(default_factory=list)
    split: Split | None = None

    @model_validator(mode="after")
    def _grid_or_split(self) -> Screen:
        grid = self.rows is not None or self.columns is not None or bool(self.cells)
        if self.split is not None and grid:
            raise ValueError("a screen has either a grid (rows, columns, cells) or a split")
        if self.split is None and (self.rows is None or self.columns is None):
            raise ValueError("a screen needs 'rows' and 'columns' (with 'cells'), or a 'split'")
        return self

    def panels(self) -> list[PanelSpec]:
        return self.split.panels() if self.split else list(self.cells)


class Layout(StrictModel):
    """One preset: what every screen of the wall shows."""

    version: int = Field(1, ge=1, le=1)
    name: str = Field(min_length=1)
    title: str | None = None
    screens: list[Screen] = Field(min_length=1)


class PresetFile(StrictModel):
    version: int = Field(1, ge=1, le=1)
    presets: list[Layout] = Field(min_length=1)


Split.model_rebuild()
