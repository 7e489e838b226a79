"""Deck files: the demo deck loads, and mistakes are reported at their exact place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from console.layout.deck import DeckLoader, library_presets, load_deck
from console.layout.positions import LayoutInvalid

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "layouts" / "weekly-briefing.deck.yaml"


def test_demo_deck_has_six_slides_each_showing_panels() -> None:
    deck = load_deck(DEMO)
    presets = library_presets(ROOT / "layouts")
    assert deck.slides[0].title == "Overview wall"
    assert len(deck.slides) == 6
    for slide in deck.slides:
        assert slide.screen(presets).panels(), slide.title
    assert deck.slides[-1].screen(presets).cells[0].config["sort"] == "priority"


BAD = """\
title: Bad deck
slides:
  - title: a
    preset: operatr
  - title: b
    grid: {rows: 1, columns: 1, cells: [{row: 0, column: 1, kind: map}]}
  - title: c
    panel: {kind: kpi-tile, config: {perod: day}}
  - title: d
    preset: operator
    panel: {kind: map}
"""


def test_errors_name_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.deck.yaml"
    path.write_text(BAD)
    with pytest.raises(LayoutInvalid) as raised:
        DeckLoader(path, library_presets(ROOT / "layouts")).load_deck()
    messages = [str(e) for e in raised.value.errors]
    assert messages == [
        f"{path}:9:5: a slide shows exactly one of 'preset', 'panel' or 'grid' "
        "(it has preset, panel)"
    ], "a model error is reported first, alone"
    path.write_text(BAD.rsplit("  - title: d", 1)[0])
    with pytest.raises(LayoutInvalid) as raised:
        DeckLoader(path, library_presets(ROOT / "layouts")).load_deck()
    messages = [str(e) for e in raised.value.errors]
    assert messages[0].startswith(
        f"{path}:4:13: unknown preset 'operatr' (did you mean 'operator'?)"
    )
    assert messages[1] == f"{path}:6:41: cell spans rows 0-0, columns 1-1, outside the 1×1 grid"
    assert messages[2] == f"{path}:8:38: unknown key 'perod' (did you mean 'period'?)"


def test_main_validate_accepts_decks(tmp_path: Path) -> None:
    good = subprocess.run(
        [sys.executable, "-m", "ioc_console", "validate", str(DEMO)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    bad = tmp_path / "x.deck.yaml"
    bad.write_text("title: x\nslides:\n  - {title: a, preset: nope}\n")
    shown = subprocess.run(
        [sys.executable, "-m", "ioc_console", "validate", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 1
    assert f"{bad}:3:24: unknown preset 'nope'" in shown.stdout
