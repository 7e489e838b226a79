"""Layout files: the shipped ones are valid, broken ones get an exact position."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console.layout.library import layout_files
from console.layout.loader import LayoutLoader, load_layout, validate_file
from console.layout.positions import LayoutInvalid

ROOT = Path(__file__).resolve().parents[1]

BROKEN = [
    ("", "1:1: the file is empty"),
    ("name: x\nscreens: [\n", "3:1: YAML: expected the node content"),
    ("- a\n- b\n", "1:1: a layout must be a mapping"),
    ("name: x\nscreen: []\n", "2:1: unknown key 'screen' (did you mean 'screens'?)"),
    (
        "name: x\nscreens:\n  - name: a\n    rows: 2\n    colums: 2\n",
        "5:5: unknown key 'colums' (did you mean 'columns'?)",
    ),
    ("name: x\nscreens:\n  - name: a\n    rows: two\n    columns: 1\n", "4:11: rows:"),
    (
        "name: x\nscreens:\n  - name: a\n    rows: 1\n    columns: 1\n    cells:\n"
        "      - {row: 0, column: 0, kind: camra}\n",
        "7:35: unknown panel kind 'camra' (did you mean 'camera'?)",
    ),
    (
        "name: x\nscreens:\n  - name: a\n    rows: 1\n    columns: 2\n    cells:\n"
        "      - {row: 0, column: 0, kind: map}\n"
        "      - {row: 0, column: 0, column_span: 2, kind: map}\n",
        "8:9: cell overlaps cell 1 at row 0, column 0",
    ),
    (
        "name: x\nscreens:\n  - name: a\n    rows: 1\n    columns: 1\n    cells:\n"
        "      - {row: 0, column: 1, kind: map}\n",
        "7:9: cell spans rows 0-0, columns 1-1, outside the 1×1 grid",
    ),
    (
        "name: x\nscreens:\n  - name: a\n    rows: 1\n    columns: 1\n    cells:\n"
        "      - row: 0\n        column: 0\n        kind: map\n        config:\n"
        "          zom: 3\n",
        "11:11: unknown key 'zom' (did you mean 'zoom'?)",
    ),
    (
        "name: x\nscreens:\n  - name: a\n    rows: 1\n    columns: 1\n    cells:\n"
        "      - row: 0\n        column: 0\n        kind: map\n        config:\n"
        "          zoom: 40\n",
        "11:17: zoom: Input should be less than or equal to 19",
    ),
    ("name: x\nname: y\nscreens: []\n", "2:1: YAML: found duplicate key"),
    ("name: x\nscreens: \x1f[]\n", "2:10: YAML: character U+001F is not allowed here"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_layout_reports_exact_position(text: str, expected: str) -> None:
    errors = LayoutLoader("wall.yaml", text)
    with pytest.raises(Exception) as raised:
        errors.load()
    messages = [str(error) for error in getattr(raised.value, "errors", [])]
    assert any(message.startswith(f"wall.yaml:{expected}") for message in messages), messages


def test_binary_and_huge_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    huge = tmp_path / "huge.yaml"
    huge.write_text("# " + "x" * 2_000_000)
    assert "binary" in str(validate_file(binary)[0])
    assert "too large" in str(validate_file(huge)[0])
    assert "cannot read" in str(validate_file(tmp_path / "missing.yaml")[0])


@pytest.mark.parametrize("path", layout_files(ROOT / "layouts"), ids=lambda p: p.name)
def test_shipped_layouts_are_valid(path: Path) -> None:
    assert validate_file(path) == []


def test_operator_layout_is_the_2x2_wall() -> None:
    layout = load_layout(ROOT / "layouts" / "operator.yaml")
    kinds = {cell.kind for cell in layout.screens[0].cells}
    assert kinds == {"camera", "map", "kpi-chart", "incidents"}


def test_validate_command_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nscreen: []\n")
    ok = subprocess.run(
        [sys.executable, "-m", "ioc_console", "validate", "layouts/operator.yaml"],
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=False,
    )
    failed = subprocess.run(
        [sys.executable, "-m", "ioc_console", "validate", str(bad)],
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert failed.returncode == 1
    assert f"{bad}:2:1: unknown key 'screen'" in failed.stdout


SPLIT_AND_PRESETS = """\
presets:
  - name: ops
    screens:
      - name: desk
        display: {name: HDMI-1}
        scale: 1.5
        split:
          orientation: horizontal
          sizes: [2, 1]
          children:
            - {kind: map}
            - orientation: vertical
              children:
                - {kind: incidents}
                - {kind: kpi-chart, config: {kpis: [on-time-rate]}}
  - name: night
    screens:
      - {name: desk, rows: 1, columns: 1, cells: [{row: 0, column: 0, kind: incidents}]}
"""


def test_presets_and_nested_splits_load() -> None:
    presets = LayoutLoader("p.yaml", SPLIT_AND_PRESETS).load()
    assert [p.name for p in presets] == ["ops", "night"]
    desk = presets[0].screens[0]
    assert desk.scale == 1.5 and desk.display is not None and desk.display.name == "HDMI-1"
    assert [panel.kind for panel in desk.panels()] == ["map", "incidents", "kpi-chart"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SPLIT_AND_PRESETS.replace("{kind: incidents}", "{kind: incidnets}"),
            "14:26: unknown panel kind 'incidnets' (did you mean 'incidents'?)",
        ),
        (
            SPLIT_AND_PRESETS.replace("sizes: [2, 1]", "sizes: [2, 1, 1]"),
            "8:11: 'sizes' has 3 values for 2 children",
        ),
        (
            SPLIT_AND_PRESETS.replace("orientation: vertical", "orientashun: vertical"),
            "12:15: unknown key 'orientashun' (did you mean 'orientation'?)",
        ),
        (
            SPLIT_AND_PRESETS.replace("scale: 1.5", "scale: 9"),
            "6:16: scale: Input should be less than or equal to 4",
        ),
        (
            SPLIT_AND_PRESETS.replace("name: night", "name: ops"),
            "16:11: preset name 'ops' is used twice",
        ),
        (
            "name: x\nscreens:\n  - name: a\n    rows: 1\n    columns: 1\n"
            "    split: {orientation: vertical, children: [{kind: map}, {kind: map}]}\n",
            "3:5: a screen has either a grid (rows, columns, cells) or a split",
        ),
        (
            "name: x\nscreens:\n  - name: a\n",
            "3:5: a screen needs 'rows' and 'columns' (with 'cells'), or a 'split'",
        ),
    ],
)
def test_split_and_preset_errors_are_positioned(text: str, expected: str) -> None:
    with pytest.raises(LayoutInvalid) as raised:
        LayoutLoader("p.yaml", text).load()
    messages = [str(error) for error in raised.value.errors]
    assert f"p.yaml:{expected}" in messages, messages


def test_schema_command_describes_every_panel_kind() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ioc_console", "schema"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    schema = json.loads(result.stdout)
    assert set(schema["$defs"]["Cell"]["properties"]["kind"]["enum"]) >= {"camera", "map"}
    assert "MapConfig" in schema["$defs"]
