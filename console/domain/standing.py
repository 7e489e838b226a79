"""Where a value stands against its target: very good … very bad (the NGSI-LD
`currentStanding` vocabulary), from band edges or, by default, from the target."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum


class Standing(StrEnum):
    VERY_GOOD = "veryGood"
    GOOD = "good"
    FAIR = "fair"
    BAD = "bad"
    VERY_BAD = "veryBad"


# From worst to best: bands between ascending edges, for a higher-is-better KPI.
_ORDER = (Standing.VERY_BAD, Standing.BAD, Standing.FAIR, Standing.GOOD, Standing.VERY_GOOD)


def default_edges(target: float) -> tuple[float, ...]:
    """Edges around a target for a higher-is-better KPI: under by 3 % of the target is
    very bad, by 1 % bad, just under fair, on target good, 2 % over very good."""
    span = abs(target) or 1.0
    return (target - 0.03 * span, target - 0.01 * span, target, target + 0.02 * span)


def standing(
    value: float,
    target: float | None,
    higher_is_better: bool = True,
    edges: Sequence[float] = (),
) -> Standing | None:
    """None when there is nothing to stand against (no target, no edges, no value)."""
    if math.isnan(value):
        return None
    bands = tuple(sorted(edges)) or (default_edges(target) if target is not None else ())
    if not bands:
        return None
    if not higher_is_better and not edges and target is not None:
        bands = tuple(sorted(2 * target - edge for edge in bands))
    band = sum(1 for edge in bands if value >= edge)  # 0 … len(bands)
    rank = round(band * (len(_ORDER) - 1) / len(bands))
    return _ORDER[rank] if higher_is_better else _ORDER[len(_ORDER) - 1 - rank]
