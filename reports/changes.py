"""What changed since the last scan: `change` columns, resolved gaps kept as rows, the history chart.

The baseline is the output folder of the previous scan: the files already in `--out` when a rescan
writes over them, or another folder (`--compare OTHER_OUT`). Gaps are matched on `gap_id` (stable
across rescans), findings on (source, location, field, entity):

- gaps.parquet: `new` / `unchanged` for each current gap, and every gap of the baseline that is gone
  appended as a row with `change = resolved` (decisions are not applied to it; it does not count);
- findings.parquet: `new` / `unchanged` (a finding that is gone has no row: scan.json counts them);
- without a baseline (a first scan) every `change` is null.

Only ids, locations and counts are compared: nothing here reads or writes a value.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from reports.decisions import with_all_columns

NEW, UNCHANGED, RESOLVED = "new", "unchanged", "resolved"
SEVERITIES = ("high", "medium", "low", "info")
MAX_LISTED = 100  # locations listed per kind in scan.json's `since`


@dataclass(frozen=True)
class Baseline:
    """What the previous scan's output folder holds that the change columns need."""

    folder: Path
    finished_at: str | None
    complete: bool | None
    gaps: pa.Table  # its gaps.parquet rows that were gaps then (resolved rows of its own left out)
    finding_keys: frozenset[tuple[str, str, str | None, str]]
    special_locations: frozenset[str]

    @classmethod
    def read(cls, folder: Path, gaps_schema: pa.Schema) -> "Baseline | None":
        """The baseline in `folder`, or None when it holds no complete set of outputs."""
        folder = Path(folder)
        files = [folder / n for n in ("scan.json", "gaps.parquet", "findings.parquet")]
        if not all(f.is_file() for f in files):
            return None
        doc = json.loads(files[0].read_text(encoding="utf-8"))
        gaps = with_all_columns(pq.ParquetFile(files[1]).read())  # not read_table: it imports pandas (seconds)
        gaps = gaps.filter(current_mask(gaps))
        findings = pq.ParquetFile(files[2]).read(columns=["source", "location", "field", "entity", "special"])
        keys = frozenset(_keys(findings))
        special = frozenset(r["location"] for r in findings.select(["location", "special"]).to_pylist() if r["special"])
        return cls(folder, doc.get("finished_at"), doc.get("complete"), gaps, keys, special)


def current_mask(gaps: pa.Table) -> pa.ChunkedArray:
    """Mask of gaps.parquet rows that are gaps of their scan (not resolved rows kept for the record)."""
    if "change" not in gaps.column_names:
        return pa.chunked_array([pa.array([True] * gaps.num_rows)])
    return pc.invert(pc.fill_null(pc.equal(gaps.column("change"), RESOLVED), False))


def _keys(findings: pa.Table) -> list[tuple[str, str, str | None, str]]:
    cols = [findings.column(n).to_pylist() for n in ("source", "location", "field", "entity")]
    return list(zip(*cols))


def mark_gaps(gaps: pa.Table, baseline: Baseline | None) -> pa.Table:
    """Current gaps marked new/unchanged, then the baseline's vanished gaps as `resolved` rows."""
    if baseline is None:
        return gaps
    before = set(baseline.gaps.column("gap_id").to_pylist())
    now = gaps.column("gap_id").to_pylist()
    change = pa.array([UNCHANGED if g in before else NEW for g in now], pa.string())
    gaps = gaps.set_column(gaps.schema.get_field_index("change"), gaps.schema.field("change"), change)
    gone = baseline.gaps.filter(pc.invert(pc.is_in(baseline.gaps.column("gap_id"), pa.array(now, pa.string()))))
    resolved = gone.set_column(gone.schema.get_field_index("change"), gone.schema.field("change"),
                               pa.array([RESOLVED] * gone.num_rows, pa.string()))
    return pa.concat_tables([gaps, resolved.cast(gaps.schema)])


