"""Where a site's consoles meet: the MQTT broker that wall nodes and meetings use.

Optional: a site without one runs as a single PC, as before. Credentials are references
(an environment variable or a keyring entry), like every connection's.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from console.domain.text import fold
from console.layout.positions import StrictModel
from console.site.secrets import Secret

PORTS = {"mqtt": 1883, "mqtts": 8883}
TOPIC_LEVEL = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")  # no '/', '+', '#': one topic level


class Broker(StrictModel):
    """An MQTT 3.1.1/5 broker: `mqtt://host:1883`, or `mqtts://host:8883` for TLS."""

    url: str = Field(description="mqtt://host[:port] or mqtts://host[:port]")
    username: str | None = Field(None, max_length=120, description="the broker account")
    password: Secret | None = None
    ca_bundle: Path | None = Field(None, description="PEM file trusted for the broker's TLS")
    topic_prefix: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9_.-]{1,64}(/[A-Za-z0-9_.-]{1,64}){0,3}$",
        description="topics of this site start with it (default: ioc/<site name>)",
    )

    @field_validator("url")
    @classmethod
    def _mqtt(cls, value: str) -> str:
        try:
            parts = urlsplit(value)
            ok = parts.scheme in PORTS and bool(parts.hostname) and parts.port != 0
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"broker url '{value}' must be mqtt://host[:port] or mqtts://…")
        return value

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        parts = urlsplit(self.url)
        return parts.port or PORTS[parts.scheme]

    @property
    def tls(self) -> bool:
        return urlsplit(self.url).scheme == "mqtts"

    def prefix(self, site_name: str) -> str:
        """The site's topics: its own prefix, else ioc/<site name as one topic level>."""
        if self.topic_prefix:
            return self.topic_prefix
        level = re.sub(r"[^a-z0-9_.-]+", "-", fold(site_name)).strip("-")[:64] or "site"
        return f"ioc/{level}"
