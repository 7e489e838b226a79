"""Demo control routes: make things happen on cue, for presenters and tests.

`stats` can wait (bounded) for a subscriber or stream count, so a test observes a
disconnect being cleaned up without sleeping and hoping.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from console.demo.clips import ClipStore
from console.demo.province import Province
from console.domain.records import Camera, CameraStatus, Category, Incident, Priority


class NewIncident(BaseModel):
    category: Category | None = None
    priority: Priority | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)


class StatusChange(BaseModel):
    status: CameraStatus


class Stats(BaseModel):
    seed: int
    revision: int
    incidents: int
    sse_subscribers: int
    video_streams: int
    clips_ready: int
    clips_total: int
    clip_generation_s: float | None


def control_router(province: Province, clips: ClipStore) -> APIRouter:
    router = APIRouter(prefix="/demo", tags=["demo"])

    @router.post(
        "/incidents",
        status_code=201,
        summary="Create an incident now (emits incident.created)",
        response_model=Incident,
    )
    async def create_incident(body: NewIncident | None = None) -> JSONResponse:
        body = body or NewIncident()
        incident = province.create_incident(body.category, body.priority, body.title, True)
        return JSONResponse(incident.model_dump(mode="json"), status_code=201)

    @router.post(
        "/cameras/{camera_id}/status",
        summary="Set a camera online or offline (emits camera.status if it changes)",
        description="A camera set here is left alone by the simulation from then on.",
        response_model=Camera,
        responses={404: {"description": "Unknown camera"}},
    )
    async def set_camera_status(
        camera_id: str, body: StatusChange, request: Request
    ) -> JSONResponse:
        if province.camera_status(camera_id) is None:
            raise HTTPException(404, f"Camera {camera_id} does not exist.")
        province.set_camera_status(camera_id, body.status, pin=True)
        camera = province.camera(camera_id, str(request.base_url))
        assert camera is not None
        return JSONResponse(camera.model_dump(mode="json"))

    @router.get(
        "/stats",
        summary="Backend counters; optionally wait (bounded) until open streams drop to a count",
        response_model=Stats,
    )
    async def stats(
        max_sse_subscribers: Annotated[int | None, Query(ge=0)] = None,
        max_video_streams: Annotated[int | None, Query(ge=0)] = None,
        timeout: Annotated[float, Query(ge=0, le=10)] = 0.0,
    ) -> Stats:
        waits = []
        if max_sse_subscribers is not None:
            waits.append(province.hub.subscribers.wait_at_most(max_sse_subscribers, timeout))
        if max_video_streams is not None:
            waits.append(province.video_streams.wait_at_most(max_video_streams, timeout))
        await asyncio.gather(*waits)
        return Stats(
            seed=province.seed,
            revision=province.hub.revision,
            incidents=len(province.desk),
            sse_subscribers=province.hub.subscriber_count,
            video_streams=province.video_streams.value,
            clips_ready=clips.ready_count,
            clips_total=clips.total,
            clip_generation_s=clips.generation_s,
        )

    return router
