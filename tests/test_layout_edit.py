"""Layout edits as pure operations: split, merge, kind, settings, swap, undo, tidy YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.layout.edit import (
    EditError,
    UndoHistory,
    as_preset,
    merge,
    panel_at,
    parse_settings,
    preset_slug,
    set_kind,
    set_settings,
    settings_text,
    split,
    swap,
    to_yaml,
)
from console.layout.library import layout_files
from console.layout.loader import LayoutLoader
from console.layout.model import Layout

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = layout_files(ROOT / "layouts")  # decks are checked in test_deck.py

OPERATOR = """\
name: ops
screens:
  - name: desk
    rows: 2
    columns: 2
    cells:
      - {row: 0, column: 0, kind: camera, config: {camera: CAM-01}}
      - {row: 0, column: 1, kind: map, config: {zoom: 12}}
      - {row: 1, column: 0, column_span: 2, kind: incidents}
  - name: wall
    split:
      orientation: vertical
      sizes: [3, 1]
      children:
        - {kind: camera, config: {camera: CAM-02}}
        - {kind: kpi-chart, config: {kpis: [on-time-rate]}}
"""


def load(text: str = OPERATOR) -> Layout:
    return LayoutLoader("t.yaml", text).load()[0]


def reloaded(layout: Layout) -> Layout:
    """What the loader makes of the editor's YAML: also checks grid overlaps and bounds."""
    return LayoutLoader("saved.yaml", to_yaml(layout)).load()[0]


def grid(layout: Layout, screen: int = 0) -> list[tuple[str, int, int, int, int]]:
    return [
        (c.kind, c.row, c.column, c.row_span, c.column_span) for c in layout.screens[screen].cells
    ]


def test_split_a_single_cell_refines_the_grid_and_keeps_proportions() -> None:
    layout = load()
    wider = split(layout, (0, 0), "right")
    assert wider.screens[0].columns == 4
    assert grid(wider) == [
        ("camera", 0, 0, 1, 1),
        ("empty", 0, 1, 1, 1),
        ("map", 0, 2, 1, 2),
        ("incidents", 1, 0, 1, 4),
    ]
    assert panel_at(wider, (0, 0)).identity() == panel_at(layout, (0, 0)).identity()
    assert reloaded(wider) == wider
    taller = split(layout, (0, 1), "down")
    assert taller.screens[0].rows == 4
    assert grid(taller)[1:3] == [("map", 0, 1, 1, 1), ("empty", 1, 1, 1, 1)]


def test_split_a_spanning_cell_divides_its_span() -> None:
    halves = split(load(), (0, 2), "right")
    assert halves.screens[0].columns == 2, "no refinement needed"
    assert grid(halves)[2:] == [("incidents", 1, 0, 1, 1), ("empty", 1, 1, 1, 1)]


def test_merge_undoes_a_split_down_to_the_same_grid() -> None:
    layout = load()
    for direction in ("right", "down"):
        assert merge(split(layout, (0, 1), direction), (0, 1), direction) == layout


def test_merge_drops_the_neighbour_and_refuses_misaligned_ones() -> None:
    merged = merge(load(), (0, 0), "right")
    assert grid(merged) == [("camera", 0, 0, 1, 1), ("incidents", 1, 0, 1, 1)]
    assert merged.screens[0].columns == 1, "two full-width rows: the smallest such grid"
    with pytest.raises(EditError, match="do not line up"):
        merge(load(), (0, 0), "down")  # the queue below spans two columns
    with pytest.raises(EditError, match="nothing right of this panel"):
        merge(load(), (0, 1), "right")
    with pytest.raises(EditError, match="at most 12 columns"):
        layout = load()
        for _ in range(4):
            layout = split(layout, (0, 0), "right")


def test_split_screens_split_merge_and_collapse() -> None:
    layout = load()
    nested = split(layout, (1, 0), "right")  # across a vertical split: a nested split
    assert [p.kind for p in nested.screens[1].panels()] == ["camera", "empty", "kpi-chart"]
    assert reloaded(nested) == nested
    assert merge(nested, (1, 0), "right") == layout
    longer = split(layout, (1, 0), "down")  # along the split: a third child, size halved
    assert longer.screens[1].split is not None
    assert longer.screens[1].split.sizes == [1.5, 1.5, 1]
    single = merge(layout, (1, 0), "down")  # one panel left: the screen is a 1×1 grid
    assert grid(single, 1) == [("camera", 0, 0, 1, 1)]
    assert reloaded(single) == single
    with pytest.raises(EditError, match="nothing right"):
        merge(layout, (1, 0), "right")


