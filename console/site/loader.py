"""Site files (`*.site.yaml`): read and validate, every problem as `path:line:col: message`.

The layouts' machinery (`console.layout.positions`) reads the YAML and places each
error, so a site file reads like a layout file when something is wrong with it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap

from console.layout.positions import LayoutError, LayoutInvalid, Loc, YamlLoader, node_at
from console.site.broker import Broker
from console.site.model import Connection, SecretRef, Site, StaticCamera

SUFFIX = ".site.yaml"
_OWNERS: dict[str, type[BaseModel]] = {
    "connections": Connection,
    "cameras": StaticCamera,
    "token": SecretRef,
    "client_id": SecretRef,
    "client_secret": SecretRef,
    "broker": Broker,
    "password": SecretRef,
}


def is_site_file(path: str | Path) -> bool:
    """A site file is known by its name, as a deck is: `NAME.site.yaml`."""
    return str(path).endswith(SUFFIX)


class SiteLoader(YamlLoader):
    """Loads one site file, with the layout loader's positions and messages."""

    what = "site file"

    def load_site(self) -> Site:
        site = self._load_site()
        if site is None or self.errors:
            raise LayoutInvalid(self.errors)
        return beside(site, Path(self.path).parent)

    def _load_site(self) -> Site | None:
        self.root = self.parse()
        if self.errors:
            return None
        if not isinstance(self.root, CommentedMap):
            self._error(0, 0, "a site file must be a mapping with 'name' and 'connections'")
            return None
        try:
            site = Site.model_validate(self.root, context={"defer_problems": True})
        except ValidationError as error:
            for item in error.errors():
                self._report_site(tuple(item["loc"]), item)
            return None
        for loc, message in site.problems():
            line, col = node_at(self.root, loc)[1:3]
            self._error(line, col, message)
        return site

    def _report_site(self, loc: Loc, item: ErrorDetails) -> None:
        names = [part for part in loc[:-1] if isinstance(part, str)]
        self.report(loc, item, _OWNERS.get(names[-1], Site) if names else Site)


def beside(site: Site, folder: Path) -> Site:
    """A relative `ca_bundle` (a connection's, the broker's) or `procedures` is read beside
    the site file, from anywhere."""
    connections = [
        connection.model_copy(update={"ca_bundle": folder / connection.ca_bundle})
        if connection.ca_bundle is not None and not connection.ca_bundle.is_absolute()
        else connection
        for connection in site.connections
    ]
    procedures = site.procedures
    if procedures is not None and not procedures.is_absolute():
        procedures = folder / procedures
    broker = site.broker
    if broker is not None and broker.ca_bundle is not None and not broker.ca_bundle.is_absolute():
        broker = broker.model_copy(update={"ca_bundle": folder / broker.ca_bundle})
    return site.model_copy(
        update={"connections": connections, "procedures": procedures, "broker": broker}
    )


def load_site(path: str | Path) -> Site:
    return SiteLoader(path).load_site()


def validate_site(path: str | Path) -> list[LayoutError]:
    try:
        SiteLoader(path).load_site()
    except LayoutInvalid as invalid:
        return invalid.errors
    return []
