"""Min/max envelope of a growing series, kept up to date as samples are appended.

A chart a few hundred pixels wide cannot show 100,000 points; it shows, per pixel
column, the lowest and highest value in it (pyqtgraph's "peak" downsampling). Doing
that from scratch for every live sample costs O(series) per update; here the buckets
are fixed in time (aligned to multiples of their width), so an append only touches
the last bucket or adds new ones, and a sliding window just slices them.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]


def bucket_width(window_s: float, pixels: int) -> float:
    """About one bucket per pixel, rounded to a power of two so that a small resize
    keeps the buckets already computed."""
    raw = window_s / max(1, pixels)
    return float(2.0 ** round(math.log2(raw))) if raw > 0 else 1.0


class PeakEnvelope:
    """Per-bucket minimum and maximum of an append-only (time, value) series."""

    def __init__(self, width_s: float) -> None:
        self.width = width_s
        self._reset()

    def _reset(self) -> None:
        self._starts: Floats = np.empty(0)
        self._low: Floats = np.empty(0)
        self._high: Floats = np.empty(0)
        self._consumed = 0  # raw samples folded into the buckets
        self._last_from = 0  # raw index where the last (still growing) bucket begins
        self._first_time = math.nan  # detects a series that was replaced, not appended to

    def update(self, times: Floats, values: Floats) -> None:
        """Fold in what was appended since the last call (or start over if the series
        was replaced)."""
        replaced = len(times) < self._consumed or (self._consumed and times[0] != self._first_time)
        if replaced:
            self._reset()
        if len(times) == self._consumed:
            return
        if not self._consumed:
            self._first_time = float(times[0])
        begin = self._last_from if len(self._starts) else 0
        keep = len(self._starts) - 1 if len(self._starts) else 0  # redo the open bucket
        keys = np.floor(times[begin:] / self.width)
        firsts = np.flatnonzero(np.diff(keys, prepend=np.nan) != 0)
        chunk = values[begin:]
        self._starts = np.concatenate([self._starts[:keep], keys[firsts] * self.width])
        self._low = np.concatenate([self._low[:keep], np.fmin.reduceat(chunk, firsts)])
        self._high = np.concatenate([self._high[:keep], np.fmax.reduceat(chunk, firsts)])
        self._last_from = begin + int(firsts[-1])
        self._consumed = len(times)

    def window(self, low: float, high: float) -> tuple[Floats, Floats]:
        """(x, y) to draw for [low, high]: each bucket as its minimum then maximum."""
        first = max(0, int(np.searchsorted(self._starts, low, side="right")) - 1)
        last = int(np.searchsorted(self._starts, high, side="right"))
        starts = self._starts[first:last]
        x = np.repeat(starts + self.width / 2, 2)
        y = np.empty(2 * len(starts))
        y[0::2] = self._low[first:last]
        y[1::2] = self._high[first:last]
        return x, y
