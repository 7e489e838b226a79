"""Feedback statistics: the pure count, the rating field, the demo's milestones, and the
`feedback-stats` panel on the real demo backend and in a layout file."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from console.demo import scenario
from console.demo.province import Province
from console.domain import formatting
from console.domain.feedback_stats import feedback_stats
from console.domain.periods import Period, Unit, floor
from console.domain.records import (
    ActionKind,
    Category,
    Incident,
    IncidentAction,
    IncidentStatus,
    Source,
)
from console.layout.loader import LayoutLoader
from console.layout.panel_kinds import FeedbackStatsConfig
from console.layout.positions import LayoutInvalid
from console.site.model import FEEDS, Connection
from console.sources.ioc.api import IocApi
from console.sources.ioc.live import LiveSync
from console.sources.sink import Sink, Stores
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.stores.archive import IncidentArchive
from console.stores.incident_columns import DEFAULT_SLA_HOURS
from widgets.kpi.feedback import FeedbackStatsPanel
from widgets.panel import PanelContext

T0 = datetime(2026, 5, 1, tzinfo=UTC)
END = T0 + timedelta(days=31)


def incident(
    n: int,
    created: datetime = T0 + timedelta(days=1),
    district: str = "Đồng Xoài",
    category: Category = Category.TRAFFIC,
    ack_after: timedelta | None = None,
    resolved_after: timedelta | None = None,
    rating: Any = None,
    **extra: Any,
) -> Incident:
    resolved = None if resolved_after is None else created + resolved_after
    data: dict[str, Any] = {
        "id": f"INC-{n}",
        "title": "Ùn tắc",
        "category": category,
        "priority": "medium",
        "status": IncidentStatus.RESOLVED if resolved else IncidentStatus.RECEIVED,
        "source": Source.CITIZEN,
        "district": district,
        "lat": 11.5,
        "lon": 106.9,
        "created_at": created,
        "updated_at": resolved or created,
        "revision": n,
        "acknowledged_at": None if ack_after is None else created + ack_after,
        "resolved_at": resolved,
        "rating": rating,
    }
    return Incident.model_validate({**data, **extra})


def stats(items: list[Incident], district: str | None = None, end: datetime = END) -> Any:
    return feedback_stats(items, T0, end, district, DEFAULT_SLA_HOURS)


# -- the pure count ------------------------------------------------------------


def test_nothing_received_reads_zero_and_no_rates() -> None:
    empty = stats([])
    assert (empty.received, empty.settled, empty.rated) == (0, 0, 0)
    assert empty.on_time_pct is None and empty.satisfaction_pct is None
    assert empty.median_ack_s is None and empty.median_resolve_s is None


def test_received_is_created_in_the_half_open_period() -> None:
    items = [
        incident(1, created=T0),  # the first instant counts
        incident(2, created=T0 - timedelta(microseconds=1)),
        incident(3, created=END - timedelta(microseconds=1)),
        incident(4, created=END),  # the next period's
    ]
    assert stats(items).received == 2


def test_district_matches_without_case_or_accents() -> None:
    items = [incident(1), incident(2, district="Đồng Phú"), incident(3, district="ĐỒNG  XOÀI")]
    assert stats(items, "dong xoai").received == 2
    assert stats(items, "Đồng Phú").received == 1
    assert stats(items).received == 3


def test_on_time_by_each_categorys_sla() -> None:
    items = [
        incident(1, resolved_after=timedelta(hours=1.5)),  # traffic: 2 h
        incident(2, resolved_after=timedelta(hours=2.5)),
        incident(3, category=Category.PUBLIC_SERVICES, resolved_after=timedelta(hours=30)),
        incident(4, category=Category.SECURITY, resolved_after=timedelta(hours=1.5)),  # 1 h
        incident(5),  # still open: received, not settled
    ]
    result = stats(items)
    assert (result.received, result.settled, result.settled_on_time) == (5, 4, 2)
    assert result.on_time_pct == pytest.approx(50.0)


def test_settled_means_resolved_by_the_end_and_falls_back_to_the_update_time() -> None:
    late = incident(1, resolved_after=timedelta(days=40))  # resolved after the period ended
    no_time = incident(2, resolved_after=timedelta(hours=1), resolved_at=None)
    reopened = incident(3, status=IncidentStatus.ACKNOWLEDGED, resolved_at=None)
    result = stats([late, no_time, reopened])
    assert (result.received, result.settled, result.settled_on_time) == (3, 1, 1)
    assert result.median_resolve_s == pytest.approx(3600)


def test_satisfaction_counts_ratings_of_four_and_five() -> None:
    ratings = [5, 4, 3, None, 1, 5]
    result = stats([incident(n, rating=r) for n, r in enumerate(ratings)])
    assert (result.rated, result.satisfied) == (5, 3)
    assert result.satisfaction_pct == pytest.approx(60.0)


def test_medians_of_acknowledge_and_resolve_times_skip_backward_clocks() -> None:
    items = [
        incident(1, ack_after=timedelta(minutes=5), resolved_after=timedelta(hours=1)),
        incident(2, ack_after=timedelta(minutes=15), resolved_after=timedelta(hours=3)),
        incident(3, ack_after=timedelta(minutes=40)),
        incident(4, ack_after=timedelta(minutes=-30), resolved_after=timedelta(hours=-1)),
    ]
    result = stats(items)
    assert result.median_ack_s == pytest.approx(15 * 60)
    assert result.median_resolve_s == pytest.approx(2 * 3600)


# -- the record ----------------------------------------------------------------


@pytest.mark.parametrize("bad", [7, 0, -1, "five", "5", True, False, 4.5, [5], {"r": 5}])
def test_a_bad_rating_is_no_rating_and_the_incident_stays(bad: Any) -> None:
    assert incident(1, rating=bad).rating is None


def test_a_bad_optional_time_is_unknown_and_the_incident_stays() -> None:
    raw = incident(1).model_dump(mode="json")
    raw.update(acknowledged_at="9999-12-31T00:00:00Z", resolved_at="yesterday", rating=5.0)
    kept = Incident.model_validate_json(json.dumps(raw))
    assert (kept.acknowledged_at, kept.resolved_at, kept.rating) == (None, None, 5)


# -- the demo backend's milestones -----------------------------------------------


def test_demo_records_acknowledge_and_resolve_times_and_a_rating() -> None:
    province = Province(seed=11, initial_incidents=0)
    desk = province.desk
    report = province.create_incident(category=Category.PUBLIC_SERVICES)  # citizens only
    at = report.created_at
    ack = desk.apply(report.id, IncidentAction(action=ActionKind.ACKNOWLEDGE), at=at)
    assert ack.acknowledged_at == at and ack.resolved_at is None
    done = desk.apply(report.id, IncidentAction(action=ActionKind.RESOLVE), at=at)
    assert done.resolved_at == at and done.acknowledged_at == at
    assert done.rating == scenario.rating(province.seed, report)
    again = desk.apply(report.id, IncidentAction(action=ActionKind.REOPEN))
    assert again.resolved_at is None and again.rating is None
    assert again.acknowledged_at == at, "the first acknowledgement stays"


def test_demo_ratings_are_mostly_satisfied_and_fixed_by_the_seed() -> None:
    one, two = Province(seed=5), Province(seed=5)
    settled = [i for i in one.desk.all() if i.status is IncidentStatus.RESOLVED]
    assert settled and all(i.resolved_at and i.acknowledged_at for i in settled)
    assert all(i.acknowledged_at <= i.resolved_at for i in settled if i.acknowledged_at)
    assert [i.rating for i in one.desk.all()] == [i.rating for i in two.desk.all()]
    drafts = [
        scenario.draft_incident(one.rng, f"X-{n}", T0, Category.PUBLIC_SERVICES)
        for n in range(2000)
    ]
    ratings = [r for d in drafts if (r := scenario.rating(5, d)) is not None]
    satisfied = sum(r >= 4 for r in ratings) / len(ratings)
    assert 0.7 < len(ratings) / len(drafts) < 0.9
    assert 0.94 < satisfied < 0.98


# -- the panel -----------------------------------------------------------------


@pytest.fixture
def english() -> Iterator[None]:
    formatting.set_language("en")
    yield
    formatting.set_language("en")


def test_panel_shows_the_demo_backends_feedback(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop, demo_url: str, english: None
) -> None:
    stores = Stores(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    connection = Connection(name="province", kind="ioc", url=demo_url)
    sync = LiveSync(connection, Sink("province", stores, FEEDS), IocApi(demo_url))
    context = PanelContext(stores.cameras, stores.incidents, stores.kpis, stores.layers)
    # The demo's history is the last eight hours: the longer of this week and this year
    # holds all of it (short of a Monday, 1 January before 08:00).
    now = formatting.now()
    period = min(Period.WEEK, Period.YEAR, key=lambda p: floor(now, Unit(p.value)))
    panel = FeedbackStatsPanel(context, FeedbackStatsConfig(period=period))
    qtbot.addWidget(panel)
    assert panel.stats.received == 0  # nothing loaded yet

    async def until_counted() -> None:
        task = asyncio.create_task(sync.run())
        try:
            async with asyncio.timeout(20):
                while panel.stats.satisfaction_pct is None:
                    await asyncio.sleep(0.05)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await sync.api.aclose()

    loop.run_until_complete(until_counted())
    shown = panel.report()["figures"]
    assert int(shown["received"].replace(",", "")) > 0
    assert shown["satisfaction"].endswith("%") and "." in shown["satisfaction"]
    assert panel.tiles["received"].caption.text() == "received"
    exact = feedback_stats(
        stores.incidents.columns.records, panel.start, panel.end, None, DEFAULT_SLA_HOURS
    )
    assert panel.stats.received <= exact.received  # the store may have grown since


def context_with(items: list[Incident]) -> PanelContext:
    store = IncidentTableModel()
    store.upsert(items)
    return PanelContext(CameraStore(), store, KpiStore(), LayerStore())


def test_panel_counts_one_district_in_vietnamese_and_waits_out_bursts(qtbot: QtBot) -> None:
    now = formatting.now()
    items = [incident(n, created=now, rating=r) for n, r in enumerate((5, 4, 2))]
    items.append(incident(9, created=now, district="Bù Đốp", rating=1))
    context = context_with(items)
    formatting.set_language("vi")
    try:
        panel = FeedbackStatsPanel(context, FeedbackStatsConfig(period="day", district="dong xoai"))
        qtbot.addWidget(panel)
        assert panel.tiles["satisfaction"].value.text() == "66,67%"
        assert panel.title().endswith("dong xoai")
        for n in range(10, 60):  # a burst: counted once, a second later
            context.incidents.upsert([incident(n, created=now, rating=5)])
        assert panel.stats.received == 3
        qtbot.waitUntil(lambda: panel.stats.received == 53, timeout=3000)
        assert panel.tiles["received"].value.text() == "53"
    finally:
        formatting.set_language("en")


def test_the_seeds_figures_with_most_settled_reports_already_in_the_archive(
    qtbot: QtBot, english: None
) -> None:
    """Đồng Xoài's "600 received / 469 settled / 96.19 % satisfied", while retention has
    moved 300 of the settled ones out of the live store: the archive still counts."""
    today = floor(formatting.now(), Unit.DAY).astimezone(UTC) + timedelta(minutes=1)
    ratings = [5] * 404 + [2] * 16 + [None] * 49  # 420 rated, 404 satisfied: 96.19 %
    settled = [
        incident(n, created=today, resolved_after=timedelta(minutes=30), rating=rating)
        for n, rating in enumerate(ratings)
    ]
    waiting = [incident(1000 + n, created=today) for n in range(131)]
    archive = IncidentArchive(None)
    archive.put(settled[:300])
    store = IncidentTableModel()
    store.upsert(settled[300:] + waiting)
    context = PanelContext(CameraStore(), store, KpiStore(), LayerStore(), archive=archive)
    panel = FeedbackStatsPanel(context, FeedbackStatsConfig(period="day", district="Đồng Xoài"))
    qtbot.addWidget(panel)
    shown = {key: tile.value.text() for key, tile in panel.tiles.items()}
    assert (shown["received"], shown["settled"], shown["satisfaction"]) == ("600", "469", "96.19%")


def test_panel_shows_only_the_figures_asked_for_in_order(qtbot: QtBot, english: None) -> None:
    panel = FeedbackStatsPanel(
        context_with([]), FeedbackStatsConfig(figures=("satisfaction", "received"))
    )
    qtbot.addWidget(panel)
    assert list(panel.tiles) == ["satisfaction", "received"]
    assert panel.tiles["satisfaction"].value.text() == "–"
    assert panel.tiles["received"].value.text() == "0"
    assert panel.duration(3 * 3600 + 5 * 60) == "3 h 05 min"


# -- the layout ----------------------------------------------------------------

CELL = (
    "name: x\nscreens:\n  - name: a\n    rows: 1\n    columns: 1\n    cells:\n"
    "      - row: 0\n        column: 0\n        kind: {kind}\n        config:\n"
    "          {setting}\n"
)


@pytest.mark.parametrize(
    ("kind", "setting", "expected"),
    [
        ("feedback-stats", "period: fortnight", "11:19: period: Input should be 'day'"),
        (
            "feedback-stats",
            "figures: [received, received]",
            "11:20: each figure may be named once",
        ),
        ("feedback-stats", "figures: [happiness]", "11:21: 0: Input should be 'received'"),
        ("feedback-stats", "sources: [twitter]", "11:21: 0: Input should be 'citizen'"),
        ("feedback-stats", "distrct: Đồng Xoài", "11:11: unknown key 'distrct'"),
        ("feedback_stats", "period: day", "9:15: unknown panel kind 'feedback_stats' (did you"),
    ],
)
def test_a_broken_feedback_stats_config_is_refused_with_its_position(
    kind: str, setting: str, expected: str
) -> None:
    loader = LayoutLoader("wall.yaml", CELL.format(kind=kind, setting=setting))
    with pytest.raises(LayoutInvalid) as raised:
        loader.load()
    messages = [str(error) for error in raised.value.errors]
    assert any(message.startswith(f"wall.yaml:{expected}") for message in messages), messages


def test_the_leader_layout_shows_dong_xoai() -> None:
    from console.assets import layouts_dir

    layout = LayoutLoader(layouts_dir() / "leader-kpis.yaml").load()[0]
    panels = [p for s in layout.screens for p in s.panels() if p.kind == "feedback-stats"]
    assert [p.panel_config() for p in panels] == [
        FeedbackStatsConfig(district="Đồng Xoài", period="month")
    ]
