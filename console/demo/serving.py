"""Serve an ASGI app on a background thread with its own event loop.

The socket is bound here, so port 0 yields a free port known before the server
runs, and `start()` returns only once uvicorn serves (signalled from its startup,
not polled). Used by the demo backend and by test helpers such as the fault proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

import uvicorn

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """A uvicorn server that reports when it is up and which loop it runs on."""

    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self.ready = ready
        self.loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().startup(sockets=sockets)
        self.ready.set()


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only when the
    # protocol says TCP, and without it every small response waits ~40 ms (Nagle + ACK delay).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class ThreadedServer:
    def __init__(self, name: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.name, self.host, self.port = name, host, port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url: str | None = None

    def start(self, app: Any, timeout: float = 15.0) -> str:
        """Serve `app`; returns the base URL, e.g. http://127.0.0.1:41234."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} is already running")
        sock = bind(self.host, self.port)
        config = uvicorn.Config(
            app,
            log_config=None,  # leave the host program's logging alone
            log_level="warning",
            access_log=False,
            lifespan="on",
            loop="asyncio",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=3,
        )
        ready = threading.Event()
        self._server = _Server(config, ready)
        self._thread = threading.Thread(
            target=self._run, args=(self._server, sock), name=self.name, daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout) or not self._server.started:
            self.stop()
            raise RuntimeError(f"{self.name} did not start within {timeout:g} s")
        port = sock.getsockname()[1]
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        self.url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        return self.url

    def _run(self, server: _Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException:  # uvicorn exits with SystemExit when startup fails
            log.exception("%s stopped with an error", self.name)
        finally:
            sock.close()
            server.ready.set()  # never leave start() waiting for a server that died

    def call_soon(self, callback: Callable[[], None]) -> None:
        """Run `callback` on the server's loop (e.g. to end open streams)."""
        loop = self._server.loop if self._server is not None else None
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                loop.call_soon_threadsafe(callback)

    def stop(self, timeout: float = 10.0, before: Callable[[], None] | None = None) -> None:
        """End open streams (`before`, on the server's loop), shut down, join the thread."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        if before is not None:
            self.call_soon(before)
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)
        self._server = self._thread = None
        self.url = None
