"""The reporting API the pipeline calls: compute gaps, write the Parquet files, scan.json and report.html.

`write_scan_outputs` is the only entry point during a scan; `rerender_report` rebuilds report.html
(and any other registered reporter's files) from the files alone (`policyscan report DIR`). Files are
written atomically, in this order: findings, inventory, categories, columns, gaps (Parquet),
scan.json, then the reporters (report.html) — so report.html existing means the rest is complete.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pyarrow.parquet as pq

from scanner.models import NOT_VERIFIED, SCHEMA_VERSION, Finding, Gap, ItemOutcome, Severity
from scanner.manifest import PolicyManifest

from reports import changes
from reports import decisions as review
from reports import schema
from reports.files import revealed, write_parquet_atomic, write_text_atomic
from reports.gaps import GapContext, GapSettings, count_by, evaluate_rules, load_rules, max_severity
from reports.gaps.retention import over_retention
from reports.matrix import categories_table, columns_table
from reports.reporters import run_reporters
from reports.sources import SourceInfo, country_of, in_eu_eea

PARQUET_FILES = ("findings", "inventory", "categories", "columns", "gaps")


@dataclass(frozen=True)
class ReportSummary:
    gaps: tuple[Gap, ...]
    paths: Mapping[str, Path] = field(default_factory=dict)  # file name -> written file
    open_gaps: tuple[Gap, ...] | None = None  # undecided or expired (reports.decisions); None: all count
    items_by_status: Mapping[str, int] = field(default_factory=dict)  # inventory rows, as in scan.json

    def max_severity(self) -> Severity | None:
        return max_severity(self.gaps)

    def max_open_severity(self) -> Severity | None:
        """The worst gap that still counts (for `--fail-on`): decided gaps are left out until they expire."""
        return max_severity(self.gaps if self.open_gaps is None else self.open_gaps)


def gap_id(gap: Gap) -> str:
    """Stable across re-scans of the same estate (no counts in it), for diffing two gaps.parquet files."""
    key = "\x1f".join((gap.gap_kind, gap.category or "", gap.source or "", gap.policy_reference.section or ""))
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def reference_time(meta: Mapping[str, Any]) -> datetime:
    """When the scan finished (ages are measured from it), else now."""
    for key in ("finished_at", "finished", "started_at", "started"):
        value = meta.get(key)
        if isinstance(value, datetime):
            return schema.utc(value)  # type: ignore[return-value]
        if isinstance(value, str):
            try:
                return schema.utc(datetime.fromisoformat(value))  # type: ignore[return-value]
            except ValueError:
                continue
    return datetime.now(timezone.utc)


def write_scan_outputs(out_dir: Path, *, outcomes: Iterable[ItemOutcome], findings: Iterable[Finding],
                       manifest: PolicyManifest, sources: Sequence[SourceInfo], settings: GapSettings,
                       meta: Mapping[str, Any], decisions: Path | None = None,
                       compare: Path | None = None) -> ReportSummary:
    """Compute gaps and write every output file into `out_dir`; returns the gaps and the paths.
    Review decisions come from `decisions` (default `out_dir/decisions.yaml`, if it exists); the
    change columns compare with the outputs in `compare` (default: those `out_dir` holds before)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    baseline = changes.Baseline.read(compare or out_dir, schema.GAPS)
    outcomes, findings = list(outcomes), list(findings)
    now = reference_time(meta)
    rules = load_rules()
    ctx = GapContext(outcomes=outcomes, findings=findings, manifest=manifest, sources=tuple(sources),
                     settings=settings, now=now)
    rule_errors: list[str] = []
    gaps = evaluate_rules(ctx, rules, rule_errors)

    finding_counts: dict[str, int] = {}
    for f in findings:
        finding_counts[f.location] = finding_counts.get(f.location, 0) + 1
    tables = {
        "findings": schema.findings_table(findings, declared=lru_cache(maxsize=None)(manifest.declares)),
        "inventory": schema.inventory_table(outcomes, region=ctx.region_of_outcome, finding_counts=finding_counts,
                                            over_retention=over_retention(ctx)),
        "categories": categories_table(findings, manifest),
        "columns": columns_table(findings, manifest),
        "gaps": schema.gaps_table(gaps, [gap_id(g) for g in gaps],
                                  {r.kind: getattr(r, "evidence_unit", None) for r in rules}),
    }
    book = review.Decisions.load(decisions or out_dir / review.FILE_NAME)
    tables["gaps"] = changes.mark_gaps(review.annotate(tables["gaps"], book, review.today()), baseline)
    tables["findings"] = changes.mark_findings(tables["findings"], baseline)
    paths: dict[str, Path] = {}
    for name in PARQUET_FILES:
        paths[f"{name}.parquet"] = write_parquet_atomic(out_dir / f"{name}.parquet", tables[name],
                                                        private=revealed(meta))

    doc = scan_document(meta=meta, manifest=manifest, sources=sources, settings=settings, gaps=gaps,
                        tables=tables, now=now, rules=[type(r).__name__ for r in rules], paths=paths,
                        rule_errors=rule_errors)
    doc["decisions"] = review.summary(tables["gaps"], book, review.today())
    doc["since"] = changes.since(tables["gaps"], tables["findings"], baseline)
    doc["history"] = changes.history(meta.get("history") or (), tables["gaps"], meta.get("finished_at"))
    paths["scan.json"] = write_text_atomic(out_dir / "scan.json", to_json(doc), private=revealed(doc))
    paths.update(run_reporters(out_dir, doc, tables))
    return ReportSummary(gaps=gaps, paths=paths, open_gaps=review.still_open(gaps, tables["gaps"]),
                         items_by_status=doc["counts"]["items_by_status"])


