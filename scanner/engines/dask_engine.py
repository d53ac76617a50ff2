"""Dask engine: the same scan on a Dask cluster (`--engine dask [--scheduler tcp://HOST:PORT]`).

The main process still lists the sources and is the single writer of the state store; only reading
and detection run on the workers. A `WorkerPlugin` carries the picklable `ItemWorker` to every worker
(also to workers that join or are restarted later) and builds its detector once, at plugin set-up, off
the worker's event loop. Units travel in batches (many small files per task); at most
`in_flight_per_worker` batches per worker are submitted at a time and the next is submitted as one
completes, so neither the scheduler nor this process holds the whole listing.

A task that fails (its worker died: `KilledWorker`, or anything unpicklable) proves little: tasks that
merely shared the dying worker fail with it. Its units become suspects and are rerun one at a time with
nothing else in flight, so only a unit that kills a worker on its own gets an error row (recovery is
serial, but only for the units of failed tasks). On a cluster we
start ourselves (`LocalCluster`, one thread per worker process) the scheduler gives up on a task after
the first worker death instead of killing three workers with it.

Per-item time: the extraction layer's soft deadline first; then the plugin's watchdog kills a worker
process whose unit runs past `item_seconds` plus a grace period (the nanny restarts it), which also stops
a parser stuck in C code. Workers need the package, the models, network access to the sources and the
same fingerprint key: see docs/distributed.md.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
import uuid
from typing import Any, Iterable, Iterator

from scanner.engines.batching import UnitBatcher
from scanner.engines.local import crashed
from scanner.errors import SourceError
from scanner.models import Item, ItemResult
from scanner.pipeline import ItemWorker, WorkUnit

log = logging.getLogger(__name__)

TaskUnit = tuple[str, Item]  # (SourceSpec.display, item): what a task carries instead of a WorkUnit

try:  # distributed is a dependency; the import guard keeps `--engine local` usable without it
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover
    WorkerPlugin = object  # type: ignore[assignment,misc]


class ScannerPlugin(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Holds one `ItemWorker` per Dask worker and builds its detector once, when the worker gets the plugin.

    It also enforces the hard per-item limit: a watchdog thread kills its own worker process when a unit
    runs longer than `hard_seconds` (the nanny starts a new worker; the unit is rerun alone and, if it
    hangs again, gets an error row).
    """

    def __init__(self, item_worker: ItemWorker, hard_seconds: float) -> None:
        self.item_worker = item_worker
        self.hard_seconds = hard_seconds
        self.specs = {spec.display: spec for spec in item_worker.config.sources}
        self.recognizers: list[str] = []
        self._busy: dict[int, float] = {}  # thread -> monotonic start of its current unit

    async def setup(self, worker: Any) -> None:
        loop = asyncio.get_running_loop()
        # Model loading takes seconds: off the event loop, so heartbeats go on meanwhile.
        self.recognizers = await loop.run_in_executor(None, self.item_worker.warm_up)
        threading.Thread(target=self._watch, name="policyscan-watchdog", daemon=True).start()

    def teardown(self, worker: Any) -> None:
        self.item_worker.close()

    def scan(self, task: TaskUnit) -> ItemResult:
        """Scan one item of a task; its source's spec (with credentials) comes from this plugin."""
        source, item = task
        thread = threading.get_ident()
        self._busy[thread] = time.monotonic()
        try:
            return self.item_worker(WorkUnit(self.specs[source], item))
        finally:
            self._busy.pop(thread, None)

    def _watch(self) -> None:
        while True:
            time.sleep(min(1.0, self.hard_seconds / 4))
            now = time.monotonic()
            if any(now - started > self.hard_seconds for started in list(self._busy.values())):
                log.error("an item exceeded the hard time limit of %gs: stopping this worker", self.hard_seconds)
                os.kill(os.getpid(), signal.SIGKILL)


def task_units(batch: list[WorkUnit]) -> list[TaskUnit]:
    """A batch as it travels in a task: (source display name, item), never the spec, whose URI and
    options may hold a password (the scheduler keeps task payloads; the spec reaches workers through
    the plugin only)."""
    return [(unit.spec.display, unit.item) for unit in batch]


def scan_on_worker(units: list[TaskUnit], plugin_name: str) -> tuple[list[ItemResult], list[str]]:
    """The task: scan a batch with the worker's plugin; returns the results and the recognizer names."""
    from distributed import get_worker

    plugin: ScannerPlugin = get_worker().plugins[plugin_name]
    return [plugin.scan(unit) for unit in units], plugin.recognizers


def peak_rss() -> int:
    """This process's peak resident memory in bytes, as the kernel counts it (Linux: ru_maxrss in KiB)."""
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


