"""Key performance indicators: definitions, seven days of history, live samples.

Rates move as mean-reverting random walks around a plausible level, so charts look
like a real province's (slow drift, noise, near the target) rather than white noise.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal

from console.demo.geo import DISTRICTS
from console.domain.records import Kpi, KpiSample

Interval = Literal["raw", "1m", "1h", "1d"]
BUCKET_SECONDS: dict[str, int] = {"1m": 60, "1h": 3600, "1d": 86_400}
_LOCAL_OFFSET_S = 7 * 3600
LOCAL = timezone(timedelta(seconds=_LOCAL_OFFSET_S), "ICT")  # day buckets start at local midnight
HISTORY = timedelta(days=7)
HISTORY_STEP = timedelta(minutes=5)
FEEDBACK = "feedback-received"


@dataclass(frozen=True)
class KpiDef:
    id: str
    name: str
    unit: str
    target: float | None
    level: float  # the level a rate reverts to
    sigma: float  # noise per history step
    higher_is_better: bool = True


DEFINITIONS: tuple[KpiDef, ...] = (
    KpiDef(FEEDBACK, "Phản ánh, kiến nghị tiếp nhận trong ngày", "reports", None, 0, 0),
    KpiDef("on-time-rate", "Tỉ lệ hồ sơ giải quyết đúng hạn", "%", 97.0, 97.6, 0.12),
    KpiDef("satisfaction", "Mức độ hài lòng của người dân", "%", 95.0, 94.8, 0.15),
    KpiDef(
        "online-services-l34", "Tỉ lệ dịch vụ công trực tuyến mức độ 3, 4", "%", 90.0, 91.2, 0.05
    ),
    KpiDef("streetlights-on", "Tỉ lệ đèn chiếu sáng công cộng hoạt động", "%", 98.0, 98.4, 0.1),
)

# The on-time rate per district, for side-by-side bars: `on-time-rate.<district id>`.
_DISTRICT_ON_TIME = (98.6, 97.9, 97.3, 98.1, 96.4, 97.5, 95.8, 96.9, 94.9, 95.6, 97.1)
DEFINITIONS += tuple(
    KpiDef(f"on-time-rate.{district.id}", f"Đúng hạn · {district.name}", "%", 97.0, level, 0.15)
    for district, level in zip(DISTRICTS, _DISTRICT_ON_TIME, strict=True)
)

# Citizen reports per 5 minutes by local hour: quiet at night, busy mid-morning.
_DAILY_REPORTS = 260


def _report_rate(local_hour: float) -> float:
    shape = (
        0.15
        + math.exp(-(((local_hour - 10.0) / 3.5) ** 2))
        + 0.6 * math.exp(-(((local_hour - 16.0) / 2.5) ** 2))
    )
    return _DAILY_REPORTS * shape / 100.0


def bucket_start(t: datetime, seconds: int) -> datetime:
    """The start of the bucket containing `t`; buckets are aligned to local midnight."""
    epoch = t.timestamp() + _LOCAL_OFFSET_S
    return datetime.fromtimestamp(epoch - epoch % seconds - _LOCAL_OFFSET_S, UTC)


def aggregate(samples: Sequence[KpiSample], interval: Interval) -> list[KpiSample]:
    """Mean per interval bucket, stamped at the bucket start; `raw` passes samples through."""
    if interval == "raw":
        return list(samples)
    seconds = BUCKET_SECONDS[interval]
    points: list[KpiSample] = []
    current: datetime | None = None
    total, count = 0.0, 0
    for sample in samples:
        start = bucket_start(sample.t, seconds)
        if start != current:
            if current is not None:
                points.append(KpiSample(t=current, value=total / count))
            current, total, count = start, 0.0, 0
        total += sample.value
        count += 1
    if current is not None:
        points.append(KpiSample(t=current, value=total / count))
    return points


class KpiBoard:
    """The latest value and the history of every KPI."""

    def __init__(self, rng: random.Random, now: datetime, levels: dict[str, float]) -> None:
        self._rng = rng
        self.defs = {d.id: d for d in DEFINITIONS}
        self._levels = {d.id: levels.get(d.id, d.level) for d in DEFINITIONS}
        self._times: dict[str, list[float]] = {d.id: [] for d in DEFINITIONS}
        self._samples: dict[str, list[KpiSample]] = {d.id: [] for d in DEFINITIONS}
        self._generate_history(now)

    def _generate_history(self, now: datetime) -> None:
        steps = int(HISTORY / HISTORY_STEP)
        start = now - HISTORY
        for kpi_id in self.defs:
            value = self._levels[kpi_id]
            day: object = None
            for i in range(steps + 1):
                t = start + i * HISTORY_STEP
                if kpi_id == FEEDBACK:
                    local = t.astimezone(LOCAL)
                    if local.date() != day:
                        day, value = local.date(), 0.0
                    mean = _report_rate(local.hour + local.minute / 60)
                    value += max(0, round(self._rng.gauss(mean, math.sqrt(mean))))
                else:
                    value = self._walk(kpi_id, value, 1.0)
                self._append(kpi_id, t, value)

    def _walk(self, kpi_id: str, value: float, dt: float) -> float:
        """One Ornstein–Uhlenbeck step; `dt` is measured in history steps (5 minutes)."""
        d = self.defs[kpi_id]
        value += 0.05 * (self._levels[kpi_id] - value) * dt
        value += self._rng.gauss(0.0, d.sigma * math.sqrt(dt))
        return min(100.0, max(0.0, value))

    def _append(self, kpi_id: str, t: datetime, value: float) -> KpiSample:
        sample = KpiSample(t=t, value=round(value, 3))
        self._times[kpi_id].append(t.timestamp())
        self._samples[kpi_id].append(sample)
        return sample

    def latest(self, kpi_id: str) -> KpiSample:
        return self._samples[kpi_id][-1]

    def sample(
        self, kpi_id: str, now: datetime, dt_s: float, exact: float | None = None
    ) -> KpiSample:
        """Take a live sample: `exact` if the simulation knows the value, else a walk step."""
        if exact is None:
            exact = self._walk(kpi_id, self.latest(kpi_id).value, dt_s / HISTORY_STEP.seconds)
        if now.timestamp() <= self._times[kpi_id][-1]:
            now = datetime.fromtimestamp(self._times[kpi_id][-1] + 0.001, UTC)
        sample = self._append(kpi_id, now, exact)
        self._trim(kpi_id, now)
        return sample

    def _trim(self, kpi_id: str, now: datetime) -> None:
        """Drop samples older than the history window plus a day, once a day's worth piles up."""
        cutoff = (now - HISTORY - timedelta(days=1)).timestamp()
        times = self._times[kpi_id]
        if times and times[0] < cutoff - 86_400:
            cut = bisect.bisect_left(times, cutoff)
            del times[:cut]
            del self._samples[kpi_id][:cut]

    def kpi(self, kpi_id: str) -> Kpi:
        d = self.defs[kpi_id]
        last = self.latest(kpi_id)
        return Kpi(
            id=d.id,
            name=d.name,
            unit=d.unit,
            value=last.value,
            target=d.target,
            higher_is_better=d.higher_is_better,
            updated_at=last.t,
        )

    def kpis(self) -> list[Kpi]:
        return [self.kpi(kpi_id) for kpi_id in self.defs]

    def window(self, kpi_id: str, start: datetime, end: datetime) -> list[KpiSample]:
        """Samples with start <= t <= end."""
        times = self._times[kpi_id]
        lo = bisect.bisect_left(times, start.timestamp())
        hi = bisect.bisect_right(times, end.timestamp())
        return self._samples[kpi_id][lo:hi]
