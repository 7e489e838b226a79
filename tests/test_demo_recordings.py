"""The demo's recorder over the native API: recorded spans, playback, clip export."""

from __future__ import annotations

import itertools
import math
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from console.demo.playback import iso
from console.demo.server import DemoServer
from console.demo.video import frame_tick

TIMEOUT = httpx.Timeout(10.0, read=5.0)
FPS = 10.0
T0 = float(math.floor(time.time()))  # seeded spans are relative to this whole second
RETENTION_S = 3600.0
# CAM-01: [T0-5000, T0-3000) reaches past the ring's edge (T0-3600), a gap, then
# [T0-1200, T0-600), a gap, then live from the server's start on.
SEEDED = {"CAM-01": [(T0 - 5000, T0 - 3000), (T0 - 1200, T0 - 600)]}


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(seed=11, retention_s=RETENTION_S, recorded=SEEDED) as demo:
        # CAM-08 starts offline; pinned so at once, before the simulation can bring it back
        with httpx.Client(base_url=demo.url, timeout=TIMEOUT) as http:
            pinned = http.post("/api/v1/demo/cameras/CAM-08/status", json={"status": "offline"})
            assert pinned.status_code == 200
        yield demo


@pytest.fixture
def client(server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=TIMEOUT) as http:
        yield http


