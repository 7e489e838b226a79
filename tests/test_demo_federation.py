"""The demo as a federated source: NGSI-LD and Open311 polled with a change cursor, and
incident actions sent to NGSI-LD as attribute updates, against a real running server.

The server here runs with its duty-operator bot asleep (hour-long ticks), so only the
tests change incidents and every expectation is exact; nothing waits on a clock.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from httpx_sse import connect_sse

from console.demo.access import Access
from console.demo.server import DemoServer

NGSI = "/ngsi-ld/v1"
PROBLEM = "application/problem+json"
VIEWER, OPERATOR = "viewer-token-federation", "operator-token-federation"


@pytest.fixture(scope="module")
def quiet() -> Iterator[httpx.Client]:
    """A demo backend whose simulation does not act during the tests, and a client for it."""
    with (
        DemoServer(seed=23, incident_interval_s=3600, kpi_interval_s=3600) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        yield client


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def entities(client: httpx.Client, kind: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"{NGSI}/entities", params={"type": kind, "limit": 1000, **params})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def native(client: httpx.Client, incident_id: str) -> dict[str, Any]:
    """The incident as the console's own API serves it."""
    items = client.get("/api/v1/incidents").json()["items"]
    return next(item for item in items if item["id"] == incident_id)


def entity_of(incident: dict[str, Any]) -> str:
    """The broker's id for a native incident: citizens complain, devices alert."""
    kind = "Complaint" if incident["source"] == "citizen" else "Alert"
    return f"urn:ngsi-ld:{kind}:{incident['id']}"


def new_complaint(client: httpx.Client) -> str:
    """A citizen's report filed through Open311: the broker serves it as a Complaint."""
    form = {"service_code": "environment", "lat": "11.54", "long": "106.9", "description": "Rác"}
    response = client.post("/open311/v2/requests.json", data=form)
    assert response.status_code == 200, response.text
    return f"urn:ngsi-ld:Complaint:{response.json()[0]['service_request_id']}"


def new_alert(client: httpx.Client) -> str:
    """A camera's or sensor's incident (traffic is mostly cameras): served as an Alert."""
    for _ in range(30):
        incident = client.post("/api/v1/demo/incidents", json={"category": "traffic"}).json()
        if incident["source"] != "citizen":
            return f"urn:ngsi-ld:Alert:{incident['id']}"
    raise AssertionError("no camera incident in 30 tries")


def patch(
    client: httpx.Client, entity_id: str, body: Any, key: str | None = None
) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.patch(f"{NGSI}/entities/{entity_id}/attrs", content=content, headers=headers)


def one(client: httpx.Client, entity_id: str) -> dict[str, Any]:
    response = client.get(f"{NGSI}/entities/{entity_id}", params={"options": "keyValues"})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def prop(value: Any) -> dict[str, Any]:
    return {"type": "Property", "value": value}


def nudge(word: str) -> dict[str, str]:
    """An update the workflow accepts from status `word`: the next step along."""
    return {
        "Pending": {"status": "Accepted"},
        "Accepted": {"assignee": "Tổ công tác số 3"},
        "In progress": {"status": "Solved"},
        "Solved": {"status": "Pending"},
    }[word]


# -- NGSI-LD: polling with a change cursor ------------------------------------------


