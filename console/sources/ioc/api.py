"""Async adapter for the IOC Console REST API v1 (served by the demo backend).

One `httpx.AsyncClient` per backend, made at start and closed at quit. Methods
return validated domain objects; a record that fails validation is skipped with a
log line naming it, so one bad row never blanks a panel.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from console.domain.recordings import Recording, parse_recording
from console.domain.records import (
    ACTING_ROLES,
    Camera,
    GeoJson,
    Incident,
    IncidentAction,
    Kpi,
    KpiSeries,
    LayerInfo,
)
from console.domain.text import parse_json

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
ROLES = ("viewer", "operator", "leader")
MAX_BODY = 20_000_000  # bytes: far above any real answer, far below what would freeze the GUI
PAGE = 1000  # incidents asked for at once (~0.6 MB of JSON)


class BackendError(Exception):
    """A backend answer the console cannot use, phrased for an operator."""


EXPECTED = (httpx.HTTPError, BackendError, OSError)  # a backend or network fault, said plainly


def describe(error: BaseException) -> str:
    """An error in words for the wall: a source's own message, or what went wrong."""
    if isinstance(error, EXPECTED):
        return str(error) or type(error).__name__
    return f"unexpected error reading the data ({type(error).__name__}: {error})"[:300]


class BackendStatusError(BackendError):
    """The server answered with an HTTP error status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def path_segment(value: str) -> str:
    """An id as one URL path segment, for every source: percent-encoded, so that no id
    ("../services", "a/b", "x?y#z") can name another path. "", "." and ".." are refused:
    servers and proxies undo %2E and resolve the dots all the same."""
    if value in ("", ".", ".."):
        raise BackendError(f"cannot ask for an item with the id {value!r}: it is not a name")
    try:
        return quote(value, safe="")
    except UnicodeEncodeError as error:  # a lone surrogate, from JSON's \ud800
        raise BackendError("cannot ask for an item whose id is not valid Unicode") from error


def parse_items(model: type[M], items: Iterable[Any], what: str) -> list[M]:
    """Valid records; bad ones are skipped with a reason. If every record is bad the
    answer itself is broken: raise, so the stores keep their last good data."""
    parsed: list[M] = []
    skipped = 0
    for raw in items:
        try:
            parsed.append(model.model_validate(raw))
        except Exception as error:  # whatever one record raises, skip only that record
            skipped += 1
            ident = raw.get("id", "?") if isinstance(raw, dict) else "?"
            reason = (
                error.errors()[0]["msg"]
                if isinstance(error, ValidationError)
                else f"{type(error).__name__}: {error}"
            )
            log.warning("skipped %s %s: %s", what, str(ident)[:80], reason)
    if skipped and not parsed:
        raise BackendError(f"every {what} record the backend sent was malformed ({skipped})")
    return parsed


async def _read_capped(response: httpx.Response, path: str) -> bytes:
    """The body, refusing one larger than MAX_BODY: parsing it would freeze the wall."""
    declared = int(response.headers.get("content-length") or 0)
    if declared > MAX_BODY:
        raise BackendError(f"{path}: the answer is too large ({declared / 1e6:.0f} MB)")
    chunks: list[bytes] = []
    size = 0
    chunks_in = cast(AsyncGenerator[bytes, None], response.aiter_bytes())
    async with contextlib.aclosing(chunks_in) as body:  # closed here, not left to the GC
        async for chunk in body:
            size += len(chunk)
            if size > MAX_BODY:
                raise BackendError(
                    f"{path}: the answer is too large (over {MAX_BODY / 1e6:.0f} MB)"
                )
            chunks.append(chunk)
    return b"".join(chunks)


class NotModified(Exception):
    """The resource is as it was when its validator was taken (HTTP 304)."""


@dataclass
class Validator:
    """One resource's HTTP cache validator: sent as If-None-Match, renewed by each answer."""

    etag: str | None = None


async def fetch_json(
    client: httpx.AsyncClient,
    url: str | httpx.URL,
    what: str,
    *,
    peer: str = "backend",
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    validator: Validator | None = None,
) -> Any:
    """GET JSON the way every source must: a bounded body, bounded nesting, and any
    failure a `BackendError` in words naming `what` was asked and of which `peer`.

    With a `validator`, an unchanged resource raises `NotModified` without a body."""
    headers = dict(headers or {})
    if validator is not None and validator.etag:
        headers["If-None-Match"] = validator.etag
    try:
        async with client.stream("GET", url, params=params, headers=headers) as response:
            if response.status_code == 304 and validator is not None and validator.etag:
                raise NotModified(what)
            response.raise_for_status()
            body = await _read_capped(response, what)
            if validator is not None:
                validator.etag = response.headers.get("etag")
        return decode_json(body, what)
    except httpx.HTTPStatusError as error:
        status = error.response.status_code
        raise BackendStatusError(f"{what}: the {peer} answered {status}", status) from error
    except httpx.TimeoutException as error:
        raise BackendError(f"{what}: the {peer} did not answer in time") from error
    except httpx.TransportError as error:
        raise BackendError(f"{what}: cannot reach the {peer} ({error})") from error


