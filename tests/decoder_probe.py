"""Plays one RTSP stream (Qt Multimedia) and one MP4 file (libVLC) with a forced decoder.

    python -m tests.decoder_probe --decoder vaapi RTSP_URL FILE.mp4

A separate process because the decoder choice is made once, before the QApplication (Qt
reads QT_FFMPEG_DECODING_HW_DEVICE_TYPES at its first decoder). Prints one JSON line: frames
each engine decoded and the decoder each tile reports.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from widgets.qt_setup import configure_qt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decoder", required=True)
    parser.add_argument("rtsp")
    parser.add_argument("file")
    args = parser.parse_args()
    configure_qt(decoder=args.decoder)
    app = QApplication(sys.argv[:1])
    from widgets.video.engine import VideoHost

    hosts = {"qt": VideoHost(), "vlc": VideoHost()}
    hosts["qt"].play(args.rtsp, 300)
    hosts["vlc"].play(args.file, 300)
    loop, deadline = QEventLoop(), time.monotonic() + 20
    poll = QTimer(interval=100)
    poll.timeout.connect(
        lambda: (
            loop.quit()
            if time.monotonic() > deadline or all(h.frames_decoded() > 10 for h in hosts.values())
            else None
        )
    )
    poll.start()
    loop.exec()
    result = {
        name: {"engine": host.engine, "frames": host.frames_decoded(), "decoder": host.decoder()}
        for name, host in hosts.items()
    }
    result["variable"] = os.environ.get("QT_FFMPEG_DECODING_HW_DEVICE_TYPES")
    for host in hosts.values():
        host.release()
    print(json.dumps(result), flush=True)
    app.quit()


if __name__ == "__main__":
    main()
