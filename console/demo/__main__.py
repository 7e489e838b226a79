"""`python -m console.demo`: run the demo IOC backend in the foreground until Ctrl+C."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path
from types import FrameType

from console.demo.server import DemoServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m console.demo", description="Run the demo IOC backend (Bình Phước)."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    parser.add_argument("--seed", type=int, default=None, help="seed for a reproducible province")
    parser.add_argument(
        "--incident-interval",
        type=float,
        default=5.0,
        metavar="S",
        help="seconds between incidents",
    )
    parser.add_argument(
        "--kpi-interval", type=float, default=5.0, metavar="S", help="seconds between KPI samples"
    )
    parser.add_argument("--video-cache", type=Path, default=None, help="where clips are cached")
    parser.add_argument(
        "--retention",
        type=float,
        default=7200.0,
        metavar="S",
        help="seconds of recording every camera keeps (a ring; default two hours)",
    )
    parser.add_argument(
        "--recordings", type=Path, default=None, help="folder of the recorder's span index"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    server = DemoServer(
        host=args.host,
        port=args.port,
        seed=args.seed,
        incident_interval_s=args.incident_interval,
        kpi_interval_s=args.kpi_interval,
        video_cache_dir=args.video_cache,
        retention_s=args.retention,
        recordings_dir=args.recordings,
    )
    done = threading.Event()

    def finish(_signum: int, _frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGINT, finish)
    signal.signal(signal.SIGTERM, finish)
    url = server.start()
    print(f"Demo IOC backend: {url}  (API docs: {url}/docs; Ctrl+C to stop)", flush=True)
    try:
        done.wait()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
