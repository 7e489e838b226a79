"""Unit tests of the REST adapter and the SSE parser (mock transport: one adapter only)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent

from console.domain.records import EventType, Incident
from console.sources.ioc.api import BackendError, IocApi
from console.sources.ioc.events import parse_event
from tests.test_stores import incident


def api_answering(handler: Any) -> IocApi:
    client = httpx.AsyncClient(base_url="http://ioc.test", transport=httpx.MockTransport(handler))
    return IocApi("http://ioc.test", client)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_bad_records_are_skipped_with_a_reason(caplog: pytest.LogCaptureFixture) -> None:
    good = incident(1).model_dump(mode="json")
    bad = {**good, "id": "inc-bad", "priority": "apocalyptic"}
    api = api_answering(lambda request: httpx.Response(200, json={"items": [good, bad, 42]}))
    with caplog.at_level(logging.WARNING):
        result = run(api.incidents())
    assert [item.id for item in result] == ["inc-1"]
    assert "skipped incident inc-bad" in caplog.text


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (httpx.Response(500, text="boom"), "answered 500"),
        (httpx.Response(200, text="<html>not json"), "not JSON"),
        (httpx.Response(200, json={"no": "items"}), "no list of items"),
    ],
)
def test_backend_faults_become_plain_errors(response: httpx.Response, reason: str) -> None:
    api = api_answering(lambda request: response)
    with pytest.raises(BackendError, match=reason):
        run(api.cameras())


def test_unreachable_backend_is_a_plain_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(BackendError, match="cannot reach the backend"):
        run(api_answering(refuse).kpis())


def test_actions_carry_an_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=incident(1, status="acknowledged").model_dump(mode="json"))

    from console.domain.records import ActionKind, IncidentAction

    result = run(
        api_answering(answer).act("inc-1", IncidentAction(action=ActionKind.ACKNOWLEDGE), "k1")
    )
    assert isinstance(result, Incident)
    assert seen[0].headers["Idempotency-Key"] == "k1"
    assert json.loads(seen[0].content)["action"] == "acknowledge"


def test_sse_messages_parse_to_events_and_garbage_is_dropped() -> None:
    data = json.dumps(incident(4).model_dump(mode="json"))
    event = parse_event(ServerSentEvent(event="incident.created", data=data, id="4"))
    assert event is not None and event.type == EventType.INCIDENT_CREATED and event.id == 4
    assert parse_event(ServerSentEvent(event="incident.created", data="{", id="5")) is None
    assert parse_event(ServerSentEvent(event="weather", data="{}", id="6")) is None
    sample = parse_event(
        ServerSentEvent(
            event="kpi.sample",
            data='{"kpi_id":"k","t":"2026-11-23T08:00:00Z","value":97.1}',
            id="7",
        )
    )
    assert sample is not None and sample.payload.value == 97.1  # type: ignore[union-attr]


def test_an_answer_of_only_malformed_records_is_a_fault_not_an_empty_list() -> None:
    """Else a catch-up would replace the wall's cameras with nothing."""
    broken = [{"id": "cam-1", "name": 5}, {"id": "cam-2"}]
    api = api_answering(lambda request: httpx.Response(200, json={"items": broken}))
    with pytest.raises(BackendError, match="every camera record the backend sent was malformed"):
        run(api.cameras())
    empty = api_answering(lambda request: httpx.Response(200, json={"items": []}))
    assert run(empty.cameras()) == []


def test_a_huge_answer_is_refused_before_it_is_parsed() -> None:
    huge = b'{"items": [' + b" " * 25_000_000 + b"]}"
    api = api_answering(lambda request: httpx.Response(200, content=huge))
    with pytest.raises(BackendError, match="too large"):
        run(api.cameras())
