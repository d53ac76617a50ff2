"""Local engine: the scan in this process, or in a pool of worker processes that survives crashes.

With processes, one spawned *model parent* builds the detector once and forks the workers from itself
(`scanner.engines.preloaded`: models loaded once per machine, shared copy-on-write); each worker takes
*batches* of units over its own pipe (one round trip per batch). Units are pulled from the listing only when a worker is idle, so at most `workers` batches are in
flight (back-pressure; results stream back per item and are written as they arrive).

Why not `concurrent.futures.ProcessPoolExecutor`: when one of its processes dies (segfault in a parser,
OOM killer) every pending future fails with `BrokenProcessPool` and nobody knows which item did it. Here
each worker has its own pipe and a two-slot shared array saying which unit of its batch it is on and
since when, so the engine knows exactly which unit killed a process (it gets an error row), puts the
rest of that batch back in front of the queue and starts a new process. The same slot gives a hard
per-item timeout: a worker busy with one unit longer than `Limits.item_seconds` plus a grace period is
killed (the extraction layer's soft deadline normally stops it first).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing as mp
import os
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Iterable, Iterator

from scanner.engines.batching import UnitBatcher
from scanner.engines.preloaded import ModelParent, SharedSlot
from scanner.errors import PolicyscanError
from scanner.models import ItemOutcome, ItemResult, Status
from scanner.pipeline import ItemWorker, WorkUnit

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def crashed(unit: WorkUnit, exc: BaseException | str) -> ItemResult:
    """The error row of a unit whose worker died or hung (the reason names no content)."""
    reason = exc if isinstance(exc, str) else f"worker process failed while reading the item ({type(exc).__name__})"
    return ItemResult(outcomes=(ItemOutcome(unit.item, Status.ERROR, reason),), findings=())


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this worker when the scan process dies (even by `kill -9`)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker exits at its next read of the closed pipe
        pass
    if os.getppid() != parent_pid:
        os._exit(0)


def _rss() -> int:
    try:
        import psutil

        return int(psutil.Process().memory_info().rss)
    except Exception:  # noqa: BLE001 - memory figures are informative only
        return 0


def worker_loop(worker: ItemWorker, conn: Connection, slot: Any, names: list[str]) -> int:
    """A worker process with its detector built: say ready, then scan batches until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    conn.send(("ready", names, os.getpid()))
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return 0
            if message is None:
                return 0
            units: list[WorkUnit] = message
            for index, unit in enumerate(units):
                slot[0], slot[1] = float(index), time.monotonic()
                result = worker(unit)
                conn.send(("result", index, result))
            slot[0], slot[1] = -1.0, 0.0
            conn.send(("done", _rss(), worker.loaded_languages()))
    except (BrokenPipeError, EOFError):
        return 0
    finally:
        worker.close()


@dataclass
class _Proc:
    process: Any
    conn: Connection
    slot: Any
    batch: list[WorkUnit] = field(default_factory=list)
    received: int = 0
    ready: bool = False

    @property
    def busy(self) -> bool:
        return bool(self.batch)


class LocalEngine:
    """Runs units in this process (`processes=False`, the default for one worker) or in worker processes.

    `recognizers` holds the detector's recognizer names once a worker has started; `peak_rss` the peak
    resident memory seen per worker pid; `restarts` how many worker processes were replaced.
    """

    name = "local"

    def __init__(self, workers: int, *, processes: bool | None = None, batch_items: int = 16,
                 batch_bytes: int = 1024 * 1024, item_seconds: float | None = None,
                 grace_seconds: float = 15.0, max_start_failures: int = 3) -> None:
        self.workers = max(1, workers)
        self.processes = self.workers > 1 if processes is None else processes
        self.batch_items, self.batch_bytes = max(1, batch_items), batch_bytes
        self.item_seconds, self.grace_seconds = item_seconds, grace_seconds
        self.max_start_failures = max_start_failures
        self.recognizers: list[str] = []
        self.peak_rss: dict[int, int] = {}
        self.restarts = 0
        self._stop = False

    def stop(self) -> None:
        """Ask a running `run` to return soon (signal-handler safe): in-flight units are abandoned."""
        self._stop = True

    def run(self, worker: ItemWorker, units: Iterable[WorkUnit]) -> Iterator[tuple[WorkUnit, ItemResult]]:
        self._stop = False
        if not self.processes:
            try:
                for unit in units:
                    if self._stop:
                        return
                    yield unit, worker(unit)
                    if not self.recognizers:
                        self.recognizers = worker.recognizer_names()
            finally:
                worker.close()
            return
        yield from _Pool(self, worker).run(iter(units))

    def close(self) -> None:
        pass


