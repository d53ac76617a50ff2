"""Engines: the process pool and a real 2-worker Dask LocalCluster give the serial engine's results,
survive a worker that dies or hangs, and batch small files."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from scale_helpers import (CRASH, HANG, config_for, counted_email_detector, email_detector, finding_keys, inventory,
                           language_model_detector, make_estate)
from scanner.engines.batching import UnitBatcher
from scanner.engines.local import LocalEngine
from scanner.models import Item, SourceSpec
from scanner.pipeline import ItemWorker, WorkUnit
from scale_helpers import scan_to_state


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A clean estate scanned serially in this process: the results every engine must reproduce."""
    tmp = tmp_path_factory.mktemp("engines")
    root = make_estate(tmp / "estate", 120)
    config = config_for(root, tmp)
    serial = scan_to_state(config, LocalEngine(1), tmp / "serial.sqlite", worker=ItemWorker(config, email_detector))
    assert len(serial.outcomes) == 120 and len(serial.findings) == 40
    return root, config, tmp, serial


def with_marker(reference, name: str, marker: str) -> tuple[Path, object, Path]:
    """A copy of the reference estate plus one file carrying a marker the cheap detector acts on."""
    root, _, tmp, _ = reference
    copy = tmp / f"estate-{name}"
    if not copy.exists():
        shutil.copytree(root, copy)
        (copy / "dept04" / f"{name}.txt").write_text(f"{marker}\n", encoding="utf-8")
    config = config_for(copy, tmp / name)
    return copy, config, copy / "dept04" / f"{name}.txt"


def relocated(findings, old: Path, new: Path) -> list[tuple]:
    return finding_keys(f.__class__(**{**f.__dict__, "location": f.location.replace(old.as_uri(), new.as_uri())})
                        for f in findings)


@pytest.mark.slow
def test_process_pool_equals_serial_scan(reference, tmp_path):
    root, config, _, serial = reference
    engine = LocalEngine(2, batch_items=8)
    pooled = scan_to_state(config, engine, tmp_path / "pool.sqlite", worker=ItemWorker(config, email_detector))
    assert inventory(pooled.outcomes) == inventory(serial.outcomes)
    assert finding_keys(pooled.findings) == finding_keys(serial.findings)
    assert pooled.recognizers == ("ScaleTestEmailRecognizer",)  # sent back by a worker, not built here
    assert len(engine.peak_rss) == 2 and all(rss > 10_000_000 for rss in engine.peak_rss.values())


@pytest.mark.slow
def test_a_worker_that_dies_costs_one_error_row_and_the_scan_goes_on(reference, tmp_path):
    """Also: the detector is built once, in the model parent, not in each worker nor in the replacement."""
    root, _, _, serial = reference
    copy, config, crash_file = with_marker(reference, "crash", CRASH)
    engine = LocalEngine(2, batch_items=8)
    built = tmp_path / "built.txt"
    worker = ItemWorker(config, functools.partial(counted_email_detector, str(built)))
    result = scan_to_state(config, engine, tmp_path / "crash.sqlite", worker=worker)
    builders = built.read_text().split()
    assert len(builders) == 1 and int(builders[0]) not in engine.peak_rss  # workers are forked from it
    statuses = inventory(result.outcomes)
    assert len(statuses) == 121
    assert statuses.pop(crash_file.resolve().as_uri()) == "error"
    assert set(statuses.values()) == {"scanned"}
    reason = next(o.reason for o in result.outcomes if o.item.location == crash_file.resolve().as_uri())
    assert "signal 9" in reason
    assert engine.restarts == 1
    assert finding_keys(result.findings) == relocated(serial.findings, root.resolve(), copy.resolve())


