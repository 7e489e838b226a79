"""Hypothesis: the NGSI-LD parsers (KPIs, their history, map points, Alerts and
Complaints) on broken entities: no uncaught exception, every entity left out is logged
with its reason, and whatever is returned is usable."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from console.domain.records import Incident, KpiSample
from console.sources.ioc.api import BackendError
from console.sources.ngsi.incidents import to_incidents
from console.sources.ngsi.kpis import NgsiKpi, parse_kpis, parse_temporal
from console.sources.ngsi.points import point_collection
from tests.conftest import FIXTURES
from tests.test_fuzz_parsers import FUZZ, JSON, broken, captured

MODELS = FIXTURES / "smart-data-models"


def _fixture(kind: str, name: str = "example-normalized.json") -> dict[str, Any]:
    body = json.loads((MODELS / kind / name).read_text(encoding="utf-8"))
    return body[0] if isinstance(body, list) else body  # type: ignore[no-any-return]


KPI = _fixture("KeyPerformanceIndicator")
LIGHT = _fixture("Streetlight")
ALERT = _fixture("Alert")
COMPLAINT = _fixture("Complaint", "example.json")


def entity_lists(*goods: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.one_of(*(broken(good) for good in goods)) | JSON, max_size=5)


@FUZZ
@given(entity_lists(KPI))
def test_kpi_entities_never_crash_and_each_drop_is_logged(entities: list[Any]) -> None:
    with captured("console.sources.ngsi.kpis") as log:
        kpis = parse_kpis(entities)
    assert all(isinstance(kpi, NgsiKpi) and kpi.name for kpi in kpis)
    skipped = [m for m in log.messages if m.startswith("skipped NGSI-LD entity")]
    assert len(kpis) + len(skipped) == len(entities)


@FUZZ
@given(entity_lists(LIGHT))
def test_point_entities_never_crash_and_each_drop_is_logged(entities: list[Any]) -> None:
    with captured("console.sources.ngsi.points") as log:
        features = point_collection(entities, "Streetlight")["features"]
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    skipped = [m for m in log.messages if m.startswith("skipped NGSI-LD Streetlight")]
    assert len(features) + len(skipped) == len(entities)


@FUZZ
@given(entity_lists(ALERT, COMPLAINT))
def test_alerts_and_complaints_never_crash_and_each_drop_is_logged(entities: list[Any]) -> None:
    with captured("console.sources.ngsi.incidents") as log:
        incidents = to_incidents(entities)
    assert all(isinstance(incident, Incident) for incident in incidents)
    skipped = [m for m in log.messages if m.startswith("skipped NGSI-LD incident")]
    assert len(incidents) + len(skipped) == len(entities)


@FUZZ
@given(JSON)
def test_temporal_answers_never_crash(body: Any) -> None:
    try:
        samples = parse_temporal(body)
    except BackendError as error:
        assert str(error)  # a reason in words
        return
    assert all(isinstance(sample, KpiSample) for sample in samples)


def test_non_lists_are_refused_in_words() -> None:
    for parse in (parse_kpis, lambda e: point_collection(e, "Streetlight")):
        try:
            parse({"error": "nope"})
        except BackendError as error:
            assert "not a list of entities" in str(error)
        else:
            raise AssertionError("a non-list answer was accepted")
