"""report.html: one self-contained page for a compliance reader, rendered with Jinja2 (autoescape on).

The page makes no network request: CSS and JS are inlined, charts are inline SVG, and a strict
Content-Security-Policy allows only the page's own style and script by their SHA-256 hashes, so even a
mistake in escaping could not run a script that came from the data. Everything from the data is
escaped by Jinja2; no template uses `|safe` on data.

Large tables are capped at `MAX_ROWS` rows (the Parquet files hold all of them; the page says so).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import jinja2
import pyarrow as pa
import pyarrow.compute as pc

from reports.charts import bar_chart, column_chart
from reports.changes import since_view
from reports.decisions import counts as gap_counts
from reports.decisions import decided as gap_decided
from reports.files import revealed, write_text_atomic
from reports.gaps import KIND_ORDER
from reports.sources import in_eu_eea
from scanner.models import NOT_VERIFIED, NOT_VERIFIED_LABEL

MAX_ROWS = 5000
MAX_FOLDERS = 300
MAX_TABLES = 500  # per source; tables with findings first
SEVERITIES = ("high", "medium", "low", "info")
SEVERITY_COLOURS = {"high": "#b42318", "medium": "#c4570c", "low": "#a27b00", "info": "#5b6b7f"}
STATUS_COLOURS = {"scanned": "#2f7d4f", "unchanged": "#5b8fb9", "skipped": "#a27b00", "error": "#b42318"}


def _asset(name: str) -> str:
    return resources.files("reports").joinpath("templates", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,  # every extension, .j2 included
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: "" if v is None else f"{v:,}" if isinstance(v, int) else f"{v:,.2f}"
    env.filters["when"] = _when
    return env


def _when(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") + (" UTC" if value.utcoffset() is not None and not value.utcoffset() else "")
    text = str(value)
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return text


def _rows(table: pa.Table, limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The first `limit` (default MAX_ROWS) rows as dicts, and how many were left out."""
    limit = MAX_ROWS if limit is None else limit
    return table.slice(0, limit).to_pylist(), max(0, table.num_rows - limit)


def _folder(location: str) -> str:
    outer = location.split("!", 1)[0]
    return outer.rsplit("/", 1)[0] if "/" in outer else outer


def _drilldown(doc: Mapping[str, Any], inventory: pa.Table, columns: pa.Table, findings: pa.Table) -> list[dict]:
    """Per source: item counts, folders with what they hold, tables with their personal-data columns."""
    cats_by_location: dict[str, set[str]] = defaultdict(set)
    for loc, cat in zip(findings.column("location").to_pylist(), findings.column("category").to_pylist()):
        cats_by_location[loc].add(cat)
    cols_by_location: dict[str, list[dict]] = defaultdict(list)
    for row in columns.to_pylist():
        cols_by_location[row["location"]].append(row)
    known = {s["display"]: s for s in doc.get("sources", [])}
    # Whole rows only for tables (shown one by one); the counts need six columns: converting all
    # columns of every item (timestamps) to Python was most of the report's time on a large estate.
    tables_only = pc.is_in(inventory.column("kind"), pa.array(["table", "dump_table"]))
    full = {(r["source"], r["location"]): r for r in inventory.filter(tables_only).to_pylist()}
    per_source: dict[str, list[dict]] = defaultdict(list)
    for row in inventory.select(["source", "location", "kind", "finding_count", "exposure", "status"]).to_pylist():
        per_source[row["source"]].append(full.get((row["source"], row["location"]), row))
    out = []
    for name in sorted(set(per_source) | set(known)):
        rows = per_source.get(name, [])
        info = known.get(name, {})
        folders: dict[str, dict[str, Any]] = {}
        tables = []
        for row in rows:
            if row["kind"] in ("table", "dump_table"):
                tables.append({**row, "columns": cols_by_location.get(row["location"], []),
                               "categories": sorted(cats_by_location.get(row["location"], ()))})
                if row["kind"] == "table":  # database tables have no folder; dump tables sit in their archive's
                    continue
            if row["kind"] in ("source", "database"):
                continue
            f = folders.setdefault(_folder(row["location"]), {"item_count": 0, "with_findings": 0, "categories": set(),
                                                              "exposed": 0, "errors": 0})
            f["item_count"] += 1
            f["with_findings"] += 1 if row["finding_count"] else 0
            f["categories"] |= cats_by_location.get(row["location"], set())
            f["exposed"] += 1 if row["exposure"] else 0
            f["errors"] += 1 if row["status"] in NOT_VERIFIED else 0
        folder_rows = sorted(({"path": k, **v, "categories": sorted(v["categories"])} for k, v in folders.items()),
                             key=lambda r: (-r["with_findings"], r["path"]))
        out.append({
            "name": name, "scheme": info.get("scheme"), "region": info.get("region"),
            "in_eu_eea": in_eu_eea(info.get("region")),
            "statuses": dict(sorted(Counter(r["status"] for r in rows).items())),
            "item_count": len(rows), "with_findings": sum(1 for r in rows if r["finding_count"]),
            "folders": folder_rows[:MAX_FOLDERS], "folders_left_out": max(0, len(folder_rows) - MAX_FOLDERS),
            "tables": sorted(tables, key=lambda t: (not t["columns"], t["location"]))[:MAX_TABLES],
            "tables_left_out": max(0, len(tables) - MAX_TABLES),
        })
    return out


