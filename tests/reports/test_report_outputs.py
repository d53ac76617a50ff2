"""Parquet schemas, scan.json, round-trips and determinism of `write_scan_outputs` / `rerender_report`."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from faker import Faker
import report_estate as e

import reports
from reports import schema
from scanner.models import SCHEMA_VERSION, Severity

CONTRACT = {  # issue 2's output contract: these columns and types must never change
    "findings": {"source": pa.string(), "location": pa.string(), "field": pa.string(), "entity": pa.string(),
                 "category": pa.string(), "count": pa.int64(), "score": pa.float64(),
                 "masked_example": pa.string(), "fingerprint": pa.string()},
    "inventory": {"source": pa.string(), "location": pa.string(), "kind": pa.string(), "size_bytes": pa.int64(),
                  "modified": pa.timestamp("us", tz="UTC"), "status": pa.string(), "reason": pa.string()},
    "gaps": {"gap_kind": pa.string(), "severity": pa.string(), "category": pa.string(),
             "policy_reference": pa.struct([("section", pa.string()), ("quote", pa.string())]),
             "evidence_count": pa.int64(), "example_locations": pa.list_(pa.string()), "message": pa.string()},
}


def write(out: Path, **overrides) -> reports.ReportSummary:
    outcomes, findings = e.estate()
    args = dict(outcomes=outcomes, findings=findings, manifest=e.manifest(), sources=e.SOURCES,
                settings=e.SETTINGS, meta=e.META)
    args.update(overrides)
    return reports.write_scan_outputs(out, **args)


@pytest.fixture(scope="module")
def scan_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, reports.ReportSummary]:
    out = tmp_path_factory.mktemp("scan")
    return out, write(out)


def test_all_files_written(scan_dir) -> None:
    out, summary = scan_dir
    expected = {"findings.parquet", "inventory.parquet", "gaps.parquet", "categories.parquet", "columns.parquet",
                "scan.json", "report.html"}
    assert set(summary.paths) == expected
    assert {p.name for p in out.iterdir()} == expected  # no temp files left behind


@pytest.mark.parametrize("table", sorted(schema.SCHEMAS))
def test_parquet_schema_is_the_documented_one(scan_dir, table: str) -> None:
    out, _ = scan_dir
    written = pq.read_schema(out / f"{table}.parquet")
    assert written.remove_metadata() == schema.SCHEMAS[table].remove_metadata()
    assert written.metadata[b"policyscan.schema_version"] == SCHEMA_VERSION.encode()


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_output_contract_columns(scan_dir, table: str) -> None:
    out, _ = scan_dir
    written = pq.read_schema(out / f"{table}.parquet")
    for name, type_ in CONTRACT[table].items():
        assert written.field(name).type == type_, name


def test_rows_sorted_and_counts_match(scan_dir) -> None:
    out, summary = scan_dir
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    keys = [(r["source"], r["location"], r["field"] or "", r["entity"]) for r in findings]
    assert keys == sorted(keys) and len(findings) == len(e.estate()[1])
    inventory = pq.read_table(out / "inventory.parquet").to_pylist()
    assert [(r["source"], r["location"]) for r in inventory] == sorted((r["source"], r["location"]) for r in inventory)
    assert {r["status"] for r in inventory} == {"scanned", "skipped", "error"}
    assert next(r for r in inventory if r["source"] == e.BUCKET)["region"] == "us-east-1"
    gaps = pq.read_table(out / "gaps.parquet").to_pylist()
    assert len(gaps) == len(summary.gaps)
    assert all(g["evidence_unit"] for g in gaps)
    ranks = [Severity(g["severity"]).rank for g in gaps]
    assert ranks == sorted(ranks, reverse=True)


def test_scan_json_records_how_the_scan_was_made(scan_dir) -> None:
    out, summary = scan_dir
    doc = json.loads((out / "scan.json").read_text())
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["tool_version"] == "0.1.0-test" and doc["config_digest"] == "abc123"
    assert doc["policy"]["digest"] == e.manifest().digest
    assert "user.contact" in doc["policy"]["declared"] and "user.government_id" in doc["policy"]["not_declared"]
    assert doc["counts"]["listed"] == 12  # the pipeline's counts are kept
    assert doc["counts"]["gaps"] == len(summary.gaps)
    assert sum(doc["counts"]["gaps_by_severity"].values()) == len(summary.gaps)
    assert doc["max_severity"] == "high" and summary.max_severity() is Severity.HIGH
    assert doc["gap_reference_time"] == e.NOW.isoformat()
    assert {s["display"]: s["in_eu_eea"] for s in doc["sources"]}[e.BUCKET] is False
    assert set(doc["files"]) == {n for n in summary.paths if n.endswith(".parquet")}


def test_rerender_reads_the_same_gaps(scan_dir) -> None:
    out, summary = scan_dir
    before = (out / "report.html").read_text()
    again = reports.rerender_report(out)
    assert again.gaps == summary.gaps
    assert (out / "report.html").read_text() == before


def test_gaps_recomputed_from_files_alone_are_the_same(scan_dir) -> None:
    """The outputs hold everything the rules need: no rule depends on something that is not written."""
    out, summary = scan_dir
    assert reports.recompute_gaps(out) == summary.gaps


def test_outputs_are_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a)
    outcomes, findings = e.estate()
    write(b, outcomes=list(reversed(outcomes)), findings=list(reversed(findings)))
    for name in ("findings.parquet", "inventory.parquet", "gaps.parquet", "categories.parquet",
                 "columns.parquet", "report.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_empty_scan_writes_valid_empty_outputs(tmp_path: Path) -> None:
    summary = reports.write_scan_outputs(tmp_path, outcomes=[], findings=[], manifest=e.manifest(), sources=(),
                                         settings=reports.GapSettings(), meta={})
    assert pq.read_table(tmp_path / "findings.parquet").num_rows == 0
    assert all(g.gap_kind == "declared_not_found" for g in summary.gaps)
    assert reports.rerender_report(tmp_path).gaps == summary.gaps


def test_max_severity_of_nothing_is_none() -> None:
    assert reports.ReportSummary(gaps=()).max_severity() is None


def test_html_is_written_by_the_registered_reporter() -> None:
    from reports.html import HtmlReporter
    from reports.reporters import Reporter, load_reporters

    found = load_reporters()
    assert [r.name for r in found] == ["html"] and isinstance(found[0], HtmlReporter)
    assert isinstance(found[0], Reporter)


def test_rerender_needs_only_the_record(scan_dir, tmp_path: Path) -> None:
    """`policyscan report DIR` on a copy holding only the Parquet files and scan.json."""
    out, summary = scan_dir
    for name in summary.paths:
        if name != "report.html":
            (tmp_path / name).write_bytes((out / name).read_bytes())
    again = reports.rerender_report(tmp_path)
    assert again.gaps == summary.gaps
    assert (tmp_path / "report.html").read_bytes() == (out / "report.html").read_bytes()


def test_rerender_of_outputs_without_the_optional_tables(scan_dir, tmp_path: Path) -> None:
    out, summary = scan_dir
    for name in ("findings.parquet", "inventory.parquet", "gaps.parquet", "scan.json"):
        (tmp_path / name).write_bytes((out / name).read_bytes())
    assert reports.rerender_report(tmp_path).gaps == summary.gaps
    assert "report.html" in {p.name for p in tmp_path.iterdir()}


def test_a_failing_rule_is_recorded_not_hiding_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reports import gaps as gaps_module
    from reports.gaps.categories import SpecialCategoryGapRule

    class BrokenRule:
        kind = "broken"

        def evaluate(self, ctx):
            raise RuntimeError("boom")

    monkeypatch.setattr(gaps_module, "load_rules", lambda: [BrokenRule(), SpecialCategoryGapRule()])
    monkeypatch.setattr("reports.outputs.load_rules", gaps_module.load_rules)
    summary = write(tmp_path)
    assert {g.gap_kind for g in summary.gaps} == {"special_category"}
    doc = json.loads((tmp_path / "scan.json").read_text())
    assert doc["gap_rule_errors"] == ["broken: RuntimeError"]
    assert "broken: RuntimeError" in (tmp_path / "report.html").read_text()


def test_rerender_with_a_minimal_scan_json(scan_dir, tmp_path: Path) -> None:
    """An older or hand-trimmed scan.json (only the schema version) still renders."""
    out, summary = scan_dir
    for name in ("findings.parquet", "inventory.parquet", "gaps.parquet"):
        (tmp_path / name).write_bytes((out / name).read_bytes())
    (tmp_path / "scan.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    assert reports.rerender_report(tmp_path).gaps == summary.gaps
    assert "Verdict" in (tmp_path / "report.html").read_text()


@pytest.mark.parametrize("table", sorted(schema.SCHEMAS))
def test_pandas_reads_every_table(scan_dir, table: str) -> None:
    pd = pytest.importorskip("pandas")
    out, _ = scan_dir
    frame = pd.read_parquet(out / f"{table}.parquet")
    assert len(frame) == pq.read_metadata(out / f"{table}.parquet").num_rows > 0
    assert list(frame.columns) == schema.SCHEMAS[table].names


def test_files_are_written_in_order_report_last(scan_dir) -> None:
    _, summary = scan_dir
    assert list(summary.paths)[-2:] == ["scan.json", "report.html"]


def test_a_failed_write_leaves_the_previous_file_and_no_temp_file(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path)
    before = (tmp_path / "findings.parquet").read_bytes()

    class DiskFullWriter(pq.ParquetWriter):  # the temp file is open and has a header when it fails
        def write_batch(self, *args, **kwargs):
            raise OSError("disk full")

    monkeypatch.setattr("reports.files.pq.ParquetWriter", DiskFullWriter)
    outcomes, findings = e.estate()
    with pytest.raises(OSError, match="disk full"):
        write(tmp_path, findings=findings[:1])
    assert (tmp_path / "findings.parquet").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_typed_facts_are_inventory_columns_and_come_back() -> None:
    """partial, members_not_scanned, sampling, data age basis/columns, region and change are fields that
    reach inventory.parquet and return unchanged (no fact is computed and dropped)."""
    from scanner.models import Facts, Item, ItemOutcome, Status

    facts = Facts(partial=True, members_not_scanned=7, sampling="reservoir", data_age_basis="exact",
                  data_age_columns=("created_at",), region="us-west-2", change="new")
    outcome = ItemOutcome(Item("src", "src/dump.sql!public.t", "dump_table"), Status.SCANNED, None, facts)
    table = schema.inventory_table([outcome], region=lambda o: o.facts.region, finding_counts={})
    row = table.to_pylist()[0]
    assert (row["partial"], row["members_not_scanned"], row["sampling"], row["data_age_basis"],
            row["data_age_columns"], row["region"], row["change"]) == (
        True, 7, "reservoir", "exact", ["created_at"], "us-west-2", "new")
    assert schema.outcomes_from_table(table)[0].facts == facts


def test_the_age_chart_uses_the_policys_declared_retention(tmp_path: Path) -> None:
    """An item 400 days old is over a declared 1-year period although under the 5-year default: the
    inventory's over_retention (read by the HTML chart) follows the same test as the retention rule."""
    from dataclasses import replace
    from datetime import timedelta

    from scanner.manifest import DeclaredCategory

    findings = [e.finding(e.SHARE, e.SHARE + "/old.txt", "EMAIL_ADDRESS", e.RAW_VALUES["EMAIL_ADDRESS"])]
    outcomes = [e.outcome(e.SHARE, e.SHARE + "/old.txt", modified=e.NOW - timedelta(days=400))]
    year = DeclaredCategory("user.contact.email", True, retention="1 year", retention_days=365)
    for manifest, expected in ((e.manifest(), False), (replace(e.manifest(), categories=(year,)), True)):
        summary = write(tmp_path, outcomes=outcomes, findings=findings, manifest=manifest)
        rows = pq.read_table(tmp_path / "inventory.parquet").to_pylist()
        assert [r["over_retention"] for r in rows] == [expected]
        assert any(g.gap_kind == "retention" for g in summary.gaps) is expected
        html = (tmp_path / "report.html").read_text(encoding="utf-8")
        assert ("#b42318" in html.split("by year of their oldest data")[-1].split("</svg>")[0]) is expected


