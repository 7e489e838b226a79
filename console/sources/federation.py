"""A site's connections, each a supervised link of its own kind, feeding merged stores.

Failure stays where it happens: every link runs in its own task with its own backoff,
so one connection down, slow or answering garbage leaves the others live, and it
recovers alone. The federation also routes what is asked of a record (a KPI period's
history) to the connection the record came from.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from PySide6.QtCore import QObject, Signal

from console.domain.naming import connection_of, local_of
from console.domain.periods import Period
from console.site.model import Connection, Site
from console.sources.cameras_link import CamerasLink
from console.sources.clients import http_client
from console.sources.ioc.api import ROLES, IocApi, describe
from console.sources.ioc.live import LiveSync
from console.sources.layers import LayerSources
from console.sources.link import Link, LinkState
from console.sources.ngsi.kpis import NgsiLdApi
from console.sources.ngsi.link import NgsiLink, broker_root
from console.sources.ogc import OgcFeaturesApi
from console.sources.ogc_link import OgcLink
from console.sources.open311.client import Open311Api
from console.sources.open311.link import Open311Link
from console.sources.sink import Sink, Stores
from console.stores.connections import ConnectionBoard, ConnectionStatus

log = logging.getLogger(__name__)
RESTART_S = 5.0  # a link whose run() itself failed (a bug) starts again after this


def make_link(
    connection: Connection,
    sink: Sink,
    *,
    discover: bool = False,
    token_url: str | None = None,
) -> Link:
    """The link for a connection's kind, with its own HTTP client."""
    if connection.kind == "cameras":
        return CamerasLink(connection, sink)
    client = http_client(connection, discover=discover, token_url=token_url)
    url = connection.url or ""
    if connection.kind == "ioc":
        api = IocApi(url, client)
        return LiveSync(connection, sink, api, poll_interval_s=connection.poll_s)
    if connection.kind == "open311":
        return Open311Link(
            connection,
            sink,
            Open311Api(url, jurisdiction_id=connection.jurisdiction_id, client=client),
        )
    if connection.kind == "ngsi-ld":
        return NgsiLink(connection, sink, NgsiLdApi(broker_root(url), client))
    return OgcLink(connection, sink, OgcFeaturesApi(url, client))


class Federation(QObject):
    """Every enabled connection of a site, run side by side."""

    linkChanged = Signal(str)  # connection name: its state or detail changed
    roleChanged = Signal(str)  # the most this user may do at any connection with roles

    def __init__(
        self,
        site: Site,
        stores: Stores,
        *,
        token_url: str | None = None,
    ) -> None:
        super().__init__()
        self.site = site
        self.stores = stores
        self.links: dict[str, Link] = {}
        for connection in site.enabled():
            sink = Sink(
                connection.name,
                stores,
                connection.provides,
                connection.incident_sources,
            )
            link = make_link(
                connection,
                sink,
                discover=site.discovers_credentials,
                # --token-url belongs to the --backend shorthand: a site file names each
                # connection's own, so no client secret goes to another system's server
                token_url=token_url if site.discovers_credentials else None,
            )
            link.stateChanged.connect(lambda *_a, name=connection.name: self.linkChanged.emit(name))
            self.links[connection.name] = link
        for link in self.links.values():
            link.roleChanged.connect(lambda _role, name=link.name: self._role_said(name))
        primary = next((link for link in self.links.values() if isinstance(link, LiveSync)), None)
        self.primary = primary  # its client also serves layout map sources without a url
        self.layer_sources = LayerSources(stores.layers, primary.api.client if primary else None)
        self._history_tasks: set[asyncio.Task[None]] = set()
        stores.kpis.historyRequested.connect(self._fetch_history)

    def _role_said(self, name: str) -> None:
        """A system said who we are: its status shows it, and the console's role is the
        highest any system gives (each connection still refuses, per incident, what its
        own role may not do)."""
        self.linkChanged.emit(name)
        roles = [link.role for link in self.links.values() if link.role is not None]
        ranked = [role for role in ROLES if role in roles]
        if ranked:
            self.roleChanged.emit(ranked[-1])

    def status(self, name: str) -> ConnectionStatus:
        """How the connection is doing and what it lets the operator do."""
        link = self.links[name]
        return ConnectionStatus(
            name=name,
            kind=link.connection.kind,
            state=link.state.value,
            detail=link.detail,
            down_since=link.down_since,
            feeds=frozenset(link.sink.feeds),
            actions=link.actions,
            local_actions=link.local_actions,
            read_only_reason=link.read_only_reason,
            role=link.role,
        )

    def publish_to(self, board: ConnectionBoard) -> None:
        """Keep `board` (the panels' view of the connections) up to date."""
        for name in self.links:
            board.set(self.status(name))
        self.linkChanged.connect(lambda name: board.set(self.status(name)))

    def link_of(self, key: str) -> Link | None:
        """The link a record key came from."""
        return self.links.get(connection_of(key, self.links))

    @property
    def settled(self) -> bool:
        """Every link has loaded or failed at least once (a briefing waits no longer for
        a connection that is down)."""
        return all(link.state != LinkState.CONNECTING for link in self.links.values())

    async def run(self) -> None:
        """Until cancelled: every link in its own task, and the layouts' map sources."""
        tasks = [asyncio.create_task(self._supervise(link)) for link in self.links.values()]
        tasks.append(asyncio.create_task(self.layer_sources.run()))
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in [*tasks, *self._history_tasks]:
                task.cancel()
            await asyncio.gather(*tasks, *self._history_tasks, return_exceptions=True)

    async def aclose(self) -> None:
        for link in self.links.values():
            with contextlib.suppress(Exception):
                await link.aclose()

    async def _supervise(self, link: Link) -> None:
        """A link retries its own faults; should its run() itself fail, start it again."""
        while True:
            try:
                await link.run()
            except Exception as error:  # a bug in a kind: say it, keep the others going
                log.error("%s link failed: %s", link.name, describe(error), exc_info=error)
                link.set_state(LinkState.OFFLINE, describe(error))
            await asyncio.sleep(RESTART_S)

    def _fetch_history(self, kpi_id: str, period: str) -> None:
        link = self.link_of(kpi_id)
        if link is None:
            log.warning("history of %s asked for, but no connection has it", kpi_id)
            return
        local = local_of(kpi_id, link.name)
        try:
            task = asyncio.get_running_loop().create_task(
                self._load_history(link, local, Period(period))
            )
        except RuntimeError:
            log.warning("history of %s (%s) asked for outside the event loop", kpi_id, period)
            return
        self._history_tasks.add(task)
        task.add_done_callback(self._history_tasks.discard)

    async def _load_history(self, link: Link, local_id: str, period: Period) -> None:
        try:
            samples = await link.history(local_id, period)
        except Exception as error:  # the panel keeps what it had; the next request retries
            log.warning(
                "%s: no %s history of %s: %s", link.name, period.value, local_id, describe(error)
            )
            return
        if samples is not None:
            link.sink.kpi_history(local_id, period, samples)
