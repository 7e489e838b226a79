"""Layout files: read, validate and report every problem as `path:line:col: message`.

The message points at the exact key or value, so an operator fixing a file by hand
finds it at once; the console keeps its last good layout while a file is broken.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap

from console.layout.model import Cell, Display, Layout, PanelSpec, PresetFile, Screen, Split
from console.layout.panel_kinds import PANEL_CONFIGS
from console.layout.positions import (
    UNION_TAGS,
    LayoutError,
    LayoutInvalid,
    Loc,
    YamlLoader,
    node_at,
)


def _model_for(root: Any, loc: Loc) -> type[BaseModel]:
    """The model whose field the last part of `loc` names, from the shape of the YAML."""
    names = [part for part in loc[:-1] if isinstance(part, str) and part not in UNION_TAGS]
    owner = names[-1] if names else ""
    node = node_at(root, loc[:-1])[0]
    if owner == "children":
        return Split if isinstance(node, CommentedMap) and "children" in node else PanelSpec
    by_owner: dict[str, type[BaseModel]] = {
        "presets": Layout,
        "screens": Screen,
        "cells": Cell,
        "display": Display,
        "split": Split,
    }
    if owner in by_owner:
        return by_owner[owner]
    return PresetFile if isinstance(root, CommentedMap) and "presets" in root else Layout


class LayoutLoader(YamlLoader):
    """Loads one file into its presets, collecting every error with its position."""

    what = "layout"

    def load(self) -> list[Layout]:
        presets = self._load()
        if presets is None or self.errors:
            raise LayoutInvalid(self.errors)
        return presets

    def _load(self) -> list[Layout] | None:
        self.root = self.parse()
        if self.errors:
            return None
        if self.root is None:
            self._error(0, 0, "the file is empty: a layout needs 'name' and 'screens'")
            return None
        if not isinstance(self.root, CommentedMap):
            self._error(0, 0, "a layout must be a mapping with 'name' and 'screens'")
            return None
        model = PresetFile if "presets" in self.root else Layout
        try:
            parsed = model.model_validate(self.root)
        except ValidationError as error:
            for item in error.errors():
                self._report(tuple(item["loc"]), item)
            return None
        presets = parsed.presets if isinstance(parsed, PresetFile) else [parsed]
        prefix: Loc = ("presets",) if isinstance(parsed, PresetFile) else ()
        seen: set[str] = set()
        for p, preset in enumerate(presets):
            base: Loc = (*prefix, p) if prefix else ()
            if preset.name in seen:
                line, col = node_at(self.root, (*base, "name"))[1:3]
                self._error(line, col, f"preset name '{preset.name}' is used twice")
            seen.add(preset.name)
            for s, screen in enumerate(preset.screens):
                self._check_screen((*base, "screens", s), screen)
        return presets

    def _report(self, loc: Loc, item: ErrorDetails, model: type[BaseModel] | None = None) -> None:
        self.report(loc, item, model or _model_for(self.root, loc))

    def _check_panel(self, loc: Loc, spec: PanelSpec) -> None:
        config_model = PANEL_CONFIGS.get(spec.kind)
        if config_model is None:
            close = difflib.get_close_matches(spec.kind, list(PANEL_CONFIGS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            line, col = node_at(self.root, (*loc, "kind"))[1:3]
            self._error(line, col, f"unknown panel kind '{spec.kind}'{hint}")
            return
        try:
            config_model.model_validate(spec.config)
        except ValidationError as error:
            for item in error.errors():
                self._report((*loc, "config", *item["loc"]), item, config_model)

    def _check_split(self, loc: Loc, split: Split) -> None:
        for i, child in enumerate(split.children):
            if isinstance(child, Split):
                self._check_split((*loc, "children", i), child)
            else:
                self._check_panel((*loc, "children", i), child)

    def _check_screen(self, loc: Loc, screen: Screen) -> None:
        if screen.split is not None:
            self._check_split((*loc, "split"), screen.split)
            return
        rows, columns = screen.rows or 1, screen.columns or 1
        taken: dict[tuple[int, int], int] = {}
        for c, cell in enumerate(screen.cells):
            cell_loc: Loc = (*loc, "cells", c)
            self._check_panel(cell_loc, cell)
            line, col = node_at(self.root, cell_loc)[1:3]
            last_row, last_col = cell.row + cell.row_span, cell.column + cell.column_span
            if last_row > rows or last_col > columns:
                self._error(
                    line,
                    col,
                    f"cell spans rows {cell.row}-{last_row - 1}, columns {cell.column}-"
                    f"{last_col - 1}, outside the {rows}×{columns} grid",
                )
                continue
            clash = next(
                (
                    (r, k)
                    for r in range(cell.row, last_row)
                    for k in range(cell.column, last_col)
                    if (r, k) in taken
                ),
                None,
            )
            if clash is not None:
                other = taken[clash] + 1
                self._error(
                    line, col, f"cell overlaps cell {other} at row {clash[0]}, column {clash[1]}"
                )
                continue
            taken.update(
                ((r, k), c) for r in range(cell.row, last_row) for k in range(cell.column, last_col)
            )


def load_presets(paths: Iterable[str | Path]) -> list[Layout]:
    """All presets of the given files, in order; raises with every file's errors."""
    presets: list[Layout] = []
    errors: list[LayoutError] = []
    for path in paths:
        try:
            presets += LayoutLoader(path).load()
        except LayoutInvalid as invalid:
            errors += invalid.errors
    if errors:
        raise LayoutInvalid(errors)
    return presets


def load_layout(path: str | Path) -> Layout:
    """The first preset of one file (most files hold exactly one)."""
    return LayoutLoader(path).load()[0]


def validate_file(path: str | Path) -> list[LayoutError]:
    try:
        LayoutLoader(path).load()
    except LayoutInvalid as invalid:
        return invalid.errors
    return []
