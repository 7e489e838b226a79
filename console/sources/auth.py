"""Backend credentials: where they come from, how they are sent, and kept out of logs.

A bearer token comes from `IOC_CONSOLE_TOKEN` or the system keyring (service
"ioc-console", user "<backend url>"); OAuth2 client credentials from
`IOC_CONSOLE_CLIENT_ID` / `IOC_CONSOLE_CLIENT_SECRET` (or the keyring). Never from
layout files. A 401 makes the client authenticate again (a fresh OAuth token, or the
token re-read: it may have been rotated) and retry once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)
TOKEN_ENV = "IOC_CONSOLE_TOKEN"
CLIENT_ID_ENV = "IOC_CONSOLE_CLIENT_ID"
CLIENT_SECRET_ENV = "IOC_CONSOLE_CLIENT_SECRET"
KEYRING_SERVICE = "ioc-console"
_SECRETS: set[str] = set()


def keep_secret(value: str) -> str:
    """Remember a secret so that no log line can ever show it."""
    if len(value) >= 4:
        _SECRETS.add(value)
    return value


class RedactSecrets(logging.Filter):
    """Installed on every log handler: masks any known secret in the final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            message = record.getMessage()
            masked = message
            for secret in _SECRETS:
                masked = masked.replace(secret, "***")
            if masked != message:
                record.msg, record.args = masked, None
        return True


def _keyring(backend: str, name: str) -> str | None:
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, f"{backend}:{name}")
        return str(value) if value else None
    except Exception as error:  # no keyring daemon on a kiosk is normal
        log.debug("no system keyring: %s", type(error).__name__)
        return None


@dataclass(frozen=True)
class Credentials:
    token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None

    @classmethod
    def discover(cls, backend: str, env: Mapping[str, str] = os.environ) -> Credentials | None:
        token = env.get(TOKEN_ENV) or _keyring(backend, "token")
        client_id = env.get(CLIENT_ID_ENV) or _keyring(backend, "client_id")
        secret = env.get(CLIENT_SECRET_ENV) or _keyring(backend, "client_secret")
        for value in (token, secret):
            if value:
                keep_secret(value)
        if client_id and secret:
            return cls(client_id=client_id, client_secret=secret)
        return cls(token=token) if token else None


class BackendAuth(httpx.Auth):
    def __init__(
        self, backend: str, credentials: Credentials, token_url: str | None = None
    ) -> None:
        self.backend = backend
        self.credentials = credentials
        self.token_url = token_url or f"{backend.rstrip('/')}/oauth/token"
        self._token: str | None = credentials.token
        self.authentications = 0

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._token is None:
            await self._authenticate()
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == 401:
            log.info("the backend refused our credentials (401): authenticating again")
            await self._authenticate()
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request

    async def _authenticate(self) -> None:
        self.authentications += 1
        creds = self.credentials
        if creds.client_id and creds.client_secret:
            async with httpx.AsyncClient(timeout=10.0) as client:
                response = await client.post(
                    self.token_url,
                    data={
                        "grant_type": "client_credentials",
                        "client_id": creds.client_id,
                        "client_secret": creds.client_secret,
                    },
                )
            if response.status_code != 200:
                log.warning("OAuth2 token request refused (%s)", response.status_code)
                return
            self._token = keep_secret(str(response.json().get("access_token", "")))
            return
        fresh = Credentials.discover(self.backend)  # a rotated token, if someone set one
        if fresh is not None and fresh.token:
            self._token = fresh.token
