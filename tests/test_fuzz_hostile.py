"""Hypothesis over the fault classes the hostile-input test found, at each boundary.

Deep nesting, integers beyond int64, times no clock can show, control characters in
credentials, stream lines that never end: each either passes cleanly or is refused with
the source's own error in words; nothing else may escape, and nothing refused reaches
a store or a clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain import formatting
from console.domain.records import Incident
from console.sources.auth import CredentialsError, clean_credential
from console.sources.ioc.api import BackendError, decode_json, parse_items
from console.sources.ioc.events import MAX_LINE, capped_sse
from console.stores.incident_columns import IncidentColumns
from tests.test_stores import incident

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
GOOD = incident(1).model_dump(mode="json")


@FUZZ
@given(depth=st.integers(1, 200_000), opener=st.sampled_from(["[", '{"a":']))
def test_any_nesting_depth_is_read_or_refused_in_words(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    text = opener * depth + "0" * (opener != "[") + closer * depth
    try:
        decode_json(text, "/api/v1/incidents")
    except BackendError as error:
        assert "nested too deeply" in str(error)


@FUZZ
@given(revision=st.integers(-(2**80), 2**80))
def test_any_revision_is_stored_or_refused_at_the_boundary(revision: int) -> None:
    try:
        parsed = parse_items(Incident, [{**GOOD, "revision": revision}], "incident")
    except BackendError:
        assert not 0 <= revision < 2**63
        return
    IncidentColumns().upsert(parsed)  # what passed the boundary fits the int64 columns


OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@FUZZ
@given(when=st.datetimes(timezones=OFFSETS | st.none()))
def test_any_time_is_shown_or_refused_at_the_boundary(when: datetime) -> None:
    try:
        (parsed,) = parse_items(Incident, [{**GOOD, "created_at": when.isoformat()}], "incident")
    except BackendError:
        return
    # what passed can be shown in province time and stored, every repaint
    formatting.clock_seconds(parsed.created_at)
    formatting.date_time(parsed.created_at)
    IncidentColumns().upsert([parsed])
    assert datetime(1970, 1, 1, tzinfo=UTC) <= parsed.created_at.astimezone(UTC)


@FUZZ
@given(token=st.text(max_size=40))
def test_any_token_is_cleaned_or_refused_without_showing_it(token: str) -> None:
    try:
        cleaned = clean_credential(token, "the token from IOC_CONSOLE_TOKEN")
    except CredentialsError as error:
        assert token.strip() not in str(error) or len(token.strip()) < 2
        return
    assert cleaned is None or (cleaned == token.strip() and cleaned.isascii())
    assert cleaned is None or all(" " < char < "\x7f" for char in cleaned)


def events_of(chunks: list[bytes]) -> list[str]:
    """Feed `chunks` as an SSE body through `capped_sse`; the data of each event."""

    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def read() -> list[str]:
        transport = httpx.MockTransport(
            lambda _request: httpx.Response(
                200, headers={"content-type": "text/event-stream"}, content=body()
            )
        )
        async with (
            httpx.AsyncClient(transport=transport) as client,
            client.stream("GET", "http://x/events") as response,
        ):
            return [sse.data async for sse in capped_sse(response)]

    return asyncio.run(read())


@FUZZ
@given(
    sizes=st.lists(st.integers(1, 300_000), min_size=1, max_size=12),
    newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_a_line_that_never_ends_is_cut_off_and_ended_lines_pass(
    sizes: list[int], newline: bytes
) -> None:
    endless = [b"x" * size for size in sizes]
    if sum(sizes) > MAX_LINE:
        with pytest.raises(BackendError, match="without a line end"):
            events_of([b"data: ", *endless])
    ended = [b"data: ", *endless[:2], newline, newline]
    shown = sum(sizes[:2]) <= MAX_LINE
    try:
        assert events_of(ended) == ["x" * sum(sizes[:2])]
    except BackendError:
        assert not shown


def test_a_stream_of_many_data_lines_is_cut_off_per_event() -> None:
    many: list[Any] = [b"data: " + b"y" * 1000 + b"\n"] * 1_200  # 1.2 MB in one event
    with pytest.raises(BackendError, match="an event over"):
        events_of(many)


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("source", ["ioc", "ngsi-ld", "ogc"])
@pytest.mark.parametrize(
    ("body", "words"),
    [(DEEP, "nested too deeply"), (b"\xff{", "not JSON"), (b"[" * 30, "not JSON")],
    ids=["deep", "bytes", "unclosed"],
)
def test_every_json_source_says_what_is_wrong_with_an_answer(
    source: str, body: bytes, words: str
) -> None:
    """One `fetch_json` for every source: the whole class of unreadable answers is a
    `BackendError` in words, never a RecursionError or ValueError that ends the sync."""
    from console.sources.ioc.api import IocApi
    from console.sources.ngsi.kpis import NgsiLdApi
    from console.sources.ogc import OgcFeaturesApi

    async def ask() -> None:
        transport = httpx.MockTransport(lambda _request: httpx.Response(200, content=body))
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
            if source == "ioc":
                await IocApi("http://x", client=client).cameras()
            elif source == "ngsi-ld":
                await NgsiLdApi("http://x", client=client).kpi_entities()
            else:
                await OgcFeaturesApi("http://x", client=client).collections()

    with pytest.raises(BackendError, match=words):
        asyncio.run(ask())
