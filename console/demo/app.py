"""The FastAPI application: routes, OpenAPI metadata, and the simulation's lifetime.

The lifespan starts the simulation, clip generation and the recorder as background
tasks, so the server answers at once; on shutdown it ends open streams and cancels
the tasks (which kills any ffmpeg still running and writes the recorder's spans).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from console.demo.access import Access
from console.demo.access import install as install_access
from console.demo.api import api_router
from console.demo.clips import ClipStore
from console.demo.control import control_router
from console.demo.ngsi import ngsi_router
from console.demo.onvif import onvif_router
from console.demo.open311 import open311_router
from console.demo.playback import playback_router
from console.demo.province import PROFILES, Province
from console.demo.ptz import HeldError, PtzDesk, held_handler, ptz_router
from console.demo.ptz_video import PtzVideo
from console.demo.recorder import Recorder
from console.demo.sse import events_router
from console.demo.video import video_router

TAGS = [
    {
        "name": "cameras",
        "description": "Cameras, their stream profiles, and their recordings: "
        "recorded spans, MJPEG playback from a time, Matroska clip export.",
    },
    {"name": "incidents", "description": "Citizen feedback and alerts, and operator actions."},
    {"name": "kpis", "description": "Key performance indicators and their history."},
    {"name": "layers", "description": "Map layers as GeoJSON."},
    {"name": "events", "description": "Live changes as Server-Sent Events."},
    {"name": "video", "description": "MJPEG streams and snapshots."},
    {"name": "demo", "description": "Demo control: trigger incidents and camera outages."},
    {"name": "open311", "description": "Open311 GeoReport v2 over the same incidents."},
]


def create_app(
    province: Province,
    clips: ClipStore,
    access: Access | None = None,
    recorder: Recorder | None = None,
) -> FastAPI:
    ptz = PtzDesk()
    ptz_video = PtzVideo(clips, {str(k): v for k, v in PROFILES.items()}, ptz.view_at, ptz.states)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(province.run(), name="demo-simulation"),
            asyncio.create_task(clips.prepare(), name="demo-clips"),
        ]
        if recorder is not None:
            tasks.append(asyncio.create_task(recorder.run(), name="demo-recorder"))
        try:
            yield
        finally:
            province.close()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await ptz_video.aclose()

    app = FastAPI(
        title="IOC Console demo backend",
        version="1",
        description="A simulated provincial Intelligent Operations Center (Bình Phước): "
        "the console's own API v1, served on loopback for demos and tests.",
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.include_router(api_router(province), prefix="/api/v1")
    app.include_router(events_router(province.hub), prefix="/api/v1")
    app.include_router(control_router(province, clips), prefix="/api/v1")
    if recorder is not None:
        app.include_router(playback_router(province, clips, recorder), prefix="/api/v1")
    app.include_router(ptz_router(province, ptz), prefix="/api/v1")
    app.add_exception_handler(HeldError, held_handler)
    app.include_router(onvif_router(ptz, province))  # the same PTZ state over ONVIF
    app.include_router(video_router(province, clips, ptz_video))
    app.include_router(ngsi_router(province))
    app.include_router(open311_router(province))
    install_access(app, access)
    return app
