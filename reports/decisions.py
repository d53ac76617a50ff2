"""Review decisions that persist across scans: a YAML file, reviewable in git, keyed by `gap_id`.

    decisions:
      - gap_id: 3f2a9c0d1e4b
        status: accepted_risk          # false_positive | accepted_risk | fixing
        reason: Legal hold until the audit closes
        reviewer: mdupont
        decided: 2026-12-05
        until: 2027-03-31              # optional; after it the gap counts again

Contract: a decided gap stays in gaps.parquet with its decision in four columns; only undecided gaps and
gaps whose decision expired (`until` before the day the decisions were applied) count in the verdict
and for `--fail-on`. A decision whose `gap_id` matches no gap of the scan is *stale*: it is kept in the
file and reported (scan.json, report.html), never dropped silently. A bad file is a ConfigError, not a
crash and not an empty file.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pyarrow as pa
import yaml

from scanner.errors import ConfigError
from scanner.models import Gap

from reports import schema
from reports.files import revealed, write_parquet_atomic

STATUSES = ("false_positive", "accepted_risk", "fixing")
FILE_NAME = "decisions.yaml"
COLUMNS = ("decision", "decision_reason", "decided_by", "decided_on", "decision_until", "decision_expired")
_HEADER = ("# policyscan review decisions (policyscan review OUT writes this file; edit it by hand or in git).\n"
           "# status: false_positive | accepted_risk | fixing; `until` (optional) makes the gap count again after it.\n")


@dataclass(frozen=True)
class Decision:
    gap_id: str
    status: str
    reason: str
    reviewer: str
    decided: date
    until: date | None = None

    def expired(self, today: date) -> bool:
        return self.until is not None and self.until < today

    def as_yaml(self) -> dict[str, Any]:
        """The file's mapping (dates stay dates: YAML writes them unquoted)."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def as_json(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in self.as_yaml().items()}


