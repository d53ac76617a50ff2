"""Retention gap rules: data kept longer than the policy allows, and data for which it sets no period.

The age of an item's data is `reference time - Facts.data_oldest`, or `- Item.modified` when the
connector could not read dates from the data itself. Items with neither are not aged. Gaps are grouped
by the policy statement they concern (one declared period, or the default), not by every category,
so a policy with no periods at all gives a handful of gaps rather than one per category.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from scanner.categories import covers
from scanner.models import Gap, ItemOutcome, PolicyReference, Severity
from scanner.manifest import DeclaredCategory, PolicyManifest

from reports.gaps.base import (GapContext, are, aware, category_reference, examples, plural, raise_one,
                               reference)


def declared_retention(manifest: PolicyManifest, category: str) -> DeclaredCategory | None:
    """The most specific manifest entry covering `category` that sets a retention period."""
    best: DeclaredCategory | None = None
    for entry in manifest.categories:
        if entry.retention_days is None:
            continue
        if covers(entry.key, category):
            if best is None or len(entry.key) > len(best.key):
                best = entry
    return best


def data_date(outcome: ItemOutcome) -> datetime | None:
    return aware(outcome.facts.data_oldest) or aware(outcome.item.modified)


@dataclass(frozen=True)
class Held:
    """One category of data held in one item, with its age and the retention that applies to it."""

    category: str
    source: str
    age: int | None  # days; None when the item carries no date
    special: bool
    location: str
    entry: DeclaredCategory | None  # the policy's entry setting the period; None: the configured default
    limit_days: int

    @property
    def overdue(self) -> bool:
        """Older than its retention: the one age-versus-retention test (gap rules and the report's chart)."""
        return self.age is not None and self.age > self.limit_days


def held_data(ctx: GapContext) -> Iterable[Held]:
    """One record per (item, category found in it), for items the inventory knows."""
    for location, findings in sorted(ctx.findings_by_location.items()):
        outcome = ctx.outcome_by_location.get(location)
        if outcome is None:
            continue
        date = data_date(outcome)
        age = (ctx.now - date).days if date is not None else None
        for category in sorted({f.category for f in findings}):
            special = any(f.special for f in findings if f.category == category)
            entry = declared_retention(ctx.manifest, category)
            limit = entry.retention_days if entry else ctx.settings.retention_default_days
            yield Held(category, findings[0].source, age, special, location, entry, limit)  # type: ignore[arg-type]


def over_retention(ctx: GapContext) -> dict[str, bool]:
    """Per dated item holding personal data: is some of its data older than the retention for it?"""
    verdicts: dict[str, bool] = {}
    for held in held_data(ctx):
        if held.age is not None:
            verdicts[held.location] = verdicts.get(held.location, False) or held.overdue
    return verdicts


def _listing(categories: Iterable[str], limit: int = 3) -> str:
    cats = sorted(set(categories))
    return ", ".join(cats[:limit]) + (f" and {len(cats) - limit} more" if len(cats) > limit else "")


def _first_reference(manifest: PolicyManifest, keys: Iterable[str]) -> PolicyReference:
    """The first quote the policy has for any of `keys` (a family key, then its categories)."""
    for key in keys:
        ref = category_reference(manifest, key)
        if ref.quote:
            return ref
    return PolicyReference(None, None)


class RetentionGapRule:
    """Items older than the declared retention for their category, or than the configured default where
    the policy sets none. One gap per (declared entry or default, source, special or not). Declared
    period exceeded: medium; default exceeded: low; one level higher for special categories."""

    kind = "retention"
    evidence_unit = "items"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        groups: dict[tuple[str, str, bool], list[Held]] = defaultdict(list)
        for held in held_data(ctx):
            if held.overdue:
                groups[(held.entry.key if held.entry else "", held.source, held.special)].append(held)
        for (entry_key, source, special), group in sorted(groups.items()):
            items = sorted({h.location: h.age or 0 for h in group}.items(), key=lambda t: (-t[1], t[0]))
            categories = {h.category for h in group}
            entry = next((c for c in ctx.manifest.categories if entry_key and c.key == entry_key), None)
            if entry is not None:
                severity = Severity.MEDIUM
                limit_text = f"the policy's retention of {entry.retention or entry.retention_days} ({entry.retention_days} days)"
                ref = reference(entry.evidence)
            else:
                severity = Severity.LOW
                limit_text = (f"the default retention of {ctx.settings.retention_default_days:,} days "
                              "(the policy sets no period for this data)")
                ref = (category_reference(ctx.manifest, next(iter(categories))) if len(categories) == 1
                       else PolicyReference(None, None))
            if special:
                severity = raise_one(severity)
            yield Gap(
                gap_kind=self.kind, severity=severity,
                category=entry_key or (next(iter(categories)) if len(categories) == 1 else None),
                policy_reference=ref, evidence_count=len(items), example_locations=examples(loc for loc, _ in items),
                message=(f"{plural(len(items), 'item')} holding {_listing(categories)} {are(len(items))} older than "
                         f"{limit_text}; the oldest is {items[0][1]:,} days old."),
                recommendation="Delete or anonymise data past its retention period, and automate the clean-up.",
                source=source,
            )


class RetentionUndefinedGapRule:
    """Data found for which the policy sets no retention period: what is kept, where, and how old.
    One gap per family of data (the first two levels of the key: `user.contact`, `user.government_id`),
    so a policy without any period yields a short list rather than one gap per category. Low."""

    kind = "retention_undefined"
    evidence_unit = "items"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        kept: dict[str, list[Held]] = defaultdict(list)
        for held in held_data(ctx):
            if held.entry is not None:
                continue
            kept[".".join(held.category.split(".")[:2])].append(held)
        for key, group in sorted(kept.items()):
            items = sorted({h.location: h.age for h in group}.items(), key=lambda t: (-(t[1] or -1), t[0]))
            ages = [a for _, a in items if a is not None]
            age_text = (f"the oldest is {max(ages):,} days old, the newest {min(ages):,}"
                        if ages else "their age is unknown")
            declared = all(ctx.manifest.declares(h.category) for h in group)
            yield Gap(
                gap_kind=self.kind, severity=Severity.LOW, category=key,
                policy_reference=_first_reference(ctx.manifest, [key, *sorted({h.category for h in group})]),
                evidence_count=len(items), example_locations=examples(loc for loc, _ in items),
                message=(f"The policy sets no retention period for {key}{' (declared)' if declared else ''}, "
                         f"kept as {_listing(h.category for h in group)} in {plural(len(items), 'item')}; "
                         f"{age_text}."),
                recommendation="State a retention period (or the criteria that fix it) for this data in the policy.",
                source=None,
            )