def decode_json(body: bytes | str, what: str) -> Any:
    """JSON from a backend, or a BackendError that says why (never RecursionError & co.)."""
    try:
        return parse_json(body)
    except RecursionError as error:
        raise BackendError(f"{what}: the answer is nested too deeply to read") from error
    except ValueError as error:  # also UnicodeDecodeError
        raise BackendError(f"{what}: the backend sent something that is not JSON") from error


class IocApi:
    def __init__(
        self,
        base_url: str,
        client: httpx.AsyncClient | None = None,
        *,
        auth: httpx.Auth | None = None,
    ) -> None:
        """The connection's client (console.sources.clients: TLS, credentials); else a plain one."""
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.AsyncClient(
            base_url=self.base_url, timeout=DEFAULT_TIMEOUT, auth=auth
        )
        self.role = "operator"  # until the backend says otherwise (see `me`)

    @property
    def may_act(self) -> bool:
        return self.role in ACTING_ROLES

    async def me(self) -> str:
        """The caller's role from the backend; a backend without roles lets us act."""
        try:
            body = await self._get("/api/v1/me")
        except BackendError as error:
            if "answered 404" not in str(error):
                raise
            body = {}
        role = body.get("role", "operator") if isinstance(body, dict) else "operator"
        self.role = role if role in ROLES else "viewer"
        return self.role

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return await fetch_json(self.client, path, path, params=params)
        except BackendStatusError as error:
            if error.status not in (401, 403):
                raise
            raise BackendError(
                f"{path}: the backend refused our credentials ({error.status}); check "
                "IOC_CONSOLE_TOKEN or the client credentials in the system keyring"
            ) from error

    async def _items(self, path: str, params: dict[str, Any] | None = None) -> list[Any]:
        body = await self._get(path, params)
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise BackendError(f"{path}: the answer has no list of items")
        return items

    async def _parsed(
        self, model: type[M], path: str, what: str, params: dict[str, Any] | None = None
    ) -> list[M]:
        """The records of an answer (big lists come in pages: see `incident_pages`)."""
        return parse_items(model, await self._items(path, params), what)

    async def cameras(self) -> list[Camera]:
        return await self._parsed(Camera, "/api/v1/cameras", "camera")

    async def incidents(self, since: int = 0, status: str | None = None) -> list[Incident]:
        params: dict[str, Any] = {"since": since}
        if status:
            params["status"] = status
        return await self._parsed(Incident, "/api/v1/incidents", "incident", params)

    async def incident_pages(self, since: int = 0) -> AsyncGenerator[list[Incident], None]:
        """Incidents changed after `since`, a page at a time (lowest revision first), so a
        load of thousands never decodes one huge answer. A backend that does not page
        answers everything at once: that is the last page."""
        while True:
            params = {"since": since, "limit": PAGE}
            page = await self._parsed(Incident, "/api/v1/incidents", "incident", params)
            yield page
            last = max((incident.revision for incident in page), default=since)
            if len(page) != PAGE or last <= since:  # done, or a server that does not move on
                return
            since = last

    async def kpis(self) -> list[Kpi]:
        return await self._parsed(Kpi, "/api/v1/kpis", "KPI")

    async def kpi_series(
        self, kpi_id: str, start: datetime, end: datetime, interval: str = "raw"
    ) -> KpiSeries:
        params = {"from": start.isoformat(), "to": end.isoformat(), "interval": interval}
        body = await self._get(f"/api/v1/kpis/{path_segment(kpi_id)}/series", params)
        try:
            return KpiSeries.model_validate(body)
        except ValidationError as error:
            raise BackendError(f"series of {kpi_id}: {error.errors()[0]['msg']}") from error

    async def recordings(self, camera: str, start: datetime, end: datetime) -> Recording:
        window = {"start": start.isoformat(), "end": end.isoformat()}
        body = await self._get(f"/api/v1/cameras/{path_segment(camera)}/recordings", window)
        return parse_recording(body, f"recordings of {camera}", BackendError)

    async def layers(self) -> list[LayerInfo]:
        return await self._parsed(LayerInfo, "/api/v1/layers", "layer")

    async def layer(self, layer_id: str) -> GeoJson:
        body = await self._get(f"/api/v1/layers/{path_segment(layer_id)}")
        if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
            raise BackendError(f"layer {layer_id}: not a GeoJSON FeatureCollection")
        return body

    async def act(
        self, incident_id: str, action: IncidentAction, idempotency_key: str | None = None
    ) -> Incident:
        """Send an operator action; the key makes a retried delivery apply once."""
        if not self.may_act:
            raise BackendError(f"your role ({self.role}) may not act on incidents")
        key = idempotency_key or str(uuid.uuid4())
        try:
            response = await self.client.post(
                f"/api/v1/incidents/{path_segment(incident_id)}/actions",
                json=action.model_dump(mode="json", exclude_none=True),
                headers={"Idempotency-Key": key},
            )
        except httpx.TransportError as error:
            raise BackendError(f"cannot reach the backend ({error})") from error
        if response.status_code >= 400:
            raise BackendError(f"action {action.action} refused: {response.text[:200]}")
        return Incident.model_validate(response.json())