@pytest.mark.parametrize("kind", ["Alert", "Complaint"])
def test_q_returns_only_entities_changed_after_the_cursor(quiet: httpx.Client, kind: str) -> None:
    everything = entities(quiet, kind)
    assert len(everything) >= 5
    order = [(when(e["dateModified"]["value"]), e["id"]) for e in everything]
    assert order == sorted(order)  # oldest change first: a cursor can only move forward
    cursor = everything[len(everything) // 2]["dateModified"]["value"]
    later = entities(quiet, kind, q=f"dateModified>{cursor}")
    assert [e["id"] for e in later] == [
        e["id"] for e in everything if when(e["dateModified"]["value"]) > when(cursor)
    ]
    assert later and len(later) < len(everything)
    inclusive = entities(quiet, kind, q=f'dateModified>="{cursor}"')  # quoted also reads
    assert [e["id"] for e in inclusive][1:] == [e["id"] for e in later]

    # An older incident changes: the next poll from the newest cursor brings exactly it.
    newest = later[-1]["dateModified"]["value"]
    assert entities(quiet, kind, q=f"dateModified>{newest}") == []
    moved = everything[0]
    assert patch(quiet, moved["id"], nudge(moved["status"]["value"])).status_code == 204
    (changed,) = entities(quiet, kind, q=f"dateModified>{newest}")
    assert changed["id"] == moved["id"]
    assert when(changed["dateModified"]["value"]) > when(newest)


def test_paging_a_change_cursor_sees_every_entity_exactly_once(quiet: httpx.Client) -> None:
    everything = entities(quiet, "Alert")
    cursor = everything[2]["dateModified"]["value"]
    expected = [e["id"] for e in everything[3:]]
    by_offset: list[str] = []
    for offset in range(0, len(expected) + 3, 3):
        page = entities(quiet, "Alert", q=f"dateModified>{cursor}", limit=3, offset=offset)
        by_offset += [e["id"] for e in page]
    assert by_offset == expected
    by_cursor: list[str] = []
    while page := entities(quiet, "Alert", q=f"dateModified>{cursor}", limit=4):
        by_cursor += [e["id"] for e in page]
        cursor = page[-1]["dateModified"]["value"]
    assert by_cursor == expected


@pytest.mark.parametrize(
    "q",
    [
        'status=="Pending"',
        "dateModified==2026-11-29T10:00:00Z",
        "dateModified>yesterday",
        "dateModified>",
        'dateModified>"2026-11-29T10:00:00Z',
        "dateModified>2026-11-29T10:00:00Z|status==Solved",
        "dateCreated>2026-11-29T10:00:00Z",
        "x" * 5000,
    ],
)
def test_an_unsupported_q_is_refused_in_plain_words(quiet: httpx.Client, q: str) -> None:
    response = quiet.get(f"{NGSI}/entities", params={"type": "Alert", "q": q})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["type"].endswith("/BadRequestData")
    assert "dateModified" in problem["title"] and len(problem["title"]) < 100


# -- NGSI-LD: incident actions as partial attribute updates -----------------------


@pytest.mark.parametrize("make", [new_complaint, new_alert])
def test_acknowledge_assign_resolve_round_trip(quiet: httpx.Client, make: Any) -> None:
    entity_id = make(quiet)
    incident_id = entity_id.rsplit(":", 1)[-1]
    start = native(quiet, incident_id)
    assert one(quiet, entity_id)["status"] == "Pending" and start["status"] == "received"

    assert patch(quiet, entity_id, {"status": prop("Accepted")}).status_code == 204
    assert one(quiet, entity_id)["status"] == "Accepted"
    acknowledged = native(quiet, incident_id)
    assert acknowledged["status"] == "acknowledged"
    assert acknowledged["revision"] > start["revision"]

    assign = {"status": "In progress", "assignee": "Đội CSGT"}  # keyValues form
    assert patch(quiet, entity_id, assign).status_code == 204
    entity = one(quiet, entity_id)
    assert (entity["status"], entity["assignee"]) == ("In progress", "Đội CSGT")
    assigned = native(quiet, incident_id)
    assert (assigned["status"], assigned["assignee"]) == ("assigned", "Đội CSGT")

    assert patch(quiet, entity_id, {"status": prop("Solved")}).status_code == 204
    normalized = quiet.get(f"{NGSI}/entities/{entity_id}").json()
    assert normalized["status"] == prop("Solved")
    assert normalized["assignee"] == prop("Đội CSGT")
    resolved = native(quiet, incident_id)
    assert resolved["status"] == "resolved" and resolved["revision"] > assigned["revision"]
    assert when(normalized["dateModified"]["value"]) == when(resolved["updated_at"])
    if make is new_alert:
        assert "validTo" in normalized  # the alert is over

    # Refused as the native API refuses it: same status, same words.
    again = patch(quiet, entity_id, {"status": "Solved"})
    native_again = quiet.post(
        f"/api/v1/incidents/{incident_id}/actions",
        json={"action": "resolve"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert again.status_code == native_again.status_code == 409
    assert again.headers["content-type"].startswith(PROBLEM)
    assert again.json()["detail"] == native_again.json()["detail"]
    assert native(quiet, incident_id)["revision"] == resolved["revision"]

    assert patch(quiet, entity_id, {"status": "Pending"}).status_code == 204  # reopen
    assert native(quiet, incident_id)["status"] == "acknowledged"
    assert one(quiet, entity_id)["status"] == "Accepted"


def test_each_update_goes_out_as_a_live_event(quiet: httpx.Client) -> None:
    entity_id = new_complaint(quiet)
    incident_id = entity_id.rsplit(":", 1)[-1]
    since = native(quiet, incident_id)["revision"]
    body = {"status": prop("Accepted"), "assignee": prop("Đội CSGT")}  # both at once
    assert patch(quiet, entity_id, body).status_code == 204
    seen: list[dict[str, Any]] = []
    with connect_sse(quiet, "GET", "/api/v1/events", params={"since": since}) as source:
        for event in source.iter_sse():
            if event.event == "incident.updated":
                data = json.loads(event.data)
                seen.append(data.get("payload", data))
            if len(seen) == 2:
                break
    assert [(s["status"], s["assignee"]) for s in seen] == [
        ("acknowledged", None),
        ("assigned", "Đội CSGT"),
    ]
    assert one(quiet, entity_id)["status"] == "In progress"


def test_a_retry_with_the_same_idempotency_key_changes_nothing(quiet: httpx.Client) -> None:
    entity_id = new_complaint(quiet)
    incident_id = entity_id.rsplit(":", 1)[-1]
    key = str(uuid.uuid4())
    first = patch(quiet, entity_id, {"status": "Accepted"}, key)
    after_first = native(quiet, incident_id)
    again = patch(quiet, entity_id, {"status": "Accepted"}, key)
    assert first.status_code == again.status_code == 204
    assert again.headers["Idempotent-Replayed"] == "true"
    assert native(quiet, incident_id)["revision"] == after_first["revision"]
    other = patch(quiet, entity_id, {"status": "Solved"}, key)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    assert native(quiet, incident_id)["status"] == "acknowledged"


@pytest.mark.parametrize(
    "entity_id",
    [
        "urn:ngsi-ld:Alert:INC-99999",
        "urn:ngsi-ld:Complaint:",
        "urn:ngsi-ld:Streetlight:INC-00001",
        "urn:ngsi-ld:KeyPerformanceIndicator:on-time",
        "INC-00001",
        "urn:ngsi-ld:Alert:" + "9" * 3000,
    ],
)
def test_an_unknown_entity_is_not_found(quiet: httpx.Client, entity_id: str) -> None:
    response = patch(quiet, entity_id, {"status": "Accepted"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["type"].endswith("/ResourceNotFound")


def test_an_entity_of_the_other_type_is_not_found(quiet: httpx.Client) -> None:
    complaint = new_complaint(quiet)
    as_alert = complaint.replace(":Complaint:", ":Alert:")
    assert patch(quiet, as_alert, {"status": "Accepted"}).status_code == 404
    assert quiet.get(f"{NGSI}/entities/{as_alert}").status_code == 404
    assert one(quiet, complaint)["status"] == "Pending"


HOSTILE = {
    "a list": [{"status": "Accepted"}],
    "a number": 42,
    "a bare string": "Accepted",
    "null": None,
    "not json": b"{not json",
    "not utf-8": b"\xff\xfe\x00garbage",
    "nothing to change": {},
    "unknown status word": {"status": "Done"},
    "huge status": {"status": prop("Accepted" * 7_000)},
    "nested garbage": {"status": prop({"a": [1, {"b": [None, {"c": "Solved"}]}]})},
    "a relationship": {"status": {"type": "Relationship", "object": "urn:ngsi-ld:Person:1"}},
    "a property without value": {"status": {"type": "Property"}},
    "delete the status": {"status": prop("urn:ngsi-ld:null")},
    "a numeric status": {"status": 3},
    "in progress without assignee": {"status": "In progress"},
    "empty assignee": {"assignee": "  "},
    "huge assignee": {"assignee": "Đội " * 100},
    "control characters": {"assignee": "Đội\x00CSGT"},
    "a read-only attribute": {"description": "changed"},
    "a valid and an invalid attribute": {"status": "Accepted", "dateModified": "2000-01-01"},
    "over 64 KiB": {"status": "Accepted", "x" * 100_000: 1},
    "deeply nested": b"[" * 30_000 + b"]" * 30_000,
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_bad_body_is_refused_and_changes_nothing(quiet: httpx.Client, body: Any) -> None:
    entity_id = new_complaint(quiet)
    before = native(quiet, entity_id.rsplit(":", 1)[-1])
    response = patch(quiet, entity_id, body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["type"].endswith("/BadRequestData")
    assert 0 < len(problem["title"]) < 100  # plain words, never the body echoed back
    assert len(response.content) < 1000
    assert native(quiet, before["id"]) == before
    assert one(quiet, entity_id)["status"] == "Pending"


def test_pending_only_reopens_a_solved_incident(quiet: httpx.Client) -> None:
    entity_id = new_complaint(quiet)
    refused = patch(quiet, entity_id, {"status": "Pending"})
    assert refused.status_code == 409 and "solved" in refused.json()["title"]
    assert one(quiet, entity_id)["status"] == "Pending"


def test_a_viewer_cannot_change_an_incident_through_the_broker() -> None:
    access = Access(tokens={VIEWER: "viewer", OPERATOR: "operator"})
    with DemoServer(seed=29, incident_interval_s=3600, access=access) as server:
        auth = {role: {"Authorization": f"Bearer {role}"} for role in (VIEWER, OPERATOR)}
        with httpx.Client(base_url=server.url, headers=auth[OPERATOR], timeout=10) as operator:
            entity_id = new_complaint(operator)
            url = f"{NGSI}/entities/{entity_id}/attrs"
            body = {"status": "Accepted"}
            assert httpx.patch(f"{server.url}{url}", json=body).status_code == 401
            as_viewer = httpx.patch(f"{server.url}{url}", json=body, headers=auth[VIEWER])
            assert as_viewer.status_code == 403
            assert one(operator, entity_id)["status"] == "Pending"
            assert operator.patch(url, json=body).status_code == 204
            assert one(operator, entity_id)["status"] == "Accepted"


# -- Open311: polling with updated_after ---------------------------------------------


def requests(client: httpx.Client, fmt: str = "json", **params: Any) -> httpx.Response:
    response = client.get(f"/open311/v2/requests.{fmt}", params=params)
    assert response.status_code == 200, response.text
    return response


def test_updated_after_returns_only_changed_requests_oldest_change_first(
    quiet: httpx.Client,
) -> None:
    everything = requests(quiet, page_size=1000).json()
    created = [when(r["requested_datetime"]) for r in everything]
    assert created == sorted(created, reverse=True)  # without a cursor: newest first
    natives = {i["id"]: i for i in quiet.get("/api/v1/incidents").json()["items"]}
    for record in everything:  # exact: usable as a cursor
        updated_at = natives[record["service_request_id"]]["updated_at"]
        assert when(record["updated_datetime"]) == when(updated_at)

    by_change = sorted(
        everything, key=lambda r: (when(r["updated_datetime"]), r["service_request_id"])
    )
    cursor = by_change[len(by_change) // 2]["updated_datetime"]
    changed = requests(quiet, updated_after=cursor, page_size=1000).json()
    assert [r["service_request_id"] for r in changed] == [
        r["service_request_id"] for r in by_change if when(r["updated_datetime"]) > when(cursor)
    ]
    assert changed and len(changed) < len(everything)
    before = requests(quiet, updated_before=cursor, page_size=1000).json()
    assert all(when(r["updated_datetime"]) < when(cursor) for r in before)
    assert len(before) + len(changed) + 1 == len(everything)
    xml = requests(quiet, "xml", updated_after=cursor, page_size=1000).text
    assert xml.count("<request>") == len(changed)

    # A change to an old request: the next poll from the newest cursor brings exactly it.
    newest = changed[-1]["updated_datetime"]
    oldest = by_change[0]["service_request_id"]
    entity_id = entity_of(natives[oldest])
    assert patch(quiet, entity_id, nudge(one(quiet, entity_id)["status"])).status_code == 204
    (moved,) = requests(quiet, updated_after=newest).json()
    assert moved["service_request_id"] == oldest
    assert when(moved["updated_datetime"]) > when(newest)


def test_paging_updated_after_sees_every_request_exactly_once(quiet: httpx.Client) -> None:
    everything = requests(quiet, page_size=1000).json()
    by_change = sorted(
        everything, key=lambda r: (when(r["updated_datetime"]), r["service_request_id"])
    )
    cursor = by_change[0]["updated_datetime"]
    expected = [r["service_request_id"] for r in by_change[1:]]
    paged: list[str] = []
    for page in range(1, len(expected) // 4 + 3):
        paged += [
            r["service_request_id"]
            for r in requests(quiet, updated_after=cursor, page=page, page_size=4).json()
        ]
    assert paged == expected
    followed: list[str] = []
    while batch := requests(quiet, updated_after=cursor, page_size=5).json():
        followed += [r["service_request_id"] for r in batch]
        cursor = batch[-1]["updated_datetime"]
    assert followed == expected
