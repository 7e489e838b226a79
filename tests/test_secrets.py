"""A careless token never leaks: not to the log, the status bar or any file (issue 14).

`export IOC_CONSOLE_TOKEN=$(cat file)` leaves a newline; a keyring entry pasted from a
terminal may hold an escape or a NUL. httpx then refused the header with the whole value
in its message, which went to the log and the wall's status bar. Now a token is stripped
and checked where it is read, and every spelling of a secret is masked in every log
record. The running console is fed such tokens and everything it wrote is searched.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication, QLabel

from console.demo.access import Access
from console.demo.server import DemoServer
from console.logs import configure_logging
from console.sources.auth import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    KEYRING_SERVICE,
    TOKEN_ENV,
    BackendAuth,
    Credentials,
    CredentialsError,
)
from console.sources.ioc.api import IocApi
from tests.conftest import run_on_qt_loop

URL = "http://ioc.test"
WALL_TOKEN = "wall-7f3a9c-d41d8cd98f00b204"  # the guarded demo makes its holder a leader
# Visible ASCII that every kind of escaping changes: quotes, backslash, slash, plus, equals.
ODD_TOKEN = "Zq9/+x'y\"z\\=w~T0k3n-e5b1"
CARELESS = {"CRLF": "\r\n", "LF": "\n", "spaces and tabs": " \t \n"}
CONTROL = {"NUL": "\x00", "CR": "\r", "LF": "\n", "ESC": "\x1b", "DEL": "\x7f", "NEL": "\x85"}
INVISIBLE = {"space": (" ", "a space"), "zero width": ("\u200b", "outside visible ASCII")}


def spellings(secret: str) -> dict[str, str]:
    """How an error message may quote a secret (listed here, not taken from the code)."""
    return {
        "as is": secret,
        "repr": repr(secret)[1:-1],
        "json": json.dumps(secret)[1:-1],
        "url path": quote(secret, safe=""),
        "url form": quote_plus(secret),
        "bytes": repr(secret.encode("utf-8", "surrogateescape"))[2:-1],
    }


def leaks(text: str, *secrets: str) -> list[str]:
    return [
        f"{name} form of {secret!r}"
        for secret in secrets
        for name, form in spellings(secret).items()
        if form in text
    ]


class MemoryKeyring(KeyringBackend):
    """The system keyring, in memory: tests never read or write the user's own."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


