"""Qt's event loop running asyncio, with asyncio's care for async generators.

qasync never installs asyncio's async-generator hooks, so an async generator left
suspended (an httpx body abandoned half read, an event stream cut off) is finalised by
the garbage collector outside the loop: "Exception ignored ... no running event loop" on
stderr and a connection not closed properly. With the hooks the loop closes it as a
task, as plain asyncio does, and `run` shuts the rest down before the loop closes.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

import qasync

T = TypeVar("T")


class EventLoop(qasync.QEventLoop):  # type: ignore[misc]  # qasync has no type hints
    def _before_run_forever(self) -> None:
        super()._before_run_forever()
        self._outer_hooks = sys.get_asyncgen_hooks()
        sys.set_asyncgen_hooks(
            firstiter=self._asyncgen_firstiter_hook, finalizer=self._asyncgen_finalizer_hook
        )

    def _after_run_forever(self) -> None:
        sys.set_asyncgen_hooks(*self._outer_hooks)
        super()._after_run_forever()


def run(main: Coroutine[Any, Any, T], app: Any) -> T:
    """`main` on Qt's loop (`app` is the QApplication), then close what it left open."""
    with asyncio.Runner(loop_factory=lambda: EventLoop(app)) as runner:
        return runner.run(main)
