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