def test_swap_exchanges_contents_across_grid_and_split() -> None:
    layout = load()
    swapped = swap(layout, (0, 0), (1, 1))
    assert panel_at(swapped, (0, 0)).kind == "kpi-chart"
    assert panel_at(swapped, (1, 1)).config == {"camera": "CAM-01"}
    assert grid(swapped)[0][1:] == (0, 0, 1, 1), "positions are kept"
    assert swap(swapped, (1, 1), (0, 0)) == layout
    assert swap(layout, (0, 1), (0, 1)) is layout


def test_change_kind_resets_settings() -> None:
    changed = set_kind(load(), (0, 1), "kpi-tile")
    assert panel_at(changed, (0, 1)).kind == "kpi-tile"
    assert panel_at(changed, (0, 1)).config == {}
    assert set_kind(changed, (0, 1), "kpi-tile") is changed
    with pytest.raises(EditError, match="unknown panel kind 'maps'"):
        set_kind(changed, (0, 1), "maps")


def test_settings_are_validated_with_clear_errors() -> None:
    layout = load()
    spec = panel_at(layout, (0, 1))
    text = settings_text(spec)
    assert "zoom: 12" in text and "layers: [districts, cameras, incidents]" in text
    assert parse_settings("map", text) == {"zoom": 12}, "defaults are left out"
    with pytest.raises(EditError) as raised:
        parse_settings("map", "zoom: 40\nlayrs: []\n")
    assert str(raised.value) == (
        "line 1: zoom: Input should be less than or equal to 19\n"
        "line 2: layrs: unknown setting (did you mean 'layers'?)"
    )
    with pytest.raises(EditError, match=r"line 1: .*mapping values"):
        parse_settings("map", "zoom: : 3")
    with pytest.raises(EditError, match="'name: value' lines"):
        parse_settings("map", "- 3")
    changed = set_settings(layout, (0, 1), parse_settings("map", "zoom: 14"))
    assert panel_at(changed, (0, 1)).config == {"zoom": 14}
    same = set_settings(layout, (0, 1), parse_settings("map", text))
    assert same is layout, "unchanged settings keep the very same panel"


def test_undo_history_undoes_redoes_and_forgets_the_oldest() -> None:
    history = UndoHistory(limit=2)
    a = load()
    b, c, d = (split(a, (0, 0), "right"), split(a, (0, 1), "right"), merge(a, (0, 0), "right"))
    history.record(a)
    history.record(b)
    history.record(c)  # a falls off
    assert history.undo(d) == c
    assert history.undo(c) == b
    assert history.undo(b) is None and not history.can_undo()
    assert history.redo(b) == c and history.redo(c) == d
    history.undo(d)
    history.record(a)
    assert not history.can_redo(), "a new edit clears redo"


def test_new_preset_names_are_file_safe() -> None:
    assert preset_slug("Ca đêm / Quận 1") == "ca-dem-quan-1"
    preset = as_preset(load(), "  Ca đêm ")
    assert (preset.name, preset.title) == ("ca-dem", "Ca đêm")
    with pytest.raises(EditError, match="at least one letter"):
        preset_slug("!!!")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_layout_round_trips_through_tidy_yaml(path: Path) -> None:
    for preset in LayoutLoader(path).load():
        text = to_yaml(preset)
        assert reloaded(preset) == preset
        assert text.startswith("# ") and "\nversion: 1\nname: " in text
        assert "row_span: 1" not in text and "title: null" not in text, "defaults are left out"


def test_yaml_is_tidy() -> None:
    text = to_yaml(load())
    assert "      - {row: 0, column: 0, kind: camera, config: {camera: CAM-01}}\n" in text
    assert "      - {row: 1, column: 0, column_span: 2, kind: incidents}\n" in text
    assert "      sizes: [3, 1]\n" in text
