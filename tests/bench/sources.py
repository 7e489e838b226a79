"""Several backends at once: 1, 4 and 16 `ioc` connections of 5,000 incidents each.

    python -m tests.bench.sources --json        (headless: QT_QPA_PLATFORM=offscreen)
    python -m tests.bench.sources --quick --json   (1 and 4 connections, 1,000 incidents)

Each connection is its own demo backend (`DemoServer`, its province seeded with
`--incidents` incidents through the demo's own `initial_incidents`, then one new
incident every `--interval` s, the demo's bot moving incidents along, KPI samples every
5 s). The backends, a prober and a black hole run in a helper process, so the console's
figures (CPU, GIL, RSS) are its own. Each connection count runs in a fresh console
process (RSS is not muddied by an earlier run's freed memory): `ioc_console.live.connect`
on the program's qasync loop (ioc_console.event_loop), with a QApplication and no
widgets. Once no connection is connecting any more, the heap is collected and frozen
as the console app does (ioc_console/app.py); that collection counts as GUI time.

Figures, per connection count N (`name_N`; without suffix: the largest N):
- first_wall_ms_N: from starting `federation.run()` until every link is live and the
  store holds all N × incidents rows;
- mb_per_connection_N: RSS after that load minus RSS just before `connect` built the
  stores, divided by N;
- stall_ms_max (whole run: every N, loading and following, connect() included) and
  stall_ms_p99 (worst run): lateness of a 5 ms precise QTimer on the GUI thread;
- latency_p95_ms_N: incidents created on the backends through their HTTP API
  (POST /api/v1/demo/incidents, `--probe-rate` a second in all, round-robin; the time
  taken just before the POST) until the store's `incidentsUpserted` carries them
  (matched by id `connection/local id`); post_p95_ms_N is the POST itself (the
  backends' share);
- latency_p95_ms_blackholed: the same at the largest N after a fresh start with one
  connection's URL replaced by a black hole (a loopback TCP server that accepts and
  never answers), for the other N - 1 connections;
- to explain the rest: connect_ms_N, cpu_load_s_N (console process CPU while loading),
  backends_cpu_load_s_N, gc_ms_load_N (cyclic GC while loading), cpu_follow_pct_N,
  and the console's own warnings (link faults) while the benchmark ran.

Baseline, measured in the same run: the 1-connection figures. The ratios say how the
cost grows: ratio_first_wall_16_vs_1 (linear growth is 16 or less) and
ratio_mb_per_connection_16_vs_1 (1 or less is at most linear); and the black hole's
effect on the others, ratio_latency_blackholed_vs_healthy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ioc_console.heap import StartupHeap

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT_MS = 5
KPI_INTERVAL_S = 5.0  # the demo's default


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    import numpy as np

    return round(float(np.percentile(values, q)), 2)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def name_of(index: int) -> str:
    return f"c{index:02d}"


# -- the helper process: N demo backends, a black hole and a prober -----------------------


class BlackHole:
    """A loopback TCP server that accepts connections and never answers."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="black-hole", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._held.append(conn)  # read nothing, answer nothing, close nothing

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for conn in self._held:
            conn.close()
        self._sock.close()


class Prober:
    """Creates incidents through the backends' HTTP API at `rate` a second in all,
    round-robin over `indices`; records (backend index, local id, monotonic times of
    the request and of its answer)."""

    def __init__(self, urls: list[str], indices: list[int], rate: float) -> None:
        self.urls, self.indices, self.gap = urls, indices, 1.0 / rate
        self.records: list[tuple[int, str, float, float]] = []
        self.errors = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="prober", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import httpx

        with httpx.Client(timeout=10) as client:
            due = time.monotonic()
            n = 0
            while not self._stop.is_set():
                index = self.indices[n % len(self.indices)]
                sent = time.monotonic()
                try:
                    made = client.post(
                        f"{self.urls[index]}/api/v1/demo/incidents",
                        json={"title": f"bench probe {n}"},
                    )
                    made.raise_for_status()
                    answered = time.monotonic()
                    self.records.append((index, str(made.json()["id"]), sent, answered))
                except httpx.HTTPError:
                    self.errors += 1
                n += 1
                due += self.gap
                self._stop.wait(max(0.0, due - time.monotonic()))

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join(15)
        return {"probes": self.records, "errors": self.errors}


