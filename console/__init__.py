"""IOC Console application core: domain, layouts, stores, sources, actions, video, demo.

Nothing in this package may import QtWidgets, QtGui, QtWebEngine, vlc or widgets
(`tests/test_architecture.py` is the import contract; see ARCHITECTURE.md), so the
whole data path runs headless.
"""
