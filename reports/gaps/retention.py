"""Retention gap rules: data kept longer than the policy allows, and categories with no period at all.

The age of an item's data is `reference time - Facts.data_oldest`, or `- Item.modified` when the
connector could not read dates from the data itself. Items with neither are not aged.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Iterable

from scanner.models import Gap, ItemOutcome, Severity
from scanner.policy.manifest import DeclaredCategory, PolicyManifest

from reports.gaps.base import GapContext, are, aware, category_reference, examples, plural, raise_one, reference
from reports.gaps.categories import is_special_finding


def declared_retention(manifest: PolicyManifest, category: str) -> DeclaredCategory | None:
    """The most specific manifest entry covering `category` that sets a retention period."""
    best: DeclaredCategory | None = None
    for entry in manifest.categories:
        if entry.retention_days is None:
            continue
        if category == entry.key or category.startswith(entry.key + "."):
            if best is None or len(entry.key) > len(best.key):
                best = entry
    return best


def data_date(outcome: ItemOutcome) -> datetime | None:
    return aware(outcome.facts.data_oldest) or aware(outcome.item.modified)


def _aged_items(ctx: GapContext) -> Iterable[tuple[str, str, int, bool, ItemOutcome]]:
    """(category, source, age in days, holds special data, outcome) per category found in an item."""
    for location, findings in sorted(ctx.findings_by_location.items()):
        outcome = ctx.outcome_by_location.get(location)
        date = data_date(outcome) if outcome is not None else None
        age = (ctx.now - date).days if date is not None else None
        for category in sorted({f.category for f in findings}):
            special = any(is_special_finding(f) for f in findings if f.category == category)
            source = findings[0].source
            if outcome is not None:
                yield category, source, age if age is not None else -1, special, outcome


class RetentionGapRule:
    """Items older than the declared retention for their category, or the configured default when the
    policy sets none. One gap per (category, source). Declared period exceeded: medium; default
    exceeded: low; one level higher for special categories."""

    kind = "retention"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        over: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        special_groups: set[tuple[str, str]] = set()
        for category, source, age, special, outcome in _aged_items(ctx):
            entry = declared_retention(ctx.manifest, category)
            limit = entry.retention_days if entry else ctx.settings.retention_default_days
            if age > limit:
                over[(category, source)].append((age, outcome.item.location))
                if special:
                    special_groups.add((category, source))
        for (category, source), aged in sorted(over.items()):
            aged.sort(key=lambda t: (-t[0], t[1]))
            entry = declared_retention(ctx.manifest, category)
            oldest = aged[0][0]
            if entry is not None:
                severity = Severity.MEDIUM
                limit_text = f"the policy's retention of {entry.retention or entry.retention_days} ({entry.retention_days} days)"
                ref = reference(entry.evidence)
            else:
                severity = Severity.LOW
                limit_text = (f"the default retention of {ctx.settings.retention_default_days} days "
                              "(the policy sets no period for this category)")
                ref = category_reference(ctx.manifest, category)
            if (category, source) in special_groups:
                severity = raise_one(severity)
            yield Gap(
                gap_kind=self.kind, severity=severity, category=category, policy_reference=ref,
                evidence_count=len(aged), example_locations=examples(loc for _, loc in aged),
                message=(f"{plural(len(aged), 'item')} holding {category} {are(len(aged))} older than {limit_text}; "
                         f"the oldest is {oldest:,} days old."),
                recommendation="Delete or anonymise data past its retention period, and automate the clean-up.",
                source=source,
            )


class RetentionUndefinedGapRule:
    """Categories found for which the policy sets no retention period: what is kept, and how old it is."""

    kind = "retention_undefined"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        kept: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for category, _source, age, _special, outcome in _aged_items(ctx):
            if declared_retention(ctx.manifest, category) is None:
                kept[category].append((age, outcome.item.location))
        for category, aged in sorted(kept.items()):
            aged.sort(key=lambda t: (-t[0], t[1]))
            ages = [a for a, _ in aged if a >= 0]
            age_text = (f"the oldest is {max(ages):,} days old and the newest {min(ages):,} days"
                        if ages else "their age is unknown")
            yield Gap(
                gap_kind=self.kind, severity=Severity.LOW, category=category,
                policy_reference=category_reference(ctx.manifest, category),
                evidence_count=len(aged), example_locations=examples(loc for _, loc in aged),
                message=(f"The policy sets no retention period for {category}, which is kept in "
                         f"{plural(len(aged), 'item')}; {age_text}."),
                recommendation="State a retention period (or the criteria that fix it) for this category in the policy.",
                source=None,
            )
