"""Open311 GeoReport v2: the spec's own examples in both formats, and the demo's real endpoint."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime

import httpx
import pytest

from console.domain.records import Category, IncidentStatus
from console.sources.ioc.api import BackendError
from console.sources.open311.client import (
    NewRequest,
    Open311Api,
    Open311Error,
    parse_document,
    parse_incidents,
    parse_posted,
    parse_requests,
    parse_services,
)
from console.sources.open311.model import ServiceRequest, to_incident
from tests.conftest import FIXTURES

SPEC = FIXTURES / "open311"
FORMATS = ("json", "xml")


def body(name: str) -> str:
    """A fixture's body: the error examples start with the HTTP status line and a blank line."""
    text = (SPEC / name).read_text(encoding="utf-8")
    return text.split("\n\n", 1)[1] if text.startswith("HTTP/") else text


@pytest.mark.parametrize("fmt", FORMATS)
def test_spec_requests_become_incidents_with_our_workflow(fmt: str) -> None:
    closed, opened = parse_incidents(body(f"spec-service-requests.{fmt}"), fmt)  # type: ignore[arg-type]
    assert (closed.id, opened.id) == ("638344", "638349")  # ids are strings
    assert closed.status is IncidentStatus.RESOLVED
    assert [n.text for n in closed.notes] == ["Duplicate request."]  # status_notes → a note
    assert opened.status is IncidentStatus.RECEIVED and opened.notes == ()
    assert opened.title == "Sidewalk and Curb Issues — 8TH AVE and JUDAH ST"
    assert opened.category is Category.INFRASTRUCTURE
    assert (opened.lat, opened.lon) == (37.762221815, -122.4651145)
    assert opened.created_at == datetime(2010, 4, 19, 14, 37, 38, tzinfo=UTC)
    assert opened.description == "" and opened.assignee is None


def test_both_formats_of_every_request_example_agree() -> None:
    for name in ("spec-service-requests", "spec-service-request"):
        as_json = parse_incidents(body(f"{name}.json"), "json")
        as_xml = parse_incidents(body(f"{name}.xml"), "xml")
        assert as_json == as_xml and as_json


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_codes_keep_their_leading_zeros(fmt: str) -> None:
    services = parse_services(body(f"spec-service-list.{fmt}"), fmt)  # type: ignore[arg-type]
    assert [s.service_code for s in services] == ["001", "002", "003"]
    assert services[0].service_name == "Cans left out 24x7" and services[0].metadata is True
    requests = parse_requests(body(f"spec-service-request.{fmt}"), fmt)  # type: ignore[arg-type]
    assert requests[0].service_code == "006" and requests[0].address_id == "545483"


def test_the_spec_json_is_not_json_but_is_read() -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(body("spec-service-list.json"))
    assert parse_document(body("spec-service-list.json"))[2]["service_code"] == "003"


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_answers_and_tokens(fmt: str) -> None:
    (posted,) = parse_posted(body(f"spec-service-request-post.{fmt}"), fmt)  # type: ignore[arg-type]
    assert posted.service_request_id == "293944"
    assert posted.service_notice and posted.service_notice.startswith("The City will inspect")
    (from_token,) = parse_posted(body(f"spec-request-from-token.{fmt}"), fmt)  # type: ignore[arg-type]
    assert (from_token.service_request_id, from_token.token) == ("638344", "12345")


@pytest.mark.parametrize("fmt", FORMATS)
def test_error_documents_raise_the_servers_words(fmt: str) -> None:
    with pytest.raises(Open311Error, match="Invalid api_key received"):
        parse_document(body(f"spec-errors.{fmt}"), fmt)  # type: ignore[arg-type]


def test_null_and_empty_stay_distinct_and_zero_is_an_unknown_place() -> None:
    base = json.loads(body("spec-service-request.json").replace(":006", ':"006"'))[0]
    null_notes = ServiceRequest.model_validate({**base, "status_notes": None, "lat": 0})
    empty_notes = ServiceRequest.model_validate({**base, "status_notes": "", "long": None})
    assert null_notes.status_notes is None and empty_notes.status_notes == ""
    for request in (null_notes, empty_notes):
        incident = to_incident(request)
        assert (incident.lat, incident.lon) == (0.0, 0.0) and incident.notes == ()


