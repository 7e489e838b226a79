"""The live data path, built in one place: stores, the site's connections and their links.

The wall and a briefing started from the command line both get it from `connect`, so a
briefing uses the same credentials, TLS settings and stores as the wall would.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from console.domain.periods import set_province_zone
from console.site.model import Site, site_for_backend
from console.site.procedures import open_book
from console.sources.federation import Federation
from console.sources.ioc.live import LiveSync
from console.sources.sink import Stores
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.stores.archive import IncidentArchive
from widgets.panel import PanelContext


class LiveData(NamedTuple):
    context: PanelContext  # the stores panels read, and who is at the console
    federation: Federation  # one link per connection of the site


def as_site(site: Site | str, ca_bundle: str | None = None) -> Site:
    """A site, or what `--backend URL` means: one native connection."""
    if isinstance(site, Site):
        return site
    return site_for_backend(site, Path(ca_bundle) if ca_bundle else None)


def connect(
    site: Site | str,
    *,
    ca_bundle: str | None = None,
    token_url: str | None = None,
    archive: Path | None = None,
) -> LiveData:
    """Stores fed by the site's connections; nothing runs until `federation.run()`.

    The site's time zone becomes the province time every clock and period uses;
    `archive`: the file of incidents past the retention window (the wall keeps one)."""
    site = as_site(site, ca_bundle)
    set_province_zone(site.zone)
    context = PanelContext(
        CameraStore(),
        IncidentTableModel(),
        KpiStore(),
        LayerStore(),
        procedures=open_book(site.procedures),
        archive=IncidentArchive(archive) if archive is not None else None,
    )
    stores = Stores(context.cameras, context.incidents, context.kpis, context.layers)
    federation = Federation(site, stores, token_url=token_url)
    federation.roleChanged.connect(context.session.set_role)
    federation.publish_to(context.connections)
    for link in federation.links.values():
        if isinstance(link, LiveSync):  # camera tiles ask it for recordings and playback
            context.recorders[link.name] = link.api
    return LiveData(context, federation)
