"""Wall windows land on the right physical screens; a missing screen folds, with a notice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENS = {
    "left": {"name": "wall-left", "x": 0, "y": 0, "width": 1920, "height": 1080},
    "portrait": {"name": "wall-portrait", "x": 1920, "y": 0, "width": 1080, "height": 1920},
    "right": {"name": "wall-right", "x": 3000, "y": 0, "width": 1920, "height": 1080},
}


def probe(tmp_path: Path, screens: list[str], layout: Path) -> list[dict]:  # type: ignore[type-arg]
    config = tmp_path / "screens.json"
    config.write_text(
        json.dumps({"screens": [{**SCREENS[s], "logicalDpi": 96, "dpr": 1} for s in screens]})
    )
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    env.pop("DISPLAY", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.multiscreen_probe", str(layout)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_two_screens_one_portrait(tmp_path: Path) -> None:
    windows = probe(tmp_path, ["left", "portrait"], ROOT / "layouts" / "two-screens.yaml")
    by_screen = {w["screen"]: w for w in windows}
    assert set(by_screen) == {"wall-left", "wall-portrait"}
    assert by_screen["wall-left"]["pages"] == ["operator"]
    assert by_screen["wall-portrait"]["pages"] == ["wall"]
    x, _y, width, height = by_screen["wall-portrait"]["geometry"]
    assert (x, width, height) == (1920, 1080, 1920), "full screen on the portrait display"
    assert by_screen["wall-portrait"]["font_pt"][0] == pytest.approx(
        1.5 * by_screen["wall-left"]["font_pt"][0]
    ), "the wall screen's scale enlarges its text"
    assert not any(w["banner"] for w in windows)


def test_three_screens_by_name(tmp_path: Path) -> None:
    layout = tmp_path / "three.yaml"
    layout.write_text(
        "name: three\nscreens:\n"
        + "".join(
            f"  - {{name: {n}, display: {{name: {d}}}, rows: 1, columns: 1,"
            f" cells: [{{row: 0, column: 0, kind: incidents}}]}}\n"
            for n, d in (("a", "wall-right"), ("b", "wall-left"), ("c", "wall-portrait"))
        )
    )
    windows = probe(tmp_path, ["left", "portrait", "right"], layout)
    assert {w["screen"]: w["pages"] for w in windows} == {
        "wall-right": ["a"],
        "wall-left": ["b"],
        "wall-portrait": ["c"],
    }


def test_a_missing_screen_folds_its_panels_onto_one_that_exists(tmp_path: Path) -> None:
    windows = probe(tmp_path, ["left"], ROOT / "layouts" / "two-screens.yaml")
    assert len(windows) == 1
    (only,) = windows
    assert only["pages"] == ["operator", "wall"]
    assert only["tabs_visible"]
    assert "“wall” is not connected" in only["banner"]
    assert only["panels"].count("camera") == 2, "nothing of the folded screen is lost"