def test_open_requests_map_to_received_acknowledged_or_assigned() -> None:
    base = {
        "service_request_id": 7,
        "status": "open",
        "requested_datetime": "2024-05-01T08:00:00+07:00",
        "updated_datetime": "2024-05-01T08:00:00+07:00",
    }
    status = {
        "plain": to_incident(ServiceRequest.model_validate(base)).status,
        "noted": to_incident(
            ServiceRequest.model_validate({**base, "status_notes": "Đã tiếp nhận"})
        ).status,
        "agency": to_incident(
            ServiceRequest.model_validate({**base, "agency_responsible": "Công an phường"})
        ).status,
    }
    assert status == {
        "plain": IncidentStatus.RECEIVED,
        "noted": IncidentStatus.ACKNOWLEDGED,
        "agency": IncidentStatus.ASSIGNED,
    }


def test_bad_records_are_skipped_with_a_reason(caplog: pytest.LogCaptureFixture) -> None:
    good = {"service_request_id": "1", "status": "open", "requested_datetime": "2024-05-01"}
    records = [
        good,
        {**good, "service_request_id": "2", "status": "pending"},
        {**good, "service_request_id": "3", "requested_datetime": "yesterday"},
        {**good, "service_request_id": True},
        "not a record",
    ]
    with caplog.at_level(logging.WARNING):
        incidents = parse_incidents(json.dumps(records))
    assert [i.id for i in incidents] == ["1"]
    reasons = [r.getMessage() for r in caplog.records]
    assert len(reasons) == 4
    assert "2: status" in reasons[0] and "3: requested_datetime" in reasons[1]


