"""Live state per domain, with Qt signals and item models (QtCore only)."""

from console.stores.cameras import CameraStore
from console.stores.incidents import IncidentTableModel
from console.stores.kpis import KpiStore
from console.stores.layers import LayerStore

__all__ = ["CameraStore", "IncidentTableModel", "KpiStore", "LayerStore"]
