"""Editing a layout: each operation takes a Layout and returns a new one (no Qt).

The models are frozen, so nothing on the wall changes until the new value is applied,
undo is keeping old values, and a panel the edit did not touch keeps its identity
(kind, title, config): the wall reuses it, so a playing camera keeps playing.

A panel is addressed by `PanelRef` = (screen index, index in `Screen.panels()`), which
is the order of a grid's cells or a depth-first walk of a split.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any, Literal

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError

from console.domain.text import fold
from console.layout.edit_yaml import settings_text as settings_text  # with the operations
from console.layout.edit_yaml import to_yaml as to_yaml
from console.layout.model import Cell, Layout, PanelSpec, Screen, Split
from console.layout.panel_kinds import PANEL_CONFIGS, PanelConfig

PanelRef = tuple[int, int]
Direction = Literal["right", "down"]
Path = tuple[int, ...]
PLACEHOLDER = "empty"  # the kind of a new cell, until the operator picks one
MAX_TRACKS = 12  # rows or columns of a grid; children of a split (layout_model)


class EditError(ValueError):
    """An edit that cannot be made, in plain words for the operator."""


# -- addressing -----------------------------------------------------------------
def panel_at(layout: Layout, ref: PanelRef) -> PanelSpec:
    screen, index = ref
    try:
        return layout.screens[screen].panels()[index]
    except IndexError:
        raise EditError(f"there is no panel {index + 1} on screen {screen + 1}") from None


def _leaf_paths(split: Split, prefix: Path = ()) -> list[Path]:
    paths: list[Path] = []
    for i, child in enumerate(split.children):
        paths += _leaf_paths(child, (*prefix, i)) if isinstance(child, Split) else [(*prefix, i)]
    return paths


def _node(split: Split, path: Path) -> Split | PanelSpec:
    node: Split | PanelSpec = split
    for i in path:
        assert isinstance(node, Split)
        node = node.children[i]
    return node


def _with_node(split: Split, path: Path, node: Split | PanelSpec) -> Split:
    """`split` with the node at `path` replaced (path non-empty)."""
    children = list(split.children)
    head, rest = path[0], path[1:]
    child = children[head]
    children[head] = _with_node(child, rest, node) if rest and isinstance(child, Split) else node
    return split.model_copy(update={"children": children})


def _with_screen(layout: Layout, index: int, screen: Screen) -> Layout:
    screens = list(layout.screens)
    screens[index] = screen
    return layout.model_copy(update={"screens": screens})


def _content(spec: PanelSpec) -> dict[str, Any]:
    return {"kind": spec.kind, "title": spec.title, "config": spec.config}


def _with_content(layout: Layout, ref: PanelRef, content: dict[str, Any]) -> Layout:
    """The panel at `ref` shows `content` (kind, title, config) where it is."""
    panel_at(layout, ref)
    s, index = ref
    screen = layout.screens[s]
    if screen.split is None:
        cells = list(screen.cells)
        cells[index] = cells[index].model_copy(update=content)
        return _with_screen(layout, s, screen.model_copy(update={"cells": cells}))
    path = _leaf_paths(screen.split)[index]
    split = _with_node(screen.split, path, PanelSpec(**content))
    return _with_screen(layout, s, screen.model_copy(update={"split": split}))


# -- panel content ----------------------------------------------------------------
def swap(layout: Layout, a: PanelRef, b: PanelRef) -> Layout:
    """Exchange two panels' contents; the cells stay where they are."""
    first, second = _content(panel_at(layout, a)), _content(panel_at(layout, b))
    if a == b:
        return layout
    return _with_content(_with_content(layout, a, second), b, first)


def set_kind(layout: Layout, ref: PanelRef, kind: str) -> Layout:
    """Show another kind of panel here, with that kind's default settings."""
    if kind not in PANEL_CONFIGS:
        raise EditError(f"unknown panel kind '{kind}'")
    if panel_at(layout, ref).kind == kind:
        return layout
    return _with_content(layout, ref, {"kind": kind, "title": None, "config": {}})


def _error_text(
    error: ValidationError, root: Any = None, model: type[PanelConfig] | None = None
) -> str:
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"])
        text = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "extra_forbidden" and model is not None:
            close = difflib.get_close_matches(str(item["loc"][-1]), list(model.model_fields), n=1)
            text = f"unknown setting (did you mean '{close[0]}'?)" if close else "unknown setting"
        where = ""
        key = item["loc"][0] if item["loc"] else None
        if isinstance(root, CommentedMap) and key in root:
            where = f"line {root.lc.key(key)[0] + 1}: "
        lines.append(f"{where}{field}: {text}" if field else f"{where}{text}")
    return "\n".join(lines)


