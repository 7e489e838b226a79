"""Periods, aggregation, standing and number formats: the arithmetic a report relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from pytestqt.qtbot import QtBot

from console.demo.kpis import aggregate as backend_aggregate
from console.domain import formatting
from console.domain.periods import (
    Period,
    aggregate,
    bucket_edges,
    calendar_edges,
    province_zone,
)
from console.domain.records import KpiSample
from console.domain.standing import Standing, standing
from console.stores import KpiStore

# Wednesday 15 April 2026, 10:30 in Vietnam.
NOW = datetime(2026, 4, 15, 10, 30, tzinfo=province_zone())


def local(*args: int) -> float:
    return datetime(*args, tzinfo=province_zone()).timestamp()  # type: ignore[misc]


def test_buckets_follow_the_vietnamese_calendar() -> None:
    day = bucket_edges(Period.DAY, NOW)
    assert len(day) == 25 and day[-2] == local(2026, 4, 15, 10) and day[-1] == NOW.timestamp()
    week = bucket_edges(Period.WEEK, NOW)
    assert week[0] == local(2026, 4, 9) and week[-2] == local(2026, 4, 15)
    quarter = bucket_edges(Period.QUARTER, NOW)
    assert quarter[-2] == local(2026, 4, 13)  # weeks start on Monday
    year = bucket_edges(Period.YEAR, NOW)
    assert year[0] == local(2025, 5, 1) and year[-2] == local(2026, 4, 1)
    assert list(calendar_edges(Period.QUARTER, NOW)[:2]) == [local(2026, 1, 1), local(2026, 4, 1)]
    assert list(calendar_edges(Period.MONTH, NOW)[:2]) == [local(2026, 3, 1), local(2026, 4, 1)]
    assert calendar_edges(Period.WEEK, NOW)[1] == local(2026, 4, 13)


def test_mean_per_bucket_on_known_data() -> None:
    # Hourly samples over three local days: value = day number (1, 2, 3), plus a gap day.
    times = np.array([local(2026, 4, d, h) for d in (12, 13, 15) for h in range(24)], dtype=float)
    values = np.array([float(d) for d in (12, 13, 15) for _ in range(24)])
    starts, means = aggregate(times, values, bucket_edges(Period.WEEK, NOW.replace(hour=23)))
    assert list(starts[-4:]) == [
        local(2026, 4, 12),
        local(2026, 4, 13),
        local(2026, 4, 14),
        local(2026, 4, 15),
    ]
    assert means[-4] == 12 and means[-3] == 13 and np.isnan(means[-2]) and means[-1] == 15
    assert np.isnan(means[:3]).all()  # no data before: empty, not zero


def test_store_agrees_with_the_backend_day_means(qtbot: QtBot) -> None:
    """Store-side aggregation gives what the backend's interval=1h gives."""
    start = datetime(2026, 4, 14, 11, tzinfo=province_zone())
    samples = [
        KpiSample(t=start + timedelta(minutes=5 * i), value=90 + (i * 7) % 11) for i in range(288)
    ]
    store = KpiStore()
    store.set_series("k", samples)
    now = start + timedelta(hours=24) - timedelta(minutes=1)
    starts, means = store.period_series("k", Period.DAY, now.astimezone(UTC))
    hourly = backend_aggregate(samples, "1h")
    assert len(hourly) == 24
    assert np.allclose(means, [p.value for p in hourly])
    assert list(starts) == [p.t.timestamp() for p in hourly]


def test_year_uses_fetched_daily_history_then_live_samples(qtbot: QtBot) -> None:
    store = KpiStore()
    asked: list[tuple[str, str]] = []
    store.historyRequested.connect(lambda k, p: asked.append((k, p)))
    store.request_history("k", Period.YEAR)
    store.request_history("k", Period.YEAR)  # already on its way: asked once
    assert asked == [("k", "year")]
    days = [datetime(2026, m, 10, tzinfo=province_zone()) for m in (1, 2, 3)]
    store.set_history(
        "k", Period.YEAR, [KpiSample(t=d, value=m * 10) for m, d in enumerate(days, 1)]
    )
    store.set_series("k", [KpiSample(t=NOW - timedelta(minutes=m), value=50) for m in (2, 1)])
    _, means = store.period_series("k", Period.YEAR, NOW)
    assert list(means[-4:]) == [10, 20, 30, 50]  # Jan, Feb, Mar from history, Apr live
    current, previous = store.period_values("k", Period.QUARTER, NOW)
    assert current == 50 and np.isnan(previous)  # no history asked for: nothing before


def test_standing_bands_around_the_target() -> None:
    assert standing(97.6, 97) is Standing.GOOD
    assert standing(99.5, 97) is Standing.VERY_GOOD
    assert standing(96.5, 97) is Standing.FAIR
    assert standing(95.5, 97) is Standing.BAD
    assert standing(90, 97) is Standing.VERY_BAD
    assert standing(5, 10, higher_is_better=False) is Standing.VERY_GOOD
    assert standing(12, 10, higher_is_better=False) is Standing.VERY_BAD
    assert standing(50, None) is None
    assert standing(50, None, edges=(40, 60)) is Standing.FAIR


def test_vietnamese_and_english_formats() -> None:
    assert formatting.number(1234.5, 1, "vi") == "1.234,5"
    assert formatting.number(1234.5, 1, "en") == "1,234.5"
    assert formatting.quantity(96.19, "%", "vi") == "96,2%"
    assert formatting.quantity(1234, "reports", "en") == "1,234 reports"
    assert formatting.date(NOW, "vi") == "15/04/2026"
    assert formatting.date(NOW, "en") == "15 Apr 2026"
    assert formatting.period_label(NOW, Period.QUARTER, "vi") == "Q2/2026"
    assert formatting.bucket_label(NOW, Period.YEAR, "vi") == "T4/2026"
    assert formatting.clock(NOW.astimezone(UTC)) == "10:30"  # shown in Vietnam time
