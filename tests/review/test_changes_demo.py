"""What changed since the last scan, on the demo estate: delete a planted file and copy a sick-leave note
to a new place, rescan into the same --out, and check the change columns, scan.json's `since` and
`history`, the report's first section, and `--compare` against a saved copy of the first outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from scanner.cli import cli

from conftest import console_messages, demo_scan, gaps, rescan

PLANTED = "share/hr/applications/screening-notes-2025.txt"  # the criminal-record extract
SICK_NOTE = "share/hr/employees/sick-leave/2025-02-arret-maladie-lebon.txt"
COPIED = "share/it/tmp/arret-maladie-copie.txt"


@pytest.fixture(scope="module")
def rescanned(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = demo_scan(tmp_path_factory.mktemp("changes"))
    first = out.parent / (out.name + "-first")
    first.mkdir()
    for name in ("scan.json", "gaps.parquet", "findings.parquet"):
        shutil.copy(out / name, first / name)
    before = gaps(out)
    estate = out / "estate"
    deleted = (estate / PLANTED).resolve().as_uri()
    (estate / PLANTED).unlink()
    (estate / COPIED).parent.mkdir(parents=True)
    shutil.copy(estate / SICK_NOTE, estate / COPIED)
    result = rescan(out)
    assert result.exit_code == 0, result.output
    return {"out": out, "first": first, "before": before, "after": gaps(out), "deleted": deleted,
            "copied": (estate / COPIED).resolve().as_uri()}


def _only_there(gaps: list[dict], location: str) -> list[dict]:
    return [g for g in gaps if g["example_locations"] == [location]]


@pytest.mark.slow
def test_gaps_of_the_deleted_file_are_resolved_and_kept_as_rows(rescanned: dict) -> None:
    planted = _only_there(rescanned["before"], rescanned["deleted"])
    assert planted and any(g["category"] == "user.criminal_history" for g in planted)
    after = {g["gap_id"]: g for g in rescanned["after"]}
    for gap in planted:
        assert after[gap["gap_id"]]["change"] == "resolved"
        assert after[gap["gap_id"]]["message"] == gap["message"]
    others = [g for g in rescanned["after"] if g["change"] != "resolved"]
    assert others and {g["change"] for g in others} <= {"new", "unchanged"}
    assert len(rescanned["after"]) == len(others) + len(planted)


@pytest.mark.slow
def test_findings_are_marked_and_the_new_special_location_is_listed(rescanned: dict) -> None:
    findings = pq.read_table(rescanned["out"] / "findings.parquet").to_pylist()
    new = {f["location"] for f in findings if f["change"] == "new"}
    assert new == {rescanned["copied"]}
    assert all(f["change"] == "unchanged" for f in findings if f["location"] != rescanned["copied"])
    since = json.loads((rescanned["out"] / "scan.json").read_text())["since"]
    assert since["new_special_locations"] == [rescanned["copied"]]
    assert since["findings"]["resolved"] == len([f for f in pq.read_table(rescanned["first"] / "findings.parquet")
                                                 .to_pylist() if f["location"] == rescanned["deleted"]]) > 0
    assert since["gaps"]["resolved"] == len(_only_there(rescanned["before"], rescanned["deleted"]))


@pytest.mark.slow
def test_history_has_one_row_per_finished_scan(rescanned: dict) -> None:
    doc = json.loads((rescanned["out"] / "scan.json").read_text())
    history = doc["history"]
    assert len(history) == 2
    assert sum(history[0][s] for s in ("high", "medium", "low", "info")) == len(rescanned["before"])
    current = [g for g in rescanned["after"] if g["change"] != "resolved"]
    assert history[1]["high"] == sum(1 for g in current if g["severity"] == "high")


@pytest.mark.slow
def test_report_opens_with_since_the_last_scan(rescanned: dict) -> None:
    html = (rescanned["out"] / "report.html").read_text()
    main = html.split("<main>", 1)[1]
    assert main.index('<section id="since">') < main.index('<section id="verdict">')
    since = main.split('<section id="since">')[1].split("</section>")[0]
    assert 'id="resolved-gaps"' in since and "criminal" in since
    assert rescanned["copied"] in since.split('id="new-special"')[1]
    assert "Gaps by severity, per scan" in since and "<svg" in since
    gap_list = main.split('<section id="gaps">')[1].split("</section>")[0]
    for gap in _only_there(rescanned["before"], rescanned["deleted"]):  # resolved: no longer a gap
        assert f'id="gap-{gap["gap_id"]}"' not in gap_list
    assert console_messages(rescanned["out"] / "report.html") == []


@pytest.mark.slow
def test_compare_with_another_output_folder(rescanned: dict) -> None:
    out = rescanned["out"]
    expected = json.loads((out / "scan.json").read_text())["since"]
    (out / "report.html").unlink()
    result = CliRunner().invoke(cli, ["report", str(out), "--compare", str(rescanned["first"])])
    assert result.exit_code == 0, result.output
    again = json.loads((out / "scan.json").read_text())["since"]
    assert again["gaps"] == expected["gaps"] and again["findings"] == expected["findings"]
    assert again["previous"]["folder"] == str(rescanned["first"])
    assert [g["gap_id"] for g in gaps(out) if g["change"] == "resolved"] == \
        [g["gap_id"] for g in rescanned["after"] if g["change"] == "resolved"]
