"""Engines run an `ItemWorker` over work units: in this process, in a process pool, or on Dask.

Contract: `run(worker, units)` yields one `(unit, ItemResult)` per unit, in any order, keeping at most a
bounded number of units in flight (back-pressure: listing never runs far ahead of scanning). A worker
failure that is not an item error (a crashed process) becomes that unit's error row, never a lost item.
Units are pulled from `units` only when there is capacity, and nothing is started before the first unit
(an unchanged estate starts no worker).

Optional, used when present: `stop()` (signal-handler safe: return soon, abandoning units in flight),
`recognizers` (names reported by a worker, for scan.json), `restarts` (worker processes replaced).
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol

from scanner.models import ItemResult
from scanner.pipeline import ItemWorker, WorkUnit


class Engine(Protocol):
    name: str
    workers: int

    def run(self, worker: ItemWorker, units: Iterable[WorkUnit]) -> Iterator[tuple[WorkUnit, ItemResult]]: ...

    def close(self) -> None: ...


def make_engine(name: str, workers: int, scheduler: str | None = None) -> Engine:
    if name == "local":
        from scanner.engines.local import LocalEngine

        return LocalEngine(workers, processes=True)  # even one worker: crash isolation and hard timeouts
    if name == "dask":
        from scanner.engines.dask_engine import DaskEngine

        return DaskEngine(workers, scheduler)
    from scanner.errors import ConfigError

    raise ConfigError(f"unknown engine '{name}' (local, dask)")