@pytest.mark.slow
def test_a_model_loaded_lazily_by_a_worker_ends_up_shared_from_the_model_parent(reference, tmp_path):
    """Every file needs the French "model": the two first workers load it themselves, the model parent
    then loads it too, and every worker forked after that has it already (at most workers + 1 loads)."""
    root, _, tmp, serial = reference
    french = tmp / "estate-french"
    if not french.exists():
        shutil.copytree(root, french)
        for path in french.rglob("*.txt"):
            path.write_text(path.read_text(encoding="utf-8") + "LANG-fr\n", encoding="utf-8")
    config = config_for(french, tmp_path / "french")
    log = tmp_path / "loads.txt"
    engine = LocalEngine(2, batch_items=4)
    worker = ItemWorker(config, functools.partial(language_model_detector, str(log)))
    result = scan_to_state(config, engine, tmp_path / "french.sqlite", worker=worker)
    loads = [line.split() for line in log.read_text().splitlines()]
    assert {language for _, language in loads} == {"fr"}
    assert 2 <= len(loads) <= 3  # one per first worker that met French first, one in the model parent
    assert len(engine.peak_rss) > 2  # the workers forked before the parent had French were replaced
    assert engine.restarts == 0  # … which is not a worker lost
    assert finding_keys(result.findings) == relocated(serial.findings, root.resolve(), french.resolve())


@pytest.mark.slow
def test_a_hung_item_is_stopped_at_the_hard_time_limit(reference, tmp_path):
    root, _, _, serial = reference
    copy, config, hang_file = with_marker(reference, "hang", HANG)
    engine = LocalEngine(2, batch_items=8, item_seconds=5.0, grace_seconds=5.0)
    result = scan_to_state(config, engine, tmp_path / "hang.sqlite", worker=ItemWorker(config, email_detector))
    outcome = next(o for o in result.outcomes if o.item.location == hang_file.resolve().as_uri())
    assert outcome.status.value == "error" and "time limit" in (outcome.reason or "")
    assert len(result.outcomes) == 121
    assert finding_keys(result.findings) == relocated(serial.findings, root.resolve(), copy.resolve())


@pytest.mark.slow
def test_dask_local_cluster_equals_serial_scan_and_survives_dying_and_hung_workers(reference, tmp_path):
    from scanner.engines.dask_engine import DaskEngine

    root, config, _, serial = reference
    engine = DaskEngine(2, batch_items=8)
    result = scan_to_state(config, engine, tmp_path / "dask.sqlite", worker=ItemWorker(config, email_detector))
    assert inventory(result.outcomes) == inventory(serial.outcomes)
    assert finding_keys(result.findings) == finding_keys(serial.findings)
    assert result.recognizers == ("ScaleTestEmailRecognizer",) and len(engine.peak_rss) == 2

    copy, _, crash_file = with_marker(reference, "dask-crash", CRASH)
    hang_file = copy / "dept07" / "hang.txt"
    hang_file.write_text(f"{HANG}\n", encoding="utf-8")
    crash_config = config_for(copy, tmp_path / "dask-crash")
    engine = DaskEngine(2, batch_items=8, item_seconds=5.0, grace_seconds=5.0)
    crashed = scan_to_state(crash_config, engine, tmp_path / "dask-crash.sqlite",
                            worker=ItemWorker(crash_config, email_detector))
    statuses = inventory(crashed.outcomes)
    assert statuses.pop(crash_file.resolve().as_uri()) == "error"
    assert statuses.pop(hang_file.resolve().as_uri()) == "error"  # the watchdog killed its worker
    assert set(statuses.values()) == {"scanned"}
    assert finding_keys(crashed.findings) == relocated(serial.findings, root.resolve(), copy.resolve())


def unit(size: int, n: int) -> WorkUnit:
    spec = SourceSpec("/x", "/x", "file")
    return WorkUnit(spec, Item("/x", f"/x/{n}", "file", size_bytes=size))


def test_batches_group_small_files_and_send_big_ones_alone():
    units = [unit(100, i) for i in range(40)] + [unit(5_000_000, 40)] + [unit(100, i) for i in range(41, 45)]
    batcher = UnitBatcher(units, batch_items=16, batch_bytes=1_000_000)
    sizes = []
    while batch := batcher.take():
        sizes.append(len(batch))
    assert sizes == [16, 16, 8, 1, 4] and batcher.empty
    batcher.retry([units[0], units[1]])
    assert [u.item.location for u in batcher.take()] == ["/x/0", "/x/1"]
