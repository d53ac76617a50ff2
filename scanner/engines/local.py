"""Local engine: the scan in this process (workers=1) or in a process pool with bounded in-flight work."""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import multiprocessing as mp
from typing import Iterable, Iterator

from scanner.models import ItemOutcome, ItemResult, Status
from scanner.pipeline import ItemWorker, WorkUnit

_WORKER: ItemWorker | None = None


def _init(worker: ItemWorker) -> None:
    global _WORKER
    _WORKER = worker
    _ = worker.detector  # load models once per process, before the first item


def _run(unit: WorkUnit) -> ItemResult:
    assert _WORKER is not None
    return _WORKER(unit)


def crashed(unit: WorkUnit, exc: BaseException) -> ItemResult:
    reason = f"worker process failed while reading the item ({type(exc).__name__})"
    return ItemResult(outcomes=(ItemOutcome(unit.item, Status.ERROR, reason),), findings=())


class LocalEngine:
    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def run(self, worker: ItemWorker, units: Iterable[WorkUnit]) -> Iterator[tuple[WorkUnit, ItemResult]]:
        if self.workers == 1:
            try:
                for unit in units:
                    yield unit, worker(unit)
            finally:
                worker.close()
            return
        ctx = mp.get_context("spawn")  # fork after loading spaCy/threads is unsafe
        in_flight = self.workers * 4
        it = iter(units)
        with cf.ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init, initargs=(worker,)) as pool:
            pending: dict[cf.Future[ItemResult], WorkUnit] = {}
            for unit in itertools.islice(it, in_flight):
                pending[pool.submit(_run, unit)] = unit
            while pending:
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    unit = pending.pop(fut)
                    try:
                        result = fut.result()
                    except cf.process.BrokenProcessPool:
                        raise
                    except Exception as exc:  # noqa: BLE001 - pickling or worker failure: the item's error row
                        result = crashed(unit, exc)
                    yield unit, result
                    nxt = next(it, None)
                    if nxt is not None:
                        pending[pool.submit(_run, nxt)] = nxt

    def close(self) -> None:
        pass
