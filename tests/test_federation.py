"""Several backends at once, against real servers: the demo site's three kinds, two
native sites on one wall, and one connection of three killed and brought back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import httpx
import pytest

from console.demo.server import DemoServer
from console.domain.records import ActionKind, IncidentAction, IncidentStatus, Kpi, Source
from console.site.model import Connection, Site
from ioc_console.live import LiveData, connect
from ioc_console.sites import demo_site


def run_until(
    loop: asyncio.AbstractEventLoop, condition: Callable[[], bool], timeout: float = 20.0
) -> None:
    """Let the loop run (the federation's tasks with it) until `condition()` holds."""

    async def wait() -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.02)

    loop.run_until_complete(wait())


def states(live: LiveData) -> dict[str, str]:
    return {status.name: status.state for status in live.context.connections.statuses()}


@pytest.fixture
def running(loop: asyncio.AbstractEventLoop) -> Iterator[Callable[[Site], LiveData]]:
    started: list[tuple[LiveData, asyncio.Task[None]]] = []

    def start(site: Site) -> LiveData:
        live = connect(site)
        started.append((live, loop.create_task(live.federation.run())))
        return live

    yield start
    for live, task in started:
        task.cancel()
        loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
        loop.run_until_complete(live.federation.aclose())


def test_the_demo_site_follows_three_standards_at_once(loop, running, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    live = running(demo_site(demo_url))
    context = live.context
    run_until(loop, lambda: set(states(live).values()) == {"live"} and bool(context.kpis.kpis()))
    incidents = context.incidents.incidents()
    by_connection = {i.connection for i in incidents}
    assert by_connection == {"province", "feedback"}
    citizen = [i for i in incidents if i.source is Source.CITIZEN]
    assert citizen and all(i.connection == "feedback" for i in citizen), (
        "citizen reports come from Open311 only"
    )
    assert all(i.id == f"{i.connection}/{i.local_id}" for i in incidents)
    assert len({i.local_id for i in incidents}) == len(incidents), "no incident twice"
    assert {c.connection for c in context.cameras.cameras()} == {"province"}
    assert {k.connection for k in context.kpis.kpis()} == {"context"}
    kpi = context.kpis.get("on-time-rate")  # a layout's reference finds the NGSI-LD indicator
    assert kpi is not None and kpi.id == "context/on-time-rate"
    assert len(context.kpis.series("on-time-rate")) > 0, "its temporal history was loaded"
    camera = context.cameras.cameras()[0]
    assert context.cameras.get(camera.local_id) == camera


def test_open311_requests_are_read_only_and_local_notes_survive_a_poll(  # type: ignore[no-untyped-def]
    loop, running, demo_url: str
) -> None:
    from console.actions.sender import with_kept

    live = running(demo_site(demo_url))
    board = live.context.connections
    run_until(loop, lambda: states(live).get("feedback") == "live")
    assert board.why_not("feedback", ActionKind.RESOLVE) is not None
    assert "Open311" in (board.why_not("feedback", ActionKind.ACKNOWLEDGE) or "")
    assert board.why_not("feedback", ActionKind.NOTE) is None
    assert board.is_local("feedback", ActionKind.NOTE)
    assert board.why_not("province", ActionKind.RESOLVE) is None
    request = next(i for i in live.context.incidents.incidents() if i.connection == "feedback")
    noted = with_kept(
        request, [(request.updated_at, IncidentAction(action=ActionKind.NOTE, text="gọi lại"))]
    )
    assert noted.notes[-1].local and noted.notes[-1].text == "gọi lại"


def test_two_native_sites_on_one_wall_never_collide(loop, running) -> None:  # type: ignore[no-untyped-def]
    with DemoServer(seed=11) as province, DemoServer(seed=12) as district:
        site = Site(
            name="two",
            connections=[
                Connection(name="province", kind="ioc", url=province.url),
                Connection(name="district", kind="ioc", url=district.url),
            ],
        )
        live = running(site)
        incidents = live.context.incidents
        run_until(loop, lambda: set(states(live).values()) == {"live"} and incidents.rowCount() > 0)
        run_until(
            loop, lambda: {i.connection for i in incidents.incidents()} == {"province", "district"}
        )
        locals_by = {
            name: {i.local_id for i in incidents.incidents() if i.connection == name}
            for name in ("province", "district")
        }
        shared = locals_by["province"] & locals_by["district"]
        assert shared, "both number their incidents the same way"
        one = sorted(shared)[0]
        assert incidents.get(f"province/{one}") != incidents.get(f"district/{one}")
        assert incidents.get(one) is None, "a bare id both have names neither"
        assert len({c.connection for c in live.context.cameras.cameras()}) == 2
        assert incidents.cursor_of("province") > 0 and incidents.cursor_of("district") > 0


def test_killing_one_backend_of_three_leaves_the_others_live(loop, running) -> None:  # type: ignore[no-untyped-def]
    servers = [DemoServer(seed=20 + n, incident_interval_s=0.5) for n in range(3)]
    for server in servers:
        server.start()
    try:
        names = ["north", "centre", "south"]
        site = Site(
            name="three",
            connections=[
                Connection(name=name, kind="ioc", url=server.url, poll_s=1)
                for name, server in zip(names, servers, strict=True)
            ],
        )
        live = running(site)
        incidents = live.context.incidents
        run_until(loop, lambda: set(states(live).values()) == {"live"})
        held = {i.id for i in incidents.incidents() if i.connection == "centre"}
        port = servers[1].port or int(servers[1].url.rsplit(":", 1)[1])
        url = servers[1].url
        seen: list[str] = []
        live.federation.links["centre"].stateChanged.connect(lambda state, _d: seen.append(state))
        servers[1].stop()
        run_until(loop, lambda: states(live)["centre"] == "offline")
        status = live.context.connections.get("centre")
        assert status is not None and status.down_since is not None and status.detail
        assert states(live)["north"] == "live" and states(live)["south"] == "live"
        assert held <= {i.id for i in incidents.incidents()}, "its last data stays, marked stale"
        before = incidents.cursor_of("north")
        httpx.post(f"{servers[0].url}/api/v1/demo/incidents", json={"title": "vẫn chạy"})
        run_until(loop, lambda: incidents.cursor_of("north") > before)
        assert "polling" not in seen[seen.index("offline") :], f"a dead backend flapped: {seen}"
        servers[1] = DemoServer(port=port, seed=21)
        servers[1].start()
        assert servers[1].url == url
        run_until(loop, lambda: states(live)["centre"] in ("live", "polling"), timeout=45)
        assert live.context.connections.get("centre").down_since is None  # type: ignore[union-attr]
    finally:
        for server in servers:
            server.stop()


def test_ngsi_ld_actions_are_attribute_updates_on_the_entity(loop, running, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    from console.actions.delivery import NgsiDelivery

    async def acknowledge(local_id: str) -> None:
        async with httpx.AsyncClient() as client:
            await NgsiDelivery(client, demo_url).deliver(
                local_id, IncidentAction(action=ActionKind.ACKNOWLEDGE), "k-ngsi-1"
            )

    from tests.test_demo_federation import new_alert

    # The test's own Alert: the demo's bot never acts on one made through /demo/incidents.
    with httpx.Client(base_url=demo_url) as client:
        alert = new_alert(client)
        loop.run_until_complete(acknowledge(alert))
        local_id = alert.rsplit(":", 1)[-1]
        answer = client.get("/api/v1/incidents").json()
    items = answer["items"] if isinstance(answer, dict) else answer
    assert next(i for i in items if i["id"] == local_id)["status"] == IncidentStatus.ACKNOWLEDGED


def test_a_local_note_on_a_read_only_request_is_kept_and_survives_a_fresh_copy(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from console.actions.delivery import NoDelivery
    from console.actions.outbox import Outbox
    from console.actions.sender import OutboxSender
    from console.site.model import FEEDS
    from console.sources.sink import Sink, Stores
    from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
    from tests.test_stores import incident

    stores = Stores(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    sink = Sink("feedback", stores, FEEDS)
    outbox = Outbox(tmp_path / "outbox.sqlite")
    reason = "Open311 cannot change a request"
    sender = OutboxSender(
        outbox,
        NoDelivery(reason),
        stores.incidents,
        connection="feedback",
        remote=frozenset(),
        local=frozenset({ActionKind.NOTE}),
        why_not=reason,
        receive=sink.incidents,
    )
    sink.overlay = sender.overlay
    refused: list[str] = []
    stores.incidents.actionRefused.connect(lambda _id, _action, why: refused.append(why))
    sink.incidents([incident(1)])
    key = "feedback/inc-1"
    stores.incidents.request_action(key, IncidentAction(action=ActionKind.NOTE, text="gọi lại"))
    stores.incidents.request_action(key, IncidentAction(action=ActionKind.RESOLVE))
    assert refused == [reason], "what the protocol cannot take is refused in words"
    noted = stores.incidents.get(key)
    assert noted is not None and noted.notes[-1].local and noted.notes[-1].text == "gọi lại"
    fresh = incident(1).model_copy(update={"revision": noted.revision + 10, "title": "mới"})
    sink.incidents([fresh])  # the portal's next copy of the request
    again = stores.incidents.get(key)
    assert again is not None and again.title == "mới" and again.notes[-1].text == "gọi lại"
    outbox.close()
    reopened = OutboxSender(Outbox(tmp_path / "outbox.sqlite"), NoDelivery(reason))
    assert reopened.overlay(incident(1).model_copy(update={"id": key})).notes[-1].local, (
        "kept across a restart"
    )


def test_the_action_bar_offers_what_the_connection_allows_and_says_why_not(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    from console.stores.connections import ConnectionBoard, ConnectionStatus
    from tests.test_stores import incident
    from widgets.incidents.actions import IncidentActionBar

    board = ConnectionBoard()
    board.set(
        ConnectionStatus(
            "feedback",
            "open311",
            "live",
            actions=frozenset(),
            local_actions=frozenset({ActionKind.NOTE, ActionKind.ASSIGN}),
            read_only_reason="Open311 cannot change a request",
        )
    )
    scope = QWidget()
    qtbot.addWidget(scope)
    bar = IncidentActionBar((), scope, board=board)
    request = incident(1).model_copy(update={"id": "feedback/inc-1", "connection": "feedback"})
    bar.set_incident(request)
    acknowledge, note = bar.buttons[ActionKind.ACKNOWLEDGE], bar.buttons[ActionKind.NOTE]
    assert not acknowledge.isEnabled() and "Open311" in acknowledge.toolTip()
    assert note.isEnabled() and "Kept on this console only" in note.toolTip()
    bar.set_incident(incident(2))  # an incident of no connection: the whole workflow
    assert bar.buttons[ActionKind.ACKNOWLEDGE].isEnabled()


def test_a_qualified_reference_names_one_record_only() -> None:
    """A connection cannot answer for another by naming its record `province/...`."""
    from console.domain.naming import Names, tagged
    from console.domain.records import utcnow
    from console.stores import KpiStore

    def kpi(local: str, connection: str) -> Kpi:
        record = Kpi(id=local, name=local, unit="", value=1, updated_at=utcnow())
        return tagged(record, connection)

    names = Names()
    names.reset([kpi("province/cam-01", "ctx"), kpi("cam-02", "district")])
    assert names.resolve("province/cam-01") is None, "a local id that only looks qualified"
    assert names.resolve("ctx/province/cam-01") == "ctx/province/cam-01"
    assert names.resolve("cam-02") == "district/cam-02"
    store = KpiStore()
    store.replace([kpi("cam-02", "district")], "district")
    store.replace([kpi("cam-02", "province")], "province")
    assert store.get("cam-02") is None, "two systems have it: name one"
    assert store.get("province/cam-02") is not None


def test_two_connections_on_one_address_keep_their_own_outboxes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from console.actions import outbox as outbox_module
    from ioc_console.app import _sender_for

    monkeypatch.setattr(outbox_module, "data_dir", lambda: tmp_path)
    site = Site(
        name="one-server",
        connections=[
            Connection(name="cams", kind="ioc", url="http://one.test", provides=["incidents"]),
            Connection(name="desk", kind="ioc", url="http://one.test", provides=["incidents"]),
        ],
    )
    live = connect(site)
    made = [_sender_for(link, live.context) for link in live.federation.links.values()]
    try:
        assert len({outbox.path for _, outbox in made}) == 2
        cams, desk = (sender for sender, _ in made)
        key = cams.submit("cams/INC-1", IncidentAction(action=ActionKind.ACKNOWLEDGE))
        assert key and [i.key for i in cams.outbox.pending()] == [key]
        assert desk.outbox.pending() == [], "the other connection never sees it"
    finally:
        for _, outbox in made:
            outbox.close()


def test_a_broker_that_takes_only_part_of_an_update_is_a_refusal(loop) -> None:  # type: ignore[no-untyped-def]
    from console.actions.delivery import NgsiDelivery, Refused

    sent: list[httpx.Request] = []

    def broker(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = {"updated": [], "notUpdated": [{"attributeName": "status", "reason": "read-only"}]}
        return httpx.Response(207, json=body)

    async def deliver() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(broker)) as client:
            await NgsiDelivery(client, "http://broker.test").deliver(
                "urn:ngsi-ld:Alert:1", IncidentAction(action=ActionKind.RESOLVE), "k1"
            )

    with pytest.raises(Refused, match=r"status \(read-only\)"):
        loop.run_until_complete(deliver())
    (request,) = sent
    assert request.method == "POST", "append or overwrite: an Alert has no status yet"
    assert request.url.raw_path == b"/ngsi-ld/v1/entities/urn%3Angsi-ld%3AAlert%3A1/attrs"


def test_a_record_from_the_future_does_not_carry_the_cursor_past_now() -> None:
    from datetime import timedelta

    from console.domain.records import utcnow
    from console.sources.link import CLOCK_SKEW, PollingLink
    from console.sources.sink import Sink, Stores
    from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore

    stores = Stores(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    connection = Connection(name="feedback", kind="open311", url="http://f.test")
    link = PollingLink(connection, Sink("feedback", stores, ["incidents"]))
    now = utcnow()
    cursor = link.advance(None, [now - timedelta(hours=1), now + timedelta(hours=7)])
    assert cursor is not None and cursor <= utcnow() + CLOCK_SKEW
    assert link.advance(cursor, []) == cursor
    assert link.advance(cursor, [now - timedelta(days=1)]) == cursor, "never backwards"


def test_each_native_system_says_what_this_user_may_do_there() -> None:
    """A viewer at the district and an operator at the province: the console acts (on
    province incidents), and a district incident's buttons say why they are off."""
    site = Site(
        name="two",
        connections=[
            Connection(name="province", kind="ioc", url="http://province.test"),
            Connection(name="district", kind="ioc", url="http://district.test"),
        ],
    )
    live = connect(site)
    roles: list[str] = []
    live.federation.roleChanged.connect(roles.append)
    for name, role in (("district", "viewer"), ("province", "operator")):
        link = live.federation.links[name]
        link.role = role
        link.roleChanged.emit(role)
    assert roles == ["viewer", "operator"] and live.context.session.may_act
    board = live.context.connections
    assert board.why_not("province", ActionKind.RESOLVE) is None
    assert board.why_not("district", ActionKind.RESOLVE) == (
        "your role at district (viewer) may not act on incidents"
    )
    asyncio.run(live.federation.aclose())
