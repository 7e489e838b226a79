"""Key performance indicators: latest values, their live series and period histories.

The live series (raw samples of the last day) grows by appends; a period history
(week, month, ...) is fetched on request at the backend's coarsest fitting interval
and aggregated here into calendar buckets (see kpi_periods).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QObject, Signal

from console.domain.naming import Names, replaced
from console.domain.periods import Floats, Period, aggregate, bucket_edges, calendar_edges
from console.domain.records import Kpi, KpiSample, KpiSampleEvent, utcnow


class KpiSeriesBuffer:
    """Time (epoch seconds) and value columns that grow by amortised doubling."""

    def __init__(self) -> None:
        self._t = np.empty(256, dtype=np.float64)
        self._v = np.empty(256, dtype=np.float64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, t: float, value: float) -> None:
        if self._n and t <= self._t[self._n - 1]:
            return  # a replayed or late sample: the series only moves forward
        if self._n == len(self._t):
            self._t = np.resize(self._t, self._n * 2)
            self._v = np.resize(self._v, self._n * 2)
        self._t[self._n] = t
        self._v[self._n] = value
        self._n += 1

    def extend(self, times: Floats, values: Floats) -> None:
        """Append sorted columns at once; samples not newer than the last one are dropped."""
        if self._n:
            keep = times > self._t[self._n - 1]
            times, values = times[keep], values[keep]
        count = len(times)
        if not count:
            return
        if self._n + count > len(self._t):
            size = max(self._n + count, self._n * 2)
            self._t = np.resize(self._t, size)
            self._v = np.resize(self._v, size)
        self._t[self._n : self._n + count] = times
        self._v[self._n : self._n + count] = values
        self._n += count

    @property
    def times(self) -> NDArray[np.float64]:
        return self._t[: self._n]

    @property
    def values(self) -> NDArray[np.float64]:
        return self._v[: self._n]


class KpiStore(QObject):
    """Indicators of every connection. Signals carry keys (`context/traffic_flow`); the
    accessors also take a layout's reference (`traffic_flow`), see console.domain.naming."""

    kpisReset = Signal()
    kpiChanged = Signal(str)  # kpi id: latest value changed
    seriesChanged = Signal(str)  # kpi id: samples appended or series replaced
    historyRequested = Signal(str, str)  # kpi id, period: a panel needs it; live.py fetches
    historyChanged = Signal(str, str)  # kpi id, period: the fetched history arrived

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kpis: dict[str, Kpi] = {}
        self._series: dict[str, KpiSeriesBuffer] = {}
        self._history: dict[tuple[str, Period], tuple[float, Floats, Floats]] = {}
        self._asked: dict[tuple[str, Period], float] = {}
        self._names = Names()

    def replace(self, kpis: Iterable[Kpi], connection: str | None = None) -> None:
        """The indicators of `connection` (all of them when None) are now exactly these.

        The same set with new values (a poll) changes them in place, one `kpiChanged`
        each: a reset would rebuild every KPI panel on every poll."""
        fresh = replaced(self._kpis, kpis, connection)
        if fresh.keys() == self._kpis.keys():
            changed = [key for key, kpi in fresh.items() if self._kpis[key] != kpi]
            self._kpis = fresh
            for key in changed:
                self.kpiChanged.emit(key)
            return
        self._kpis = fresh
        self._names.reset(fresh.values())
        self.kpisReset.emit()

    def key(self, ref: str) -> str:
        """The key `ref` names (itself when it names none: series may come first)."""
        return self._names.resolve(ref) or ref

    def keys(self, refs: Iterable[str]) -> set[str]:
        return {self.key(ref) for ref in refs}

    def get(self, kpi_id: str) -> Kpi | None:
        return self._kpis.get(self.key(kpi_id))

    def kpis(self) -> list[Kpi]:
        return list(self._kpis.values())

    def series(self, kpi_id: str) -> KpiSeriesBuffer:
        return self._series.setdefault(self.key(kpi_id), KpiSeriesBuffer())

    def set_series(self, kpi_id: str, samples: Iterable[KpiSample]) -> None:
        buffer = KpiSeriesBuffer()
        for sample in samples:
            buffer.append(sample.t.timestamp(), sample.value)
        self._series[kpi_id] = buffer
        self.seriesChanged.emit(kpi_id)

    def add_samples(self, samples: Iterable[KpiSampleEvent]) -> None:
        """Append a batch of live samples; one signal per touched KPI, not per sample."""
        touched: set[str] = set()
        for sample in samples:
            self.series(sample.kpi_id).append(sample.t.timestamp(), sample.value)
            kpi = self._kpis.get(sample.kpi_id)
            if kpi is not None and sample.t >= kpi.updated_at:
                self._kpis[kpi.id] = kpi.model_copy(
                    update={"value": sample.value, "updated_at": sample.t}
                )
            touched.add(sample.kpi_id)
        for kpi_id in sorted(touched):
            self.seriesChanged.emit(kpi_id)
            self.kpiChanged.emit(kpi_id)

    # -- periods -------------------------------------------------------------
    def request_history(self, kpi_id: str, period: Period, max_age_s: float = 300.0) -> None:
        """Ask for a period's history unless a fresh one is here or already on its way."""
        if period is Period.LIVE:
            return
        kpi_id = self.key(kpi_id)
        key = (kpi_id, period)
        now = time.monotonic()
        fetched = self._history.get(key, (-1e18, None, None))[0]
        if now - fetched < max_age_s or now - self._asked.get(key, -1e18) < 30.0:
            return
        self._asked[key] = now
        self.historyRequested.emit(kpi_id, period.value)

    def set_history(self, kpi_id: str, period: Period, samples: Iterable[KpiSample]) -> None:
        points = list(samples)
        times = np.array([p.t.timestamp() for p in points], dtype=np.float64)
        values = np.array([p.value for p in points], dtype=np.float64)
        self._history[(kpi_id, period)] = (time.monotonic(), times, values)
        self._asked.pop((kpi_id, period), None)
        self.historyChanged.emit(kpi_id, period.value)

    def _columns(self, kpi_id: str, period: Period, start: float) -> tuple[Floats, Floats]:
        """Raw samples if they reach back to `start`, else the fetched history with the
        raw samples replacing it from where they begin (they are finer and newer)."""
        raw = self.series(kpi_id)
        history = self._history.get((self.key(kpi_id), period))
        if history is None or (len(raw) and raw.times[0] <= start):
            return raw.times, raw.values
        _, times, values = history
        if not len(raw):
            return times, values
        cut = int(np.searchsorted(times, raw.times[0], side="left"))
        return np.concatenate([times[:cut], raw.times]), np.concatenate([values[:cut], raw.values])

    def period_series(
        self, kpi_id: str, period: Period, now: datetime | None = None
    ) -> tuple[Floats, Floats]:
        """(bucket starts, means) of the period's buckets; raw samples for LIVE."""
        if period is Period.LIVE:
            raw = self.series(kpi_id)
            return raw.times, raw.values
        edges = bucket_edges(period, now or utcnow())
        return aggregate(*self._columns(kpi_id, period, float(edges[0])), edges)

    def period_values(
        self, kpi_id: str, period: Period, now: datetime | None = None
    ) -> tuple[float, float]:
        """(this period so far, the period before): the latest value and the last hour's
        mean for LIVE, else calendar means (today / yesterday, this month / last month ...)."""
        edges = calendar_edges(period, now or utcnow())
        _, means = aggregate(*self._columns(kpi_id, period, float(edges[0])), edges)
        if period is Period.LIVE:
            kpi = self.get(kpi_id)
            raw = self.series(kpi_id)
            latest = kpi.value if kpi else (float(raw.values[-1]) if len(raw) else float("nan"))
            return latest, float(means[1])
        return float(means[1]), float(means[0])
