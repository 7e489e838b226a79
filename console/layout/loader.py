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
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from console.layout.model import Cell, Display, Layout, PanelSpec, PresetFile, Screen, Split
from console.layout.panel_kinds import PANEL_CONFIGS
from console.layout.positions import (
    UNION_TAGS,
    LayoutError,
    LayoutInvalid,
    Loc,
    error_message,
    key_position,
    node_at,
)

MAX_BYTES = 1_000_000


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


class LayoutLoader:
    """Loads one file into its presets, collecting every error with its position."""

    def __init__(self, path: str | Path, text: str | None = None) -> None:
        self.path = str(path)
        self.text = text
        self.errors: list[LayoutError] = []
        self.root: Any = None

    def _error(self, line: int, col: int, message: str) -> None:
        self.errors.append(LayoutError(self.path, line + 1, col + 1, message))

    def _read(self) -> str | None:
        if self.text is not None:
            return self.text
        try:
            raw = Path(self.path).read_bytes()
        except OSError as error:
            self._error(0, 0, f"cannot read the file: {error.strerror or error}")
            return None
        if len(raw) > MAX_BYTES:
            self._error(0, 0, f"the file is too large ({len(raw):,} bytes; limit {MAX_BYTES:,})")
            return None
        if b"\0" in raw:
            self._error(0, 0, "the file is binary, not a YAML layout")
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self._error(0, 0, f"the file is not UTF-8 text (byte {error.start})")
            return None

    def load(self) -> list[Layout]:
        presets = self._load()
        if presets is None or self.errors:
            raise LayoutInvalid(self.errors)
        return presets

    def _load(self) -> list[Layout] | None:
        text = self._read()
        if text is None:
            return None
        try:
            self.root = YAML(typ="rt").load(text)
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or error.context or "invalid YAML"
            self._error(mark.line if mark else 0, mark.column if mark else 0, f"YAML: {problem}")
            return None
        except ReaderError as error:  # a character YAML forbids (control codes, ...)
            before = text[: error.position]
            line, col = before.count("\n"), len(before) - (before.rfind("\n") + 1)
            code = error.character if isinstance(error.character, int) else ord(error.character)
            self._error(line, col, f"YAML: character U+{code:04X} is not allowed here")
            return None
        except YAMLError as error:  # anything else the parser refuses, still in plain words
            self._error(0, 0, f"YAML: {error}")
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
        if item["type"] == "extra_forbidden":
            line, col = key_position(self.root, loc)
        else:
            line, col = node_at(self.root, loc)[1:3]
        self._error(line, col, error_message(item, model or _model_for(self.root, loc)))

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
