"""The scan pipeline: list items -> (skip unchanged) -> read + detect in workers -> state -> reports.

Data flows one way. The main process lists sources and decides what to (re)scan; an engine runs
`ItemWorker` on each `WorkUnit` (in this process, a process pool or a Dask cluster); every `ItemResult`
is committed to the state store as it arrives, so a killed scan resumes where it stopped; at the end
the reports are written from the state store alone.
"""

from __future__ import annotations

import errno
import logging
import queue
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Callable, Iterator

from connectors.base import Connector, open_connector
from scanner.config import ScanConfig
from scanner.errors import ItemError, SourceError
from scanner.models import (Facts, Item, ItemOutcome, ItemResult, Sample, SourceFailure, SourceSpec, Status,
                            TextSample)

log = logging.getLogger(__name__)


def tool_version() -> str:
    try:
        return version("policyscan")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


@dataclass(frozen=True)
class WorkUnit:
    """One top-level item to scan, with the spec needed to reopen its source in any worker."""

    spec: SourceSpec
    item: Item


def safe_reason(exc: BaseException) -> str:
    """A reason fit for the inventory: ours verbatim (they never carry content), others by type only."""
    if isinstance(exc, ItemError):
        return exc.reason
    if isinstance(exc, OSError) and exc.errno is not None:
        name = errno.errorcode.get(exc.errno, str(exc.errno))
        return f"{name}: {exc.strerror or 'OS error'}"
    if isinstance(exc, MemoryError):
        return "out of memory while reading the item"
    if isinstance(exc, RecursionError):
        return "item is nested too deeply to parse"
    return f"could not read the item ({type(exc).__name__})"


class ItemWorker:
    """Per-process scanning state: one detector (built on first use) and one connector per source.

    Picklable before first use, so engines can ship it to worker processes and Dask workers.
    """

    def __init__(self, config: ScanConfig, detector_factory: Callable[[], Any] | None = None) -> None:
        self.config = config
        self._detector_factory = detector_factory
        self._detector: Any = None
        self._connectors: dict[str, Connector] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"config": self.config, "_detector_factory": self._detector_factory, "_detector": None, "_connectors": {}}

    @property
    def detector(self) -> Any:
        if self._detector is None:
            if self._detector_factory is not None:
                self._detector = self._detector_factory()
            else:
                from detectors.engine import Detector

                self._detector = Detector(self.config.detection, self.config.limits)
        return self._detector

    def connector(self, spec: SourceSpec) -> Connector:
        conn = self._connectors.get(spec.display)
        if conn is None:
            conn = open_connector(spec, self.config.limits)
            self._connectors[spec.display] = conn
        return conn

    def __call__(self, unit: WorkUnit) -> ItemResult:
        return scan_item(unit, self.connector(unit.spec), self.detector)

    def warm_up(self) -> list[str]:
        """Pay every one-off start-up cost now, before any item's clock runs; returns the recognizer names.

        Builds the detector and runs it once on a canned sentence, and loads the extractor registry
        (importing every extractor module): engines call this when a worker starts, so a worker's first
        item is not charged seconds of imports against the per-item time limit.
        """
        from connectors.extract import extractor_for

        extractor_for("text/plain")
        names = self.recognizer_names(build=True)
        self.detector.detect([TextSample("warm-up", None, "Warm-up sentence for the detector.")], "warm-up")
        return names

    def loaded_languages(self) -> tuple[str, ...]:
        """Languages whose models the detector holds (empty for a detector without per-language models)."""
        loaded = getattr(self._detector, "loaded_languages", None)
        return tuple(loaded()) if loaded is not None else ()

    def load_languages(self, languages: tuple[str, ...]) -> None:
        """Load these languages' models now (engines that fork workers from one process share them)."""
        load = getattr(self.detector, "load_languages", None)
        if load is not None:
            load(languages)

    def recognizer_names(self, *, build: bool = False) -> list[str]:
        """Names of the detector's recognizers, for scan.json; [] unless built (or `build=True`).

        Engines call this with `build=True` in each worker right after start-up, so models load once per
        worker process, and send the names back: the main process never builds a detector for them.
        """
        if self._detector is None and not build:
            return []
        names = getattr(self.detector, "recognizers", None)
        return sorted(str(n) for n in names) if names is not None else []

    def close(self) -> None:
        for conn in self._connectors.values():
            try:
                conn.close()
            except Exception:  # closing is best effort; the scan result is already recorded
                log.debug("error while closing a connector", exc_info=False)
        self._connectors.clear()


