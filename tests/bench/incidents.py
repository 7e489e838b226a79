"""Incident queue speed: filter/sort at 100k and 1M rows, and a 1,000 events/s SSE burst.

    python -m tests.bench.incidents --json        (headless: QT_QPA_PLATFORM=offscreen)

Figures, each with a baseline measured in the same run:
- filter_ms / sort_ms: a keystroke's re-filter (text without diacritics + status) and a
  header click's re-sort (priority) on 100k incidents, through the queue model a QTableView
  shows; baseline: Python's own `sorted` / list filter of the same 100k records, and
  QSortFilterProxyModel over a Python model on `qsfpm_rows` rows.
- filter_ms_1m / sort_ms_1m: the same at 1,000,000 rows (columns only).
- memory_mb: the 100k store (numpy columns + the records themselves), tracemalloc.
- events_per_s, stall_ms_max, lost_events: a real SSE server (a subprocess) sends 1,000
  incident events/s for `--seconds`; the console's EventStream parses them and a flush
  every 100 ms applies each batch to the store and a visible queue, under the console's
  GC policy: collections on the GUI thread (widgets/qt_setup.py), the heap collected and
  frozen before the burst as when the connections are in, then LiveHeap's settings
  (ioc_console/heap.py).
  stall_ms_max (and _p99): every stall of the GUI thread during the burst, as the worst
  lateness of a 5 ms precise timer (parsing, flushes, painting, garbage collection, and
  the machine's other load); heartbeat_late_ms_max is the same figure under its old name.
  To explain it: busy_ms_max, the most CPU the GUI thread spent in one event-loop
  iteration (its own work, without other processes' share of the cores); gc_ms_max, the
  longest cyclic-GC pause, and gc_freezes, how often LiveHeap froze what a long full
  collection left; flush_ms_max / flush_ms_p50, one batch's apply to the store and the
  queue alone. Baseline: the same batches applied one `beginInsertRows` per event to the
  old list model (baseline_naive_flush_ms_max; ratio_flush_vs_naive).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]

CATEGORIES = ["traffic", "security", "environment", "public_services", "infrastructure", "lighting"]
PRIORITIES = ["low", "medium", "high", "critical"]
STATUSES = ["received", "acknowledged", "assigned", "resolved"]
DISTRICTS = ["Đồng Xoài", "Bình Long", "Phước Long", "Chơn Thành", "Bù Đăng", "Lộc Ninh"]
WORDS = ["Ngập nước", "Kẹt xe", "Đèn đường hỏng", "Rác thải", "Tai nạn", "Cháy", "Ổ gà"]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def raw_incident(n: int, rng: random.Random, revision: int | None = None) -> dict[str, Any]:
    created = T0 + timedelta(seconds=n * 7)
    district = rng.choice(DISTRICTS)
    return {
        "id": f"INC-{n:07d}",
        "title": f"{rng.choice(WORDS)} tại {district} số {n}",
        "description": "Người dân phản ánh qua ứng dụng",
        "category": rng.choice(CATEGORIES),
        "priority": rng.choice(PRIORITIES),
        "status": rng.choice(STATUSES),
        "source": rng.choice(["citizen", "camera", "sensor"]),
        "district": district,
        "lat": 11.5,
        "lon": 106.9,
        "created_at": created.isoformat(),
        "updated_at": created.isoformat(),
        "revision": n if revision is None else revision,
    }


def ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def median_ms(fn: Any, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(sorted(times)[len(times) // 2], 2)


def bench_queue(rows: int) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    from console.domain.records import Incident, IncidentStatus
    from console.stores.incident_query import IncidentQuery
    from console.stores.incident_view import IncidentQueueModel
    from console.stores.incidents import IncidentTableModel

    rng = random.Random(1)
    incidents = [Incident.model_validate(raw_incident(n, rng)) for n in range(rows)]
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    store = IncidentTableModel()
    store.upsert(incidents)
    memory = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))
    tracemalloc.stop()
    records_mb = (
        sum(
            sys.getsizeof(i) + sum(sys.getsizeof(v) for v in i.__dict__.values())
            for i in incidents[:1000]
        )
        * rows
        / 1000
        / 2**20
    )
    queue = IncidentQueueModel(store)
    view = QTableView()
    view.setModel(queue)
    view.resize(1200, 800)
    view.show()
    queries = [
        IncidentQuery(text="dong xoai", statuses=frozenset({IncidentStatus.RECEIVED})),
        IncidentQuery(text="ngap nuoc dong"),
    ]
    flip = iter(range(10**6))
    filter_ms = median_ms(lambda: queue.set_query(queries[next(flip) % 2]))
    queue.set_query(IncidentQuery())
    orders = iter(range(10**6))

    def resort() -> None:
        up = next(orders) % 2 == 0
        queue.sort(1, Qt.SortOrder.AscendingOrder if up else Qt.SortOrder.DescendingOrder)

    sort_ms = median_ms(resort)
    title_sort_ms = median_ms(lambda: queue.sort(3, Qt.SortOrder.AscendingOrder), 3)
    from console.domain.text import fold

    start = time.perf_counter()
    _ = sorted(incidents, key=lambda i: (i.priority.value, -i.created_at.timestamp()))
    python_sort_ms = ms(start)
    start = time.perf_counter()
    _ = [i for i in incidents if i.status.value == "received" and "dong xoai" in fold(i.title)]
    python_filter_ms = ms(start)
    view.close()
    return {
        "rows": rows,
        "filter_ms": filter_ms,
        "sort_ms": sort_ms,
        "sort_title_ms": title_sort_ms,
        "memory_mb": round(memory / 2**20, 1),
        "memory_records_est_mb": round(records_mb, 1),
        "baseline_python_sort_ms": python_sort_ms,
        "baseline_python_filter_ms": python_filter_ms,
    }


def bench_qsfpm(rows: int) -> float:
    """The old way: a Python model behind QSortFilterProxyModel, sorted once."""
    from PySide6.QtCore import QSortFilterProxyModel, Qt

    from console.domain.records import Incident
    from tests.bench.naive_model import NaiveIncidentModel

    rng = random.Random(2)
    model = NaiveIncidentModel()
    model.load([Incident.model_validate(raw_incident(n, rng)) for n in range(rows)])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    start = time.perf_counter()
    proxy.sort(3, Qt.SortOrder.AscendingOrder)
    return ms(start)


def bench_million(rows: int) -> dict[str, float]:
    """Columns only (records are not needed to filter or sort): 1M rows."""
    import numpy as np

    from console.domain.records import IncidentStatus
    from console.stores.incident_columns import IncidentColumns
    from console.stores.incident_query import IncidentQuery, Sorter, order

    rng = np.random.default_rng(3)
    columns = IncidentColumns(capacity=rows)
    columns.records = [None] * rows  # type: ignore[list-item]
    columns.created[:] = 1_780_000_000_000 + np.arange(rows, dtype=np.int64) * 7000
    columns.due[:] = columns.created + 3_600_000
    columns.priority[:] = rng.integers(0, 4, rows)
    columns.status[:] = rng.integers(0, 4, rows)
    columns.category[:] = rng.integers(0, 6, rows)
    columns.districts = list(DISTRICTS)
    columns.district[:] = rng.integers(0, len(DISTRICTS), rows)
    texts = np.array(
        ["ngap nuoc tai dong xoai", "ket xe binh long", "den duong phuoc long"], "S160"
    )
    columns.search[:] = texts[rng.integers(0, 3, rows)]
    sorter = Sorter()
    query = IncidentQuery(text="dong xoai", statuses=frozenset({IncidentStatus.RECEIVED}))
    filter_ms = median_ms(lambda: order(columns, query, sorter, "created", True), 3)
    sort_ms = median_ms(lambda: order(columns, IncidentQuery(), sorter, "priority", True), 3)
    return {"filter_ms_1m": filter_ms, "sort_ms_1m": sort_ms}


def serve(port: int, rate: int, seconds: float, existing: int) -> None:
    """A bare SSE server: `rate` incident events per second (70% new, 30% updates)."""
    rng = random.Random(4)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"cache-control: no-cache\r\nconnection: close\r\n\r\n"
        )
        revision, next_id = existing, existing
        start = time.perf_counter()
        total = int(rate * seconds)
        sent = 0
        while sent < total:
            due = int((time.perf_counter() - start) * rate)
            chunk = []
            while sent < min(due, total):
                revision += 1
                if rng.random() < 0.7:
                    raw, kind = raw_incident(next_id, rng, revision), "incident.created"
                    next_id += 1
                else:
                    raw, kind = (
                        raw_incident(rng.randrange(next_id), rng, revision),
                        "incident.updated",
                    )
                chunk.append(f"id: {revision}\nevent: {kind}\ndata: {json.dumps(raw)}\n\n")
                sent += 1
            if chunk:
                writer.write("".join(chunk).encode())
                await writer.drain()
            await asyncio.sleep(0.01)
        writer.write(f"event: bench.done\ndata: {sent}\n\n".encode())
        await writer.drain()
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        print("ready", flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def shown_queue(store: Any, shown: str) -> tuple[Any, Any]:
    """What shows the store during the burst: a bare queue view, or the operator's queue
    panel without or with its procedures (checklist, progress per row) and alarms."""
    if shown == "queue":
        from PySide6.QtWidgets import QTableView

        from console.stores.incident_view import IncidentQueueModel

        queue = IncidentQueueModel(store)
        view = QTableView()
        view.setModel(queue)
        return view, queue
    from console.layout.panel_kinds import IncidentsConfig
    from console.site.procedures import ProcedureBook, open_book
    from console.stores import CameraStore, KpiStore, LayerStore
    from widgets.incidents.panel import IncidentsPanel
    from widgets.panel import PanelContext

    extras = shown == "panel+sop+alarms"
    book = open_book(ROOT / "layouts" / "demo.procedures.yaml") if extras else ProcedureBook()
    context = PanelContext(CameraStore(), store, KpiStore(), LayerStore(), procedures=book)
    alarms = [{"priority_at_least": "high"}] if extras else []
    panel = IncidentsPanel(context, IncidentsConfig.model_validate({"alarms": alarms}))
    panel.table.selectRow(0)  # the detail pane and its checklist follow the burst
    return panel, panel.queue


def bench_sse(seconds: float, rate: int, existing: int, shown: str = "queue") -> dict[str, Any]:
    import gc

    import httpx
    import qasync
    from PySide6.QtCore import QAbstractEventDispatcher, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from console.domain.records import Incident
    from console.sources.ioc.events import EventStream
    from console.stores.connections import ConnectionBoard, ConnectionStatus
    from console.stores.incidents import IncidentTableModel
    from ioc_console.heap import StartupHeap
    from widgets.qt_setup import collect_garbage_on_gui_thread

    gc.collect()  # the garbage of the sections before, which the console would not have
    collector = collect_garbage_on_gui_thread()  # the console's GC policy (startup.py)
    rng = random.Random(1)
    initial = [Incident.model_validate(raw_incident(n, rng)) for n in range(existing)]
    store = IncidentTableModel()
    store.upsert(initial)
    view, queue = shown_queue(store, shown)
    view.resize(1200, 800)
    view.show()
    # The console once its connections are in: the heap collected and frozen, then
    # LiveHeap's settings while live.
    board = ConnectionBoard()
    heap = StartupHeap(board)
    board.set(ConnectionStatus(name="bench", kind="ioc", state="live"))
    assert heap.live is not None
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.bench.incidents",
            "--serve",
            str(port),
            "--rate",
            str(rate),
            "--seconds",
            str(seconds),
            "--existing",
            str(existing),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdout.readline().strip() == "ready"
    app = QApplication.instance()
    loop = qasync.QEventLoop(app)
    received: list[Incident] = []
    batches: list[list[Incident]] = []
    flush_ms: list[float] = []
    late: list[float] = []
    busy: list[float] = []
    gc_ms: list[float] = []
    pending: list[Incident] = []
    last_beat = [time.perf_counter()]
    last_block = [time.thread_time()]
    gc_began = [0.0]

    def beat() -> None:
        now = time.perf_counter()
        late.append((now - last_beat[0]) * 1000 - 5)
        last_beat[0] = now

    def about_to_block() -> None:
        """The loop is about to wait: CPU since it last did is one iteration's work."""
        now = time.thread_time()
        busy.append((now - last_block[0]) * 1000)
        last_block[0] = now

    def collected(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            gc_began[0] = time.perf_counter()
        else:
            gc_ms.append((time.perf_counter() - gc_began[0]) * 1000)

    def flush() -> None:
        if not pending:
            return
        batch = list(pending)
        pending.clear()
        batches.append(batch)
        start = time.perf_counter()
        store.upsert(batch, live=True)
        flush_ms.append((time.perf_counter() - start) * 1000)

    heartbeat = QTimer(interval=5, timerType=Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(beat)
    dispatcher = QAbstractEventDispatcher.instance()
    assert dispatcher is not None
    flusher = QTimer(interval=100)
    flusher.timeout.connect(flush)

    async def consume() -> float:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            stream = EventStream(client, "/")
            heartbeat.start()
            flusher.start()
            last_block[0] = time.thread_time()
            dispatcher.aboutToBlock.connect(about_to_block)
            gc.callbacks.append(collected)
            freezes = heap.live.freezes if heap.live else 0
            start = time.perf_counter()
            async for event in stream.events():
                assert isinstance(event.payload, Incident)
                received.append(event.payload)
                pending.append(event.payload)
            elapsed = time.perf_counter() - start
            flush()
            heartbeat.stop()
            flusher.stop()
            dispatcher.aboutToBlock.disconnect(about_to_block)
            gc.callbacks.remove(collected)
            result["gc_freezes"] = (heap.live.freezes if heap.live else 0) - freezes
            return elapsed

    result: dict[str, Any] = {}
    with loop:
        elapsed = loop.run_until_complete(consume())
    heap.close()
    collector.close()
    server.terminate()
    server.wait()
    view.close()
    sent = int(rate * seconds)
    revisions = {i.revision for i in received}
    lost = sent - len(revisions)
    applied_ok = all(
        (store.get(i.id) is not None and store.get(i.id).revision >= i.revision) for i in received
    )
    # Baseline: the same batches through the old list model, one beginInsertRows per event.
    from tests.bench.naive_model import NaiveIncidentModel

    naive = NaiveIncidentModel()
    naive.load(initial)
    naive_ms = []
    for batch in batches[:50]:
        start = time.perf_counter()
        naive.upsert(batch)
        naive_ms.append((time.perf_counter() - start) * 1000)
    burst_late = late[5:] or [0.0]
    return {
        "events_per_s": round(len(received) / elapsed, 1),
        "events_sent": sent,
        "lost_events": lost + (0 if applied_ok else 1),
        # one incident, one row: must be 0 in the store's queue and in the panel's view
        "duplicate_rows": store.rowCount()
        - store.distinct_ids()
        + queue.rowCount()
        - queue.distinct_ids(),
        "stall_ms_max": round(max(burst_late), 2),
        "stall_ms_p99": round(sorted(burst_late)[len(burst_late) * 99 // 100], 2),
        "heartbeat_late_ms_max": round(max(burst_late), 2),
        "busy_ms_max": round(max(busy[5:], default=0.0), 2),
        "gc_ms_max": round(max(gc_ms, default=0.0), 2),
        "gc_freezes": result["gc_freezes"],
        "flush_ms_max": round(max(flush_ms), 2),
        "flush_ms_p50": round(sorted(flush_ms)[len(flush_ms) // 2], 2),
        "sse_store_rows": existing,
        "baseline_naive_flush_ms_max": round(max(naive_ms), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--million", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--panel-seconds", type=float, default=15.0)
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("--qsfpm-rows", type=int, default=5_000)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.rate, args.seconds, args.existing)
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    result: dict[str, Any] = bench_queue(args.rows)
    result["baseline_qsfpm_rows"] = args.qsfpm_rows
    result["baseline_qsfpm_sort_ms"] = bench_qsfpm(args.qsfpm_rows)
    result.update(bench_million(args.million))
    result.update(bench_sse(args.seconds, args.rate, args.existing))
    # The operator's queue panel, before / after its procedures and alarms, same burst.
    for shown, key in (("panel", "panel"), ("panel+sop+alarms", "panel_sop_alarms")):
        figures = bench_sse(args.panel_seconds, args.rate, args.existing, shown)
        for name in ("stall_ms_max", "stall_ms_p99", "flush_ms_max", "lost_events"):
            result[f"{key}_{name}"] = figures[name]
    result["ratio_sop_alarms_stall_p99"] = round(
        result["panel_sop_alarms_stall_ms_p99"] / max(result["panel_stall_ms_p99"], 0.01), 2
    )
    result["ratio_sort_vs_python"] = round(result["baseline_python_sort_ms"] / result["sort_ms"], 1)
    result["ratio_flush_vs_naive"] = round(
        result["baseline_naive_flush_ms_max"] / max(result["flush_ms_max"], 0.01), 1
    )
    del app
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