def mark_findings(findings: pa.Table, baseline: Baseline | None) -> pa.Table:
    if baseline is None:
        return findings
    if "change" not in findings.column_names:  # outputs written before the column existed
        findings = findings.append_column(pa.field("change", pa.string()), pa.nulls(findings.num_rows, pa.string()))
    change = pa.array([UNCHANGED if k in baseline.finding_keys else NEW for k in _keys(findings)], pa.string())
    return findings.set_column(findings.schema.get_field_index("change"), findings.schema.field("change"), change)


def is_current(row: Mapping[str, Any]) -> bool:
    """A gaps.parquet row that is a gap of this scan (not a resolved one kept for the record)."""
    return row.get("change") != RESOLVED


def since(gaps: pa.Table, findings: pa.Table, baseline: Baseline | None) -> dict[str, Any] | None:
    """scan.json's `since` section: counts of each change, and where special-category data is new."""
    if baseline is None:
        return None
    gap_changes = Counter(gaps.column("change").to_pylist())
    finding_changes = Counter(findings.column("change").to_pylist())
    current = set(_keys(findings))
    special_now = {r["location"] for r in findings.select(["location", "special"]).to_pylist() if r["special"]}
    new_special = sorted(special_now - baseline.special_locations)
    return {
        "previous": {"folder": str(baseline.folder), "finished_at": baseline.finished_at,
                     "complete": baseline.complete},
        "gaps": {k: gap_changes.get(k, 0) for k in (NEW, UNCHANGED, RESOLVED)},
        "findings": {NEW: finding_changes.get(NEW, 0), UNCHANGED: finding_changes.get(UNCHANGED, 0),
                     RESOLVED: len(baseline.finding_keys - current)},
        "new_special_locations": new_special[:MAX_LISTED],
        "new_special_locations_count": len(new_special),
    }


def history(previous: Sequence[Mapping[str, Any]], gaps: pa.Table, finished_at: str | None) -> list[dict[str, Any]]:
    """The kept history (earlier scans, oldest first, from the state store) plus this scan's row."""
    rows = gaps.select(["severity", "change"]).to_pylist()
    by_sev = Counter(r["severity"] for r in rows if is_current(r))
    return [*map(dict, previous), {"finished_at": finished_at, **{s: by_sev.get(s, 0) for s in SEVERITIES}}]


def since_view(doc: Mapping[str, Any], gaps: Sequence[Mapping[str, Any]], findings: pa.Table) -> dict[str, Any] | None:
    """What the report's "Since the last scan" section shows, or None on a first scan."""
    section = doc.get("since")
    past = list(doc.get("history") or ())
    if not section and len(past) < 2:
        return None
    return {
        "section": section or {},
        "new": [g for g in gaps if g.get("change") == NEW],
        "resolved": [g for g in gaps if g.get("change") == RESOLVED],
        "chart": history_chart(past),
        "history": past,
    }


def history_chart(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Gaps by severity per scan, one stacked column per scan (oldest left)."""
    from reports.charts import stacked_column_chart
    from reports.html import SEVERITY_COLOURS

    columns = [(str(r.get("finished_at") or "?")[:10], [(s, int(r.get(s) or 0), SEVERITY_COLOURS[s]) for s in SEVERITIES])
               for r in rows]
    return stacked_column_chart(columns, title="Gaps by severity, per scan")


def recompare(tables: dict[str, pa.Table], doc: dict[str, Any], compare: Path,
              gaps_schema: pa.Schema) -> None:
    """Mark the change columns of existing outputs again, against another output folder
    (`--compare OTHER_OUT`): updates `tables` (gaps, findings) and `doc["since"]` in place."""
    baseline = Baseline.read(compare, gaps_schema)
    if baseline is None:
        from scanner.errors import ConfigError

        raise ConfigError(f"{compare} holds no scan.json, gaps.parquet and findings.parquet to compare with")
    gaps = with_all_columns(tables["gaps"])
    current = gaps.filter(current_mask(gaps))
    tables["gaps"] = mark_gaps(current, baseline)
    tables["findings"] = mark_findings(tables["findings"], baseline)
    doc["since"] = since(tables["gaps"], tables["findings"], baseline)
