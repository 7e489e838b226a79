"""Synchronised review on a real wall: an incident's nearest cameras play its past together."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from console.demo.server import DemoServer
from console.domain.records import IncidentStatus
from ioc_console.sites import demo_site
from tests.conftest import FIXTURES, needs_display
from tests.test_wall_integration import run_console, wait_for

pytestmark = needs_display()


@pytest.fixture
def steady_demo() -> Iterator[tuple[str, datetime]]:
    """A demo of its own with every camera pinned online, and when they were: a camera the
    simulation brought back just before an incident has no recording of its last seconds,
    and its tile would start later than the other's."""
    with DemoServer(seed=9, incident_interval_s=2.0) as demo:
        with httpx.Client(base_url=demo.url, timeout=20) as http:
            answer = http.get("/api/v1/cameras").json()
            for camera in answer["items"] if isinstance(answer, dict) else answer:
                pinned = http.post(
                    f"/api/v1/demo/cameras/{camera['id']}/status", json={"status": "online"}
                )
                assert pinned.status_code == 200
        yield demo.url, datetime.now(UTC)


def test_an_incidents_cameras_play_its_past_in_step(
    qapp: Any, steady_demo: tuple[str, datetime]
) -> None:
    demo_url, recording_since = steady_demo

    async def scenario(console: Any) -> None:
        panels = console.panels()
        queue = next(p for p in panels if p.KIND == "incidents")
        tiles = [p for p in panels if p.KIND == "camera"]
        store = console.context.incidents

        def fresh() -> Any:  # raised when every camera had recorded its 10 s before, placed
            return next(
                (
                    i
                    for i in store.incidents()
                    if i.created_at > recording_since + timedelta(seconds=11)
                    and i.status is not IncidentStatus.RESOLVED
                    and (i.lat, i.lon) != (0.0, 0.0)
                ),
                None,
            )

        await wait_for(
            lambda: fresh() is not None and all(t.state == "live" for t in tiles),
            lambda: [t.state for t in tiles],
            timeout=60,
        )
        incident = fresh()
        assert queue.select(incident.id)
        queue.review_selected()
        await wait_for(
            lambda: all(t.playback.active for t in tiles),
            lambda: [t.playback.active for t in tiles],
        )
        group = console.links.review
        assert group is not None and len(group.members) == 2
        for tile in tiles:
            anchor = tile.playback.position.anchor
            assert abs(anchor - (incident.created_at - timedelta(seconds=10))) < timedelta(
                seconds=12
            )
        await wait_for(
            lambda: all(t.frames_decoded() > 3 for t in tiles),
            lambda: [t.frames_decoded() for t in tiles],
        )
        await wait_for(
            lambda: all(t.playback.position.anchor_clock for t in tiles), lambda: "first frames"
        )
        assert group.drift() < timedelta(seconds=1)

        first, second = tiles[0].playback, tiles[1].playback
        first.timeline.speedChosen.emit(2.0)  # the operator picks ×2 on one tile
        assert second.position.speed == 2.0
        first.timeline.pauseToggled.emit()
        assert first.position.paused and second.position.paused
        first.timeline.stepRequested.emit(-10.0)
        assert abs(second.position.anchor - first.position.anchor) < timedelta(seconds=1)
        first.timeline.liveRequested.emit()
        assert not first.active and not second.active

    run_console(qapp, demo_site(demo_url), scenario, FIXTURES / "review-wall.yaml")
