"""`run_scan`: one scan from configuration to the output files, in plain steps:

    with ScanState(path) as state:
        result = scan_sources(config, engine, state, ...)    # list, skip what the store holds, scan the rest
        result = write_outputs(result, ...)                   # from the store's results alone
        if result.complete:
            state.finish(...)                                 # only now: a kill while writing is continued

Collaborators are passed in (config, manifest, engine, state path); the CLI only parses arguments.
The main process lists (in a thread, bounded ahead), asks the state store which items need a scan,
starts the engine only once one does (an unchanged rescan starts no worker and loads no model), hands
the rest to it and writes each result to the store as it arrives: it is the single
writer. Outputs are also written after a stop (`--max-items`, `--max-runtime`, Ctrl-C/SIGTERM), in
which case the run stays open and the same command continues it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from scanner import history
from scanner.config import ScanConfig
from scanner.engines import Engine
from scanner.models import Finding, ItemOutcome, ItemResult, SourceFailure
from scanner.pipeline import ItemWorker, WorkUnit, list_ahead_chunks, list_units, tool_version, utcnow
from scanner.manifest import PolicyManifest
from scanner.state import Reused, ScanState

if TYPE_CHECKING:
    from reports import ReportSummary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    full: bool = False
    max_items: int | None = None
    max_runtime_s: float | None = None
    state_path: Path | None = None
    handle_signals: bool = True  # SIGINT/SIGTERM stop the scan cleanly (main thread only)
    list_ahead: int = 2000  # units listed ahead of scanning (bounded memory)


class ProgressSink:
    """What the pipeline tells a progress display; the default says nothing.

    `listed` is called from the listing thread as items are found (implementations must be thread-safe
    for it); `done` for every scanned item, `carried` for every item taken from the state store
    (unchanged since the last scan, or already scanned before a resumed run was interrupted).
    """

    def listed(self, n: int = 1) -> None: ...

    def done(self, result: ItemResult, size: int | None) -> None: ...

    def carried(self, findings: int, size: int | None) -> None: ...


def reuse_key(config: ScanConfig) -> str:
    """What must be equal for a stored result to stand for a new scan of the same item version."""
    d = config.detection
    blob = json.dumps({
        "tool": tool_version(), "limits": config.limits.as_dict(), "languages": list(d.languages),
        "countries": list(d.countries), "min_score": d.min_score, "key": d.fingerprint_key_id,
        "reveal": d.reveal_values,
    }, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


@contextmanager
def _stop_on_signals(engine: Engine, stop_reason: list[str], enabled: bool) -> Iterator[None]:
    """First SIGINT/SIGTERM: stop listing, abandon in-flight items, write what is done. Second: default."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        stop_reason.append(f"interrupted by {signal.Signals(signum).name}")
        stop = getattr(engine, "stop", None)
        if stop is not None:
            stop()
        for sig, old in previous.items():
            signal.signal(sig, old)

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@dataclass(frozen=True)
class ScanResult:
    """What one scan produced: the one result record (the CLI's summary line and exit code come from it).

    `outcomes` and `findings` are this run's, read back from the state store; `counts` are the pipeline's
    own counters (listed, reused, resumed, dispatched); `report` is what the outputs written from them
    hold (gaps, paths, items by status), None until they are written.
    """

    out_dir: Path | None
    outcomes: tuple[ItemOutcome, ...]
    findings: tuple[Finding, ...]
    counts: Mapping[str, int]
    changes: Mapping[str, int]  # new/changed/unchanged/removed since the last finished scan
    change_examples: Mapping[str, list[str]]  # the first locations of each change kind
    recognizers: tuple[str, ...]
    failures: tuple[SourceFailure, ...]
    stop_reason: str | None
    resumed: bool
    history: tuple[dict[str, Any], ...] = ()  # earlier finished scans (scanner.history), for the report
    report: "ReportSummary | None" = None

    @property
    def complete(self) -> bool:
        return self.stop_reason is None

    def inventory(self) -> list[ItemOutcome]:
        """Every inventory row: the items' outcomes and one row per source that could not be used."""
        return [*self.outcomes, *(f.outcome() for f in self.failures)]


