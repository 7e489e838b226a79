"""What every panel gets and declares, and the registry of panel kinds.

A panel is a QWidget built from (context, config). It reads the stores in the
context and subscribes to their signals; it never fetches data itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from console.layout.panel_kinds import PANEL_CONFIGS, PanelConfig
from console.stores import CameraStore, IncidentTableModel, KpiStore, LayerStore
from console.stores.session import Session


@dataclass(frozen=True)
class PanelContext:
    cameras: CameraStore
    incidents: IncidentTableModel
    kpis: KpiStore
    layers: LayerStore
    session: Session = field(default_factory=Session)


class Panel(QWidget):
    """Base of all panels: declares its kind, and a translated title for its frame."""

    KIND: ClassVar[str]
    # True for panels fed by their own connection (a camera stream): they show their
    # own state, so the frame's "stale since" badge for backend data is not theirs.
    SHOWS_OWN_STATE: ClassVar[bool] = False
    titleChanged = Signal(str)  # emit when the title depends on data that just arrived

    def __init__(self, context: PanelContext, config: PanelConfig, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.config = config

    def title(self) -> str:
        return self.KIND


PanelFactory = Callable[[PanelContext, PanelConfig], Panel]
_FACTORIES: dict[str, Callable[[], type[Panel]]] = {}


def register(kind: str, load: Callable[[], type[Panel]]) -> None:
    """Register a kind lazily: heavy modules (QtWebEngine, vlc) load on first use."""
    if kind not in PANEL_CONFIGS:
        raise KeyError(f"panel kind {kind!r} has no config schema in console.layout.panel_kinds")
    _FACTORIES[kind] = load


def panel_class(kind: str) -> type[Panel]:
    return _FACTORIES[kind]()


def create_panel(kind: str, context: PanelContext, config: PanelConfig) -> Panel:
    return panel_class(kind)(context, config)
