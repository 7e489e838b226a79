"""Citizen-feedback statistics as a provincial portal reports them: received, settled,
settled on time, satisfied, and the median times to acknowledge and to resolve.

A pure function over incident records, so a panel, a report and a test count the same
way. Everything is counted from the incidents received in the period (created in
[start, end)): a report settled this month but received last month is last month's.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from console.domain.records import Category, Incident, IncidentStatus
from console.domain.text import fold

SATISFIED_FROM = 4  # a rating of 4 or 5 (of 5) counts as satisfied
UNKNOWN_SLA_HOURS = 24.0  # a category the SLA table does not name (as the queue's deadline)


@dataclass(frozen=True)
class FeedbackStats:
    received: int = 0
    settled: int = 0
    settled_on_time: int = 0
    on_time_pct: float | None = None  # of the settled; None when nothing was settled
    rated: int = 0
    satisfied: int = 0
    satisfaction_pct: float | None = None  # of the rated; None when no rating was given
    median_ack_s: float | None = None
    median_resolve_s: float | None = None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def settled_at(incident: Incident) -> datetime | None:
    """When it was resolved, if it is: the source's own time, else its last update
    (a resolved record changes rarely after it was resolved)."""
    if incident.status is not IncidentStatus.RESOLVED:
        return None
    return incident.resolved_at or incident.updated_at


def feedback_stats(
    incidents: Iterable[Incident],
    start: datetime,
    end: datetime,
    district: str | None,
    sla: Mapping[Category, float],
) -> FeedbackStats:
    """Statistics of the incidents created in [start, end), in `district` if one is given
    (matched without case or diacritics: "dong xoai" is Đồng Xoài).

    Settled: resolved by `end`; on time: within its category's SLA (`sla`, hours) from
    when it was received. Durations that run backwards (a source's clocks disagree) are
    left out of the medians rather than counted as instant."""
    start, end = _aware(start), _aware(end)
    wanted = fold(district) if district else None
    folded: dict[str, str] = {}
    received = settled = on_time = rated = satisfied = 0
    ack_s: list[float] = []
    resolve_s: list[float] = []
    for incident in incidents:
        if not start <= incident.created_at < end:
            continue
        if wanted is not None:
            name = incident.district
            if name not in folded:
                folded[name] = fold(name)
            if folded[name] != wanted:
                continue
        received += 1
        created = incident.created_at
        acknowledged = incident.acknowledged_at
        if acknowledged is not None and created <= acknowledged < end:
            ack_s.append((acknowledged - created).total_seconds())
        if incident.rating is not None:
            rated += 1
            satisfied += incident.rating >= SATISFIED_FROM
        resolved = settled_at(incident)
        if resolved is None or resolved >= end:
            continue
        settled += 1
        took = (resolved - created).total_seconds()
        on_time += took <= sla.get(incident.category, UNKNOWN_SLA_HOURS) * 3600
        if took >= 0:
            resolve_s.append(took)
    return FeedbackStats(
        received=received,
        settled=settled,
        settled_on_time=on_time,
        on_time_pct=_pct(on_time, settled),
        rated=rated,
        satisfied=satisfied,
        satisfaction_pct=_pct(satisfied, rated),
        median_ack_s=_median(ack_s),
        median_resolve_s=_median(resolve_s),
    )