def validated_config(kind: str, config: dict[str, Any], root: Any = None) -> dict[str, Any]:
    """`config` checked against the kind's model, with defaults left out."""
    model = PANEL_CONFIGS.get(kind)
    if model is None:
        raise EditError(f"unknown panel kind '{kind}'")
    try:
        checked = model.model_validate(config)
    except ValidationError as error:
        raise EditError(_error_text(error, root, model)) from None
    return checked.model_dump(mode="json", exclude_defaults=True)


def set_settings(layout: Layout, ref: PanelRef, config: dict[str, Any]) -> Layout:
    """New settings for a panel; unchanged settings keep the very same panel."""
    spec = panel_at(layout, ref)
    tidy = validated_config(spec.kind, config)
    if PANEL_CONFIGS[spec.kind].model_validate(tidy) == spec.panel_config():
        return layout
    return _with_content(layout, ref, {**_content(spec), "config": tidy})


def parse_settings(kind: str, text: str) -> dict[str, Any]:
    """Settings typed as YAML, validated; the error names the line and the setting."""
    try:
        root = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 1}: " if mark else ""
        raise EditError(f"{line}{error.problem or error.context or 'invalid YAML'}") from None
    if root is None:
        root = {}
    if not isinstance(root, dict):
        raise EditError("settings are a list of 'name: value' lines")
    return validated_config(kind, dict(root), root)


# -- grids --------------------------------------------------------------------------
_AXES = {"right": ("column", "columns"), "down": ("row", "rows")}


def _tidy_grid(screen: Screen) -> Screen:
    """The smallest grid with the same proportions: split then merge gives back the grid."""
    update: dict[str, Any] = {}
    cells = list(screen.cells)
    for along, count_name in _AXES.values():
        count = getattr(screen, count_name) or 1
        step = math.gcd(count, *(getattr(c, along) for c in cells))
        step = math.gcd(step, *(getattr(c, f"{along}_span") for c in cells))
        if step > 1:
            update[count_name] = count // step
            cells = [
                c.model_copy(
                    update={
                        along: getattr(c, along) // step,
                        f"{along}_span": getattr(c, f"{along}_span") // step,
                    }
                )
                for c in cells
            ]
    return screen.model_copy(update={**update, "cells": cells})


def _split_cell(screen: Screen, index: int, direction: Direction) -> Screen:
    along, count_name = _AXES[direction]
    cells = list(screen.cells)
    count = getattr(screen, count_name) or 1
    if getattr(cells[index], f"{along}_span") == 1:
        if count * 2 > MAX_TRACKS:
            raise EditError(f"a grid has at most {MAX_TRACKS} {count_name}")
        count *= 2
        cells = [
            c.model_copy(
                update={
                    along: getattr(c, along) * 2,
                    f"{along}_span": getattr(c, f"{along}_span") * 2,
                }
            )
            for c in cells
        ]
    cell = cells[index]
    span = getattr(cell, f"{along}_span")
    kept = span - span // 2
    cells[index] = cell.model_copy(update={f"{along}_span": kept})
    new = Cell.model_validate(
        {
            "row": cell.row,
            "column": cell.column,
            "row_span": cell.row_span,
            "column_span": cell.column_span,
            along: getattr(cell, along) + kept,
            f"{along}_span": span // 2,
            "kind": PLACEHOLDER,
        }
    )
    cells.insert(index + 1, new)
    return _tidy_grid(screen.model_copy(update={"cells": cells, count_name: count}))


def _merge_cell(screen: Screen, index: int, direction: Direction) -> Screen:
    along, count_name = _AXES[direction]
    across = "row" if along == "column" else "column"
    cells = list(screen.cells)
    cell = cells[index]
    edge = getattr(cell, along) + getattr(cell, f"{along}_span")
    band = (getattr(cell, across), getattr(cell, f"{across}_span"))
    side = "right" if direction == "right" else "below"
    others = [
        (i, c)
        for i, c in enumerate(cells)
        if getattr(c, along) <= edge < getattr(c, along) + getattr(c, f"{along}_span")
        and getattr(c, across) < band[0] + band[1]
        and getattr(c, across) + getattr(c, f"{across}_span") > band[0]
    ]
    if not others:
        if edge >= (getattr(screen, count_name) or 1):
            raise EditError(f"there is nothing {side} of this panel to merge with")
        grown = 1  # an empty area: just take it
    elif (
        len(others) == 1
        and getattr(others[0][1], along) == edge
        and (getattr(others[0][1], across), getattr(others[0][1], f"{across}_span")) == band
    ):
        grown = getattr(others[0][1], f"{along}_span")
        cells.pop(others[0][0])
        index = cells.index(cell)
    else:
        raise EditError(
            f"the panels {side} do not line up with this one: merge needs one of the same size"
        )
    cells[index] = cell.model_copy(update={f"{along}_span": getattr(cell, f"{along}_span") + grown})
    return _tidy_grid(screen.model_copy(update={"cells": cells}))


