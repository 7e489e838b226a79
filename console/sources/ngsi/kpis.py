"""NGSI-LD adapter: FIWARE `KeyPerformanceIndicator` entities and their history.

Reads `/ngsi-ld/v1/entities?type=KeyPerformanceIndicator` (normalized or keyValues)
and the temporal API `/ngsi-ld/v1/temporal/entities/{id}` (normalized instances or
`temporalValues` pairs). Real payloads are untidy, so it is tolerant: ids that are not
URNs, NGSI v2 typed values (`{"type": "Text", "value": ...}`), JSON-LD typed literals
(`{"@type": "DateTime", "@value": ...}`), system attribute names such as `modifiedAt`
sent as ordinary properties, dates without a time, and datetimes that do not parse
(dropped with a log line, never fatal). One bad entity is skipped, not the list.

Asset entities for the map are in `ngsi_points`, Alerts and Complaints in `ngsi_incidents`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

from console.domain.records import Kpi, KpiSample
from console.domain.standing import Standing
from console.sources.ioc.api import DEFAULT_TIMEOUT, BackendError, fetch_json, path_segment

log = logging.getLogger(__name__)
T = TypeVar("T")

KPI_TYPE = "KeyPerformanceIndicator"
URN_PREFIX = f"urn:ngsi-ld:{KPI_TYPE}:"
UNIT_CODES = {"P1": "%", "C62": ""}  # UN/CEFACT common codes: percent, one
PAGE = 100
OVERLAP = 10  # entities each page re-reads of the one before (see NgsiLdApi.entities)


class NgsiKpi(BaseModel):
    """What the console uses of a KeyPerformanceIndicator entity."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    value: float | None = None
    standing: Standing | None = None
    period_from: datetime | None = None
    period_to: datetime | None = None
    organization: str | None = None
    frequency: str | None = None
    unit: str = ""
    target: float | None = None
    modified_at: datetime | None = None

    @property
    def short_id(self) -> str:
        return self.id.removeprefix(URN_PREFIX)

    def to_kpi(self) -> Kpi:
        """The console's own KPI; the entity's time is the newest one it carries."""
        when = self.modified_at or self.period_to or datetime.now(UTC)
        return Kpi(
            id=self.short_id,
            name=self.name,
            unit=self.unit,
            value=self.value if self.value is not None else float("nan"),
            target=self.target,
            updated_at=when,
        )


def plain(attribute: Any) -> Any:
    """The value of an attribute in any of the forms seen in the wild."""
    if isinstance(attribute, dict):
        if "@value" in attribute:
            return attribute["@value"]
        if "value" in attribute and ("type" in attribute or "@type" in attribute):
            return plain(attribute["value"])  # also {"@type": "DateTime", "value": ...}
        if "object" in attribute and attribute.get("type") == "Relationship":
            return attribute["object"]
    return attribute


def parse_time(raw: Any) -> datetime | None:
    """ISO datetime or date (a date means its start, UTC); anything else is None."""
    raw = plain(raw)
    if not isinstance(raw, str):
        return None
    text = raw.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text[:10]), time())
        except ValueError:
            log.info("ignored a time that does not parse: %r", raw[:40])
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def number(raw: Any) -> float | None:
    """A number in any attribute form; None for booleans, text and the rest."""
    raw = plain(raw)
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        return float(raw)
    except (TypeError, ValueError):
        return None


def parse_kpi(entity: dict[str, Any]) -> NgsiKpi:
    """One entity, normalized or keyValues; raises ValueError when it is not a KPI."""
    kind = entity.get("type")
    if kind not in (KPI_TYPE, f"https://smartdatamodels.org/dataModel.KPI/{KPI_TYPE}"):
        raise ValueError(f"not a {KPI_TYPE}: {kind!r}")
    ident = entity.get("id")
    if not isinstance(ident, str) or not ident:
        raise ValueError("entity without an id")
    period = plain(entity.get("calculationPeriod"))
    period = period if isinstance(period, dict) else {}
    standing = plain(entity.get("currentStanding"))
    value_attr = entity.get("kpiValue")
    unit_code = value_attr.get("unitCode") if isinstance(value_attr, dict) else None
    observed = value_attr.get("observedAt") if isinstance(value_attr, dict) else None
    modified = (
        parse_time(observed)
        or parse_time(entity.get("modifiedAt"))  # reserved in NGSI-LD, yet sent as a property
        or parse_time(entity.get("dateModified"))
    )
    name = plain(entity.get("name"))
    return NgsiKpi(
        id=ident,
        name=str(name) if name else ident.removeprefix(URN_PREFIX),
        value=number(value_attr),
        standing=standing if standing in set(Standing) else None,
        period_from=parse_time(period.get("from")),
        period_to=parse_time(period.get("to")),
        organization=_text(entity.get("organization")),
        frequency=_text(entity.get("calculationFrequency")),
        unit=UNIT_CODES.get(str(unit_code), str(unit_code)) if unit_code else "",
        target=number(entity.get("kpiTarget")),
        modified_at=modified,
    )


def _text(raw: Any) -> str | None:
    value = plain(raw)
    return None if value is None else str(value)


