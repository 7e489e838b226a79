"""Soak: the demo wall unattended, with faults, measuring what grows.

    xvfb-run -a python -m tests.bench.soak --minutes 60 --json

Runs the real console (`python -m ioc_console --backend URL`, default operator wall: a live camera,
the map, a KPI chart and the queue) against a demo backend in its own process, and
meanwhile: drops the shown camera and brings it back every 30 s, sends a burst of 50
incidents every minute, and restarts the backend every 10 minutes. Incidents also
arrive steadily (`--per-minute`, 80 by default), and the console follows a site file
with the demo's procedures, so the checklists are part of what runs. RSS, threads and
open file descriptors of the console are read from /proc after a warm-up and at the
end. The baseline is the same console left alone for the warm-up period, i.e. the
start figures; the ratio is end / start RSS. RSS is also sampled every five minutes, and
the growth over the second half reported, to tell a warm-up that levels off from a leak.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_figures(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {
        "rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
        "threads": int(fields["Threads"]),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
    }


class Backend:
    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "console.demo",
                "--port",
                str(self.port),
                "--seed",
                "11",
                "--incident-interval",
                "2",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/cameras", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)  # a benchmark's wait for a server, not test synchronisation
        raise SystemExit("the demo backend did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--warmup-minutes", type=float, default=2.0)
    parser.add_argument("--per-minute", type=float, default=80.0, help="steady new incidents")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backend = Backend(free_port())
    backend.start()
    folder = Path(tempfile.mkdtemp(prefix="ioc-soak-"))
    report = folder / "soak.png"
    site = folder / "soak.site.yaml"
    procedures = ROOT / "layouts" / "demo.procedures.yaml"
    site.write_text(
        f"version: 1\nname: soak\nprocedures: {procedures}\nconnections:\n"
        f"  - {{name: backend, kind: ioc, url: '{backend.url}', poll_s: 5}}\n",
        encoding="utf-8",
    )
    console = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ioc_console",
            "--site",
            str(site),
            # At the end the console writes what its wall shows (soak.json): the checks below.
            "--screenshot",
            str(report),
            "--exit-after",
            str(args.minutes * 60 + 20),
            "--preset",
            "operator",
            "--log-level",
            "WARNING",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    start = time.monotonic()
    end = start + args.minutes * 60
    warm = start + min(args.warmup_minutes * 60, args.minutes * 30)
    first: dict[str, float] | None = None
    trail: list[float] = []  # RSS every 5 minutes: growth that levels off vs a leak
    next_sample = start
    counts = {"camera_drops": 0, "bursts": 0, "backend_restarts": 0, "steady_incidents": 0}
    next_drop, next_burst, next_restart = start + 30, start + 60, start + 600
    try:
        while time.monotonic() < end:
            now = time.monotonic()
            if console.poll() is not None:
                raise SystemExit(f"the console exited with {console.returncode}")
            if first is None and now >= warm:
                first = proc_figures(console.pid)
            if now >= next_sample:
                trail.append(round(proc_figures(console.pid)["rss_mb"], 1))
                next_sample += 300
            try:
                if now >= next_drop:
                    url = f"{backend.url}/api/v1/demo/cameras/CAM-01/status"
                    httpx.post(url, json={"status": "offline"}, timeout=5)
                    time.sleep(5)  # the tile shows offline for a while, then comes back
                    httpx.post(url, json={"status": "online"}, timeout=5)
                    counts["camera_drops"] += 1
                    next_drop = now + 30
                due = int((now - start) / 60 * args.per_minute) - counts["steady_incidents"]
                with httpx.Client(timeout=5) as client:
                    for _ in range(max(due, 0)):
                        client.post(f"{backend.url}/api/v1/demo/incidents", json={})
                        counts["steady_incidents"] += 1
                if now >= next_burst:
                    with httpx.Client(timeout=5) as client:
                        for n in range(50):
                            made = client.post(f"{backend.url}/api/v1/demo/incidents", json={})
                            if n % 5 == 0:  # acknowledged at once: both events in one batch
                                client.post(
                                    f"{backend.url}/api/v1/incidents/{made.json()['id']}/actions",
                                    json={"action": "acknowledge"},
                                    headers={"Idempotency-Key": f"soak-{made.json()['id']}"},
                                )
                    counts["bursts"] += 1
                    next_burst = now + 60
            except httpx.HTTPError:
                pass  # the backend is restarting
            if now >= next_restart:
                backend.stop()
                time.sleep(5)  # an outage the console must ride out
                backend.start()
                counts["backend_restarts"] += 1
                next_restart = now + 600
            time.sleep(1)
        last = proc_figures(console.pid)
        console.wait(timeout=120)  # it writes its report, then exits by itself
    finally:
        if console.poll() is None:
            console.terminate()
            console.wait(timeout=60)
        backend.stop()
    wall = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    panels = [panel for window in wall["windows"] for panel in window["panels"]]
    queues = [panel for panel in panels if panel["kind"] == "incidents"]
    assert first is not None
    result = {
        "minutes": args.minutes,
        "rss_start_mb": round(first["rss_mb"], 1),
        "rss_end_mb": round(last["rss_mb"], 1),
        "rss_growth": round(last["rss_mb"] / first["rss_mb"] - 1, 4),
        "threads_start": first["threads"],
        "threads_end": last["threads"],
        "fds_start": first["fds"],
        "fds_end": last["fds"],
        "rss_mb_every_5_min": trail,
        "rss_growth_second_half": round(last["rss_mb"] / trail[len(trail) // 2] - 1, 4),
        **counts,
        # one incident, one row, after an hour of bursts and restarts: must be 0
        "duplicate_rows": sum(queue["rows"] - queue["distinct_ids"] for queue in queues),
        "link_at_end": wall["connections"][0]["state"],
        "camera_states_at_end": sorted(p["state"] for p in panels if p["kind"] == "camera"),
    }
    print(json.dumps(result) if args.json else result)


if __name__ == "__main__":
    main()
