"""One HTTP client per connection: its address, TLS trust, credentials and headers.

Every kind gets its client here, so each connection is verified against its own CA
bundle, authenticates with its own credentials (by reference, see console.site) and,
for NGSI-LD, names its tenant, without a kind doing any of it its own way.
"""

from __future__ import annotations

import functools
import ssl

import httpx

from console.site.model import Connection
from console.sources.auth import BackendAuth, Credentials
from console.sources.ioc.api import DEFAULT_TIMEOUT, BackendError


@functools.cache
def default_trust() -> ssl.SSLContext:
    """The usual CAs, loaded once: every client building its own cost ~30 ms of the GUI
    thread each (half a second for a site of 16 connections)."""
    return httpx.create_ssl_context()


def credentials_of(connection: Connection, discover: bool) -> Credentials | None:
    """What the site file names for `connection`; with `discover` (the `--backend`
    shorthand), IOC_CONSOLE_TOKEN and the keyring entry of its URL as before."""
    refs = [
        ref for ref in (connection.token, connection.client_id, connection.client_secret) if ref
    ]
    if refs:
        found = Credentials.from_refs(
            connection.token, connection.client_id, connection.client_secret
        )
        if found is not None:
            return found
        # Not set yet (a keyring still locked at start-up): every request says so, and
        # the credentials are looked for again, so the link recovers once they are there.
        where = ", ".join(f"env {r.env}" if r.env else f"keyring {r.keyring}" for r in refs)
        return Credentials(problem=f"no credentials found where the site file says ({where})")
    if discover and connection.url:
        return Credentials.discover(connection.url)
    return None


def http_client(
    connection: Connection,
    *,
    discover: bool = False,
    token_url: str | None = None,
) -> httpx.AsyncClient:
    """A client for `connection` (its `url` is the base of relative requests)."""
    base = (connection.url or "").rstrip("/")
    verify: ssl.SSLContext = default_trust()
    transport: httpx.AsyncBaseTransport | None = None
    if connection.ca_bundle:
        try:
            verify = ssl.create_default_context(cafile=str(connection.ca_bundle))
        except (OSError, ssl.SSLError) as error:  # said on the wall by every request
            transport = _Refusing(f"cannot use the CA bundle {connection.ca_bundle}: {error}")
    credentials = credentials_of(connection, discover)
    auth = None
    if credentials is not None:
        auth = BackendAuth(
            base,
            credentials,
            connection.token_url or token_url,
            lookup=lambda: credentials_of(connection, discover),
            verify=verify,
        )
    headers = {"NGSILD-Tenant": connection.tenant} if connection.tenant else {}
    return httpx.AsyncClient(
        base_url=base,
        timeout=DEFAULT_TIMEOUT,
        auth=auth,
        verify=verify,
        headers=headers,
        transport=transport,
    )


class _Refusing(httpx.AsyncBaseTransport):
    """A connection whose TLS trust cannot be set up sends nothing and says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise BackendError(self.reason)