def test_a_skipped_request_is_named_by_its_id_or_position_never_its_service_code(
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = {"service_code": "SVC-404", "status": "open", "requested_datetime": "2024-05-01"}
    records = [
        {**good, "service_request_id": "REQ-17", "status": "pending"},
        {**good, "service_request_id": None},
        {**good, "service_request_id": {"nested": "REQ-18"}},
        {**good, "service_request_id": "REQ-19"},
    ]
    with caplog.at_level(logging.WARNING):
        incidents = parse_incidents(json.dumps(records))
    assert [i.id for i in incidents] == ["REQ-19"]
    reasons = [r.getMessage() for r in caplog.records]
    assert len(reasons) == 3 and not any("SVC-404" in reason for reason in reasons)
    assert reasons[0].startswith("skipped Open311 service request REQ-17: status")
    assert reasons[1].startswith("skipped Open311 service request #2 (no service_request_id)")
    assert reasons[2].startswith("skipped Open311 service request #3 (no service_request_id)")
    with caplog.at_level(logging.WARNING):
        caplog.clear()
        parse_services(json.dumps([{"service_code": "SVC-404", "metadata": "maybe"}]))
    assert "skipped Open311 service SVC-404" in caplog.records[0].getMessage()


@pytest.mark.parametrize("entity", ["service_requests"])
def test_smart_data_models_open311_entity_reads_location_and_address(entity: str) -> None:
    raw = json.loads((FIXTURES / "smart-data-models" / entity / "example.json").read_text())
    incident = to_incident(ServiceRequest.model_validate(raw))
    assert incident.id == "638344" and incident.status is IncidentStatus.RESOLVED
    assert (incident.lat, incident.lon) == (40.62785133667262, -3.164485591715449)
    assert incident.assignee == "Ayuntamiento de Ciudad"
    assert incident.title == "Aceras — Calle San Juan Bautista, 2"


# -- against the demo backend's real GeoReport v2 endpoint ------------------------------


def run(coro_fn):  # type: ignore[no-untyped-def]
    return asyncio.run(asyncio.wait_for(coro_fn(), 20))


@pytest.mark.parametrize("fmt", FORMATS)
def test_paged_get_returns_every_demo_incident_once(demo_url: str, fmt: str) -> None:
    native = {i["id"]: i for i in httpx.get(f"{demo_url}/api/v1/incidents").json()["items"]}

    async def scenario() -> tuple[list, list]:  # type: ignore[type-arg]
        api = Open311Api(f"{demo_url}/open311/v2", fmt=fmt)  # type: ignore[arg-type]
        try:
            first, _count = await api.requests_page(1, 7)
            return first, await api.requests(page_size=7)
        finally:
            await api.aclose()

    first_page, everything = run(scenario)
    assert len(first_page) == 7
    ids = [incident.id for incident in everything]
    assert len(ids) == len(set(ids)) and set(native) <= set(ids)
    for incident in everything:
        if incident.id not in native:
            continue  # created while paging
        wire = native[incident.id]
        if incident.updated_at > datetime.fromisoformat(wire["updated_at"]):
            continue  # the demo's bot moved it on while paging
        assert incident.title == wire["title"] and incident.district == wire["district"]
        assert (incident.status is IncidentStatus.RESOLVED) == (wire["status"] == "resolved")
        assert (incident.status is IncidentStatus.ASSIGNED) == (wire["status"] == "assigned")
        assert incident.assignee == wire["assignee"]
        assert incident.rating == wire["rating"]  # the citizen's, in both JSON and XML
    assert any(incident.rating for incident in everything)  # the demo rates settled reports


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_then_get_shows_the_citizens_request(demo_url: str, fmt: str) -> None:
    async def scenario():  # type: ignore[no-untyped-def]
        api = Open311Api(f"{demo_url}/open311/v2", fmt=fmt)  # type: ignore[arg-type]
        try:
            codes = [service.service_code for service in await api.services()]
            new = NewRequest(
                service_code="lighting",
                lat=11.535,
                long=106.883,
                description="Đèn đường hỏng trước chợ <script>",
            )
            posted = await api.create(new)
            assert posted.service_request_id is not None
            one = await api.request(posted.service_request_id)
            since = await api.requests(start_date=one.created_at if one else None)
            with pytest.raises(BackendError, match="Unknown service_code"):
                await api.create(NewRequest(service_code="999", lat=11.5, long=106.9))
            return codes, one, since
        finally:
            await api.aclose()

    codes, incident, since = run(scenario)
    assert "lighting" in codes and "security" in codes
    assert incident is not None and incident.category is Category.LIGHTING
    assert incident.title == "Đèn đường hỏng trước chợ <script>"  # text, as typed
    assert incident.status is IncidentStatus.RECEIVED and incident.district == "Đồng Xoài"
    assert incident.id in {i.id for i in since}
    native = httpx.get(f"{demo_url}/api/v1/incidents").json()["items"]
    assert any(item["id"] == incident.id for item in native)  # the same queue, both APIs


def test_unreadable_json_falls_back_to_the_xml_form(demo_url: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(".json"):
            return httpx.Response(200, text='[{"service_code": 001,')  # truncated
        real = httpx.get(f"{demo_url}{request.url.path}")
        return httpx.Response(200, content=real.content)

    async def scenario():  # type: ignore[no-untyped-def]
        client = httpx.AsyncClient(
            transport=httpx.MockTransport(handler), base_url="http://x/open311/v2/"
        )
        api = Open311Api("http://x/open311/v2", client=client)
        try:
            return await api.services()
        finally:
            await api.aclose()

    assert [s.service_code for s in run(scenario)][:2] == ["traffic", "security"]


def test_unknown_request_and_unreachable_server_are_plain_words(demo_url: str) -> None:
    async def scenario() -> None:
        api = Open311Api(f"{demo_url}/open311/v2", fmt="xml")
        dead = Open311Api("http://127.0.0.1:9/open311/v2")
        try:
            with pytest.raises(BackendError, match="does not exist"):
                await api.request("NO-SUCH")
            with pytest.raises(BackendError, match="cannot reach the Open311 server"):
                await dead.services()
        finally:
            await api.aclose()
            await dead.aclose()

    run(scenario)
