"""An unchanged rescan costs listing, carry-over and output writing only: no engine run, no model loaded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

import pytest

import detectors.nlp
from scale_helpers import config_for, make_estate
from scanner.engines.local import LocalEngine
from scanner.manifest import PolicyManifest
from scanner.models import ItemResult
from scanner.pipeline import ItemWorker, WorkUnit
from scanner.run import RunOptions, run_scan


class RecordingEngine:
    """A real in-process engine that counts its runs and the units it was handed."""

    name, workers = "local", 1

    def __init__(self) -> None:
        self.inner = LocalEngine(1, processes=False)
        self.runs = 0
        self.units = 0

    def run(self, worker: ItemWorker, units: Iterable[WorkUnit]) -> Iterator[tuple[WorkUnit, ItemResult]]:
        self.runs += 1
        for unit, result in self.inner.run(worker, units):
            self.units += 1
            yield unit, result

    def close(self) -> None:
        self.inner.close()


@pytest.fixture()
def model_loads(monkeypatch) -> list[str]:
    """Every spaCy model load in this process, by language (the real loader still runs)."""
    loads: list[str] = []
    real = detectors.nlp.load_model

    def recording(language: str):
        loads.append(language)
        return real(language)

    monkeypatch.setattr(detectors.nlp, "load_model", recording)
    return loads


def scan(root: Path, tmp: Path, engine) -> object:
    config = config_for(root, tmp)
    return run_scan(config, PolicyManifest(), tmp / "out", engine, RunOptions(handle_signals=False),
                    worker=ItemWorker(config))


def test_an_unchanged_rescan_runs_no_engine_and_loads_no_model(tmp_path, model_loads):
    root = make_estate(tmp_path / "estate", 12, prose=1)
    first_engine = RecordingEngine()
    first = scan(root, tmp_path, first_engine)
    assert first_engine.runs == 1 and first_engine.units == 12 and model_loads == ["en"]

    model_loads.clear()
    again_engine = RecordingEngine()
    again = scan(root, tmp_path, again_engine)
    assert again_engine.runs == 0 and again_engine.units == 0
    assert model_loads == []
    assert again.counts["reused"] == 12 and again.report is not None
    assert again.report.items_by_status == {"unchanged": 12}
    assert len(again.findings) == len(first.findings) > 0


def test_a_rescan_with_one_change_runs_the_engine_for_that_item_only(tmp_path, model_loads):
    root = make_estate(tmp_path / "estate", 12)
    scan(root, tmp_path, RecordingEngine())
    touched = sorted(root.rglob("*.txt"))[3]
    later = touched.stat().st_mtime + 60
    os.utime(touched, (later, later))
    engine = RecordingEngine()
    again = scan(root, tmp_path, engine)
    assert engine.runs == 1 and engine.units == 1
    assert again.changes["changed"] == 1 and again.changes["unchanged"] == 11


def test_carry_over_is_one_update_per_listed_chunk_and_each_result_is_decoded_once(tmp_path, monkeypatch):
    """An unchanged rescan of 300 items: far fewer UPDATEs than items, and every stored result decoded
    exactly once (to write the outputs), never during carry-over."""
    from scale_helpers import email_detector, scan_to_state
    from scanner import codec
    from scanner.run import scan_sources
    from scanner.state import ScanState

    root = make_estate(tmp_path / "estate", 300)
    config = config_for(root, tmp_path)
    state_path = tmp_path / "out" / "state.sqlite"
    scan_to_state(config, LocalEngine(1), state_path, worker=ItemWorker(config, email_detector))
    decoded: list[int] = []
    real_loads = codec.loads
    monkeypatch.setattr(codec, "loads", lambda text, **kw: decoded.append(1) or real_loads(text, **kw))
    statements: list[str] = []
    with ScanState(state_path) as state:
        state.db.set_trace_callback(statements.append)
        again = scan_sources(config, RecordingEngine(), state, RunOptions(handle_signals=False),
                             worker=ItemWorker(config, email_detector))
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE ITEMS")]
    assert again.counts["reused"] == 300
    assert 1 <= len(updates) <= 300 // 8
    assert len(decoded) == 300
