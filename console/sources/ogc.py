"""OGC API Features source: a collection's items as one GeoJSON FeatureCollection.

Lists `/collections` and pages through `/collections/{id}/items?limit=N` by following
the `next` links the server gives (a bounded number of pages, so a server that loops
or holds millions of features cannot hang the console). Tolerant the same way the other
adapters are: a feature without a usable geometry is skipped with a logged reason, and
everything else fails as a BackendError in plain words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx

from console.domain.geo import feature_problem
from console.domain.records import GeoJson
from console.sources.ioc.api import (
    DEFAULT_TIMEOUT,
    BackendError,
    Validator,
    fetch_json,
    path_segment,
)

log = logging.getLogger(__name__)

PAGE_LIMIT = 500
MAX_PAGES = 40
GEOJSON = "application/geo+json, application/json;q=0.9"


@dataclass(frozen=True)
class Collection:
    id: str
    title: str


def clean_features(features: Any, source: str) -> list[dict[str, Any]]:
    """The drawable features; each one left out is logged with its id and reason."""
    if not isinstance(features, list):
        raise BackendError(f"{source}: the answer has no list of features")
    kept: list[dict[str, Any]] = []
    skipped = 0
    for index, feature in enumerate(features):
        reason = feature_problem(feature)
        if reason is None:
            if feature.get("properties") is None:
                feature = {**feature, "properties": {}}
            kept.append(feature)
            continue
        skipped += 1
        ident = feature.get("id", index) if isinstance(feature, dict) else index
        log.warning("%s: skipped feature %s: %s", source, str(ident)[:60], reason)
    if skipped:
        log.warning("%s: %d of %d features skipped", source, skipped, len(features))
    return kept


def _next_link(page: dict[str, Any], current: str) -> str | None:
    links = page.get("links")
    if not isinstance(links, list):
        return None
    for link in links:
        if not isinstance(link, dict) or link.get("rel") != "next":
            continue
        if isinstance(link.get("href"), str):
            return urljoin(current, str(link["href"]))
    return None


class OgcFeaturesApi:
    """One client per OGC API Features server (pygeoapi, GeoServer, ldproxy, ...)."""

    def __init__(self, base_url: str, client: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _get(
        self, url: str, params: dict[str, Any] | None = None, validator: Validator | None = None
    ) -> Any:
        what = f"OGC API {url.removeprefix(self.base_url) or '/'}"
        # Merged, not replaced: a `next` link carries its own offset and limit.
        target = httpx.URL(url).copy_merge_params({"f": "json", **(params or {})})
        body = await fetch_json(
            self.client,
            target,
            what,
            peer="server",
            headers={"Accept": GEOJSON},
            validator=validator,
        )
        if not isinstance(body, dict):
            raise BackendError(f"{what}: the answer is not a JSON object")
        return body

    async def collections(self) -> list[Collection]:
        body = await self._get(f"{self.base_url}/collections")
        found = []
        for entry in body.get("collections") or []:
            ident = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(ident, str):
                continue
            try:
                path_segment(ident)
            except BackendError as error:  # a collection no request can name
                log.warning("OGC API: skipped a collection: %s", error)
                continue
            found.append(Collection(ident, str(entry.get("title") or ident)))
        return found

    async def items(
        self,
        collection: str,
        limit: int = PAGE_LIMIT,
        max_pages: int = MAX_PAGES,
        validator: Validator | None = None,
    ) -> GeoJson:
        """Every drawable feature of a collection, following `next` up to `max_pages`.

        With a `validator` (the first page's ETag), an unchanged collection raises
        `NotModified` after one short request instead of being read again."""
        url: str | None = f"{self.base_url}/collections/{path_segment(collection)}/items"
        params: dict[str, Any] | None = {"limit": limit}
        features: list[dict[str, Any]] = []
        seen: set[str] = set()
        pages = 0
        while url is not None and pages < max_pages:
            page = await self._get(url, params, validator if pages == 0 else None)
            if page.get("type") != "FeatureCollection":
                raise BackendError(f"OGC API {collection}: the answer is not a FeatureCollection")
            features.extend(clean_features(page.get("features"), f"OGC API {collection}"))
            seen.add(str(httpx.URL(url, params=params or {})))
            pages += 1
            following = _next_link(page, url)
            if following is None or following in seen or not page.get("features"):
                url = None
            else:
                url, params = following, None
        if url is not None:
            log.warning("OGC API %s: stopped after %d pages", collection, max_pages)
        return {"type": "FeatureCollection", "features": features}
