"""The live data path, built in one place: stores, the backend client and the sync.

The wall and a briefing started from the command line both get it from `connect`, so a
briefing uses the same credentials, TLS settings and stores as the wall would.
"""

from __future__ import annotations

from typing import NamedTuple

from console.sources.auth import BackendAuth, Credentials
from console.sources.ioc.api import IocApi
from console.sources.ioc.live import LiveSync
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from widgets.panel import PanelContext


class LiveData(NamedTuple):
    context: PanelContext  # the stores panels read, and who is at the console
    api: IocApi
    sync: LiveSync


def connect(
    backend: str, *, ca_bundle: str | None = None, token_url: str | None = None
) -> LiveData:
    """Stores fed by `backend`; nothing runs until the caller starts `sync.run()`."""
    context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore())
    credentials = Credentials.discover(backend)
    auth = BackendAuth(backend, credentials, token_url) if credentials else None
    api = IocApi(backend, auth=auth, ca_bundle=ca_bundle)
    sync = LiveSync(api, context.cameras, context.incidents, context.kpis, context.layers)
    sync.roleChanged.connect(context.session.set_role)
    return LiveData(context, api, sync)
