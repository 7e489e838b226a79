"""Run the demo backend in-process: uvicorn on its own thread and event loop.

The console (`main.py --demo`) and the tests embed it this way. The socket is bound
here, so port 0 yields a free port known before the server runs, and `start()`
returns only once uvicorn serves (signalled from its startup, not polled).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn

from console.demo import catalog
from console.demo.app import create_app
from console.demo.clips import ClipStore
from console.demo.province import PROFILES, VIDEO_FPS, Province

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


def _bind(host: str, port: int) -> socket.socket:
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


class DemoServer:
    """The demo IOC backend on a background thread. Use as a context manager."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        incident_interval_s: float = 5.0,
        kpi_interval_s: float = 5.0,
        video_cache_dir: Path | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.seed = seed
        self.incident_interval_s = incident_interval_s
        self.kpi_interval_s = kpi_interval_s
        self.video_cache_dir = video_cache_dir
        self.province: Province | None = None
        self.clips: ClipStore | None = None
        self.start_s: float | None = None  # how long `start()` took
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the demo backend is not running; call start() first")
        return self._url

    def start(self, timeout: float = 15.0) -> str:
        """Start serving and return the base URL, e.g. http://127.0.0.1:41234."""
        if self._thread is not None:
            raise RuntimeError("the demo backend is already running")
        started = time.perf_counter()
        self.province = Province(self.seed, self.incident_interval_s, self.kpi_interval_s)
        self.clips = ClipStore(
            catalog.CAMERAS, PROFILES.items(), VIDEO_FPS, cache_root=self.video_cache_dir
        )
        app = create_app(self.province, self.clips)
        sock = _bind(self.host, self.port)
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
            target=self._run, args=(self._server, sock), name="ioc-demo-backend", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout) or not self._server.started:
            self.stop()
            raise RuntimeError(f"the demo backend did not start within {timeout:g} s")
        port = sock.getsockname()[1]
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        self._url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        self.start_s = time.perf_counter() - started
        log.info(
            "demo backend at %s (seed %d) in %.2f s", self._url, self.province.seed, self.start_s
        )
        return self._url

    @staticmethod
    def _run(server: _Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException:  # uvicorn exits with SystemExit when startup fails
            log.exception("demo backend stopped with an error")
        finally:
            sock.close()
            server.ready.set()  # never leave start() waiting for a server that died

    def stop(self, timeout: float = 10.0) -> None:
        """End open streams, shut uvicorn down and join its thread."""
        server, thread, province = self._server, self._thread, self.province
        if server is None or thread is None:
            return
        loop = server.loop
        if loop is not None and province is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                loop.call_soon_threadsafe(province.close)
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)
        self._server = self._thread = None
        self._url = None

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
