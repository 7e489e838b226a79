"""Reporting periods in province time, and aggregation of a series into calendar buckets.

Buckets are calendar-aligned in the province's time zone (days from local midnight,
weeks from Monday, months, quarters, years), as a provincial report counts them. The
zone is set once at start-up from the site file (`set_province_zone`) and read at the
moment of use (`province_zone`), never captured at import. In a zone with daylight
saving a day bucket that spans the change lasts 23 or 25 hours, and hour buckets are
real hours. Aggregation is a mean per bucket, done with numpy over whole columns: no
Python loop per sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
_zone: tzinfo = ZoneInfo(DEFAULT_ZONE)


def province_zone() -> tzinfo:
    """The province's time zone: the one every period edge, clock and chart axis uses."""
    return _zone


def set_province_zone(zone: tzinfo) -> None:
    """Make `zone` the province's time zone (start-up sets it from the site file)."""
    global _zone
    _zone = zone


class Period(StrEnum):
    LIVE = "live"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Unit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class PeriodSpec:
    """How a period is charted: `count` buckets of `bucket`, fetched at `interval`."""

    bucket: Unit
    count: int
    interval: str  # the backend interval to ask for (API v1 knows raw, 1m, 1h, 1d)
    calendar: Unit  # the calendar period a tile or gauge sums up ("this month")


SPECS: dict[Period, PeriodSpec] = {
    Period.DAY: PeriodSpec(Unit.HOUR, 24, "1h", Unit.DAY),
    Period.WEEK: PeriodSpec(Unit.DAY, 7, "1d", Unit.WEEK),
    Period.MONTH: PeriodSpec(Unit.DAY, 31, "1d", Unit.MONTH),
    Period.QUARTER: PeriodSpec(Unit.WEEK, 13, "1d", Unit.QUARTER),
    Period.YEAR: PeriodSpec(Unit.MONTH, 12, "1d", Unit.YEAR),
}


def floor(t: datetime, unit: Unit) -> datetime:
    """The start of the calendar `unit` containing `t`, in province time."""
    zone = province_zone()
    local = t.astimezone(zone)
    if unit is Unit.HOUR:  # keeps `fold`: the second of two repeated hours stays the second
        return local.replace(minute=0, second=0, microsecond=0)
    day = local.date()
    if unit is Unit.WEEK:
        day -= timedelta(days=day.weekday())
    elif unit is Unit.MONTH:
        day = day.replace(day=1)
    elif unit is Unit.QUARTER:
        day = day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1)
    elif unit is Unit.YEAR:
        day = day.replace(day=1, month=1)
    return _start_of(day, zone)


def shift(t: datetime, unit: Unit, n: int) -> datetime:
    """`t` (a bucket start) moved by `n` units; months keep to the first of the month.

    Hours are real hours (3600 s each, across a daylight-saving change); days and
    longer move on the calendar, to the start of the local day they land on.
    """
    zone = province_zone()
    if unit is Unit.HOUR:
        return (t.astimezone(UTC) + timedelta(hours=n)).astimezone(zone)
    day = t.astimezone(zone).date()
    if unit is Unit.DAY:
        return _start_of(day + timedelta(days=n), zone)
    if unit is Unit.WEEK:
        return _start_of(day + timedelta(weeks=n), zone)
    months = {Unit.MONTH: 1, Unit.QUARTER: 3, Unit.YEAR: 12}[unit] * n
    index = day.year * 12 + day.month - 1 + months
    return _start_of(date(index // 12, index % 12 + 1, 1), zone)


def _start_of(day: date, zone: tzinfo) -> datetime:
    """The first instant of the local `day`: its midnight, or the end of a daylight-saving
    gap that skips midnight (fold=0 reads a missing time with the offset before the gap)."""
    return datetime.combine(day, time(), zone).astimezone(UTC).astimezone(zone)


def bucket_edges(period: Period, now: datetime) -> Floats:
    """Epoch-second edges of the period's buckets, the last one ending at `now`."""
    spec = SPECS[period]
    first = shift(floor(now, spec.bucket), spec.bucket, -(spec.count - 1))
    starts = [shift(first, spec.bucket, i) for i in range(spec.count)]
    return np.array([s.timestamp() for s in starts] + [now.timestamp()], dtype=np.float64)


def calendar_edges(period: Period, now: datetime) -> Floats:
    """Edges [previous start, current start, now] of the calendar period ('this month')."""
    if period is Period.LIVE:  # real hours: `now` may be a wall time in a DST zone
        hour = now.astimezone(UTC) - timedelta(hours=1)
        return np.array(
            [(hour - timedelta(hours=1)).timestamp(), hour.timestamp(), now.timestamp()]
        )
    unit = SPECS[period].calendar
    current = floor(now, unit)
    return np.array([shift(current, unit, -1).timestamp(), current.timestamp(), now.timestamp()])


def history_window(period: Period, now: datetime) -> tuple[datetime, datetime, str]:
    """What to ask the backend for to draw `period` and compare it with the one before."""
    start = min(bucket_edges(period, now)[0], calendar_edges(period, now)[0])
    return datetime.fromtimestamp(float(start), UTC), now, SPECS[period].interval


def aggregate(times: Floats, values: Floats, edges: Floats) -> tuple[Floats, Floats]:
    """Mean of the values in each [edges[i], edges[i+1]); NaN where a bucket is empty.

    Returns (bucket starts, means). Samples outside the edges are ignored.
    """
    buckets = len(edges) - 1
    if buckets <= 0:
        return np.empty(0), np.empty(0)
    index = np.searchsorted(edges, times, side="right") - 1
    inside = (index >= 0) & (index < buckets) & np.isfinite(values)
    counts = np.bincount(index[inside], minlength=buckets)[:buckets]
    sums = np.bincount(index[inside], weights=values[inside], minlength=buckets)[:buckets]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return edges[:-1].copy(), means.astype(np.float64)
