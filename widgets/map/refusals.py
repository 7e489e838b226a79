"""A log of the map's refused requests that names each host but cannot be flooded.

A page that tries to reach the network is worth a line (an injected `<img src=…>`, a
script phoning home), but a page that tries a thousand times must not fill the log:
the first `burst` refusals of each interval get a line each, the rest one summary line
when the interval ends (the caller calls `flush` then; `due_in` says when).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable

HOSTS_KEPT = 32  # distinct hosts counted per interval; a flood of random names stops here


class RefusalLog:
    def __init__(
        self,
        log: logging.Logger,
        burst: int = 20,
        interval_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = log
        self.burst = burst
        self.interval_s = interval_s
        self._clock = clock
        self._start = clock()
        self._logged = 0
        self._hosts: Counter[str] = Counter()
        self.suppressed = 0
        self.total = 0

    def refused(self, url: str, host: str) -> bool:
        """Count one refused request; True while a summary is owed for this interval."""
        if self._clock() - self._start >= self.interval_s:
            self.flush()
        self.total += 1
        host = host or "(no host)"
        if self._logged < self.burst:
            self._logged += 1
            self._log.warning("map: refused a request to %s: %s", host, url[:200])
        else:
            self.suppressed += 1
            if host in self._hosts or len(self._hosts) < HOSTS_KEPT:
                self._hosts[host] += 1
        return self.suppressed > 0

    def due_in(self) -> float:
        """Seconds until the current interval ends."""
        return max(0.0, self._start + self.interval_s - self._clock())

    def flush(self) -> None:
        """Close the interval: one line for what was not logged, then a fresh burst."""
        if self.suppressed:
            hosts = ", ".join(f"{host} ×{n}" for host, n in self._hosts.most_common(5))
            self._log.warning(
                "map: refused %d more request(s) in %.0f s, most to %s",
                self.suppressed,
                self.interval_s,
                hosts,
            )
        self._start = self._clock()
        self._logged = 0
        self._hosts.clear()
        self.suppressed = 0
