"""Aggregates for the report: the declared-versus-found category matrix and the per-column summary.

Both are derived from findings and the manifest only, and written as categories.parquet and
columns.parquet so the HTML can be re-rendered (and analysts can query them) without recomputation.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any, Iterable

import pyarrow as pa

from scanner.categories import covers, is_special
from scanner.models import Finding
from scanner.manifest import PolicyManifest

from reports.schema import CATEGORIES, COLUMNS, table_of

# status values of categories.parquet
DECLARED_FOUND = "declared_found"
UNDECLARED_FOUND = "undeclared_found"
DECLARED_NOT_FOUND = "declared_not_found"
NOT_DECLARED_NOT_FOUND = "not_declared_not_found"


def _covered_by(manifest: PolicyManifest, category: str) -> str | None:
    """The declared manifest key that covers `category` (most specific parent first, then a child)."""
    keys = sorted(manifest.declared_keys(), key=len, reverse=True)
    for key in keys:
        if covers(key, category):
            return key
    for key in sorted(manifest.declared_keys()):
        if covers(category, key):
            return key
    return None


def categories_table(findings: Iterable[Finding], manifest: PolicyManifest) -> pa.Table:
    """One row per category that is either listed in the manifest or found; sorted by category key."""
    found: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        found[f.category].append(f)
    listed = {c.key: c for c in manifest.categories}
    rows: list[dict[str, Any]] = []
    for key in sorted(set(found) | set(listed)):
        group = found.get(key, [])
        entry = listed.get(key) or manifest.category(key)
        covered = _covered_by(manifest, key)
        declared = covered is not None
        below = [f for c, fs in found.items() if c != key and covers(key, c) for f in fs]
        if group or below:  # a listed parent counts as found when data of a sub-category was found
            status = DECLARED_FOUND if declared else UNDECLARED_FOUND
        else:
            above = any(c != key and covers(c, key) for c in found)  # found only as a less precise parent key
            status = (DECLARED_FOUND if above else DECLARED_NOT_FOUND) if declared else NOT_DECLARED_NOT_FOUND
        evidence = entry.evidence[0] if entry is not None and entry.evidence else None
        rows.append({
            "category": key, "status": status, "declared": declared, "listed": key in listed,
            "covered_by": covered, "special": is_special(key) or any(f.special for f in group),
            "found": bool(group), "findings": len(group), "occurrences": sum(f.count for f in group),
            "distinct_values": len({fp for f in group for fp in f.fingerprints}) or sum(f.distinct_count for f in group),
            "locations": len({f.location for f in group}), "sources": len({f.source for f in group}),
            "entities": sorted({f.entity for f in group}),
            "subcategory_occurrences": sum(f.count for f in below),
            "retention": entry.retention if entry is not None else None,
            "retention_days": entry.retention_days if entry is not None else None,
            "policy_section": evidence.section if evidence else None,
            "policy_quote": evidence.quote if evidence else None,
        })
    return table_of(CATEGORIES, rows)


def columns_table(findings: Iterable[Finding], manifest: PolicyManifest) -> pa.Table:
    """One row per (source, location, field) with a field: which entities a table column or JSON key holds."""
    grouped: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.field is not None:
            grouped[(f.source, f.location, f.field)].append(f)
    rows = []
    declares = lru_cache(maxsize=None)(manifest.declares)
    for (source, location, field), group in sorted(grouped.items()):
        categories = sorted({f.category for f in group})
        rows.append({
            "source": source, "location": location, "field": field,
            "entities": sorted({f.entity for f in group}), "categories": categories,
            "count": sum(f.count for f in group), "distinct_count": max(f.distinct_count for f in group),
            "score": max(f.score for f in group), "special": any(f.special for f in group),
            "declared": all(declares(c) for c in categories),
        })
    return table_of(COLUMNS, rows)