def serve(count: int, incidents: int, interval: float, with_black_hole: bool) -> None:
    """Helper process: start the backends, print their URLs, then obey stdin
    ("probe INDICES RATE", "stop", "quit")."""
    import console.demo.server as demo_server
    from console.demo.province import Province

    logging.basicConfig(level=logging.WARNING, format="backends: %(name)s: %(message)s")

    class Prefilled(Province):
        """A province seeded with `incidents` incidents of the last eight hours (the
        demo's own `initial_incidents`, all along their lifecycle): no bulk endpoint
        exists, and 5,000 POSTs per backend would take minutes."""

        def __init__(
            self,
            seed: int | None = None,
            incident_interval_s: float = 5.0,
            kpi_interval_s: float = 5.0,
        ) -> None:
            super().__init__(seed, incident_interval_s, kpi_interval_s, initial_incidents=incidents)

    demo_server.Province = Prefilled  # type: ignore[misc]  # DemoServer.start builds this
    servers: list[Any] = []
    hole = BlackHole() if with_black_hole else None
    prober: Prober | None = None
    started = time.perf_counter()
    try:
        for index in range(count):
            server = demo_server.DemoServer(
                seed=100 + index, incident_interval_s=interval, kpi_interval_s=KPI_INTERVAL_S
            )
            server.start(timeout=60)
            servers.append(server)
        ready = {
            "urls": [server.url for server in servers],
            "black_hole": hole.url if hole else None,
            "start_s": round(time.perf_counter() - started, 2),
            "desk": [len(server.province.desk) for server in servers],
        }
        print(json.dumps(ready), flush=True)
        for line in sys.stdin:
            command, *rest = line.split()
            if command == "probe":
                indices = [int(i) for i in rest[0].split(",")]
                prober = Prober(ready["urls"], indices, float(rest[1]))  # type: ignore[arg-type]
            elif command == "stop" and prober is not None:
                print(json.dumps(prober.stop()), flush=True)
                prober = None
            elif command == "stats":
                print(json.dumps({"black_hole_accepted": hole.accepted if hole else 0}), flush=True)
            elif command == "quit":
                break
    finally:
        if prober is not None:
            prober.stop()
        stopping = [threading.Thread(target=server.stop) for server in servers]
        for thread in stopping:  # side by side: each waits for its uvicorn to wind down
            thread.start()
        for thread in stopping:
            thread.join()
        if hole is not None:
            hole.close()


