"""The words a camera tile shows for its stream: state, why it stopped, what it reduced.

They are translated in the tile's own "CameraPanel" context, wherever the code that shows
them lives, so moving code between modules never orphans a Vietnamese translation. Plurals
stay in CameraPanel's `self.tr`: lupdate only sees `%n` forms there.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.video.budget import Tier
from console.video.stream import Reason
from console.video.tour import CameraTour


def state_text(state: str) -> str:
    """The state pill: what an operator reads from across the room."""
    return {
        "connecting": QCoreApplication.translate("CameraPanel", "CONNECTING"),
        "live": QCoreApplication.translate("CameraPanel", "LIVE"),
        "stalled": QCoreApplication.translate("CameraPanel", "STALLED"),
        "offline": QCoreApplication.translate("CameraPanel", "OFFLINE"),
        "error": QCoreApplication.translate("CameraPanel", "ERROR"),
    }[state]


def reason_text(reason: str, camera_id: str | None) -> str:
    """Plain words for why no video shows ("" when it does)."""
    match Reason(reason):
        case Reason.WAITING_FOR_LIST:
            return QCoreApplication.translate("CameraPanel", "Waiting for the camera list…")
        case Reason.UNKNOWN_CAMERA:
            text = QCoreApplication.translate(
                "CameraPanel", "Camera “%s” is not in the camera list."
            )
            return text % (camera_id or "")
        case Reason.CAMERA_OFFLINE:
            return QCoreApplication.translate("CameraPanel", "The camera is offline.")
        case Reason.NO_STREAM:
            return QCoreApplication.translate(
                "CameraPanel", "The backend gives no video stream for this camera."
            )
        case Reason.NO_VIDEO:
            return QCoreApplication.translate("CameraPanel", "No video arrived from the camera.")
        case Reason.RTSP_UNSUPPORTED:
            return QCoreApplication.translate(
                "CameraPanel", "The stream could not be opened. This player may not support RTSP."
            )
        case Reason.ENDED:
            return QCoreApplication.translate("CameraPanel", "The stream ended.")
        case Reason.OPEN_FAILED:
            return QCoreApplication.translate(
                "CameraPanel", "The camera's stream could not be opened."
            )
    return ""


def badge_text(tier: Tier | None, tiers: list[Tier], tour: CameraTour | None) -> tuple[str, str]:
    """The badge and its tooltip: a tier below the best, a paused tour, an alarm holding it."""
    text, tip = "", ""
    if tier is not None and tiers and tier != tiers[0]:
        if tier.still:
            text = QCoreApplication.translate("CameraPanel", "STILL")
        elif tier.low_fps:
            text = QCoreApplication.translate("CameraPanel", "LOW FPS")
        else:
            text = QCoreApplication.translate("CameraPanel", "SUB")
        tip = QCoreApplication.translate(
            "CameraPanel", "Reduced to stay within the wall's video decoding budget."
        )
    if tour is not None and tour.paused_by_alarm:
        return QCoreApplication.translate("CameraPanel", "ALARM · TOUR PAUSED"), ""
    if tour is not None and tour.paused:
        paused = QCoreApplication.translate("CameraPanel", "TOUR PAUSED")
        text = (text + " · " if text else "") + paused
    return text, tip
