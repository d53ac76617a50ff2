"""Minimisation gap rule: the same values (keyed fingerprints) copied across many locations."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from scanner.categories import covers, covers_any
from scanner.models import Gap, Severity

from reports.gaps.base import GapContext, category_reference, examples, plural, single_source


# Categories whose values identify a person on their own. A city, a first name or a birth date shared
# by many files is not a copy of a record, so those do not count as copies.
IDENTIFYING_PREFIXES = (
    "user.contact.email", "user.contact.phone_number", "user.contact.fax_number", "user.contact.address.street",
    "user.name", "user.government_id", "user.financial", "user.authorization", "user.account",
    "user.device.ip_address", "user.device.device_id", "user.device.cookie_id", "user.biometric",
)
NOT_IDENTIFYING = ("user.name.first", "user.name.last")


def identifying(category: str) -> bool:
    return covers_any(IDENTIFYING_PREFIXES, category) and not covers_any(NOT_IDENTIFYING, category)


class MinimisationGapRule:
    """One gap per identifying category whose values appear in at least `settings.minimisation_locations`
    distinct locations (special categories always count). Uses `Finding.fingerprints` (capped per
    finding, so counts are lower bounds). Low; medium for special categories and government IDs."""

    kind = "minimisation"
    evidence_unit = "distinct_values"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        threshold = max(2, ctx.settings.minimisation_locations)
        spread: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        sources: dict[str, set[str]] = defaultdict(set)
        special: set[str] = set()
        for f in ctx.findings:
            if not (identifying(f.category) or f.special):
                continue
            for fp in f.fingerprints or ((f.fingerprint,) if f.fingerprint else ()):
                spread[f.category][fp].add(f.location)
            sources[f.category].add(f.source)
            if f.special:
                special.add(f.category)
        for category in sorted(spread):
            copied = {fp: locs for fp, locs in spread[category].items() if len(locs) >= threshold}
            if not copied:
                continue
            per_location: dict[str, int] = defaultdict(int)
            for locs in copied.values():
                for loc in locs:
                    per_location[loc] += 1
            ranked = sorted(per_location, key=lambda loc: (-per_location[loc], loc))
            widest = max(len(locs) for locs in copied.values())
            sensitive = category in special or covers("user.government_id", category)
            yield Gap(
                gap_kind=self.kind, severity=Severity.MEDIUM if sensitive else Severity.LOW,
                category=category, policy_reference=category_reference(ctx.manifest, category),
                evidence_count=len(copied), example_locations=examples(ranked),
                message=(f"{plural(len(copied), 'distinct value')} of {category} each appear in at least "
                         f"{threshold} locations (up to {widest}), across {plural(len(per_location), 'location')}."),
                recommendation="Keep one authoritative copy and replace the others by references, or delete them.",
                source=single_source(sources[category]),
            )
