"""Start-up time to the first live video frame: the whole console vs a bare player.

    python -m tests.bench.startup --json      (needs a display: run under xvfb-run)

The console figure is wall time from launching `python -m ioc_console --demo` to the camera tile
reporting "live" in the log (first frame decoded). The baseline, measured in the same
run, is a bare libVLC player opening the same demo stream in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIVE = re.compile(r"widgets\.video\.camera_panel: camera .*: live")

BARE_PLAYER = r"""
import sys, time, vlc
from PySide6.QtWidgets import QApplication, QWidget
from console.demo.server import DemoServer
from widgets.qt_setup import configure_qt
configure_qt()
app = QApplication([])
with DemoServer() as server:
    import httpx
    url = httpx.get(server.url + "/api/v1/cameras").json()["items"][0]["streams"]["main"]["url"]
    surface = QWidget(); surface.resize(960, 540); surface.show()
    instance = vlc.Instance("--quiet", "--no-xlib", "--no-audio")
    player = instance.media_player_new()
    player.set_xwindow(int(surface.winId()))
    media = instance.media_new(url); media.add_option(":network-caching=300")
    player.set_media(media)
    start = time.perf_counter(); player.play()
    while True:
        app.processEvents()
        stats = vlc.MediaStats(); media.get_stats(stats)
        if stats.decoded_video > 0:
            break
        if time.perf_counter() - start > 30:
            sys.exit("no frame in 30 s")
        time.sleep(0.005)  # a tight benchmark poll, not test synchronisation
    print(time.perf_counter() - start)
    player.stop(); player.release()
"""


def console_seconds() -> float:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "ioc_console", "--demo", "--log-level", "INFO"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    try:
        for line in process.stderr:
            if LIVE.search(line):
                return time.perf_counter() - start
        raise SystemExit("the console exited before the camera went live")
    finally:
        process.terminate()
        process.wait(timeout=30)


def bare_player_seconds() -> float:
    """Process start (interpreter, Qt, demo backend) to first frame, without the console."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", BARE_PLAYER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return time.perf_counter() - start if out.stdout.strip() else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    console = min(console_seconds() for _ in range(args.runs))
    bare = min(bare_player_seconds() for _ in range(args.runs))
    result = {
        "runs": args.runs,
        "console_first_frame_s": round(console, 2),
        "baseline_bare_player_first_frame_s": round(bare, 2),
        "ratio": round(console / bare, 2),
    }
    print(json.dumps(result) if args.json else result)


if __name__ == "__main__":
    main()
