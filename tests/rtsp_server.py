"""A real RTSP server for tests and benchmarks: GStreamer's gst-rtsp-server from Debian.

Runs with Debian's own `/usr/bin/python3` (python3-gi lives there, not in the venv):

    /usr/bin/python3 tests/rtsp_server.py --port 8554 --mount live=test:640x360@25 \
        --mount cam=file:/tmp/clip.mp4

`test:WxH@FPS` encodes a live test pattern with x264 (`test:WxH@FPS/moving`: it scrolls, so
every frame differs); `file:PATH` streams an H.264 MP4 (made by ffmpeg) in real time. Every
mount is shared by its clients, like a camera. Prints "READY <port>" once listening, so the
parent waits on that line instead of sleeping.
"""

from __future__ import annotations

import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def launch_line(source: str) -> str:
    kind, _, spec = source.partition(":")
    if kind == "test":
        spec, _, motion = spec.partition("/")
        size, _, fps = spec.partition("@")
        width, _, height = size.partition("x")
        speed = 8 if motion == "moving" else 0  # the bars scroll: every frame differs
        return (
            f"( videotestsrc is-live=true pattern=smpte horizontal-speed={speed} ! "
            f"video/x-raw,width={width},"
            f"height={height},framerate={fps or 25}/1 ! x264enc tune=zerolatency "
            "speed-preset=ultrafast key-int-max=25 ! rtph264pay name=pay0 pt=96 )"
        )
    if kind == "file":
        return f'( filesrc location="{spec}" ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 )'
    raise SystemExit(f"unknown source {source!r}: use test:WxH@FPS or file:PATH")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mount", action="append", default=[], metavar="NAME=SOURCE")
    args = parser.parse_args()
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for mount in args.mount:
        name, _, source = mount.partition("=")
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch_line(source))
        factory.set_shared(True)
        mounts.add_factory(f"/{name}", factory)
    if server.attach(None) == 0:
        raise SystemExit(f"cannot listen on port {args.port}")
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    print(f"READY {server.get_bound_port()}", flush=True)
    loop.run()
    sys.exit(0)


if __name__ == "__main__":
    main()
