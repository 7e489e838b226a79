"""Open311 GeoReport v2 adapter: services, service requests (GET with paging, POST), XML and JSON.

Tolerant, because real servers (and the spec's own examples) are untidy: the spec's
JSON is not valid JSON (`"service_code":001`), so bare numbers with leading zeros are
quoted before parsing, and if a JSON answer still cannot be read the XML form of the
same resource is fetched instead. XML is parsed with defusedxml (no entity bombs).
A bad record is skipped with a logged reason; a bad document raises `BackendError`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal, TypeVar
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from console.domain.records import Incident
from console.domain.text import parse_json
from console.sources.ioc.api import DEFAULT_TIMEOUT, BackendError, path_segment
from console.sources.open311.model import Posted, Service, ServiceRequest, to_incident

log = logging.getLogger(__name__)
Format = Literal["json", "xml"]
R = TypeVar("R", bound=BaseModel)

# A JSON string (kept as is) or a bare number with a leading zero (quoted: it is a code).
_PADDED = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?0\d+(?:\.\d+)?(?![\w.])')
_LIST_KEYS = ("service_requests", "requests", "services", "items")


class Open311Error(Exception):
    """A document the adapter cannot use; `unreadable` if it did not even parse."""

    def __init__(self, message: str, unreadable: bool = False) -> None:
        super().__init__(message)
        self.unreadable = unreadable


class NewRequest(BaseModel):
    """A citizen request to POST. None is left out; "" is sent as an empty field."""

    model_config = ConfigDict(frozen=True)

    service_code: str = Field(min_length=1)
    lat: float | None = None
    long: float | None = None
    address_string: str | None = None
    description: str | None = Field(None, max_length=4000)
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    media_url: str | None = None

    def form(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.model_dump().items() if v is not None}


def loads_tolerant(text: str) -> Any:
    """JSON, also the spec's own (`001` read as the string "001")."""
    try:
        return parse_json(text)
    except RecursionError as error:
        raise Open311Error("the JSON is nested too deeply", unreadable=True) from error
    except ValueError:
        pass
    fixed = _PADDED.sub(
        lambda m: m.group() if m.group().startswith('"') else f'"{m.group()}"', text
    )
    try:
        return parse_json(fixed)
    except (ValueError, RecursionError) as error:
        raise Open311Error(f"the answer is not valid JSON ({error})", unreadable=True) from error


def _tag(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _xml_value(element: Element) -> Any:
    """Text (trimmed; an empty element is ""), or a dict/list for nested elements."""
    children = list(element)
    if not children:
        return (element.text or "").strip()
    tags = [_tag(child) for child in children]
    if len(tags) > 1 and len(set(tags)) == 1:
        return [_xml_value(child) for child in children]
    return {tag: _xml_value(child) for tag, child in zip(tags, children, strict=True)}


def _xml_records(text: str) -> tuple[str, list[Any]]:
    try:
        root = fromstring(text.encode("utf-8", "replace"))
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise Open311Error(f"the answer is not readable XML ({error})", unreadable=True) from error
    return _tag(root), [
        {_tag(field): _xml_value(field) for field in record} if len(record) else None
        for record in root
    ]


def _errors_message(records: Iterable[Any]) -> str:
    texts = [str(r.get("description") or r.get("code")) for r in records if isinstance(r, dict)]
    return "; ".join(texts) or "an error without a description"


def _is_errors(records: list[Any]) -> bool:
    return bool(records) and all(
        isinstance(r, dict) and "description" in r and set(r) <= {"code", "description"}
        for r in records
    )


def parse_document(text: str, fmt: Format = "json") -> list[Any]:
    """The raw records of an Open311 answer in either format (sniffed: XML starts with <)."""
    if text.lstrip().startswith("<"):
        root, records = _xml_records(text)
        if root == "errors":
            raise Open311Error(f"the server reported: {_errors_message(records)}")
        return records
    body = loads_tolerant(text)
    if isinstance(body, dict):
        key = next((k for k in _LIST_KEYS if isinstance(body.get(k), list)), None)
        if key is None:
            raise Open311Error("the answer is an object, not a list of records")
        body = body[key]
    if not isinstance(body, list):
        raise Open311Error(f"the answer is a {type(body).__name__}, not a list of records")
    if _is_errors(body):
        raise Open311Error(f"the server reported: {_errors_message(body)}")
    return body


def parse_records(model: type[R], records: Iterable[Any], what: str) -> list[R]:
    """Validate each record; a bad one is skipped with a log line saying what is wrong."""
    parsed: list[R] = []
    for position, raw in enumerate(records, 1):
        try:
            parsed.append(model.model_validate(raw))
        except ValidationError as error:
            ident = _ident(raw, position, what)
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "record"
            log.warning("skipped Open311 %s %s: %s: %s", what, ident, field, first["msg"])
    return parsed


# The field that names a record of each kind: its own id, never a neighbour's field (a
# request named by its service code sends the operator looking for the wrong thing).
_NAMED_BY = {
    "service": ("service_code",),
    "service request": ("service_request_id",),
    "POST answer": ("service_request_id", "token"),
}


def _ident(raw: Any, position: int, what: str) -> str:
    """The record's id, else its position in the answer and why it has no id."""
    if not isinstance(raw, dict):
        return f"#{position} (not an object)"
    keys = _NAMED_BY.get(what, ("id",))
    for key in keys:
        value = raw.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value)[:60]
    return f"#{position} (no {' or '.join(keys)})"