def scan_sources(
    config: ScanConfig,
    engine: Engine,
    state: ScanState,
    options: RunOptions = RunOptions(),
    progress: ProgressSink | None = None,
    worker: ItemWorker | None = None,
) -> ScanResult:
    """List, skip what the state store already holds, scan the rest into the store, and read the run back.

    Starts (or continues) a run in `state`; does not finish it: the caller does, once the outputs are
    written, so a scan killed while writing them is continued by the next run instead of taken as done.
    """
    progress = progress or ProgressSink()
    t0 = time.monotonic()
    failures: list[SourceFailure] = []
    worker = worker or ItemWorker(config)
    stop_reason: list[str] = []
    counts = {"listed": 0, "reused": 0, "resumed": 0, "dispatched": 0}
    state.begin(config.digest, full=options.full, reuse_key=reuse_key(config))

    def to_scan() -> Iterator[WorkUnit]:
        listing = list_ahead_chunks(list_units(config, failures), options.list_ahead, progress.listed)
        try:
            for unit, reused in _with_reuse(listing, state):
                if stop_reason:
                    return
                counts["listed"] += 1
                if options.max_runtime_s is not None and time.monotonic() - t0 > options.max_runtime_s:
                    stop_reason.append(f"max runtime of {options.max_runtime_s:g}s reached")
                    return
                if reused is not None:
                    counts["resumed" if reused.this_run else "reused"] += 1
                    progress.carried(reused.findings, unit.item.size_bytes)
                    continue
                if options.max_items is not None and counts["dispatched"] >= options.max_items:
                    stop_reason.append(f"max items ({options.max_items}) reached")
                    return
                counts["dispatched"] += 1
                yield unit
        finally:
            listing.close()

    with _stop_on_signals(engine, stop_reason, options.handle_signals):
        try:
            units = to_scan()
            first = next(units, None)  # no unit to scan (an unchanged rescan): the engine never starts
            if first is not None:
                for unit, result in engine.run(worker, itertools.chain((first,), units)):
                    state.record(unit.item, result)
                    progress.done(result, unit.item.size_bytes)
        finally:
            engine.close()
            state.commit()
    recognizers = list(getattr(engine, "recognizers", None) or worker.recognizer_names()
                       or state.previous_recognizers)
    if recognizers:
        state.set_recognizers(recognizers)
    removed, removed_first = (0, []) if stop_reason else state.removals(_sources(failures))
    outcomes: list[ItemOutcome] = []
    findings: list[Finding] = []
    for result in state.results():
        outcomes.extend(result.outcomes)
        findings.extend(result.findings)
    return ScanResult(
        out_dir=None, outcomes=tuple(outcomes), findings=tuple(findings), counts=counts,
        changes={**state.change_counts(), "removed": removed},
        change_examples={"new": state.locations("new"), "changed": state.locations("changed"),
                         "removed": removed_first},
        recognizers=tuple(recognizers), failures=tuple(failures),
        stop_reason=stop_reason[0] if stop_reason else None, resumed=state.resumed,
        history=tuple(history.read(state.db, state.run_id)),
    )


def run_scan(
    config: ScanConfig,
    manifest: PolicyManifest,
    out_dir: Path,
    engine: Engine,
    options: RunOptions = RunOptions(),
    progress: ProgressSink | None = None,
    worker: ItemWorker | None = None,
) -> ScanResult:
    """One scan: open the state, scan the sources, write the outputs, then mark the run finished."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started_at, t0 = utcnow(), time.monotonic()
    state_path = options.state_path or out_dir / "state.sqlite"
    if config.detection.reveal_values:
        _make_private(state_path)  # the store holds the raw values too
    with ScanState(state_path) as state:
        result = scan_sources(config, engine, state, options, progress, worker)
        result = write_outputs(result, config, manifest, out_dir, engine, started_at, t0)
        if result.complete:
            history.record(state.db, state.run_id, history.row_of(result.report, utcnow().isoformat()))
            state.finish(keep_sources=_sources(result.failures))
    return result


def _with_reuse(chunks: Iterator[list[WorkUnit]], state: ScanState) -> Iterator[tuple[WorkUnit, Reused | None]]:
    """Each listed unit with what the store says of it, asked once per chunk the listing thread hands
    over (one UPDATE for up to 64 units, never waiting for more than is listed)."""
    for chunk in chunks:
        answers = state.reuse_many([u.item for u in chunk])
        for unit in chunk:
            yield unit, answers.get(unit.item.location)


def _sources(failures: "list[SourceFailure] | tuple[SourceFailure, ...]") -> list[str]:
    return [f.source for f in failures]


def _make_private(state_path: Path) -> None:
    """0600 for the state file (created so if new) and its WAL/SHM files: SQLite gives those the main
    file's mode."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(state_path, os.O_WRONLY | os.O_CREAT, 0o600))
    for path in (state_path, Path(f"{state_path}-wal"), Path(f"{state_path}-shm")):
        if path.exists():
            os.chmod(path, 0o600)


def write_outputs(result: ScanResult, config: ScanConfig, manifest: PolicyManifest, out_dir: Path,
                  engine: Engine, started_at: datetime, t0: float) -> ScanResult:
    """Write every output file from the scan's result; returns the result with its `report`."""
    import reports

    meta = {
        "tool_version": tool_version(),
        "started_at": started_at.isoformat(),
        "finished_at": utcnow().isoformat(),
        "duration_s": round(time.monotonic() - t0, 3),
        "complete": result.complete,
        "stopped_because": result.stop_reason,
        "resumed": result.resumed,
        "config_digest": config.digest,
        "config": dict(config.raw),
        "engine": engine.name,
        "workers": engine.workers,
        "workers_restarted": getattr(engine, "restarts", 0),
        "limits": config.limits.as_dict(),
        "detection": {
            "languages": list(config.detection.languages),
            "countries": list(config.detection.countries),
            "min_score": config.detection.min_score,
            "fingerprint_key_id": config.detection.fingerprint_key_id,
            "reveal_values": config.detection.reveal_values,
        },
        "recognizers": list(result.recognizers),
        # the pipeline's own counters; items, findings and statuses are counted from the written tables
        "counts": {**result.counts, "change": dict(result.changes)},
        "source_errors": [f.reason for f in result.failures],
        # what is new since the last finished scan: counts above, first 100 locations of each kind here
        "changes": dict(result.change_examples),
        "history": list(result.history),  # earlier scans' gaps by severity, for the report's chart
    }
    report = reports.write_scan_outputs(
        out_dir,
        outcomes=result.inventory(),
        findings=result.findings,
        manifest=manifest,
        sources=[reports.SourceInfo(s.display, s.scheme, s.region) for s in config.sources],
        settings=reports.GapSettings(
            retention_default_days=config.retention_default_days,
            minimisation_locations=config.minimisation_locations,
        ),
        meta=meta,
    )
    return replace(result, out_dir=out_dir, report=report)
