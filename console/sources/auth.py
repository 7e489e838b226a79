"""Backend credentials: where they come from, how they are sent, and kept out of logs.

A bearer token comes from `IOC_CONSOLE_TOKEN` or the system keyring (service
"ioc-console", user "<backend url>"); OAuth2 client credentials from
`IOC_CONSOLE_CLIENT_ID` / `IOC_CONSOLE_CLIENT_SECRET` (or the keyring). Never from
layout files. A 401 makes the client authenticate again (a fresh OAuth token, or the
token re-read: it may have been rotated) and retry once. Values are checked where
they are read: surrounding whitespace is dropped, anything else invisible is refused
in words that never quote the value (see `redaction` for the log side).
"""

from __future__ import annotations

import logging
import os
import ssl
import unicodedata
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field

import httpx

from console.site.model import SecretRef
from console.sources.ioc.api import BackendError
from console.sources.redaction import RedactSecrets, keep_secret

__all__ = [
    "BackendAuth",
    "Credentials",
    "CredentialsError",
    "RedactSecrets",
    "clean_credential",
    "keep_secret",
]

log = logging.getLogger(__name__)
TOKEN_ENV = "IOC_CONSOLE_TOKEN"
CLIENT_ID_ENV = "IOC_CONSOLE_CLIENT_ID"
CLIENT_SECRET_ENV = "IOC_CONSOLE_CLIENT_SECRET"
KEYRING_SERVICE = "ioc-console"


class CredentialsError(BackendError):
    """A credential that cannot be used as it was set; the message never contains it."""


def _odd_character(char: str) -> str:
    if unicodedata.category(char) == "Cc":
        return "a control character"
    return "a space" if char.isspace() else "a character outside visible ASCII"


def clean_credential(
    value: str | None, what: str, *, secret: bool = True, rotating: bool = False
) -> str | None:
    """`value` without the whitespace around it (`export T=$(cat file)` leaves a newline),
    None if nothing is left. Anything else but visible ASCII is refused: httpx would put
    the whole header, secret and all, into its error (and cannot send non-ASCII at all).
    A `secret` is registered for redaction as it came, before it is judged."""
    if value is None:
        return None
    if secret:
        keep_secret(value, rotating=rotating)
    stripped = value.strip()
    if not stripped:
        return None
    odd = next((char for char in stripped if not "!" <= char <= "~"), None)
    if odd is not None:
        raise CredentialsError(f"{what} contains {_odd_character(odd)}; check how it was set")
    return keep_secret(stripped, rotating=rotating) if secret else stripped


def _keyring(backend: str, name: str) -> str | None:
    return _keyring_entry(f"{backend}:{name}")


def _keyring_entry(entry: str) -> str | None:
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, entry)
        return str(value) if value else None
    except Exception as error:  # no keyring daemon on a kiosk is normal
        log.debug("no system keyring: %s", type(error).__name__)
        return None


def _read(
    env: Mapping[str, str], variable: str, backend: str, name: str, what: str, secret: bool
) -> str | None:
    """One credential from the environment, else from the keyring; checked either way."""
    value = clean_credential(env.get(variable), f"{what} from {variable}", secret=secret)
    if value is None:
        value = clean_credential(
            _keyring(backend, name), f"{what} in the system keyring", secret=secret
        )
    return value


def read_secret(
    ref: SecretRef, what: str, secret: bool = True, env: Mapping[str, str] = os.environ
) -> str | None:
    """The credential a site file's reference points at (None: not set); raises
    CredentialsError when what is there cannot be sent (a control character, say)."""
    if ref.env is not None:
        return clean_credential(env.get(ref.env), f"{what} from {ref.env}", secret=secret)
    raw = _keyring_entry(ref.keyring or "")
    return clean_credential(raw, f"{what} in the system keyring", secret=secret)


@dataclass(frozen=True)
class Credentials:
    token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    problem: str = ""  # why what was set cannot be used; every request is then refused

    @classmethod
    def discover(cls, backend: str, env: Mapping[str, str] = os.environ) -> Credentials | None:
        """What is set for `backend` (None: nothing). An unusable value does not stop the
        console: its requests fail with `problem`, shown on the wall, and it is read again."""
        try:
            token = _read(env, TOKEN_ENV, backend, "token", "the token", True)
            client_id = _read(
                env, CLIENT_ID_ENV, backend, "client_id", "the OAuth2 client id", False
            )
            secret = _read(
                env, CLIENT_SECRET_ENV, backend, "client_secret", "the OAuth2 client secret", True
            )
        except CredentialsError as error:
            return cls(problem=str(error))
        if client_id and secret:
            return cls(client_id=client_id, client_secret=secret)
        return cls(token=token) if token else None

    @classmethod
    def from_refs(
        cls,
        token: SecretRef | None,
        client_id: SecretRef | None,
        client_secret: SecretRef | None,
        env: Mapping[str, str] = os.environ,
    ) -> Credentials | None:
        """What a site file's references point at (None: nothing set there)."""

        def read(ref: SecretRef | None, what: str, secret: bool) -> str | None:
            return None if ref is None else read_secret(ref, what, secret, env)

        try:
            bearer = read(token, "the token", True)
            ident = read(client_id, "the OAuth2 client id", False)
            secret = read(client_secret, "the OAuth2 client secret", True)
        except CredentialsError as error:
            return cls(problem=str(error))
        if ident and secret:
            return cls(client_id=ident, client_secret=secret)
        return cls(token=bearer) if bearer else None


class BackendAuth(httpx.Auth):
    def __init__(
        self,
        backend: str,
        credentials: Credentials,
        token_url: str | None = None,
        lookup: Callable[[], Credentials | None] | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        """`lookup` reads the credentials again (they may have been rotated or fixed);
        by default from the environment and keyring entries of `backend`."""
        self.backend = backend
        self.lookup = lookup or (lambda: Credentials.discover(backend))
        self.verify = verify  # the connection's TLS trust, for the token endpoint too
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
        if creds.problem or not creds.client_secret:
            # A rotated token, or a value fixed (in the keyring) since it was refused.
            fresh = self.lookup()
            if (fresh is not None and fresh.problem) or (fresh is None and creds.problem):
                raise CredentialsError((fresh or creds).problem)
            if fresh is None:
                return
            self.credentials = creds = fresh
        if creds.client_id and creds.client_secret:
            await self._oauth(creds.client_id, creds.client_secret)
        elif creds.token:
            self._token = creds.token

    async def _oauth(self, client_id: str, client_secret: str) -> None:
        """A fresh access token by the client-credentials grant; kept as it was if refused."""
        async with httpx.AsyncClient(timeout=10.0, verify=self.verify) as client:
            response = await client.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": client_id,
                    "client_secret": client_secret,
                },
            )
        if response.status_code != 200:
            log.warning("OAuth2 token request refused (%s)", response.status_code)
            return
        try:
            body = response.json()
        except ValueError as error:
            raise CredentialsError("the OAuth2 token endpoint did not answer in JSON") from error
        value = body.get("access_token") if isinstance(body, dict) else None
        token = clean_credential(
            value if isinstance(value, str) else None,
            "the access token from the OAuth2 token endpoint",
            rotating=True,
        )
        if token is None:
            log.warning("the OAuth2 token endpoint sent no access token")
            return
        self._token = token
