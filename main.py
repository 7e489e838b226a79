"""Run the console from a checkout: `python main.py ARGS` is `ioc-console ARGS`.

The program lives in the ioc_console package (command line: ioc_console/cli.py,
composition root: ioc_console/app.py); this file only keeps the checkout's commands working.
"""

from ioc_console.cli import run

if __name__ == "__main__":
    raise SystemExit(run())
