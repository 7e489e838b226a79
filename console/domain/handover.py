"""Shift handover: what happened during a shift, and what the next one inherits.

Pure data from the incident store: new during the shift, resolved during it, overdue
now, and every open incident with its last note and the procedure steps still to do,
so nothing falls between two shifts. The words and the PDF are the widgets' job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from console.domain.procedures import is_skip_note
from console.domain.records import PRIORITY_RANK, Incident, IncidentStatus

MAX_ROWS = 500  # per section: a report someone reads, not a database dump


@dataclass(frozen=True)
class OpenIncident:
    incident: Incident
    last_note: str  # "" when there is none
    steps_left: tuple[str, ...]  # the procedure's open steps, as "2. Call the police"
    overdue: bool


@dataclass(frozen=True)
class ShiftReport:
    start: datetime
    end: datetime
    outgoing: str
    notes: str  # the outgoing operator's own words
    new: Sequence[Incident]
    resolved: Sequence[Incident]
    overdue: Sequence[Incident]
    open: Sequence[OpenIncident]
    skipped_steps: Sequence[tuple[Incident, str]]  # resolved with steps skipped: the reason

    @property
    def steps_left(self) -> int:
        return sum(len(item.steps_left) for item in self.open)


def _urgent_first(incident: Incident) -> tuple[int, float]:
    return (-PRIORITY_RANK[incident.priority], incident.created_at.timestamp())


def shift_report(
    incidents: Iterable[Incident],
    start: datetime,
    end: datetime,
    outgoing: str,
    notes: str,
    *,
    is_overdue: Callable[[Incident], bool],
    steps_left: Callable[[Incident], tuple[str, ...]],
) -> ShiftReport:
    """The shift between `start` and `end` as the next operator needs to read it."""
    every = list(incidents)
    new = [i for i in every if start <= i.created_at < end]
    resolved = [
        i
        for i in every
        if i.status is IncidentStatus.RESOLVED and start <= (i.resolved_at or i.updated_at) < end
    ]
    still_open = sorted(
        (i for i in every if i.status is not IncidentStatus.RESOLVED), key=_urgent_first
    )
    overdue = [i for i in still_open if is_overdue(i)]
    open_items = [
        OpenIncident(i, i.notes[-1].text if i.notes else "", steps_left(i), is_overdue(i))
        for i in still_open[:MAX_ROWS]
    ]
    skipped = [(i, note.text) for i in resolved for note in i.notes if is_skip_note(note.text)]
    return ShiftReport(
        start,
        end,
        outgoing,
        notes.strip(),
        sorted(new, key=_urgent_first)[:MAX_ROWS],
        sorted(resolved, key=_urgent_first)[:MAX_ROWS],
        overdue[:MAX_ROWS],
        open_items,
        skipped[:MAX_ROWS],
    )
