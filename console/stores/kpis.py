"""Key performance indicators: latest values and their time series."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QObject, Signal

from console.domain import Kpi, KpiSample, KpiSampleEvent


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

    @property
    def times(self) -> NDArray[np.float64]:
        return self._t[: self._n]

    @property
    def values(self) -> NDArray[np.float64]:
        return self._v[: self._n]


class KpiStore(QObject):
    kpisReset = Signal()
    kpiChanged = Signal(str)  # kpi id: latest value changed
    seriesChanged = Signal(str)  # kpi id: samples appended or series replaced

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kpis: dict[str, Kpi] = {}
        self._series: dict[str, KpiSeriesBuffer] = {}

    def replace(self, kpis: Iterable[Kpi]) -> None:
        self._kpis = {kpi.id: kpi for kpi in kpis}
        self.kpisReset.emit()

    def get(self, kpi_id: str) -> Kpi | None:
        return self._kpis.get(kpi_id)

    def kpis(self) -> list[Kpi]:
        return list(self._kpis.values())

    def series(self, kpi_id: str) -> KpiSeriesBuffer:
        return self._series.setdefault(kpi_id, KpiSeriesBuffer())

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
