"""NGSI-LD adapter: the Smart Data Models fixtures (with their quirks) and the demo broker."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pytest

from console.domain.records import utcnow
from console.domain.standing import Standing
from console.sources.ioc.api import BackendError
from console.sources.ngsi.kpis import NgsiLdApi, parse_kpi, parse_kpis, parse_temporal
from tests.conftest import FIXTURES

KPI_DIR = FIXTURES / "smart-data-models" / "KeyPerformanceIndicator"


@pytest.mark.parametrize(
    "name",
    ["example.json", "example-normalized.json", "example.jsonld", "example-normalized.jsonld"],
)
def test_every_fixture_form_reads_the_same(name: str) -> None:
    entity = parse_kpi(json.loads((KPI_DIR / name).read_text(encoding="utf-8")))
    assert entity.short_id == "kpi-2016-Ciudad-containers-faults"  # a URN or not
    assert entity.value == 20 and entity.standing is Standing.GOOD
    assert entity.organization == "Ayuntamiento de Ciudad"
    assert entity.period_from is not None and entity.period_from.isoformat().startswith(
        "2016-06-01"
    )
    # `modifiedAt` is a reserved NGSI-LD name, sent here as a property with @type/@value
    assert entity.modified_at is not None and entity.modified_at.year == 2016
    assert entity.to_kpi().name == "Incidencias-Contenedores-Mensual"


def test_bad_entities_are_skipped_not_fatal() -> None:
    good = json.loads((KPI_DIR / "example.json").read_text(encoding="utf-8"))
    odd = {**good, "id": "x", "dateModified": "2016-13-45T99:00", "kpiValue": "n/a"}
    parsed = parse_kpis([good, {"type": "Streetlight", "id": "s"}, odd, "junk"])
    assert [p.id for p in parsed] == [good["id"], "x"]
    assert parsed[1].value is None and parsed[1].modified_at is None  # invalid datetime dropped
    with pytest.raises(BackendError):
        parse_kpis({"error": "not a list"})


def test_temporal_forms() -> None:
    normalized = {
        "kpiValue": [
            {"type": "Property", "value": 2, "observedAt": "2026-01-02T00:00:00Z"},
            {"type": "Property", "value": 1, "observedAt": "2026-01-01T00:00:00Z"},
        ]
    }
    simplified = {
        "kpiValue": {"type": "Property", "values": [[1, "2026-01-01"], [2, "2026-01-02T00:00:00Z"]]}
    }
    assert [s.value for s in parse_temporal(normalized)] == [1, 2]
    assert [s.value for s in parse_temporal(simplified)] == [1, 2]


def test_against_the_demo_broker(demo_url: str) -> None:
    async def scenario() -> None:
        api = NgsiLdApi(demo_url)
        try:
            entities = {e.short_id: e for e in await api.kpi_entities()}
            on_time = entities["on-time-rate"]
            assert on_time.id == "urn:ngsi-ld:KeyPerformanceIndicator:on-time-rate"
            assert on_time.unit == "%" and on_time.target == 97.0 and on_time.standing is not None
            assert on_time.organization == "UBND tỉnh Bình Phước"
            flat = {e.short_id: e for e in await api.kpi_entities(key_values=True)}
            # the demo moves its KPIs every 5 s (a step of ~0.02): a second read may be newer
            assert flat["on-time-rate"].value == pytest.approx(on_time.value, abs=0.5)
            end = utcnow()
            for simplified in (True, False):
                history = await api.kpi_history(
                    "on-time-rate", end - timedelta(hours=2), end, simplified
                )
                # 5-minute history plus the live samples of however long the demo has run
                assert len(history) >= 20
                assert all(end - timedelta(hours=2) <= s.t <= end for s in history)
                assert all(90 < s.value <= 100 for s in history)
            with pytest.raises(BackendError, match="404"):
                await api.kpi_history("no-such-kpi", end - timedelta(hours=1), end)
        finally:
            await api.aclose()

    asyncio.run(scenario())


def test_unreachable_broker_is_a_plain_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    api = NgsiLdApi(
        "http://broker",
        httpx.AsyncClient(transport=httpx.MockTransport(refuse), base_url="http://broker"),
    )
    with pytest.raises(BackendError, match="cannot reach"):
        asyncio.run(api.kpis())


def test_an_entity_changed_while_pages_are_read_skips_no_other() -> None:
    """A broker ordering by modification (as the demo's and many do): five entities of the
    first page change between two page reads and move to the end, shifting the rest back.
    Every entity is still read once, the changed ones in their later version."""
    order = [{"id": f"urn:ngsi-ld:Alert:{n:03}", "type": "Alert", "v": 1} for n in range(250)]
    served: list[int] = []

    def broker(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        page = order[offset : offset + limit]
        served.append(offset)
        if len(served) == 1:  # right after the first page: five of it change
            changed = [dict(entity, v=2) for entity in order[10:15]]
            del order[10:15]
            order.extend(changed)
        return httpx.Response(200, json=page)

    api = NgsiLdApi(
        "http://broker",
        httpx.AsyncClient(transport=httpx.MockTransport(broker), base_url="http://broker"),
    )
    found = asyncio.run(api.entities("Alert"))
    ids = [entity["id"] for entity in found]
    assert len(ids) == len(set(ids)) == 250, "an entity was skipped or read twice"
    assert {e["id"]: e["v"] for e in found}["urn:ngsi-ld:Alert:012"] == 2
    assert len(served) == 3  # 250 in pages of 100 that overlap by 10


def test_a_broker_that_ignores_offset_ends_after_the_page_limit() -> None:
    """A hostile or broken broker repeats one full page for ever: KPIs too stop, in words."""
    page = [{"id": f"urn:ngsi-ld:KeyPerformanceIndicator:k{n}", "type": "x"} for n in range(100)]
    calls: list[str] = []

    def broker(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, json=page)

    api = NgsiLdApi(
        "http://broker",
        httpx.AsyncClient(transport=httpx.MockTransport(broker), base_url="http://broker"),
    )
    asyncio.run(api.kpi_entities())
    assert len(calls) == 56  # 5,000 entities and more, in overlapping pages
