"""REST routes of API v1: cameras, incidents and their actions, KPIs, map layers.

Handlers are coroutines on the server's loop, the only place the province changes,
and they serialise domain objects with `model_dump(mode="json")`: the wire format.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from console.demo import layers
from console.demo.incidents import ActionError
from console.demo.kpis import Interval, aggregate
from console.demo.province import Province
from console.domain.records import (
    Camera,
    GeoJson,
    Incident,
    IncidentAction,
    IncidentStatus,
    Kpi,
    KpiSeries,
    LayerInfo,
)

DEFAULT_WINDOW = timedelta(hours=6)


class CameraList(BaseModel):
    items: list[Camera]


class IncidentList(BaseModel):
    items: list[Incident]
    cursor: int  # the current global revision: pass it back as `since`


class KpiList(BaseModel):
    items: list[Kpi]


class LayerList(BaseModel):
    items: list[LayerInfo]


class Problem(BaseModel):
    detail: str


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem} for code in codes}


def _json(data: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status_code, headers=headers)


def _utc(value: datetime) -> datetime:
    """Read a timestamp without a zone as UTC, the API's zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def api_router(province: Province) -> APIRouter:
    router = APIRouter()

    @router.get("/cameras", tags=["cameras"], summary="List cameras", response_model=CameraList)
    async def list_cameras(request: Request) -> JSONResponse:
        cameras = province.cameras(str(request.base_url))
        return _json({"items": [camera.model_dump(mode="json") for camera in cameras]})

    @router.get(
        "/incidents",
        tags=["incidents"],
        summary="List incidents, optionally only those changed after a revision",
        response_model=IncidentList,
    )
    async def list_incidents(
        status: IncidentStatus | None = None,
        since: Annotated[int | None, Query(ge=0)] = None,
        limit: Annotated[
            int | None,
            Query(
                ge=1,
                le=10_000,
                description="at most this many, lowest revision first: "
                "page on with `since` = the last one's revision",
            ),
        ] = None,
    ) -> JSONResponse:
        items = [
            incident
            for incident in province.desk.all()
            if (status is None or incident.status is status)
            and (since is None or incident.revision > since)
        ]
        if limit is not None:
            items = sorted(items, key=lambda incident: incident.revision)[:limit]
        return _json(
            {
                "items": [incident.model_dump(mode="json") for incident in items],
                "cursor": province.hub.revision,
            }
        )

    @router.post(
        "/incidents/{incident_id}/actions",
        tags=["incidents"],
        summary="Acknowledge, assign, annotate or resolve an incident (exactly once per key)",
        description="The `Idempotency-Key` header is required. Repeating a key returns the "
        "first response (with `Idempotent-Replayed: true`) and changes nothing.",
        response_model=Incident,
        responses=_errors(400, 404, 409, 422),
    )
    async def act_on_incident(
        incident_id: str,
        action: IncidentAction,
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    ) -> JSONResponse:
        key = (idempotency_key or "").strip()
        if not key or len(key) > 255:
            raise HTTPException(400, "An Idempotency-Key header (1 to 255 characters) is required.")
        try:
            stored, replayed = province.desk.apply_once(key, incident_id, action)
        except ActionError as error:
            raise HTTPException(error.status, error.message) from None
        headers = {"Idempotent-Replayed": "true"} if replayed else None
        return _json(stored.body, stored.status, headers)

    @router.get(
        "/kpis", tags=["kpis"], summary="List KPIs with their latest value", response_model=KpiList
    )
    async def list_kpis() -> JSONResponse:
        return _json({"items": [kpi.model_dump(mode="json") for kpi in province.kpis.kpis()]})

    @router.get(
        "/kpis/{kpi_id}/series",
        tags=["kpis"],
        summary="A KPI's history, averaged per interval (default: the last 6 hours, raw)",
        response_model=KpiSeries,
        responses=_errors(404, 422),
    )
    async def kpi_series(
        kpi_id: str,
        start: Annotated[datetime | None, Query(alias="from")] = None,
        end: Annotated[datetime | None, Query(alias="to")] = None,
        interval: Interval = "raw",
    ) -> JSONResponse:
        if kpi_id not in province.kpis.defs:
            raise HTTPException(404, f"KPI {kpi_id} does not exist.")
        end = _utc(end) if end else datetime.now(UTC)
        start = _utc(start) if start else end - DEFAULT_WINDOW
        if start >= end:
            raise HTTPException(422, "`from` must be earlier than `to`.")
        points = aggregate(province.kpis.window(kpi_id, start, end), interval)
        series = KpiSeries(kpi_id=kpi_id, interval=interval, points=tuple(points))
        return _json(series.model_dump(mode="json"))

    @router.get("/layers", tags=["layers"], summary="List map layers", response_model=LayerList)
    async def list_layers() -> JSONResponse:
        infos = layers.layer_infos(len(province.lights), len(province.cameras("")))
        return _json({"items": [info.model_dump(mode="json") for info in infos]})

    @router.get(
        "/layers/{layer_id}",
        tags=["layers"],
        summary="A map layer as a GeoJSON FeatureCollection",
        response_model=GeoJson,
        responses=_errors(404),
    )
    async def get_layer(layer_id: str, request: Request) -> JSONResponse:
        if layer_id == "districts":
            return _json(layers.districts_geojson())
        if layer_id == "streetlights":
            return _json(layers.streetlights_geojson(province.lights))
        if layer_id == "cameras":
            return _json(layers.cameras_geojson(province.cameras(str(request.base_url))))
        raise HTTPException(404, f"Layer {layer_id} does not exist.")

    return router
