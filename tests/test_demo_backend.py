"""The demo IOC backend, tested over real HTTP as the console sees it."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent, connect_sse

from console.demo import geo
from console.demo.kpis import aggregate
from console.demo.province import Province
from console.demo.server import DemoServer
from console.domain.records import EVENT_PAYLOADS, EventType, KpiSample

TIMEOUT = httpx.Timeout(10.0, read=5.0)


@pytest.fixture
def client(demo_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_url, timeout=TIMEOUT) as http:
        yield http


def new_incident(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/demo/incidents", json=fields)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def act(client: httpx.Client, incident_id: str, key: str | None, **body: Any) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/incidents/{incident_id}/actions", json=body, headers=headers)


def revision(client: httpx.Client) -> int:
    return int(client.get("/api/v1/demo/stats").json()["revision"])


def collect_events(
    client: httpx.Client,
    until: Callable[[list[ServerSentEvent]], bool],
    *,
    since: int | None = None,
    last_event_id: int | None = None,
    on_open: Callable[[], object] = lambda: None,
    timeout: float = 10.0,
) -> list[ServerSentEvent]:
    """Read SSE events until `until(events)` holds; fail after `timeout` seconds."""
    params = {"since": since} if since is not None else {}
    headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
    events: list[ServerSentEvent] = []
    deadline = time.monotonic() + timeout
    with connect_sse(client, "GET", "/api/v1/events", params=params, headers=headers) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        on_open()
        for event in source.iter_sse():
            events.append(event)
            if until(events):
                return events
            if time.monotonic() > deadline:
                break
    raise AssertionError(f"condition not met after {len(events)} events")


def jpeg_parts(response: httpx.Response) -> Iterator[bytes]:
    """The JPEG parts of a multipart/x-mixed-replace body, as they arrive."""
    boundary = response.headers["content-type"].split("boundary=")[1].encode()
    buffer = b""
    for chunk in response.iter_bytes():
        buffer += chunk
        while True:
            start = buffer.find(b"--" + boundary + b"\r\n")
            head_end = buffer.find(b"\r\n\r\n", start)
            if start < 0 or head_end < 0:
                break
            lines = buffer[start:head_end].decode().split("\r\n")[1:]
            headers = dict(line.split(": ", 1) for line in lines)
            body_start = head_end + 4
            body_end = body_start + int(headers["Content-Length"])
            if len(buffer) < body_end:
                break
            assert headers["Content-Type"] == "image/jpeg"
            yield buffer[body_start:body_end]
            buffer = buffer[body_end:]


def read_frames(parts: Iterator[bytes], count: int) -> list[bytes]:
    return [next(parts) for _ in range(count)]


def is_jpeg(data: bytes) -> bool:
    return data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9" and len(data) > 1000


# -- discovery ---------------------------------------------------------------


def test_openapi_documents_every_endpoint(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    expected = {
        "/api/v1/cameras": "get",
        "/api/v1/incidents": "get",
        "/api/v1/incidents/{incident_id}/actions": "post",
        "/api/v1/kpis": "get",
        "/api/v1/kpis/{kpi_id}/series": "get",
        "/api/v1/layers": "get",
        "/api/v1/layers/{layer_id}": "get",
        "/api/v1/events": "get",
        "/video/{camera_id}/{profile}.mjpg": "get",
        "/video/{camera_id}/snapshot.jpg": "get",
        "/api/v1/demo/incidents": "post",
        "/api/v1/demo/cameras/{camera_id}/status": "post",
    }
    for path, method in expected.items():
        assert method in paths.get(path, {}), f"{method.upper()} {path} missing"
        assert paths[path][method]["summary"]
    assert "demo" in paths["/api/v1/demo/incidents"]["post"]["tags"]


def test_cameras_offer_main_and_sub_mjpeg_streams(client: httpx.Client, demo_url: str) -> None:
    cameras = client.get("/api/v1/cameras").json()["items"]
    assert len(cameras) == 12
    assert cameras[0]["id"] == "CAM-01" and cameras[0]["status"] == "online"
    assert {c["district"] for c in cameras} >= {"Đồng Xoài", "Chơn Thành", "Bình Long"}
    for camera in cameras:
        main, sub = camera["streams"]["main"], camera["streams"]["sub"]
        assert (main["width"], main["height"], sub["width"], sub["height"]) == (1280, 720, 640, 360)
        assert main["codec"] == sub["codec"] == "mjpeg" and 10 <= main["fps"] <= 15
        assert main["url"] == f"{demo_url}/video/{camera['id']}/main.mjpg"
        ring = geo.polygon(geo.district(camera["district"]).id)
        assert geo.contains(ring, (camera["lon"], camera["lat"])), camera["name"]


# -- video -------------------------------------------------------------------


def test_mjpeg_stream_sends_real_jpeg_frames_in_real_time(client: httpx.Client) -> None:
    with client.stream("GET", "/video/CAM-01/sub.mjpg") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("multipart/x-mixed-replace")
        parts = jpeg_parts(response)
        first = read_frames(parts, 2)
        started = time.monotonic()
        more = read_frames(parts, 5)
        elapsed = time.monotonic() - started
    assert all(is_jpeg(frame) for frame in first + more)
    assert first[0] != first[1]  # the picture moves
    assert elapsed >= 0.3  # paced at ~10 fps, not dumped as fast as the socket allows


def test_offline_camera_answers_503_and_comes_back(client: httpx.Client) -> None:
    assert client.get("/video/CAM-99/main.mjpg").status_code == 404
    assert client.get("/video/CAM-02/huge.mjpg").status_code == 404
    # Pinned online first: the simulation may have taken CAM-02 offline on its own, and
    # going offline from offline is no change (no event).
    client.post("/api/v1/demo/cameras/CAM-02/status", json={"status": "online"})
    since = revision(client)

    def go_offline() -> None:
        response = client.post("/api/v1/demo/cameras/CAM-02/status", json={"status": "offline"})
        assert response.json()["status"] == "offline"

    offline = {"id": "CAM-02", "status": "offline"}
    collect_events(
        client,
        lambda evs: any(e.event == "camera.status" and e.json() == offline for e in evs),
        since=since,
        on_open=go_offline,
    )
    try:
        response = client.get("/video/CAM-02/main.mjpg")
        assert response.status_code == 503
        assert "offline" in response.text and response.headers["content-type"].startswith("text/")
        assert client.get("/video/CAM-02/snapshot.jpg").status_code == 503
    finally:
        client.post("/api/v1/demo/cameras/CAM-02/status", json={"status": "online"})
    snapshot = client.get("/video/CAM-02/snapshot.jpg")
    assert snapshot.status_code == 200 and snapshot.headers["content-type"] == "image/jpeg"
    assert is_jpeg(snapshot.content)


# -- incidents ---------------------------------------------------------------


def test_incidents_since_returns_only_newer_changes(client: httpx.Client) -> None:
    everything = client.get("/api/v1/incidents").json()
    assert len(everything["items"]) >= 40
    revisions = [item["revision"] for item in everything["items"]]
    assert revisions == sorted(revisions)
    for item in everything["items"]:  # every pin lies in its own district
        ring = geo.polygon(geo.district(item["district"]).id)
        assert geo.contains(ring, (item["lon"], item["lat"])), item["id"]
    created = new_incident(client, title="Kẹt xe trên Quốc lộ 14", category="traffic")
    newer = client.get("/api/v1/incidents", params={"since": everything["cursor"]}).json()
    assert created["id"] in [item["id"] for item in newer["items"]]
    assert all(item["revision"] > everything["cursor"] for item in newer["items"])
    assert newer["cursor"] >= created["revision"]
    received = client.get("/api/v1/incidents", params={"status": "received"}).json()["items"]
    assert received and all(item["status"] == "received" for item in received)
    assert client.get("/api/v1/incidents", params={"status": "lost"}).status_code == 422


def test_action_is_applied_exactly_once_per_idempotency_key(client: httpx.Client) -> None:
    incident = new_incident(client, priority="high")
    key = str(uuid.uuid4())
    first = act(client, incident["id"], key, action="acknowledge", author="Lan")
    again = act(client, incident["id"], key, action="acknowledge", author="Lan")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["status"] == "acknowledged"
    assert first.json()["revision"] > incident["revision"]
    current = client.get("/api/v1/incidents", params={"since": incident["revision"]}).json()
    mine = [item for item in current["items"] if item["id"] == incident["id"]]
    assert mine and mine[0]["revision"] == first.json()["revision"]  # nothing applied twice

    note = act(client, incident["id"], "note-1", action="note", text="Đã gọi lại")
    assert act(client, incident["id"], "note-1", action="note", text="Đã gọi lại").json() == (
        note.json()
    )
    assigned = act(client, incident["id"], str(uuid.uuid4()), action="assign", assignee="CSGT")
    assert assigned.status_code == 200
    body = assigned.json()
    assert body["status"] == "assigned" and body["assignee"] == "CSGT"
    assert [n["text"] for n in body["notes"]] == ["Đã gọi lại"]
    assert body["revision"] > note.json()["revision"] > first.json()["revision"]


def test_impossible_transitions_and_bad_requests_are_refused(client: httpx.Client) -> None:
    incident = new_incident(client)
    refused = act(client, incident["id"], "r-1", action="resolve")
    assert refused.status_code == 409 and "acknowledge it first" in refused.json()["detail"]
    assert act(client, incident["id"], "a-1", action="acknowledge").status_code == 200
    assert act(client, incident["id"], "a-2", action="acknowledge").status_code == 409
    missing_key = act(client, incident["id"], None, action="resolve")
    assert missing_key.status_code == 400 and "Idempotency-Key" in missing_key.json()["detail"]
    assert act(client, "INC-99999", "x-1", action="acknowledge").status_code == 404
    assert act(client, incident["id"], "x-2", action="assign").status_code == 422
    assert act(client, incident["id"], "x-3", action="dance").status_code == 422
    # A refused action stays refused under its key, even once it would be possible.
    assert act(client, incident["id"], "r-1", action="resolve").status_code == 409


# -- KPIs ----------------------------------------------------------------------


def test_aggregate_means_per_bucket_aligned_to_local_midnight() -> None:
    t0 = datetime(2025, 3, 1, 16, 58, 10, tzinfo=UTC)  # 23:58:10 in Vietnam
    samples = [
        KpiSample(t=t0, value=1.0),
        KpiSample(t=t0 + timedelta(seconds=40), value=3.0),
        KpiSample(t=t0 + timedelta(seconds=80), value=10.0),  # 16:59:30
        KpiSample(t=t0 + timedelta(seconds=120), value=20.0),  # 17:00:10 = local midnight
    ]
    minutes = aggregate(samples, "1m")
    assert [(p.t.minute, p.value) for p in minutes] == [(58, 2.0), (59, 10.0), (0, 20.0)]
    days = aggregate(samples, "1d")
    assert [p.t for p in days] == [
        datetime(2025, 2, 28, 17, tzinfo=UTC),
        datetime(2025, 3, 1, 17, tzinfo=UTC),
    ]
    assert [p.value for p in days] == [pytest.approx(14 / 3), 20.0]
    assert aggregate(samples, "raw") == samples and aggregate([], "1h") == []


def test_kpis_have_history_and_hourly_means(client: httpx.Client) -> None:
    kpis = {kpi["id"]: kpi for kpi in client.get("/api/v1/kpis").json()["items"]}
    assert kpis["on-time-rate"]["name"] == "Tỉ lệ hồ sơ giải quyết đúng hạn"
    assert kpis["on-time-rate"]["target"] == 97 and kpis["on-time-rate"]["unit"] == "%"
    assert {"feedback-received", "satisfaction", "online-services-l34", "streetlights-on"} <= set(
        kpis
    )

    recent = client.get("/api/v1/kpis/satisfaction/series").json()
    assert recent["interval"] == "raw" and len(recent["points"]) >= 70  # 6 h at 5 min
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=30)
    end = hour + timedelta(hours=24, microseconds=-1)  # samples every 300 s: 288 whatever the phase
    window = {"from": hour.isoformat(), "to": end.isoformat()}
    raw = client.get("/api/v1/kpis/satisfaction/series", params=window).json()["points"]
    hourly = client.get(
        "/api/v1/kpis/satisfaction/series", params={**window, "interval": "1h"}
    ).json()["points"]
    assert len(hourly) == 24 and len(raw) == 24 * 12
    first_hour = [p["value"] for p in raw[:12]]
    assert hourly[0]["value"] == pytest.approx(sum(first_hour) / 12)
    assert datetime.fromisoformat(hourly[0]["t"]) == hour

    series = "/api/v1/kpis/satisfaction/series"
    assert client.get(series, params={"interval": "5m"}).status_code == 422
    assert client.get(series, params={"from": "yesterday"}).status_code == 422
    assert (
        client.get(series, params={"from": window["to"], "to": window["from"]}).status_code == 422
    )
    assert client.get("/api/v1/kpis/happiness/series").status_code == 404


# -- layers --------------------------------------------------------------------


def test_layers_are_valid_geojson(client: httpx.Client) -> None:
    infos = {info["id"]: info for info in client.get("/api/v1/layers").json()["items"]}
    assert {k: v["geometry"] for k, v in infos.items()} == {
        "districts": "polygon",
        "streetlights": "point",
        "cameras": "point",
    }
    for layer_id, info in infos.items():
        collection = client.get(f"/api/v1/layers/{layer_id}").json()
        assert collection["type"] == "FeatureCollection"
        assert len(collection["features"]) == info["feature_count"] > 0
        for feature in collection["features"]:
            assert feature["type"] == "Feature" and feature["properties"]["name"]
            geometry = feature["geometry"]
            if layer_id == "districts":
                ring = [tuple(p) for p in geometry["coordinates"][0]]
                assert geometry["type"] == "Polygon" and len(ring) >= 4 and ring[0] == ring[-1]
                assert geo.ring_area(tuple(ring[:-1])) > 0  # counter-clockwise (RFC 7946)
            else:
                lon, lat = geometry["coordinates"]
                assert geometry["type"] == "Point" and feature["properties"]["status"]
                assert 106.3 < lon < 107.6 and 11.2 < lat < 12.3  # lon first, inside the province
    assert infos["streetlights"]["feature_count"] >= 200
    assert client.get("/api/v1/layers/rivers").status_code == 404


# -- live events ---------------------------------------------------------------


def test_created_incident_is_pushed_over_sse(client: httpx.Client) -> None:
    created: dict[str, Any] = {}
    events = collect_events(
        client,
        lambda evs: any(
            e.event == "incident.created" and e.json()["id"] == created.get("id") for e in evs
        ),
        since=revision(client),
        on_open=lambda: created.update(new_incident(client, title="Cháy rừng Bù Gia Mập")),
    )
    pushed = next(
        e for e in events if e.event == "incident.created" and e.json()["id"] == created["id"]
    )
    assert pushed.json()["title"] == "Cháy rừng Bù Gia Mập"
    assert int(pushed.id) == pushed.json()["revision"] == created["revision"]
    for event in events:  # every payload is valid wire format for its type
        EVENT_PAYLOADS[EventType(event.event)].model_validate(event.json())


def test_sse_resume_replays_missed_events_exactly_once(client: httpx.Client) -> None:
    start = revision(client)
    seen = collect_events(
        client,
        lambda evs: len(evs) >= 2,
        since=start,
        on_open=lambda: (new_incident(client), new_incident(client)),
    )
    last_seen = int(seen[-1].id)
    missed = [new_incident(client)["id"] for _ in range(3)]  # while disconnected
    resumed = collect_events(
        client,
        lambda evs: (
            {e.json().get("id") for e in evs if e.event == "incident.created"} >= set(missed)
        ),
        last_event_id=last_seen,
    )
    ids = [int(e.id) for e in resumed]
    assert ids == list(range(last_seen + 1, last_seen + 1 + len(ids)))  # no gap, no repeat
    created = [e.json()["id"] for e in resumed if e.event == "incident.created"]
    assert sorted(created) == sorted(set(created))


def test_disconnected_clients_leave_no_subscriber_or_stream(client: httpx.Client) -> None:
    def settled(baseline: dict[str, int] | None = None) -> dict[str, Any]:
        """Stats once streams closed by earlier clients are gone (the server waits, bounded)."""
        baseline = baseline or {"sse_subscribers": 0, "video_streams": 0}
        params = {
            "max_sse_subscribers": baseline["sse_subscribers"],
            "max_video_streams": baseline["video_streams"],
            "timeout": 5,
        }
        return client.get("/api/v1/demo/stats", params=params).json()  # type: ignore[no-any-return]

    before = settled()
    collect_events(client, lambda evs: True, since=max(0, before["revision"] - 1))
    with client.stream("GET", "/video/CAM-01/sub.mjpg") as response:
        read_frames(jpeg_parts(response), 1)
    after = settled(before)
    assert after["sse_subscribers"] <= before["sse_subscribers"]
    assert after["video_streams"] <= before["video_streams"]


# -- the server itself ----------------------------------------------------------


def _ffmpeg_children(under: Path) -> list[str]:
    """This process's ffmpeg children working in `under` (the clip generator's cwd)."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue  # that thread ended while we looked
        for pid in children:
            try:
                if Path(f"/proc/{pid}/cwd").resolve().is_relative_to(under.resolve()):
                    found.append(pid)
            except OSError:
                continue
    return found


