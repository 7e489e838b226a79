"""Process-wide Qt settings that must be made before the QApplication exists."""

from __future__ import annotations

import argparse
import gc
import logging
import os

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from console.video.decoders import DECODER_CHOICES, FFMPEG_VARIABLE, DecoderPlan, plan_decoders
from console.video.render import (
    RENDER_CHOICES,
    RenderChoice,
    choose_render_path,
    gpu_devices,
    is_software_renderer,
    software_environment,
)

log = logging.getLogger(__name__)
STREAM_OPENERS = 40  # streams that may open at once: a 6x6 wall and a few spot tiles
_render = RenderChoice("gpu", "not configured")
_decoders = DecoderPlan("auto", ())


def configure_qt(render: str | None = None, decoder: str | None = None) -> None:
    """Set once, before QApplication: the console and its tests share these.

    `render` (auto, software, gpu) and `decoder` (auto, off, vaapi, ...) default to the
    IOC_CONSOLE_RENDER and IOC_CONSOLE_DECODER variables, then to auto.
    """
    global _render, _decoders
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        _add_chromium_flag("--no-sandbox")  # Chromium refuses root with its sandbox (kiosks, CI)
    setting = render or os.environ.get("IOC_CONSOLE_RENDER") or "auto"
    _render = choose_render_path(setting, os.environ, gpu_devices())
    if _render.path == "software":
        platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
        for name, value in software_environment(platform).items():
            os.environ.setdefault(name, value)
        _add_chromium_flag("--disable-gpu")  # no GL to probe: Chromium composites in software
    _decoders = plan_decoders(decoder or os.environ.get("IOC_CONSOLE_DECODER") or "auto")
    types = _decoders.ffmpeg_types()
    if types is not None:
        os.environ[FFMPEG_VARIABLE] = types
    # Qt Multimedia opens each stream (RTSP: ~1 s of network round trips) on Qt's global
    # thread pool, sized to the cores: on 2 cores a 16-tile wall came up two tiles at a time.
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(pool.maxThreadCount(), STREAM_OPENERS))
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    # Only video surfaces (and their parents) become native windows. A web view in a
    # native sibling is left unpainted by the compositor and can crash QtWebEngine.
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontCreateNativeWidgetSiblings)


def add_video_options(parser: argparse.ArgumentParser) -> None:
    """How video is drawn and decoded (the wall and a briefing share them)."""
    parser.add_argument(
        "--render",
        choices=RENDER_CHOICES,
        help="draw through the GPU or in software (default auto: software without a GPU; "
        "also IOC_CONSOLE_RENDER)",
    )
    parser.add_argument(
        "--decoder",
        choices=DECODER_CHOICES,
        help="hardware video decoder (default auto: the machine's own, else software; "
        "also IOC_CONSOLE_DECODER)",
    )


def _add_chromium_flag(flag: str) -> None:
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if flag not in flags.split():
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {flag}".strip()


def render_choice() -> RenderChoice:
    return _render


def decoder_plan() -> DecoderPlan:
    return _decoders


def report_rendering() -> None:
    """Once the QApplication exists: say how the wall draws, and warn if the GPU is software."""
    log.info("rendering: %s (%s); video decoding: %s", _render.path, _render.why, _decoders.label)
    if _render.path != "gpu":
        return
    renderer = opengl_renderer()
    if renderer and is_software_renderer(renderer):
        log.warning(
            "OpenGL here is %s, which runs on the CPU: start with --render software for a "
            "smoother wall",
            renderer,
        )


def opengl_renderer() -> str:
    """GL_RENDERER of a throw-away context ("" if OpenGL cannot start)."""
    from PySide6.QtGui import QOffscreenSurface, QOpenGLContext

    surface, context = QOffscreenSurface(), QOpenGLContext()
    surface.create()
    try:
        if not context.create() or not context.makeCurrent(surface):
            return ""
        GL_RENDERER = 0x1F01
        return str(context.functions().glGetString(GL_RENDERER) or "")
    finally:
        context.doneCurrent()
        surface.destroy()


GC_CHECK_S = 0.1  # how often the GUI thread collects what is due


class GuiThreadCollector:
    """Python's cyclic GC, on the GUI thread only and in small steps.

    Automatic collection is off, and a GUI-thread timer collects as CPython would have:
    once the youngest generation's count passes its threshold, the oldest generation
    due (`gc.get_threshold()`, read each time: ioc_console/heap.py's LiveHeap tunes it).
    pyqtgraph's GarbageCollector, used before, looked once a second with the thresholds
    of its start: at 1,000 incident events/s (tests/bench/incidents.py) a second's young
    objects took 4 ms to walk, the middle generation (every 11 s) 15-22 ms, and the
    oldest (every two minutes) everything not frozen. Looking every 100 ms, the same
    burst's young collections took under 3 ms and the middle ones under 8 ms."""

    def __init__(self, interval_s: float = GC_CHECK_S) -> None:
        self.timer = QTimer()
        self.timer.timeout.connect(self.check)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer.start(round(interval_s * 1000))

    def check(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] > thresholds[0]:
            gc.collect(max(g for g in range(3) if counts[g] > thresholds[g]))

    def close(self) -> None:
        """Stop; automatic collection back if it was on before (a benchmark's next part)."""
        self.timer.stop()
        if self._was_enabled:
            gc.enable()


def collect_garbage_on_gui_thread() -> GuiThreadCollector:
    """Python's cyclic GC may run on any thread (the demo backend's, httpx's) and
    destroy QObjects there, which crashes Qt. Collect on a GUI-thread timer instead.

    Keep the returned object alive for the life of the application.
    """
    return GuiThreadCollector()
