"""The gap-rule contract and the evidence every rule reads.

A gap rule is one small class per gap kind with a `kind` string and `evaluate(ctx) -> Iterable[Gap]`.
Built-in rules register under the entry-point group `policyscan.gap_rules`, exactly like third-party
ones. Contract for implementers:

- `evaluate` is pure: it reads only `ctx` (records, manifest, settings, reference time), so the same
  context always yields the same gaps, and gaps can be recomputed from the Parquet outputs alone.
- A gap never holds a value found in the data: only categories, counts, locations and policy quotes.
- Order does not matter; `evaluate_rules` sorts the union deterministically.
- A rule that cannot apply (no region configured, no findings) yields nothing; it does not raise.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Iterable, Mapping, Protocol, Sequence, runtime_checkable

from scanner.manifest import Evidence, PolicyManifest
from scanner.models import Finding, Gap, ItemOutcome, PolicyReference, Severity

from reports.sources import SourceInfo, item_region

MAX_EXAMPLES = 5  # example locations kept per gap


@dataclass(frozen=True)
class GapSettings:
    """Thresholds from the scan configuration (`retention_default_days`, `minimisation_locations`)."""

    retention_default_days: int = 1825  # applied where the policy sets no retention period
    minimisation_locations: int = 3  # distinct locations from which a copied value is a gap


@dataclass(frozen=True)
class GapContext:
    """Everything a rule may look at. `now` is the scan's reference time (when it finished), so ages
    do not change when a report is re-rendered later."""

    outcomes: Sequence[ItemOutcome]
    findings: Sequence[Finding]
    manifest: PolicyManifest
    sources: Sequence[SourceInfo] = ()
    settings: GapSettings = field(default_factory=GapSettings)
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @cached_property
    def outcome_by_location(self) -> Mapping[str, ItemOutcome]:
        return {o.item.location: o for o in self.outcomes}

    @cached_property
    def findings_by_location(self) -> Mapping[str, tuple[Finding, ...]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            grouped[f.location].append(f)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def source_by_display(self) -> Mapping[str, SourceInfo]:
        return {s.display: s for s in self.sources}

    def region_of(self, location: str, source: str) -> str | None:
        """Where an item's data lives (`reports.sources.item_region`)."""
        outcome = self.outcome_by_location.get(location)
        return item_region(outcome.facts.region if outcome is not None else None, self.source_by_display.get(source))

    def region_of_outcome(self, outcome: ItemOutcome) -> str | None:
        return item_region(outcome.facts.region, self.source_by_display.get(outcome.item.source))

    def ancestors(self, location: str) -> Iterable[ItemOutcome]:
        """Outcomes of the containing archive/database items, innermost first (cycle-safe)."""
        seen = {location}
        current = self.outcome_by_location.get(location)
        while current is not None and current.item.parent and current.item.parent not in seen:
            seen.add(current.item.parent)
            current = self.outcome_by_location.get(current.item.parent)
            if current is not None:
                yield current


@runtime_checkable
class GapRule(Protocol):
    """One gap kind. `kind` is the value written to gaps.parquet's `gap_kind` column. A rule may also
    say what its `evidence_count` counts (`evidence_unit`: values, items, distinct_values, none)."""

    kind: str

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]: ...


def reference(evidence: Sequence[Evidence]) -> PolicyReference:
    """The first quote of a manifest entry, or an empty reference when the policy says nothing."""
    if not evidence:
        return PolicyReference(section=None, quote=None)
    return PolicyReference(section=evidence[0].section, quote=evidence[0].quote)


def category_reference(manifest: PolicyManifest, category: str) -> PolicyReference:
    entry = manifest.category(category)
    return reference(entry.evidence) if entry is not None else PolicyReference(None, None)


# A measure the policy may promise under a broader name: backups are covered by a general encryption
# promise, TLS by encryption or certificates, login/password by access management.
MEASURE_FALLBACKS: dict[str, tuple[str, ...]] = {
    "backups": ("encryption",), "tls": ("encryption", "certificates"), "authentication": ("access_management",),
}


def promised_measure(manifest: PolicyManifest, kind: str) -> tuple[str, PolicyReference] | None:
    """(kind promised, its quote) for a security measure of this kind or of a broader kind that covers
    it, or None when the policy promises none."""
    for wanted in (kind, *MEASURE_FALLBACKS.get(kind, ())):
        for measure in manifest.security_measures:
            if measure.kind == wanted:
                return wanted, reference(measure.evidence)
    return None


def examples(locations: Iterable[str], limit: int = MAX_EXAMPLES) -> tuple[str, ...]:
    """Distinct locations in first-seen order, at most `limit`."""
    out: list[str] = []
    for loc in locations:
        if loc not in out:
            out.append(loc)
            if len(out) == limit:
                break
    return tuple(out)


def single_source(sources: Iterable[str]) -> str | None:
    distinct = set(sources)
    return next(iter(distinct)) if len(distinct) == 1 else None


def raise_one(severity: Severity) -> Severity:
    return {Severity.INFO: Severity.LOW, Severity.LOW: Severity.MEDIUM}.get(severity, Severity.HIGH)


def aware(value: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC, so ages compare across connectors."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


def are(n: int) -> str:
    return "is" if n == 1 else "are"


MEASURE_NAMES = {
    "tls": "TLS/SSL encryption in transit", "access_management": "access management",
    "authentication": "login/password authentication", "backups": "computer backups",
    "encryption": "encryption", "firewall": "firewalls", "network_monitoring": "network monitoring",
    "certificates": "digital certificates", "training": "staff training",
}
