"""Credentials, re-authentication, roles and secrets that never reach a log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from console.demo.access import Access
from console.demo.server import DemoServer
from console.domain.records import ActionKind, IncidentAction
from console.logs import configure_logging
from console.sources.auth import TOKEN_ENV, BackendAuth, Credentials
from console.sources.ioc.api import BackendError, IocApi
from console.stores.session import Session

TOKENS = {"operator-token-42": "operator", "viewer-token-17": "viewer"}
CLIENT = ("wall-pc-3", "s3cret-client-secret")


@pytest.fixture(scope="module")
def guarded() -> Iterator[tuple[str, Access]]:
    access = Access(tokens=dict(TOKENS), clients={CLIENT[0]: (CLIENT[1], "operator")})
    with DemoServer(seed=5, access=access) as server:
        yield server.url, access


def api_for(url: str, env: dict[str, str]) -> IocApi:
    credentials = Credentials.discover(url, env)
    return IocApi(url, auth=BackendAuth(url, credentials) if credentials else None)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_without_credentials_the_console_says_what_to_do(guarded: tuple[str, Access]) -> None:
    async def scenario() -> None:
        api = api_for(guarded[0], {})
        try:
            with pytest.raises(
                BackendError, match=r"refused our credentials \(401\).*IOC_CONSOLE_TOKEN"
            ):
                await api.cameras()
        finally:
            await api.aclose()

    run(scenario())


def test_a_viewer_reads_but_the_client_refuses_its_actions(guarded: tuple[str, Access]) -> None:
    async def scenario() -> None:
        api = api_for(guarded[0], {TOKEN_ENV: "viewer-token-17"})
        try:
            assert await api.cameras()
            assert await api.me() == "viewer" and not api.may_act
            incident = (await api.incidents())[0]
            with pytest.raises(BackendError, match=r"your role \(viewer\) may not act"):
                await api.act(incident.id, IncidentAction(action=ActionKind.ACKNOWLEDGE))
        finally:
            await api.aclose()

    run(scenario())
    # and the server refuses too, whatever a client does
    incident_id = httpx.get(
        f"{guarded[0]}/api/v1/incidents", headers={"Authorization": "Bearer viewer-token-17"}
    ).json()["items"][0]["id"]
    refused = httpx.post(
        f"{guarded[0]}/api/v1/incidents/{incident_id}/actions",
        json={"action": "acknowledge"},
        headers={"Authorization": "Bearer viewer-token-17", "Idempotency-Key": "k-viewer"},
    )
    assert refused.status_code == 403


def test_oauth_token_expiry_leads_to_reauthentication_and_a_retry(
    guarded: tuple[str, Access],
) -> None:
    url, access = guarded

    async def scenario() -> None:
        env = {"IOC_CONSOLE_CLIENT_ID": CLIENT[0], "IOC_CONSOLE_CLIENT_SECRET": CLIENT[1]}
        api = api_for(url, env)
        auth = api.client.auth
        assert isinstance(auth, BackendAuth)
        try:
            assert await api.kpis()
            assert await api.me() == "operator"
            httpx.post(f"{url}/api/v1/demo/expire-tokens")
            assert await api.cameras(), "a 401 re-authenticates and retries transparently"
            assert auth.authentications == 2
        finally:
            await api.aclose()

    before = access.issued
    run(scenario())
    assert access.issued == before + 2


def test_secrets_never_reach_the_log_even_at_debug(
    guarded: tuple[str, Access], tmp_path: Path
) -> None:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        path = configure_logging("DEBUG", tmp_path)
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.DEBUG)  # the chattiest possible

        async def scenario() -> None:
            env = {
                TOKEN_ENV: "operator-token-42",
                "IOC_CONSOLE_CLIENT_ID": CLIENT[0],
                "IOC_CONSOLE_CLIENT_SECRET": CLIENT[1],
            }
            api = api_for(guarded[0], env)
            try:
                await api.cameras()
            finally:
                await api.aclose()
            logging.getLogger("careless").debug(
                "headers were Bearer operator-token-42, %s", CLIENT[1]
            )

        run(scenario())
        for handler in root.handlers:
            handler.flush()
        text = path.read_text()
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])
    assert "headers were Bearer ***, ***" in text
    for secret in ("operator-token-42", CLIENT[1], "oauth-"):
        assert secret not in text


def test_the_queue_hides_actions_from_a_viewer(qtbot: QtBot) -> None:
    from console.layout.panel_kinds import IncidentsConfig
    from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
    from widgets.incidents.panel import IncidentsPanel
    from widgets.panel import PanelContext

    session = Session()
    context = PanelContext(CameraStore(), IncidentTableModel(), KpiStore(), LayerStore(), session)
    panel = IncidentsPanel(context, IncidentsConfig())
    qtbot.addWidget(panel)
    panel.show()
    assert panel.action_bar.isVisible()
    session.set_role("viewer")
    assert not panel.action_bar.isVisible() and not panel.action_bar.isEnabled()
    assert session.forbidden() == "your role (viewer) may not act on incidents"
    session.set_role("leader")
    assert panel.action_bar.isVisible()
