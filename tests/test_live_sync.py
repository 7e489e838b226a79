"""LiveSync against the real demo backend: load, push, resume, and the link state."""

from __future__ import annotations

import asyncio

import httpx

from console.site.model import FEEDS, Connection
from console.sources.ioc.api import IocApi
from console.sources.ioc.live import LinkState, LiveSync
from console.sources.sink import Sink, Stores
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore


def make_sync(url: str, name: str = "backend") -> LiveSync:
    """One `ioc` connection feeding fresh stores, as the federation builds it."""
    stores = Stores(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    connection = Connection(name=name, kind="ioc", url=url)
    return LiveSync(connection, Sink(name, stores, FEEDS), IocApi(url), poll_interval_s=0.5)


def run_until(
    loop: asyncio.AbstractEventLoop, sync: LiveSync, condition, timeout: float = 10.0
) -> None:  # type: ignore[no-untyped-def]
    """Run the sync task on the Qt loop until `condition()` holds (or fail after timeout)."""

    async def wait() -> None:
        task = asyncio.create_task(sync.run())
        try:
            async with asyncio.timeout(timeout):
                while not condition():
                    await asyncio.sleep(0.05)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    loop.run_until_complete(wait())


def test_initial_load_fills_every_store_and_goes_live(loop, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    sync = make_sync(demo_url)
    run_until(
        loop,
        sync,
        lambda: sync.state == LinkState.LIVE and sync.sink.stores.layers.features("districts"),
    )
    assert len(sync.sink.stores.cameras.cameras()) >= 10
    assert sync.sink.stores.incidents.rowCount() >= 20
    assert {kpi.local_id for kpi in sync.sink.stores.kpis.kpis()} >= {
        "on-time-rate",
        "satisfaction",
    }
    assert len(sync.sink.stores.kpis.series("on-time-rate")) > 10
    assert sync.sink.stores.layers.features("districts")["features"]
    loop.run_until_complete(sync.api.aclose())


def test_pushed_incident_arrives_once(loop, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    sync = make_sync(demo_url)
    run_until(loop, sync, lambda: sync.state == LinkState.LIVE)
    created = httpx.post(f"{demo_url}/api/v1/demo/incidents", json={"title": "Kẹt xe QL14"}).json()
    added: list[str] = []
    sync.sink.stores.incidents.incidentsUpserted.connect(
        lambda items: added.extend(i.id for i in items)
    )
    run_until(loop, sync, lambda: sync.sink.stores.incidents.get(created["id"]) is not None)
    assert sync.sink.stores.incidents.get(created["id"]).title == "Kẹt xe QL14"
    assert added.count(f"backend/{created['id']}") == 1, "its key is namespaced by connection"
    loop.run_until_complete(sync.api.aclose())


def test_unreachable_backend_reports_offline_then_recovers(loop) -> None:  # type: ignore[no-untyped-def]
    """Start against a dead port: offline, nothing shown; the backend comes up: live."""
    from console.demo.server import DemoServer

    probe = DemoServer(seed=3)
    url = probe.start()
    probe.stop()  # the port is closed now: the console starts against a dead backend
    port = int(url.rsplit(":", 1)[1])
    sync = make_sync(url)
    states: list[str] = []
    sync.stateChanged.connect(lambda state, detail: states.append(state))
    revived: list[DemoServer] = []

    async def scenario() -> None:
        task = asyncio.create_task(sync.run())
        try:
            async with asyncio.timeout(15):
                while sync.state != LinkState.OFFLINE:
                    await asyncio.sleep(0.05)
                assert sync.sink.stores.cameras.cameras() == []
                revived.append(DemoServer(seed=3, port=port))
                await asyncio.to_thread(revived[0].start)
                while sync.state != LinkState.LIVE or not sync.sink.stores.cameras.cameras():
                    await asyncio.sleep(0.05)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await sync.api.aclose()

    try:
        loop.run_until_complete(scenario())
    finally:
        for server in revived:
            server.stop()
    assert states[0] == "offline" and states[-1] == "live"
    assert len(sync.sink.stores.cameras.cameras()) >= 10


def test_a_load_comes_in_pages_lowest_revision_first_none_twice(  # type: ignore[no-untyped-def]
    loop, demo_url: str, monkeypatch
) -> None:
    """Thousands of incidents are asked for a page at a time (pages of 10 here), so no
    answer is one huge document; every incident arrives, once."""
    from console.sources.ioc import api as api_module

    monkeypatch.setattr(api_module, "PAGE", 10)
    everything = httpx.get(f"{demo_url}/api/v1/incidents").json()["items"]
    assert len(everything) > 25, "enough for several pages"
    sync = make_sync(demo_url)
    pages: list[list[int]] = []

    async def read() -> None:
        async for page in sync.api.incident_pages():
            pages.append([incident.revision for incident in page])

    loop.run_until_complete(read())
    loop.run_until_complete(sync.api.aclose())
    revisions = [revision for page in pages for revision in page]
    assert len(pages) >= 3 and all(len(page) == 10 for page in pages[:-1])
    assert revisions == sorted(revisions) and len(set(revisions)) == len(revisions)
    assert len(revisions) >= len(everything), "nothing left out (new ones may have come)"