def seconds(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def parts(response: httpx.Response) -> Iterator[tuple[dict[str, str], bytes]]:
    """(headers, JPEG) of each multipart part, as it arrives."""
    boundary = b"--" + response.headers["content-type"].split("boundary=")[1].encode()
    buffer = b""
    for chunk in response.iter_bytes():
        buffer += chunk
        while (start := buffer.find(boundary + b"\r\n")) >= 0 and (
            head_end := buffer.find(b"\r\n\r\n", start)
        ) >= 0:
            lines = buffer[start:head_end].decode().split("\r\n")[1:]
            headers = dict(line.split(": ", 1) for line in lines)
            body_end = head_end + 4 + int(headers["Content-Length"])
            if len(buffer) < body_end:
                break
            yield headers, buffer[head_end + 4 : body_end]
            buffer = buffer[body_end:]


def play(client: httpx.Client, count: int, **params: object) -> list[tuple[float, bytes]]:
    """The first `count` parts of a playback: (X-Frame-Time in seconds, JPEG)."""
    with client.stream("GET", "/api/v1/cameras/CAM-01/playback.mjpeg", params=params) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("multipart/x-mixed-replace")
        stream = parts(response)
        return [
            (seconds(h["X-Frame-Time"]), jpeg) for h, jpeg in (next(stream) for _ in range(count))
        ]


def clip_frames(server: DemoServer, profile: str) -> list[bytes]:
    assert server.clips is not None
    folder = server.clips.directory / "CAM-01" / profile
    return [path.read_bytes() for path in sorted(folder.glob("*.jpg"))]


# -- recordings ----------------------------------------------------------------


def test_recordings_list_spans_clipped_to_the_window_with_gaps(client: httpx.Client) -> None:
    window = {"start": iso(T0 - 2000), "end": iso(T0 - 500)}
    body = client.get("/api/v1/cameras/CAM-01/recordings", params=window).json()
    assert body["camera"] == "CAM-01" and body["retention_s"] == RETENTION_S
    assert body["spans"] == [{"start": iso(T0 - 1200), "end": iso(T0 - 600)}]
    assert isinstance(body["disk_bytes"], int) and body["disk_bytes"] >= 0


def test_recordings_default_to_the_ring_and_end_now(
    client: httpx.Client, server: DemoServer
) -> None:
    before = time.time()
    spans = client.get("/api/v1/cameras/CAM-01/recordings").json()["spans"]
    after = time.time()
    assert len(spans) == 3
    assert before - RETENTION_S - 0.01 <= seconds(spans[0]["start"]) <= after - RETENTION_S
    assert seconds(spans[0]["end"]) == T0 - 3000
    assert server.recorder is not None
    assert abs(seconds(spans[2]["start"]) - server.recorder.started) < 0.002
    assert before - 0.01 <= seconds(spans[2]["end"]) <= after


def test_a_camera_that_never_recorded_has_no_spans(client: httpx.Client) -> None:
    # CAM-08 starts offline and was pinned so when the server started (the fixture)
    body = client.get("/api/v1/cameras/CAM-08/recordings").json()
    assert body["camera"] == "CAM-08" and body["spans"] == []
    with client.stream(
        "GET", "/api/v1/cameras/CAM-08/playback.mjpeg", params={"start": iso(T0 - 60)}
    ) as r:
        assert r.status_code == 416


def test_unknown_camera_is_404_and_bad_times_422(client: httpx.Client) -> None:
    for path in ("recordings", "playback.mjpeg", "clip.mkv"):
        response = client.get(
            f"/api/v1/cameras/CAM-99/{path}", params={"start": iso(T0 - 10), "end": iso(T0)}
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Camera CAM-99 does not exist."}
    bad = [
        ("recordings", {"start": "yesterday"}),
        ("recordings", {"start": iso(T0), "end": iso(T0 - 10)}),
        ("playback.mjpeg", {}),
        ("playback.mjpeg", {"start": iso(T0 - 10), "speed": "3"}),
        ("playback.mjpeg", {"start": iso(time.time() + 60)}),
        ("clip.mkv", {"start": iso(T0 - 10)}),
    ]
    for path, params in bad:
        response = client.get(f"/api/v1/cameras/CAM-01/{path}", params=params)
        assert response.status_code == 422, (path, params)
        assert isinstance(response.json()["detail"], str)
    too_long = {"start": iso(T0 - 1000), "end": iso(T0 - 99)}
    assert client.get("/api/v1/cameras/CAM-01/clip.mkv", params=too_long).status_code == 413


# -- playback ------------------------------------------------------------------


def test_playback_starts_at_the_requested_time_and_advances_at_speed(
    client: httpx.Client,
) -> None:
    for speed, step in ((1, 0.1), (4, 0.4), (0.5, 0.1)):
        started = time.monotonic()
        frames = play(client, 6, start=iso(T0 - 1100), speed=speed)
        elapsed = time.monotonic() - started
        times = [t for t, _ in frames]
        assert times[0] == T0 - 1100
        assert [round(b - a, 3) for a, b in itertools.pairwise(times)] == [step] * 5
        interval = 0.1 / min(1.0, speed)  # faster than 1×: frames skipped, the rate stays
        assert 4.5 * interval <= elapsed < 5 * interval + 1.0, (speed, elapsed)


def test_playback_from_a_gap_begins_at_the_next_span_and_crosses_gaps(
    client: httpx.Client, server: DemoServer
) -> None:
    assert play(client, 1, start=iso(T0 - 1500))[0][0] == T0 - 1200
    times = [t for t, _ in play(client, 4, start=iso(T0 - 600.2))]
    assert times[:2] == [T0 - 600.2, T0 - 600.1]
    assert server.recorder is not None
    assert abs(times[2] - math.ceil(server.recorder.started * FPS - 1e-6) / FPS) < 1e-3
    assert round(times[3] - times[2], 3) == 0.1


def test_playback_before_the_ring_begins_at_the_ring_start(client: httpx.Client) -> None:
    before = time.time()
    first = play(client, 1, start=iso(T0 - 4500))[0][0]
    after = time.time()
    assert before - RETENTION_S - 0.1 <= first <= after - RETENTION_S


def test_live_and_playback_agree(client: httpx.Client) -> None:
    with client.stream("GET", "/video/CAM-01/sub.mjpg") as response:
        live = [
            (seconds(h["X-Frame-Time"]), jpeg) for h, jpeg in itertools.islice(parts(response), 3)
        ]
    assert [round(b[0] - a[0], 3) for a, b in itertools.pairwise(live)] == [0.1, 0.1]
    for t, jpeg in live:
        assert play(client, 1, start=iso(t), profile="sub") == [(t, jpeg)]


def test_wall_clock_decides_the_frame(client: httpx.Client, server: DemoServer) -> None:
    frames = clip_frames(server, "sub")
    played = play(client, 3, start=iso(T0 - 1000))
    for t, jpeg in played:
        assert jpeg == frames[frame_tick(t, FPS) % len(frames)]


# -- clip export ----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffprobe")
def test_clip_is_matroska_remuxed_and_skips_gaps(
    client: httpx.Client, server: DemoServer, tmp_path: Path
) -> None:
    window = {"start": iso(T0 - 1230), "end": iso(T0 - 1170)}  # 30 s gap, 30 s recorded
    response = client.get("/api/v1/cameras/CAM-01/clip.mkv", params=window)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "video/x-matroska"
    assert response.headers["X-Recorded-Spans"] == f"{iso(T0 - 1200)}/{iso(T0 - 1170)}"
    clip = tmp_path / "clip.mkv"
    clip.write_bytes(response.content)
    probe = subprocess.run(
        [
            *("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets"),
            *("-show_entries", "stream=codec_name,nb_read_packets", "-of", "csv=p=0", str(clip)),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    codec, count = probe.stdout.strip().split(",")
    assert codec == "mjpeg" and abs(int(count) - 30 * FPS) <= 1
    copied = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(clip), "-c", "copy", "-f", "image2pipe", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = clip_frames(server, "main")
    first = frame_tick(T0 - 1200, FPS)
    expected = b"".join(frames[tick % len(frames)] for tick in range(first, first + int(count)))
    assert copied == expected  # the very JPEGs, not re-encoded


def test_openapi_documents_the_recording_routes(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for name in ("recordings", "playback.mjpeg", "clip.mkv"):
        operation = paths[f"/api/v1/cameras/{{camera_id}}/{name}"]["get"]
        assert operation["summary"] and "cameras" in operation["tags"]
