"""What happens in the province: new incidents' wording and the duty operator's next step.

Pure functions of a `random.Random`, so the same seed tells the same story.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import TypeVar

from console.demo import catalog, geo
from console.domain.records import (
    ActionKind,
    Category,
    Incident,
    IncidentAction,
    IncidentStatus,
    Priority,
    Source,
)

T = TypeVar("T")


def weighted(rng: random.Random, weights: dict[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def draft_incident(
    rng: random.Random,
    incident_id: str,
    now: datetime,
    category: Category | None = None,
    priority: Priority | None = None,
    title: str | None = None,
) -> Incident:
    """A new, not yet recorded incident with plausible Vietnamese wording and place."""
    category = category or weighted(rng, catalog.CATEGORY_WEIGHTS)
    priority = priority or weighted(rng, catalog.PRIORITY_WEIGHTS)
    district = weighted(rng, {d: d.weight for d in geo.DISTRICTS})
    source = rng.choice(catalog.SOURCES[category])
    words = {
        "street": rng.choice(catalog.STREETS[district.id]),
        "place": rng.choice(catalog.PLACES).format(town=district.name, kind=district.kind),
        "office": f"Bộ phận một cửa {district.kind} {district.name}",
    }
    lon, lat = geo.random_point(district.id, rng)
    return Incident(
        id=incident_id,
        title=title or rng.choice(catalog.TITLES[category]).format(**words),
        description=f"{catalog.INTROS[source]} {rng.choice(catalog.DETAILS)}",
        category=category,
        priority=priority,
        status=IncidentStatus.RECEIVED,
        source=source,
        district=district.name,
        lat=lat,
        lon=lon,
        created_at=now,
        updated_at=now,
        revision=0,
    )


def next_action(rng: random.Random, incident: Incident) -> IncidentAction:
    """The duty operator's next step for an open incident, with a note now and then."""
    author = catalog.BOT_OPERATOR
    if incident.status is IncidentStatus.RECEIVED:
        return IncidentAction(action=ActionKind.ACKNOWLEDGE, author=author)
    if incident.status is IncidentStatus.ACKNOWLEDGED:
        unit = rng.choice(catalog.ASSIGNEES[incident.category]).format(town=incident.district)
        return IncidentAction(action=ActionKind.ASSIGN, assignee=unit, author=author)
    if rng.random() < 0.25:
        return IncidentAction(
            action=ActionKind.NOTE, text=rng.choice(catalog.BOT_NOTES), author=author
        )
    return IncidentAction(action=ActionKind.RESOLVE, author=author)


RATINGS: dict[int, float] = {5: 0.68, 4: 0.28, 3: 0.025, 2: 0.01, 1: 0.005}  # 96 % satisfied
RATED_SHARE = 0.8  # of settled citizen reports; the others never answer the survey


def rating(seed: int, incident: Incident) -> int | None:
    """The citizen's rating of a settled report, 1 to 5 (None: not rated, or no citizen).

    Drawn from the seed and the incident's id alone, so it neither shifts the rest of
    the story nor depends on when the incident was settled."""
    if incident.source is not Source.CITIZEN:
        return None
    rng = random.Random(f"{seed}/rating/{incident.id}")
    return weighted(rng, RATINGS) if rng.random() < RATED_SHARE else None
