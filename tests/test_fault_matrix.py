"""Every injected backend fault × every data panel kind: keep the last good data, say it
is stale, stay responsive, recover by itself. Prints the matrix.

The console runs for real (ioc_console.app.Console) against the demo backend through a loopback
fault proxy (tests/fault_proxy.py), polling every 0.5 s with a 1 s request timeout,
so "two refresh intervals" is about a second plus the time a request takes to fail.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.conftest import run_on_qt_loop
from tests.fault_proxy import FAULTS, FaultProxy

POLL_S = 0.5
TIMEOUT_S = 1.0
# Data still arrives (slowly, with extra fields, or by polling while the push stream is
# down), so nothing may be marked stale; a half-sent event must not be applied.
# Bad records among good ones are skipped one by one: the rest keeps the wall live.
HARMLESS = {"latency", "unexpected_fields", "sse_cut", "endless_line", "huge_revision", "bad_dates"}
# The push stream is broken but polling works: the link must say why, not stay "live".
SAYS = {"endless_line": "without a line end", "deep_json": "nested too deeply"}
WALL = """\
name: faults
screens:
  - name: s
    rows: 2
    columns: 4
    cells:
      - {row: 0, column: 0, kind: incidents}
      - {row: 0, column: 1, kind: kpi-chart, config: {kpis: [on-time-rate]}}
      - {row: 0, column: 2, kind: kpi-tile, config: {kpi: satisfaction}}
      - {row: 0, column: 3, kind: kpi-gauge, config: {kpi: online-services-l34}}
      - {row: 1, column: 0, kind: kpi-bars, config: {group: on-time-rate}}
      - {row: 1, column: 1, kind: kpi-table}
      - {row: 1, column: 2, kind: map}
      - {row: 1, column: 3, kind: camera-list}
"""


def has_data(panel) -> bool:  # type: ignore[no-untyped-def]
    """What an operator would call 'still showing something' for each kind."""
    if panel.KIND == "incidents":
        return panel.table.model().rowCount() > 0  # type: ignore[no-any-return]
    if panel.KIND == "kpi-chart":
        return panel.point_count() > 0  # type: ignore[no-any-return]
    if panel.KIND == "camera-list":
        return len(panel.context.cameras.cameras()) > 0
    return panel.isVisible()  # type: ignore[no-any-return]


def link_said(link: list[tuple[str, str]], words: str) -> bool:
    return any(words in detail for _, detail in link)


async def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


def test_fault_matrix(qapp: QApplication, tmp_path: Path, demo_url: str) -> None:
    from ioc_console.app import Console

    (tmp_path / "faults.yaml").write_text(WALL)
    proxy = FaultProxy(demo_url)
    url = proxy.start()
    matrix: dict[str, dict[str, str]] = {}

    async def scenario() -> None:
        console = Console(url, layouts_dir=tmp_path, preset="faults")
        sync = console.federation.primary  # the one native connection of `--backend URL`
        assert sync is not None
        sync.poll_interval_s = POLL_S
        sync.api.client.timeout = httpx.Timeout(TIMEOUT_S)
        frames = [frame for window in console.windows for frame in window.frames]
        beats: list[float] = []
        heartbeat = QTimer(interval=50)
        heartbeat.timeout.connect(lambda: beats.append(time.monotonic()))
        heartbeat.start()
        link: list[tuple[str, str]] = []
        sync.stateChanged.connect(lambda state, detail: link.append((state, detail)))
        console.start()
        try:
            assert await wait_for(
                lambda: sync.state == "live" and all(has_data(f.panel) for f in frames), 20
            ), [(f.spec.kind, has_data(f.panel)) for f in frames]
            for fault in FAULTS:
                beats.clear()
                link.clear()
                proxy.set_fault(fault)
                expect_stale = fault not in HARMLESS
                # two intervals + a failing request, + slack for a CI machine under load
                limit = 2 * POLL_S + TIMEOUT_S + 5
                if expect_stale:
                    stale = await wait_for(lambda: all(f.stale.isVisible() for f in frames), limit)
                    await asyncio.sleep(1.0)  # the fault stays a while: responsiveness is sampled
                else:
                    await asyncio.sleep(limit)  # sampling a steady state, not synchronising
                    stale = not any(f.stale.isVisible() for f in frames)
                if fault in SAYS:  # the stream's next try may wait out its backoff (max 31 s)
                    stale = stale and await wait_for(partial(link_said, link, SAYS[fault]), 35)
                during = {f.spec.kind: has_data(f.panel) and f.failure is None for f in frames}
                gaps = [b - a for a, b in itertools.pairwise(beats)]
                responsive = bool(gaps) and max(gaps) < 2.0  # no freeze (not a speed test)
                proxy.set_fault("")
                recovered = await wait_for(
                    lambda: (
                        not any(f.stale.isVisible() for f in frames)
                        and sync.state in ("live", "polling")
                    ),
                    POLL_S + TIMEOUT_S + 5,
                )
                matrix[fault] = {
                    kind: "ok"
                    if kept and stale and recovered and responsive
                    else f"FAIL(kept={kept} stale={stale} recovered={recovered} "
                    f"responsive={responsive})"
                    for kind, kept in during.items()
                }
        finally:
            heartbeat.stop()
            await console.aclose()

    try:
        run_on_qt_loop(qapp, scenario())
    finally:
        proxy.stop()
    kinds = list(next(iter(matrix.values())))
    print("\nfault × panel →", " | ".join(kinds))
    for fault, row in matrix.items():
        print(f"{fault:18}", " | ".join(row[kind] for kind in kinds))
    failures = {(f, k): r for f, row in matrix.items() for k, r in row.items() if r != "ok"}
    assert not failures, failures
    assert set(matrix) == set(FAULTS)


@pytest.mark.parametrize("fault", ["missing_fields", "malformed_json"])
def test_the_proxy_really_injects(demo_url: str, fault: str) -> None:
    """The matrix is only as good as its faults: check they reach a client."""
    proxy = FaultProxy(demo_url)
    url = proxy.start()
    try:
        proxy.set_fault(fault)
        body = httpx.get(f"{url}/api/v1/cameras").text
        assert ('"id"' not in body) if fault == "missing_fields" else body.startswith("{'items'")
    finally:
        proxy.stop()
