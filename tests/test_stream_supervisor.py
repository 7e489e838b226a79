"""A camera tile's stream supervision, without a screen or a player.

A fake decoder stands in for libVLC / Qt Multimedia (it "decodes" frames when told to), a
fake clock for time, and ticks are called by hand; only the reconnect timer runs for real,
on a backoff of a few milliseconds. Each test reads like what an operator would see on the
tile: CONNECTING → LIVE, STALLED and back, OFFLINE with a retry countdown, ERROR.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from console.domain.records import Camera, CameraStatus, StreamProfile
from console.layout.panel_kinds import CameraConfig
from console.stores import CameraStore
from console.video import engines
from console.video.budget import DecodeBudget
from console.video.policy import Timing
from console.video.stream import Reason
from console.video.supervisor import StreamSupervisor

# Ticks are manual (tick_ms: an hour); the backoff is short enough to wait for for real.
FAST = Timing(
    stall_after_s=1.0,
    connect_timeout_s=5.0,
    backoff_base_s=0.01,
    backoff_cap_s=0.04,
    tick_ms=3_600_000,
    still_refresh_s=30.0,
)
TILE = QSize(640, 360)


class FakeDecoder:
    """The video host's contract: play, stop, a frame counter, a generation per stream."""

    def __init__(self) -> None:
        self.generation = 0
        self.engine: str | None = None
        self.url: str | None = None
        self.frames = 0
        self.played: list[tuple[str, str]] = []  # (url, engine), one per connect

    def play(self, url: str, caching_ms: int, forced: str = "auto", low_fps: bool = False) -> None:
        self.generation += 1
        self.engine = engines.choose_engine(url, forced)
        self.url, self.frames = url, 0
        self.played.append((url, self.engine))

    def stop(self) -> None:
        self.url = None

    def frames_decoded(self) -> int:
        return self.frames if self.url else 0

    def decode(self, frames: int = 5) -> None:
        assert self.url is not None, "nothing is playing"
        self.frames += frames


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def camera(camera_id: str = "bp-001", scheme: str = "http") -> Camera:
    def profile(name: str, width: int, height: int) -> StreamProfile:
        url = f"{scheme}://cameras.test/{camera_id}/{name}"
        return StreamProfile(url=url, width=width, height=height, codec="h264", fps=15)

    return Camera(
        id=camera_id,
        name="Ngã tư Phú Riềng Đỏ",
        district="Đồng Xoài",
        lat=11.53,
        lon=106.89,
        status=CameraStatus.ONLINE,
        streams={"main": profile("main", 1280, 720), "sub": profile("sub", 640, 360)},
    )


class Tile:
    """One supervisor as a view would hold it, with everything it reported."""

    def __init__(
        self, store: CameraStore, config: CameraConfig, budget: DecodeBudget | None
    ) -> None:
        self.decoder, self.clock = FakeDecoder(), Clock()
        self.budget = budget or DecodeBudget(None)
        self.stream = StreamSupervisor(
            config,
            store,
            self.decoder,
            lambda: TILE,
            timing=FAST,
            budget=self.budget,
            clock=self.clock,
        )
        self.states: list[str] = []
        self.stills = 0
        self.stream.stateChanged.connect(self.states.append)
        self.stream.stillWanted.connect(self._still)

    def _still(self) -> None:
        self.stills += 1

    def later(self, seconds: float) -> None:
        """Time passes, then the tile ticks once."""
        self.clock.now += seconds
        self.stream.tick()


@pytest.fixture
def store() -> CameraStore:
    cameras = CameraStore()
    cameras.replace([camera()])
    return cameras


@pytest.fixture
def make_tile(qtbot: QtBot, store: CameraStore) -> Iterator[Callable[..., Tile]]:
    tiles: list[Tile] = []

    def make(budget: DecodeBudget | None = None, on_screen: bool = True, **config: object) -> Tile:
        tile = Tile(store, CameraConfig(**config), budget)
        tiles.append(tile)
        tile.stream.begin()
        if on_screen:
            tile.stream.set_on_screen(True)  # connects once the event loop runs
            qtbot.waitUntil(lambda: bool(tile.decoder.played))
        return tile

    yield make
    for tile in tiles:
        tile.stream.shutdown()


def test_first_frames_take_the_tile_from_connecting_to_live(make_tile: Callable[..., Tile]):
    tile = make_tile()
    assert tile.states == ["connecting"]
    assert tile.stream.current_url == "http://cameras.test/bp-001/sub"  # the tile is small
    tile.later(0.5)
    assert tile.states == ["connecting"], "no frame yet: still connecting"
    tile.decoder.decode()
    tile.later(0.25)
    assert tile.states == ["connecting", "live"]
    assert tile.stream.reason == Reason.NONE


