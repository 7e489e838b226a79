"""Hypothesis-made malformed payloads for every parser of backend data.

Random JSON and XML structures, wrong types in otherwise good records, truncated
documents: no parser may raise anything but its own documented error, and every record
it drops must leave a log line that says why.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape

from httpx_sse import ServerSentEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain.records import EventType, Incident
from console.sources.ioc.api import BackendError, parse_items
from console.sources.ioc.events import parse_event
from console.sources.open311.client import Open311Error, parse_document, parse_incidents
from tests.test_stores import incident

FUZZ = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
GOOD_INCIDENT = incident(1).model_dump(mode="json")
GOOD_REQUEST: dict[str, Any] = {
    "service_request_id": "638344",
    "status": "open",
    "status_notes": None,
    "service_name": "Sidewalk",
    "service_code": "006",
    "agency_responsible": None,
    "requested_datetime": "2010-04-14T06:37:38-08:00",
    "updated_datetime": "2010-04-14T06:37:38-08:00",
    "lat": 37.76,
    "long": -122.46,
}


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def captured(name: str) -> Iterator[Captured]:
    handler, logger = Captured(), logging.getLogger(name)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def broken(good: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A good record with some fields given wrong values, or removed."""
    changes = st.dictionaries(st.sampled_from(sorted(good)), JSON | st.just(...), max_size=3)
    return changes.map(
        lambda c: {k: c.get(k, v) for k, v in good.items() if c.get(k, v) is not ...}
    )


def xml_of(value: Any, tag: str = "service_requests") -> str:
    if isinstance(value, dict):
        inner = "".join(xml_of(v, _tag(k)) for k, v in value.items())
    elif isinstance(value, list):
        inner = "".join(xml_of(v, "request") for v in value)
    else:
        inner = "" if value is None else escape(str(value))
    return f"<{tag}>{inner}</{tag}>"


def _tag(key: str) -> str:
    cleaned = "".join(ch for ch in key if ch.isalnum() or ch == "_")
    return cleaned if cleaned[:1].isalpha() else f"x{cleaned}"


def check_open311(text: str) -> None:
    with captured("console.sources.open311.client") as log:
        try:
            records = parse_document(text)
        except Open311Error as error:
            assert str(error)  # a reason in words
            return
        incidents = parse_incidents(text)
    assert all(isinstance(item, Incident) for item in incidents)
    dropped = len(records) - len(incidents)
    assert len(log.messages) == dropped
    assert all(message.startswith("skipped Open311") for message in log.messages)


@FUZZ
@given(st.lists(broken(GOOD_REQUEST) | JSON, max_size=6), st.data())
def test_open311_json_documents_never_crash(records: list[Any], data: st.DataObject) -> None:
    text = json.dumps(records, allow_nan=True)
    check_open311(text)
    check_open311(text[: data.draw(st.integers(0, len(text)))])  # truncated


@FUZZ
@given(st.lists(broken(GOOD_REQUEST) | JSON, max_size=6), st.data())
def test_open311_xml_documents_never_crash(records: list[Any], data: st.DataObject) -> None:
    text = '<?xml version="1.0" encoding="utf-8"?>' + xml_of(records)
    check_open311(text)
    check_open311(text[: data.draw(st.integers(0, len(text)))])


@FUZZ
@given(st.text(max_size=200))
def test_open311_arbitrary_text_never_crashes(text: str) -> None:
    check_open311(text)


def test_open311_entity_bombs_and_deep_nesting_are_refused() -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><services>&a;</services>'
    deep = "[" * 100_000 + "]" * 100_000
    for text in (bomb, deep):
        check_open311(text)


@FUZZ
@given(st.lists(broken(GOOD_INCIDENT) | JSON, max_size=6))
def test_native_api_items_never_crash_and_each_drop_is_logged(items: list[Any]) -> None:
    with captured("console.sources.ioc.api") as log:
        try:
            parsed = parse_items(Incident, items, "incident")
        except BackendError as error:  # every record bad: the answer itself is refused
            assert "malformed" in str(error) and len(log.messages) == len(items)
            return
    assert len(parsed) + len(log.messages) == len(items)
    assert all(message.startswith("skipped incident") for message in log.messages)


EVENT_TYPES = st.sampled_from([t.value for t in EventType]) | st.text(max_size=12)


@FUZZ
@given(EVENT_TYPES, broken(GOOD_INCIDENT) | JSON, st.text(max_size=12), st.data())
def test_sse_events_never_crash_and_each_drop_is_logged(
    kind: str, payload: Any, event_id: str, data: st.DataObject
) -> None:
    text = json.dumps(payload, allow_nan=True)
    text = text[: data.draw(st.integers(0, len(text)))] if data.draw(st.booleans()) else text
    with captured("console.sources.ioc.events") as log:
        event = parse_event(ServerSentEvent(event=kind, data=text, id=event_id))
    if event is None:
        assert len(log.messages) == 1 and (
            "skipped" in log.messages[0] or "ignored" in log.messages[0]
        )
    else:
        assert event.type.value == kind and not log.messages


def test_sse_deeply_nested_data_is_dropped_not_raised() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with captured("console.sources.ioc.events") as log:
        assert parse_event(ServerSentEvent(event="incident.created", data=deep, id="5")) is None
    assert log.messages
