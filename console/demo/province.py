"""The simulated province: cameras, incidents, KPIs, street lights, and the clock that moves them.

All state lives on the server's event loop and changes only there, so no locks are
needed. One `random.Random(seed)` drives everything: the same seed gives the same
province and the same sequence of events (only their timing differs).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Literal

from console.demo import catalog, geo, scenario
from console.demo.events import EventHub, Gauge
from console.demo.incidents import IncidentDesk
from console.demo.kpis import FEEDBACK, LOCAL, KpiBoard
from console.demo.layers import StreetLight, make_streetlights
from console.domain.records import (
    Camera,
    CameraStatus,
    CameraStatusChange,
    Category,
    EventType,
    Incident,
    KpiSampleEvent,
    Priority,
    Source,
    StreamProfile,
    utcnow,
)

log = logging.getLogger(__name__)

PROFILES: dict[Literal["main", "sub"], tuple[int, int]] = {"main": (1280, 720), "sub": (640, 360)}
VIDEO_FPS = 10.0
ALWAYS_ONLINE = catalog.CAMERAS[0].id  # the console's default wall shows it


class Province:
    """Everything the demo IOC knows, plus the simulation loop that changes it."""

    # Cameras served as profiles of the demo's ONVIF device (set where it is mounted, see
    # console/demo/onvif.py): their records carry its address.
    onvif: frozenset[str] = frozenset()

    def __init__(
        self,
        seed: int | None = None,
        incident_interval_s: float = 5.0,
        kpi_interval_s: float = 5.0,
        camera_interval_s: float = 30.0,
        initial_incidents: int = 40,
    ) -> None:
        self.seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        self.rng = random.Random(self.seed)
        self.incident_interval_s = incident_interval_s
        self.kpi_interval_s = kpi_interval_s
        self.camera_interval_s = camera_interval_s
        self.hub = EventHub()
        self.desk = IncidentDesk(
            self.hub, rate=lambda incident: scenario.rating(self.seed, incident)
        )
        self.video_streams = Gauge()
        self.closing = asyncio.Event()
        self.pinned: set[str] = set()  # cameras set by hand: the simulation leaves them alone
        self._camera_status = {
            spec.id: CameraStatus.OFFLINE
            if spec.id in catalog.INITIALLY_OFFLINE
            else CameraStatus.ONLINE
            for spec in catalog.CAMERAS
        }
        now = utcnow()
        self.lights: list[StreetLight] = make_streetlights(self.rng)
        self.kpis = KpiBoard(self.rng, now, {"streetlights-on": self.lights_on_share()})
        self._reports_day: date = now.astimezone(LOCAL).date()
        self._reports_today = self.kpis.latest(FEEDBACK).value
        self._seed_incidents(now, initial_incidents)

    # -- cameras ---------------------------------------------------------------

    def cameras(self, base_url: str) -> list[Camera]:
        return [self._camera(spec, base_url) for spec in catalog.CAMERAS]

    def camera(self, camera_id: str, base_url: str) -> Camera | None:
        spec = next((s for s in catalog.CAMERAS if s.id == camera_id), None)
        return None if spec is None else self._camera(spec, base_url)

    def _camera(self, spec: catalog.CameraSpec, base_url: str) -> Camera:
        base = base_url.rstrip("/")
        streams = {
            name: StreamProfile(
                url=f"{base}/video/{spec.id}/{name}.mjpg",
                width=width,
                height=height,
                codec="mjpeg",
                fps=VIDEO_FPS,
            )
            for name, (width, height) in PROFILES.items()
        }
        return Camera(
            id=spec.id,
            name=spec.name,
            district=geo.district(spec.district_id).name,
            lat=spec.lat,
            lon=spec.lon,
            status=self._camera_status[spec.id],
            streams=streams,
            onvif=f"{base}/onvif/device_service#{spec.id}" if spec.id in self.onvif else None,
        )

    def camera_status(self, camera_id: str) -> CameraStatus | None:
        return self._camera_status.get(camera_id)

    def set_camera_status(self, camera_id: str, status: CameraStatus, pin: bool = False) -> bool:
        """Change a camera's status; emits camera.status if it changed. Returns whether it did."""
        if pin:
            self.pinned.add(camera_id)
        if self._camera_status[camera_id] is status:
            return False
        self._camera_status[camera_id] = status
        self.hub.emit(EventType.CAMERA_STATUS, CameraStatusChange(id=camera_id, status=status))
        return True

    # -- incidents -------------------------------------------------------------

    def create_incident(
        self,
        category: Category | None = None,
        priority: Priority | None = None,
        title: str | None = None,
        by_human: bool = False,
    ) -> Incident:
        incident = self.desk.create(
            scenario.draft_incident(
                self.rng, self.desk.next_id(), utcnow(), category, priority, title
            )
        )
        if by_human:
            self.desk.human.add(incident.id)
        if incident.source is Source.CITIZEN:
            self._roll_day(incident.created_at)
            self._reports_today += 1
        return incident

    def _roll_day(self, now: datetime) -> None:
        """Start counting today's citizen reports from zero at local midnight."""
        day = now.astimezone(LOCAL).date()
        if day != self._reports_day:
            self._reports_day, self._reports_today = day, 0.0

    def bot_step(self, now: datetime) -> Incident | None:
        """The duty operator moves one incident a step along, leaving fresh ones a while."""
        settle = timedelta(seconds=2 * self.incident_interval_s)
        candidates = [
            i
            for i in self.desk.open()
            if i.id not in self.desk.human and now - i.updated_at >= settle
        ]
        if not candidates:
            return None
        incident = self.rng.choice(candidates)
        return self.desk.apply(incident.id, scenario.next_action(self.rng, incident), at=now)

    def _seed_incidents(self, now: datetime, count: int) -> None:
        """Incidents from the last eight hours; the older, the further along their lifecycle."""
        ages = sorted((self.rng.uniform(60, 8 * 3600) for _ in range(count)), reverse=True)
        for age in ages:
            created_at = now - timedelta(seconds=age)
            incident = self.desk.create(
                scenario.draft_incident(self.rng, self.desk.next_id(), created_at)
            )
            steps = min(3, int(age / 3600 * self.rng.uniform(0.3, 1.5)))
            at = created_at
            for _ in range(steps):
                at += timedelta(seconds=self.rng.uniform(0.1, 0.3) * age / 3)
                incident = self.desk.apply(
                    incident.id, scenario.next_action(self.rng, incident), at=at
                )

    # -- street lights and KPIs -----------------------------------------------

    def lights_on_share(self) -> float:
        on = sum(1 for light in self.lights if light.status == "on")
        return 100.0 * on / len(self.lights)

    def _lights_step(self) -> None:
        if self.rng.random() < 0.05:
            self.rng.choice(self.lights).status = "fault"
        faulty = [light for light in self.lights if light.status == "fault"]
        if faulty and self.rng.random() < 0.05:
            self.rng.choice(faulty).status = "on"

    def sample_kpis(self, now: datetime) -> None:
        """Take one live sample of every KPI and announce each as kpi.sample."""
        self._lights_step()
        self._roll_day(now)
        exact = {FEEDBACK: self._reports_today, "streetlights-on": self.lights_on_share()}
        for kpi_id in self.kpis.defs:
            sample = self.kpis.sample(kpi_id, now, self.kpi_interval_s, exact.get(kpi_id))
            self.hub.emit(
                EventType.KPI_SAMPLE, KpiSampleEvent(kpi_id=kpi_id, t=sample.t, value=sample.value)
            )

    def cameras_step(self) -> None:
        """Rarely a camera drops out, and comes back a tick or two later."""
        free = [c for c in self._camera_status if c not in self.pinned and c != ALWAYS_ONLINE]
        offline = [c for c in free if self._camera_status[c] is CameraStatus.OFFLINE]
        if offline and self.rng.random() < 0.5:
            self.set_camera_status(self.rng.choice(offline), CameraStatus.ONLINE)
        elif not offline and free and self.rng.random() < 0.15:
            self.set_camera_status(self.rng.choice(free), CameraStatus.OFFLINE)

    # -- the clock -------------------------------------------------------------

    def incident_step(self) -> None:
        self.create_incident()
        for _ in range(self.rng.choice((2, 3, 4))):
            self.bot_step(utcnow())

    async def run(self) -> None:
        """Drive the simulation until cancelled."""
        async with asyncio.TaskGroup() as group:
            group.create_task(_every(self.incident_interval_s, self.incident_step))
            group.create_task(_every(self.kpi_interval_s, lambda: self.sample_kpis(utcnow())))
            group.create_task(_every(self.camera_interval_s, self.cameras_step))

    def close(self) -> None:
        """Ask every open stream (SSE, MJPEG) to end, ahead of server shutdown."""
        self.closing.set()
        self.hub.close()


async def _every(interval_s: float, step: Callable[[], object]) -> None:
    """Call `step` every `interval_s` on a fixed schedule; a failing step is logged, not fatal."""
    deadline = time.monotonic()
    while True:
        deadline = max(deadline + interval_s, time.monotonic())
        await asyncio.sleep(deadline - time.monotonic())
        try:
            step()
        except Exception:
            log.exception("demo simulation step failed")