def test_a_silent_stream_stalls_then_reconnects(qtbot: QtBot, make_tile: Callable[..., Tile]):
    tile = make_tile()
    tile.decoder.decode()
    tile.later(0.25)
    tile.later(FAST.stall_after_s / 2)
    assert tile.stream.state == "live", "a short gap is not a stall"
    tile.later(FAST.stall_after_s)
    assert tile.states == ["connecting", "live", "stalled"]
    assert tile.stream.retry_remaining_ms() >= 0  # a reconnect is on its way
    qtbot.waitUntil(lambda: len(tile.decoder.played) == 2)
    assert tile.states == ["connecting", "live", "stalled", "connecting"]
    tile.decoder.decode()
    tile.later(0.25)
    assert tile.states[-1] == "live"


def test_frames_coming_back_cancel_the_reconnect_of_a_stall(make_tile: Callable[..., Tile]):
    tile = make_tile()
    tile.decoder.decode()
    tile.later(0.25)
    tile.later(FAST.stall_after_s + 0.1)
    assert tile.stream.state == "stalled"
    tile.decoder.decode()
    tile.later(0.25)
    assert tile.stream.state == "live"
    assert tile.stream.retry_remaining_ms() == -1
    assert len(tile.decoder.played) == 1


def test_no_first_frame_in_time_is_offline_with_a_reason(make_tile: Callable[..., Tile]):
    tile = make_tile()
    tile.later(FAST.connect_timeout_s + 0.1)
    assert tile.states == ["connecting", "offline"]
    assert tile.stream.reason == Reason.NO_VIDEO
    assert tile.decoder.url is None  # the player was stopped
    assert tile.stream.retry_remaining_ms() >= 0  # "Retrying in …"
    assert tile.stream.retry_delay_s is not None
    assert tile.stream.retry_delay_s <= FAST.backoff_base_s  # the first retry comes soon


def test_failures_retry_with_a_delay_that_grows_and_stays_under_the_cap(
    qtbot: QtBot, make_tile: Callable[..., Tile]
):
    tile = make_tile()
    delays: list[float] = []
    for attempt in range(6):
        tile.stream.on_player_event(tile.decoder.generation, False)  # the open failed
        assert tile.stream.state == "offline"
        assert tile.stream.reason == Reason.OPEN_FAILED
        delay = tile.stream.retry_delay_s
        assert delay is not None
        assert tile.stream.retry_remaining_ms() >= 0  # the countdown the tile shows
        delays.append(delay)
        qtbot.waitUntil(lambda n=attempt: len(tile.decoder.played) == n + 2)  # reconnected
        assert tile.stream.state == "connecting"
    growing, capped = delays[:3], delays[2:]  # 0.01 s doubles to the 0.04 s cap by the third
    assert growing == sorted(growing) and growing[-1] > growing[0]
    assert all(FAST.backoff_base_s / 2 <= d <= FAST.backoff_cap_s for d in delays)
    assert all(d >= FAST.backoff_cap_s / 2 for d in capped), "jittered, but never below half"
    assert tile.states == ["connecting"] + ["offline", "connecting"] * 6
    tile.decoder.decode()
    tile.later(0.25)  # frames arrive: the next failure starts from the shortest wait again
    tile.stream.on_player_event(tile.decoder.generation, True)
    assert tile.stream.reason == Reason.ENDED
    assert tile.stream.retry_delay_s is not None
    assert tile.stream.retry_delay_s <= FAST.backoff_base_s


def test_a_late_event_of_a_replaced_stream_changes_nothing(make_tile: Callable[..., Tile]):
    tile = make_tile()
    tile.stream.on_player_event(tile.decoder.generation - 1, False)
    assert tile.states == ["connecting"] and tile.decoder.url is not None


def test_an_unknown_camera_is_an_error_that_does_not_retry(
    qtbot: QtBot, make_tile: Callable[..., Tile]
):
    tile = make_tile(camera="no-such-camera", on_screen=False)
    tile.stream.set_on_screen(True)
    qtbot.waitUntil(lambda: tile.stream.retry_remaining_ms() == -1)  # the start on showing ran
    assert tile.states == ["error"]
    assert tile.stream.reason == Reason.UNKNOWN_CAMERA
    assert tile.stream.camera_id == "no-such-camera"
    assert tile.decoder.played == []
    tile.later(FAST.connect_timeout_s * 10)
    assert tile.states == ["error"] and tile.stream.retry_remaining_ms() == -1


