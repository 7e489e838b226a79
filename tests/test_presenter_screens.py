"""Presenting on two screens: the audience full screen on one, the presenter on the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_audience_and_presenter_take_their_own_screens(tmp_path: Path) -> None:
    config = tmp_path / "screens.json"
    # Qt's offscreen platform lists screens by name, the first being primary: the
    # lectern laptop here, as in a meeting room; the projector is the larger other one.
    screens = [
        {"name": "room-projector", "x": 0, "y": 0, "width": 1920, "height": 1080},
        {"name": "lectern", "x": 1920, "y": 0, "width": 1366, "height": 768},
    ]
    config.write_text(json.dumps({"screens": [{**s, "logicalDpi": 96, "dpr": 1} for s in screens]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    env.pop("DISPLAY", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.presenter_probe", "layouts/weekly-briefing.deck.yaml"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["audience"] == "room-projector" and report["audience_fullscreen"]
    assert report["audience_geometry"] == [0, 0, 1920, 1080]
    assert report["presenter"] == "lectern"
