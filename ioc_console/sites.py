"""Which site the console follows: `--site FILE`, `--backend URL`, `--demo`, the user's own.

Without an option, a site file in the user's config folder is used when there is one
(exactly one `*.site.yaml`), else the built-in demo. `--demo` starts the demo backend
and follows the shipped `demo.site.yaml`, whose connections name the demo's host
(`demo.localhost`); they are pointed at wherever the backend is listening.
"""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs

from console.assets import APP_NAME, layouts_dir
from console.site.loader import SUFFIX, load_site
from console.site.model import Site, site_for_backend

log = logging.getLogger("ioc_console")
DEMO_ORIGIN = "http://demo.localhost"


def user_sites_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def user_site() -> Path | None:
    """The site file in the user's config folder, if there is exactly one."""
    found = sorted(user_sites_dir().glob(f"*{SUFFIX}"))
    if len(found) > 1:
        names = ", ".join(path.name for path in found)
        raise SystemExit(f"several site files in {user_sites_dir()} ({names}): choose with --site")
    return found[0] if found else None


def demo_site(origin: str) -> Site:
    """The shipped demo site, its connections pointed at the demo backend at `origin`."""
    site = load_site(layouts_dir() / "demo.site.yaml")
    connections = [
        connection.model_copy(
            update={"url": connection.url.replace(DEMO_ORIGIN, origin.rstrip("/"), 1)}
        )
        if connection.url
        else connection
        for connection in site.connections
    ]
    return site.model_copy(update={"connections": connections})


def chosen_site(site: Path | None, backend: str | None, ca_bundle: str | None) -> Site | None:
    """The site the options name; None: the demo (nothing named, no user site)."""
    path = site or (None if backend else user_site())
    if path is not None:
        log.info("following the site file %s", path)
        if ca_bundle:
            log.warning("--ca-bundle is for --backend: a site file names each connection's own")
        return load_site(path)
    if backend:
        return site_for_backend(backend, Path(ca_bundle) if ca_bundle else None)
    return None
