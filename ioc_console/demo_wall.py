"""`ioc-console demo-wall` (`make demo-wall`): a wall of three consoles on one machine.

A local mosquitto, the demo backend, a controller console (Wall ▸ Wall nodes…,
Ctrl+Shift+W) and two wall nodes, each its own process and window, all following one
site file written for the occasion. Closing the controller ends the demo.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
from pathlib import Path

from console.assets import layouts_dir

log = logging.getLogger("ioc_console")


def demo_site_text(demo_url: str, broker_url: str) -> str:
    """The shipped demo site, pointed at this backend, with this broker."""
    shipped = (layouts_dir() / "demo.site.yaml").read_text(encoding="utf-8")
    shipped = shipped.replace("http://demo.localhost", demo_url.rstrip("/"))
    procedures = (layouts_dir() / "demo.procedures.yaml").as_posix()
    shipped = shipped.replace("procedures: demo.procedures.yaml", f"procedures: {procedures}")
    return shipped + f'broker:\n  url: "{broker_url}"\n'


def demo_wall_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ioc-console demo-wall")
    parser.add_argument("--nodes", type=int, default=2, choices=range(1, 9), metavar="1..8")
    parser.add_argument("--exit-after", type=float, metavar="SECONDS")
    args = parser.parse_args(argv)
    from console.demo.broker import LocalBroker, mosquitto_path, stop_all
    from console.demo.server import DemoServer

    if mosquitto_path() is None:
        print("demo-wall needs mosquitto: apt-get install mosquitto", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ioc-demo-wall-") as tmp, DemoServer() as demo:
        folder = Path(tmp)
        broker = LocalBroker(folder / "broker")
        broker.start()
        site = folder / "demo-wall.site.yaml"
        site.write_text(demo_site_text(demo.url, broker.url), encoding="utf-8")
        print(f"demo wall: broker {broker.url}, backend {demo.url}, site {site}")
        extra = ["--exit-after", str(args.exit_after)] if args.exit_after else []
        base = [sys.executable, "-m", "ioc_console", "--site", str(site), *extra]
        nodes = [
            subprocess.Popen(
                [*base, "--node", f"wall-{n}", "--layout", str(layouts_dir() / "leader-kpis.yaml")]
            )
            for n in range(1, args.nodes + 1)
        ]
        try:
            controller = subprocess.run([*base, "--preset", "operator"], check=False)
            return controller.returncode
        finally:
            stop_all(nodes)
            broker.stop()
