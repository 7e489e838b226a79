"""The data path never dies silently: any exception from any source is reported and retried.

The hostile-input test found a RecursionError and an OverflowError that were not
`BackendError`s: the sync task died, the status bar said "Connecting…" forever and the
log said nothing. Here each source raises an exception type nobody planned for, a few
times, against the real demo backend; the link must say why, log it once with its
traceback, and go live again by itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from console.domain.records import Incident
from console.sources.ioc.api import BackendError, decode_json, parse_items
from console.sources.ioc.live import LinkState, LiveSync
from console.sources.sink import apply_each
from tests.test_live_sync import make_sync, run_until
from tests.test_stores import incident

FAILURES = 2


def failing(original: Callable[..., Any], error: BaseException) -> Callable[..., Any]:
    """`original`, raising `error` the first FAILURES times it is called."""
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] <= FAILURES:
            raise error
        return original(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize(
    "source", ["me", "cameras", "incident_pages", "kpis", "kpi_series", "layers", "events"]
)
def test_an_unexpected_exception_in_any_source_is_reported_and_the_link_recovers(
    loop: asyncio.AbstractEventLoop,
    demo_url: str,
    source: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sync = make_sync(demo_url)
    error = ZeroDivisionError(f"injected into {source}")
    if source == "events":
        sync.stream.events = failing(sync.stream.events, error)  # type: ignore[method-assign]
    else:
        setattr(sync.api, source, failing(getattr(sync.api, source), error))
    details: list[str] = []
    sync.stateChanged.connect(lambda _state, detail: details.append(detail))
    with caplog.at_level(logging.INFO, logger="console.sources.ioc.live"):
        run_until(
            loop, sync, lambda: sync.state == LinkState.LIVE and sync.sink.stores.cameras.cameras()
        )
    said = [d for d in details if "ZeroDivisionError" in d and f"into {source}" in d]
    assert said, details  # the status bar says what went wrong
    logged = [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR and f"injected into {source}" in r.getMessage()
    ]
    assert len(logged) == 1 and logged[0].exc_info is not None  # once, with its traceback
    assert sync.sink.stores.incidents.rowCount() > 0
    loop.run_until_complete(sync.api.aclose())


def test_a_store_that_refuses_one_record_loses_only_that_record(demo_url: str) -> None:
    sync: LiveSync = make_sync(demo_url)
    upsert = sync.sink.stores.incidents.upsert

    def picky(batch: list[Incident], live: bool = False) -> None:
        if any(i.id == "inc-2" for i in batch):
            raise OverflowError("injected: this record breaks the store")
        upsert(batch, live)

    sync.sink.stores.incidents.upsert = picky  # type: ignore[method-assign]
    apply_each(
        lambda batch: sync.sink.stores.incidents.upsert(batch, live=True),
        [incident(n) for n in (1, 2, 3)],
    )
    assert {i.id for i in sync.sink.stores.incidents.incidents()} == {"inc-1", "inc-3"}


@pytest.mark.parametrize(
    "change",
    [
        {"revision": 2**63},
        {"revision": -1},
        {"created_at": "9999-12-31T23:59:59Z"},
        {"updated_at": "0001-01-01T00:00:00+14:00"},
    ],
    ids=["revision-2**63", "negative-revision", "year-9999", "year-1-plus-14"],
)
def test_a_record_the_wall_could_not_show_is_skipped_at_the_boundary(
    change: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    good = incident(1).model_dump(mode="json")
    bad = {**incident(2).model_dump(mode="json"), **change}
    parsed = parse_items(Incident, [good, bad], "incident")
    assert [i.id for i in parsed] == ["inc-1"]
    assert "skipped incident inc-2" in caplog.text


def test_json_nested_beyond_reason_is_a_backend_error_not_a_recursion_error() -> None:
    with pytest.raises(BackendError, match="nested too deeply"):
        decode_json(b"[" * 100_000 + b"]" * 100_000, "/api/v1/incidents")
    with pytest.raises(BackendError, match="not JSON"):
        decode_json(b"\xff\xfe{", "/api/v1/incidents")


def test_an_unexpected_exception_in_a_map_layer_source_keeps_the_layer_and_recovers(
    qapp: object, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from console.layout.panel_kinds import LayerSource
    from console.sources import layers
    from console.stores import LayerStore

    point = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": [106.9, 11.5]},
    }
    answers: list[Any] = [{"type": "FeatureCollection", "features": [point]}, KeyError("injected")]

    async def fetch(*_args: Any) -> Any:
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    monkeypatch.setattr(layers, "fetch", fetch)
    store = LayerStore()
    sources = layers.LayerSources(store)
    sources.configure([LayerSource(id="lights", kind="ogc", url="http://x", collection="c")])

    async def refresh_twice() -> None:
        async with httpx.AsyncClient() as client:
            await sources.refresh_due(client)
            for state in sources._states.values():
                state.due = 0.0  # as if refresh_min had passed
            await sources.refresh_due(client)  # raises inside: must not escape

    asyncio.run(refresh_twice())
    assert len(store.features("lights")["features"]) == 1  # type: ignore[index]
    assert "KeyError: 'injected'" in caplog.text
    (info,) = [i for i in store.infos() if i.id == "lights"]
    assert "not updated since" in info.name