def _charts(doc: Mapping[str, Any], gaps: list[dict], categories: pa.Table, inventory: pa.Table) -> dict[str, str]:
    by_sev = Counter(g["severity"] for g in gaps)
    by_kind = Counter(g["gap_kind"] for g in gaps)
    found = [r for r in categories.to_pylist() if r["found"]]
    found.sort(key=lambda r: (-r["occurrences"], r["category"]))
    statuses = Counter(inventory.column("status").to_pylist())
    return {
        "severity": bar_chart([(s, by_sev.get(s, 0), SEVERITY_COLOURS[s]) for s in SEVERITIES],
                              title="Gaps by severity"),
        "kinds": bar_chart([(k.replace("_", " "), n, _worst_colour(gaps, k)) for k, n in sorted(by_kind.items())],
                           title="Gaps by kind (colour: most severe)", label_width=150),
        "categories": bar_chart([(r["category"], r["occurrences"],
                                  "#2f7d4f" if r["declared"] else ("#b42318" if r["special"] else "#c4570c"))
                                 for r in found[:20]], title="Values found per category (green: declared)",
                                label_width=330),
        "status": bar_chart([(f"{s} ({NOT_VERIFIED_LABEL})" if s in NOT_VERIFIED else s, statuses.get(s, 0),
                              STATUS_COLOURS.get(s, "#5b6b7f")) for s in ("scanned", "unchanged", "skipped", "error")],
                            title="Items by status", label_width=170),
    }


def _ages(inventory: pa.Table) -> dict[str, Any]:
    """Items holding personal data by the year of their oldest data (else their modification time),
    coloured by whether they are older than the retention that applies to their data (the inventory's
    `over_retention`, decided by the retention rule's own test)."""
    years: Counter = Counter()
    over: set[int] = set()
    undated = over_items = 0
    columns = [c for c in ("finding_count", "data_oldest", "modified", "over_retention") if c in inventory.column_names]
    for row in inventory.select(columns).to_pylist():
        if not row["finding_count"]:
            continue
        when = row["data_oldest"] or row["modified"]
        if when is None:
            undated += 1
            continue
        years[when.year] += 1
        if row.get("over_retention"):
            over.add(when.year)
            over_items += 1
    if not years:
        return {"chart": "", "undated": undated, "over": 0}
    span = range(min(years), max(years) + 1)
    chart = column_chart([(str(y), years.get(y, 0), "#b42318" if y in over else "#2f7d4f") for y in span],
                         title="Items with personal data, by year of their oldest data")
    return {"chart": chart, "undated": undated, "over": over_items}


