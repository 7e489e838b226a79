"""Layout files: walls of screens, each a grid of panels, as validated YAML data.

Every problem is reported as `path:line:col: message` pointing at the exact key or
value, so an operator fixing a file by hand finds it at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from console.panel_kinds import PANEL_CONFIGS, PanelConfig

MAX_BYTES = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cell(_Strict):
    row: int = Field(ge=0)
    column: int = Field(ge=0)
    row_span: int = Field(1, ge=1)
    column_span: int = Field(1, ge=1)
    kind: str
    title: str | None = None
    config: dict[str, Any] = Field(default_factory=dict)

    def panel_config(self) -> PanelConfig:
        return PANEL_CONFIGS[self.kind].model_validate(self.config)


class Screen(_Strict):
    name: str
    rows: int = Field(ge=1, le=12)
    columns: int = Field(ge=1, le=12)
    cells: list[Cell] = Field(default_factory=list)


class Layout(_Strict):
    version: int = Field(1, ge=1, le=1)
    name: str
    title: str | None = None
    screens: list[Screen] = Field(min_length=1)


@dataclass(frozen=True)
class LayoutError:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class LayoutInvalid(Exception):
    def __init__(self, errors: list[LayoutError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


Loc = tuple[int | str, ...]


def _position(root: Any, loc: Loc, at_key: bool) -> tuple[int, int]:
    """0-based line/column of the node at `loc`, or of its nearest existing parent."""
    node, line, col = root, 0, 0
    if isinstance(root, CommentedMap | CommentedSeq):
        line, col = root.lc.line, root.lc.col
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.key(part) if (last and at_key) else node.lc.value(part)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line, col = node.lc.item(part)
            node = node[part]
        else:
            break
    return line, col


def _message(error: ErrorDetails, model: type[BaseModel] | None) -> str:
    field = str(error["loc"][-1]) if error["loc"] else ""
    if error["type"] == "extra_forbidden":
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(field, known, n=1)
        hint = (
            f" (did you mean '{close[0]}'?)" if close else f" (expected one of: {', '.join(known)})"
        )
        return f"unknown key '{field}'{hint}"
    if error["type"] == "missing":
        return f"missing required key '{field}'"
    return f"{field}: {error['msg']}" if field else str(error["msg"])


class LayoutLoader:
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

    def load(self) -> Layout:
        layout = self._load()
        if layout is None or self.errors:
            raise LayoutInvalid(self.errors)
        return layout

    def _load(self) -> Layout | None:
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
        if self.root is None:
            self._error(0, 0, "the file is empty: a layout needs 'name' and 'screens'")
            return None
        if not isinstance(self.root, CommentedMap):
            self._error(0, 0, "a layout must be a mapping with 'name' and 'screens'")
            return None
        try:
            layout = Layout.model_validate(self.root)
        except ValidationError as error:
            for item in error.errors():
                self._report(tuple(item["loc"]), item)
            return None
        for s, screen in enumerate(layout.screens):
            self._check_screen(s, screen)
        return layout

    def _report(self, loc: Loc, item: ErrorDetails, model: type[BaseModel] | None = None) -> None:
        at_key = item["type"] == "extra_forbidden"
        line, col = _position(self.root, loc, at_key)
        self._error(line, col, _message(item, model or _model_at(loc)))

    def _check_screen(self, s: int, screen: Screen) -> None:
        taken: dict[tuple[int, int], int] = {}
        for c, cell in enumerate(screen.cells):
            loc: Loc = ("screens", s, "cells", c)
            config_model = PANEL_CONFIGS.get(cell.kind)
            if config_model is None:
                close = difflib.get_close_matches(cell.kind, list(PANEL_CONFIGS), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                line, col = _position(self.root, (*loc, "kind"), False)
                self._error(line, col, f"unknown panel kind '{cell.kind}'{hint}")
            else:
                try:
                    config_model.model_validate(cell.config)
                except ValidationError as error:
                    for item in error.errors():
                        self._report((*loc, "config", *item["loc"]), item, config_model)
            last_row, last_col = cell.row + cell.row_span, cell.column + cell.column_span
            if last_row > screen.rows or last_col > screen.columns:
                line, col = _position(self.root, loc, False)
                self._error(
                    line,
                    col,
                    f"cell spans rows {cell.row}-{last_row - 1}, columns {cell.column}-"
                    f"{last_col - 1}, outside the {screen.rows}×{screen.columns} grid",
                )
                continue
            for r in range(cell.row, last_row):
                for k in range(cell.column, last_col):
                    if (r, k) in taken:
                        line, col = _position(self.root, loc, False)
                        self._error(
                            line,
                            col,
                            f"cell overlaps cell {taken[(r, k)] + 1} at row {r}, column {k}",
                        )
                        return
                    taken[(r, k)] = c


def _model_at(loc: Loc) -> type[BaseModel]:
    """The model whose field the last element of a validation `loc` names."""
    names = [part for part in loc[:-1] if isinstance(part, str)]
    models: dict[tuple[str, ...], type[BaseModel]] = {
        (): Layout,
        ("screens",): Screen,
        ("screens", "cells"): Cell,
    }
    return models.get(tuple(names), Layout)


def load_layout(path: str | Path) -> Layout:
    return LayoutLoader(path).load()


def validate_file(path: str | Path) -> list[LayoutError]:
    loader = LayoutLoader(path)
    try:
        loader.load()
    except LayoutInvalid as invalid:
        return invalid.errors
    return []
