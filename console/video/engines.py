"""Which engine plays a stream: libVLC, or Qt Multimedia for what this libVLC cannot open.

libVLC is the main engine (native, cheapest per frame). Debian/Ubuntu build it without live555,
so it cannot open `rtsp://`: we look for the plugin once and, if it is missing or a
libVLC RTSP open fails anyway, play `rtsp://` with Qt Multimedia (FFmpeg) instead. A layout may
force either engine. Pure decisions: the players themselves live in widgets/video/.
"""

from __future__ import annotations

import glob
import logging
import os
from functools import cache
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

EngineName = Literal["vlc", "qt"]
_vlc_failed_rtsp = False  # learnt at run time: a libVLC that claims RTSP but cannot open it


def _vlc_plugin_dirs() -> list[Path]:
    dirs = [Path(p) for p in os.environ.get("VLC_PLUGIN_PATH", "").split(os.pathsep) if p]
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        maps = ""
    for line in maps.splitlines():
        if "libvlccore.so" in line:
            dirs.append(Path(line.split()[-1]).parent / "vlc" / "plugins")
    dirs += [Path(p) for p in [*glob.glob("/usr/lib/*/vlc/plugins"), "/usr/lib/vlc/plugins"]]
    return [d for d in dirs if d.is_dir()]


@cache
def vlc_has_live555() -> bool:
    """True unless we find libVLC's plugin folder and it has no live555 (RTSP) module."""
    dirs = _vlc_plugin_dirs()
    if not dirs:
        return True  # Windows/macOS builds of VLC ship live555
    found = any(any(d.glob("*/liblive555_plugin.*")) for d in dirs)
    if not found:
        log.info("libVLC has no live555 module: rtsp:// plays with Qt Multimedia")
    return found


def note_vlc_rtsp_failure() -> None:
    """libVLC failed an rtsp:// open: later RTSP streams go straight to Qt Multimedia."""
    global _vlc_failed_rtsp
    _vlc_failed_rtsp = True


def choose_engine(url: str, forced: str = "auto") -> EngineName:
    if forced in ("vlc", "qt"):
        return forced  # type: ignore[return-value]
    if url.lower().startswith(("rtsp:", "rtsps:")) and (_vlc_failed_rtsp or not vlc_has_live555()):
        return "qt"
    return "vlc"