def parse_services(text: str, fmt: Format = "json") -> list[Service]:
    return parse_records(Service, parse_document(text, fmt), "service")


def parse_requests(text: str, fmt: Format = "json") -> list[ServiceRequest]:
    return parse_records(ServiceRequest, parse_document(text, fmt), "service request")


def parse_posted(text: str, fmt: Format = "json") -> list[Posted]:
    return parse_records(Posted, parse_document(text, fmt), "POST answer")


def to_incidents(requests: Iterable[ServiceRequest], district: str = "Open311") -> list[Incident]:
    incidents: list[Incident] = []
    for request in requests:
        try:
            incidents.append(to_incident(request, district))
        except (ValidationError, ValueError, OverflowError) as error:
            log.warning("skipped Open311 service request %s: %s", request.service_request_id, error)
    return incidents


def parse_incidents(text: str, fmt: Format = "json", district: str = "Open311") -> list[Incident]:
    """Service requests as our incidents (the console's queue shows these)."""
    return to_incidents(parse_requests(text, fmt), district)


class Open311Api:
    """One GeoReport v2 endpoint, e.g. `https://city.example/open311/v2`."""

    def __init__(
        self,
        base_url: str,
        fmt: Format = "json",
        jurisdiction_id: str | None = None,
        api_key: str | None = None,
        district: str = "Open311",
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.fmt: Format = fmt
        self.district = district
        self._params = {"jurisdiction_id": jurisdiction_id} if jurisdiction_id else {}
        self._api_key = api_key
        self.client = client or httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/", timeout=DEFAULT_TIMEOUT
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def services(self) -> list[Service]:
        return parse_records(Service, await self._records("services", {}), "service")

    async def requests_page(
        self,
        page: int = 1,
        page_size: int = 100,
        start_date: datetime | None = None,
        status: Literal["open", "closed"] | None = None,
        updated_after: datetime | None = None,
    ) -> tuple[list[Incident], int]:
        """One page as incidents, and how many records the page held (bad ones too).

        `updated_after` is the GeoReport v2 extension most servers offer for following
        changes; a server without it answers as if it were not asked (more pages)."""
        params: dict[str, Any] = {"page": page, "page_size": page_size}
        if start_date is not None:
            params["start_date"] = start_date.isoformat()
        if updated_after is not None:
            params["updated_after"] = updated_after.isoformat()
        if status is not None:
            params["status"] = status
        records = await self._records("requests", params)
        requests = parse_records(ServiceRequest, records, "service request")
        return to_incidents(requests, self.district), len(records)

    async def requests(
        self,
        start_date: datetime | None = None,
        status: Literal["open", "closed"] | None = None,
        page_size: int = 100,
        max_pages: int = 100,
        updated_after: datetime | None = None,
    ) -> list[Incident]:
        """Every page until a short one; a request seen twice (pages moved) is kept once."""
        found: dict[str, Incident] = {}
        for page in range(1, max_pages + 1):
            incidents, count = await self.requests_page(
                page, page_size, start_date, status, updated_after
            )
            for incident in incidents:
                if incident.id not in found or found[incident.id].revision < incident.revision:
                    found[incident.id] = incident
            if count < page_size:
                break
        else:
            log.warning("Open311: stopped after %d pages of %d requests", max_pages, page_size)
        return list(found.values())

    async def request(self, request_id: str) -> Incident | None:
        records = await self._records(f"requests/{path_segment(request_id)}", {})
        requests = parse_records(ServiceRequest, records, "service request")
        incidents = to_incidents(requests, self.district)
        return incidents[0] if incidents else None

    async def create(self, new: NewRequest) -> Posted:
        """POST a citizen request; the answer carries its id (or a token)."""
        form = {**new.form(), **self._params}
        if self._api_key:
            form["api_key"] = self._api_key
        text = await self._send("POST", f"requests.{self.fmt}", data=form)
        try:
            posted = parse_posted(text, self.fmt)
        except Open311Error as error:
            raise BackendError(f"new service request: {error}") from error
        if not posted:
            raise BackendError("new service request: the answer carries no id")
        return posted[0]

    async def _records(self, resource: str, params: dict[str, Any]) -> list[Any]:
        text = await self._send("GET", f"{resource}.{self.fmt}", params={**params, **self._params})
        try:
            return parse_document(text, self.fmt)
        except Open311Error as error:
            if not (error.unreadable and self.fmt == "json"):
                raise BackendError(f"{resource}: {error}") from error
            log.warning("%s: %s; reading the XML form instead", resource, error)
        text = await self._send("GET", f"{resource}.xml", params={**params, **self._params})
        try:
            return parse_document(text, "xml")
        except Open311Error as error:
            raise BackendError(f"{resource}: {error}") from error

    async def _send(self, method: str, path: str, **kwargs: Any) -> str:
        try:
            response = await self.client.request(method, path, **kwargs)
        except httpx.TimeoutException as error:
            raise BackendError(f"{path}: the Open311 server did not answer in time") from error
        except httpx.TransportError as error:
            raise BackendError(f"{path}: cannot reach the Open311 server ({error})") from error
        if response.status_code >= 400:
            try:
                parse_document(response.text, self.fmt)
                reason = f"the Open311 server answered {response.status_code}"
            except Open311Error as error:
                reason = (
                    str(error) if not error.unreadable else f"it answered {response.status_code}"
                )
            raise BackendError(f"{path}: {reason}")
        return response.text
