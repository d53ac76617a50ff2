"""The listing thread: bounded look-ahead, errors handed to the consumer, stops when closed."""

from __future__ import annotations

import threading
import time

import pytest

from scanner.models import Item, SourceSpec
from scanner.pipeline import WorkUnit, list_ahead
from scanner.progress import LogProgress, make_progress

SPEC = SourceSpec("/x", "/x", "file")


def units(n: int, produced: list[int], fail_at: int | None = None):
    for i in range(n):
        if i == fail_at:
            raise RuntimeError("listing failed")
        produced.append(i)
        yield WorkUnit(SPEC, Item("/x", f"/x/{i}", "file"))


def test_listing_runs_ahead_but_only_so_far():
    produced: list[int] = []
    listed = []
    it = list_ahead(units(10_000, produced), depth=50, on_listed=lambda: listed.append(1))
    first = next(it)
    time.sleep(0.3)  # the thread fills the queue meanwhile, then blocks
    assert first.item.location == "/x/0"
    assert 50 <= len(produced) <= 70  # about the queue depth (chunks of 6) + the chunks in hand
    assert len(listed) == len(produced)  # progress hears of every unit as it is listed
    it.close()


def test_listing_errors_reach_the_consumer_in_order():
    produced: list[int] = []
    got = []
    with pytest.raises(RuntimeError, match="listing failed"):
        for unit in list_ahead(units(100, produced, fail_at=30), depth=8):
            got.append(unit)
    assert len(got) == 30


def test_closing_stops_the_listing_thread():
    before = threading.active_count()
    it = list_ahead(units(10_000, []), depth=10)
    next(it)
    it.close()
    deadline = time.monotonic() + 3
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == before


def test_progress_off_a_terminal_is_plain_log_lines():
    with make_progress(enabled=True) as sink:  # pytest's stderr is not a terminal
        assert isinstance(sink, LogProgress)
