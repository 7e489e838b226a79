"""The province's time zone, set at start-up: periods, clocks and chart axes follow it,
daylight saving included (Europe/Berlin), and Vietnam time is what it always was."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from console.domain import formatting
from console.domain.periods import (
    Period,
    bucket_edges,
    calendar_edges,
    province_zone,
    set_province_zone,
)
from widgets.kpi.axes import LocaleDateAxis, time_tick, utc_offset

BERLIN = ZoneInfo("Europe/Berlin")  # 2026: CEST from 29 March 02:00, CET from 25 October 03:00
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR = 3600.0


UseZone = Callable[[tzinfo], tzinfo]


@pytest.fixture
def use_zone() -> Iterator[UseZone]:
    """Set a province zone for one test; the one before is back afterwards, whatever happens."""
    before = province_zone()

    def use(zone: tzinfo) -> tzinfo:
        set_province_zone(zone)
        return zone

    try:
        yield use
    finally:
        set_province_zone(before)


def at(zone: tzinfo, year: int, month: int, day: int, hour: int = 0) -> float:
    return datetime(year, month, day, hour, tzinfo=zone).timestamp()


def lengths(edges: np.ndarray) -> list[float]:
    return [float(h) for h in np.diff(edges) / HOUR]


def test_default_is_vietnam_and_the_same_as_a_fixed_utc_plus_7(use_zone: UseZone) -> None:
    assert province_zone() == VIETNAM
    rng = random.Random(7)
    moments = [datetime.fromtimestamp(rng.uniform(1.6e9, 1.9e9), UTC) for _ in range(200)]
    zoned = [
        [bucket_edges(p, t) for p in Period if p is not Period.LIVE]
        + [calendar_edges(p, t) for p in Period]
        for t in moments
    ]
    labels = [formatting.date_time(t, "en") for t in moments]
    use_zone(timezone(timedelta(hours=7), "ICT"))  # what the console had before
    fixed = [
        [bucket_edges(p, t) for p in Period if p is not Period.LIVE]
        + [calendar_edges(p, t) for p in Period]
        for t in moments
    ]
    assert labels == [formatting.date_time(t, "en") for t in moments]
    for a, b in zip(zoned, fixed, strict=True):
        for x, y in zip(a, b, strict=True):
            assert np.array_equal(x, y)


def test_a_zone_set_after_import_is_used_everywhere(use_zone: UseZone) -> None:
    noon_utc = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert formatting.clock(noon_utc) == "19:00"
    assert time_tick(noon_utc.timestamp(), 600) == "19:00"
    use_zone(BERLIN)
    assert formatting.clock(noon_utc) == "14:00"  # summer time, UTC+2
    assert formatting.clock(datetime(2026, 1, 1, 12, tzinfo=UTC)) == "13:00"  # winter, UTC+1
    assert time_tick(noon_utc.timestamp(), 600) == "14:00"
    assert formatting.now().utcoffset() == formatting.local(formatting.now()).utcoffset()
    assert utc_offset(noon_utc.timestamp()) == 2 * HOUR
    assert calendar_edges(Period.DAY, noon_utc)[1] == at(BERLIN, 2026, 7, 1)


def test_day_buckets_across_the_change_last_23_or_25_hours(use_zone: UseZone) -> None:
    use_zone(BERLIN)
    spring = bucket_edges(Period.WEEK, datetime(2026, 4, 1, 12, tzinfo=BERLIN))
    assert list(spring[:-1]) == [at(BERLIN, 2026, 3, d) for d in range(26, 32)] + [
        at(BERLIN, 2026, 4, 1)
    ]
    assert lengths(spring[:-1]) == [24, 24, 24, 23, 24, 24]  # 29 March has no 02:00
    autumn = bucket_edges(Period.WEEK, datetime(2026, 10, 28, 12, tzinfo=BERLIN))
    assert lengths(autumn[:-1]) == [24, 24, 24, 25, 24, 24]  # 25 October has 02:00 twice
    assert calendar_edges(Period.DAY, datetime(2026, 10, 25, 23, tzinfo=BERLIN))[1] == at(
        BERLIN, 2026, 10, 25
    )
    # A day's edges are local midnights, every one of them.
    assert {formatting.local(float(t)).strftime("%H:%M") for t in autumn[:-1]} == {"00:00"}


def test_hour_buckets_are_real_hours_through_the_change(use_zone: UseZone) -> None:
    use_zone(BERLIN)
    spring = bucket_edges(Period.DAY, datetime(2026, 3, 29, 12, 30, tzinfo=BERLIN))
    assert set(lengths(spring[:-1])) == {1.0}
    hours = [formatting.clock(float(t)) for t in spring[:-1]]
    assert hours[-1] == "12:00" and "02:00" not in hours and hours.count("03:00") == 1
    autumn = bucket_edges(Period.DAY, datetime(2026, 10, 25, 12, 30, tzinfo=BERLIN))
    assert set(lengths(autumn[:-1])) == {1.0}
    hours = [formatting.clock(float(t)) for t in autumn[:-1]]
    assert hours[-1] == "12:00" and hours.count("02:00") == 2  # CEST, then CET
    live = calendar_edges(Period.LIVE, datetime(2026, 10, 25, 3, 30, tzinfo=BERLIN))
    assert lengths(live) == [1.0, 1.0]


def test_months_quarters_years_and_weeks_start_at_local_midnight(use_zone: UseZone) -> None:
    use_zone(BERLIN)
    april = datetime(2026, 4, 15, 10, tzinfo=BERLIN)
    assert list(calendar_edges(Period.MONTH, april)[:2]) == [
        at(BERLIN, 2026, 3, 1),  # 28 February 23:00 UTC
        at(BERLIN, 2026, 4, 1),  # 31 March 22:00 UTC
    ]
    assert (
        calendar_edges(Period.MONTH, april)[1] == datetime(2026, 3, 31, 22, tzinfo=UTC).timestamp()
    )
    november = datetime(2026, 11, 2, 0, 30, tzinfo=BERLIN)  # 1 November 23:30 UTC
    assert list(calendar_edges(Period.MONTH, november)[:2]) == [
        at(BERLIN, 2026, 10, 1),
        at(BERLIN, 2026, 11, 1),
    ]
    assert calendar_edges(Period.WEEK, november)[1] == at(BERLIN, 2026, 11, 2)  # a Monday
    year = bucket_edges(Period.YEAR, november)
    assert list(year[:-1]) == [at(BERLIN, 2025 + m // 12, m % 12 + 1, 1) for m in range(11, 23)]
    quarter = bucket_edges(Period.QUARTER, november)
    local = [formatting.local(float(t)) for t in quarter[:-1]]
    assert {(t.weekday(), t.hour, t.minute) for t in local} == {(0, 0, 0)}
    assert calendar_edges(Period.QUARTER, november)[1] == at(BERLIN, 2026, 10, 1)
    assert calendar_edges(Period.YEAR, november)[1] == at(BERLIN, 2026, 1, 1)


def test_a_day_whose_midnight_is_skipped_starts_at_its_first_instant(use_zone: UseZone) -> None:
    santiago = use_zone(ZoneInfo("America/Santiago"))  # 6 September 2026: 00:00 -> 01:00
    week = bucket_edges(Period.WEEK, datetime(2026, 9, 8, 12, tzinfo=santiago))
    starts = [formatting.local(float(t)) for t in week[:-1]]
    assert [t.strftime("%d %H:%M") for t in starts[-4:]] == [
        "05 00:00",
        "06 01:00",
        "07 00:00",
        "08 00:00",
    ]
    assert lengths(week[:-1])[-3:] == [24, 23, 24]  # 6 September: 04:00 to 03:00 UTC


def _axis() -> LocaleDateAxis:
    axis = LocaleDateAxis()
    axis.fontMetrics = QFontMetrics(QFont())  # set by its first paint otherwise
    return axis


def test_axis_ticks_fall_on_province_clocks_through_the_change(
    qtbot: QtBot, use_zone: UseZone
) -> None:
    use_zone(BERLIN)
    axis = _axis()
    # A night of 25 October: hours and quarters, 02:00 to 02:45 twice, one hour apart.
    low = at(BERLIN, 2026, 10, 25, 0)
    levels = axis.tickValues(low, low + 6 * HOUR, 1500)
    ticks = sorted(t for _, values in levels for t in values)
    assert ticks == sorted(set(ticks)) and ticks[-1] - ticks[0] == 6 * HOUR
    clocks = [formatting.clock(t) for t in ticks]
    assert clocks.count("02:00") == 2 and clocks.count("01:00") == 1
    assert all(clock.endswith(("00", "15", "30", "45")) for clock in clocks)
    # The night of 29 March: no tick at a time the clocks never show.
    low = at(BERLIN, 2026, 3, 29, 0)
    levels = axis.tickValues(low, low + 6 * HOUR, 1500)
    clocks = [formatting.clock(t) for _, values in levels for t in values]
    assert not [c for c in clocks if c.startswith("02:")] and "03:00" in clocks
    # A year: every month tick at local midnight of the 1st, summer and winter.
    low, high = at(BERLIN, 2025, 12, 15), at(BERLIN, 2026, 12, 15)
    months = [t for spacing, values in axis.tickValues(low, high, 1500) for t in values]
    local = [formatting.local(t) for t in months]
    assert len(local) == 12 and {(t.day, t.hour, t.minute) for t in local} == {(1, 0, 0)}
    assert utc_offset(months[0]) == HOUR and utc_offset(months[6]) == 2 * HOUR


def test_axis_day_ticks_in_vietnam_are_local_midnights(qtbot: QtBot, use_zone: UseZone) -> None:
    use_zone(VIETNAM)
    axis = _axis()
    low = datetime(2026, 4, 10, tzinfo=UTC).timestamp()
    days = [t for spacing, values in axis.tickValues(low, low + 7 * 86400, 1500) for t in values]
    assert days == [at(VIETNAM, 2026, 4, d) for d in range(11, 18)]  # 17:00 UTC the day before
    assert [time_tick(t, 86400) for t in days[:2]] in (["11/04", "12/04"], ["11 Apr", "12 Apr"])
