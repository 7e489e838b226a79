"""IOC Console application core: domain, sources, stores, layouts, demo backend.

Nothing in this package may import QtWidgets, QtGui, QtWebEngine or vlc (see the
import-linter contract in pyproject.toml), so the whole data path runs headless.
"""
