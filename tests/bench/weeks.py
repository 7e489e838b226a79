"""Weeks unattended, time-compressed: does the live incident store stay small and smooth?

    python -m tests.bench.weeks --json        (headless: QT_QPA_PLATFORM=offscreen)

`--days` (21) of `--per-day` (150) reports, each received -> acknowledged -> resolved
over a few simulated hours (some stay open, 1 % are reopened a week or more after they
were resolved, 1 % keep an action stuck in the outbox), pushed in 20-minute batches
through the real `IncidentTableModel` with a shown `QTableView` over a queue view.
The retention pass (`RetentionPass.run`, 7-day window, archive in a temporary SQLite
file) runs every simulated hour. A 5 ms precise QTimer measures how late the GUI thread
is: stall_ms_max_start over the first simulated day, stall_ms_max_end over the last
(and the median beat: the typical step, less noisy than the one worst).

Baseline, in the same run: the same weeks with NO retention. Each scenario runs in its
own process, so RSS figures do not leak into each other. Checks: `lost` (incidents in
neither the store nor the archive), `open_archived`, `pending_archived` and
`cursor_back` must all be 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench.incidents import CATEGORIES, DISTRICTS, PRIORITIES, WORDS

S0 = datetime(2026, 11, 2, tzinfo=UTC)
STEP = timedelta(minutes=20)  # one batch per 20 simulated minutes: ~1 s of wall per day
Event = tuple[float, int, str, bool, float]  # sim hours, number, status, stuck, reported


def schedule(days: int, per_day: int, seed: int = 3) -> list[Event]:
    """Every status change of every incident, in simulated time order."""
    rng = random.Random(seed)
    events: list[Event] = []
    for n in range(days * per_day):
        at = reported = (n // per_day) * 24 + rng.uniform(0, 24)
        events.append((at, n, "received", False, reported))
        if rng.random() < 0.1:
            continue  # stays open (received)
        at += rng.uniform(0.2, 2)
        events.append((at, n, "acknowledged", False, reported))
        if rng.random() < 0.1:
            continue  # stays open (acknowledged)
        at += rng.uniform(0.5, 6)
        events.append((at, n, "resolved", rng.random() < 0.01, reported))
        if rng.random() < 0.01:  # the problem came back, long after it was archived
            at += rng.uniform(8, 10) * 24
            events.append((at, n, "acknowledged", False, reported))
            events.append((at + rng.uniform(1, 3), n, "resolved", False, reported))
    events.sort()
    return events


def record(event: Event, revision: int) -> Any:
    from console.domain.records import Incident

    at, n, status, _stuck, reported = event
    rng = random.Random(n)
    district = rng.choice(DISTRICTS)
    return Incident.model_validate(
        {
            "id": f"ioc/INC-{n:06d}",
            "connection": "ioc",
            "title": f"{rng.choice(WORDS)} tại {district} số {n}",
            "description": "Người dân phản ánh qua ứng dụng",
            "category": rng.choice(CATEGORIES),
            "priority": rng.choice(PRIORITIES),
            "status": status,
            "source": "citizen",
            "district": district,
            "lat": 11.5,
            "lon": 106.9,
            "created_at": S0 + timedelta(hours=reported),
            "updated_at": S0 + timedelta(hours=at),
            "revision": revision,
        }
    )


def rss_mb() -> float:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return round(int(fields["VmRSS"].split()[0]) / 1024, 1)


def p50(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.5))], 2)


def scenario(days: int, per_day: int, retain: bool) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QTableView

    from console.stores.archive import IncidentArchive
    from console.stores.incident_view import IncidentQueueModel
    from console.stores.incidents import IncidentTableModel
    from console.stores.retention import RetentionPass

    app = QApplication.instance() or QApplication([])
    events = schedule(days, per_day)
    store = IncidentTableModel()
    queue = IncidentQueueModel(store)
    view = QTableView()
    view.setModel(queue)
    view.resize(1200, 800)
    view.show()
    folder = Path(tempfile.mkdtemp(prefix="ioc-weeks-"))
    archive = IncidentArchive(folder / "archive.sqlite")
    sim = [S0]
    retention = RetentionPass(store, archive, timedelta(days=7), clock=lambda: sim[0])
    state: dict[str, Any] = {"next": 0, "revision": 0, "cursor_back": 0, "pending": {}}
    late_by_day: dict[int, list[float]] = {}
    retire_ms: list[float] = []
    rss: dict[str, float] = {}
    last = [time.perf_counter()]
    end = S0 + timedelta(days=days)

    def beat() -> None:
        now = time.perf_counter()
        day = int((sim[0] - S0) / timedelta(days=1))
        late = (now - last[0]) * 1000 - 5
        late_by_day.setdefault(day, []).append(late)
        last[0] = now

    def step() -> None:
        sim[0] += STEP
        hours = (sim[0] - S0) / timedelta(hours=1)
        batch = []
        while state["next"] < len(events) and events[state["next"]][0] <= hours:
            event = events[state["next"]]
            state["next"] += 1
            state["revision"] += 1
            batch.append(record(event, state["revision"]))
            if event[3]:  # the outbox never delivers this one: it must stay live
                state["pending"][f"ioc/INC-{event[1]:06d}"] = ("note",)
                store.set_pending(dict(state["pending"]))
        if batch:
            store.upsert(batch, live=True)
        if retain and sim[0].minute == 0:
            start = time.perf_counter()
            retention.run()
            retire_ms.append((time.perf_counter() - start) * 1000)
        if store.cursor_of("ioc") < state["revision"]:
            state["cursor_back"] += 1
        if sim[0] == S0 + timedelta(days=1):
            rss["start"] = rss_mb()
        if sim[0] >= end:
            stepper.stop()
            heartbeat.stop()
            app.quit()

    heartbeat = QTimer(interval=5, timerType=Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(beat)
    stepper = QTimer(interval=1)
    stepper.timeout.connect(step)
    started = time.perf_counter()
    heartbeat.start()
    stepper.start()
    app.exec()
    elapsed = time.perf_counter() - started
    rss["end"] = rss_mb()  # before the checks below read the whole archive back
    live = {incident.id: incident for incident in store.incidents()}
    archived = {incident.id: incident for incident in archive.search("", limit=10**9)}
    total = {f"ioc/INC-{event[1]:06d}" for event in events}
    result = {
        "live_rows": len(store.columns),
        "queue_rows": queue.rowCount(),
        "archive_rows": archive.count(),
        "stall_ms_max_start": round(max(late_by_day.get(0, [0.0])), 2),
        "stall_ms_max_end": round(max(late_by_day.get(days - 1, [0.0])), 2),
        "stall_ms_p50_start": p50(late_by_day.get(0, [0.0])),
        "stall_ms_p50_end": p50(late_by_day.get(days - 1, [0.0])),
        "rss_mb_start": rss.get("start", 0.0),
        "rss_mb_end": rss["end"],
        "retire_ms_max": round(max(retire_ms, default=0.0), 2),
        "retire_ms_p50": p50(retire_ms or [0.0]),
        "lost": len(total - live.keys() - archived.keys()),
        "open_archived": sum(1 for i in archived.values() if i.status.value != "resolved"),
        "pending_archived": len(state["pending"].keys() & archived.keys() - live.keys()),
        "pending_live": len(state["pending"].keys() & live.keys()),
        "cursor_back": state["cursor_back"],
        "events": len(events),
        "wall_s": round(elapsed, 1),
    }
    view.close()
    archive.close()
    shutil.rmtree(folder, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--per-day", type=int, default=150)
    parser.add_argument("--scenario", choices=("retention", "baseline"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(scenario(args.days, args.per_day, args.scenario == "retention")))
        return
    runs = {}
    for name in ("retention", "baseline"):
        command = [sys.executable, "-m", "tests.bench.weeks", "--scenario", name]
        command += ["--days", str(args.days), "--per-day", str(args.per_day)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
        runs[name] = json.loads(done.stdout.strip().splitlines()[-1])
    ours, base = runs["retention"], runs["baseline"]
    result: dict[str, Any] = {"days": args.days, "reports_per_day": args.per_day, **ours}
    for key in ("live_rows", "stall_ms_max_start", "stall_ms_max_end", "stall_ms_p50_end"):
        result[f"baseline_{key}"] = base[key]
    result["baseline_rss_mb_end"] = base["rss_mb_end"]
    result["ratio_live_rows"] = round(ours["live_rows"] / max(base["live_rows"], 1), 3)
    result["ratio_stall_end"] = round(
        ours["stall_ms_max_end"] / max(base["stall_ms_max_end"], 0.01), 2
    )
    result["ratio_stall_p50_end"] = round(
        ours["stall_ms_p50_end"] / max(base["stall_ms_p50_end"], 0.01), 2
    )
    result["ratio_rss_end"] = round(ours["rss_mb_end"] / max(base["rss_mb_end"], 0.01), 3)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