def test_a_camera_without_any_stream_is_an_error_that_does_not_retry(
    qtbot: QtBot, store: CameraStore, make_tile: Callable[..., Tile]
):
    """A hostile or half-configured backend: online, listed, but nothing to play."""
    store.replace([camera().model_copy(update={"streams": {}})])
    tile = make_tile(camera="bp-001", on_screen=False)
    tile.stream.set_on_screen(True)
    qtbot.waitUntil(lambda: tile.stream.retry_remaining_ms() == -1)  # the start on showing ran
    assert tile.states[-1] == "error" and tile.stream.reason == Reason.NO_STREAM
    tile.later(FAST.connect_timeout_s * 10)
    assert tile.states[-1] == "error" and tile.stream.retry_remaining_ms() == -1
    assert tile.decoder.played == []


def test_without_a_camera_list_the_tile_waits_for_one(
    qtbot: QtBot, store: CameraStore, make_tile: Callable[..., Tile]
):
    store.replace([])
    tile = make_tile(on_screen=False)
    assert tile.states == ["connecting"]
    assert tile.stream.reason == Reason.WAITING_FOR_LIST
    tile.stream.set_on_screen(True)
    store.replace([camera()])  # the list arrives: the first camera plays
    qtbot.waitUntil(lambda: bool(tile.decoder.played))
    assert tile.stream.camera_id == "bp-001"


def test_an_offline_camera_stops_and_resumes_when_back_online(
    store: CameraStore, make_tile: Callable[..., Tile]
):
    tile = make_tile()
    tile.decoder.decode()
    tile.later(0.25)
    store.set_status("bp-001", CameraStatus.OFFLINE)
    assert tile.stream.state == "offline"
    assert tile.stream.reason == Reason.CAMERA_OFFLINE
    assert tile.decoder.frames_decoded() == 0 and tile.stream.tier is None
    assert tile.stream.retry_remaining_ms() == -1, "the store says when it is back"
    store.set_status("bp-001", CameraStatus.ONLINE)
    assert tile.states == ["connecting", "live", "offline", "connecting"]
    assert len(tile.decoder.played) == 2


def test_a_hidden_tile_decodes_nothing_and_costs_no_budget(
    qtbot: QtBot, make_tile: Callable[..., Tile]
):
    budget = DecodeBudget(None)
    tile = make_tile(budget, on_screen=False)
    assert tile.decoder.played == [] and tile.stream.tier is None
    assert tile.stream.budget_tiers() == []
    tile.stream.set_on_screen(True)
    qtbot.waitUntil(lambda: tile.decoder.url is not None)
    assert tile.stream.budget_tiers() and budget.used() > 0
    tile.stream.set_on_screen(False)
    qtbot.waitUntil(lambda: tile.decoder.url is None)
    assert tile.stream.tier is None and tile.stream.budget_tiers() == []
    assert budget.used() == 0
    assert tile.stream.state == "connecting"  # shows again the moment it is shown


def test_an_over_budget_tile_plays_a_still_and_stops_decoding(make_tile: Callable[..., Tile]):
    tile = make_tile(DecodeBudget(100.0))  # 100 pixels per second: only a still fits
    tier = tile.stream.tier
    assert tier is not None and tier.still
    tile.decoder.decode(1)
    tile.later(0.25)
    assert tile.stream.state == "live" and tile.stills == 1
    assert tile.decoder.url is None and not tile.stream.playing
    # The next picture comes a refresh later (Qt's coarse timers may shift it by 5 %).
    refresh_ms = FAST.still_refresh_s * 1000
    assert tile.stream.retry_remaining_ms() == pytest.approx(refresh_ms, rel=0.06)


def test_rtsp_that_libvlc_cannot_open_moves_to_qt_multimedia(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    store: CameraStore,
    make_tile: Callable[..., Tile],
):
    monkeypatch.setattr(engines, "vlc_has_live555", lambda: True)  # claims it can
    monkeypatch.setattr(engines, "_vlc_failed_rtsp", False)
    store.replace([camera(scheme="rtsp")])
    tile = make_tile()
    assert tile.decoder.engine == "vlc"
    tile.stream.on_player_event(tile.decoder.generation, False)  # ...but it cannot
    assert [engine for _, engine in tile.decoder.played] == ["vlc", "qt"]
    assert tile.states == ["connecting"], "a fallback, not a failure"


def test_rtsp_forced_onto_libvlc_says_why_it_fails(
    monkeypatch: pytest.MonkeyPatch, store: CameraStore, make_tile: Callable[..., Tile]
):
    monkeypatch.setattr(engines, "_vlc_failed_rtsp", False)
    store.replace([camera(scheme="rtsp")])
    tile = make_tile(engine="vlc")
    tile.stream.on_player_event(tile.decoder.generation, False)
    assert tile.stream.state == "offline"
    assert tile.stream.reason == Reason.RTSP_UNSUPPORTED