class Backends:
    """The helper process, seen from the console process."""

    def __init__(self, count: int, incidents: int, interval: float, black_hole: bool) -> None:
        command = [
            *(sys.executable, "-m", "tests.bench.sources", "--serve", str(count)),
            *("--incidents", str(incidents), "--interval", str(interval)),
        ]
        if black_hole:
            command.append("--black-hole")
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        ready = self.read()
        self.urls: list[str] = ready["urls"]
        self.black_hole: str | None = ready["black_hole"]
        self.start_s: float = ready["start_s"]
        self.desk: list[int] = ready["desk"]

    @property
    def stdout(self) -> IO[str]:
        assert self.process.stdout is not None
        return self.process.stdout

    def read(self) -> dict[str, Any]:
        line = self.stdout.readline()
        if not line:
            raise SystemExit(f"the backends' process ended ({self.process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def cpu_s(self) -> float:
        """CPU time the backends' process has used (every thread)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def ask(self, command: str) -> dict[str, Any]:
        """A command with an answer, read off the GUI thread (the loop keeps running)."""
        self.send(command)
        return await asyncio.get_running_loop().run_in_executor(None, self.read)

    def close(self) -> int:
        if self.process.poll() is None:
            with contextlib.suppress(OSError):  # BrokenPipeError: it has ended already
                self.send("quit")
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


# -- the console process: one connection count ---------------------------------------------


class Heartbeat:
    """A 5 ms timer on the GUI thread; records how late each beat is, per phase."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.late: dict[str, list[float]] = {}
        self.phase = ""
        self.last = 0.0

    def start(self, phase: str) -> None:
        self.switch(phase)
        self.last = time.perf_counter()
        self.timer.start()

    def switch(self, phase: str) -> None:
        self.phase = phase
        self.late.setdefault(phase, [])

    def stop(self) -> None:
        self.timer.stop()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.late[self.phase].append((now - self.last) * 1000 - HEARTBEAT_MS)
        self.last = now

    def all(self) -> list[float]:
        return [late for phase in self.late.values() for late in phase]


class GcPauses:
    """Time spent in the cyclic garbage collector (on whichever thread triggered it)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((time.perf_counter() - self._start) * 1000)

    def close(self) -> None:
        gc.callbacks.remove(self._callback)


class Faults(logging.Handler):
    """What the console logs at WARNING and above (link faults), instead of stderr."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        at = record.relativeCreated / 1000
        self.messages.append(f"{at:.1f}s {record.name}: {record.getMessage()}"[:240])


async def session(
    backends: Backends,
    heartbeat: Heartbeat,
    faults: Faults,
    urls: list[str],
    *,
    black_holed: int | None,
    incidents: int,
    seconds: float,
    probe_rate: float,
    timeout: float,
    tag: str,
) -> dict[str, Any]:
    """Connect to `urls`, time the first full wall, then follow with probes."""
    from console.site.model import Connection, Site
    from console.sources.link import LinkState
    from ioc_console.live import connect

    healthy = [index for index in range(len(urls)) if index != black_holed]
    expected = {name_of(index) for index in healthy}
    site = Site(
        name="bench",
        connections=[
            Connection(name=name_of(index), kind="ioc", url=url) for index, url in enumerate(urls)
        ],
    )
    gc.collect()
    rss_before = rss_mb()
    first_fault = len(faults.messages)
    heartbeat.start(f"{tag}load")  # building the links is on the GUI thread too
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    live = connect(site)
    store, federation = live.context.incidents, live.federation
    want_rows = len(healthy) * incidents
    arrivals: dict[str, float] = {}
    live_at: dict[str, float] = {}
    wall = asyncio.Event()

    def arrived(batch: list[Any]) -> None:
        now = time.monotonic()
        for incident in batch:
            arrivals.setdefault(incident.id, now)

    def check(*_args: object) -> None:
        for name in expected:
            if name not in live_at and federation.links[name].state == LinkState.LIVE:
                live_at[name] = time.perf_counter()
        if len(live_at) == len(expected) and store.rowCount() >= want_rows:
            wall.set()

    result: dict[str, Any] = {"connect_ms": ms(time.perf_counter() - started)}

    heap = StartupHeap(live.context.connections)  # as the console does (ioc_console/heap.py)

    def freeze(_name: str) -> None:
        if "freeze_ms" not in result and heap.frozen:
            result["freeze_ms"] = ms(heap.freeze_s)
            result["freeze_at_ms"] = ms(time.perf_counter() - heap.freeze_s - start)

    store.incidentsUpserted.connect(arrived)
    store.rowsApplied.connect(check)
    federation.linkChanged.connect(check)
    live.context.connections.changed.connect(freeze)
    cpu, backends_cpu = time.process_time(), backends.cpu_s()
    collector = GcPauses()
    start = time.perf_counter()
    task = asyncio.create_task(federation.run())
    try:
        try:
            await asyncio.wait_for(wall.wait(), timeout)
            result["first_wall_ms"] = ms(time.perf_counter() - start)
        except TimeoutError:
            result["first_wall_ms"] = None
            result["problem"] = (
                f"no full wall in {timeout:g} s: {store.rowCount()} of {want_rows} rows, "
                + ", ".join(f"{n} {link.state.value}" for n, link in federation.links.items())
            )
        result["cpu_load_s"] = round(time.process_time() - cpu, 2)
        result["backends_cpu_load_s"] = round(backends.cpu_s() - backends_cpu, 2)
        result["gc_ms_load"] = round(sum(collector.pauses), 1)
        result["gc_ms_max_load"] = round(max(collector.pauses, default=0.0), 1)
        collector.close()
        result["rss_before_mb"] = round(rss_before, 1)
        result["rss_load_mb"] = round(rss_mb(), 1)
        result["rows_at_wall"] = store.rowCount()
        if live_at:
            result["link_live_ms_min"] = ms(min(live_at.values()) - start)
            result["link_live_ms_max"] = ms(max(live_at.values()) - start)
        result["faults_while_loading"] = len(faults.messages) - first_fault
        heartbeat.switch(f"{tag}follow")
        cpu, follow = time.process_time(), time.perf_counter()
        backends.send(f"probe {','.join(map(str, healthy))} {probe_rate:g}")
        await asyncio.sleep(seconds)
        probed = await backends.ask("stop")
        await asyncio.sleep(1.0)  # the last probes' batches land
        result["cpu_follow_pct"] = round(
            100 * (time.process_time() - cpu) / (time.perf_counter() - follow), 1
        )
        heartbeat.stop()
        latencies = []
        posts = [(answered - sent) * 1000 for _, _, sent, answered in probed["probes"]]
        lost = 0
        for index, local, sent, _answered in probed["probes"]:
            got = arrivals.get(f"{name_of(index)}/{local}")
            if got is None:
                lost += 1
            else:
                latencies.append((got - sent) * 1000)
        result.update(
            {
                "latency_p50_ms": percentile(latencies, 50),
                "latency_p95_ms": percentile(latencies, 95),
                "latency_max_ms": round(max(latencies), 2) if latencies else None,
                "post_p95_ms": percentile(posts, 95),  # the backend's part: the POST itself
                "probes": len(probed["probes"]),
                "probes_lost": lost,
                "probe_errors": probed["errors"],
                "duplicate_rows": store.rowCount() - store.distinct_ids(),
                "rows_at_end": store.rowCount(),
                "rss_end_mb": round(rss_mb(), 1),
                "states": {
                    name: [link.state.value, link.detail] for name, link in federation.links.items()
                },
            }
        )
    finally:
        with contextlib.suppress(ValueError):  # closed already
            collector.close()
        heartbeat.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await federation.aclose()
        heap.close()  # CPython's GC thresholds back
        gc.unfreeze()  # the next session starts from a plain heap
    result["faults"] = faults.messages[first_fault:]
    return result


def stall_figures(late: list[float]) -> dict[str, Any]:
    return {
        "stall_ms_max": round(max(late), 2) if late else None,
        "stall_ms_p99": percentile(late, 99),
        "stalls_over_50ms": sum(1 for x in late if x > 50),
        "stalls_over_100ms": sum(1 for x in late if x > 100),
    }


def run_count(
    count: int,
    incidents: int,
    seconds: float,
    interval: float,
    probe_rate: float,
    black_hole: bool,
    timeout: float,
) -> dict[str, Any]:
    """One connection count in this (fresh) process: healthy, then maybe one black-holed."""
    from PySide6.QtWidgets import QApplication

    import ioc_console.live  # noqa: F401  (imported before RSS is taken)
    from ioc_console.event_loop import run

    backends = Backends(count, incidents, interval, black_hole)
    app = QApplication.instance() or QApplication(["sources-bench"])
    from widgets.qt_setup import collect_garbage_on_gui_thread

    collector = collect_garbage_on_gui_thread()  # noqa: F841  (the console's GC policy)
    heartbeat = Heartbeat()
    faults = Faults()
    logging.getLogger().addHandler(faults)  # reported in the figures, not on stderr
    common: dict[str, Any] = {
        "incidents": incidents,
        "seconds": seconds,
        "probe_rate": probe_rate,
        "timeout": timeout,
    }

    async def main() -> dict[str, Any]:
        healthy = await session(
            backends, heartbeat, faults, backends.urls, black_holed=None, tag="", **common
        )
        figures: dict[str, Any] = {"connections": count, "backends_start_s": backends.start_s}
        figures["backend_desk_incidents"] = sorted(set(backends.desk))
        figures.update(healthy)
        if healthy["first_wall_ms"] is not None:
            figures["mb_per_connection"] = round(
                (healthy["rss_load_mb"] - healthy["rss_before_mb"]) / count, 2
            )
        for phase in ("load", "follow"):
            late = heartbeat.late.get(phase, [])
            figures[f"stall_ms_max_{phase}"] = round(max(late), 2) if late else None
        if black_hole and backends.black_hole is not None:
            urls = [*backends.urls[:-1], backends.black_hole]
            holed = await session(
                backends,
                heartbeat,
                faults,
                urls,
                black_holed=count - 1,
                tag="blackholed_",
                **common,
            )
            for phase in ("load", "follow"):
                late = heartbeat.late.get(f"blackholed_{phase}", [])
                holed[f"stall_ms_max_{phase}"] = round(max(late), 2) if late else None
            figures["blackholed"] = holed
            figures["black_hole_accepted"] = (await backends.ask("stats"))["black_hole_accepted"]
        figures.update(stall_figures(heartbeat.all()))
        return figures

    try:
        figures = run(main(), app)
    finally:
        figures_exit = backends.close()
    figures["backends_exit"] = figures_exit
    gc.collect()
    figures["threads_at_end"] = sorted(t.name for t in threading.enumerate())
    return figures


# -- the driver: one fresh process per connection count ------------------------------------


def child(count: int, args: argparse.Namespace, black_hole: bool) -> dict[str, Any]:
    command = [
        *(sys.executable, "-m", "tests.bench.sources", "--run", str(count)),
        *("--incidents", str(args.incidents), "--seconds", str(args.seconds)),
        *("--interval", str(args.interval), "--probe-rate", str(args.probe_rate)),
        *("--timeout", str(args.timeout)),
    ]
    if black_hole:
        command.append("--black-hole")
    out = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if out.returncode != 0 or not out.stdout.strip():
        raise SystemExit(f"the {count}-connection run failed ({out.returncode})")
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--quick", action="store_true", help="1 and 4 connections, 1,000 each")
    parser.add_argument("--counts", default=None, help="connection counts (default 1,4,16)")
    parser.add_argument("--incidents", type=int, default=None, help="per backend (5000)")
    parser.add_argument("--seconds", type=float, default=None, help="following, per phase (15)")
    parser.add_argument("--interval", type=float, default=1.0, help="s between demo incidents")
    parser.add_argument("--probe-rate", type=float, default=8.0, help="API incidents/s in all")
    parser.add_argument("--timeout", type=float, default=180.0, help="s to wait for the wall")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--black-hole", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.incidents = args.incidents or (1000 if args.quick else 5000)
    args.seconds = args.seconds or (6.0 if args.quick else 15.0)
    if args.serve:
        serve(args.serve, args.incidents, args.interval, args.black_hole)
        return
    if args.run:
        figures = run_count(
            args.run,
            args.incidents,
            args.seconds,
            args.interval,
            args.probe_rate,
            args.black_hole,
            args.timeout,
        )
        print(json.dumps(figures))
        return
    counts = [int(c) for c in (args.counts or ("1,4" if args.quick else "1,4,16")).split(",")]
    started = time.perf_counter()
    runs = {n: child(n, args, black_hole=n == max(counts)) for n in counts}
    result = summary(runs, args)
    result["run_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


def summary(runs: dict[int, dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    """The figures of every run, flat: per count N as `name_N`, the largest N plain."""
    top, base = max(runs), min(runs)
    largest, first = runs[top], runs[base]
    holed: dict[str, Any] = largest.get("blackholed", {})
    every = [*runs.values(), holed] if holed else list(runs.values())
    result: dict[str, Any] = {"connections": top, "incidents_per_connection": args.incidents}

    def per_count(name: str) -> None:
        for n, figures in runs.items():
            result[f"{name}_{n}"] = figures.get(name)

    per_count("first_wall_ms")
    result["mb_per_connection"] = largest.get("mb_per_connection")
    per_count("mb_per_connection")
    stalls = [f["stall_ms_max"] for f in runs.values() if f["stall_ms_max"] is not None]
    p99s = [f["stall_ms_p99"] for f in runs.values() if f["stall_ms_p99"] is not None]
    result["stall_ms_max"] = max(stalls) if stalls else None
    result["stall_ms_p99"] = max(p99s) if p99s else None
    result["stalls_over_100ms"] = sum(f["stalls_over_100ms"] for f in runs.values())
    per_count("stall_ms_max_load")
    per_count("stall_ms_max_follow")
    result["latency_p95_ms"] = largest["latency_p95_ms"]
    result["latency_p50_ms"] = largest["latency_p50_ms"]
    per_count("latency_p95_ms")
    per_count("post_p95_ms")
    result["latency_p95_ms_blackholed"] = holed.get("latency_p95_ms")
    result["latency_p50_ms_blackholed"] = holed.get("latency_p50_ms")
    result[f"first_wall_ms_{top - 1}_of_{top}_blackholed"] = holed.get("first_wall_ms")
    result["stall_ms_max_load_blackholed"] = holed.get("stall_ms_max_load")
    result["stall_ms_max_follow_blackholed"] = holed.get("stall_ms_max_follow")
    result["blackholed_link"] = holed.get("states", {}).get(name_of(top - 1))
    result["black_hole_accepted"] = largest.get("black_hole_accepted")
    per_count("connect_ms")
    per_count("freeze_ms")
    per_count("link_live_ms_min")
    per_count("cpu_load_s")
    per_count("backends_cpu_load_s")
    per_count("gc_ms_load")
    per_count("gc_ms_max_load")
    per_count("cpu_follow_pct")
    result["probes"] = sum(f.get("probes", 0) for f in every)
    result["probes_lost"] = sum(f.get("probes_lost", 0) for f in every)
    result["duplicate_rows"] = sum(f.get("duplicate_rows", 0) for f in every)
    per_count("faults_while_loading")
    faults = [message for f in every for message in f.get("faults", [])]
    result["console_warnings"] = len(faults)
    result["console_warnings_first"] = faults[:6]
    problems = [f["problem"] for f in every if f.get("problem")]
    if problems:
        result["problems"] = problems
    result["baseline_first_wall_ms"] = first["first_wall_ms"]
    result["baseline_mb_per_connection"] = first.get("mb_per_connection")
    result[f"ratio_first_wall_{top}_vs_{base}"] = ratio(
        largest["first_wall_ms"], first["first_wall_ms"]
    )
    result[f"ratio_mb_per_connection_{top}_vs_{base}"] = ratio(
        largest.get("mb_per_connection"), first.get("mb_per_connection")
    )
    result["ratio_latency_blackholed_vs_healthy"] = ratio(
        holed.get("latency_p95_ms"), largest["latency_p95_ms"]
    )
    result["demo_incident_interval_s"] = args.interval
    result["probe_rate"] = args.probe_rate
    result["follow_seconds"] = args.seconds
    result["threads_at_end"] = max(len(f["threads_at_end"]) for f in runs.values())
    result["backends_exit"] = [f["backends_exit"] for f in runs.values()]
    return result


if __name__ == "__main__":
    main()