def _worst_colour(gaps: list[dict], kind: str) -> str:
    worst = min((SEVERITIES.index(g["severity"]) for g in gaps if g["gap_kind"] == kind), default=3)
    return SEVERITY_COLOURS[SEVERITIES[worst]]


def _kind_matrix(gaps: list[dict]) -> list[dict[str, Any]]:
    """Rows of the verdict's summary: one per gap kind, with counts by severity."""
    present = {g["gap_kind"] for g in gaps}
    kinds = [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))
    return [{"kind": k, **{s: sum(1 for g in gaps if g["gap_kind"] == k and g["severity"] == s) for s in SEVERITIES}}
            for k in kinds]


def _with_defaults(doc: Mapping[str, Any]) -> dict[str, Any]:
    """scan.json with the keys the template reads filled in, so a partial or older document renders."""
    out = dict(doc)
    out.setdefault("schema_version", "?")
    out.setdefault("sources", [])
    out.setdefault("gap_reference_time", None)
    out["gap_settings"] = {"retention_default_days": "?", "minimisation_locations": "?", **(doc.get("gap_settings") or {})}
    policy = {"title": None, "digest": "?", "source_digest": None, "declared": [], "security_measures": [],
              **(doc.get("policy") or {})}
    policy["transfers"] = {"outside_eu_allowed": None, "safeguards": [], **(policy.get("transfers") or {})}
    out["policy"] = policy
    return out


def _per_source_gaps(gaps: list[dict]) -> dict[str, Counter]:
    out: dict[str, Counter] = defaultdict(Counter)
    for g in gaps:
        if g["source"]:
            out[g["source"]][g["severity"]] += 1
    return out


def render_report(doc: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> str:
    """The HTML text of report.html from scan.json's document and the five Arrow tables."""
    doc = _with_defaults(doc)
    all_gaps = tables["gaps"].to_pylist()
    gaps = [g for g in all_gaps if gap_counts(g)]  # the verdict counts undecided and expired gaps only
    findings_rows, findings_left = _rows(tables["findings"])
    inventory = tables["inventory"]
    problems = inventory.filter(pc.is_in(inventory.column("status"), pa.array(list(NOT_VERIFIED))))
    problem_rows, problems_left = _rows(problems)
    reasons = Counter((r["status"], r["reason"] or "no reason given") for r in problems.to_pylist())
    inventory_rows, inventory_left = _rows(inventory)
    css, js = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")  # frame-ancestors is ignored in a <meta> CSP, with a console error
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=doc, policy=doc.get("policy", {}), counts=doc.get("counts", {}), css=css, js=js, csp=csp,
        severities=SEVERITIES, gaps=gaps, gaps_by_severity={s: [g for g in gaps if g["severity"] == s]
                                                            for s in SEVERITIES},
        max_severity=doc.get("max_severity"), categories=tables["categories"].to_pylist(),
        findings=findings_rows, findings_left=findings_left, inventory=inventory_rows,
        inventory_left=inventory_left, problems=problem_rows, problems_left=problems_left,
        reasons=sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])), not_verified=NOT_VERIFIED,
        not_verified_label=NOT_VERIFIED_LABEL, not_verified_count=problems.num_rows,
        sources=_drilldown(doc, inventory, tables["columns"], tables["findings"]),
        charts=_charts(doc, gaps, tables["categories"], inventory), max_rows=MAX_ROWS,
        kind_matrix=_kind_matrix(gaps), source_gaps=_per_source_gaps(gaps), ages=_ages(inventory),
        matrix_counts=Counter(r["status"] for r in tables["categories"].to_pylist()),
        decided=[g for g in all_gaps if gap_decided(g)], review=doc.get("decisions") or {},
        since=since_view(doc, all_gaps, tables["findings"]),
    )


class HtmlReporter:
    """report.html, registered as the `html` reporter."""

    name = "html"

    def write(self, out_dir: Path, doc: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> dict[str, Path]:
        return {"report.html": write_text_atomic(Path(out_dir) / "report.html", render_report(doc, tables),
                                                 private=revealed(doc))}
