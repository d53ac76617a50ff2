"""`run_scan`: one scan from configuration to the five output files.

Collaborators are passed in (config, manifest, engine, state path); the CLI only parses arguments.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from scanner.config import ScanConfig
from scanner.engines import Engine
from scanner.models import ItemResult
from scanner.pipeline import ItemWorker, ScanRun, WorkUnit, list_units, source_error_outcome, tool_version, utcnow
from scanner.policy.manifest import PolicyManifest
from scanner.state import ScanState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    full: bool = False
    max_items: int | None = None
    max_runtime_s: float | None = None
    state_path: Path | None = None


class ProgressSink:
    """What the pipeline tells a progress display; the default says nothing."""

    def listed(self, n: int = 1) -> None: ...

    def done(self, result: ItemResult, size: int | None) -> None: ...


def run_scan(
    config: ScanConfig,
    manifest: PolicyManifest,
    out_dir: Path,
    engine: Engine,
    options: RunOptions = RunOptions(),
    progress: ProgressSink | None = None,
    worker: ItemWorker | None = None,
) -> ScanRun:
    import reports

    progress = progress or ProgressSink()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    state = ScanState(options.state_path or out_dir / "state.sqlite")
    started_at, t0 = utcnow(), time.monotonic()
    state.begin(config.digest, full=options.full)
    source_errors: list[str] = []
    worker = worker or ItemWorker(config)
    stop_reason: list[str] = []
    counts = {"listed": 0, "reused": 0, "dispatched": 0}

    def to_scan() -> Iterator[WorkUnit]:
        for unit in list_units(config, source_errors):
            counts["listed"] += 1
            progress.listed()
            if options.max_runtime_s is not None and time.monotonic() - t0 > options.max_runtime_s:
                stop_reason.append(f"max runtime of {options.max_runtime_s:g}s reached")
                return
            reused = None if options.full else state.reuse(unit.item)
            if reused is not None:
                counts["reused"] += 1
                progress.done(reused, unit.item.size_bytes)
                continue
            if options.max_items is not None and counts["dispatched"] >= options.max_items:
                stop_reason.append(f"max items ({options.max_items}) reached")
                return
            counts["dispatched"] += 1
            yield unit

    try:
        for unit, result in engine.run(worker, to_scan()):
            state.record(unit.item, result)
            progress.done(result, unit.item.size_bytes)
    finally:
        engine.close()
    complete = not stop_reason
    if complete:
        state.finish()
    outcomes, findings = [], []
    for result in state.results():
        outcomes.extend(result.outcomes)
        findings.extend(result.findings)
    for message in source_errors:
        outcomes.append(source_error_outcome(message.split(": ", 1)[-1], message))
    status_counts: dict[str, int] = {}
    for o in outcomes:
        status_counts[o.status.value] = status_counts.get(o.status.value, 0) + 1
    finished_at = utcnow()
    meta = {
        "tool_version": tool_version(),
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat(),
        "duration_s": round(time.monotonic() - t0, 3),
        "complete": complete,
        "stopped_because": stop_reason[0] if stop_reason else None,
        "resumed": state.resumed,
        "config_digest": config.digest,
        "config": dict(config.raw),
        "engine": engine.name,
        "workers": engine.workers,
        "limits": config.limits.as_dict(),
        "detection": {
            "languages": list(config.detection.languages),
            "countries": list(config.detection.countries),
            "min_score": config.detection.min_score,
            "fingerprint_key_id": config.detection.fingerprint_key_id,
            "reveal_values": config.detection.reveal_values,
        },
        "recognizers": _recognizers(worker),
        "counts": {**counts, "items": len(outcomes), "findings": len(findings), "by_status": status_counts},
        "source_errors": source_errors,
    }
    state.close()
    summary = reports.write_scan_outputs(
        out_dir,
        outcomes=outcomes,
        findings=findings,
        manifest=manifest,
        sources=[reports.SourceInfo(s.display, s.scheme, s.region) for s in config.sources],
        settings=reports.GapSettings(
            retention_default_days=config.retention_default_days,
            minimisation_locations=config.minimisation_locations,
        ),
        meta=meta,
    )
    return ScanRun(
        out_dir=out_dir,
        counts=status_counts,
        findings=len(findings),
        source_errors=source_errors,
        summary=summary,
        stopped_early=stop_reason[0] if stop_reason else None,
    )


def _recognizers(worker: ItemWorker) -> list[str]:
    """Recognizer names for scan.json, from this process's detector (built only if it was used here)."""
    try:
        return list(worker.detector.recognizers)
    except Exception:  # noqa: BLE001 - provenance is best effort; never fail a finished scan on it
        return []

