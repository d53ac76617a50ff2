"""`run_scan`: one scan from configuration to the five output files.

Collaborators are passed in (config, manifest, engine, state path); the CLI only parses arguments.

The main process lists (in a thread, bounded ahead), asks the state store which items need a scan,
hands the rest to the engine and writes each result to the store as it arrives: it is the single
writer. Outputs are written from the store alone at the end, also after a stop (`--max-items`,
`--max-runtime`, Ctrl-C/SIGTERM), in which case the run stays open and the same command continues it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from scanner import history
from scanner.config import ScanConfig
from scanner.engines import Engine
from scanner.models import Finding, ItemOutcome, ItemResult, SourceFailure
from scanner.pipeline import (
    ItemWorker, ScanRun, WorkUnit, list_ahead, list_units, tool_version, utcnow,
)
from scanner.manifest import PolicyManifest
from scanner.state import ScanState

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


@dataclass
class ScanPass:
    """What one pass over the sources left in the state store, read back for the outputs."""

    outcomes: list[ItemOutcome]
    findings: list[Finding]
    counts: dict[str, int]
    changes: dict[str, int]
    recognizers: list[str]
    failures: list[SourceFailure]
    stop_reason: str | None
    resumed: bool
    change_examples: dict[str, list[str]] = field(default_factory=dict)  # first locations per change kind
    history: list[dict[str, Any]] = field(default_factory=list)  # earlier finished scans (scanner.history)

    @property
    def complete(self) -> bool:
        return self.stop_reason is None


def scan_to_state(
    config: ScanConfig,
    engine: Engine,
    state_path: Path,
    options: RunOptions = RunOptions(),
    progress: ProgressSink | None = None,
    worker: ItemWorker | None = None,
    write_outputs: Callable[[ScanPass], Any] | None = None,
) -> ScanPass:
    """List, skip what the state store already holds, scan the rest, and read the run back.

    `write_outputs` (if given) is called with the pass before a complete run is marked finished, so a
    scan killed while writing its outputs is continued by the next run (same statuses, outputs written
    again) instead of being taken as done and reported `unchanged`.
    """
    progress = progress or ProgressSink()
    t0 = time.monotonic()
    failures: list[SourceFailure] = []
    worker = worker or ItemWorker(config)
    stop_reason: list[str] = []
    counts = {"listed": 0, "reused": 0, "resumed": 0, "dispatched": 0}
    state = ScanState(state_path)
    try:
        state.begin(config.digest, full=options.full, reuse_key=reuse_key(config))

        def to_scan() -> Iterator[WorkUnit]:
            listing = list_ahead(list_units(config, failures), options.list_ahead,
                                 progress.listed)
            try:
                for unit in listing:
                    if stop_reason:
                        return
                    counts["listed"] += 1
                    if options.max_runtime_s is not None and time.monotonic() - t0 > options.max_runtime_s:
                        stop_reason.append(f"max runtime of {options.max_runtime_s:g}s reached")
                        return
                    reused = state.reuse(unit.item)
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
                for unit, result in engine.run(worker, to_scan()):
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
        changes = {**state.change_counts(), "removed": removed}
        examples = {"new": state.locations("new"), "changed": state.locations("changed"), "removed": removed_first}
        outcomes: list[ItemOutcome] = []
        findings: list[Finding] = []
        for result in state.results():
            outcomes.extend(result.outcomes)
            findings.extend(result.findings)
        scan = ScanPass(outcomes, findings, counts, changes, recognizers, failures,
                        stop_reason[0] if stop_reason else None, state.resumed, examples,
                        history.read(state.db, state.run_id))
        written = write_outputs(scan) if write_outputs is not None else None
        if not stop_reason:
            if written is not None:  # the history row (scanner.history.row_of) of the outputs just written
                history.record(state.db, state.run_id, written)
            state.finish(keep_sources=_sources(failures))
        return scan
    finally:
        state.close()


def run_scan(
    config: ScanConfig,
    manifest: PolicyManifest,
    out_dir: Path,
    engine: Engine,
    options: RunOptions = RunOptions(),
    progress: ProgressSink | None = None,
    worker: ItemWorker | None = None,
) -> ScanRun:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started_at, t0 = utcnow(), time.monotonic()
    summaries: list[Any] = []

    def write_outputs(scan: ScanPass) -> dict[str, Any]:
        summaries.append(_write_outputs(config, manifest, out_dir, engine, scan, started_at, t0))
        return history.row_of(summaries[-1], utcnow().isoformat())

    scan = scan_to_state(config, engine, options.state_path or out_dir / "state.sqlite", options, progress, worker,
                         write_outputs)
    status_counts = _status_counts(scan)
    summary = summaries[0]
    return ScanRun(
        out_dir=out_dir,
        counts=status_counts,
        findings=len(scan.findings),
        failures=scan.failures,
        summary=summary,
        stopped_early=scan.stop_reason,
        changes=scan.changes,
    )


def _sources(failures: list[SourceFailure]) -> list[str]:
    return [f.source for f in failures]


def _outcomes(scan: ScanPass) -> list[ItemOutcome]:
    return list(scan.outcomes) + [f.outcome() for f in scan.failures]


def _status_counts(scan: ScanPass) -> dict[str, int]:
    status_counts: dict[str, int] = {}
    for o in _outcomes(scan):
        status_counts[o.status.value] = status_counts.get(o.status.value, 0) + 1
    return status_counts


def _write_outputs(config: ScanConfig, manifest: PolicyManifest, out_dir: Path, engine: Engine, scan: ScanPass,
                   started_at: Any, t0: float) -> Any:
    import reports

    outcomes = _outcomes(scan)
    status_counts = _status_counts(scan)
    meta = {
        "tool_version": tool_version(),
        "started_at": started_at.isoformat(),
        "finished_at": utcnow().isoformat(),
        "duration_s": round(time.monotonic() - t0, 3),
        "complete": scan.complete,
        "stopped_because": scan.stop_reason,
        "resumed": scan.resumed,
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
        "recognizers": scan.recognizers,
        "counts": {**scan.counts, "items": len(outcomes), "findings": len(scan.findings),
                   "by_status": status_counts, "change": scan.changes},
        "source_errors": [f.reason for f in scan.failures],
        # what is new since the last finished scan: counts above, first 100 locations of each kind here
        "changes": scan.change_examples,
        "history": scan.history,  # earlier scans' gaps by severity, for the report's chart
    }
    return reports.write_scan_outputs(
        out_dir,
        outcomes=outcomes,
        findings=scan.findings,
        manifest=manifest,
        sources=[reports.SourceInfo(s.display, s.scheme, s.region) for s in config.sources],
        settings=reports.GapSettings(
            retention_default_days=config.retention_default_days,
            minimisation_locations=config.minimisation_locations,
        ),
        meta=meta,
    )
