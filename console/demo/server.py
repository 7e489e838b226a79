"""Run the demo backend in-process: uvicorn on its own thread and event loop.

The console (`main.py --demo`) and the tests embed it this way. The socket is bound
here, so port 0 yields a free port known before the server runs, and `start()`
returns only once uvicorn serves (signalled from its startup, not polled).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

from console.demo import catalog
from console.demo.access import Access
from console.demo.app import create_app
from console.demo.clips import ClipStore
from console.demo.province import PROFILES, VIDEO_FPS, Province
from console.demo.recorder import RETENTION_S, Recorder, Span
from console.demo.serving import ThreadedServer

log = logging.getLogger(__name__)


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
        access: Access | None = None,
        retention_s: float = RETENTION_S,
        recordings_dir: Path | None = None,
        recorded: Mapping[str, Iterable[Span]] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.seed = seed
        self.incident_interval_s = incident_interval_s
        self.kpi_interval_s = kpi_interval_s
        self.video_cache_dir = video_cache_dir
        self.access = access  # None: open, everyone an operator
        self.retention_s = retention_s
        self.recordings_dir = recordings_dir  # None: a temporary folder, removed on stop
        self.recorded = recorded  # past spans per camera (tests), before the server's start
        self.recorder: Recorder | None = None
        self._own_recordings: Path | None = None
        self.province: Province | None = None
        self.clips: ClipStore | None = None
        self.start_s: float | None = None  # how long `start()` took
        self._serving = ThreadedServer("ioc-demo-backend", host, port)

    @property
    def url(self) -> str:
        if self._serving.url is None:
            raise RuntimeError("the demo backend is not running; call start() first")
        return self._serving.url

    def start(self, timeout: float = 15.0) -> str:
        """Start serving and return the base URL, e.g. http://127.0.0.1:41234."""
        started = time.perf_counter()
        self.province = Province(self.seed, self.incident_interval_s, self.kpi_interval_s)
        self.clips = ClipStore(
            catalog.CAMERAS, PROFILES.items(), VIDEO_FPS, cache_root=self.video_cache_dir
        )
        folder = self.recordings_dir
        if folder is None:
            folder = self._own_recordings = Path(tempfile.mkdtemp(prefix="ioc-demo-recordings-"))
        self.recorder = Recorder(self.province, folder, self.retention_s, self.recorded)
        app = create_app(self.province, self.clips, self.access, self.recorder)
        try:
            self._serving.start(app, timeout)
        except RuntimeError as error:
            raise RuntimeError(f"the demo backend did not start: {error}") from error
        self.start_s = time.perf_counter() - started
        log.info(
            "demo backend at %s (seed %d) in %.2f s", self.url, self.province.seed, self.start_s
        )
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """End open streams, shut uvicorn down and join its thread."""
        province = self.province
        self._serving.stop(timeout, before=province.close if province is not None else None)
        if self._own_recordings is not None:
            shutil.rmtree(self._own_recordings, ignore_errors=True)
            self._own_recordings = None

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
