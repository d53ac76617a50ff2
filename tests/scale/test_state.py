"""Incremental and resumable scans through the state store (cheap detector, in-process engine)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from scale_helpers import FAIL, config_for, email_detector, finding_keys, inventory, make_estate, scan_to_state
from scanner.engines.local import LocalEngine
from scanner.errors import ConfigError
from scanner.models import Status
from scanner.pipeline import ItemWorker
from scanner.run import RunOptions
from scanner.state import ScanState


@pytest.fixture()
def estate(tmp_path: Path):
    root = make_estate(tmp_path / "estate", 60)
    config = config_for(root, tmp_path)
    return root, config, tmp_path / "out" / "state.sqlite"


def scan(config, state_path, **options):
    return scan_to_state(config, LocalEngine(1), state_path, RunOptions(**options),
                         worker=ItemWorker(config, email_detector))


def test_rescan_of_unchanged_estate_carries_everything_over(estate):
    root, config, state_path = estate
    first = scan(config, state_path)
    assert first.counts["dispatched"] == 60 and first.changes["new"] == 60
    again = scan(config, state_path)
    assert again.counts["dispatched"] == 0 and again.counts["reused"] == 60
    assert {o.status for o in again.outcomes} == {Status.UNCHANGED}
    assert finding_keys(again.findings) == finding_keys(first.findings) and len(first.findings) == 20
    assert again.changes == {"new": 0, "changed": 0, "unchanged": 60, "removed": 0}
    assert {o.facts.change for o in again.outcomes} == {"unchanged"}


def test_touching_one_file_rescans_only_that_file(estate):
    root, config, state_path = estate
    first = scan(config, state_path)
    target = root / "dept03" / "note00003.txt"
    target.write_text("now it names someone: new.person@example.lu\n", encoding="utf-8")
    os.utime(target, ns=(1_900_000_000_000_000_000, 1_900_000_000_000_000_000))
    (root / "dept05" / "note00005.txt").unlink()
    (root / "dept09" / "added.txt").write_text("fresh: added@example.lu\n", encoding="utf-8")
    again = scan(config, state_path)
    assert again.counts["dispatched"] == 2  # the touched file and the added one
    assert again.changes == {"new": 1, "changed": 1, "unchanged": 58, "removed": 1}
    assert again.change_examples == {
        "new": [(root / "dept09" / "added.txt").resolve().as_uri()],
        "changed": [target.resolve().as_uri()],
        "removed": [(root / "dept05" / "note00005.txt").resolve().as_uri()],
    }
    statuses = inventory(again.outcomes)
    assert statuses[target.resolve().as_uri()] == "scanned"
    assert sum(1 for s in statuses.values() if s == "unchanged") == 58
    assert len(again.outcomes) == len(first.outcomes)  # one removed, one added
    touched = [f for f in again.findings if f.location == target.resolve().as_uri()]
    assert len(touched) == 1 and touched[0].count == 1  # the old findings of that file are gone


def test_full_rescans_everything_but_still_says_what_changed(estate):
    _, config, state_path = estate
    scan(config, state_path)
    full = scan(config, state_path, full=True)
    assert full.counts["dispatched"] == 60
    assert {o.status for o in full.outcomes} == {Status.SCANNED}
    assert full.changes["unchanged"] == 60


def test_changed_detection_settings_force_a_rescan(estate, tmp_path):
    root, config, state_path = estate
    scan(config, state_path)
    stricter = config_for(root, tmp_path, rows_per_table=10)
    assert scan(stricter, state_path).counts["dispatched"] == 60


def test_stopped_run_is_continued_without_duplicates(estate):
    _, config, state_path = estate
    part = scan(config, state_path, max_items=25)
    assert part.stop_reason and part.counts["dispatched"] == 25 and len(part.outcomes) == 25
    rest = scan(config, state_path)
    assert rest.counts == {"listed": 60, "reused": 0, "resumed": 25, "dispatched": 35}
    assert rest.resumed and rest.complete
    locations = [o.item.location for o in rest.outcomes]
    assert len(locations) == len(set(locations)) == 60
    reference = scan(config, state_path.with_name("reference.sqlite"))
    assert finding_keys(rest.findings) == finding_keys(reference.findings)
    assert rest.changes["new"] == 60  # the resumed run still compares with the last *finished* scan


def test_errors_are_retried_on_the_next_scan(estate, monkeypatch):
    root, config, state_path = estate
    failing = root / "dept01" / "note00001.txt"
    failing.write_text(f"{FAIL}\n", encoding="utf-8")
    monkeypatch.setenv("SCALE_FAIL", "1")
    first = scan(config, state_path)
    assert inventory(first.outcomes)[failing.resolve().as_uri()] == "error"
    monkeypatch.delenv("SCALE_FAIL")
    again = scan(config, state_path)
    assert again.counts["dispatched"] == 1  # same version, but an error is never carried over
    assert inventory(again.outcomes)[failing.resolve().as_uri()] == "scanned"


def test_one_scan_at_a_time_per_state_file(tmp_path):
    with ScanState(tmp_path / "state.sqlite"):
        with pytest.raises(ConfigError, match="another scan"):
            ScanState(tmp_path / "state.sqlite")
    ScanState(tmp_path / "state.sqlite").close()  # released when the first closed


def test_state_holds_no_raw_values(estate):
    root, config, state_path = estate
    scan(config, state_path)
    blob = b"".join(p.read_bytes() for p in state_path.parent.iterdir() if p.is_file())
    assert b"user0@example.lu" not in blob and b"@corp.example.com" not in blob
    with sqlite3.connect(state_path) as db:
        assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 60


def test_an_unreachable_source_keeps_its_state(tmp_path):
    first_root = make_estate(tmp_path / "a", 10)
    second_root = make_estate(tmp_path / "b", 10)
    state_path = tmp_path / "state.sqlite"
    import yaml

    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump({"sources": [{"uri": str(first_root)}, {"uri": str(second_root)}]}))
    from scanner.config import load_config

    config = load_config(path, env={"POLICYSCAN_HMAC_KEY": "k" * 32, "POLICYSCAN_HOME": str(tmp_path / "home")})
    assert scan(config, state_path).counts["dispatched"] == 20
    second_root.rename(tmp_path / "b-offline")
    outage = scan(config, state_path)
    assert len(outage.failures) == 1 and outage.changes["removed"] == 0
    assert len(outage.outcomes) == 10  # this run's outputs: the reachable source (plus the error row)
    (tmp_path / "b-offline").rename(second_root)
    back = scan(config, state_path)
    assert back.counts["dispatched"] == 0 and back.counts["reused"] == 20


def test_a_scan_killed_while_writing_outputs_is_continued_not_taken_as_done(estate, monkeypatch):
    import scanner.run
    from scanner.manifest import PolicyManifest

    _, config, state_path = estate

    def die_while_writing(result, *args) -> None:
        assert result.complete and len(result.outcomes) == 60
        raise KeyboardInterrupt  # stands for a kill between the last result and the outputs

    monkeypatch.setattr(scanner.run, "write_outputs", die_while_writing)
    with pytest.raises(KeyboardInterrupt):
        scanner.run.run_scan(config, PolicyManifest(), state_path.parent, LocalEngine(1),
                             RunOptions(state_path=state_path), worker=ItemWorker(config, email_detector))
    monkeypatch.undo()
    again = scan(config, state_path)
    assert again.resumed and again.counts["resumed"] == 60 and again.counts["dispatched"] == 0
    assert {o.status for o in again.outcomes} == {Status.SCANNED}  # as an uninterrupted first scan says


def test_results_stored_before_the_typed_fields_still_load() -> None:
    """A state written before `Finding.special` and the typed facts resumes: the flag from the core
    vocabulary, the facts from the old `extra` dict (keys nothing reads are dropped)."""
    import json

    from scanner import codec
    from scanner.models import Finding, Item, ItemOutcome, ItemResult

    def finding(entity: str, category: str) -> Finding:
        return Finding(source="s", location="l", field=None, entity=entity, category=category, special=False,
                       count=1, score=1.0, masked_example="x", fingerprint="f", distinct_count=1,
                       fingerprints=("f",), recognizer="r")

    result = ItemResult(outcomes=(ItemOutcome(Item(source="s", location="l", kind="file"), Status.SCANNED),),
                        findings=(finding("TRADE_UNION", "user.demographic"),
                                  finding("EMAIL_ADDRESS", "user.contact.email")))
    old = json.loads(codec.dumps(result))
    for f in old["findings"]:
        del f["special"]
    facts = old["outcomes"][0]["facts"]
    for name in ("region", "change", "partial", "sampling", "members_not_scanned", "data_age_basis",
                 "data_age_columns"):
        del facts[name]
    facts["extra"] = {"region": "LU", "sampling": "head", "seconds": 0.1, "host": "db"}  # the old side channel
    loaded = codec.loads(json.dumps(old))
    assert [f.special for f in loaded.findings] == [True, False]
    assert (loaded.outcomes[0].facts.region, loaded.outcomes[0].facts.sampling) == ("LU", "head")
