"""Grouping work units into batches: many small files per task, big files alone, retries first."""

from __future__ import annotations

import collections
from typing import Callable, Iterable, Iterator

from scanner.pipeline import WorkUnit


class UnitBatcher:
    """Pulls units lazily from the listing (never ahead of demand) and groups them.

    A batch holds at most `batch_items` units and, unless it is a single unit, at most `batch_bytes` of
    item size, so a task of small files amortises one round trip while a large document travels alone.
    Units handed back with `retry` (the rest of a batch whose worker died) come out first.
    """

    def __init__(self, units: Iterable[WorkUnit], batch_items: int = 16, batch_bytes: int = 1024 * 1024) -> None:
        self._units: Iterator[WorkUnit] = iter(units)
        self.batch_items, self.batch_bytes = max(1, batch_items), batch_bytes
        self._retry: collections.deque[WorkUnit] = collections.deque()
        self._peeked: WorkUnit | None = None
        self.exhausted = False

    @property
    def empty(self) -> bool:
        return self.exhausted and not self._retry and self._peeked is None

    def retry(self, units: list[WorkUnit]) -> None:
        self._retry.extendleft(reversed(units))

    def _next(self) -> WorkUnit | None:
        if self._retry:
            return self._retry.popleft()
        if self._peeked is not None:
            unit, self._peeked = self._peeked, None
            return unit
        if self.exhausted:
            return None
        unit = next(self._units, None)
        if unit is None:
            self.exhausted = True
        return unit

    def take(self, stopped: Callable[[], bool] = lambda: False) -> list[WorkUnit]:
        batch: list[WorkUnit] = []
        size = 0
        while len(batch) < self.batch_items and not stopped():
            unit = self._next()
            if unit is None:
                break
            unit_size = unit.item.size_bytes or 0
            if batch and size + unit_size > self.batch_bytes:
                self._peeked = unit
                break
            batch.append(unit)
            size += unit_size
        return batch