@pytest.fixture(autouse=True)
def ring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    for name in (TOKEN_ENV, CLIENT_ID_ENV, CLIENT_SECRET_ENV):
        monkeypatch.delenv(name, raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@contextlib.contextmanager
def console_logging(folder: Path) -> Iterator[Path]:
    """The console's own logging, as chatty as it gets, into `folder`. Set up inside the
    test: its stderr handler must write to the capture of the test's own phase."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    path = configure_logging("DEBUG", folder)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        for handler in root.handlers:
            handler.flush()
            handler.close()
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])


def refused_without_a_request(credentials: Credentials) -> str:
    """The error a request meets with these credentials; none may reach the server."""
    sent: list[httpx.Request] = []

    async def scenario() -> str:
        transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200))
        auth = BackendAuth(URL, credentials)
        async with httpx.AsyncClient(base_url=URL, transport=transport, auth=auth) as client:
            with pytest.raises(CredentialsError) as refused:
                await IocApi(URL, client).cameras()
        return str(refused.value)

    message = asyncio.run(scenario())
    assert sent == []
    return message


@pytest.mark.parametrize("careless", list(CARELESS.values()), ids=list(CARELESS))
def test_whitespace_around_a_credential_is_dropped(careless: str, ring: MemoryKeyring) -> None:
    assert Credentials.discover(URL, {TOKEN_ENV: WALL_TOKEN + careless}) == Credentials(
        token=WALL_TOKEN
    )
    ring.set_password(KEYRING_SERVICE, f"{URL}:token", careless + WALL_TOKEN + careless)
    assert Credentials.discover(URL, {}) == Credentials(token=WALL_TOKEN)
    env = {CLIENT_ID_ENV: f"wall-pc-3{careless}", CLIENT_SECRET_ENV: f"{ODD_TOKEN}{careless}"}
    assert Credentials.discover(URL, env) == Credentials(
        client_id="wall-pc-3", client_secret=ODD_TOKEN
    )
    assert Credentials.discover(URL, {TOKEN_ENV: careless}) == Credentials(token=WALL_TOKEN)


@pytest.mark.parametrize("char", list(CONTROL.values()), ids=list(CONTROL))
def test_a_token_with_a_control_character_inside_is_refused_in_plain_words(
    char: str, ring: MemoryKeyring
) -> None:
    token = WALL_TOKEN[:6] + char + WALL_TOKEN[6:]
    cases = {
        f"the token from {TOKEN_ENV}": {TOKEN_ENV: token},
        "the token in the system keyring": {},
        f"the OAuth2 client secret from {CLIENT_SECRET_ENV}": {
            CLIENT_ID_ENV: "wall-pc-3",
            CLIENT_SECRET_ENV: token,
            TOKEN_ENV: ODD_TOKEN,
        },
        f"the OAuth2 client id from {CLIENT_ID_ENV}": {
            CLIENT_ID_ENV: f"wall{char}pc-3",
            CLIENT_SECRET_ENV: ODD_TOKEN,
            TOKEN_ENV: ODD_TOKEN,
        },
    }
    for where, env in cases.items():
        ring.values.clear()  # only this case in the keyring: each request reads it again
        if "keyring" in where:
            ring.set_password(KEYRING_SERVICE, f"{URL}:token", token)
        credentials = Credentials.discover(URL, env)
        assert credentials is not None
        expected = f"{where} contains a control character; check how it was set"
        assert credentials.problem == expected
        assert refused_without_a_request(credentials) == expected
        assert not leaks(repr(credentials), token, WALL_TOKEN, ODD_TOKEN)


@pytest.mark.parametrize("case", list(INVISIBLE), ids=list(INVISIBLE))
def test_a_token_with_an_invisible_character_inside_is_refused(case: str) -> None:
    char, words = INVISIBLE[case]
    credentials = Credentials.discover(URL, {TOKEN_ENV: f"wall{char}token-secret"})
    assert credentials is not None and words in credentials.problem
    assert "token-secret" not in refused_without_a_request(credentials)


def log_everywhere(demo_url: str) -> None:
    """ODD_TOKEN logged in each spelling: in the message, the arguments, a traceback."""
    log = logging.getLogger("careless")
    for name, form in spellings(ODD_TOKEN).items():
        log.warning("in the message, %s: " + form.replace("%", "%%"), name)
        log.warning("in the arguments, %s: %s and %r", name, form, form)
        try:
            raise ValueError(f"in an exception, {name}: {form}")
        except ValueError:
            log.exception("failed")
    log.warning("inside bytes: %s", ODD_TOKEN.encode())
    # What httpx really says about a header it will not send: the value as a bytes repr.
    with pytest.raises(httpx.LocalProtocolError) as refused:
        httpx.get(demo_url, headers={"Authorization": f"Bearer {ODD_TOKEN}\r\n"})
    assert leaks(str(refused.value), ODD_TOKEN), "the test must feed a real leak"
    log.error("cannot reach the backend (%s)", refused.value)
    log.error("the request failed", exc_info=refused.value)


def test_every_form_of_a_secret_is_masked_in_message_args_and_traceback(
    capfd: pytest.CaptureFixture[str], tmp_path: Path, demo_url: str
) -> None:
    assert Credentials.discover(URL, {TOKEN_ENV: ODD_TOKEN}) == Credentials(token=ODD_TOKEN)
    with console_logging(tmp_path) as log_file:
        log_everywhere(demo_url)
    written = log_file.read_text(encoding="utf-8")
    entries = [json.loads(line) for line in written.splitlines()]
    shown = "\n".join(f"{e['message']}\n{e.get('traceback', '')}" for e in entries)
    assert shown.count("***") >= 3 * len(spellings(ODD_TOKEN)) + 3
    assert not leaks(written, ODD_TOKEN)
    assert not leaks(shown, ODD_TOKEN)
    err = capfd.readouterr().err
    assert "***" in err and not leaks(err, ODD_TOKEN)


LAYOUT = """\
version: 1
name: secrets-test
title: Secrets test
screens:
  - name: main
    rows: 1
    columns: 1
    cells:
      - {row: 0, column: 0, kind: incidents}
"""


@pytest.fixture(scope="module")
def guarded() -> Iterator[str]:
    with DemoServer(seed=3, access=Access(tokens={WALL_TOKEN: "leader"})) as server:
        yield server.url


def run_console(
    qapp: QApplication, url: str, layout: Path, until: Callable[[str, str], bool]
) -> tuple[list[str], str]:
    """The real console until the backend link reaches a state `until` accepts; returns
    the status bars' texts and the role the backend gave."""
    from ioc_console.app import Console

    async def body() -> tuple[list[str], str]:
        # Bounded as a whole: a wall that hangs while running or closing fails the test
        # instead of stalling the run (once seen while live.py was being edited).
        async with asyncio.timeout(60):
            return await scenario()

    async def scenario() -> tuple[list[str], str]:
        console = Console(url, layout)
        reached = asyncio.Event()
        console.federation.links["backend"].stateChanged.connect(
            lambda state, detail: reached.set() if until(state, detail) else None
        )
        console.start()
        try:
            await asyncio.wait_for(reached.wait(), 30)
            console.settings.sync()
            texts = [
                label.text()
                for window in console.windows
                for label in window.statusBar().findChildren(QLabel)
            ]
            return texts, console.context.session.role
        finally:
            await console.aclose()

    result: tuple[list[str], str] = run_on_qt_loop(qapp, body())
    return result


def written_files(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from (path for path in folder.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    ("setting", "refusal"),
    [
        ("env", ""),  # a trailing CR LF: stripped, the wall goes live with the token
        ("env-escape", f"the token from {TOKEN_ENV} contains a control character"),
        ("keyring-nul", "the token in the system keyring contains a control character"),
    ],
)
def test_the_running_console_never_shows_a_careless_token(
    qapp: QApplication,
    guarded: str,
    setting: str,
    refusal: str,
    ring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    token = {
        "env": WALL_TOKEN + "\r\n",
        "env-escape": WALL_TOKEN[:6] + "\x1b" + WALL_TOKEN[6:],
        "keyring-nul": WALL_TOKEN[:6] + "\x00" + WALL_TOKEN[6:],
    }[setting]
    if setting.startswith("env"):
        monkeypatch.setenv(TOKEN_ENV, token)
    else:
        ring.set_password(KEYRING_SERVICE, f"{guarded}:token", token)
    layout = tmp_path / "secrets-test.yaml"
    layout.write_text(LAYOUT, encoding="utf-8")

    def settled(state: str, _detail: str) -> bool:  # loaded, or the first failure
        return state in ("live", "polling", "offline")

    with console_logging(tmp_path / "log") as log_file:
        status, role = run_console(qapp, guarded, layout, settled)
    assert not leaks("\n".join(status), token, WALL_TOKEN)
    assert any(refusal in text for text in status), status
    assert role == ("operator" if refusal else "leader"), "the stripped token is the one used"
    err = capfd.readouterr().err
    assert "backend link" in err and not leaks(err, token, WALL_TOKEN)
    xdg = [Path(os.environ[f"XDG_{name}_HOME"]) for name in ("DATA", "STATE", "CONFIG")]
    files = list(written_files(*xdg, tmp_path, tmp_path_factory.getbasetemp()))
    assert log_file in files
    found = {
        str(path): leak
        for path in files
        if (leak := leaks(path.read_bytes().decode("utf-8", "surrogateescape"), token, WALL_TOKEN))
    }
    assert not found
