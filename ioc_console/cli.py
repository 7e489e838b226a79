"""The command line: `ioc-console` (also `python -m ioc_console`, and main.py in a checkout).

ioc-console [--demo | --site FILE | --backend URL] [--layout FILE] [--screenshot FILE.png ...]
ioc-console validate FILE...        (layouts, decks, site files, *.procedures.yaml)
ioc-console schema [layout | site]
ioc-console export-briefing DECK --pdf OUT.pdf [--backend URL]
ioc-console present DECK [--backend URL] [--meeting NAME [--broker URL]]
ioc-console join NAME [--site FILE] [--broker URL] [--node NAME] [--windowed]  (a meeting's seat)
ioc-console demo-wall [--nodes N]      (a local broker, a controller and wall nodes)
ioc-console install-autostart --node NAME [--kiosk] [--site FILE] [--systemd] [--uninstall]

Only argument parsing and the headless subcommands live here; Qt is imported when a
command needs a window, so `validate` and `schema` stay fast.

A site file (`--site`, or the one in the user's config folder) says where the data
comes from: several backends, each in its own standard; `--backend URL` is the
shorthand for a site of one native backend, `--demo` runs the built-in demo site.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("ioc_console")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ioc-console", description="IOC operator console")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", action="store_true", help="run on the built-in demo backend")
    source.add_argument("--backend", metavar="URL", help="one IOC backend (native API) base URL")
    source.add_argument(
        "--site",
        type=Path,
        metavar="FILE",
        help="site file (*.site.yaml): the connections to follow (default: the one in the "
        "user config folder, else the demo)",
    )
    parser.add_argument(
        "--layout", type=Path, help="layout file to start with (default: last used)"
    )
    parser.add_argument("--preset", help="preset name to start with")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", help="grab the wall")
    parser.add_argument("--exit-after", type=float, metavar="SECONDS", help="quit after this")
    parser.add_argument("--fullscreen", action="store_true", help="full-screen wall windows")
    parser.add_argument(
        "--kiosk", action="store_true", help="full screen, no menus, Ctrl+Alt+Shift+Q quits"
    )
    parser.add_argument("--lang", choices=("vi", "en"), help="UI language (default: system)")
    add_broker_options(parser)
    parser.add_argument(
        "--ca-bundle", metavar="PEM", help="trust this CA bundle for the backend's TLS certificate"
    )
    parser.add_argument(
        "--token-url", metavar="URL", help="OAuth2 token endpoint (default: BACKEND/oauth/token)"
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR")
    from widgets.qt_setup import add_video_options

    add_video_options(parser)
    parser.add_argument(
        "--wall-health", action="store_true", help="start with the wall-health overlay (F9) on"
    )
    args = parser.parse_args(argv)
    if args.screenshot and args.exit_after is None:
        args.exit_after = 10.0
    return args


def add_broker_options(parser: argparse.ArgumentParser) -> None:
    """Wall nodes and meetings: which node this console is, and the broker to meet on."""
    parser.add_argument(
        "--node",
        metavar="NAME",
        help="be the wall node NAME: follow the controller's commands over the site's broker",
    )
    parser.add_argument(
        "--broker",
        metavar="URL",
        help="MQTT broker, mqtt://host[:port] or mqtts://… (default: the site file's)",
    )


def validate(paths: Sequence[str]) -> int:
    """`ioc-console validate FILE...`: print path:line:col: message per error."""
    if not paths:
        print("usage: ioc-console validate FILE...", file=sys.stderr)
        return 2
    from console.layout.deck import is_deck, validate_deck
    from console.layout.loader import validate_file
    from console.layout.positions import LayoutError
    from console.site.loader import is_site_file, validate_site
    from console.site.procedures import is_procedures_file, validate_procedures

    def check(path: str) -> list[LayoutError]:
        if is_site_file(path):
            return validate_site(path)
        if is_procedures_file(path):
            return validate_procedures(path)
        return validate_deck(path) if is_deck(path) else validate_file(path)

    errors = [error for path in paths for error in check(path)]
    for error in errors:
        print(error)
    return 1 if errors else 0


def print_schema(argv: Sequence[str] = ()) -> int:
    """`ioc-console schema [layout|site]`: the JSON Schema of layout or site files, for editors."""
    from console.layout.schema import layout_schema
    from console.site.schema import site_schema

    which = argv[0] if argv else "layout"
    schemas = {"layout": layout_schema, "site": site_schema}
    if which not in schemas or len(argv) > 1:
        print("usage: ioc-console schema [layout | site]", file=sys.stderr)
        return 2
    print(json.dumps(schemas[which](), indent=2, ensure_ascii=False))
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    """The program: a subcommand, else the wall."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "validate":
        return validate(argv[1:])
    if argv and argv[0] == "schema":
        return print_schema(argv[1:])
    if argv and argv[0] in ("export-briefing", "present", "join"):
        return run_briefing(argv[0], argv[1:])
    if argv and argv[0] == "demo-wall":
        from ioc_console.demo_wall import demo_wall_main

        return demo_wall_main(argv[1:])
    if argv and argv[0] == "install-autostart":
        from ioc_console.autostart import autostart_main

        return autostart_main(argv[1:])
    args = parse_args(argv)
    from console.logs import configure_logging
    from ioc_console.startup import run_console

    log.info("logging to %s", configure_logging(args.log_level))
    return run_console(args)


def run_briefing(command: str, argv: list[str]) -> int:
    """`export-briefing` (minutes PDF), `present` (audience + presenter views, a meeting's
    seats) and `join` (a seat of a meeting)."""
    from console.logs import configure_logging
    from ioc_console.startup import run_console
    from widgets.briefing.app import export_briefing, join, parse_briefing_args, present

    args = parse_briefing_args(command, argv, add_broker_options)
    log.info("logging to %s", configure_logging(args.log_level))
    show = {"export-briefing": export_briefing, "present": present, "join": join}[command]

    async def briefing(app: Any, args: argparse.Namespace, site: Any) -> int:
        from ioc_console.live import connect

        return await show(app, args, connect(site, token_url=args.token_url))

    return run_console(args, briefing)