class DaskEngine:
    """`DaskEngine(workers, scheduler)`: connect to `scheduler`, or start a LocalCluster of `workers`."""

    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None, *, batch_items: int = 16,
                 batch_bytes: int = 1024 * 1024, in_flight_per_worker: int = 2,
                 item_seconds: float | None = None, grace_seconds: float = 15.0) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.batch_items, self.batch_bytes = batch_items, batch_bytes
        self.in_flight_per_worker = max(1, in_flight_per_worker)
        self.item_seconds, self.grace_seconds = item_seconds, grace_seconds
        self.recognizers: list[str] = []
        self.peak_rss: dict[str, int] = {}  # worker address -> peak RSS, asked of every worker at the end
        self.restarts = 0  # batches lost with a worker
        self._stop = False
        self._cluster_config: Any = None  # Dask settings held while our LocalCluster runs

    def stop(self) -> None:
        self._stop = True

    def _connect(self) -> tuple[Any, Any]:
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise SourceError(f"cannot reach the Dask scheduler at {self.scheduler} ({type(exc).__name__})") from None
            self.workers = max(1, len(client.scheduler_info().get("workers", {})))
            return client, None
        from distributed.security import Security

        # Workers hold resolved credentials and the fingerprint key: the local cluster listens on loopback
        # only (dashboard too), and speaks TLS with a throw-away certificate that only this process
        # holds, so another local user cannot connect a Client and run code on a worker.
        security = Security.temporary()
        # A worker killed on purpose (a crash, the watchdog) is restarted by its nanny. Under load that takes
        # longer than Dask's `lost-worker-timeout` (15 s), after which LocalCluster closes the nanny for
        # good: the task the returning worker had just taken fails (an innocent item's error row) and,
        # once every nanny is closed, the scan waits for workers that never come. The nanny decides
        # when a worker is gone; the setting stays until the cluster is closed.
        self._cluster_config = dask.config.set({"distributed.deploy.lost-worker-timeout": "7 days"})
        with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", protocol="tls", security=security,
                                   dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
        return Client(cluster, security=security), cluster

    def run(self, worker: ItemWorker, units: Iterable[WorkUnit]) -> Iterator[tuple[WorkUnit, ItemResult]]:
        from distributed import wait

        self._stop = False
        batcher = UnitBatcher(units, self.batch_items, self.batch_bytes)
        first = batcher.take(lambda: self._stop)
        if not first:
            return  # nothing to scan (e.g. an unchanged estate): no cluster needed
        client, cluster = self._connect()
        plugin_name = f"policyscan-{uuid.uuid4().hex[:12]}"  # several scans may share one cluster
        pending: dict[Any, list[WorkUnit]] = {}
        suspects: list[WorkUnit] = []  # units of a failed task, rerun alone on the cluster
        isolated: set[Any] = set()  # the future of the suspect now running alone
        try:
            limit = self.item_seconds if self.item_seconds is not None else worker.config.limits.item_seconds
            hard_seconds = limit + max(self.grace_seconds, 0.25 * limit)  # as the local engine
            client.register_plugin(ScannerPlugin(worker, hard_seconds), name=plugin_name)

            def submit(batch: list[WorkUnit]) -> Any:
                fut = client.submit(scan_on_worker, task_units(batch), plugin_name, pure=False)
                pending[fut] = batch
                return fut

            submit(first)
            while not self._stop:
                if suspects:
                    if not pending:  # nothing else in flight: a failure now can only be this unit's
                        isolated.add(submit([suspects.pop(0)]))
                else:
                    while len(pending) < self.workers * self.in_flight_per_worker and not self._stop:
                        batch = batcher.take(lambda: self._stop)
                        if not batch:
                            break
                        submit(batch)
                if not pending:
                    return
                try:
                    done, _ = wait(list(pending), timeout=1.0, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    continue
                for fut in done:
                    batch = pending.pop(fut)
                    try:
                        results, names = fut.result()
                    except Exception as exc:  # noqa: BLE001 - a dead worker or an unpicklable result
                        self.restarts += 1
                        if fut in isolated:
                            yield batch[0], crashed(batch[0], exc)
                        else:  # maybe this task's fault, maybe it only shared a worker with the culprit
                            log.warning("a task of %d units failed (%s); rerunning them one at a time",
                                        len(batch), type(exc).__name__)
                            suspects.extend(batch)
                        continue
                    finally:
                        isolated.discard(fut)
                    self.recognizers = self.recognizers or list(names)
                    yield from zip(batch, results)
        finally:
            for fut in pending:
                fut.cancel()
            try:  # asked of every worker, so it does not depend on which worker the scheduler gave tasks
                if not self._stop:
                    self.peak_rss.update(client.run(peak_rss, on_error="ignore"))
            except Exception:  # noqa: BLE001 - memory figures are informative only
                pass
            try:
                client.unregister_worker_plugin(plugin_name)
            except Exception:  # noqa: BLE001 - the cluster may be gone already
                pass
            client.close()
            if cluster is not None:
                cluster.close()
                self._cluster_config.__exit__(None, None, None)

    def close(self) -> None:
        pass