def each_entity(
    entities: Any, convert: Callable[[Any], T], what: str, logger: logging.Logger
) -> list[T]:
    """`convert` applied to every entity of a broker's answer; one it refuses (ValueError,
    TypeError) is left out and logged with its reason. A non-list answer is refused whole."""
    if not isinstance(entities, list):
        raise BackendError("NGSI-LD: the answer is not a list of entities")
    found = []
    for entity in entities:
        try:
            found.append(convert(entity))
        except (ValueError, TypeError) as error:
            ident = entity.get("id", "?") if isinstance(entity, dict) else "?"
            logger.warning("skipped NGSI-LD %s %s: %s", what, str(ident)[:80], error)
    return found


def parse_kpis(entities: Any) -> list[NgsiKpi]:
    return each_entity(
        entities, lambda e: parse_kpi(e if isinstance(e, dict) else {}), "entity", log
    )


def parse_temporal(entity: Any, attribute: str = "kpiValue") -> list[KpiSample]:
    """Instances of an attribute, oldest first, from either temporal representation."""
    if not isinstance(entity, dict):
        raise BackendError("NGSI-LD: the temporal answer is not an entity")
    raw = entity.get(attribute)
    pairs: list[tuple[Any, Any]] = []
    if isinstance(raw, dict) and isinstance(raw.get("values"), list):  # temporalValues
        pairs = [(p[0], p[1]) for p in raw["values"] if isinstance(p, list) and len(p) == 2]
    elif isinstance(raw, dict):
        pairs = [(raw.get("value"), raw.get("observedAt"))]
    elif isinstance(raw, list):
        pairs = [(i.get("value"), i.get("observedAt")) for i in raw if isinstance(i, dict)]
    samples = []
    for value, at in pairs:
        figure, moment = number(value), parse_time(at)
        if figure is not None and moment is not None:
            samples.append(KpiSample(t=moment, value=figure))
    return sorted(samples, key=lambda s: s.t)


class NgsiLdApi:
    """One client per context broker; plain JSON (no @context expansion needed)."""

    def __init__(self, base_url: str, client: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.AsyncClient(base_url=self.base_url, timeout=DEFAULT_TIMEOUT)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _get(self, path: str, params: dict[str, Any]) -> Any:
        return await fetch_json(  # absolute URL: the client may be shared
            self.client,
            f"{self.base_url}{path}",
            f"NGSI-LD {path}",
            peer="broker",
            params=params,
            headers={"Accept": "application/json"},
        )

    async def kpi_entities(self, key_values: bool = False) -> list[NgsiKpi]:
        """Every KeyPerformanceIndicator, page by page."""
        return parse_kpis(await self.entities(KPI_TYPE, key_values))

    async def entities(
        self,
        kind: str,
        key_values: bool = False,
        max_pages: int = 56,  # 5,000 entities and more, pages overlapping
        q: str | None = None,
        sys_attrs: bool = False,
    ) -> list[Any]:
        """Every entity of one type (that `q` selects), page by page, at most `max_pages`;
        `sys_attrs`: with the broker's own `createdAt` / `modifiedAt`.

        Each page starts OVERLAP entities before the last one ended, and an id read twice
        keeps its later reading: a broker that orders by modification moves an entity
        changed between two pages to the end, which shifts the rest back — without the
        overlap the first entity of the next page would never be read (nor, unchanged,
        by any later `dateModified>` poll)."""
        entities: list[Any] = []
        where: dict[str, int] = {}  # entity id → its place in `entities`
        options = ",".join(
            name for name, wanted in (("keyValues", key_values), ("sysAttrs", sys_attrs)) if wanted
        )
        offset = 0
        for _ in range(max_pages):
            params: dict[str, Any] = {"type": kind, "limit": PAGE, "offset": offset}
            if options:
                params["options"] = options
            if q is not None:
                params["q"] = q
            page = await self._get("/ngsi-ld/v1/entities", params)
            if not isinstance(page, list):
                raise BackendError("NGSI-LD: the answer is not a list of entities")
            for entity in page:
                key = entity.get("id") if isinstance(entity, dict) else None
                if isinstance(key, str) and key in where:
                    entities[where[key]] = entity
                    continue
                if isinstance(key, str):
                    where[key] = len(entities)
                entities.append(entity)
            if len(page) < PAGE:
                return entities
            offset += PAGE - OVERLAP
        log.warning("NGSI-LD %s: stopped after %d pages", kind, max_pages)
        return entities

    async def kpis(self) -> list[Kpi]:
        """Every indicator the console can show; one it cannot is skipped with its reason."""
        found = []
        for entity in await self.kpi_entities():
            try:
                found.append(entity.to_kpi())
            except ValueError as error:
                log.warning("skipped NGSI-LD KPI %s: %s", entity.id[:80], error)
        return found

    async def kpi_history(
        self, entity_id: str, start: datetime, end: datetime, simplified: bool = True
    ) -> list[KpiSample]:
        ident = entity_id if ":" in entity_id else f"{URN_PREFIX}{entity_id}"
        params: dict[str, Any] = {
            "attrs": "kpiValue",
            "timerel": "between",
            "timeAt": start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "endTimeAt": end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }
        if simplified:
            params["options"] = "temporalValues"
        body = await self._get(f"/ngsi-ld/v1/temporal/entities/{path_segment(ident)}", params)
        return parse_temporal(body)
