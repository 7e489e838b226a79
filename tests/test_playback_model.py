"""The playback model (console/video/playback.py) and the recordings call, without a screen."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.sources.ioc.api import BackendError, IocApi
from console.video.playback import (
    EDGE,
    PlaybackPosition,
    Recording,
    clamp,
    clip_url,
    parse_recording,
    playback_url,
)

T0 = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=1)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def recording(*spans: tuple[float, float], retention_s: float = 7200) -> Recording:
    body = {
        "camera": "cam-1",
        "retention_s": retention_s,
        "spans": [{"start": at(a).isoformat(), "end": at(b).isoformat()} for a, b in spans],
        "disk_bytes": 5,
    }
    return parse_recording(body, "test")


RING = recording((0, 20), (30, 60))  # a 10-minute gap from 10:20 to 10:30


def test_spans_are_sorted_and_merged_and_gaps_are_between_them() -> None:
    rec = recording((30, 40), (0, 10), (5, 20), (40, 50))
    assert [(s.start, s.end) for s in rec.spans] == [(at(0), at(20)), (at(30), at(50))]
    assert rec.gaps() == [(at(20), at(30))]


def test_seek_into_a_gap_jumps_to_the_next_span() -> None:
    assert clamp(RING, at(25), NOW) == at(30)
    assert clamp(RING, at(10), NOW) == at(10)


def test_seek_clamps_to_the_ring_edge_and_before_the_end() -> None:
    assert clamp(RING, at(-30), NOW) == at(0)
    ring = recording((0, 60), retention_s=1800)  # 30 min kept: the first half is gone
    assert clamp(ring, at(5), NOW) == NOW - timedelta(minutes=30)
    assert clamp(RING, NOW + timedelta(hours=1), NOW) == at(60) - EDGE
    assert clamp(recording(), at(5), NOW) is None


def test_instant_replay_is_thirty_seconds_ago() -> None:
    position = PlaybackPosition.replay(RING, NOW)
    assert position is not None and position.anchor == NOW - timedelta(seconds=30)
    assert PlaybackPosition.replay(recording(), NOW) is None


def test_time_moves_from_the_first_frame_at_speed_and_skips_gaps() -> None:
    position = PlaybackPosition(RING, at(19), speed=2.0)
    assert position.at(100.0) == at(19)  # no frame yet: the picture has not moved
    position.started(100.0)
    assert position.at(115.0) == at(19.5)
    assert position.at(100.0 + 60) == at(31)  # 2 min of video: 1 before the gap, 1 after
    position.pause(100.0 + 60)
    assert position.at(500.0) == at(31)


def test_steps_cross_gaps_both_ways() -> None:
    position = PlaybackPosition(RING, at(19) + timedelta(seconds=55))
    assert position.step(10, 0.0, NOW) == at(30) + timedelta(seconds=5)
    assert position.step(-10, 0.0, NOW) == at(20) - EDGE  # back over the gap: its end
    assert position.step(-10, 0.0, NOW) == at(20) - EDGE - timedelta(seconds=10)


def test_speeds_and_urls() -> None:
    position = PlaybackPosition(RING, at(10))
    position.set_speed(0.5, 0.0)
    with pytest.raises(ValueError):
        position.set_speed(3.0, 0.0)
    url = position.url("http://h:8/", "a/b", "sub")
    parts = urlsplit(url)
    assert parts.path == "/api/v1/cameras/a%2Fb/playback.mjpeg"
    assert parse_qs(parts.query) == {
        "start": ["2025-05-01T10:10:00Z"],
        "speed": ["0.5"],
        "profile": ["sub"],
    }
    assert "speed=8&" in playback_url("http://h", "c", at(0), 8.0)
    assert "/api/v1/cameras/c/clip.mkv?start=" in clip_url("http://h", "c", at(0), at(1))
    for bad in ("", ".", ".."):
        with pytest.raises(ValueError):
            playback_url("http://h", bad, at(0), 1.0)


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "spans",
        {"camera": "c", "retention_s": 1, "spans": "x"},
        {"camera": "c", "retention_s": -1, "spans": []},
        {"camera": "..", "retention_s": 1, "spans": []},
        {"camera": "c", "retention_s": 1, "spans": [{"start": "2025-01-01T00:01Z", "end": "2025"}]},
        {"camera": "c", "retention_s": 1, "spans": [{"start": "9999-01-01T00:00Z", "end": "x"}]},
        {
            "camera": "c",
            "retention_s": 1,
            "spans": [{"start": "2025-01-01T00:02:00Z", "end": "2025-01-01T00:01:00Z"}],
        },
    ],
)
def test_garbage_is_a_clear_error(body: object) -> None:
    with pytest.raises(ValueError, match=r"^test"):
        parse_recording(body, "test")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
SPAN = st.fixed_dictionaries({"start": JSON | st.datetimes().map(str), "end": JSON})


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {"camera": JSON | st.text(max_size=5), "retention_s": JSON, "spans": st.lists(SPAN)}
    )
    | JSON
)
def test_hostile_json_never_crashes(body: object) -> None:
    try:
        rec = parse_recording(body, "hostile")
    except ValueError as error:
        assert str(error).startswith("hostile")
        return
    assert all(a.end < b.start for a, b in zip(rec.spans, rec.spans[1:], strict=False))


def answer(body: bytes, status: int = 200) -> IocApi:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.raw_path.split(b"?")[0] == b"/api/v1/cameras/cam%2F1/recordings"
        assert set(request.url.params) == {"start", "end"}
        return httpx.Response(status, content=body)

    client = httpx.AsyncClient(base_url="http://backend", transport=httpx.MockTransport(handler))
    return IocApi("http://backend", client)


def test_the_api_returns_validated_recordings() -> None:
    body = {
        "camera": "cam/1",
        "retention_s": 7200,
        "spans": [{"start": at(0).isoformat(), "end": at(5).isoformat()}],
        "disk_bytes": 123,
    }
    rec = asyncio.run(answer(json.dumps(body).encode()).recordings("cam/1", at(-60), at(60)))
    assert rec.retention_s == 7200 and rec.spans[0].end == at(5) and rec.disk_bytes == 123


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"not json", 200, "not JSON"),
        (b'{"camera": "c", "spans": 5}', 200, "recordings of cam/1"),
        (b"", 404, "answered 404"),
    ],
)
def test_the_api_says_what_is_wrong(body: bytes, status: int, words: str) -> None:
    with pytest.raises(BackendError, match=words):
        asyncio.run(answer(body, status).recordings("cam/1", at(-60), at(60)))
