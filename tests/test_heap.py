"""The console's GC policy: collections on the GUI thread in small steps (widgets/qt_setup.py),
the heap frozen at start-up and, while live, past a budget (ioc_console/heap.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from console.stores.connections import ConnectionBoard, ConnectionStatus
from ioc_console.heap import LiveHeap, StartupHeap
from widgets.qt_setup import GuiThreadCollector


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic GC frees it


@pytest.fixture
def plain_gc() -> Iterator[None]:
    """Each test leaves the GC as it found it: thresholds, callbacks, nothing frozen."""
    thresholds, callbacks = gc.get_threshold(), list(gc.callbacks)
    gc.collect()
    yield
    gc.callbacks[:] = callbacks
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def frozen(*objects: object) -> bool:
    """All in the permanent generation: tracked, yet in none of the three."""
    collectable = {id(obj) for obj in gc.get_objects()}
    return all(gc.is_tracked(obj) and id(obj) not in collectable for obj in objects)


def test_a_long_full_collection_frees_the_garbage_then_freezes_what_is_alive(
    plain_gc: None,
) -> None:
    live = LiveHeap(budget_s=0.0)  # every full collection is over this budget
    try:
        kept = [Node() for _ in range(100)]
        dead = weakref.ref(Node())  # unreachable at once: garbage for the collection
        assert dead() is not None
        gc.collect()
        assert live.freezes == 1
        assert dead() is None  # collected, not frozen
        assert frozen(*kept)
    finally:
        live.close()


def test_a_short_full_collection_freezes_nothing(plain_gc: None) -> None:
    live = LiveHeap(budget_s=60.0)
    try:
        kept = Node()
        before = gc.get_freeze_count()
        gc.collect()
        assert live.freezes == 0 and gc.get_freeze_count() == before
        assert not frozen(kept)
        assert live.longest_s > 0
    finally:
        live.close()


def test_full_collections_come_often_while_live_and_close_puts_cpython_back(
    plain_gc: None,
) -> None:
    before = gc.get_threshold()
    live = LiveHeap(oldest_threshold=1)
    assert gc.get_threshold() == (before[0], before[1], 1)
    live.close()
    live.close()  # twice is harmless
    assert gc.get_threshold() == before
    gc.collect()
    assert live.freezes == 0  # no longer listening


def test_the_start_up_heap_goes_live_once_no_connection_is_connecting(plain_gc: None) -> None:
    board = ConnectionBoard()
    heap = StartupHeap(board)
    board.set(ConnectionStatus(name="b", kind="ioc"))  # connecting
    board.set(ConnectionStatus(name="a", kind="ioc", state="live"))
    assert heap.live is None and not heap.frozen
    loaded = Node()
    board.set(ConnectionStatus(name="b", kind="ioc", state="polling"))
    try:
        assert heap.frozen and heap.live is not None
        assert frozen(loaded)
        assert gc.get_threshold()[2] == 1
    finally:
        heap.close()


def test_the_gui_thread_collects_the_oldest_generation_due(qapp: Any, plain_gc: None) -> None:
    collected: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected.append(info["generation"])

    was_enabled = gc.isenabled()
    collector = GuiThreadCollector(interval_s=3600)  # checked by hand here
    try:
        assert not gc.isenabled()
        gc.set_threshold(10**9, 0, 0)
        gc.callbacks.append(note)
        collector.check()  # the young generation is not due: nothing
        assert collected == []
        gc.set_threshold(0, 0, 0)
        for _ in range(3):
            _allocated = [Node() for _ in range(10)]
            collector.check()
        # young, then middle (one young collection since), then oldest (one middle)
        assert collected == [0, 1, 2]
    finally:
        collector.close()
        assert gc.isenabled() == was_enabled
