"""The live data behind a briefing: stores fed by the backend, and "is this slide ready?".

A slide is grabbed for the minutes only once its panels show data: the backend link is
up, the period histories they asked for have arrived, maps have drawn and cameras play,
or a bounded wait has passed (then the page says what it has, never hangs).
"""

from __future__ import annotations

import asyncio
import logging
import time

from console.domain import formatting
from console.sources.federation import Federation
from widgets.panel import Panel, PanelContext

log = logging.getLogger(__name__)
SETTLE_S = 0.4  # KPI panels repaint at most every ~150 ms: let the last change land


class BriefingData:
    """Stores and the backend link for a briefing (no outbox: a briefing only reads)."""

    def __init__(self, live: tuple[PanelContext, Federation], owned: bool = False):
        """On the live data path the composition root built (`live`: stores and the site's
        connections); `owned`: this briefing runs the connections and closes their
        clients, else the running wall does."""
        self.owned = owned
        self.context, self.federation = live
        self._pending: set[tuple[str, str]] = set()
        self.context.kpis.historyRequested.connect(lambda k, p: self._pending.add((k, p)))
        self.context.kpis.historyChanged.connect(lambda k, p: self._pending.discard((k, p)))
        self._task: asyncio.Task[None] | None = None
        self.data_time = formatting.now()

    def start(self) -> None:
        if self.owned:
            self._task = asyncio.create_task(self.federation.run())

    def slide_ready(self, panels: list[Panel]) -> bool:
        return self.federation.settled and not self._pending and all(p.is_ready() for p in panels)

    async def wait_ready(self, panels: list[Panel], timeout_s: float = 15.0) -> bool:
        """Until the slide shows data, at most `timeout_s`; True if it did."""
        deadline = time.monotonic() + timeout_s
        while not self.slide_ready(panels):
            if time.monotonic() > deadline:
                log.warning(
                    "slide not ready after %.0f s (%s; histories pending %d): grabbing anyway",
                    timeout_s,
                    ", ".join(f"{s.name} {s.state}" for s in self.context.connections.statuses()),
                    len(self._pending),
                )
                self.data_time = formatting.now()
                return False
            await asyncio.sleep(0.1)
        await asyncio.sleep(SETTLE_S)
        self.data_time = formatting.now()
        return True

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self.owned:
            await self.federation.aclose()