def test_tables_built_in_batches_equal_one_table_and_repair_only_the_bad_batch(tmp_path: Path) -> None:
    """Findings are converted and written `batch_rows` at a time (ParquetWriter, one row group each):
    the file holds the same rows as one big table; a row with a lone surrogate is repaired in its batch."""
    from reports.files import write_parquet_atomic
    from reports.schema import FINDINGS, REPLACED_NOTE, table_in_batches, table_of

    fake = Faker()
    fake.seed_instance(15)
    rows = [{"source": "share", "location": f"file:///share/{fake.file_name()}-{i}", "entity": "EMAIL_ADDRESS",
             "category": "user.contact.email", "count": i, "fingerprints": [fake.sha1()[:16]]} for i in range(25)]
    rows[17]["location"] = "file:///share/bad-\udcff-name"
    batched = table_in_batches(FINDINGS, rows, batch_rows=10)
    assert [b.num_rows for b in batched.to_batches()] == [10, 10, 5]
    written = pq.read_table(write_parquet_atomic(tmp_path / "f.parquet", batched, batch_rows=10))
    assert pq.ParquetFile(tmp_path / "f.parquet").metadata.num_row_groups == 3
    assert written.to_pylist() == table_of(FINDINGS, rows).to_pylist()
    explanations = written.column("explanation").to_pylist()
    assert explanations[17] == REPLACED_NOTE and explanations.count(None) == 24