# -- splits -------------------------------------------------------------------------
_ORIENTATION: dict[Direction, Literal["horizontal", "vertical"]] = {
    "right": "horizontal",
    "down": "vertical",
}


def _sizes(split: Split) -> list[float]:
    return list(split.sizes or [1.0] * len(split.children))


def _split_leaf(screen: Screen, index: int, direction: Direction) -> Screen:
    assert screen.split is not None
    path = _leaf_paths(screen.split)[index]
    parent_path, k = path[:-1], path[-1]
    parent = _node(screen.split, parent_path)
    assert isinstance(parent, Split)
    orientation = _ORIENTATION[direction]
    new = PanelSpec(kind=PLACEHOLDER)
    if parent.orientation == orientation and len(parent.children) < MAX_TRACKS:
        sizes = _sizes(parent)
        sizes[k : k + 1] = [sizes[k] / 2, sizes[k] / 2]
        children = list(parent.children)
        children.insert(k + 1, new)
        replaced: Split = parent.model_copy(update={"children": children, "sizes": sizes})
        split = _with_node(screen.split, parent_path, replaced) if parent_path else replaced
    else:
        leaf = parent.children[k]
        split = _with_node(screen.split, path, Split(orientation=orientation, children=[leaf, new]))
    return screen.model_copy(update={"split": split})


def _merge_leaf(screen: Screen, index: int, direction: Direction) -> Screen:
    assert screen.split is not None
    path = _leaf_paths(screen.split)[index]
    parent_path, k = path[:-1], path[-1]
    parent = _node(screen.split, parent_path)
    assert isinstance(parent, Split)
    side = "right" if direction == "right" else "below"
    if parent.orientation != _ORIENTATION[direction] or k + 1 >= len(parent.children):
        raise EditError(f"there is nothing {side} of this panel to merge with")
    if isinstance(parent.children[k + 1], Split):
        raise EditError(f"the area {side} holds several panels: merge those first")
    sizes = _sizes(parent)
    sizes[k : k + 2] = [sizes[k] + sizes[k + 1]]
    children = [*parent.children[: k + 1], *parent.children[k + 2 :]]
    node: Split | PanelSpec = (
        children[0]
        if len(children) == 1
        else parent.model_copy(update={"children": children, "sizes": sizes})
    )
    if parent_path:
        return screen.model_copy(update={"split": _with_node(screen.split, parent_path, node)})
    if isinstance(node, Split):
        return screen.model_copy(update={"split": node})
    cell = Cell(row=0, column=0, **_content(node))  # one panel left: a 1×1 grid
    return screen.model_copy(update={"split": None, "rows": 1, "columns": 1, "cells": [cell]})


# -- layout operations --------------------------------------------------------------
def split(layout: Layout, ref: PanelRef, direction: Direction) -> Layout:
    """Divide a panel's area in two; the new half holds an empty placeholder panel."""
    panel_at(layout, ref)
    screen = layout.screens[ref[0]]
    edit = _split_leaf if screen.split is not None else _split_cell
    return _with_screen(layout, ref[0], edit(screen, ref[1], direction))


def merge(layout: Layout, ref: PanelRef, direction: Direction) -> Layout:
    """Grow a panel over its right / lower neighbour, whose panel is removed."""
    panel_at(layout, ref)
    screen = layout.screens[ref[0]]
    edit = _merge_leaf if screen.split is not None else _merge_cell
    return _with_screen(layout, ref[0], edit(screen, ref[1], direction))


def as_preset(layout: Layout, title: str) -> Layout:
    """The layout as a new preset: its name is a file-safe form of the title."""
    return layout.model_copy(update={"name": preset_slug(title), "title": title.strip()})


def preset_slug(title: str) -> str:
    """'Ca đêm / Quận 1' → 'ca-dem-quan-1': a preset name and a file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:60].strip("-")
    if not slug:
        raise EditError("a preset name needs at least one letter or digit")
    return slug


class UndoHistory:
    """Plain undo and redo stacks of layout values; the oldest steps fall off."""

    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self._undo: list[Layout] = []
        self._redo: list[Layout] = []

    def record(self, before: Layout) -> None:
        """Call with the layout as it was before an edit."""
        self._undo.append(before)
        del self._undo[: -self.limit]
        self._redo.clear()

    def undo(self, current: Layout) -> Layout | None:
        if not self._undo:
            return None
        self._redo.append(current)
        return self._undo.pop()

    def redo(self, current: Layout) -> Layout | None:
        if not self._redo:
            return None
        self._undo.append(current)
        return self._redo.pop()

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()


def show_at(layout: Layout, ref: PanelRef, kind: str, config: dict[str, Any]) -> Layout:
    """The panel at `ref` shows another panel ("send to wall"): checked like a layout's."""
    return _with_content(
        layout, ref, {"kind": kind, "title": None, "config": validated_config(kind, config)}
    )
