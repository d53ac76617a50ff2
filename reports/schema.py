"""The Parquet schemas of a scan's outputs (version `scanner.models.SCHEMA_VERSION`), and conversions
between records and Arrow tables in both directions, so reports can be rebuilt from the files alone.

Columns are only ever added; a rename or type change bumps the major schema version. Rows are sorted
deterministically (see each `*_table` function). Timestamps are UTC microseconds; naive datetimes
from connectors are taken as UTC.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping, Sequence

import pyarrow as pa

from scanner.categories import is_special_entity
from scanner.models import (SCHEMA_VERSION, Facts, Finding, Gap, Item, ItemOutcome, PolicyReference, Severity,
                            Status, valid_utf8)

TS = pa.timestamp("us", tz="UTC")

FINDINGS = pa.schema([
    ("source", pa.string()), ("location", pa.string()), ("field", pa.string()), ("entity", pa.string()),
    ("category", pa.string()), ("count", pa.int64()), ("score", pa.float64()), ("masked_example", pa.string()),
    ("fingerprint", pa.string()), ("distinct_count", pa.int64()), ("fingerprints", pa.list_(pa.string())),
    ("recognizer", pa.string()), ("explanation", pa.string()), ("language", pa.string()),
    ("declared", pa.bool_()), ("special", pa.bool_()),
    ("change", pa.string()),  # since the previous scan (reports.changes): new, unchanged; null on a first scan
], metadata={"policyscan.schema_version": SCHEMA_VERSION, "policyscan.table": "findings"})

INVENTORY = pa.schema([
    ("source", pa.string()), ("location", pa.string()), ("kind", pa.string()), ("size_bytes", pa.int64()),
    ("modified", TS), ("status", pa.string()), ("reason", pa.string()), ("owner", pa.string()),
    ("exposure", pa.string()), ("media_type", pa.string()), ("parent", pa.string()), ("depth", pa.int32()),
    ("region", pa.string()), ("data_oldest", TS), ("data_newest", TS), ("transport_encrypted", pa.bool_()),
    ("encrypted", pa.bool_()), ("rows_estimate", pa.int64()), ("sampled_bytes", pa.int64()),
    ("sampled_rows", pa.int64()), ("finding_count", pa.int64()), ("change", pa.string()),
    ("partial", pa.bool_()), ("members_not_scanned", pa.int64()), ("sampling", pa.string()),
    ("data_age_basis", pa.string()), ("data_age_columns", pa.list_(pa.string())), ("over_retention", pa.bool_()),
], metadata={"policyscan.schema_version": SCHEMA_VERSION, "policyscan.table": "inventory"})

POLICY_REFERENCE = pa.struct([("section", pa.string()), ("quote", pa.string())])
GAPS = pa.schema([
    ("gap_id", pa.string()), ("gap_kind", pa.string()), ("severity", pa.string()), ("category", pa.string()),
    ("policy_reference", POLICY_REFERENCE), ("evidence_count", pa.int64()), ("evidence_unit", pa.string()),
    ("example_locations", pa.list_(pa.string())), ("message", pa.string()), ("recommendation", pa.string()),
    ("source", pa.string()),
    # review decisions (reports.decisions), null when undecided
    ("decision", pa.string()), ("decision_reason", pa.string()), ("decided_by", pa.string()),
    ("decided_on", pa.date32()), ("decision_until", pa.date32()), ("decision_expired", pa.bool_()),
    ("change", pa.string()),  # since the previous scan (reports.changes): new, unchanged, resolved
], metadata={"policyscan.schema_version": SCHEMA_VERSION, "policyscan.table": "gaps"})

CATEGORIES = pa.schema([
    ("category", pa.string()), ("status", pa.string()), ("declared", pa.bool_()), ("listed", pa.bool_()),
    ("covered_by", pa.string()), ("special", pa.bool_()), ("found", pa.bool_()), ("findings", pa.int64()),
    ("occurrences", pa.int64()), ("distinct_values", pa.int64()), ("locations", pa.int64()),
    ("sources", pa.int64()), ("entities", pa.list_(pa.string())), ("subcategory_occurrences", pa.int64()),
    ("retention", pa.string()),
    ("retention_days", pa.int64()), ("policy_section", pa.string()), ("policy_quote", pa.string()),
], metadata={"policyscan.schema_version": SCHEMA_VERSION, "policyscan.table": "categories"})

COLUMNS = pa.schema([
    ("source", pa.string()), ("location", pa.string()), ("field", pa.string()),
    ("entities", pa.list_(pa.string())), ("categories", pa.list_(pa.string())), ("count", pa.int64()),
    ("distinct_count", pa.int64()), ("score", pa.float64()), ("special", pa.bool_()), ("declared", pa.bool_()),
], metadata={"policyscan.schema_version": SCHEMA_VERSION, "policyscan.table": "columns"})

SCHEMAS: Mapping[str, pa.Schema] = {"findings": FINDINGS, "inventory": INVENTORY, "gaps": GAPS,
                                     "categories": CATEGORIES, "columns": COLUMNS}


def utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


_ROW_ERRORS = (pa.ArrowException, UnicodeError, TypeError, ValueError, OverflowError)
REPLACED_NOTE = "a name or value held characters that are not valid UTF-8; written percent-encoded"
DROPPED_NOTE = "some fields of this row could not be written and are left empty"


def table_of(schema: pa.Schema, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """The rows as a table. One bad row never sinks the file: if the table cannot be built, each row that
    cannot be written is rewritten with its strings made valid UTF-8 (else the offending fields emptied)
    and a note in its `reason` (inventory) or `explanation` (findings) column; the other rows are intact."""
    rows = list(rows)
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except _ROW_ERRORS:
        return pa.Table.from_pylist([_writable_row(schema, row) for row in rows], schema=schema)


def _writes(schema: pa.Schema, row: Mapping[str, Any]) -> bool:
    try:
        pa.Table.from_pylist([dict(row)], schema=schema)
        return True
    except _ROW_ERRORS:
        return False


def _encodable(value: Any) -> Any:
    if isinstance(value, str):
        return valid_utf8(value)
    if isinstance(value, (list, tuple)):
        return [_encodable(v) for v in value]
    if isinstance(value, dict):
        return {k: _encodable(v) for k, v in value.items()}
    return value


def _writable_row(schema: pa.Schema, row: Mapping[str, Any]) -> Mapping[str, Any]:
    if _writes(schema, row):
        return row
    fixed, note = {k: _encodable(v) for k, v in row.items()}, REPLACED_NOTE
    if not _writes(schema, fixed):
        fixed = {k: v if _writes(pa.schema([schema.field(k)]), {k: v}) else None for k, v in fixed.items()}
        note = DROPPED_NOTE
    for column in ("reason", "explanation"):
        if column in schema.names:
            fixed[column] = f"{fixed[column]}; {note}" if fixed.get(column) else note
            break
    return fixed


BATCH_ROWS = 10_000  # rows converted to Arrow at a time: bounds the Python row dicts alive at once


def table_in_batches(schema: pa.Schema, rows: Iterable[Mapping[str, Any]], batch_rows: int = BATCH_ROWS) -> pa.Table:
    """`table_of` over the rows `batch_rows` at a time, as one table of those record batches (a bad row
    is repaired within its batch only)."""
    batches: list[pa.RecordBatch] = []
    chunk: list[Mapping[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch_rows:
            batches.extend(table_of(schema, chunk).to_batches())
            chunk = []
    if chunk or not batches:
        batches.extend(table_of(schema, chunk).to_batches())
    return pa.Table.from_batches(batches, schema=schema)


def finding_sort_key(f: Finding) -> tuple:
    return (f.source, f.location, f.field or "", f.entity, f.category)


def findings_table(findings: Iterable[Finding], *, declared: Callable[[str], bool]) -> pa.Table:
    """Rows sorted by (source, location, field, entity); `declared(category)` fills the derived column."""
    rows = ({
        "source": f.source, "location": f.location, "field": f.field, "entity": f.entity,
        "category": f.category, "count": int(f.count), "score": float(f.score),
        "masked_example": f.masked_example, "fingerprint": f.fingerprint,
        "distinct_count": int(f.distinct_count), "fingerprints": sorted(f.fingerprints),
        "recognizer": f.recognizer, "explanation": f.explanation, "language": f.language,
        "declared": declared(f.category), "special": f.special,
    } for f in sorted(findings, key=finding_sort_key))
    return table_in_batches(FINDINGS, rows)


def inventory_table(outcomes: Iterable[ItemOutcome], *, region: Callable[[ItemOutcome], str | None],
                    finding_counts: Mapping[str, int], over_retention: Mapping[str, bool] | None = None) -> pa.Table:
    """Rows sorted by (source, location); the last outcome wins if a location is reported twice.
    `region(outcome)` says where the item's data lives (`reports.sources.item_region`);
    `over_retention` (`reports.gaps.retention.over_retention`) fills the column of that name."""
    over_retention = over_retention or {}
    latest: dict[tuple[str, str], ItemOutcome] = {}
    for o in outcomes:
        latest[(o.item.source, o.item.location)] = o
    return table_in_batches(INVENTORY, (_inventory_row(latest[key], region, finding_counts, over_retention)
                                        for key in sorted(latest)))


def _inventory_row(o: ItemOutcome, region: Callable[[ItemOutcome], str | None], finding_counts: Mapping[str, int],
                   over_retention: Mapping[str, bool]) -> dict[str, Any]:
    item, facts = o.item, o.facts
    return {
        "source": item.source, "location": item.location, "kind": item.kind, "size_bytes": item.size_bytes,
        "modified": utc(item.modified), "status": Status(o.status).value, "reason": o.reason,
        "owner": item.owner, "exposure": item.exposure, "media_type": item.media_type, "parent": item.parent,
        "depth": item.depth, "region": region(o), "data_oldest": utc(facts.data_oldest),
        "data_newest": utc(facts.data_newest), "transport_encrypted": facts.transport_encrypted,
        "encrypted": facts.encrypted, "rows_estimate": facts.rows_estimate,
        "sampled_bytes": facts.sampled_bytes, "sampled_rows": facts.sampled_rows,
        "finding_count": finding_counts.get(item.location, 0),
        "change": facts.change, "partial": facts.partial, "members_not_scanned": facts.members_not_scanned,
        "sampling": facts.sampling, "data_age_basis": facts.data_age_basis,
        "data_age_columns": list(facts.data_age_columns), "over_retention": over_retention.get(item.location),
    }


def gaps_table(gaps: Iterable[Gap], ids: Sequence[str], units: Mapping[str, str | None] | None = None) -> pa.Table:
    """Rows in the order given (already sorted by `reports.gaps.gap_sort_key`); `units` maps a gap kind
    to what its evidence_count counts."""
    units = units or {}
    rows = []
    for gap, gap_id in zip(gaps, ids):
        rows.append({
            "gap_id": gap_id, "gap_kind": gap.gap_kind, "severity": Severity(gap.severity).value,
            "category": gap.category,
            "policy_reference": {"section": gap.policy_reference.section, "quote": gap.policy_reference.quote},
            "evidence_count": int(gap.evidence_count), "evidence_unit": units.get(gap.gap_kind),
            "example_locations": list(gap.example_locations),
            "message": gap.message, "recommendation": gap.recommendation, "source": gap.source,
        })
    return table_of(GAPS, rows)


# ---- back from Arrow to records (for `policyscan report DIR` and recomputation) ----

def gaps_from_table(table: pa.Table) -> tuple[Gap, ...]:
    out = []
    for r in table.to_pylist():
        ref = r.get("policy_reference") or {}
        out.append(Gap(
            gap_kind=r["gap_kind"], severity=Severity(r["severity"]), category=r["category"],
            policy_reference=PolicyReference(section=ref.get("section"), quote=ref.get("quote")),
            evidence_count=int(r["evidence_count"]), example_locations=tuple(r["example_locations"] or ()),
            message=r["message"], recommendation=r.get("recommendation") or "", source=r.get("source"),
        ))
    return tuple(out)


def _special(row: Mapping[str, Any]) -> bool:
    """The stored flag; files written before it was a column get it from the core vocabulary."""
    told = row.get("special")
    return bool(told) if told is not None else is_special_entity(row["entity"], row["category"])


def findings_from_table(table: pa.Table) -> tuple[Finding, ...]:
    return tuple(
        Finding(source=r["source"], location=r["location"], field=r["field"], entity=r["entity"],
                category=r["category"], special=_special(r), count=int(r["count"]), score=float(r["score"]),
                masked_example=r["masked_example"], fingerprint=r["fingerprint"],
                distinct_count=int(r.get("distinct_count") or 0), fingerprints=tuple(r.get("fingerprints") or ()),
                recognizer=r.get("recognizer") or "", explanation=r.get("explanation"), language=r.get("language"))
        for r in table.to_pylist()
    )


def outcomes_from_table(table: pa.Table) -> tuple[ItemOutcome, ...]:
    out = []
    for r in table.to_pylist():
        item = Item(source=r["source"], location=r["location"], kind=r["kind"], size_bytes=r["size_bytes"],
                    modified=r["modified"], owner=r.get("owner"), exposure=r.get("exposure"),
                    media_type=r.get("media_type"), parent=r.get("parent"), depth=int(r.get("depth") or 0))
        facts = Facts(data_oldest=r.get("data_oldest"), data_newest=r.get("data_newest"),
                      transport_encrypted=r.get("transport_encrypted"), encrypted=r.get("encrypted"),
                      rows_estimate=r.get("rows_estimate"), sampled_bytes=r.get("sampled_bytes"),
                      sampled_rows=r.get("sampled_rows"), sampling=r.get("sampling"), partial=r.get("partial"),
                      members_not_scanned=r.get("members_not_scanned"), data_age_basis=r.get("data_age_basis"),
                      data_age_columns=tuple(r.get("data_age_columns") or ()), region=r.get("region"),
                      change=r.get("change"))
        out.append(ItemOutcome(item=item, status=Status(r["status"]), reason=r.get("reason"), facts=facts))
    return tuple(out)
