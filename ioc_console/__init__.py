"""The IOC Console program: command line (cli), start-up (startup) and composition root (app).

The headless core is `console`, the views are `widgets`; this package wires them into the
program that `ioc-console`, `python -m ioc_console` and the checkout's main.py run.
"""