def rerender_report(out_dir: Path, decisions: Path | None = None, compare: Path | None = None) -> ReportSummary:
    """Rebuild report.html from the Parquet files and scan.json in `out_dir` (nothing else is read),
    with the review decisions applied anew (`decisions`, default `out_dir/decisions.yaml`) and, given
    `compare` (another output folder), the change columns marked against it."""
    out_dir = Path(out_dir)
    doc = json.loads((out_dir / "scan.json").read_text(encoding="utf-8"))
    tables = {}
    for name in PARQUET_FILES:
        path = out_dir / f"{name}.parquet"
        if path.exists():
            tables[name] = pq.read_table(path)
        else:  # older outputs may lack the optional tables
            tables[name] = schema.SCHEMAS[name].empty_table()
    if compare is not None:
        changes.recompare(tables, doc, Path(compare), schema.GAPS)
        written = write_parquet_atomic(out_dir / "findings.parquet", tables["findings"], private=revealed(doc))
        doc.setdefault("files", {})["findings.parquet"] = {
            "sha256": hashlib.sha256(written.read_bytes()).hexdigest(), "rows": tables["findings"].num_rows}
    gaps = schema.gaps_from_table(tables["gaps"].filter(changes.current_mask(tables["gaps"])))
    paths = {f"{n}.parquet": out_dir / f"{n}.parquet" for n in PARQUET_FILES if (out_dir / f"{n}.parquet").exists()}
    tables["gaps"], doc = review.reapply(out_dir, tables["gaps"], doc, decisions)
    paths["scan.json"] = write_text_atomic(out_dir / "scan.json", to_json(doc), private=revealed(doc))
    paths.update(run_reporters(out_dir, doc, tables))
    return ReportSummary(gaps=gaps, paths=paths, open_gaps=review.still_open(gaps, tables["gaps"]),
                         items_by_status=(doc.get("counts") or {}).get("items_by_status") or {})


def recompute_gaps(out_dir: Path, manifest: PolicyManifest | None = None,
                   settings: GapSettings | None = None) -> tuple[Gap, ...]:
    """Re-evaluate the gap rules from the output files alone, optionally against an edited manifest."""
    out_dir = Path(out_dir)
    doc = json.loads((out_dir / "scan.json").read_text(encoding="utf-8"))
    manifest = manifest or PolicyManifest.from_dict(doc["policy"]["manifest"])
    settings = settings or GapSettings(**doc["gap_settings"])
    sources = tuple(SourceInfo(s["display"], s["scheme"], s.get("region")) for s in doc["sources"])
    ctx = GapContext(
        outcomes=schema.outcomes_from_table(pq.read_table(out_dir / "inventory.parquet")),
        findings=schema.findings_from_table(pq.read_table(out_dir / "findings.parquet")),
        manifest=manifest, sources=sources, settings=settings,
        now=datetime.fromisoformat(doc["gap_reference_time"]),
    )
    return evaluate_rules(ctx)


def scan_document(*, meta: Mapping[str, Any], manifest: PolicyManifest, sources: Sequence[SourceInfo],
                  settings: GapSettings, gaps: Sequence[Gap], tables: Mapping[str, Any], now: datetime,
                  rules: Sequence[str], paths: Mapping[str, Path], rule_errors: Sequence[str] = ()) -> dict[str, Any]:
    """scan.json: the pipeline's meta, plus schema version, policy, sources, gap counts and file digests."""
    doc: dict[str, Any] = dict(meta)
    inventory = tables["inventory"]
    statuses = count_values(inventory.column("status").to_pylist())
    counts = dict(doc.get("counts") or {})
    counts.update({
        "items": inventory.num_rows, "items_by_status": statuses, "findings": tables["findings"].num_rows,
        "items_not_verified": sum(n for status, n in statuses.items() if status in NOT_VERIFIED),
        "occurrences": int(sum(tables["findings"].column("count").to_pylist())),
        "gaps": len(gaps), "gaps_by_severity": count_by(gaps, "severity"), "gaps_by_kind": count_by(gaps, "gap_kind"),
    })
    if "sources" in doc:
        doc["pipeline_sources"] = doc.pop("sources")
    doc.update({
        "schema_version": SCHEMA_VERSION,
        "gap_reference_time": now.isoformat(),
        "gap_settings": asdict(settings),
        "gap_rules": list(rules),
        "gap_rule_errors": list(rule_errors),
        "sources": [{"display": s.display, "scheme": s.scheme, "region": s.region,
                     "country": country_of(s.region), "in_eu_eea": in_eu_eea(s.region)} for s in sources],
        "counts": counts,
        "max_severity": worst.value if (worst := max_severity(gaps)) is not None else None,
        "policy": {
            "digest": manifest.digest, "title": manifest.title, "language": manifest.language,
            "source_digest": manifest.source_digest, "manifest_version": manifest.version,
            "declared": sorted(manifest.declared_keys()),
            "not_declared": sorted(c.key for c in manifest.categories if not c.declared),
            "security_measures": sorted({m.kind for m in manifest.security_measures}),
            "transfers": {"outside_eu_allowed": manifest.transfers.outside_eu_allowed,
                          "safeguards": list(manifest.transfers.safeguards)},
            "manifest": manifest.to_dict(),
        },
        "files": {name: {"sha256": hashlib.sha256(Path(p).read_bytes()).hexdigest(),
                         "rows": tables[name.split(".")[0]].num_rows} for name, p in sorted(paths.items())},
    })
    return doc


def count_values(values: Iterable[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[str(v)] = out.get(str(v), 0) + 1
    return dict(sorted(out.items()))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    if isinstance(value, Path):
        return str(value)
    return str(value)


def to_json(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=False, ensure_ascii=False, default=_json_default) + "\n"
