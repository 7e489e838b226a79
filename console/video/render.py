"""How the wall draws: through the GPU, or the cheapest software path when there is none.

Without a GPU, OpenGL is Mesa's llvmpipe on the CPU. Then Chromium's GL compositing (the
map) and every video frame's GL conversion cost more than decoding itself, and a frame's
conversion lands on the GUI thread. Measured on a 2-core machine with 16 RTSP tiles beside a
map: default GL 1.5 cores and 130-230 ms GUI stalls; Qt Quick's software backend with xcb's GL
integration off 0.8-0.9 cores and 2-4 ms, map still drawn (DESIGN.md §4). Turning GL off
without the software Quick backend blanks the web view, so both go together or not at all.
Pure decisions here; widgets/qt_setup.py applies them before the QApplication exists.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

RenderPath = Literal["software", "gpu"]
RENDER_CHOICES = ("auto", "software", "gpu")
SOFTWARE_GL = ("llvmpipe", "softpipe", "swrast", "software rasterizer", "swr")
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class RenderChoice:
    path: RenderPath
    why: str  # plain words for the log and the diagnostics


def gpu_devices() -> list[str]:
    """Linux DRM nodes a GPU driver would expose (none in a VM or container without one)."""
    return sorted(glob.glob("/dev/dri/renderD*") + glob.glob("/dev/dri/card*"))


def choose_render_path(
    setting: str,
    env: Mapping[str, str],
    devices: Sequence[str],
    platform: str = sys.platform,
) -> RenderChoice:
    """`setting` is auto, software or gpu (the --render option or IOC_CONSOLE_RENDER)."""
    if setting == "software":
        return RenderChoice("software", "software rendering was asked for")
    if setting == "gpu":
        return RenderChoice("gpu", "GPU rendering was asked for")
    if env.get("LIBGL_ALWAYS_SOFTWARE", "").lower() in _TRUE:
        return RenderChoice("software", "LIBGL_ALWAYS_SOFTWARE is set")
    if platform.startswith("linux") and not devices:
        return RenderChoice("software", "no GPU device (/dev/dri) on this machine")
    return RenderChoice("gpu", "a GPU device is present")


def is_software_renderer(gl_renderer: str) -> bool:
    """True for OpenGL renderers that run on the CPU (the GPU path then costs more)."""
    name = gl_renderer.lower()
    return any(word in name for word in SOFTWARE_GL)


def software_environment(platform_name: str) -> dict[str, str]:
    """What to set before the QApplication for the software path on this Qt platform.

    Only xcb has GL integration to turn off; elsewhere the Quick backend alone is enough.
    """
    values = {"QT_QUICK_BACKEND": "software"}
    if platform_name in ("xcb", ""):
        values["QT_XCB_GL_INTEGRATION"] = "none"
    return values
