"""Bookmarks over the native API: marked moments and spans of a camera, kept in memory.

Writes follow the incident actions' rules, because bookmarks travel through the same
kind of outbox: an `Idempotency-Key` is required, a repeated key answers the first
response (`Idempotent-Replayed: true`) and stores nothing new, and a viewer is refused.
Mounted by the playback router: a bookmark is a place in the recordings.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import JSONResponse

from console.demo.province import Province
from console.domain.bookmarks import Bookmark, BookmarkDraft
from console.domain.records import utcnow

MAX_BOOKMARKS = 50_000  # the oldest are forgotten past this, as resolved incidents are
MAX_KEYS = 50_000
FUTURE_SLACK_S = 60.0  # a console's clock a little ahead is not a bad time


class BookmarkShelf:
    """Every bookmark of the demo, in creation order, and the answers given per key."""

    def __init__(self) -> None:
        self.items: OrderedDict[str, Bookmark] = OrderedDict()
        self._answers: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()
        self._next = 1

    def add_once(self, key: str, camera: str, draft: BookmarkDraft) -> tuple[dict[str, Any], bool]:
        """Store the draft once per key; returns (the bookmark as JSON, replayed)."""
        fingerprint = f"{camera}\n{draft.model_dump_json()}"
        known = self._answers.get(key)
        if known is not None:
            if known[0] != fingerprint:
                raise HTTPException(
                    422, "This Idempotency-Key was already used for another request."
                )
            return known[1], True
        bookmark = Bookmark(
            **draft.model_dump(), id=f"BM-{self._next:06d}", camera=camera, created_at=utcnow()
        )
        self._next += 1
        self.items[bookmark.id] = bookmark
        body = bookmark.model_dump(mode="json")
        self._answers[key] = (fingerprint, body)
        for kept in (self.items, self._answers):
            while len(kept) > (MAX_BOOKMARKS if kept is self.items else MAX_KEYS):
                kept.popitem(last=False)
        return body, False


def _seconds(value: datetime) -> float:
    """A query time as epoch seconds; one without a zone is UTC, the API's zone."""
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).timestamp()


def bookmarks_router(province: Province, shelf: BookmarkShelf | None = None) -> APIRouter:
    router = APIRouter()
    shelf = shelf if shelf is not None else BookmarkShelf()

    def known(camera_id: str) -> None:
        if province.camera(camera_id, "") is None:
            raise HTTPException(404, f"Camera {camera_id} does not exist.")

    def listed(items: list[Bookmark]) -> JSONResponse:
        return JSONResponse({"items": [item.model_dump(mode="json") for item in items]})

    @router.post(
        "/cameras/{camera_id}/bookmarks",
        tags=["cameras"],
        summary="Bookmark a moment or a span of a camera (exactly once per key)",
        description="The `Idempotency-Key` header is required. Repeating a key returns the "
        "first response (with `Idempotent-Replayed: true`) and stores nothing.",
        status_code=201,
        responses={400: {}, 403: {}, 404: {}, 422: {}},
    )
    async def create(
        camera_id: str,
        draft: BookmarkDraft,
        request: Request,
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    ) -> JSONResponse:
        if getattr(request.state, "role", "operator") == "viewer":
            raise HTTPException(403, "a viewer may not bookmark")
        key = (idempotency_key or "").strip()
        if not key or len(key) > 255:
            raise HTTPException(400, "An Idempotency-Key header (1 to 255 characters) is required.")
        known(camera_id)
        if draft.start.timestamp() > time.time() + FUTURE_SLACK_S:
            raise HTTPException(422, "A bookmark cannot start in the future.")
        if draft.incident_id is not None and province.desk.get(draft.incident_id) is None:
            raise HTTPException(404, f"Incident {draft.incident_id} does not exist.")
        body, replayed = shelf.add_once(key, camera_id, draft)
        headers = {"Idempotent-Replayed": "true"} if replayed else None
        return JSONResponse(body, status_code=201, headers=headers)

    @router.get(
        "/cameras/{camera_id}/bookmarks",
        tags=["cameras"],
        summary="A camera's bookmarks that touch [start, end] (default: all)",
        responses={404: {}, 422: {}},
    )
    async def of_camera(
        camera_id: str, start: datetime | None = None, end: datetime | None = None
    ) -> JSONResponse:
        known(camera_id)
        begin = _seconds(start) if start else 0.0
        finish = _seconds(end) if end else float("inf")
        if begin > finish:
            raise HTTPException(422, "`start` must not be later than `end`.")
        return listed(
            [
                item
                for item in shelf.items.values()
                if item.camera == camera_id
                and item.start.timestamp() <= finish
                and (item.end or item.start).timestamp() >= begin
            ]
        )

    @router.get(
        "/incidents/{incident_id}/bookmarks",
        tags=["incidents"],
        summary="The bookmarks linked to an incident",
        responses={404: {}},
    )
    async def of_incident(incident_id: str) -> JSONResponse:
        if province.desk.get(incident_id) is None:
            raise HTTPException(404, f"Incident {incident_id} does not exist.")
        return listed([item for item in shelf.items.values() if item.incident_id == incident_id])

    return router