def scan_item(unit: WorkUnit, connector: Connector, detector: Any) -> ItemResult:
    """Read one item and detect; any failure becomes the item's error row, findings read so far are kept."""
    item = unit.item
    nested: list[ItemOutcome] = []
    own: list[ItemOutcome] = []
    failure: list[BaseException] = []

    def samples() -> Iterator[Sample]:
        try:
            for event in connector.read(item):
                if isinstance(event, ItemOutcome):
                    (own if event.item.location == item.location else nested).append(event)
                else:
                    yield event
        except Exception as exc:  # noqa: BLE001 - every failure of one item is that item's error row
            failure.append(exc)

    try:
        findings = detector.detect(samples(), item.source)
    except Exception as exc:  # noqa: BLE001 - a detector bug must not abort the scan either
        failure.append(exc)
        # a detection time-out keeps what was found before it (the row says "partially read")
        findings = list(exc.findings) if isinstance(exc, ItemError) and hasattr(exc, "findings") else []
    facts = own[-1].facts if own else Facts()
    if own and own[-1].item.media_type and not item.media_type:
        item = replace(item, media_type=own[-1].item.media_type)  # sniffed while reading
    if failure:
        exc = failure[0]
        skip = isinstance(exc, ItemError) and exc.skip
        encrypted = exc.encrypted if isinstance(exc, ItemError) else None
        if encrypted is not None:
            facts = replace(facts, encrypted=encrypted)
        status = Status.SKIPPED if skip else Status.ERROR
        reason = safe_reason(exc)
        if findings and not skip:
            reason = f"partially read: {reason}"
        outcome = ItemOutcome(item, status, reason, facts)
        log.info("%s %s: %s", status.value, item.location, reason)
    elif own and own[-1].status is not Status.SCANNED:
        outcome = ItemOutcome(item, own[-1].status, own[-1].reason, facts)
    else:
        outcome = ItemOutcome(item, Status.SCANNED, None, facts)
    return ItemResult(outcomes=(outcome, *nested), findings=tuple(findings))


def list_units(config: ScanConfig, failures: list[SourceFailure]) -> Iterator[WorkUnit]:
    """Items of every source in order; an unusable source is recorded in `failures` (its display name
    and the reason, so the state store keeps what it knows about it) and the others are still scanned."""
    for spec in config.sources:
        try:
            conn = open_connector(spec, config.limits)
            try:
                for item in conn.items():
                    yield WorkUnit(spec, item)
            finally:
                conn.close()
        except SourceError as exc:
            log.error("source unusable: %s", exc)
            failures.append(SourceFailure(spec.display, str(exc)))


def list_ahead(units: Iterator[WorkUnit], depth: int = 2000,
               on_listed: Callable[[], None] | None = None) -> Iterator[WorkUnit]:
    """`list_ahead_chunks`, one unit at a time."""
    for chunk in list_ahead_chunks(units, depth, on_listed):
        yield from chunk


def list_ahead_chunks(units: Iterator[WorkUnit], depth: int = 2000,
                      on_listed: Callable[[], None] | None = None) -> Iterator[list[WorkUnit]]:
    """Run a listing generator in a thread, at most `depth` units ahead of the consumer, which gets the
    units in the chunks the thread handed over (at most 64, or what was listed in 50 ms).

    Listing is I/O-bound (directory walks, SMB/S3 round trips), detection CPU-bound: the thread keeps a
    bounded queue full while the writer waits on results, so neither waits on the other and memory stays
    bounded. Closing the returned generator stops the thread at its next unit. `on_listed` is called in
    the listing thread for each unit (progress displays: what has been listed, not only what was taken).
    """
    # Units travel in small chunks: one queue hand-off per unit costs more than listing a local file.
    chunk_size = min(64, max(1, depth // 8))
    buffer: queue.Queue[Any] = queue.Queue(maxsize=max(1, depth // chunk_size))
    stop = threading.Event()
    done = object()

    def put(entry: Any) -> bool:
        while not stop.is_set():
            try:
                buffer.put(entry, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        chunk: list[WorkUnit] = []
        last_put = time.monotonic()
        try:
            for unit in units:
                if on_listed is not None:
                    on_listed()
                chunk.append(unit)
                # a slow listing (remote share) still hands over what it has every 50 ms
                if len(chunk) >= chunk_size or time.monotonic() - last_put > 0.05:
                    if not put(chunk):
                        return
                    chunk, last_put = [], time.monotonic()
            if chunk and not put(chunk):
                return
            put(done)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            if not chunk or put(chunk):
                put(exc)
        finally:
            close = getattr(units, "close", None)
            if close is not None and stop.is_set():
                close()

    thread = threading.Thread(target=produce, name="policyscan-listing", daemon=True)
    thread.start()
    try:
        while True:
            entry = buffer.get()
            if entry is done:
                return
            if isinstance(entry, BaseException):
                raise entry
            yield entry
    finally:
        stop.set()
        give_up = time.monotonic() + 2.0  # a listing call that hangs (dead share) must not hang the exit
        while thread.is_alive() and time.monotonic() < give_up:
            try:
                buffer.get_nowait()  # unblock a producer waiting on a full queue
            except queue.Empty:
                thread.join(0.05)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