class _Pool:
    """One run's worker processes (see the module docstring)."""

    def __init__(self, engine: LocalEngine, worker: ItemWorker) -> None:
        self.engine = engine
        self.worker = worker
        self.ctx = mp.get_context("spawn")  # the model parent; workers are forked from it
        self.models: ModelParent | None = None
        self.procs: list[_Proc] = []
        self.batcher: UnitBatcher = UnitBatcher((), engine.batch_items, engine.batch_bytes)
        self.start_failures = 0
        limit = engine.item_seconds if engine.item_seconds is not None else worker.config.limits.item_seconds
        self.hard_seconds = limit + max(engine.grace_seconds, 0.25 * limit)

    def run(self, units: Iterator[WorkUnit]) -> Iterator[tuple[WorkUnit, ItemResult]]:
        self.batcher = UnitBatcher(units, self.engine.batch_items, self.engine.batch_bytes)
        try:
            while not self.engine._stop:
                self._dispatch()
                busy = [p for p in self.procs if p.busy]
                if not busy:
                    if self.batcher.empty:
                        return
                    continue
                handles: list[Any] = [p.conn for p in busy] + [p.process.sentinel for p in busy]
                for handle in wait(handles, timeout=1.0):
                    proc = next((p for p in busy if handle in (p.conn, p.process.sentinel)), None)
                    if proc is not None and proc in self.procs:
                        yield from self._drain(proc)
                yield from self._watchdog()
        finally:
            self._shutdown()

    # -- dispatch ------------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        while not self.engine._stop:
            self._retire_outdated()
            idle = next((p for p in self.procs if not p.busy), None)
            if idle is None and len(self.procs) >= self.engine.workers:
                return
            batch = self.batcher.take(lambda: self.engine._stop)
            if not batch:
                return
            proc = idle or self._start()
            proc.batch, proc.received = batch, 0
            try:
                proc.conn.send(batch)
            except OSError:  # an idle worker died unseen: it was on no unit, so the whole batch is retried
                for _ in self._lost(proc, None):
                    pass

    def _retire_outdated(self) -> None:
        """Idle workers forked before the model parent loaded more languages stop and are forked anew
        (milliseconds), so a model a worker loaded on its own is soon held once, by the parent."""
        for proc in [p for p in self.procs if not p.busy and self.models is not None
                     and p.process.generation < self.models.generation]:
            try:
                proc.conn.send(None)
            except OSError:
                pass
            self.procs.remove(proc)
            proc.conn.close()
            proc.process.close()

    def _start(self) -> _Proc:
        if self.models is None or not self.models.alive():
            self.models = ModelParent(self.ctx, self.worker, lambda: self.engine._stop)
            self.engine.recognizers = self.engine.recognizers or self.models.names
        parent, child = self.ctx.Pipe(duplex=True)
        slot = SharedSlot()
        try:
            process = self.models.fork(child, slot)
        finally:
            child.close()
        proc = _Proc(process, parent, slot)
        self.procs.append(proc)
        return proc

    # -- results and failures ------------------------------------------------------------------------

    def _drain(self, proc: _Proc) -> Iterator[tuple[WorkUnit, ItemResult]]:
        """Every message the worker has written; a closed pipe means the process died."""
        try:
            while proc.conn.poll():
                message = proc.conn.recv()
                kind = message[0]
                if kind == "result":
                    _, index, result = message
                    proc.received = index + 1
                    yield proc.batch[index], result
                elif kind == "done":
                    self._note_rss(proc, message[1])
                    proc.batch, proc.received = [], 0
                    if self.models is not None:  # a model this worker loaded: into the parent, shared
                        self.models.share(message[2])
                elif kind == "ready":
                    proc.ready, self.start_failures = True, 0
                    self.engine.recognizers = self.engine.recognizers or list(message[1])
                elif kind == "failed":
                    raise PolicyscanError(f"worker process could not start: {message[1]}")
        except (EOFError, OSError):
            pass
        if not proc.process.is_alive() or proc.conn.closed:
            yield from self._lost(proc, None)

    def _lost(self, proc: _Proc, reason: str | None) -> Iterator[tuple[WorkUnit, ItemResult]]:
        """A worker died or was killed: error row for the unit it was on, the rest of its batch retried."""
        proc.process.join(timeout=1.0)
        self.procs.remove(proc)
        proc.conn.close()
        proc.process.close()
        self.engine.restarts += 1
        batch, received = proc.batch, proc.received
        current = int(proc.slot[0]) if proc.slot[1] > 0 else -1
        if self.models is not None and not self.models.alive():  # killed with its parent: no item's fault
            log.warning("the model parent process died; starting another")
            self.models = None
            self.start_failures += 1
            if self.start_failures >= self.engine.max_start_failures:
                raise PolicyscanError("the model parent process keeps dying (out of memory?)")
            self.batcher.retry(batch[received:])
            return
        if not proc.ready:
            self.start_failures += 1
            if self.start_failures >= self.engine.max_start_failures:
                raise PolicyscanError(
                    f"worker processes die while starting (exit code {proc.process.exitcode}; a negative code"
                    " is the signal, e.g. -9 when the system ran out of memory loading the models)"
                )
        if reason is None:
            code = proc.process.exitcode
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            reason = f"worker process died while reading the item ({how})"
        log.warning("worker process lost (%s); starting another", reason)
        if current == received and current < len(batch):
            yield batch[current], crashed(batch[current], reason)
            received += 1
        self.batcher.retry(batch[received:])

    def _watchdog(self) -> Iterator[tuple[WorkUnit, ItemResult]]:
        now = time.monotonic()
        for proc in list(self.procs):
            started = proc.slot[1]
            if proc.busy and started > 0 and now - started > self.hard_seconds:
                proc.process.kill()
                yield from self._lost(proc, f"time limit of {self.hard_seconds:g}s per item exceeded (worker stopped)")

    def _note_rss(self, proc: _Proc, rss: int) -> None:
        pid = proc.process.pid
        self.engine.peak_rss[pid] = max(self.engine.peak_rss.get(pid, 0), int(rss))

    def _shutdown(self) -> None:
        for proc in self.procs:
            try:
                if proc.busy or self.engine._stop:
                    proc.process.kill()
                else:
                    proc.conn.send(None)
            except OSError:
                pass
        for proc in self.procs:
            proc.process.join(timeout=5.0)
            if proc.process.is_alive():
                proc.process.kill()
                proc.process.join(timeout=1.0)
            proc.conn.close()
            proc.process.close()
        self.procs.clear()
        if self.models is not None:
            self.models.close()
            self.models = None
