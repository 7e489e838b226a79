"""Hardware video decoding: on by default where the machine has it, software otherwise.

Both engines decide for themselves whether a hardware decoder opens (libVLC's `avcodec-hw`,
FFmpeg inside Qt Multimedia with `QT_FFMPEG_DECODING_HW_DEVICE_TYPES`) and fall back to
software silently when it does not. Neither tells which one won, so the console states what
it asked for and whether this machine has the device for it: "vaapi" where a DRM render node
exists, "software (vaapi unavailable)" when a forced decoder has no device. Pure decisions.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from console.video.render import gpu_devices

HARDWARE = ("vaapi", "vdpau", "d3d11va", "dxva2", "videotoolbox", "cuda")
DECODER_CHOICES = ("auto", "off", *HARDWARE)
FFMPEG_VARIABLE = "QT_FFMPEG_DECODING_HW_DEVICE_TYPES"


def hardware_available(
    platform: str = sys.platform, devices: Sequence[str] = ()
) -> tuple[str, ...]:
    """Decoder APIs this machine can plausibly open (the libraries still try and may refuse).

    On Linux VA-API and VDPAU need a DRM render node among the GPU `devices`."""
    if platform == "win32":
        return ("d3d11va", "dxva2")
    if platform == "darwin":
        return ("videotoolbox",)
    return ("vaapi", "vdpau") if any("/renderD" in device for device in devices) else ()


@dataclass(frozen=True)
class DecoderPlan:
    """What each engine is told, and the words shown in tooltips and diagnostics."""

    setting: str  # auto, off, or one of HARDWARE
    available: tuple[str, ...]

    @property
    def wanted(self) -> tuple[str, ...]:
        if self.setting == "off":
            return ()
        if self.setting == "auto":
            return self.available
        return (self.setting,)

    @property
    def label(self) -> str:
        """The decoder a tile reports: the hardware API used, or why it is software."""
        if self.setting == "off":
            return "software (hardware decoding off)"
        if self.setting != "auto" and self.setting not in self.available:
            return f"software ({self.setting} unavailable)"
        return self.wanted[0] if self.wanted else "software"

    def vlc_option(self) -> str:
        """Per media: `any` lets libVLC try every hardware decoder it has, then software."""
        if self.setting == "off":
            return ":avcodec-hw=none"
        return ":avcodec-hw=any" if self.setting == "auto" else f":avcodec-hw={self.setting}"

    def ffmpeg_types(self) -> str | None:
        """Qt Multimedia's priority list; None leaves Qt's own, "," turns hardware off."""
        if self.setting == "auto":
            return None
        return "," if self.setting == "off" else self.setting


def plan_decoders(setting: str = "auto") -> DecoderPlan:
    if setting not in DECODER_CHOICES:
        raise ValueError(f"unknown decoder {setting!r}: use one of {', '.join(DECODER_CHOICES)}")
    return DecoderPlan(setting, hardware_available(sys.platform, gpu_devices()))
