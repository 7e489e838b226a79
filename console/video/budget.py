"""A wall-wide decoding budget, in decoded pixels per second.

Each playing tile offers tiers, best first (e.g. main → sub → sub at a lower frame rate →
a still refreshed every few seconds) with their cost. When the wall wants more than the
budget, tiles step down in that fixed order: every tile takes step 1 (smallest tiles first)
before any takes step 2, so the picture the operator is looking at (the big one) degrades last.
Hidden tiles do not decode and so cost nothing.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

DEFAULT_MPX_PER_S = 120.0  # ≈ 16 tiles of 640×360 at 25 fps, or 5 of 1280×720


@dataclass(frozen=True)
class Tier:
    profile: str
    low_fps: bool = False
    still: bool = False
    cost: float = 0.0  # decoded pixels per second


class BudgetClient(Protocol):
    def budget_tiers(self) -> list[Tier]:
        """Tiers best first; empty when the tile decodes nothing (hidden, offline)."""
        ...

    def budget_area(self) -> int:
        """On-screen pixels: smaller tiles step down first."""
        ...

    def apply_tier(self, index: int) -> None: ...


def plan(tiers: list[list[Tier]], areas: list[int], budget: float | None) -> list[int]:
    """The tier index for each tile: the fewest, smallest-first steps that fit the budget."""
    levels = [0] * len(tiers)
    total = sum(t[0].cost for t in tiers if t)
    if budget is None:
        return levels
    order = sorted(range(len(tiers)), key=lambda i: areas[i])
    for step in range(1, max((len(t) for t in tiers), default=0)):
        for i in order:
            if total <= budget:
                return levels
            if len(tiers[i]) > step:
                total += tiers[i][step].cost - tiers[i][levels[i]].cost
                levels[i] = step
    return levels


def budget_from_env() -> float | None:
    """IOC_VIDEO_BUDGET_MPXS: megapixels per second for the whole wall; 0 means unlimited."""
    raw = os.environ.get("IOC_VIDEO_BUDGET_MPXS", "")
    try:
        value = float(raw) if raw else DEFAULT_MPX_PER_S
    except ValueError:
        log.error("IOC_VIDEO_BUDGET_MPXS=%r is not a number; using %s", raw, DEFAULT_MPX_PER_S)
        value = DEFAULT_MPX_PER_S
    return value * 1e6 if value > 0 else None


class DecodeBudget(QObject):
    """Tiles join, say when their wish changes, and are told which tier to play."""

    def __init__(self, pixels_per_s: float | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pixels_per_s = pixels_per_s
        self._clients: list[BudgetClient] = []
        self._levels: dict[int, int] = {}
        self._pending = QTimer(self, singleShot=True, interval=0)  # one pass per event burst
        self._pending.timeout.connect(self.rebalance)

    def join(self, client: BudgetClient) -> None:
        if client not in self._clients:
            self._clients.append(client)
        self.request()

    def leave(self, client: BudgetClient) -> None:
        if client in self._clients:
            self._clients.remove(client)
            self._levels.pop(id(client), None)
            self.request()

    def request(self) -> None:
        self._pending.start()

    def _wishes(self) -> tuple[list[list[Tier]], list[int]]:
        """Every client's tiers and area; clients whose widget is gone are dropped."""
        tiers, areas = [], []
        for client in list(self._clients):
            try:
                tiers.append(client.budget_tiers())
                areas.append(client.budget_area())
            except RuntimeError:  # deleted without leaving (its C++ side is gone)
                self._clients.remove(client)
                del tiers[len(areas) :]
        return tiers, areas

    def rebalance(self) -> None:
        self._pending.stop()
        tiers, areas = self._wishes()
        levels = plan(tiers, areas, self.pixels_per_s)
        for client, level in zip(list(self._clients), levels, strict=True):
            self._levels[id(client)] = level
            client.apply_tier(level)

    def level_for(self, client: BudgetClient) -> int:
        """The tier `client` should start at now, given every tile's current wish."""
        if client not in self._clients:
            self._clients.append(client)
        tiers, areas = self._wishes()
        levels = plan(tiers, areas, self.pixels_per_s)
        return levels[self._clients.index(client)] if client in self._clients else 0

    def used(self) -> float:
        """Pixels per second the wall decodes with the current tiers."""
        total = 0.0
        wishes, _ = self._wishes()
        for client, tiers in zip(self._clients, wishes, strict=True):
            if tiers:
                total += tiers[min(self._levels.get(id(client), 0), len(tiers) - 1)].cost
        return total


_shared: DecodeBudget | None = None


def shared_budget() -> DecodeBudget:
    """The process-wide budget (one wall per process), like the shared libVLC instance."""
    global _shared
    if _shared is None:
        _shared = DecodeBudget(budget_from_env())
    return _shared