@dataclass(frozen=True)
class Decisions:
    """The decisions of one file, in file order; the last one for a `gap_id` wins."""

    decisions: tuple[Decision, ...] = ()
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> "Decisions":
        """The file's decisions; no file means no decisions yet."""
        path = Path(path)
        if not path.exists():
            return cls((), path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"decisions file is not valid YAML: {path}") from exc
        rows = data.get("decisions") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise ConfigError(f"{path}: expected a mapping with a `decisions:` list")
        return cls(tuple(_decision(row, path, n) for n, row in enumerate(rows, start=1)), path)

    def by_gap(self) -> dict[str, Decision]:
        return {d.gap_id: d for d in self.decisions}

    def with_decision(self, decision: Decision) -> "Decisions":
        kept = tuple(d for d in self.decisions if d.gap_id != decision.gap_id)
        return replace(self, decisions=kept + (decision,))

    def save(self, path: Path | None = None) -> Path:
        path = Path(path or self.path or FILE_NAME)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = yaml.safe_dump({"decisions": [d.as_yaml() for d in self.decisions]}, sort_keys=False,
                              allow_unicode=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(_HEADER + body, encoding="utf-8")
        tmp.replace(path)
        return path

    def stale(self, gap_ids: Iterable[str]) -> list[Decision]:
        present = set(gap_ids)
        return [d for d in self.by_gap().values() if d.gap_id not in present]


def _date(value: Any, what: str, path: Path, n: int) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{path}: decision {n}: `{what}` must be a date (YYYY-MM-DD)") from None


def _decision(row: Any, path: Path, n: int) -> Decision:
    if not isinstance(row, dict) or not row.get("gap_id"):
        raise ConfigError(f"{path}: decision {n} needs a `gap_id`")
    status = str(row.get("status") or "")
    if status not in STATUSES:
        raise ConfigError(f"{path}: decision {n}: status must be one of {', '.join(STATUSES)}")
    decided = _date(row.get("decided"), "decided", path, n)
    if decided is None:
        raise ConfigError(f"{path}: decision {n} needs a `decided` date")
    return Decision(gap_id=str(row["gap_id"]), status=status, reason=str(row.get("reason") or ""),
                    reviewer=str(row.get("reviewer") or ""), decided=decided,
                    until=_date(row.get("until"), "until", path, n))


def counts(row: Mapping[str, Any]) -> bool:
    """Whether a gaps.parquet row counts in the verdict: a gap of this scan (not a resolved one kept
    for the record), undecided or with an expired decision."""
    if row.get("change") == "resolved":
        return False
    return row.get("decision") is None or bool(row.get("decision_expired"))


def decided(row: Mapping[str, Any]) -> bool:
    """A gap of this scan with a decision in force (the report's Decisions section)."""
    return row.get("change") != "resolved" and not counts(row)


def annotate(gaps: pa.Table, decisions: Decisions, today: date) -> pa.Table:
    """The gaps table with its decision columns filled from `decisions` (null where undecided)."""
    by_gap = decisions.by_gap()
    found = [by_gap.get(g) for g in gaps.column("gap_id").to_pylist()]
    values: dict[str, list[Any]] = {
        "decision": [d.status if d else None for d in found],
        "decision_reason": [d.reason if d else None for d in found],
        "decided_by": [d.reviewer if d else None for d in found],
        "decided_on": [d.decided if d else None for d in found],
        "decision_until": [d.until if d else None for d in found],
        "decision_expired": [d.expired(today) if d else None for d in found],
    }
    for name in COLUMNS:
        index = gaps.schema.get_field_index(name)
        column = pa.array(values[name], type=gaps.schema.field(name).type)
        gaps = gaps.set_column(index, gaps.schema.field(name), column)
    return gaps


def summary(gaps: pa.Table, decisions: Decisions, today: date) -> dict[str, Any]:
    """scan.json's `decisions` section: what was decided, what still counts, which decisions are stale."""
    rows = [r for r in gaps.select(["gap_id", "severity", "change", *COLUMNS]).to_pylist() if r["change"] != "resolved"]
    open_rows = [r for r in rows if counts(r)]
    by_severity: dict[str, int] = {}
    for r in open_rows:
        by_severity[r["severity"]] = by_severity.get(r["severity"], 0) + 1
    return {
        "file": str(decisions.path) if decisions.path else None,
        "applied_on": today.isoformat(),
        "decided": sum(1 for r in rows if r["decision"] is not None and not r["decision_expired"]),
        "expired": sum(1 for r in rows if r["decision_expired"]),
        "open": len(open_rows),
        "open_by_severity": by_severity,
        "open_max_severity": _worst(r["severity"] for r in open_rows),
        "stale": [d.as_json() for d in decisions.stale(r["gap_id"] for r in rows)],
    }


def _worst(severities: Iterable[str]) -> str | None:
    order = ("high", "medium", "low", "info")
    present = set(severities)
    return next((s for s in order if s in present), None)


def today() -> date:
    """The day decisions are judged against (UTC): an `until` before it has expired."""
    return datetime.now(timezone.utc).date()


def still_open(gaps: Sequence[Gap], table: pa.Table) -> tuple[Gap, ...]:
    """The gaps (same order as the table's first rows; resolved rows follow them) that still count."""
    rows = [r for r in table.select(["decision", "decision_expired", "change"]).to_pylist() if r["change"] != "resolved"]
    return tuple(g for g, row in zip(gaps, rows) if counts(row))


def with_all_columns(table: pa.Table) -> pa.Table:
    """A gaps table of an older schema with the columns it lacks added as nulls, in schema order."""
    for f in schema.GAPS:
        if f.name not in table.column_names:
            table = table.append_column(f, pa.nulls(table.num_rows, type=f.type))
    return table.select([f.name for f in schema.GAPS]).cast(schema.GAPS)


def reapply(out_dir: Path, gaps: pa.Table, doc: dict[str, Any],
            path: Path | None = None) -> tuple[pa.Table, dict[str, Any]]:
    """Apply the decisions file again to an existing output folder (`policyscan report`, `review`):
    gaps.parquet is rewritten with the decision columns, and scan.json's `decisions` section and the
    file's digest follow. Returns the new gaps table and scan.json document (not yet written)."""
    out_dir = Path(out_dir)
    book = Decisions.load(path or out_dir / FILE_NAME)
    table = annotate(with_all_columns(gaps), book, today())
    written = write_parquet_atomic(out_dir / "gaps.parquet", table, private=revealed(doc))
    doc = dict(doc)
    doc["decisions"] = summary(table, book, today())
    files = dict(doc.get("files") or {})
    files["gaps.parquet"] = {"sha256": hashlib.sha256(written.read_bytes()).hexdigest(), "rows": table.num_rows}
    doc["files"] = files
    return table, doc
