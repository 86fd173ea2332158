"""gc_paused: the collector is off inside, back on after the last overlapping block, frozen on ask."""

from __future__ import annotations

import gc
import threading

from qwen_tui.gcpause import gc_paused


def test_overlapping_pauses_turn_the_collector_back_on_only_after_the_last() -> None:
    assert gc.isenabled()
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other() -> None:
        with gc_paused():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())

    t = threading.Thread(target=other)
    t.start()
    first_in.wait(5)
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's block is still running
    second_done.set()
    t.join(5)
    assert seen == [False] and gc.isenabled()


def test_a_collector_that_was_off_stays_off_and_freeze_moves_objects_out_of_reach() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    before = gc.get_freeze_count()
    try:
        with gc_paused(freeze=True):
            kept = [[i] for i in range(1000)]  # noqa: F841 - long-lived containers
        assert gc.get_freeze_count() >= before + 1000 and gc.isenabled()
    finally:
        gc.unfreeze()
