"""Where the program's own files are: themes, map scripts, translations, shipped layouts.

Installed from a wheel, `resources/` and `layouts/` are package data of ioc_console
(site-packages/ioc_console/resources); in a checkout or an editable install they are the
repository's top-level folders. Everything that opens one of them asks here, so the two
shapes cannot drift apart. Plain paths, not importlib.resources: Qt and QtWebEngine load
these files by name, and a wheel is always unpacked.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import platformdirs

APP_NAME = "ioc-console"
PACKAGE = "ioc_console"  # the wheel ships the data inside this package
_BESIDE = Path(__file__).resolve().parents[1]  # the checkout, or site-packages


@cache
def _folder(name: str) -> Path:
    """`name` inside the installed package if it is there, else at the checkout's root.

    A missing folder is not an error here: whoever opens a file in it says which."""
    installed = _BESIDE / PACKAGE / name
    return installed if installed.is_dir() else _BESIDE / name


def is_installed() -> bool:
    """True when the data came with the installed package, not from a checkout."""
    return _folder("resources").parent.name == PACKAGE


def resources_dir() -> Path:
    return _folder("resources")


def themes_dir() -> Path:
    """Qt style sheets (`dark.qss`)."""
    return resources_dir() / "themes"


def map_dir() -> Path:
    """The map page's own scripts and styles (map.js, points.js, map.css)."""
    return resources_dir() / "map"


def translations_dir() -> Path:
    """Compiled translations, `ioc_console_<lang>.qm`."""
    return resources_dir() / "translations"


def layouts_dir() -> Path:
    """The shipped layouts and briefing decks: the wall's presets."""
    return _folder("layouts")


def user_layouts_dir() -> Path:
    """The user's own presets when they cannot go beside the shipped ones
    (`~/.config/ioc-console/layouts` on Linux)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "layouts"


def saved_layouts_dir(layouts: Path) -> Path:
    """Where the layout editor saves a new preset: beside the layouts the wall reads, as in
    a checkout, unless that folder is the installed package's (often read-only, and
    replaced on upgrade) or is not writable: then the user's config folder."""
    if is_installed() and layouts.resolve() == layouts_dir().resolve():
        return user_layouts_dir()
    if not os.access(layouts, os.W_OK):
        return user_layouts_dir()
    return layouts
