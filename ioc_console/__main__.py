"""`python -m ioc_console ...` is `ioc-console ...`."""

from ioc_console.cli import run

raise SystemExit(run())
