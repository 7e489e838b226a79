"""Reading bookmarks from the native API: a camera's (for its timeline), an incident's.

Kept out of `IocApi` so that class stays one screen of the API's core; these take an
`IocApi` and use its checked reads (bounded bodies, credentials refused in words, one
bad record skipped with a log line). Writing goes through the durable bookmark queue
(console.actions.bookmarks), never straight from here: an operator's bookmark must
survive the backend being away.
"""

from __future__ import annotations

from datetime import datetime

from console.domain.bookmarks import Bookmark
from console.sources.ioc.api import IocApi, path_segment


async def camera_bookmarks(
    api: IocApi, camera: str, start: datetime, end: datetime
) -> list[Bookmark]:
    """The camera's bookmarks that touch [start, end], oldest first."""
    window = {"start": start.isoformat(), "end": end.isoformat()}
    path = f"/api/v1/cameras/{path_segment(camera)}/bookmarks"
    found = await api._parsed(Bookmark, path, "bookmark", window)
    return sorted(found, key=lambda item: item.start)


async def incident_bookmarks(api: IocApi, incident_id: str) -> list[Bookmark]:
    """The bookmarks linked to one incident, oldest first."""
    path = f"/api/v1/incidents/{path_segment(incident_id)}/bookmarks"
    found = await api._parsed(Bookmark, path, "bookmark")
    return sorted(found, key=lambda item: item.start)
