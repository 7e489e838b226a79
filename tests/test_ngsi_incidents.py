"""NGSI-LD Alert and Complaint entities as incidents: the Smart Data Models fixtures in
every form, the statuses people type, and the demo broker against its own native API."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from console.domain.records import Category, IncidentStatus, Priority, Source
from console.sources.ngsi.incidents import (
    complaint_status,
    fetch_incidents,
    to_incident,
    to_incidents,
)
from console.sources.ngsi.kpis import NgsiLdApi
from tests.conftest import FIXTURES

MODELS = FIXTURES / "smart-data-models"
FORMS = ["example.json", "example-normalized.json", "example.jsonld", "example-normalized.jsonld"]


def _entity(kind: str, name: str) -> Any:
    body = json.loads((MODELS / kind / name).read_text(encoding="utf-8"))
    return body[0] if isinstance(body, list) else body


@pytest.mark.parametrize("name", FORMS)
def test_alert_fixture_is_a_high_priority_traffic_incident_that_is_over(name: str) -> None:
    incident = to_incident(_entity("Alert", name))
    assert incident.category is Category.TRAFFIC
    assert incident.priority is Priority.HIGH  # severity "high"
    assert incident.source is Source.SENSOR
    assert incident.status is IncidentStatus.RESOLVED  # validTo 2017: long over
    assert incident.title == "traffic · trafficJam"
    assert incident.description == "The road is completely blocked for 3kms"
    assert (incident.lat, incident.lon) == pytest.approx((40.423852777777775, -3.712247222222222))
    assert incident.created_at == datetime(2017, 1, 2, 9, 25, 55, tzinfo=UTC)


@pytest.mark.parametrize("name", FORMS)
def test_complaint_fixture_is_a_received_citizen_report(name: str) -> None:
    incident = to_incident(_entity("Complaint", name))
    assert incident.source is Source.CITIZEN
    assert incident.status is IncidentStatus.RECEIVED  # "Pending"
    assert incident.title == "Low pressure"
    assert incident.description.startswith("Pressure of the water")
    assert (incident.lat, incident.lon) == (25.5, 40.3)  # GeoJSON order: lon, lat
    assert incident.created_at == datetime(2021, 4, 19, 10, 0, tzinfo=UTC)  # no zone: UTC


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("Pending", IncidentStatus.RECEIVED),
        ("Accepted", IncidentStatus.ACKNOWLEDGED),
        ("In progress", IncidentStatus.ASSIGNED),
        ("SOLVED", IncidentStatus.RESOLVED),
        ("closed", IncidentStatus.RESOLVED),
        ("", IncidentStatus.RECEIVED),
        ("quelque chose", IncidentStatus.RECEIVED),
    ],
)
def test_complaint_statuses_as_people_type_them(typed: str, status: IncidentStatus) -> None:
    assert complaint_status(typed) is status


def test_bad_entities_are_skipped_with_their_reason(caplog: pytest.LogCaptureFixture) -> None:
    good = _entity("Alert", "example.json")
    no_time = {**good, "id": "a2", "dateIssued": "yesterday"}
    no_time.pop("validFrom")
    nowhere = {**good, "id": "a3", "location": {"type": "Point", "coordinates": [999, 0]}}
    caplog.set_level(logging.WARNING)
    found = to_incidents([good, no_time, {"id": "x", "type": "Streetlight"}, "junk", nowhere])
    assert [incident.id for incident in found] == ["Alert:1", "a3"]
    assert (found[1].lat, found[1].lon) == (0.0, 0.0)  # kept, at "place unknown"
    assert "a2: no time it was raised" in caplog.text
    assert "x: not an Alert or a Complaint" in caplog.text
    assert "?: not an entity" in caplog.text


def test_demo_broker_alerts_and_complaints_match_its_incidents(demo_url: str) -> None:
    """Every demo incident comes back through NGSI-LD with its place, kind and state."""

    async def native_incidents(client: httpx.AsyncClient) -> list[dict[str, Any]]:
        answer = (await client.get(f"{demo_url}/api/v1/incidents")).json()
        return answer["items"] if isinstance(answer, dict) else answer  # type: ignore[no-any-return]

    async def scenario() -> tuple[Any, Any, Any]:
        async with httpx.AsyncClient(timeout=20) as client:
            before = await native_incidents(client)
            found = await fetch_incidents(NgsiLdApi(demo_url, client))
            return before, found, await native_incidents(client)

    # The demo's simulation moves incidents on while the test reads: compare those that
    # did not change between the native reads before and after the NGSI-LD one.
    native, found, after = asyncio.run(asyncio.wait_for(scenario(), timeout=30))
    unchanged = {raw["id"]: raw for raw in native if raw in after}
    by_id = {incident.id.rsplit(":", 1)[-1]: incident for incident in found}
    assert len(unchanged) >= 10
    for raw in unchanged.values():
        incident = by_id[raw["id"]]
        assert incident.category.value == raw["category"]
        assert (incident.lat, incident.lon) == pytest.approx((raw["lat"], raw["lon"]))
        citizen = raw["source"] == "citizen"
        assert incident.source is (Source.CITIZEN if citizen else Source.SENSOR)
        resolved = raw["status"] == "resolved"
        assert (incident.status is IncidentStatus.RESOLVED) == resolved
        if citizen:
            assert incident.status.value == raw["status"]  # Complaint keeps the workflow
        else:
            assert incident.priority.value == raw["priority"]  # Alert keeps the severity
