"""The site file model: a province's connections, each a backend in its own standard.

Credentials are references only (an environment variable or a keyring entry), so a
site file can be shared, versioned and shown on screen without leaking a secret.
Checks that span fields (unique names, an enabled connection) are `Site.problems()`,
so the loader can place each one on its line; building a `Site` in code runs them too.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from console.domain.records import Source
from console.layout.positions import Loc, StrictModel
from console.site.broker import Broker
from console.site.secrets import Secret
from console.site.secrets import SecretRef as SecretRef  # re-exported with the site's models

Kind = Literal["ioc", "open311", "ngsi-ld", "ogc-features", "cameras"]
Feed = Literal["cameras", "incidents", "kpis", "layers"]
FEEDS: tuple[Feed, ...] = get_args(Feed)
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"

# What each protocol can deliver, and what it delivers when the file does not say.
CAN_PROVIDE: dict[str, frozenset[Feed]] = {
    "ioc": frozenset(FEEDS),
    "open311": frozenset({"incidents"}),
    "ngsi-ld": frozenset(FEEDS),  # Camera entities carry stream URLs
    "ogc-features": frozenset({"layers"}),
    "cameras": frozenset({"cameras"}),
}
DEFAULT_PROVIDES: dict[str, frozenset[Feed]] = {
    "ioc": frozenset(FEEDS),
    "open311": frozenset({"incidents"}),
    "ngsi-ld": frozenset({"kpis", "incidents", "layers"}),
    "ogc-features": frozenset({"layers"}),
    "cameras": frozenset({"cameras"}),
}
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
STREAM_SCHEMES = ("rtsp", "rtsps", "http", "https", "rtmp", "file")


class StaticCamera(StrictModel):
    """A camera of a site without a camera API: a stream address and a place."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    name: str = Field(min_length=1, max_length=120)
    url: str = Field(description="main stream: rtsp://, http(s):// (HLS, MJPEG) or file://")
    sub_url: str | None = Field(None, description="a lighter stream for small tiles")
    district: str = Field("", max_length=120)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    onvif: str | None = Field(
        None, description="ONVIF device address (http://host:port/onvif/device_service) for PTZ"
    )
    onvif_user: Secret | None = None
    onvif_password: Secret | None = None

    @field_validator("onvif")
    @classmethod
    def _onvif(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError(f"ONVIF address '{value}' must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _onvif_login(self) -> StaticCamera:
        if self.onvif is not None and (self.onvif_user is None or self.onvif_password is None):
            raise ValueError(
                "a camera with an 'onvif' address names 'onvif_user' and 'onvif_password'"
            )
        return self

    @field_validator("url", "sub_url")
    @classmethod
    def _stream(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in STREAM_SCHEMES:
            schemes = ", ".join(f"{scheme}://" for scheme in STREAM_SCHEMES)
            raise ValueError(f"stream '{value}' must start with one of {schemes}")
        return value


class Connection(StrictModel):
    """One backend: its protocol, address, credentials and what it feeds the wall."""

    name: str = Field(description="a short slug, unique in the site; namespaces record ids")
    kind: Kind
    url: str | None = Field(None, description="base URL, http:// or https:// (not for cameras)")
    jurisdiction_id: str | None = Field(None, min_length=1, description="Open311 only")
    tenant: str | None = Field(None, min_length=1, description="NGSI-LD only (NGSILD-Tenant)")
    token: Secret | None = None
    client_id: Secret | None = Field(None, description="OAuth2 client credentials")
    client_secret: Secret | None = None
    token_url: str | None = Field(
        None, description="OAuth2 token endpoint for client_id/secret (default: URL/oauth/token)"
    )
    ca_bundle: Path | None = Field(None, description="PEM file trusted for this connection")
    poll_s: float = Field(30, ge=1, le=3600, description="seconds between polls")
    provides: frozenset[Feed] = Field(
        frozenset(),
        min_length=1,
        description="default per kind: ioc all, open311 incidents, "
        "ngsi-ld kpis+incidents+layers, ogc-features layers",
    )
    incident_sources: frozenset[Source] = Field(
        frozenset(),
        description="only incidents of these origins (citizen, camera, sensor); empty: all",
    )
    cameras: list[StaticCamera] = Field(
        default_factory=list, max_length=1000, description="cameras only: the camera list"
    )
    enabled: bool = True

    @model_validator(mode="before")
    @classmethod
    def _default_provides(cls, data: Any) -> Any:
        if isinstance(data, dict) and "provides" not in data:
            kind = data.get("kind")
            if isinstance(kind, str) and kind in DEFAULT_PROVIDES:
                return {**data, "provides": sorted(DEFAULT_PROVIDES[kind])}
        return data

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.fullmatch(value):
            raise ValueError(
                f"connection name '{value}' must be a short slug: lower-case letters, digits, "
                "'-' or '_', at most 32 (e.g. 'feedback')"
            )
        return value

    @field_validator("url", "token_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            host = None
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not host:
            raise ValueError(f"url '{value}' must be an http:// or https:// address with a host")
        return value

    @field_validator("jurisdiction_id", "tenant")
    @classmethod
    def _for_kind(cls, value: str | None, info: ValidationInfo) -> str | None:
        owner = "open311" if info.field_name == "jurisdiction_id" else "ngsi-ld"
        kind = info.data.get("kind")
        if value is not None and kind is not None and kind != owner:
            raise ValueError(f"'{info.field_name}' is for {owner} connections, not {kind}")
        return value

    @model_validator(mode="after")
    def _address(self) -> Connection:
        if self.kind == "cameras":
            if not self.cameras:
                raise ValueError("a cameras connection lists its 'cameras' (id, name, url)")
        elif self.url is None:
            raise ValueError(f"an {self.kind} connection needs a 'url'")
        elif self.cameras:
            raise ValueError(f"'cameras' is for cameras connections, not {self.kind}")
        return self

    @field_validator("provides")
    @classmethod
    def _can_provide(cls, value: frozenset[Feed], info: ValidationInfo) -> frozenset[Feed]:
        kind = info.data.get("kind")
        if kind is not None:
            cannot = sorted(value - CAN_PROVIDE[kind])
            if cannot:
                can = ", ".join(sorted(CAN_PROVIDE[kind]))
                raise ValueError(
                    f"an {kind} connection cannot provide {', '.join(cannot)} "
                    f"(it can provide: {can})"
                )
        return value


def zone_problem(name: str) -> str | None:
    """Why `name` is not a time zone this machine knows, with the closest IANA name."""
    try:
        ZoneInfo(name)
        return None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        close = difflib.get_close_matches(name, sorted(available_timezones()), n=1, cutoff=0.7)
        hint = f"did you mean '{close[0]}'?" if close else f"e.g. '{DEFAULT_ZONE}'"
        return f"unknown time zone '{name}': use an IANA name ({hint})"


class Site(StrictModel):
    version: int = Field(1, ge=1, le=1)
    # Set for `--backend URL`: its one connection reads IOC_CONSOLE_TOKEN and the keyring
    # entry of the URL, as the console always did. A site file's connections never do:
    # each names its own credentials, so no token is sent to a server it was not meant for.
    _discovers_credentials: bool = PrivateAttr(False)
    name: str = Field(min_length=1, max_length=100)
    timezone: str = Field(DEFAULT_ZONE, description="IANA time zone of the wall's clocks")
    connections: list[Connection] = Field(min_length=1, max_length=64)
    procedures: Path | None = Field(
        None, description="the site's procedures file (*.procedures.yaml), beside this file"
    )
    broker: Broker | None = Field(
        None, description="MQTT broker for wall nodes and meetings (none: this PC alone)"
    )
    archive_after_days: float = Field(
        7.0,
        ge=1,
        le=3650,
        description="resolved incidents older than this leave the live queue for the archive",
    )

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        problem = zone_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Site:
        problems = self.problems()
        if problems and not (info.context or {}).get("defer_problems"):
            raise ValueError(problems[0][1])
        return self

    def problems(self) -> list[tuple[Loc, str]]:
        """What no single field shows: a name used twice, nothing enabled."""
        found: list[tuple[Loc, str]] = []
        seen: set[str] = set()
        for index, connection in enumerate(self.connections):
            if connection.name in seen:
                found.append(
                    (
                        ("connections", index, "name"),
                        f"connection name '{connection.name}' is used twice",
                    )
                )
            seen.add(connection.name)
        if not any(connection.enabled for connection in self.connections):
            found.append((("connections",), "every connection is disabled: enable at least one"))
        return found

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def discovers_credentials(self) -> bool:
        return self._discovers_credentials

    def enabled(self) -> list[Connection]:
        return [connection for connection in self.connections if connection.enabled]


def site_for_backend(url: str, ca_bundle: Path | None = None) -> Site:
    """What `--backend URL` and `--demo` mean: one native connection, province time.

    Its credentials stay where they are looked up today (IOC_CONSOLE_TOKEN, the keyring
    entry of the backend URL), so the connection names none.
    """
    site = Site(
        name="backend",
        timezone=DEFAULT_ZONE,
        connections=[
            Connection(name="backend", kind="ioc", url=url, ca_bundle=ca_bundle, poll_s=5)
        ],
    )
    site._discovers_credentials = True
    return site