def test_stop_leaves_no_threads_or_ffmpeg(tmp_path: Path) -> None:
    threads_before = set(threading.enumerate())
    with DemoServer(seed=11, video_cache_dir=tmp_path) as server:  # fresh cache: ffmpeg runs
        assert server.start_s is not None  # the figure is reported, not asserted (see bench)
        assert len(httpx.get(f"{server.url}/api/v1/cameras").json()["items"]) == 12
        url = server.url
        assert _ffmpeg_children(tmp_path)  # clips are being made right now
    extra = [t for t in threading.enumerate() if t not in threads_before]
    for thread in extra:  # asyncio's child watcher threads end right after their ffmpeg
        thread.join(timeout=5)
    assert not [t.name for t in extra if t.is_alive()]
    assert not _ffmpeg_children(tmp_path)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/api/v1/cameras")


def test_same_seed_gives_the_same_province() -> None:
    one, two = Province(seed=5), Province(seed=5)

    def fingerprint(province: Province) -> list[Any]:
        return [
            (i.id, i.title, i.status, i.lat, i.lon, i.assignee) for i in province.desk.all()
        ] + [(light.lon, light.lat, light.status) for light in province.lights]

    assert fingerprint(one) == fingerprint(two)
    assert fingerprint(one) != fingerprint(Province(seed=6))

    # feedback-received follows the hour of day: a minute may turn between the two builds
    def values(province: Province) -> dict[str, float]:
        return {k.id: k.value for k in province.kpis.kpis() if k.id != "feedback-received"}

    assert values(one) == values(two)
